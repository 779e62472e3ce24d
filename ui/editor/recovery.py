"""Autosave for crashes: unsaved changes are written every minute to a recovery copy of the project in
the user data dir (never over the project itself), offered back when the editor next opens it, and
removed once the project is saved or the changes are discarded."""

from __future__ import annotations

import logging
import shutil
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QObject, QTimer

from hmi.paths import recovery_dir
from hmi.project import ProjectFolder, save_project
from hmi.project.io import PROJECT_FILE, check_project

from .document import Document

log = logging.getLogger(__name__)

AUTOSAVE_MS = 60_000


def recovery_path(folder: ProjectFolder) -> Path:
    return recovery_dir(folder.root, folder.name)


def write_recovery(folder: ProjectFolder, path: Path) -> None:
    """The folder's current state as a complete project folder at `path`."""
    shutil.rmtree(path, ignore_errors=True)
    save_project(ProjectFolder(path, folder.project, folder.screens, folder.templates))


def saved_at(path: Path) -> datetime | None:
    """When the recovery copy at `path` was written; None when there is none."""
    marker = path / PROJECT_FILE
    return datetime.fromtimestamp(marker.stat().st_mtime) if marker.is_file() else None


class Autosave(QObject):
    """Writes the document's unsaved state every `interval_ms` while it is dirty."""

    def __init__(self, document: Document, interval_ms: int = AUTOSAVE_MS, parent: QObject | None = None):
        super().__init__(parent or document)
        self.document = document
        self.path = recovery_path(document.folder)
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.write)
        self.timer.start(interval_ms)
        document.undo.cleanChanged.connect(self._clean_changed)

    def write(self) -> None:
        if not self.document.dirty:
            return
        try:
            write_recovery(self.document.folder, self.path)
        except OSError as exc:
            log.warning("cannot write the recovery copy %s: %s", self.path, exc)

    def _clean_changed(self, clean: bool) -> None:
        if clean:
            self.discard()

    def discard(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)

    def pending(self) -> datetime | None:
        """When the recovery copy was written, if there is one newer than the project's files (an
        older one was overtaken by a save elsewhere and is not offered)."""
        when = saved_at(self.path)
        if when is None:
            return None
        files = [p for p in self.document.folder.root.rglob("*.yaml") if p.is_file()]
        newest = max((p.stat().st_mtime for p in files), default=0.0)
        return when if when.timestamp() > newest else None

    def restore(self) -> list[str]:
        """Load the recovery copy into the document as one undoable edit; returns its problems."""
        recovered, problems = check_project(self.path)
        if recovered is None:
            return problems
        self.document.apply(
            self.tr("Recover unsaved changes"),
            project=recovered.project,
            screens=recovered.screens,
            templates=recovered.templates,
        )
        return problems

    def stop(self) -> None:
        self.timer.stop()
