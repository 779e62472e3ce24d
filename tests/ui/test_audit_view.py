"""The audit trail window on a station's own file: rows found by text, the chain checked, no station
column (a file has one station)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import qasync

from hmi.storage.sqlite import SqliteStorage
from ui.security.audit_view import AuditModel, AuditView


def test_the_audit_window_searches_and_verifies_a_stations_file(qtbot, tmp_path: Path):
    storage = SqliteStorage(tmp_path / "history.sqlite", tmp_path / "audit.sqlite")
    trail = storage.audit()
    trail.record("alice", "write", "TK101.Setpoint", old=1, new=2)
    trail.record("alice", "login")
    view = AuditView(trail, storage)
    qtbot.addWidget(view)
    loop = qasync.QEventLoop()
    try:
        view.text.setText("tk101")
        loop.run_until_complete(view.run_search())
        assert [r.entry.action for r in view.model.rows] == ["write"]
        assert view.table.isColumnHidden(AuditModel.STATION)
        loop.run_until_complete(view.run_verify())
    finally:
        loop.close()
        asyncio.set_event_loop(None)
    assert "Chain intact: 2 row(s)" in view.chain.text()
    trail.close()
