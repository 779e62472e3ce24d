"""The shift logbook: notes operators leave for the next shift, tied to a time, a screen and a tag.

Notes live in the audit trail (action `shift_note`), so they share its tamper-evident chain and its
append-only rule: a correction is a new note. Each row holds the tag as its target, the text as its
new value, and as its reason the moment the note is about (and the screen), e.g.
`at 2024-05-01T03:12:00.000+02:00 on overview`: readable in the audit view, parsed back here.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from .errors import HmiError
from .permissions import explain
from .reports.schedule import next_time, previous_time
from .security.audit import AuditRow
from .security.service import Security
from .security.settings import Permission
from .storage.port import AuditLog, Storage

log = logging.getLogger(__name__)

ACTION = "shift_note"
MAX_TEXT = 4000
"""Characters a note may hold: a handover, not a report."""
FUTURE_S = 60.0
"""A note may be about a moment this far ahead of the clock (clocks of stations differ a little)."""
_REASON = re.compile(r"^at (?P<at>\S+)(?: on (?P<screen>.*?))?(?:; (?P<signed>signed by .*))?$", re.DOTALL)


class LogbookError(HmiError):
    """A note that cannot be kept as given (empty, too long, about the future)."""


@dataclass(frozen=True)
class ShiftNote:
    """One note: what the author wrote about the moment `at`, where (screen) and on what (tag)."""

    at: float
    text: str
    author: str
    screen: str = ""
    tag: str = ""
    written: float = 0.0
    """When it was written (the audit row's time); `at` may be earlier, e.g. a note about last night."""


Listener = Callable[[ShiftNote], None]


def reason_text(at: float, screen: str = "", signed: str = "") -> str:
    """The audit row's reason for a note about `at` on `screen`."""
    text = f"at {datetime.fromtimestamp(at).astimezone().isoformat(timespec='milliseconds')}"
    if screen:
        text += f" on {screen}"
    return f"{text}; {signed}" if signed else text


def note_of(row: AuditRow) -> ShiftNote | None:
    """The note an audit row holds; None for a row that is no readable note (logged: the chain keeps it)."""
    e = row.entry
    found = _REASON.match(e.reason) if e.action == ACTION else None
    try:
        at = datetime.fromisoformat(found["at"]).timestamp() if found else None
    except ValueError:
        at = None
    if found is None or at is None:
        log.warning("audit row %d is no readable shift note: %r", row.id, e.reason)
        return None
    return ShiftNote(at, e.new_value or "", e.user, found["screen"] or "", e.target, e.ts)


def read_notes(
    storage: Storage, start: float | None = None, end: float | None = None, tag: str = ""
) -> list[ShiftNote]:
    """Notes about moments in [start, end) (any when None), of `tag` if given, in the order of `at`,
    from the trail wherever the storage keeps it (the station's file or the site's database)."""
    notes = (note_of(row) for row in storage.audit_search(action=ACTION, limit=None))
    chosen = [
        n
        for n in notes
        if n is not None
        and (start is None or n.at >= start)
        and (end is None or n.at < end)
        and (not tag or n.tag == tag)
    ]
    chosen.sort(key=lambda n: (n.at, n.written))
    return chosen


def shift_of(at: float, schedule: Iterable[str]) -> tuple[float, float]:
    """The shift a moment belongs to: [the shift change at or before it, the next one)."""
    changes = list(schedule)
    start = previous_time(changes, at + 1e-3)
    return start, next_time(changes, start)


class Logbook:
    """Writes notes through the station's permission check into the audit trail; listeners hear each one
    (so views need not read the trail again, which commits on its own thread)."""

    def __init__(self, security: Security, audit: AuditLog, clock: Callable[[], float] = time.time):
        self.security = security
        self.audit = audit
        self.clock = clock
        self._listeners: list[Listener] = []

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """listener(note) hears every note written here; returns the function that removes it."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    def refused(self, actor: str) -> str | None:
        """Why `actor` may not write a note now (the engine's words), or None."""
        permission = Permission.WRITE_SHIFT_NOTE
        return explain(self.security.permits(permission, actor), permission, actor)

    def write(self, actor: str, text: str, at: float, screen: str = "", tag: str = "") -> ShiftNote:
        """Keep a note by `actor`; LogbookError for a note that cannot be kept, PermissionDenied (audited)
        for a user who may not write one."""
        text = text.strip()
        if not text:
            raise LogbookError("the note is empty: write what the next shift should know")
        if len(text) > MAX_TEXT:
            raise LogbookError(f"the note has {len(text)} characters; keep it to {MAX_TEXT}")
        now = self.clock()
        if at > now + FUTURE_S:
            raise LogbookError("a note cannot be about a time still to come")
        signed = self.security.require(Permission.WRITE_SHIFT_NOTE, actor, tag)
        reason = reason_text(at, screen, signed.note() if signed else "")
        self.audit.record(actor, ACTION, tag, new=text, reason=reason)
        note = ShiftNote(at, text, actor, screen, tag, now)
        for listener in list(self._listeners):
            try:
                listener(note)
            except Exception:
                log.exception("logbook listener %r failed", listener)
        return note
