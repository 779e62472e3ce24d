"""What screen items need from their surroundings: live values, tag facts, alarms, and where clicks go."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QMargins, QObject, QRect, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

from hmi.alarms import AlarmEngine
from hmi.alarms.model import Alarm, AlarmState
from hmi.diagnostics.monitor import DiagnosticsMonitor
from hmi.project.model import Action, Item, Tag, Template
from hmi.tags import TagTable

from ..blink import Blinker, shared_blinker
from ..bridge import FRAME_MS, TagBridge
from .backfill import Backfill

if TYPE_CHECKING:
    from hmi.runtime import Runtime

    from ..logbook.dialog import NoteOpener

log = logging.getLogger(__name__)

SHOWN_STATES = frozenset({AlarmState.UNACK_ACTIVE, AlarmState.ACK_ACTIVE, AlarmState.RTN_UNACK})
"""Alarm states drawn on a screen; shelved, suppressed and out-of-service alarms are not."""


def _frame_margins(window: QWidget | None) -> QMargins:
    """The window manager's frame around a window, as it is around `window` (a faceplate's own frame is
    only known once it is shown)."""
    if window is None or not window.isWindow():
        return QMargins()
    outer, inner = window.frameGeometry(), window.geometry()
    return QMargins(
        inner.left() - outer.left(),
        inner.top() - outer.top(),
        outer.right() - inner.right(),
        outer.bottom() - inner.bottom(),
    )


class AlarmIndex(QObject):
    """The alarm engine by tag: the most urgent shown alarm of each tag, changes announced once a frame."""

    changed = Signal(set)

    def __init__(self, engine: AlarmEngine, parent: QObject | None = None):
        super().__init__(parent)
        self._by_tag: dict[str, dict[str, Alarm]] = defaultdict(dict)
        self._dirty: set[str] = set()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(FRAME_MS)
        self._timer.timeout.connect(self._flush)
        for alarm in engine.alarms():
            self._store(alarm)
        self._unsubscribe = engine.subscribe(self._on_alarm)

    def close(self) -> None:
        self._unsubscribe()
        self._timer.stop()

    def alarm_for(self, tag: str) -> Alarm | None:
        """Active before returned-to-normal, then by priority: what the item's marker shows."""
        alarms = self._by_tag.get(tag)
        if not alarms:
            return None
        return min(alarms.values(), key=lambda a: (not a.active, a.priority.number))

    def _store(self, alarm: Alarm) -> None:
        if alarm.state in SHOWN_STATES:
            self._by_tag[alarm.tag][alarm.id] = alarm
        else:
            self._by_tag[alarm.tag].pop(alarm.id, None)

    def _on_alarm(self, alarm: Alarm) -> None:
        self._store(alarm)
        self._dirty.add(alarm.tag)
        if not self._timer.isActive():
            self._timer.start()

    def _flush(self) -> None:
        dirty, self._dirty = self._dirty, set()
        self.changed.emit(dirty)


@dataclass
class ItemContext:
    """Shared by every item of every screen view of one runtime."""

    table: TagTable
    tags: Mapping[str, Tag]
    act: Callable[[Item, Action], None]
    alarms: AlarmIndex | None = None
    trend: Callable[[str], None] | None = None
    """Opens a trend of one tag (the context menu's 'Trend'); None hides that entry."""
    templates: Mapping[str, Template] = field(default_factory=dict)
    root: Path | None = None
    """Project folder: image sources are read from inside it only."""
    bridge: TagBridge | None = None
    blinker: Blinker = field(default_factory=shared_blinker)
    popups: dict[Any, QWidget] = field(default_factory=dict)
    keep_clear: Callable[[], QRect | None] | None = None
    """Where faceplates never open, in global coordinates: the main window's alarm banner."""
    refused: Callable[[Action | None], str | None] = lambda _action: None
    """Why the user may not do a click's action now (the item shows it disabled), or None."""
    backfill: Backfill | None = None
    """Recent history for sparklines, so they start full on every screen change."""
    note: NoteOpener | None = None
    """Opens a shift note on a tag (the context menu's 'Shift note'); None hides that entry."""
    diagnostics: DiagnosticsMonitor | None = None
    """The health models whose state health items show."""

    @classmethod
    def for_runtime(
        cls,
        runtime: Runtime,
        bridge: TagBridge,
        act: Callable[[Item, Action], None],
        trend: Callable[[str], None] | None = None,
        refused: Callable[[Action | None], str | None] = lambda _action: None,
    ) -> ItemContext:
        folder = runtime.folder
        return cls(
            runtime.table,
            runtime.tags,
            act,
            alarms=AlarmIndex(runtime.alarms, bridge),
            trend=trend,
            templates=folder.templates,
            root=folder.root,
            bridge=bridge,
            refused=refused,
            backfill=Backfill(runtime.storage, bridge),
            diagnostics=runtime.diagnostics,
        )

    def alarm_for(self, tag: str) -> Alarm | None:
        return self.alarms.alarm_for(tag) if self.alarms is not None else None

    def popup(
        self,
        template: str,
        args: Mapping[str, str],
        parent: QWidget | None = None,
        beside: QRect | None = None,
    ) -> QWidget | None:
        """Open (or raise) the faceplate of a template with these arguments; a new one opens `beside` the
        object clicked (global coordinates), never over the alarm banner."""
        from .window import FaceplateWindow, place_beside  # the window shows items, which need this module

        if template not in self.templates or self.bridge is None:
            log.warning("cannot open faceplate %s: no templates or tag bridge in this context", template)
            return None
        key = (template, tuple(sorted(args.items())))
        window = self.popups.get(key)
        if window is None:
            window = FaceplateWindow(template, dict(args), self, parent)
            window.destroyed.connect(lambda *_: self.popups.pop(key, None))
            self.popups[key] = window
            if beside is not None:
                screen = QGuiApplication.screenAt(beside.center()) or QGuiApplication.primaryScreen()
                keep_clear = self.keep_clear() if self.keep_clear is not None else None
                frame = _frame_margins(parent)
                size = window.size().grownBy(frame)
                at = place_beside(size, beside, screen.availableGeometry(), keep_clear)
                window.move(at)
        window.show()
        window.raise_()
        window.activateWindow()
        return window

    def close(self) -> None:
        for window in list(self.popups.values()):
            window.close()
        if self.alarms is not None:
            self.alarms.close()
        if self.backfill is not None:
            self.backfill.close()
