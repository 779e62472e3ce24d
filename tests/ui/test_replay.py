"""Screen replay on the demo project: the screens show what the historian and the alarm journal hold for
the moment chosen, marked as replay, with writes and acknowledgements refused until back to live."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from hmi.alarms.journal import AlarmJournal, JournalEntry
from hmi.history import Historian
from hmi.paths import history_db
from hmi.project import ProjectFolder
from hmi.quality import Quality, Sample
from hmi.runtime import Runtime, historian_tag
from hmi.security.audit import search
from tests.support import demo_project, free_port, log_in
from ui.main_window import MainWindow
from ui.screens.menu import TagMenu
from ui.screens.symbols.equipment import PumpItem
from ui.screens.symbols.text import IndicatorItem
from ui.screens.view import ScreenView

from .screen_support import collect_qt_garbage
from .test_login import close
from .test_screen_live import bound_to

pytestmark = pytest.mark.usefixtures(collect_qt_garbage.__name__)

NOW = time.time()
HIGH_AT = NOW - 3 * 3600
"""TK-101 went high here (88.5 %, alarm HI raised), ..."""
ACKED_AT = HIGH_AT + 600
"""... was acknowledged by anna here, ..."""
BACK_AT = NOW - 3600
"""... and came back to 50 % here, when P-101 had stopped two minutes before."""
HI = "TK101.Level.HI"


def fill_history(folder: ProjectFolder) -> Path:
    """History and alarm journal of the last five hours, through the engine's own writers."""
    path = history_db(folder.root, folder.name)
    series = {
        "TK101.Level": [(NOW - 5 * 3600, 40.0), (HIGH_AT - 60, 88.5), (BACK_AT - 60, 50.0)],
        "P101.Running": [(NOW - 5 * 3600, True), (BACK_AT - 120, False)],
        "FIC101.SP": [(NOW - 5 * 3600, 12.0)],
    }
    with Historian(path, [historian_tag(folder.tags[name]) for name in series]) as historian:
        for name, points in series.items():
            for ts, value in points:
                historian.record(name, Sample(value, Quality.GOOD, ts))
        historian.flush()
    message = "Feed tank TK-101 level high"
    with AlarmJournal(path) as journal:
        for ts, old, new, active, actor in (
            (HIGH_AT - 55, "normal", "unack_active", True, "system"),
            (ACKED_AT, "unack_active", "ack_active", True, "anna"),
            (BACK_AT - 50, "ack_active", "normal", False, "system"),
        ):
            journal.record(
                JournalEntry(
                    ts, HI, "TK101.Level", "hi", "medium", old, new, active, 88.5, 85, actor, "", message
                )
            )
        journal.flush()
    return path


@pytest.fixture
def window(qtbot, tmp_path: Path):
    folder = demo_project(tmp_path, free_port())
    fill_history(folder)
    window = MainWindow(Runtime(folder, start_simulator=False))
    qtbot.addWidget(window)
    window.resize(1600, 960)
    window.show()
    qtbot.waitExposed(window)
    yield window
    close(window)


def replay_view(window: MainWindow) -> ScreenView:
    assert window.replay.view is not None
    return window.replay.view


def shown_at(qtbot, window: MainWindow, t: float) -> None:
    """Go to `t` and wait until its frame is on the screen."""
    window.replay.seek(t) if window.replay.active else window.replay.enter(t)
    qtbot.waitUntil(
        lambda: window.replay.player is not None and window.replay.player.shown_t == t, timeout=5000
    )


def test_the_screens_show_the_values_and_alarms_of_the_moment_chosen(qtbot, window: MainWindow):
    live_level = bound_to(window.view, "TK101.Level")
    shown_at(qtbot, window, HIGH_AT + 60)
    view = replay_view(window)
    level = bound_to(view, "TK101.Level")
    pump = bound_to(view, "P101.Running", PumpItem)
    assert level.text() == "88.5" and not level.bad
    assert level.alarm is not None and level.alarm.id == HI and level.alarm.blinking, "raised, unacknowledged"
    assert pump.props["running"] is True
    assert live_level.text() == "----", "the live screen is not touched: it waits for the server"

    shown_at(qtbot, window, ACKED_AT + 1)
    assert level.alarm is not None and not level.alarm.blinking, "acknowledged: steady"

    shown_at(qtbot, window, BACK_AT + 5)
    assert level.text() == "50.0" and level.alarm is None
    assert pump.props["running"] is False

    shown_at(qtbot, window, NOW - 6 * 3600)
    assert level.text() == "----" and level.bad and "no history at this time" in level.toolTip()


def test_a_replay_is_marked_as_one_and_ends_on_back_to_live(qtbot, window: MainWindow):
    window.replay_action.trigger()  # View > Replay from history: an hour ago
    qtbot.waitUntil(lambda: window.replay.frame.isVisible(), timeout=5000)
    bar = window.replay.bar
    assert bar.isVisible() and bar.mark.text() == "REPLAY"
    assert "history, not live" in bar.state.text()
    assert not window.view.isVisible(), "only the replayed screen is in view"
    assert "REPLAY" in window.windowTitle()
    moment = window.replay.time
    assert moment is not None and abs(moment - (time.time() - 3600)) < 60
    assert bar.moment.text().endswith(time.strftime("%H:%M", time.localtime(moment)) + bar.moment.text()[-3:])

    window.show_screen("pumps")
    view = replay_view(window)
    qtbot.waitUntil(
        lambda: view.screen_ is window.folder.screens["pumps"] and view.updatesEnabled(), timeout=5000
    )
    assert window.replay.active, "navigating keeps the replay"

    bar.live_button.click()
    assert not window.replay.active and window.view.isVisible() and not bar.isVisible()
    assert "REPLAY" not in window.windowTitle() and not window.replay_action.isChecked()
    assert window.view.screen_ is window.folder.screens["pumps"]


def test_writes_and_acknowledgements_are_refused_during_a_replay_with_the_reason(qtbot, window: MainWindow):
    log_in(window.runtime.security, "operator", "otto")
    shown_at(qtbot, window, HIGH_AT + 60)
    refusal = window.replay.refusal
    for view in (replay_view(window), window.view):  # faceplates and screen windows left live too
        setpoint = bound_to(view, "FIC101.SP")
        assert view.ctx.refused(setpoint.action()) == refusal, "drawn disabled, the reason as its tooltip"
        menu = TagMenu(setpoint)
        assert menu.operate is not None and not menu.operate.isEnabled() and menu.operate.toolTip() == refusal
    window._act(setpoint.model, setpoint.action())
    assert window.statusBar().currentMessage() == refusal
    assert not window.banner.ack_button.isEnabled() and window.banner.ack_button.toolTip() == refusal
    window.runtime.audit.flush()
    assert not search(window.runtime.audit.path, action="write"), "nothing was written"

    window.replay.leave()
    assert window.view.ctx.refused(setpoint.action()) is None, "back to live, the operator may write again"


def test_play_moves_the_replay_on_at_the_chosen_speed_and_stops_at_the_present(qtbot, window: MainWindow):
    shown_at(qtbot, window, time.time() - 120)  # two minutes before now, not NOW: collected minutes ago
    player = window.replay.player
    assert player is not None
    bar = window.replay.bar
    bar.speeds.setCurrentIndex(bar.speeds.findData(60))
    started, wall = player.t, time.monotonic()
    bar.play_button.click()
    assert player.playing and bar.play_button.text() == "Pause"
    qtbot.waitUntil(lambda: (player.shown_t or 0) >= started + 30, timeout=5000)
    assert (player.shown_t or 0) - started <= 60 * (time.monotonic() - wall) + 1, "no faster than 60x"
    qtbot.waitUntil(lambda: not player.playing, timeout=10000)
    assert player.t == pytest.approx(time.time(), abs=2), "stopped at the present"
    assert bar.play_button.text() == "Play"


def test_a_replay_faceplate_says_it_shows_history(qtbot, window: MainWindow):
    shown_at(qtbot, window, HIGH_AT + 60)
    view = replay_view(window)
    pump = bound_to(view, "P101.Running", PumpItem)
    pump.click()
    faceplate = next(iter(view.ctx.popups.values()))
    assert faceplate.windowTitle().startswith("REPLAY (history, not live)")
    status = bound_to(faceplate.view, "P101.Running", IndicatorItem)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: status.props.get("state") is True and not status.bad, timeout=5000)
    window.replay.leave()
    assert faceplate not in QApplication.topLevelWidgets() or not faceplate.isVisible()
