"""The alarm state of a bound tag drives the ISA-101 look: priority marker, blinking until acknowledged."""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter

from hmi.alarms import AlarmEngine
from hmi.alarms.model import AlarmState
from hmi.cli import DEMO_PROJECT
from hmi.project import load_project
from hmi.project.model import Item, Screen
from hmi.project.symbols import Bar, Pipe
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
            Pipe(type="pipe", at=(0, 0), bind={"flowing": "TK101.Level > 1"}),
        ],
    )
    view.show_screen(screen)
    tank, pipe = view.items_
    table.update("TK101.Level", Sample(50.0, Quality.GOOD, time.time()))
    qtbot.waitUntil(lambda: tank.props.get("level") == 50.0, timeout=2000)
    assert tank.alarm is None

    table.update("TK101.Level", Sample(95.0, Quality.GOOD, time.time()))
    qtbot.waitUntil(lambda: tank.alarm is not None and tank.alarm.kind == "hihi", timeout=2000)
    assert tank.alarm.priority.number == 2 and tank.blinking()
    assert pipe.alarm is None, "a line styled by the tag does not carry the tag's alarm"
    orange = theme.ALARM[2]
    ctx.blinker.on = True
    lit = count(render(tank), orange)
    assert lit > 50, "the amber triangle marker and frame are drawn"
    ctx.blinker.on = False
    dark = count(render(tank), orange)
    assert 0 < dark < lit, "blinking: the frame is off in the other phase, the marker and its shape stay"
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
    assert tank.alarm.kind == "hi" and tank.blinking()
    engine.acknowledge([tank.alarm.id], "operator")
    qtbot.waitUntil(lambda: tank.alarm is None, timeout=2000)
    view.close_view()
    index.close()
    bridge.close()


def _alarmed_screen(qtbot, items: list[Item]) -> tuple[ScreenView, TagTable, AlarmEngine, list]:
    folder = load_project(DEMO_PROJECT)
    table = TagTable(folder.tags)
    engine = AlarmEngine({t.name: t.alarms for t in folder.project.tags}, folder.project.alarm_settings)
    engine.attach(table)
    bridge = TagBridge(table)
    index = AlarmIndex(engine)
    view = ScreenView(bridge, context(folder, table, alarms=index))
    qtbot.addWidget(view)
    view.show_screen(Screen(title="t", items=items))
    closers = [view.close_view, index.close, bridge.close]
    return view, table, engine, closers


def _scene_pixels(view: ScreenView, rect: QRectF) -> QImage:
    """A part of the scene as the operator sees it, at scene scale, on white."""
    image = QImage(int(rect.width()), int(rect.height()), QImage.Format.Format_ARGB32)
    image.fill(QColor("#ffffff"))
    p = QPainter(image)
    view.scene().render(p, QRectF(0, 0, rect.width(), rect.height()), rect)
    p.end()
    return image


def test_the_marker_of_a_bar_in_a_row_covers_no_neighbouring_reading(qtbot):
    """The overview's robot joints: bars 50 px apart, each reading above its bar."""
    bars = [
        Bar(
            type="bar",
            at=(100 + 50 * i, 100),
            size=(26, 200),
            label=f"J{n}",
            bind={"value": f"RC1.J{n}.Temp"},
        )
        for i, n in enumerate((3, 4))
    ]
    view, table, engine, closers = _alarmed_screen(qtbot, bars)
    j3, j4 = view.items_
    now = time.time()
    table.update("RC1.J4.Temp", Sample(41.0, Quality.GOOD, now))
    table.update("RC1.J3.Temp", Sample(105.0, Quality.GOOD, now))
    qtbot.waitUntil(lambda: j3.alarm is not None and j3.alarm.priority.number == 1, timeout=2000)
    red = theme.ALARM[1]
    view.ctx.blinker.on = True  # the phase with the frame drawn too
    # J4's reading "41 °C" is centred above its bar (centre x 163), in the 16 px above it.
    reading = QRectF(163 - 22, 80, 44, 16)
    assert count(_scene_pixels(view, reading), red) == 0, "J3's marker stays off J4's reading"
    marker = j3.marker_spot()
    assert j3.extent().contains(QRectF(marker.x(), marker.y(), 16, 16)), (
        "the marker is inside what J3 repaints"
    )
    assert count(render(j3), red) > 100, "J3 shows its critical marker"
    for close in closers:
        close()


def test_a_long_key_alarm_text_is_cut_with_an_ellipsis_inside_its_box(qtbot):
    box = Item(type="alarm", at=(100, 100), size=(200, 22), bind={"temp": "E101.OutletTemp"})
    view, table, engine, closers = _alarmed_screen(qtbot, [box])
    (indicator,) = view.items_
    # "Exchanger E-101 outlet temperature high  (unack)" is wider than the box.
    table.update("E101.OutletTemp", Sample(70.0, Quality.GOOD, time.time()))
    qtbot.waitUntil(lambda: indicator.alarm is not None, timeout=2000)
    right_of_box = _scene_pixels(view, QRectF(301, 100, 200, 22))
    assert count(right_of_box, theme.TEXT, tolerance=60) == 0, "no letter runs out of the box"
    for close in closers:
        close()


def test_banner_summary_and_graphics_blink_on_one_clock(qtbot):
    from ui.alarms.model import AlarmTableModel

    view, table, engine, closers = _alarmed_screen(
        qtbot, [Item(type="tank", at=(0, 0), bind={"level": "TK101.Level"})]
    )
    model = AlarmTableModel(engine)
    assert model.blinker is view.ctx.blinker, "one blink clock for the whole app"
    table.update("TK101.Level", Sample(95.0, Quality.GOOD, time.time()))
    qtbot.waitUntil(lambda: bool(model.rows) and model.rows[0].blinking, timeout=2000)
    priority = model.index(0, 1)
    for _ in range(2):
        with qtbot.waitSignal(view.ctx.blinker.toggled, timeout=2000):
            pass
        lit = model.data(priority, Qt.ItemDataRole.BackgroundRole) is not None
        assert lit == view.ctx.blinker.on, (
            "the row's priority cell is lit exactly when the graphics' frame is"
        )
    model.close()
    for close in closers:
        close()
