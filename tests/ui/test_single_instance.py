"""One instance per project: a second launch on an open project raises the first window and exits 0."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from hmi.cli import DEMO_PROJECT
from ui.single_instance import InstanceServer, ask_running_instance

ROOT = Path(__file__).resolve().parents[2]


def test_second_launch_of_the_same_project_raises_the_first(qtbot, tmp_path: Path):
    project = tmp_path / "plant"
    shutil.copytree(DEMO_PROJECT, project)
    first = InstanceServer(project)
    try:
        with qtbot.waitSignal(first.raise_requested, timeout=60_000):
            # The real command a user types, in a process of its own; it must not open a window.
            second = subprocess.Popen(
                [sys.executable, "-m", "hmi", "run", str(project), "--no-simulator"],
                cwd=ROOT,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
            )
            # Popen does not block: the signal arrives while qtbot runs the event loop.
        output = second.communicate(timeout=60)[0].decode()
        assert second.returncode == 0, output
        assert "already open" in output
    finally:
        first.close()


def test_other_projects_are_not_affected(qtbot, tmp_path: Path):
    first = InstanceServer(tmp_path / "a")
    try:
        assert not ask_running_instance(tmp_path / "b")
        with qtbot.waitSignal(first.raise_requested, timeout=10_000):
            assert ask_running_instance(tmp_path / "a")
    finally:
        first.close()
    assert not ask_running_instance(tmp_path / "a")  # closed: the next launch opens the project
