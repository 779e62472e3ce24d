"""Drawing helpers every symbol shares: pens, fills, text, limit marks, alarm and bad-quality markers."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from PySide6.QtCore import QCoreApplication, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFontMetricsF, QGlyphRun, QPainter, QPen, QPolygonF, QTextLayout

from hmi.alarms.model import Alarm, AlarmState
from hmi.project.model import Tag

from ... import theme

CENTER = Qt.AlignmentFlag.AlignCenter
LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
TOP = Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop
MARKER = 16.0
NO_PEN, NO_BRUSH = QPen(Qt.PenStyle.NoPen), QBrush()
"""Objects, not enum members: PySide converts an enum argument through Python on every call."""
NORMAL_BAND = theme.NORMAL_BAND  # the theme changes it in place
"""The normal operating range behind an analog value: a shade darker than the panel."""
LIMIT_LETTERS = {"lolo": "LL", "lo": "L", "hi": "H", "hihi": "HH"}


def tr(words: str) -> str:
    """Symbol words (FAULT, No alarm) in the operator's language."""
    return QCoreApplication.translate("Symbols", words)


def outline(width: float = 2.0, colour: QColor = theme.OUTLINE) -> QPen:
    return QPen(colour, width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.FlatCap, Qt.PenJoinStyle.MiterJoin)


def bad_brush() -> QBrush:
    """Hatched magenta: a fill that cannot be mistaken for a live value."""
    return QBrush(theme.BAD_QUALITY, Qt.BrushStyle.BDiagPattern)


def equipment_brush(on: bool, bad: bool, accent: QColor | None = None) -> QBrush:
    """ISA-101 state by fill: dark when on, hollow when off; hatched when the state is unknown."""
    if bad:
        return bad_brush()
    if accent is not None:
        return QBrush(accent)
    return QBrush(theme.EQUIPMENT_ON if on else theme.PANEL)


def text(
    p: QPainter,
    box: QRectF,
    words: str,
    size: float = 9,
    colour: QColor = theme.TEXT,
    align: Qt.AlignmentFlag = CENTER,
    bold: bool = False,
) -> None:
    """Words aligned in a box (not clipped to it)."""
    if words:
        Words(box, words, size, align, bold).draw(p, colour)


class Words:
    """Text shaped and placed in its box once, then drawn as often as needed in any colour.

    Screens draw the same words every frame (labels, units, a value until it changes); shaping is two
    thirds of QPainter.drawText's cost and each call into Qt costs as much again, so items keep theirs.
    """

    __slots__ = ("at", "runs", "box", "words", "size", "align", "bold")

    def __init__(
        self, box: QRectF, words: str, size: float = 9, align: Qt.AlignmentFlag = CENTER, bold: bool = False
    ):
        self.box, self.words, self.size, self.align, self.bold = box, words, size, align, bold
        if "\n" in words:  # several lines: QPainter lays them out, each aligned on its own
            self.runs: tuple[QGlyphRun, ...] | None = None
            return
        self.runs, w, h = _shaped(words, size, bold)
        fx, fy = _PLACES.get(align) or _place(align)
        self.at = QPointF(box.left() + (box.width() - w) * fx, box.top() + (box.height() - h) * fy)

    def draw(self, p: QPainter, colour: QColor | None) -> None:
        """In `colour`, or None: in the painter's pen as it is."""
        if colour is not None:
            p.setPen(colour)
        if self.runs is None:
            p.setFont(theme.font(self.size, bold=self.bold))
            p.drawText(self.box, self.align, self.words)
            return
        for run in self.runs:
            p.drawGlyphRun(self.at, run)


@lru_cache(maxsize=16384)
def placed(
    words: str, size: float, align: Qt.AlignmentFlag, bold: bool, box: tuple[float, float, float, float]
) -> Words:
    """Words placed in a box (x, y, width, height), shared by all items that show the same words in the
    same spot of their own coordinates: on a screen of like displays a new value is a lookup."""
    return Words(QRectF(*box), words, size, align, bold)


_PLACES: dict[Qt.AlignmentFlag, tuple[float, float]] = {}
"""Where an alignment puts text in its box, as fractions of the room left (x, y); flag tests are slow."""


def _place(align: Qt.AlignmentFlag) -> tuple[float, float]:
    flag = Qt.AlignmentFlag
    fx = 1.0 if align & flag.AlignRight else 0.5 if align & flag.AlignHCenter else 0.0
    fy = 0.0 if align & flag.AlignTop else 1.0 if align & flag.AlignBottom else 0.5
    _PLACES[align] = fx, fy
    return fx, fy


@lru_cache(maxsize=8192)
def _shaped(words: str, size: float, bold: bool) -> tuple[tuple[QGlyphRun, ...], float, float]:
    """Glyphs, width and height of one line, shared by every item that shows the same words."""
    layout = QTextLayout(words, theme.font(size, bold=bold))
    layout.beginLayout()
    line = layout.createLine()
    layout.endLayout()
    return tuple(layout.glyphRuns()), line.naturalTextWidth(), line.height()


def width(words: str, size: float, bold: bool = False) -> float:
    """Width of the words in the theme font: boxes are sized to their text, never clipping it."""
    return QFontMetricsF(theme.font(size, bold=bold)).horizontalAdvance(words)


def elided(words: str, size: float, room: float, bold: bool = False) -> str:
    """The words cut to fit `room` with an ellipsis: text never runs out of its box."""
    return QFontMetricsF(theme.font(size, bold=bold)).elidedText(words, Qt.TextElideMode.ElideRight, room)


def line_height(size: float, bold: bool = False) -> float:
    """Height of one line of text: the boxes that hold text grow with the station's text zoom."""
    return QFontMetricsF(theme.font(size, bold=bold)).height()


def caption_box(r: QRectF, below: bool = True) -> QRectF:
    """Where an equipment tag goes under (or over) its symbol."""
    h = line_height(theme.pt("caption"), bold=True) + 2
    return QRectF(r.left() - 40, r.bottom() + 6 if below else r.top() - 4 - h, r.width() + 80, h)


def caption(p: QPainter, r: QRectF, words: str, below: bool = True) -> None:
    """An equipment tag such as P-101, centred under (or over) its symbol."""
    if words:
        text(p, caption_box(r, below), words, theme.pt("caption"), theme.TEXT_DIM, TOP, bold=True)


def alarm_limits(tag: Tag | None) -> dict[str, float]:
    """The tag's limit alarms by kind (hihi, hi, lo, lolo), to mark on bars, tanks and gauges."""
    if tag is None:
        return {}
    found = {}
    for kind in LIMIT_LETTERS:
        definition = getattr(tag.alarms, kind, None)
        if definition is not None and definition.enabled:
            found[kind] = definition.limit
    return found


def normal_range(limits: dict[str, float]) -> tuple[float | None, float | None]:
    """Between the inner low and high alarm limits: the band an operator expects the value in."""
    low = limits.get("lo", limits.get("lolo"))
    high = limits.get("hi", limits.get("hihi"))
    return low, high


def limit_tick(p: QPainter, a: QPointF, b: QPointF, kind: str, label_at: QPointF | None = None) -> None:
    """A limit line; HH/LL thicker than H/L, and its letters where there is room."""
    p.setPen(QPen(theme.TEXT, 2.5 if kind in ("hihi", "lolo") else 1.5))
    p.drawLine(a, b)
    if label_at is not None:
        box = QRectF(label_at.x(), label_at.y() - 7, 22, 14)
        text(p, box, LIMIT_LETTERS[kind], theme.pt("small"), theme.TEXT_DIM, LEFT, bold=True)


def draw_alarm_marker(p: QPainter, at: QPointF, priority: int) -> None:
    """ISA-101 priority marker: colour paired with a shape and a number (1 square, 2 triangle, ...)."""
    p.setPen(QPen(QColor("#202020"), 1))
    p.setBrush(QBrush(theme.ALARM[priority]))
    box = QRectF(at.x(), at.y(), MARKER, MARKER)
    c = box.center()
    if priority == 1:
        p.drawRect(box)
    elif priority == 2:
        p.drawPolygon(QPolygonF([QPointF(c.x(), box.top()), box.bottomRight(), box.bottomLeft()]))
    elif priority == 3:
        diamond = [
            QPointF(c.x(), box.top()),
            QPointF(box.right(), c.y()),
            QPointF(c.x(), box.bottom()),
            QPointF(box.left(), c.y()),
        ]
        p.drawPolygon(QPolygonF(diamond))
    else:
        p.drawEllipse(box)
    colour = QColor("#ffffff") if priority in (1, 4) else QColor("#000000")
    text(p, box.adjusted(0, 2 if priority == 2 else 0, 0, 0), str(priority), 8, colour, CENTER, True)


def marker_spot(r: QRectF) -> QPointF:
    """Where a priority marker goes by default: above the top right corner of what it marks."""
    return QPointF(r.right() + 6, r.top() - MARKER - 2)


def draw_alarm_look(p: QPainter, r: QRectF, alarm: Alarm, phase_on: bool, marker: QPointF) -> None:
    """Priority-coloured frame and marker, dimmed once back to normal.

    While unacknowledged the frame blinks; the marker, whose shape says the priority, stays."""
    p.save()
    if alarm.state is AlarmState.RTN_UNACK:
        p.setOpacity(0.45)
    if phase_on or not alarm.blinking:
        p.setPen(QPen(theme.ALARM[alarm.priority.number], 2.5))
        p.setBrush(NO_BRUSH)
        p.drawRect(r.adjusted(-4, -4, 4, 4))
    draw_alarm_marker(p, marker, alarm.priority.number)
    p.restore()


def draw_bad_marker(p: QPainter, r: QRectF, inside: bool = False) -> None:
    """Magenta dashed frame and '?' so untrustworthy values are obvious (also to the colour-blind).

    The '?' goes inside a value box (its text is right-aligned), else outside the top-left corner.
    """
    p.setPen(QPen(theme.BAD_QUALITY, 2, Qt.PenStyle.DashLine))
    p.setBrush(NO_BRUSH)
    p.drawRect(r.adjusted(-2, -2, 2, 2))
    box = (
        QRectF(r.left() + 1, r.top(), 14, r.height())
        if inside
        else QRectF(r.left() - 16, r.top() - 2, 14, 16)
    )
    text(p, box, "?", 10, theme.BAD_QUALITY, CENTER, True)


def polyline(points: Iterable[tuple[float, float]]) -> QPolygonF:
    return QPolygonF([QPointF(x, y) for x, y in points])
