"""Shared test helpers: free ports, condition waits, the demo project pointed at a test simulator."""

from __future__ import annotations

import asyncio
import shutil
import socket
import time
from collections.abc import Callable
from pathlib import Path

from hmi.cli import DEMO_PROJECT
from hmi.project import ProjectFolder, load_project


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def wait_for(predicate: Callable[[], bool], timeout: float = 10.0, what: str = "condition") -> None:
    """Poll a condition on the running loop until it holds; fail with `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        await asyncio.sleep(0.02)


def demo_project(tmp_path: Path, port: int) -> ProjectFolder:
    """A copy of the demo project whose connection points at a simulator on `port`."""
    root = tmp_path / "demo"
    shutil.copytree(DEMO_PROJECT, root)
    folder = load_project(root)
    plant = folder.project.connections["plant"]
    plant.endpoint = f"opc.tcp://127.0.0.1:{port}"
    plant.simulator = False
    return folder
