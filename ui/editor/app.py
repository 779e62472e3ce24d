"""`hmi edit`: the editor window on a qasync loop (the preview and the tag browser run the engine)."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import qasync
from PySide6.QtCore import QCoreApplication, QTimer

from hmi.project import ProjectFolder

from ..app import application
from ..bridge import settle
from .window import EditorWindow

log = logging.getLogger(__name__)

DEFAULT_SIZE = (1600, 960)


def run(
    folder: ProjectFolder,
    *,
    problems: list[str] | None = None,
    screenshot: Path | None = None,
    quit_after: float | None = None,
) -> int:
    """Show the editor until it is closed (or `quit_after` seconds, saving `screenshot` first).

    `problems` are what loading found; the problems panel lists them (it checks the project itself)."""
    app = application()
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    window = EditorWindow(folder)
    window.resize(*DEFAULT_SIZE)
    if problems:
        words = QCoreApplication.translate("EditorWindow", "{0} problem(s) in the project: see Problems")
        window.say(words.format(len(problems)))

    async def main() -> None:
        closed = asyncio.get_running_loop().create_future()
        window.closed.connect(lambda: settle(closed, None))
        window.show()
        if quit_after is None:
            window.offer_recovery()
        else:

            def finish() -> None:
                if screenshot is not None:
                    window.grab().save(str(screenshot))
                    log.info("screenshot saved to %s", screenshot)
                window.document.undo.setClean()  # a scripted run never asks to save
                window.close()

            QTimer.singleShot(int(quit_after * 1000), finish)
        current: EditorWindow | None = window
        while current is not None:  # File > New replaces the window with one of the new project
            await closed
            preview = current.preview
            if preview is not None and preview.task is not None:
                await preview.task  # its runtime stops (closing the editor closed its window)
            await current.browser.disconnect_server()
            current = current.successor
            if current is not None:
                closed = asyncio.get_running_loop().create_future()
                current.closed.connect(lambda done=closed: settle(done, None))
                if not current.isVisible():  # closed already, while this one was winding down
                    closed.set_result(None)

    with loop:
        loop.run_until_complete(main())
    return 0
