"""A bound item repaints when what it shows changes (value text, quality), and only then."""

from __future__ import annotations

import time

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QApplication, QStyleOptionGraphicsItem

from hmi.alarms import AlarmEngine
from hmi.cli import DEMO_PROJECT
from hmi.project import load_project
from hmi.project.model import Item, Screen, Tag
from hmi.project.symbols import Bar
from hmi.quality import COMM_FAILURE, Quality, Sample
from hmi.tags import TagTable
from ui import theme
from ui.bridge import TagBridge
from ui.screens.context import AlarmIndex
from ui.screens.items import ScreenItem
from ui.screens.symbols.analog import BarItem
from ui.screens.symbols.text import ValueItem
from ui.screens.view import ScreenView

from .screen_support import collect_qt_garbage, context, magenta

pytestmark = pytest.mark.usefixtures(collect_qt_garbage.__name__)

TAG = "TK101.Level"


class PaintCounter(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.paints = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.paints += 1
        return False


def view_on_demo_tags(qtbot) -> tuple[ScreenView, TagTable, TagBridge]:
    folder = load_project(DEMO_PROJECT)
    table = TagTable(folder.tags)
    bridge = TagBridge(table)
    ctx = context(folder, table)
    ctx.bridge = bridge
    view = ScreenView(bridge, ctx)
    qtbot.addWidget(view)
    return view, table, bridge


@pytest.fixture
def shown(qtbot):
    """A view of one value display (format .1f) of TK101.Level, the table, the bridge, a paint counter."""
    view, table, bridge = view_on_demo_tags(qtbot)
    view.resize(400, 200)
    view.show()
    item = Item(type="value", at=(40, 40), label="Level", bind={"value": TAG}, format=".1f")
    table.update(TAG, Sample(12.34, Quality.GOOD, time.time()))
    view.show_screen(Screen(title="One", size=(300, 120), items=[item]))
    qtbot.waitExposed(view)
    counter = PaintCounter()
    view.viewport().installEventFilter(counter)
    yield view, table, bridge, counter
    view.viewport().removeEventFilter(counter)
    view.close_view()
    bridge.close()


def change(table: TagTable, bridge: TagBridge, sample: Sample) -> None:
    table.update(TAG, sample)
    bridge.flush()
    for _ in range(3):
        QApplication.processEvents()


def test_a_new_value_that_reads_the_same_is_not_repainted(shown, qtbot):
    view, table, bridge, counter = shown
    counter.paints = 0
    change(table, bridge, Sample(12.31, Quality.GOOD, time.time()))  # still "12.3"
    assert counter.paints == 0
    change(table, bridge, Sample(12.36, Quality.GOOD, time.time()))  # now "12.4"
    qtbot.waitUntil(lambda: counter.paints > 0, timeout=5000)


def test_bad_quality_with_the_same_value_is_repainted_with_the_marker(shown, qtbot):
    view, table, bridge, counter = shown
    assert magenta(view.grab().toImage()) == 0
    counter.paints = 0
    change(table, bridge, Sample(12.34, Quality.BAD, time.time(), COMM_FAILURE))
    qtbot.waitUntil(lambda: counter.paints > 0, timeout=5000)
    assert magenta(view.grab().toImage()) > 20, "the bad-quality marker, although the value is the same"
    (item,) = view.items_
    assert COMM_FAILURE in item.toolTip()
    change(table, bridge, Sample(12.34, Quality.GOOD, time.time()))
    assert magenta(view.grab().toImage()) == 0 and COMM_FAILURE not in item.toolTip()


def test_a_constant_binding_applies_without_any_tag(qtbot):
    """A fixed rotation written as a binding (the editor's rotation field) turns the symbol."""
    view, _, bridge = view_on_demo_tags(qtbot)
    pump = Item(type="pump", at=(40, 40), label="P-1", bind={"rotation": "90"})
    view.show_screen(Screen(title="One", size=(300, 200), items=[pump]))
    assert [item.rotation() for item in view.items_] == [90.0]
    view.close_view()
    bridge.close()


def test_a_changing_item_repaints_itself_and_not_its_neighbours(qtbot, monkeypatch):
    """A dense screen of narrow displays and bars: one tag changes, one item is painted again."""
    view, table, bridge = view_on_demo_tags(qtbot)
    names = [n for n, tag in sorted(view.ctx.tags.items()) if tag.units][:12]
    items = []
    for i, name in enumerate(names):
        x, y = (i % 4) * 120, (i // 4) * 44
        if i % 2:
            items.append(Bar(type="bar", at=(x + 18, y + 14), size=(24, 14), bind={"value": name}))
        else:
            items.append(Item(type="value", at=(x + 4, y), size=(100, 24), label="PV", bind={"value": name}))
    painted = []
    for cls in (BarItem, ValueItem):
        monkeypatch.setattr(
            cls, "paint", lambda item, *args, _paint=cls.paint: painted.append(item) or _paint(item, *args)
        )
    view.resize(640, 200)
    view.show()
    for name in names:
        table.update(name, Sample(1.0, Quality.GOOD, time.time()))
    view.show_screen(Screen(title="Dense", size=(480, 132), items=items))
    bridge.flush()
    qtbot.waitExposed(view)
    qtbot.waitUntil(lambda: len(painted) >= len(items), timeout=5000)  # the whole screen, once
    QApplication.processEvents()
    for index in (5, 6):  # a bar and a display in the middle of the grid
        painted.clear()
        table.update(names[index], Sample(2.0, Quality.GOOD, time.time()))
        bridge.flush()
        qtbot.waitUntil(lambda: len(painted) > 0, timeout=5000)
        QApplication.processEvents()
        assert painted == [view.items_[index]]
    view.close_view()
    bridge.close()


def test_a_narrow_display_lays_out_label_box_and_units_inside_its_size(qtbot):
    view, table, bridge = view_on_demo_tags(qtbot)
    item = Item(type="value", at=(0, 0), size=(100, 24), label="PV", bind={"value": TAG}, format=".1f")
    view.show_screen(Screen(title="One", size=(200, 60), items=[item]))
    (display,) = view.items_
    box = display.box()
    assert display.body.width() == 100
    assert box.width() >= display.MIN_BOX and box.left() > 0, "room for the label left of the box"
    assert box.right() < 100 - 8, "room for the units right of the box"
    wide = Item(type="value", at=(0, 0), label="PV", bind={"value": TAG})
    view.show_screen(Screen(title="One", size=(300, 60), items=[wide]))
    assert view.items_[0].box().left() == display.LABEL_W, "without a size, displays keep their columns"
    view.close_view()
    bridge.close()


def painted_outside(item: ScreenItem, margin: int = 40) -> int:
    """Pixels the item paints outside its bounding rect: Qt never clears them, they stay as stale marks."""
    rect = item.boundingRect()
    w, h = int(rect.width()) + 2 * margin, int(rect.height()) + 2 * margin
    image = QImage(w, h, QImage.Format.Format_ARGB32)
    image.fill(QColor("#ffffff"))
    p = QPainter(image)
    p.translate(-rect.left() + margin, -rect.top() + margin)
    item.paint(p, QStyleOptionGraphicsItem(), None)
    p.end()
    pixels = np.frombuffer(image.constBits(), np.uint8, count=image.sizeInBytes())
    ink = (pixels.reshape(h, image.bytesPerLine() // 4, 4)[:, :w, :3] < 235).any(axis=2)
    inside = (
        slice(margin - 1, margin + int(rect.height()) + 2),
        slice(margin - 1, margin + int(rect.width()) + 2),
    )
    ink[inside] = False  # a pixel of antialiased fringe on the edge is still repainted by Qt
    return int(ink.sum())


def alarming_value(tag: Tag) -> object:
    """A value beyond the tag's highest (or lowest) limit, or its discrete alarm state."""
    alarms = tag.alarms
    high = [a.limit for a in (alarms.hi, alarms.hihi) if a is not None]
    low = [a.limit for a in (alarms.lo, alarms.lolo) if a is not None]
    if high:
        return max(high) + 1
    if low:
        return min(low) - 1
    return alarms.discrete.state if alarms.discrete is not None else None


@pytest.fixture(params=[1.0, max(theme.ZOOMS)], ids=["100%", "largest text"])
def zoom(request):
    theme.set_zoom(request.param)
    yield request.param
    theme.set_zoom(1.0)


@pytest.mark.parametrize("screen_name", sorted(load_project(DEMO_PROJECT).screens))
def test_every_item_paints_inside_its_bounds_bad_or_in_alarm(qtbot, screen_name: str, zoom: float):
    """What an item paints outside its bounds is never repainted: a '?' left on a pipe after the value
    came back Good, an alarm marker's corner left on the neighbour; at any text zoom."""
    folder = load_project(DEMO_PROJECT)
    table = TagTable(folder.tags)
    engine = AlarmEngine({t.name: t.alarms for t in folder.project.tags}, folder.project.alarm_settings)
    engine.attach(table)
    bridge = TagBridge(table)
    index = AlarmIndex(engine)
    view = ScreenView(bridge, context(folder, table, alarms=index))
    qtbot.addWidget(view)
    view.show_screen(folder.screens[screen_name])
    for item in view.items_:  # not connected yet: every bound item is Bad
        item.refresh()
        assert painted_outside(item) == 0, f"{screen_name}: {item.model.type} {item.model.label!r} while Bad"
    now = time.time()
    for tag in folder.project.tags:  # every alarm of every tag raised at once
        value = alarming_value(tag)
        if value is not None:
            table.update(tag.name, Sample(value, Quality.GOOD, now))
    qtbot.waitUntil(lambda: any(item.alarm is not None for item in view.items_), timeout=3000)
    for item in view.items_:
        item.refresh()
        for phase in (True, False):
            view.ctx.blinker.on = phase
            assert painted_outside(item) == 0, (
                f"{screen_name}: {item.model.type} {item.model.label!r} in alarm"
            )
    view.close_view()
    index.close()
    bridge.close()
