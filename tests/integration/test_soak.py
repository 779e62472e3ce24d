"""bench/soak.py as the issue asks of CI: 2 minutes of the demo in the main window plus 10,000 load tags
on a server that is paused and killed; a row of figures a period, values back after the restart, and a
verdict with every figure in its last line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
@pytest.mark.timeout(480)
def test_a_short_soak_runs_its_faults_and_gives_a_verdict(tmp_path: Path):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "soak.py"), "--minutes", "2"],
        capture_output=True,
        text=True,
        timeout=450,
        cwd=tmp_path,
        env=env,
    )
    said = result.stdout + result.stderr
    assert "Traceback" not in said, said
    rows = [line for line in result.stdout.splitlines() if " min " in line]
    assert len(rows) == 3, result.stdout
    assert "paused" in result.stdout and "killed at" in result.stdout, result.stdout
    figures = json.loads(result.stdout.splitlines()[-1])
    assert figures["bench"] == "soak" and figures["minutes"] == 2.0
    assert figures["load_back_after_restart_s"] is not None, figures  # values flowed again
    assert figures["load_changes_per_s"] > 5000, figures  # 10,000 tags at 1 Hz, a pause and a restart
    assert figures["tasks_left_after_stop"] == 0, figures
    assert figures["rss_mib_last"] > 0 and figures["threads_max"] > 0 and figures["tasks_max"] > 0
    assert result.returncode == (0 if figures["verdict"] == "no growth" else 1), said
