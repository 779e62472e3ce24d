"""Start the Qt application on a project: one asyncio loop for Qt and the engine (qasync)."""

from __future__ import annotations

import asyncio
import logging
import sys
from pathlib import Path

import qasync
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from hmi.project import ProjectFolder
from hmi.runtime import Runtime

from . import theme
from .main_window import MainWindow

log = logging.getLogger(__name__)


def application() -> QApplication:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("OpenHMI")
    app.setOrganizationName("OpenHMI")
    app.setStyle("Fusion")
    app.setStyleSheet(theme.stylesheet())
    app.setQuitOnLastWindowClosed(False)
    return app  # type: ignore[return-value]


def run(
    folder: ProjectFolder,
    *,
    screenshot: Path | None = None,
    quit_after: float | None = None,
    start_simulator: bool = True,
) -> int:
    """Show the main window until it is closed (or `quit_after` seconds, saving `screenshot` first)."""
    app = application()
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    runtime = Runtime(folder, start_simulator=start_simulator)
    window = MainWindow(runtime)

    async def main() -> None:
        closed = asyncio.get_running_loop().create_future()
        window.closed.connect(lambda: closed.done() or closed.set_result(None))
        await runtime.start()
        window.resize(1600, 960)
        window.show()
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
    return 0
