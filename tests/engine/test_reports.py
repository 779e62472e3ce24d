"""Reports from real history, journal and audit files filled with known data, read back from the PDF."""

from __future__ import annotations

import asyncio
import math
import shutil
import time
from datetime import datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

from hmi import cli
from hmi.alarms import AlarmJournal, JournalEntry
from hmi.cli import DEMO_PROJECT
from hmi.history import Historian
from hmi.paths import audit_db, history_db
from hmi.project import ProjectFolder, load_project
from hmi.project.io import check_project
from hmi.quality import Quality, Sample
from hmi.reports.data import collect
from hmi.reports.pdf import render
from hmi.reports.schedule import last_period, next_time, previous_time, report_file
from hmi.reports.texts import TEXTS
from hmi.runtime import Runtime, historian_tag
from hmi.security import AuditTrail
from hmi.storage.sqlite import SqliteStorage

NOW = time.time()
BASE = math.floor(NOW / 60) * 60 - 3000.0
START = BASE + 30.0  # mid-minute at both ends: the edges come from raw samples, the rest from rollups
END = BASE + 3645.0
SHIFT_REPORT = """reports:
  shift:
    title: Shift report
    schedule: ['06:00', '14:00', '22:00']
    tags: [TK101.Level, FIC101.PV, P101.Running, RC1.J3.Temp, RC1.J3.Torque]
"""


def level(i: int) -> float:
    return 20.0 + (i % 7) * 10.0


def samples() -> list[tuple[float, float | None, Quality]]:
    """TK101.Level every 10 s from before the period to after it, a spike in the first partial
    minute, a low value just before the period and a Bad sample inside it."""
    rows: list[tuple[float, float | None, Quality]] = [
        (START - 1, -5.0, Quality.GOOD),
        (START + 5, 95.5, Quality.GOOD),
    ]
    rows += [(BASE + 60 + 10 * i, level(i), Quality.GOOD) for i in range(365)]
    rows.append((BASE + 1805, None, Quality.BAD))
    return sorted(rows, key=lambda r: r[0])


def journal_rows() -> list[JournalEntry]:
    """12 alarms 5 s apart (a flood), then one alarm three times within a minute (chattering)."""

    def raised(ts: float, alarm_id: str) -> JournalEntry:
        tag = alarm_id.rsplit(".", 1)[0]
        return JournalEntry(
            ts, alarm_id, tag, "hi", "medium", "normal", "unack_active", True, 1.0, 0.0, "system", "", ""
        )

    rows = [raised(BASE + 600 + 5 * i, f"F{i:02d}.X.HI") for i in range(12)]
    rows += [raised(BASE + 2400 + 20 * i, "TK101.Level.HI") for i in range(3)]
    return rows


@pytest.fixture
def project(tmp_path: Path) -> ProjectFolder:
    """The demo project (its example shift report included) with known history, alarms and actions."""
    root = tmp_path / "plant"
    shutil.copytree(DEMO_PROJECT, root)
    folder = load_project(root)
    tags = folder.tags
    path = history_db(root, folder.name)
    with Historian(path, [historian_tag(tags["TK101.Level"])]) as historian:
        for ts, value, quality in samples():
            historian.record("TK101.Level", Sample(value, quality, ts))
    with AlarmJournal(path) as journal:
        for entry in journal_rows():
            journal.record(entry)
    with AuditTrail(audit_db(root, folder.name)) as trail:
        trail.record("alice", "write", "FIC101.SP", old=10.0, new=12.5, result="confirmed")
        trail.record("bob", "acknowledge", "TK101.Level.HI", new="ack_active")
    return folder


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def expected_level() -> tuple[float, float, float, int]:
    values = [v for ts, v, _ in samples() if START <= ts < END and v is not None]
    return min(values), max(values), sum(values) / len(values), len(values)


def test_the_project_defines_its_shift_report():
    report = load_project(DEMO_PROJECT).project.reports["shift"]
    assert report.schedule == ["06:00", "14:00", "22:00"] and report.sections == ["tags", "alarms", "actions"]
    assert SHIFT_REPORT in (DEMO_PROJECT / "project.yaml").read_text(encoding="utf-8")


def test_tag_statistics_cover_the_period_to_the_second(project: ProjectFolder):
    data = collect(
        project,
        "shift",
        START,
        END,
        SqliteStorage(history_db(project.root, project.name), audit_db(project.root, project.name)),
    )
    by_name = {t.name: t for t in data.tags}
    low, high, avg, count = expected_level()
    tank = by_name["TK101.Level"]
    assert (tank.min, tank.max, tank.samples) == (low, high, count)
    assert tank.avg == pytest.approx(avg)
    assert tank.worst is Quality.BAD and tank.units == "%"
    assert by_name["FIC101.PV"].samples == 0 and by_name["FIC101.PV"].worst is None
    assert data.kpis is not None and data.kpis.total == 15 and len(data.kpis.floods) == 1
    assert [(e.user, e.old_value, e.new_value) for e in data.actions] == [
        ("alice", "10.0", "12.5"),
        ("bob", None, "ack_active"),
    ]


def test_the_pdf_reads_back_with_the_figures(project: ProjectFolder, tmp_path: Path):
    data = collect(
        project,
        "shift",
        START,
        END,
        SqliteStorage(history_db(project.root, project.name), audit_db(project.root, project.name)),
    )
    used: list[str] = []
    path = render(data, tmp_path / "out" / "shift.pdf", tr=lambda s: used.append(s) or s)
    text = pdf_text(path)
    low, high, avg, _ = expected_level()
    tank_line = next(line for line in text.splitlines() if line.startswith("TK101.Level "))
    assert f"{low:.4g} {high:.4g} {avg:.4g} %" in tank_line and tank_line.endswith("Bad")
    assert "FIC101.PV Inlet flow" in text and "no data" in text
    assert "Alarms raised 15" in text
    assert "Floods 1" in text and "Chattering alarms 1" in text
    assert "TK101.Level.HI 3" in text  # top of the bad actors and the chattering list
    assert "alice write FIC101.SP 10.0 → 12.5 confirmed" in text
    assert f"{datetime.fromtimestamp(START):%Y-%m-%d %H:%M}" in text
    assert set(used) <= set(TEXTS), "every text the report draws can be translated"


def test_a_missing_history_is_said_in_the_report(project: ProjectFolder, tmp_path: Path):
    data = collect(
        project, "shift", START, END, SqliteStorage(tmp_path / "none.sqlite", tmp_path / "none-audit.sqlite")
    )
    text = pdf_text(render(data, tmp_path / "r.pdf"))
    assert text.count("Section not available: no ") == 3, text


def test_schedule_times_in_local_time():
    day = datetime(2024, 5, 1, 10, 30).timestamp()
    at = lambda h, m, d=1: datetime(2024, 5, d, h, m).timestamp()  # noqa: E731
    shifts = ["06:00", "14:00", "22:00"]
    assert next_time(shifts, day) == at(14, 0)
    assert next_time(shifts, at(22, 0)) == at(6, 0, 2)
    assert previous_time(shifts, day) == at(6, 0)
    assert last_period(shifts, at(6, 0)) == (at(22, 0) - 86400, at(6, 0))
    assert last_period(["06:00"], day) == (at(6, 0) - 86400, at(6, 0))


@pytest.mark.parametrize(
    ("report", "message"),
    [
        ("  r:\n    tags: [TK101.Level, TK9.Nothing]\n", "reports: r.tags: unknown tag 'TK9.Nothing'"),
        ("  r:\n    schedule: ['25:00']\n", "reports.r.schedule: '25:00' is not a time of day"),
        ("  r:\n    sections: [tags, tags]\n", "reports.r.sections: list each of tags, alarms, actions"),
    ],
)
def test_a_wrong_report_is_named_with_its_field(tmp_path: Path, report: str, message: str):
    root = tmp_path / "plant"
    shutil.copytree(DEMO_PROJECT, root)
    text = (root / "project.yaml").read_text(encoding="utf-8").replace(SHIFT_REPORT, "reports:\n" + report)
    (root / "project.yaml").write_text(text, encoding="utf-8")
    _, problems = check_project(root)
    assert any(p.startswith("project.yaml: " + message) for p in problems), problems


def test_report_command_writes_the_pdf(
    project: ProjectFolder, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    out = tmp_path / "cli.pdf"
    argv = ["report", str(project.root), "shift", "--from", datetime.fromtimestamp(START).isoformat()]
    assert cli.main([*argv, "--to", datetime.fromtimestamp(END).isoformat(), "-o", str(out)]) == 0
    assert capsys.readouterr().out.strip() == str(out)
    low, high, _, _ = expected_level()
    assert f"{low:.4g} {high:.4g}" in pdf_text(out)
    assert cli.main(["report", str(project.root), "daily"]) == 2
    err = capsys.readouterr().err
    assert "no report 'daily'" in err and "its reports: shift" in err


def test_the_headless_engine_makes_the_report_when_it_is_due(project: ProjectFolder):
    runtime = Runtime(project, start_simulator=False, scheduled_reports=True)
    assert runtime.reports is not None
    due = next_time(["06:00", "14:00", "22:00"], time.time())
    shift = due - 0.3 - time.time()
    runtime.reports.clock = lambda: time.time() + shift  # the engine starts 0.3 s before a shift change
    expected = report_file(project, "shift", due)

    async def scenario() -> None:
        await runtime.start()
        try:
            deadline = time.monotonic() + 30
            while not expected.exists() and time.monotonic() < deadline:
                await asyncio.sleep(0.05)  # waiting on the file, not for a time
        finally:
            await runtime.stop()

    asyncio.run(scenario())
    assert runtime.reports.made == [expected]
    text = pdf_text(expected)
    assert "Shift report" in text and f"{datetime.fromtimestamp(due - 8 * 3600):%Y-%m-%d %H:%M}" in text
