"""Garbage, truncated and read-only data files at start: `hmi run`, `hmi history info`, `hmi alarms
report` and `hmi audit verify` name the file and say what to do, never a traceback."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from hmi.alarms import AlarmJournal, JournalEntry
from hmi.paths import audit_db, history_db
from hmi.security import AuditTrail
from tests.support import demo_project, free_port


def hmi(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(
        [sys.executable, "-m", "hmi", *args], capture_output=True, text=True, timeout=120, env=env
    )


@pytest.fixture
def project(tmp_path: Path) -> tuple[Path, Path, Path]:
    """A project folder and where its history file and audit trail go."""
    folder = demo_project(tmp_path, free_port())
    return folder.root, history_db(folder.root, folder.name), audit_db(folder.root, folder.name)


def truncated(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])


def real_files(history: Path, audit: Path) -> None:
    with AlarmJournal(history) as journal:
        for i in range(3000):
            journal.record(JournalEntry(float(i), "A.HI", "A", "hi", "low", "normal", "unack_active",
                                        True, 1.0, 0.0, "system", "", "A high " + "x" * 100))  # fmt: skip
    with AuditTrail(audit) as trail:
        for i in range(3000):
            trail.record("otto", "write", f"T{i}", old=i, new=i + 1, result="confirmed")


def commands(root: Path) -> dict[str, list[str]]:
    return {
        "run": ["run", str(root), "--headless", "--no-simulator", "--quit-after", "1"],
        "history info": ["history", "info", str(root)],
        "alarms report": ["alarms", "report", str(root)],
        "audit verify": ["audit", "verify", str(root)],
    }


def no_traceback(result: subprocess.CompletedProcess[str]) -> str:
    said = result.stdout + result.stderr
    assert "Traceback" not in said, said
    return said


@pytest.mark.parametrize("damage", ["garbage", "truncated"])
def test_damaged_files_are_named_with_what_to_do(project: tuple[Path, Path, Path], damage: str):
    root, history, audit = project
    if damage == "garbage":
        history.write_bytes(b"this is no database\n" * 500)
        audit.write_bytes(b"this is no database either\n" * 500)
    else:
        real_files(history, audit)
        truncated(history)
        truncated(audit)
    for name, args in commands(root).items():
        result = hmi(*args)
        said = no_traceback(result)
        assert result.returncode != 0, f"{name}: {said}"
        if name == "run":  # the audit trail opens first
            assert result.returncode == 2 and f"{audit} is not a usable audit trail" in said
        elif name == "audit verify":
            assert (
                f"{audit}: BROKEN" in result.stdout
                and "move the file aside (keep it: it is the evidence)" in said
            )
        else:
            assert str(history) in said and ("move the file aside" in said or "damaged" in said), (
                f"{name}: {said}"
            )


def test_the_window_does_not_open_on_a_garbage_history_file(project: tuple[Path, Path, Path]):
    root, history, _ = project
    history.write_bytes(b"this is no database\n" * 500)
    result = hmi("run", str(root), "--no-simulator", "--quit-after", "1")
    said = no_traceback(result)
    assert result.returncode == 2
    assert f"{history} is not a usable alarm journal: file is not a database" in said
    assert "move the file aside" in said


def test_read_only_files_are_named_with_what_to_do(project: tuple[Path, Path, Path]):
    if os.geteuid() != 0 or shutil.which("chattr") is None:
        pytest.skip("needs root and chattr for a file even root cannot write")
    root, history, audit = project
    real_files(history, audit)
    subprocess.run(["chattr", "+i", str(audit)], check=True)
    try:
        result = hmi(*commands(root)["run"])
        said = no_traceback(result)
        assert result.returncode == 2
        assert f"cannot write the audit trail {audit}: the file is read-only" in said
        assert "writable for the user running OpenHMI" in said
        verdict = hmi(*commands(root)["audit verify"])  # reading needs no writing
        assert verdict.returncode == 0, no_traceback(verdict)
    finally:
        subprocess.run(["chattr", "-i", str(audit)], check=True)
    subprocess.run(["chattr", "+i", str(history)], check=True)
    try:
        for name, args in commands(root).items():
            result = hmi(*args)
            said = no_traceback(result)
            if name == "run":
                assert result.returncode == 2
                assert f"cannot write the alarm journal {history}: the file is read-only" in said
            else:  # reading needs no writing
                assert result.returncode == 0, f"{name}: {said}"
    finally:
        subprocess.run(["chattr", "-i", str(history)], check=True)
    subprocess.run(["chattr", "+i", str(history.parent)], check=True)
    try:
        result = hmi(*commands(root)["run"])
        assert result.returncode == 2
        assert f"cannot write the audit trail {audit}: its folder is read-only" in no_traceback(result)
        assert "or set OPENHMI_DATA_DIR to a folder that is" in result.stderr
    finally:
        subprocess.run(["chattr", "-i", str(history.parent)], check=True)
