"""The engine's one way to tell observers: an `Event` per thing that happens (a tag changed, a
connection's state, an alarm, a login), each listener isolated from the others.

A listener that raises is logged and skipped: it never stops the listeners after it, nor the code
that emitted (a connection task, the alarm engine). Emitting costs one loop over a tuple, because the
tag table emits on every data change.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Generic, TypeVarTuple, Unpack

log = logging.getLogger(__name__)

Args = TypeVarTuple("Args")


class Event(Generic[*Args]):
    """Listeners of one kind of news, called in the order they connected."""

    def __init__(self, what: str):
        self.what = what
        """Named in the log when a listener fails, e.g. 'tag change'."""
        self._listeners: tuple[Callable[[Unpack[Args]], object], ...] = ()

    def connect(self, listener: Callable[[Unpack[Args]], object]) -> Callable[[], None]:
        """Call `listener` on every emit; returns the function that disconnects it (safe to call twice)."""
        self._listeners = (*self._listeners, listener)

        def disconnect() -> None:
            listeners = list(self._listeners)
            if listener in listeners:
                listeners.remove(listener)
                self._listeners = tuple(listeners)

        return disconnect

    def emit(self, *args: *Args) -> None:
        # A listener connected or disconnected during the emit takes effect from the next one.
        for listener in self._listeners:
            try:
                listener(*args)
            except Exception:
                log.exception("%s listener %r failed", self.what, listener)

    def __len__(self) -> int:
        return len(self._listeners)
