"""The alarm state of a bound tag drives the ISA-101 look: priority marker, blinking until acknowledged."""

from __future__ import annotations

import time

import pytest

from hmi.alarms import AlarmEngine
from hmi.alarms.model import AlarmState
from hmi.cli import DEMO_PROJECT
from hmi.project import load_project
from hmi.project.model import Item, Screen
from hmi.quality import Quality, Sample
from hmi.tags import TagTable
from ui import theme
from ui.bridge import TagBridge
from ui.screens.context import AlarmIndex
from ui.screens.view import ScreenView

from .screen_support import collect_qt_garbage, context, count, render

pytestmark = pytest.mark.usefixtures(collect_qt_garbage.__name__)


def test_an_alarm_on_a_bound_tag_shows_its_marker_and_blinks_until_acknowledged(qtbot):
    folder = load_project(DEMO_PROJECT)
    table = TagTable(folder.tags)
    engine = AlarmEngine({t.name: t.alarms for t in folder.project.tags}, folder.project.alarm_settings)
    engine.attach(table)
    bridge = TagBridge(table)
    index = AlarmIndex(engine)
    ctx = context(folder, table, alarms=index)
    view = ScreenView(bridge, ctx)
    qtbot.addWidget(view)
    screen = Screen(
        title="t",
        items=[
            Item(type="tank", at=(100, 100), bind={"level": "TK101.Level"}),
            Item(type="pipe", at=(0, 0), bind={"flowing": "TK101.Level > 1"}),
        ],
    )
    view.show_screen(screen)
    tank, pipe = view.items_
    table.update("TK101.Level", Sample(50.0, Quality.GOOD, time.time()))
    qtbot.waitUntil(lambda: tank.props.get("level") == 50.0, timeout=2000)
    assert tank.alarm is None

    table.update("TK101.Level", Sample(95.0, Quality.GOOD, time.time()))
    qtbot.waitUntil(lambda: tank.alarm is not None and tank.alarm.kind.value == "hihi", timeout=2000)
    assert tank.alarm.priority.number == 2 and tank.blinking()
    assert pipe.alarm is None, "a line styled by the tag does not carry the tag's alarm"
    orange = theme.ALARM[2]
    ctx.blinker.on = True
    assert count(render(tank), orange) > 50, "the amber triangle marker and frame are drawn"
    ctx.blinker.on = False
    assert count(render(tank), orange) == 0, "blinking: off in the other phase"
    phases = set()
    ctx.blinker.toggled.connect(lambda: phases.add(ctx.blinker.on))
    qtbot.waitUntil(lambda: len(phases) == 2, timeout=3000)

    engine.acknowledge([tank.alarm.id], "operator")
    qtbot.waitUntil(
        lambda: tank.alarm is not None and tank.alarm.state is AlarmState.ACK_ACTIVE, timeout=2000
    )
    assert not tank.blinking()
    ctx.blinker.on = False
    assert count(render(tank), orange) > 50, "acknowledged: steady in both phases"

    table.update("TK101.Level", Sample(50.0, Quality.GOOD, time.time()))
    # HIHI was acknowledged and clears; HI was not: it stays, dimmed and blinking, until acknowledged.
    qtbot.waitUntil(lambda: tank.alarm is not None and tank.alarm.state is AlarmState.RTN_UNACK, timeout=2000)
    assert tank.alarm.kind.value == "hi" and tank.blinking()
    engine.acknowledge([tank.alarm.id], "operator")
    qtbot.waitUntil(lambda: tank.alarm is None, timeout=2000)
    view.close_view()
    index.close()
    bridge.close()
