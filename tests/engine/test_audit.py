"""The audit trail: a hash chain that `verify` checks, and the Runtime's rows and refusals against
the real simulator."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest

from hmi.alarms import ActionRefused
from hmi.errors import WriteRefused
from hmi.runtime import Runtime
from hmi.security import PermissionDenied
from hmi.security.audit import AuditEntry, AuditTrail, digest, search
from hmi.security.chain import verify
from hmi.sim.server import SimulatorServer
from tests.support import demo_project, free_port, log_in, wait_for


def filled(path: Path, rows: int = 6) -> Path:
    with AuditTrail(path) as audit:
        for i in range(rows):
            audit.record("alice", "write", f"T{i}", old=i, new=i + 1, result="confirmed")
    return path


def tamper(path: Path, *statements: str, params: tuple = ()) -> None:
    """Edit the file as someone going around the app would: drop the append-only triggers first."""
    with sqlite3.connect(path) as conn:
        conn.execute("DROP TRIGGER audit_no_update")
        conn.execute("DROP TRIGGER audit_no_delete")
        for sql in statements:
            conn.execute(sql, params if "?" in sql else ())


def row(path: Path, row_id: int) -> tuple:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT * FROM audit WHERE id = ?", (row_id,)).fetchone()


def test_a_good_trail_verifies_and_the_app_cannot_edit_or_delete_rows(tmp_path: Path):
    path = filled(tmp_path / "audit.sqlite")
    report = verify(path)
    assert report.ok and report.rows == 6
    with sqlite3.connect(path) as conn, pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute("UPDATE audit SET new_value = '99' WHERE id = 2")
    with sqlite3.connect(path) as conn, pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute("DELETE FROM audit WHERE id = 2")
    with AuditTrail(path) as audit:  # reopened: the chain goes on from the last row
        audit.record("bob", "logout")
    assert verify(path).ok and verify(path).rows == 7


def test_two_writers_on_one_file_keep_one_chain(tmp_path: Path):
    path = tmp_path / "audit.sqlite"
    with AuditTrail(path) as runtime_side, AuditTrail(path) as editor_side:
        for i in range(10):
            (runtime_side if i % 2 else editor_side).record("alice", "write", f"T{i}")
            (editor_side if i % 3 else runtime_side).flush()
    report = verify(path)
    assert report.ok and report.rows == 10


def test_verify_finds_an_edited_row(tmp_path: Path):
    path = filled(tmp_path / "audit.sqlite")
    tamper(path, "UPDATE audit SET new_value = '42' WHERE id = 3")
    report = verify(path)
    assert not report.ok and report.rows == 2
    assert report.problem.startswith("row 3 was edited") and report.row is not None and report.row.id == 3


def test_verify_finds_a_deleted_middle_row_and_deleted_newest_rows(tmp_path: Path):
    path = filled(tmp_path / "audit.sqlite")
    tamper(path, "DELETE FROM audit WHERE id = 4")
    report = verify(path)
    assert report.problem == "row(s) 4..4 were deleted (the chain breaks at row 5)"
    newest = filled(tmp_path / "newest.sqlite")
    tamper(newest, "DELETE FROM audit WHERE id >= 5")
    report = verify(newest)
    assert report.rows == 4 and report.problem.startswith(
        "the newest 2 row(s) were deleted: the signed checkpoint"
    )
    assert report.problem.endswith("counts 6")


@pytest.mark.parametrize("recompute", [False, True], ids=["bogus-hash", "recomputed-hash"])
def test_verify_finds_an_inserted_row(tmp_path: Path, recompute: bool):
    path = filled(tmp_path / "audit.sqlite")
    entry = AuditEntry(row(path, 2)[1] + 0.5, "mallory", "write", "T9", "0", "100", "confirmed", "")
    hashed = digest(row(path, 2)[-1], entry) if recompute else "f" * 64
    tamper(
        path,
        "UPDATE audit SET id = -id WHERE id >= 3",
        "UPDATE audit SET id = 1 - id WHERE id < 0",
        "INSERT INTO audit VALUES (3, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        params=(*entry, hashed),
    )
    report = verify(path)
    assert report.row is not None and report.row.entry.user == "mallory"
    assert report.problem.startswith("row 3 was inserted")


def test_runtime_enforces_roles_and_audits_every_action_with_old_and_new_values(tmp_path: Path):
    port = free_port()

    async def scenario() -> None:
        sim = SimulatorServer(port=port)
        await sim.start()
        runtime = Runtime(demo_project(tmp_path, port), start_simulator=False)
        await runtime.start()
        try:
            await wait_for(lambda: runtime.table.get("FIC101.SP").value is not None, what="the setpoint")
            before = runtime.table.get("FIC101.SP").value
            alarm = runtime.alarms.ids()[0]
            with pytest.raises(WriteRefused, match="log in first"):
                await runtime.write("FIC101.SP", 30, "")

            log_in(runtime.security, "viewer", "vera")
            with pytest.raises(WriteRefused, match=r"vera \(viewer\) may not change values"):
                await runtime.write("FIC101.SP", 30, "vera")
            with pytest.raises(ActionRefused, match=r"vera \(viewer\) may not acknowledge alarms"):
                runtime.alarms.acknowledge([alarm], "vera")
            with pytest.raises(ActionRefused, match=r"vera \(viewer\) may not shelve alarms"):
                runtime.alarms.shelve([alarm], "vera")

            log_in(runtime.security, "operator", "otto")
            with pytest.raises(WriteRefused, match="vera is not logged in"):
                await runtime.write("FIC101.SP", 30, "vera")
            assert (await runtime.write("FIC101.SP", 30, "otto")).confirmed
            assert runtime.alarms.shelve([alarm], "otto", "noisy", duration=60) == [alarm]
            runtime.alarms.acknowledge([alarm], "otto")
            with pytest.raises(ActionRefused, match="may not take alarms out of service"):
                runtime.alarms.remove_from_service([alarm], "otto")
            with pytest.raises(PermissionDenied, match="may not edit the project"):
                runtime.security.save_project(runtime.folder, "otto")
            runtime.security.logout()
        finally:
            await runtime.stop()
            await sim.stop()

        rows = [r.entry for r in reversed(search(runtime.audit.path))]
        seen = [(e.user, e.action, e.target, e.result) for e in rows if e.action not in ("user_add",)]
        assert seen == [
            ("", "write", "FIC101.SP", "refused"),
            ("vera", "login", "", "ok"),
            ("vera", "write", "FIC101.SP", "refused"),
            ("vera", "acknowledge", alarm, "refused"),
            ("vera", "shelve", alarm, "refused"),
            ("vera", "logout", "", "ok"),
            ("otto", "login", "", "ok"),
            ("vera", "write", "FIC101.SP", "refused"),
            ("otto", "write", "FIC101.SP", "confirmed"),
            ("otto", "shelve", alarm, "ok"),
            ("otto", "acknowledge", alarm, "no change"),
            ("otto", "remove_from_service", alarm, "refused"),
            ("otto", "edit_project", str(runtime.folder.root), "refused"),
            ("otto", "logout", "", "ok"),
        ]
        write = next(e for e in rows if e.user == "otto" and e.action == "write")
        assert (write.old_value, write.new_value) == (str(before), "30.0")
        refused = next(e for e in rows if e.user == "vera" and e.action == "write")
        assert refused.reason == (
            "FIC101.SP: not written: vera (viewer) may not change values and start or stop equipment"
        )
        shelve = next(e for e in rows if e.action == "shelve" and e.result == "ok")
        assert (shelve.new_value, shelve.reason) == ("shelved", "noisy")
        assert verify(runtime.audit.path).ok

    asyncio.run(scenario())
