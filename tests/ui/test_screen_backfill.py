"""Sparklines start full: on every screen change they read their span from the historian."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from hmi.cli import DEMO_PROJECT
from hmi.history import Historian, HistorianTag
from hmi.project import load_project
from hmi.project.model import Screen
from hmi.project.symbols import Sparkline
from hmi.quality import Quality, Sample
from hmi.storage.sqlite import SqliteStorage
from hmi.tags import TagTable
from ui import theme
from ui.bridge import TagBridge
from ui.screens.backfill import Backfill
from ui.screens.view import ScreenView

from .screen_support import collect_qt_garbage, context, count, render

pytestmark = pytest.mark.usefixtures(collect_qt_garbage.__name__)

TAG = "TK101.Level"


def test_a_sparkline_shows_its_span_from_the_history_at_once_and_live_values_after(qtbot, tmp_path: Path):
    path = tmp_path / "history.sqlite"
    now = time.time()
    with Historian(path, [HistorianTag(TAG)]) as historian:
        for i in range(600):  # the last 10 minutes at 1 s, a slow ramp from 20 % to 80 %
            historian.record(TAG, Sample(20.0 + i * 0.1, Quality.GOOD, now - 600 + i))
        historian.flush()
    folder = load_project(DEMO_PROJECT)
    table = TagTable(folder.tags)
    bridge = TagBridge(table)
    ctx = context(folder, table)
    ctx.backfill = Backfill(SqliteStorage(path))
    view = ScreenView(bridge, ctx)
    qtbot.addWidget(view)
    spark = Sparkline(
        type="sparkline", at=(20, 40), size=(200, 48), label="Level", bind={"value": TAG}, span_s=900
    )
    try:
        view.show_screen(Screen(title="t", size=(300, 120), items=[spark]))
        (line,) = view.items_
        empty = count(render(line), theme.TEXT, tolerance=40)  # the answer comes through the event loop
        qtbot.waitUntil(lambda: len(line.samples) >= 500, timeout=5000)
        plotted = [v for _, v in line.samples if v is not None]
        assert plotted[0] == pytest.approx(20.0, abs=0.5) and plotted[-1] == pytest.approx(79.9, abs=0.5)
        drawn = count(render(line), theme.TEXT, tolerance=40)
        assert drawn > empty + 100, "the ramp is drawn, not an empty box"

        table.update(TAG, Sample(81.0, Quality.GOOD, time.time()))
        qtbot.waitUntil(lambda: line.samples[-1][1] == 81.0, timeout=2000)
        times = [t for t, _ in line.samples]
        assert times == sorted(times), "history first, then the live values, in time order"

        view.show_screen(Screen(title="again", size=(300, 120), items=[spark]))
        (again,) = view.items_
        qtbot.waitUntil(lambda: len(again.samples) >= 500, timeout=5000)
    finally:
        view.close_view()
        ctx.backfill.close()
        bridge.close()
