"""Signed checkpoints: deleting the newest rows together with the anchor is still found, a forged
statement is told from a real one, and a file that is no audit trail is a verdict, not a traceback."""

from __future__ import annotations

import json
import sqlite3
import stat
from pathlib import Path

from hmi.paths import data_root
from hmi.security import AuditTrail, verify
from hmi.security.checkpoints import KEY_NAME, StationKey, anchor_path, checkpoint_paths, fingerprint


def filled(path: Path, rows: int = 6) -> Path:
    with AuditTrail(path) as audit:
        for i in range(rows):
            audit.record("alice", "write", f"T{i}", old=i, new=i + 1, result="confirmed")
    return path


def delete_newest(path: Path, keep: int) -> None:
    """What someone with the file does: drop the append-only trigger, delete rows, remove the anchor."""
    with sqlite3.connect(path) as conn:
        conn.execute("DROP TRIGGER audit_no_delete")
        conn.execute("DELETE FROM audit WHERE id > ?", (keep,))
    anchor_path(path).unlink()


def test_deleting_the_newest_rows_and_the_anchor_is_found_by_either_checkpoint_copy(tmp_path: Path):
    path = filled(tmp_path / "audit.sqlite")
    beside, copy = checkpoint_paths(path)
    assert beside.is_file() and copy.is_file() and copy.is_relative_to(data_root())
    delete_newest(path, keep=4)
    report = verify(path)
    assert not report.ok and report.rows == 4
    assert report.problem.startswith("the newest 2 row(s) were deleted: the signed checkpoint of")
    beside.unlink()  # the log beside the file goes too: the copy in the user's data dir still counts 6
    report = verify(path)
    assert report.problem.startswith("the newest 2 row(s) were deleted") and report.problem.endswith(
        "counts 6"
    )
    assert f"no checkpoint log at {beside}" in report.notes


def test_a_missing_anchor_alone_is_reported(tmp_path: Path):
    path = filled(tmp_path / "audit.sqlite")
    anchor_path(path).unlink()
    report = verify(path)
    assert not report.ok and report.problem == "the anchor file is missing"


def test_statements_written_without_the_station_key_are_refused(tmp_path: Path):
    path = filled(tmp_path / "audit.sqlite")
    beside, copy = checkpoint_paths(path)
    delete_newest(path, keep=4)
    with sqlite3.connect(path) as conn:
        first, last = (
            conn.execute("SELECT hash FROM audit WHERE id = ?", (i,)).fetchone()[0] for i in (1, 4)
        )
    # An edited statement: the signature no longer matches its fields.
    for log in (beside, copy):
        lines = [json.loads(line) for line in log.read_text().splitlines()]
        log.write_text("".join(json.dumps({**s, "rows": 4, "last_hash": last}) + "\n" for s in lines))
    report = verify(path)
    assert not report.ok and "was edited or forged: its signature does not match" in report.problem
    # Statements signed with a key of one's own: not this station's.
    mallory = StationKey.load_or_create(tmp_path / "mallory.pem")
    for log in (beside, copy):
        log.write_text(mallory.sign(4, last, 1.0, first).to_json() + "\n")
    anchor_path(path).write_text(mallory.sign(4, last, 1.0, first).to_json())
    report = verify(path)
    assert not report.ok
    assert f"is signed by another key ({fingerprint(mallory.public)})" in report.problem
    # An unsigned anchor in the old format beside signed checkpoints: replaced.
    for log in (beside, copy):
        log.unlink()
    filled(tmp_path / "other.sqlite")
    other = tmp_path / "other.sqlite"
    with sqlite3.connect(other) as conn:
        rows, last = conn.execute("SELECT count(*), max(hash) FROM audit WHERE id = 6").fetchone()
    anchor_path(other).write_text(json.dumps({"rows": 6, "last_hash": last}))
    report = verify(other)
    assert report.problem.startswith("the anchor is not signed: it was replaced")


def test_a_trail_moved_aside_and_begun_anew_is_no_tampering(tmp_path: Path):
    """What the message for a damaged trail advises: its anchor and checkpoints stay behind."""
    path = filled(tmp_path / "audit.sqlite")
    path.rename(tmp_path / "audit.damaged.sqlite")
    assert verify(tmp_path / "audit.damaged.sqlite", checkpoint_copy=checkpoint_paths(path)[1]).ok is False
    filled(path, rows=2)
    report = verify(path)
    assert report.ok and report.rows == 2, report.problem
    assert any("checkpoint(s) of another trail at this path" in note for note in report.notes)


def test_verify_names_the_station_key_it_checked_against(tmp_path: Path):
    path = filled(tmp_path / "audit.sqlite")
    key = data_root() / KEY_NAME
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    station = StationKey.load_or_create(key)
    report = verify(path)
    assert report.ok
    summary = next(note for note in report.notes if "signed checkpoint(s)" in note)
    assert f"key {fingerprint(station.public)} (this station's key)" in summary
    elsewhere = verify(path, key_path=tmp_path / "no-key-here.pem")  # a copy checked on another machine
    assert elsewhere.ok
    assert any("no station key on this machine" in note for note in elsewhere.notes)


def test_a_garbage_or_truncated_file_gets_a_verdict(tmp_path: Path):
    garbage = tmp_path / "garbage.sqlite"
    garbage.write_bytes(b"not an audit trail at all\n" * 200)
    report = verify(garbage)
    assert not report.ok and report.rows == 0
    assert "is not a usable audit trail: file is not a database" in report.problem
    assert "move the file aside (keep it: it is the evidence)" in report.problem

    truncated = filled(tmp_path / "truncated.sqlite", rows=3000)
    data = truncated.read_bytes()
    truncated.write_bytes(data[: len(data) // 3])
    report = verify(truncated)
    assert not report.ok and report.rows < 3000
    assert "database disk image is malformed" in report.problem and "damaged" in report.problem


def test_a_trail_from_before_signing_is_signed_once_and_still_catches_deleted_rows(tmp_path: Path):
    """An upgrade is no tamper alarm: the old unsigned anchor, where no checkpoint was ever signed, is
    checked by its row count and hash, and the next start signs it and says so in the trail."""
    path = filled(tmp_path / "audit.sqlite")
    for log in checkpoint_paths(path):
        log.unlink()
    with sqlite3.connect(path) as conn:
        last = conn.execute("SELECT hash FROM audit WHERE id = 6").fetchone()[0]
    anchor_path(path).write_text(json.dumps({"rows": 6, "last_hash": last}))  # as OpenHMI wrote it
    report = verify(path)
    assert report.ok, report.problem
    assert any("from before signed anchors" in note for note in report.notes)

    AuditTrail(path).close()
    assert json.loads(anchor_path(path).read_text())["signature"]
    with sqlite3.connect(path) as conn:
        checks = conn.execute("SELECT result, reason FROM audit WHERE action = 'audit_check'").fetchall()
    assert checks == [
        ("ok", "the anchor is from before signed anchors; it matches and is signed from now on")
    ]
    assert verify(path).ok

    old = filled(tmp_path / "old.sqlite")
    for log in checkpoint_paths(old):
        log.unlink()
    with sqlite3.connect(old) as conn:
        last = conn.execute("SELECT hash FROM audit WHERE id = 6").fetchone()[0]
        conn.execute("DROP TRIGGER audit_no_delete")
        conn.execute("DELETE FROM audit WHERE id > 4")
    anchor_path(old).write_text(json.dumps({"rows": 6, "last_hash": last}))
    report = verify(old)
    assert not report.ok and report.problem.startswith("the newest 2 row(s) were deleted")
