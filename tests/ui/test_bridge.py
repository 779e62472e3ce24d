"""A storm of tag changes reaches the UI as at most one refresh per frame."""

from hmi.quality import Quality, Sample
from hmi.tags import TagTable
from ui.bridge import TagBridge


def test_a_storm_of_changes_is_coalesced_into_one_refresh(qtbot):
    table = TagTable(["A", "B", "C"])
    bridge = TagBridge(table)
    calls = {"ab": 0, "c": 0}
    bridge.watch(["A", "B"], lambda: calls.__setitem__("ab", calls["ab"] + 1))
    bridge.watch(["C"], lambda: calls.__setitem__("c", calls["c"] + 1))
    for i in range(10_000):
        table.update("A", Sample(float(i), Quality.GOOD, float(i)))
        table.update("B", Sample(float(i), Quality.GOOD, float(i)))
    qtbot.waitUntil(lambda: bridge.frames >= 1, timeout=2000)
    assert calls == {"ab": 1, "c": 0}
    table.update("C", Sample(1.0, Quality.GOOD, 1.0))
    qtbot.waitUntil(lambda: bridge.frames >= 2, timeout=2000)
    assert calls == {"ab": 1, "c": 1}
    bridge.close()
