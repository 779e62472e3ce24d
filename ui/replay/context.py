"""The seam a replay plugs into: screen items read a tag table, an alarm index and recent history from
their ItemContext; a replay hands them ones filled from history, so the items themselves do not change."""

from __future__ import annotations

import dataclasses
import itertools
import weakref
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QObject, QRect, Signal
from PySide6.QtWidgets import QWidget

from hmi.alarms.model import Alarm

from ..bridge import TagBridge
from ..screens.backfill import Deliver
from ..screens.context import SHOWN_STATES, ItemContext
from ..trends.loader import HistoryLoader


class ReplayBridge(TagBridge):
    """A tag bridge over the replay's own table that can say which tags the open screens need."""

    def names(self) -> set[str]:
        return {name for name, callbacks in self._watchers.items() if callbacks}


class ReplayAlarms(QObject):
    """The AlarmIndex interface (`changed`, `alarm_for`) over the alarms of the replayed moment."""

    changed = Signal(set)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._by_tag: dict[str, list[Alarm]] = {}

    def alarm_for(self, tag: str) -> Alarm | None:
        """Active before returned-to-normal, then by priority, as on a live screen."""
        alarms = self._by_tag.get(tag)
        if not alarms:
            return None
        return min(alarms, key=lambda a: (not a.active, a.priority.number))

    def set_alarms(self, alarms: list[Alarm]) -> None:
        """The alarms as they stood at the new moment; items of the tags whose alarms differ repaint."""
        by_tag: dict[str, list[Alarm]] = {}
        for alarm in alarms:
            if alarm.state in SHOWN_STATES:
                by_tag.setdefault(alarm.tag, []).append(alarm)
        old, self._by_tag = self._by_tag, by_tag
        changed = {tag for tag in old.keys() | by_tag.keys() if _look(old.get(tag)) != _look(by_tag.get(tag))}
        if changed:
            self.changed.emit(changed)

    def close(self) -> None:
        self._by_tag = {}


def _look(alarms: list[Alarm] | None) -> object:
    return sorted((a.id, a.state, a.priority) for a in alarms or ())


class ReplayBackfill(QObject):
    """The Backfill interface for sparklines: the span before the replayed moment, moved in time so that
    it ends at the present, where a sparkline draws its newest point."""

    def __init__(self, loader: HistoryLoader, moment: Callable[[], float], parent: QObject | None = None):
        super().__init__(parent)
        self.loader = loader
        self.moment = moment
        self.loader.finished.connect(self._done)
        self._waiting: dict[str, tuple[weakref.WeakMethod, float]] = {}
        self._keys = (f"replay-backfill-{n}" for n in itertools.count(1))

    def request(self, tag: str, t0: float, t1: float, deliver: Deliver) -> None:
        shift = t1 - self.moment()
        key = next(self._keys)
        self._waiting[key] = (weakref.WeakMethod(deliver), shift)
        start, end = t0 - shift, t1 - shift
        self.loader.submit(key, lambda reader: reader.raw(tag, start, end) if reader else [], supersede=False)

    def close(self) -> None:
        self._waiting.clear()

    def _done(self, key: str, samples: object) -> None:
        ref, shift = self._waiting.pop(key, (None, 0.0))
        deliver = ref() if ref is not None else None
        if deliver is not None and isinstance(samples, list):
            deliver([(ts + shift, value, quality) for ts, value, quality in samples])


@dataclass
class ReplayContext(ItemContext):
    """An item context whose faceplates say they show history, and ask for the frame their tags need."""

    opened: Callable[[], None] = lambda: None

    @classmethod
    def over(cls, live: ItemContext, **changes: object) -> ReplayContext:
        """The live context with the replay's table, bridge, alarms, backfill and faceplates."""
        values = {f.name: getattr(live, f.name) for f in dataclasses.fields(ItemContext)}
        return cls(**{**values, "popups": {}, **changes})

    def popup(
        self,
        template: str,
        args: Mapping[str, str],
        parent: QWidget | None = None,
        beside: QRect | None = None,
    ) -> QWidget | None:
        window = super().popup(template, args, parent, beside)
        if window is not None and not window.property("replay"):
            window.setProperty("replay", True)
            title = QCoreApplication.translate("Replay", "REPLAY (history, not live): %1")
            window.setWindowTitle(title.replace("%1", window.windowTitle()))
            self.opened()
        return window
