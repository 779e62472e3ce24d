"""Refresh the translations: collect every tr() text of ui/ into the .ts files, then compile the .qm.

    python packaging/translations.py          # lupdate + lrelease
    python packaging/translations.py --release  # only compile the .qm after editing a .ts

Edit resources/translations/openhmi_<lang>.ts with Qt Linguist (pyside6-linguist) or a text editor.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "resources" / "translations"
LANGUAGES = ("zh_CN",)


def ts_file(language: str) -> Path:
    return TRANSLATIONS / f"openhmi_{language}.ts"


def update() -> None:
    sources = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "ui").rglob("*.py"))
    for language in LANGUAGES:
        subprocess.run(
            ["pyside6-lupdate", "-locations", "none", *sources, "-ts", str(ts_file(language))],
            check=True,
            cwd=ROOT,
        )


def release() -> None:
    for language in LANGUAGES:
        subprocess.run(["pyside6-lrelease", str(ts_file(language))], check=True, cwd=ROOT)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--release", action="store_true", help="only compile .ts -> .qm")
    args = parser.parse_args(argv)
    if not args.release:
        update()
    release()
    return 0


if __name__ == "__main__":
    sys.exit(main())
