"""File > Reports over a real runtime's files, and the report texts the translator is given."""

from __future__ import annotations

import time
from pathlib import Path

from pypdf import PdfReader

from hmi.cli import DEMO_PROJECT
from hmi.project import load_project
from hmi.reports import texts as engine_texts
from hmi.reports.schedule import last_period
from hmi.runtime import Runtime
from ui.reports import texts
from ui.reports.dialog import ReportsDialog


def test_every_report_text_is_listed_for_the_translator():
    assert sorted(texts.TEXTS) == sorted(engine_texts.TEXTS)


def test_the_dialog_makes_the_last_shift_report(qtbot, loop, tmp_path: Path):
    runtime = Runtime(load_project(DEMO_PROJECT), start_simulator=False)
    runtime.audit.record("alice", "write", "FIC101.SP", old=10, new=12)
    runtime.audit.flush()
    dialog = ReportsDialog(runtime)
    qtbot.addWidget(dialog)
    assert dialog.report.currentText() == "Shift report"
    start, end = last_period(["06:00", "14:00", "22:00"], time.time())
    shown = dialog.start.dateTime().toSecsSinceEpoch(), dialog.end.dateTime().toSecsSinceEpoch()
    assert shown == (start, end)
    dialog.end.setDateTime(dialog.end.dateTime().addSecs(8 * 3600))  # up to now: alice's write is in
    try:
        loop.run_until_complete(dialog.make("shift", tmp_path / "shift.pdf"))
    finally:
        runtime.audit.close()
        runtime.journal.close()
    assert dialog.message.text() == f"Saved {tmp_path / 'shift.pdf'}"
    text = "\n".join(page.extract_text() for page in PdfReader(tmp_path / "shift.pdf").pages)
    assert "Shift report" in text and "alice write FIC101.SP 10 → 12" in text
    assert "TK101.Level Feed tank level % 0 no data" in text  # nothing was logged yet
