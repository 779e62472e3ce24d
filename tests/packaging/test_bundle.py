"""The Linux bundle: packaging/build.py freezes the app, and the frozen binary runs the demo headless.

Slow (a PyInstaller build, about two minutes on a 2-core machine), but it runs in CI: it is the only
test that proves the bundle a plant installs actually starts.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage

import hmi
from tests.ui.screen_support import count

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.timeout(1200),
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the tar.gz bundle is built on Linux"),
]


@pytest.fixture
def built(tmp_path: Path):
    dist, work = tmp_path / "dist", tmp_path / "work"
    subprocess.run(
        [sys.executable, str(ROOT / "packaging" / "build.py"), "--dist", str(dist), "--work", str(work)],
        check=True,
        timeout=1100,
    )
    yield dist
    shutil.rmtree(dist, ignore_errors=True)  # ~250 MB: pytest keeps the last few temp dirs
    shutil.rmtree(work, ignore_errors=True)


def test_frozen_app_starts_the_demo_and_saves_a_screenshot(built: Path, tmp_path: Path, qapp):
    binary = built / "openhmi" / "openhmi"
    version = subprocess.run([binary, "--version"], capture_output=True, text=True, timeout=60, check=True)
    assert version.stdout.strip() == f"OpenHMI {hmi.__version__}"

    shot = tmp_path / "demo.png"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "OPENHMI_DATA_DIR": str(tmp_path / "data")}
    run = subprocess.run(
        [binary, "run", "--screenshot", str(shot), "--quit-after", "8"],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    image = QImage(str(shot)).convertToFormat(QImage.Format.Format_ARGB32)
    assert (image.width(), image.height()) == (1600, 960)
    assert count(image, QColor("#d6d6d6"), 4) > 200_000  # the grey ISA-101 screen, not a blank window
    # Live values from the bundled simulator: no value is outlined magenta as untrustworthy.
    assert count(image, QColor("#b000b0"), 30) < 50, run.stderr
    assert "plant: connected" in run.stderr

    archive = built / f"OpenHMI-{hmi.__version__}-linux-x86_64.tar.gz"
    with tarfile.open(archive) as tar:
        names = set(tar.getnames())
    top = f"OpenHMI-{hmi.__version__}-linux-x86_64"
    for name in (
        "openhmi",
        "openhmi.desktop",
        "openhmi.png",
        "install.sh",
        "_internal/resources/themes/dark.qss",
    ):
        assert f"{top}/{name}" in names
    assert any(n.startswith(f"{top}/_internal/projects/demo-plant/screens/") for n in names)
    assert f"{top}/_internal/resources/translations/openhmi_zh_CN.qm" in names
