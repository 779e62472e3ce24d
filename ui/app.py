"""Start the Qt application on a project: one asyncio loop for Qt and the engine (qasync)."""

from __future__ import annotations

import asyncio
import gc
import logging
import sys
from pathlib import Path
from typing import cast

import qasync
from PySide6.QtCore import QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from hmi.errors import ProjectError
from hmi.project import ProjectFolder, load_project
from hmi.runtime import Runtime

from . import i18n, theme
from .bridge import settle
from .main_window import MainWindow
from .security.credentials import PasswordPrompt
from .settings import Settings
from .single_instance import InstanceServer, ask_running_instance

log = logging.getLogger(__name__)

DEFAULT_SIZE = (1600, 960)


def application(settings: Settings | None = None) -> QApplication:
    """The QApplication with the workstation's language and theme (Qt 6 scales per monitor's DPI)."""
    settings = settings or Settings.open()
    # instance() is typed QCoreApplication, but the one this process makes is this QApplication
    app = cast(QApplication, QApplication.instance() or QApplication(sys.argv[:1]))
    app.setApplicationName("OpenHMI")
    app.setOrganizationName("OpenHMI")
    app.setWindowIcon(QIcon(str(theme.RESOURCES / "icons" / "openhmi.png")))
    app.setStyle("Fusion")
    i18n.install(app, settings.language)
    if settings.zoom in theme.ZOOMS:
        theme.zoom = settings.zoom
    theme.apply(settings.theme if settings.theme in theme.THEMES else theme.DEFAULT, app)
    app.setQuitOnLastWindowClosed(False)
    return app


def run(
    folder: ProjectFolder,
    *,
    screenshot: Path | None = None,
    quit_after: float | None = None,
    start_simulator: bool = True,
    kiosk: bool = False,
    restore_last: bool = False,
) -> int:
    """Show the main window until it is closed (or `quit_after` seconds, saving `screenshot` first).

    `restore_last`: no project was named, so reopen the one used last time if it still loads.
    A second launch on a project already open raises that window and returns 0 at once; scripted
    runs (`quit_after`) skip that check, so a screenshot job never disturbs a running workstation.
    """
    settings = Settings.open()
    app = application(settings)
    if restore_last:
        folder = _last_project(settings) or folder
    guard: InstanceServer | None = None
    if quit_after is None:
        if ask_running_instance(folder.root):
            log.info("%s is already open on this workstation: raised its window", folder.root)
            return 0
        guard = InstanceServer(folder.root)
    settings.last_project = folder.root
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    credentials = PasswordPrompt(folder.project.connections)
    runtime = Runtime(folder, start_simulator=start_simulator, credentials=credentials)
    window = MainWindow(runtime, settings)
    if guard is not None:
        guard.raise_requested.connect(window.bring_to_front)

    async def main() -> None:
        closed = asyncio.get_running_loop().create_future()
        window.closed.connect(lambda: settle(closed, None))
        await runtime.start()
        if kiosk or settings.kiosk:
            window.set_kiosk()
        elif quit_after is not None:  # scripted shots keep one size
            window.resize(*DEFAULT_SIZE)
            window.show()
        elif window.restored:
            window.show()
        else:  # the first start on this station: all of the primary screen
            window.setGeometry(app.primaryScreen().availableGeometry())
            window.showMaximized()
        # What is loaded by now (libraries, project, first screen) lives as long as the app: out of
        # the collector's full passes, which stall the UI each time (~0.4 s on the demo's 550,000
        # objects; ~0 once frozen). Cyclic garbage among these objects is never freed: a bounded cost.
        gc.freeze()
        if quit_after is not None:

            def finish() -> None:
                if screenshot is not None:
                    window.grab().save(str(screenshot))
                    log.info("screenshot saved to %s", screenshot)
                window.close()

            QTimer.singleShot(int(quit_after * 1000), finish)
        await closed
        await runtime.stop()

    with loop:
        loop.run_until_complete(main())
    if guard is not None:
        guard.close()
    return 0


def _last_project(settings: Settings) -> ProjectFolder | None:
    path = settings.last_project
    if path is None or not path.is_dir():
        return None
    try:
        return load_project(path)
    except ProjectError as exc:
        log.warning("cannot reopen the last project %s (%s); opening the default", path, exc)
        return None
