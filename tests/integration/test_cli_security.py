"""`hmi users ...` and `hmi audit ...` as an administrator runs them from a shell."""

from __future__ import annotations

import csv
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from hmi.paths import audit_db
from hmi.project import save_project
from hmi.security.audit import AuditTrail
from tests.support import demo_project, free_port


def hmi(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "hmi", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        env=os.environ,
    )


def test_users_are_added_listed_and_changed_from_the_command_line():
    assert "no users yet" in hmi("users", "list").stdout
    refused = hmi("users", "add", "alice", "--role", "operator", "--password-stdin", stdin="Secret-123\n")
    assert refused.returncode == 1 and "first user must be an administrator" in refused.stderr
    weak = hmi("users", "add", "root", "--role", "administrator", "--password-stdin", stdin="root\n")
    assert weak.returncode == 1 and "at least 8 characters" in weak.stderr
    root = hmi(
        "users",
        "add",
        "root",
        "--role",
        "administrator",
        "--full-name",
        "Site Admin",
        "--password-stdin",
        stdin="Secret-123\n",
    )
    assert root.returncode == 0, root.stderr
    assert (
        hmi(
            "users", "add", "alice", "--role", "operator", "--password-stdin", stdin="Tank-level-1\n"
        ).returncode
        == 0
    )
    assert hmi("users", "role", "alice", "engineer").returncode == 0
    assert hmi("users", "disable", "alice").returncode == 0
    assert hmi("users", "passwd", "alice", "--password-stdin", stdin="Tank-level-2\n").returncode == 0
    last_admin = hmi("users", "disable", "root")
    assert last_admin.returncode == 1 and "last enabled administrator" in last_admin.stderr
    listing = hmi("users", "list").stdout.splitlines()
    assert listing[0].split() == ["alice", "engineer", "disabled"]
    assert listing[1].split() == ["root", "administrator", "enabled", "Site", "Admin"]
    assert hmi("users", "unlock", "nobody").returncode == 1


def test_audit_verify_passes_a_good_trail_and_names_the_modified_row(tmp_path: Path):
    folder = demo_project(tmp_path, free_port())
    save_project(folder)
    path = audit_db(folder.root, folder.name)
    with AuditTrail(path) as audit:
        audit.record("alice", "login")
        audit.record("alice", "write", "FIC101.SP", old=20.0, new=22.5, result="confirmed")
        audit.record("alice", "logout")
    good = hmi("audit", "verify", str(folder.root))
    assert good.returncode == 0 and "OK, 3 rows" in good.stdout

    out = tmp_path / "audit.csv"
    assert hmi("audit", "export", str(folder.root), "--csv", str(out)).returncode == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [(r["user"], r["action"], r["old value"], r["new value"]) for r in rows][1] == (
        "alice",
        "write",
        "20.0",
        "22.5",
    )

    with sqlite3.connect(path) as conn:
        conn.execute("DROP TRIGGER audit_no_update")
        conn.execute("UPDATE audit SET new_value = '95.0' WHERE id = 2")
    broken = hmi("audit", "verify", str(folder.root))
    assert broken.returncode == 1
    assert "row 2 was edited" in broken.stdout and "FIC101.SP '20.0' -> '95.0'" in broken.stdout
