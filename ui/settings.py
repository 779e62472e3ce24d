"""The workstation's settings (QSettings): window layout, last project and screen, language, theme, kiosk.

They live where Qt keeps an application's settings (on Linux ~/.config/OpenHMI/OpenHMI.conf), or in
`settings.ini` under OPENHMI_DATA_DIR when that is set (portable installs, tests).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QMainWindow

from hmi.paths import DATA_DIR_ENV

FILE_NAME = "settings.ini"


class Settings:
    """Typed access to the few settings the app keeps; every change is written through at once."""

    def __init__(self, store: QSettings):
        self.store = store

    @classmethod
    def open(cls, path: Path | None = None) -> Settings:
        """The settings in the ini file `path`, else the data-dir override, else Qt's usual place."""
        if path is None and os.environ.get(DATA_DIR_ENV):
            path = Path(os.environ[DATA_DIR_ENV]) / FILE_NAME
        if path is None:
            return cls(QSettings("OpenHMI", "OpenHMI"))
        return cls(QSettings(str(path), QSettings.Format.IniFormat))

    def _get(self, key: str, default: object, kind: type) -> object:
        return self.store.value(key, default, type=kind)

    def _set(self, key: str, value: object) -> None:
        self.store.setValue(key, value)
        self.store.sync()

    @property
    def language(self) -> str:
        """'' follows the system locale; otherwise a locale name such as 'en' or 'zh_CN'."""
        return str(self._get("workstation/language", "", str))

    @language.setter
    def language(self, value: str) -> None:
        self._set("workstation/language", value)

    @property
    def theme(self) -> str:
        return str(self._get("workstation/theme", "light", str))

    @theme.setter
    def theme(self, value: str) -> None:
        self._set("workstation/theme", value)

    @property
    def zoom(self) -> float:
        """The station's text zoom (1.0 = 100 %): every text of the app, screens included."""
        return float(self._get("workstation/zoom", 1.0, float))  # type: ignore[arg-type]

    @zoom.setter
    def zoom(self, value: float) -> None:
        self._set("workstation/zoom", value)

    @property
    def kiosk(self) -> bool:
        """Start full screen in operator mode with the menus hidden (a control-room workstation)."""
        return bool(self._get("workstation/kiosk", False, bool))

    @kiosk.setter
    def kiosk(self, value: bool) -> None:
        self._set("workstation/kiosk", value)

    @property
    def last_project(self) -> Path | None:
        text = str(self._get("workstation/last_project", "", str))
        return Path(text) if text else None

    @last_project.setter
    def last_project(self, value: Path) -> None:
        self._set("workstation/last_project", str(Path(value).resolve()))

    def save_window(self, window: QMainWindow, project_root: Path, screen: str) -> None:
        """Geometry and dock/toolbar state of the workstation, and the screen open in this project."""
        self.store.setValue("window/geometry", window.saveGeometry())
        self.store.setValue("window/state", window.saveState())
        self.store.setValue(f"{_project_key(project_root)}/screen", screen)
        self.store.sync()

    def restore_window(self, window: QMainWindow) -> bool:
        """Put the window where it was last time; False when there is nothing saved."""
        geometry = self.store.value("window/geometry", type=QByteArray)
        if not isinstance(geometry, QByteArray) or geometry.isEmpty():
            return False
        window.restoreGeometry(geometry)
        state = self.store.value("window/state", type=QByteArray)
        if isinstance(state, QByteArray) and not state.isEmpty():
            window.restoreState(state)
        return True

    def last_screen(self, project_root: Path) -> str | None:
        return str(self._get(f"{_project_key(project_root)}/screen", "", str)) or None


def _project_key(project_root: Path) -> str:
    """A settings group per project folder (paths make poor keys: slashes nest groups)."""
    return "projects/" + hashlib.sha1(str(Path(project_root).resolve()).encode()).hexdigest()[:12]
