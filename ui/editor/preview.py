"""Preview: the project as it stands in the editor (saved or not) run in the operator's window on the
simulator or the live servers, with its own history file so that trying things out records nothing
in the project's history."""

from __future__ import annotations

import asyncio
import logging
import tempfile
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from hmi.paths import audit_db
from hmi.project import ProjectFolder
from hmi.runtime import Runtime
from hmi.storage.sqlite import SqliteStorage

from ..bridge import settle
from ..main_window import MainWindow
from .document import Document

log = logging.getLogger(__name__)


def snapshot(folder: ProjectFolder) -> ProjectFolder:
    """An in-memory copy of the current state (models are never mutated, so sharing them is safe)."""
    return ProjectFolder(folder.root, folder.project, dict(folder.screens), dict(folder.templates))


class Preview(QObject):
    """One running preview; `finished` once its window is closed and the runtime stopped."""

    started = Signal()
    finished = Signal()

    def __init__(self, document: Document, start_simulator: bool = True, parent: QObject | None = None):
        super().__init__(parent)
        self._scratch = tempfile.TemporaryDirectory(prefix="openhmi-preview-")
        folder = snapshot(document.folder)
        # History and alarms of a preview are scratch; its actions are audited in the project's trail.
        storage = SqliteStorage(
            Path(self._scratch.name) / "history.sqlite", audit_db(folder.root, folder.name)
        )
        self.runtime = Runtime(folder, start_simulator=start_simulator, storage=storage)
        self.window = MainWindow(self.runtime)
        self.window.setWindowTitle(self.tr("Preview: {0} (unsaved changes included)").format(folder.name))
        self.task: asyncio.Task[None] | None = None

    def start(self) -> asyncio.Task[None]:
        self.task = asyncio.ensure_future(self._run())
        return self.task

    async def _run(self) -> None:
        closed = asyncio.get_running_loop().create_future()
        self.window.closed.connect(lambda: settle(closed, None))
        try:
            await self.runtime.start()
            self.window.resize(1400, 860)
            self.window.show()
            self.started.emit()
            await closed
        finally:
            if not self.window.isHidden():
                self.window.close()
            await self.runtime.stop()
            self._scratch.cleanup()
            self.finished.emit()

    def close(self) -> None:
        self.window.close()
