"""A main window on a copy of the demo project, not connected (no server is needed to check the UI)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from hmi.runtime import Runtime
from tests.support import demo_project, free_port
from ui.main_window import MainWindow
from ui.settings import Settings


@pytest.fixture(name="make_window")
def make_window_fixture(qapp, loop, tmp_path: Path) -> Iterator[Callable[..., MainWindow]]:
    """make_window(settings=None, folder=None): a MainWindow whose runtime is stopped again afterwards."""
    made: list[tuple[MainWindow, Runtime]] = []
    closed: list[MainWindow] = []

    def make(settings: Settings | None = None, folder=None) -> MainWindow:
        folder = folder or demo_project(tmp_path / f"p{len(made)}", free_port())
        runtime = Runtime(folder, start_simulator=False)
        window = MainWindow(runtime, settings or Settings.open(tmp_path / "settings.ini"))
        window.closed.connect(lambda: closed.append(window))
        made.append((window, runtime))
        return window

    yield make
    for window, runtime in made:  # close first: the runtime reports its stop to the window
        if window not in closed:  # closing twice crashes in C++ (the alarm model is gone)
            window.close()
        loop.run_until_complete(asyncio.wait_for(runtime.stop(), 30))
        window.deleteLater()
