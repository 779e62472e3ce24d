"""The `hmi` command as a user runs it: a screenshot of the live demo, headless mode, check."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from hmi.project import save_project
from tests.support import demo_project, free_port
from ui import theme


def hmi(*args: str, timeout: float = 90) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(
        [sys.executable, "-m", "hmi", *args], capture_output=True, text=True, timeout=timeout, env=env
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The demo project on a free port, with the built-in simulator left for the app to start."""
    folder = demo_project(tmp_path, free_port())
    folder.project.connections["plant"].simulator = True
    save_project(folder)
    return folder.root


def test_screenshot_of_the_live_demo(project: Path, tmp_path: Path):
    shot = tmp_path / "overview.png"
    result = hmi("run", str(project), "--screenshot", str(shot), "--quit-after", "6")
    assert result.returncode == 0, result.stderr
    assert "started the built-in plant simulator" in result.stderr
    image = QImage(str(shot))
    assert image.width() >= 1200 and image.height() >= 700
    # The live level was drawn: the tank holds liquid-coloured pixels (none before data arrives).
    liquid = theme.LIQUID.rgb()
    filled = sum(
        image.pixel(x, y) == liquid for x in range(0, image.width(), 4) for y in range(0, image.height(), 4)
    )
    assert filled > 200


def test_headless_run_logs_history_that_the_history_and_alarm_commands_read(project: Path):
    result = hmi("run", str(project), "--headless", "--quit-after", "3")
    assert result.returncode == 0, result.stderr
    assert "connected" in result.stderr
    assert "Traceback" not in result.stderr
    info = hmi("history", "info", str(project))
    assert info.returncode == 0, info.stderr
    assert "tags:             44" in info.stdout  # the plant's 40 and the energy meter's 4 (Modbus)
    assert "EM1.Voltage" in info.stdout
    export = hmi("history", "export", str(project), "--tags", "TK101.Level", "--from", "-1h")
    assert export.returncode == 0, export.stderr
    lines = export.stdout.splitlines()
    assert lines[0] == "time,tag,value,quality"
    assert len(lines) > 2 and all(",TK101.Level," in line for line in lines[1:])
    report = hmi("alarms", "report", str(project))
    assert report.returncode == 0, report.stderr
    assert "Alarms raised" in report.stdout


def test_a_broken_project_is_refused_with_the_reason(project: Path):
    screen = project / "screens" / "overview.yaml"
    screen.write_text(screen.read_text().replace("TK101.Level}", "TK10.Level}"))
    result = hmi("run", str(project), "--headless", "--quit-after", "1")
    assert result.returncode == 2
    assert "items[9].bind.level: unknown tag 'TK10.Level'" in result.stderr
