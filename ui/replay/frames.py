"""What a replay shows at a moment: each tag's value then, and each alarm's state then.

Runs on the history worker thread (see ui/trends/loader.py): plain Python over the historian's reader
and a read connection of its own to the alarm journal, no Qt.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path

from hmi.alarms.journal import COLUMNS, TABLE, JournalEntry, entry_from_row
from hmi.alarms.model import Alarm, AlarmState
from hmi.alarms.settings import AlarmKind, Priority
from hmi.history import HistoryReader
from hmi.history.query import RawSample

ACKED_STATES = frozenset({AlarmState.NORMAL, AlarmState.ACK_ACTIVE})
_LAST_CHANGE = (
    f"SELECT {COLUMNS} FROM {TABLE} WHERE alarm_id = ? AND ts <= ? ORDER BY ts DESC, id DESC LIMIT 1"
)


@dataclass(frozen=True)
class Frame:
    """The plant at `t` as history has it: the last sample of each tag (None: no history by then), the
    state of each alarm that had changed by then, and how long the worker took (ms)."""

    t: float
    samples: dict[str, RawSample | None]
    alarms: list[Alarm] = field(default_factory=list)
    work_ms: float = 0.0


class FrameSource:
    """Reads frames from a history file and the alarm journal beside it; one thread at a time."""

    def __init__(self, journal_path: Path):
        self.journal_path = Path(journal_path)
        self._journal: sqlite3.Connection | None = None
        self._ids: list[str] = []
        self._ids_until = -1.0
        """The alarm ids are those journaled up to this time: later moments read them again."""

    def frame(self, reader: HistoryReader | None, tags: list[str], t: float) -> Frame:
        started = time.perf_counter()
        samples = {tag: reader.value_at(tag, t) if reader is not None else None for tag in tags}
        alarms = self.alarms_at(t)
        return Frame(t, samples, alarms, (time.perf_counter() - started) * 1000)

    def alarms_at(self, t: float) -> list[Alarm]:
        """Each alarm as its last journal row before `t` left it (indexed by alarm id and time)."""
        journal = self._connect()
        if journal is None:
            return []
        if t > self._ids_until:
            self._ids_until = time.time()
            self._ids = [i for (i,) in journal.execute(f"SELECT DISTINCT alarm_id FROM {TABLE}")]
        found = []
        for alarm_id in self._ids:
            row = journal.execute(_LAST_CHANGE, (alarm_id, t)).fetchone()
            if row is not None:
                alarm = _alarm(entry_from_row(row))
                if alarm is not None:
                    found.append(alarm)
        return found

    def close(self) -> None:
        if self._journal is not None:
            self._journal.close()
            self._journal = None

    def _connect(self) -> sqlite3.Connection | None:
        if self._journal is None and self.journal_path.is_file():
            uri = f"{self.journal_path.resolve().as_uri()}?mode=ro"
            journal = sqlite3.connect(uri, uri=True, check_same_thread=False, timeout=5.0)
            exists = journal.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (TABLE,)).fetchone()
            if exists is None:  # no alarm has been journaled yet: ask again next time
                journal.close()
                return None
            self._journal = journal
        return self._journal


def _alarm(entry: JournalEntry) -> Alarm | None:
    """The alarm as a journal row left it; None for a row of a kind or state this version does not know."""
    try:
        state, kind, priority = AlarmState(entry.new_state), AlarmKind(entry.kind), Priority(entry.priority)
    except ValueError:
        return None
    return Alarm(
        id=entry.alarm_id,
        tag=entry.tag,
        kind=kind,
        priority=priority,
        state=state,
        active=entry.active,
        acked=state in ACKED_STATES,
        value=entry.value,
        limit=entry.limit,
        message=entry.message,
        raised_at=None,
        changed_at=entry.ts,
        shelved_until=None,
        chattering=False,
    )
