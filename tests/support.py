"""Shared test helpers: free ports, condition waits, the demo project pointed at a test simulator."""

from __future__ import annotations

import asyncio
import shutil
import socket
import time
from collections.abc import Callable
from pathlib import Path

from hmi.cli import DEMO_PROJECT
from hmi.permissions import SYSTEM
from hmi.project import ProjectFolder, load_project
from hmi.security.service import Security

PASSWORD = "test-pass-1"
"""The password of every user `log_in` creates."""


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


def log_in(security: Security, role: str = "operator", name: str | None = None) -> str:
    """Create a user of `role` (and the first administrator if there is none) and log it in."""
    name = name or role
    if security.needs_first_user():
        security.add_user(SYSTEM, "admin", "administrator", PASSWORD)
    if security.users.get(name) is None:
        security.add_user(SYSTEM, name, role, PASSWORD)
    security.login(name, PASSWORD)
    return name
