"""Build the OpenHMI bundle for this platform with PyInstaller (onedir), and pack it.

    python packaging/build.py [--dist DIR] [--work DIR] [--no-archive]

Linux: DIST/openhmi/ plus DIST/OpenHMI-<version>-linux-<arch>.tar.gz, which unpacks to a folder
holding the `openhmi` binary, a .desktop entry, the icon and install.sh (adds the menu entry).
Windows: DIST/openhmi/; then build the installer with Inno Setup:
    iscc /DAppVersion=<version> packaging\\windows\\openhmi.iss
Needs the `package` extra: pip install -e ".[package]".
"""

from __future__ import annotations

import argparse
import platform
import shutil
import subprocess
import sys
import tarfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hmi import __version__  # noqa: E402  (the source tree's version, not an installed one)

SPEC = ROOT / "packaging" / "openhmi.spec"
LINUX_FILES = (
    ROOT / "packaging" / "linux" / "openhmi.desktop",
    ROOT / "packaging" / "linux" / "install.sh",
    ROOT / "resources" / "icons" / "openhmi.png",
    ROOT / "resources" / "icons" / "openhmi.svg",
)


def build(dist: Path, work: Path) -> Path:
    """Run PyInstaller on the spec; returns the bundle folder (DIST/openhmi)."""
    subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--log-level=WARN",
            f"--distpath={dist}",
            f"--workpath={work}",
            str(SPEC),
        ],
        check=True,
        cwd=ROOT,
    )
    return dist / "openhmi"


def linux_archive(bundle: Path, dist: Path) -> Path:
    """The bundle with its desktop entry and icon, as OpenHMI-<version>-linux-<arch>.tar.gz."""
    for path in LINUX_FILES:
        shutil.copy2(path, bundle / path.name)
    name = f"OpenHMI-{__version__}-linux-{platform.machine()}"
    archive = dist / f"{name}.tar.gz"
    with tarfile.open(archive, "w:gz", compresslevel=6) as tar:
        tar.add(bundle, arcname=name)
    return archive


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="output folder (default: dist/)")
    parser.add_argument("--work", type=Path, default=ROOT / "build", help="PyInstaller's work folder")
    parser.add_argument("--no-archive", action="store_true", help="only the bundle folder, no tar.gz")
    args = parser.parse_args(argv)
    started = time.monotonic()
    bundle = build(args.dist.resolve(), args.work.resolve())
    print(f"bundle: {bundle}")
    if sys.platform.startswith("linux") and not args.no_archive:
        print(f"archive: {linux_archive(bundle, args.dist.resolve())}")
    elif sys.platform == "win32":
        print(f"installer: iscc /DAppVersion={__version__} packaging\\windows\\openhmi.iss")
    print(f"built in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
