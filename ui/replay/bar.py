"""The replay band above the screen: an unmistakable REPLAY mark with the moment shown, the way back to
live, play at 1x-60x, a date/time to jump to and a time slider with the shift notes on it."""

from __future__ import annotations

import bisect
from datetime import datetime

from PySide6.QtCore import QDateTime, QEvent, QPoint, QRect, Qt, Signal
from PySide6.QtGui import QColor, QHelpEvent, QPainter, QPaintEvent, QPolygon, QResizeEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSlider,
    QStyle,
    QStyleOptionSlider,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from hmi.logbook import ShiftNote

from .. import theme
from .player import SPEEDS

BAND = "#434b57"
"""The replay colour: a dark slate, no alarm's colour, plain against both themes' greys."""
NOTE_MARK = QColor("#ffffff")
NOTE_SHOWN_S = 15 * 60
"""A note shows in the band while the replayed moment is this long after it."""
SPANS = ((1, 3600), (8, 8 * 3600), (24, 24 * 3600))
"""The slider's span choices: hours and seconds."""
PICK_PX = 5


def band_style() -> str:
    z = theme.zoom
    return f"""
#ReplayBar {{ background: {BAND}; }}
#ReplayBar QLabel {{ color: #ffffff; background: transparent; }}
#ReplayBar QLabel#ReplayMark {{ font-size: {13 * z:g}pt; font-weight: bold; border: 2px solid #ffffff;
    padding: 1px 10px; }}
#ReplayBar QLabel#ReplayTime {{ font-size: {13 * z:g}pt; font-weight: bold; padding: 0 8px; }}
#ReplayBar QPushButton, #ReplayBar QComboBox, #ReplayBar QDateTimeEdit {{ color: #141414;
    background: #e4e4e4; border: 1px solid #2c323a; border-radius: 2px; padding: 3px 10px; }}
#ReplayBar QComboBox QAbstractItemView {{ color: #141414; background: #e4e4e4; }}
#ReplayBar QPushButton#LiveButton {{ font-weight: bold; background: #ffffff; }}
#ReplayBar QSlider::groove:horizontal {{ height: 6px; background: #8a929c; border-radius: 3px; }}
#ReplayBar QSlider::sub-page:horizontal {{ background: #c8ccd2; border-radius: 3px; }}
#ReplayBar QSlider::handle:horizontal {{ background: #ffffff; border: 1px solid #1f242a; width: 12px;
    margin: -7px 0; border-radius: 2px; }}
#ReplayFrame {{ border: 4px solid {BAND}; }}
"""


def clock_text(t: float) -> str:
    return QDateTime.fromMSecsSinceEpoch(int(t * 1000)).toString("ddd yyyy-MM-dd  HH:mm:ss")


class Timeline(QSlider):
    """A slider over [start, start + span] in seconds, the notes of that span marked above the groove,
    each note's text as the tooltip of its mark."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.start = 0.0
        self.notes: list[ShiftNote] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumHeight(30)

    def set_span(self, start: float, seconds: int) -> None:
        self.blockSignals(True)
        self.start = start
        self.setRange(0, seconds)
        self.setPageStep(max(60, seconds // 24))
        self.setSingleStep(10)
        self.blockSignals(False)
        self.update()

    def time(self) -> float:
        return self.start + self.value()

    def show_time(self, t: float) -> None:
        """Move the handle to `t` without asking for it (the player reached it)."""
        if not self.isSliderDown():
            self.blockSignals(True)
            self.setValue(round(t - self.start))
            self.blockSignals(False)

    def x_of(self, t: float) -> int:
        option = QStyleOptionSlider()
        self.initStyleOption(option)
        groove = self.style().subControlRect(
            QStyle.ComplexControl.CC_Slider, option, QStyle.SubControl.SC_SliderGroove, self
        )
        handle = self.style().subControlRect(
            QStyle.ComplexControl.CC_Slider, option, QStyle.SubControl.SC_SliderHandle, self
        )
        left, width = groove.left() + handle.width() // 2, groove.width() - handle.width()
        span = max(self.maximum(), 1)
        return left + round(width * min(max((t - self.start) / span, 0.0), 1.0))

    def notes_near(self, x: int) -> list[ShiftNote]:
        return [n for n in self.notes if abs(self.x_of(n.at) - x) <= PICK_PX and self._inside(n)]

    def _inside(self, note: ShiftNote) -> bool:
        return self.start <= note.at <= self.start + self.maximum()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(NOTE_MARK)
        for note in self.notes:
            if self._inside(note):
                x = self.x_of(note.at)
                p.drawPolygon(QPolygon([QPoint(x - 4, 0), QPoint(x + 4, 0), QPoint(x, 7)]))

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            near = self.notes_near(event.pos().x())
            if near:
                QToolTip.showText(event.globalPos(), "\n\n".join(map(note_text, near)), self, QRect())
                return True
        return super().event(event)


def note_text(note: ShiftNote) -> str:
    where = " · ".join(part for part in (note.screen, note.tag) if part)
    head = f"{datetime.fromtimestamp(note.at):%H:%M}  {note.author}" + (f" · {where}" if where else "")
    return f"{head}: {note.text}"


class ReplayBar(QFrame):
    """The band; it only shows and asks: ReplayMode moves the player."""

    live = Signal()
    seek = Signal(float)
    play = Signal(bool)
    speed = Signal(int)
    span = Signal(int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("ReplayBar")
        self.setStyleSheet(band_style())
        self.mark = QLabel(self.tr("REPLAY"))
        self.mark.setObjectName("ReplayMark")
        self.moment = QLabel()
        self.moment.setObjectName("ReplayTime")
        self.state = QLabel()
        tip = self.tr(
            "The screens below show history. The alarm banner above stays live: new alarms still show there."
        )
        self.mark.setToolTip(tip)
        self.state.setToolTip(tip)
        self.note = QLabel()
        self.note.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.live_button = QPushButton(self.tr("Back to live"))
        self.live_button.setObjectName("LiveButton")
        self.live_button.setToolTip(
            self.tr("Leave the replay: the screens show the plant as it is now (Esc)")
        )
        self.live_button.setShortcut(Qt.Key.Key_Escape)
        self.live_button.clicked.connect(self.live)
        top = QHBoxLayout()
        top.setContentsMargins(8, 4, 8, 0)
        for widget in (self.mark, self.moment, self.state):
            top.addWidget(widget)
        top.addSpacing(16)
        top.addWidget(self.note, 1)
        top.addWidget(self.live_button)

        self.play_button = QPushButton(self.tr("Play"))
        self.play_button.setCheckable(True)
        self.play_button.toggled.connect(self.play)
        self.speeds = QComboBox()
        for factor in SPEEDS:
            self.speeds.addItem(self.tr("%1x").replace("%1", str(factor)), factor)
        self.speeds.setToolTip(self.tr("Playing speed: replayed seconds per second"))
        self.speeds.currentIndexChanged.connect(lambda i: self.speed.emit(self.speeds.itemData(i)))
        self.jump = QDateTimeEdit(calendarPopup=True, displayFormat="yyyy-MM-dd HH:mm:ss")
        self.jump.setToolTip(self.tr("Go to this moment (Enter)"))
        self.jump.editingFinished.connect(self._jumped)
        self._shown_ms = 0
        """The moment last written into `jump`: leaving the field unchanged is no jump."""
        self.timeline = Timeline()
        self.timeline.setToolTip(self.tr("Drag to any moment; the marks are shift notes"))
        self.timeline.valueChanged.connect(lambda _value: self.seek.emit(self.timeline.time()))
        self.first, self.last = QLabel(), QLabel()
        self.spans = QComboBox()
        for hours, seconds in SPANS:
            self.spans.addItem(self.tr("%n h", "", hours), seconds)
        self.spans.setCurrentIndex(len(SPANS) - 1)
        self.spans.setToolTip(self.tr("How much time the slider covers"))
        self.spans.currentIndexChanged.connect(lambda i: self.span.emit(self.spans.itemData(i)))
        bottom = QHBoxLayout()
        bottom.setContentsMargins(8, 2, 8, 6)
        for widget in (self.play_button, self.speeds, self.jump, self.first):
            bottom.addWidget(widget)
        bottom.addWidget(self.timeline, 1)
        bottom.addWidget(self.last)
        bottom.addWidget(self.spans)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(top)
        layout.addLayout(bottom)

    def set_span(self, start: float, seconds: int) -> None:
        self.timeline.set_span(start, seconds)
        self.first.setText(clock_text(start)[4:-3])
        self.last.setText(clock_text(start + seconds)[4:-3])

    def set_notes(self, notes: list[ShiftNote]) -> None:
        self.timeline.notes = notes
        self.timeline.update()

    def show_time(self, t: float, playing: bool) -> None:
        """The moment now on the screens, and the newest note about the quarter hour before it."""
        self.moment.setText(clock_text(t))
        self.state.setText(
            self.tr("history, not live · playing") if playing else self.tr("history, not live · paused")
        )
        self.timeline.show_time(t)
        if not self.jump.hasFocus():
            self.jump.setDateTime(QDateTime.fromMSecsSinceEpoch(int(t * 1000)))
            self._shown_ms = self.jump.dateTime().toMSecsSinceEpoch()
        notes = self.timeline.notes
        i = bisect.bisect_right([n.at for n in notes], t)
        recent = notes[i - 1] if i and t - notes[i - 1].at <= NOTE_SHOWN_S else None
        self.note.setToolTip(self.tr("Note %1").replace("%1", note_text(recent)) if recent else "")
        self._elide()

    def _elide(self) -> None:
        """The note in one line, cut to the room there is (its tooltip has it whole)."""
        metrics = self.note.fontMetrics()
        self.note.setText(
            metrics.elidedText(self.note.toolTip(), Qt.TextElideMode.ElideRight, self.note.width())
        )

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def _jumped(self) -> None:
        chosen = self.jump.dateTime().toMSecsSinceEpoch()
        if chosen != self._shown_ms:
            self.seek.emit(chosen / 1000)

    def set_playing(self, on: bool) -> None:
        self.play_button.blockSignals(True)
        self.play_button.setChecked(on)
        self.play_button.blockSignals(False)
        self.play_button.setText(self.tr("Pause") if on else self.tr("Play"))
