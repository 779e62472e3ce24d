"""Shift notes through the permission check into the audit trail, and read back from it."""

from __future__ import annotations

import time
from datetime import datetime
from pathlib import Path

import pytest

from hmi.logbook import Logbook, LogbookError, read_notes, shift_of
from hmi.security import PermissionDenied, SecurityConfig, UserStore, verify
from hmi.security.audit import AuditTrail, search
from hmi.security.service import Security
from hmi.storage.sqlite import SqliteStorage
from tests.support import log_in


@pytest.fixture
def logbook(tmp_path: Path):
    audit = AuditTrail(tmp_path / "audit.sqlite")
    security = Security(UserStore(tmp_path / "users.sqlite"), SecurityConfig(), audit)
    yield Logbook(security, audit)
    audit.close()


def notes_of(logbook: Logbook, *args, **kwargs):
    """The notes read back through the station's storage, as its views do."""
    path = logbook.audit.path
    return read_notes(SqliteStorage(path.with_name("history.sqlite"), path), *args, **kwargs)


def test_an_operator_writes_a_note_that_is_kept_in_the_audit_chain(logbook: Logbook):
    log_in(logbook.security, "operator", "anna")
    heard = []
    logbook.subscribe(heard.append)
    at = time.time() - 3600
    note = logbook.write("anna", "  P-101 cavitated twice, suction strainer?  ", at, "pumps", "P101.Running")
    logbook.audit.flush()

    assert heard == [note] and note.text == "P-101 cavitated twice, suction strainer?"
    (read,) = notes_of(logbook)
    assert (read.at, read.author, read.screen, read.tag, read.text) == pytest.approx(
        (at, "anna", "pumps", "P101.Running", note.text), abs=1e-3
    )
    row = search(logbook.audit.path, action="shift_note")[0]
    assert row.entry.target == "P101.Running" and row.entry.new_value == note.text
    assert row.entry.reason.startswith(f"at {datetime.fromtimestamp(at):%Y-%m-%dT%H:%M:%S}")
    assert verify(logbook.audit.path).ok, "the note is part of the tamper-evident chain"


def test_a_viewer_may_not_write_notes_and_the_refusal_is_audited(logbook: Logbook):
    log_in(logbook.security, "viewer", "vic")
    assert "may not write shift notes" in (logbook.refused("vic") or "")
    with pytest.raises(PermissionDenied, match="may not write shift notes"):
        logbook.write("vic", "hello", time.time(), tag="TK101.Level")
    logbook.audit.flush()
    (row,) = search(logbook.audit.path, action="write_shift_note")
    assert row.entry.result == "refused" and row.entry.user == "vic"
    assert notes_of(logbook) == []


def test_nobody_logged_in_is_told_to_log_in(logbook: Logbook):
    assert "log in first" in (logbook.refused("") or "")
    with pytest.raises(PermissionDenied):
        logbook.write("", "hello", time.time())


@pytest.mark.parametrize(
    ("text", "ahead", "problem"),
    [("   ", 0, "empty"), ("x" * 4001, 0, "4001 characters"), ("later", 3600, "still to come")],
)
def test_a_note_that_cannot_be_kept_says_why_and_writes_nothing(logbook, text, ahead, problem):
    log_in(logbook.security, "operator", "anna")
    with pytest.raises(LogbookError, match=problem):
        logbook.write("anna", text, time.time() + ahead)
    logbook.audit.flush()
    assert notes_of(logbook) == []


def test_notes_are_filtered_by_the_time_they_are_about_and_by_tag(logbook: Logbook):
    log_in(logbook.security, "operator", "anna")
    now = time.time()
    logbook.write("anna", "old", now - 7200, tag="TK101.Level")
    logbook.write("anna", "new", now - 60, tag="TK101.Level")
    logbook.write("anna", "other", now - 600, tag="P101.Running")
    logbook.write("anna", "earlier, written last", now - 9000)
    logbook.audit.flush()
    assert [n.text for n in notes_of(logbook)] == ["earlier, written last", "old", "other", "new"]
    assert [n.text for n in notes_of(logbook, now - 3600, now)] == ["other", "new"]
    assert [n.text for n in notes_of(logbook, tag="TK101.Level")] == ["old", "new"]


def test_a_moment_belongs_to_the_shift_that_began_at_or_before_it():
    day = datetime(2024, 5, 1)
    at = day.replace(hour=6).timestamp()
    assert shift_of(at, ["06:00", "14:00", "22:00"]) == (at, day.replace(hour=14).timestamp())
    night = day.replace(hour=3).timestamp()
    start, end = shift_of(night, ["06:00", "14:00", "22:00"])
    assert datetime.fromtimestamp(start) == datetime(2024, 4, 30, 22) and end == at
