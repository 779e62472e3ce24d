"""History queries off the Qt thread: one worker thread with its own reader of the project's history."""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThreadPool, Signal

from hmi.history import HistoryReader
from hmi.history.errors import NoHistory
from hmi.storage import Storage

log = logging.getLogger(__name__)

Job = Callable[[HistoryReader | None], Any]
"""A job gets the reader, or None while nothing was logged yet."""


class HistoryLoader(QObject):
    """Runs jobs against the history file one at a time on a worker thread.

    Results come back through the `finished` signal, queued to the Qt thread. A superseding job (a
    view range, a cursor time) is dropped, before it runs or after, once a newer one of its kind is
    submitted: only the latest matters. Other jobs (an export) always run and always report.
    """

    finished = Signal(str, object)
    """kind, result."""
    failed = Signal(str, str)
    """kind, message for the operator."""

    def __init__(self, storage: Storage, parent: QObject | None = None):
        super().__init__(parent)
        self.storage = storage
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)  # one read connection; leave the other core to Qt
        self._reader: HistoryReader | None = None
        self._latest: dict[str, int] = {}
        self._tokens = itertools.count(1)
        self._closed = False

    def submit(self, kind: str, job: Job, *, supersede: bool = True) -> None:
        """Queue `job`; its result comes with `kind` through `finished`."""
        token = next(self._tokens)
        if supersede:
            self._latest[kind] = token
        self._pool.start(lambda: self._run(kind, token if supersede else None, job))

    def close(self) -> None:
        """Drop waiting jobs, wait for the running one and close the file; no results come after this."""
        self._closed = True
        self._pool.clear()
        self._pool.waitForDone()
        if self._reader is not None:
            self._reader.close()
            self._reader = None

    def _run(self, kind: str, token: int | None, job: Job) -> None:
        if not self._current(kind, token):
            return
        try:
            result = job(self._open())
        except Exception as exc:  # report, never lose the worker thread to one bad query
            log.exception("trend: history %s job failed", kind)
            self.failed.emit(kind, str(exc))
            return
        if self._current(kind, token):
            self.finished.emit(kind, result)

    def _current(self, kind: str, token: int | None) -> bool:
        return not self._closed and (token is None or self._latest.get(kind) == token)

    def _open(self) -> HistoryReader | None:
        if self._reader is None:
            try:
                self._reader = self.storage.history_reader()
            except NoHistory:  # try again next time
                return None
        return self._reader
