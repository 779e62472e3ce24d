"""`hmi diagnose`: the demo's health models over a real history file, findings printed and as CSV."""

from __future__ import annotations

import csv
import shutil
import time
from datetime import datetime
from pathlib import Path

from hmi.cli import DEMO_PROJECT, main
from hmi.history import Historian
from hmi.paths import history_db
from hmi.project import load_project
from hmi.quality import Quality, Sample
from hmi.runtime import historian_tag
from hmi.sim.faults import FaultKind
from hmi.sim.plant import Plant

LOGGED = ("RC1.J3.Temp", "RC1.J3.Torque", "RC1.CycleCount")
STUCK_AT = 2100.0  # plant seconds: after the sensor model has learned (30 min)


def iso(ts: float) -> str:
    return datetime.fromtimestamp(ts).isoformat(timespec="seconds")


def log_history(root: Path, start: float, seconds: float) -> None:
    """What the historian would have logged of joint 3 with its temperature transmitter freezing."""
    folder = load_project(root)
    historian = Historian(
        history_db(root, folder.name), [historian_tag(folder.tags[n]) for n in LOGGED], folder.project.history
    )
    historian.start()
    plant = Plant(seed=21)
    plant.inject(FaultKind.STUCK_SENSOR, "J3", onset_in=STUCK_AT)
    last: dict[str, object] = {}
    while plant.time < seconds:
        plant.step(1.0)
        values = plant.values()
        for name in LOGGED:
            if values[name] != last.get(name):
                last[name] = values[name]
                historian.record(name, Sample(values[name], Quality.GOOD, start + plant.time))
        if round(plant.time) % 300 == 0:
            historian.flush()
    historian.close()


def test_diagnose_prints_the_findings_of_a_period_and_writes_them_as_csv(tmp_path: Path, capsys):
    root = tmp_path / "demo"
    shutil.copytree(DEMO_PROJECT, root)
    start = time.time() - 6 * 3600
    log_history(root, start, 2400)
    out = tmp_path / "findings.csv"

    code = main(["diagnose", str(root), "--from", iso(start), "--to", iso(start + 3600), "--csv", str(out)])

    printed = capsys.readouterr().out
    assert code == 0, printed
    assert "Diagnosis of Demo Plant" in printed
    assert "raised   J3: RC1.J3.Temp stuck at " in printed
    assert "evidence: unchanged_s=" in printed
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    stuck = [r for r in rows if r["alarm_id"] == "J3.SENSOR" and r["state"] == "raised"]
    assert len(stuck) == 1 and stuck[0]["asset"] == "J3" and stuck[0]["check"] == "sensor"
    raised_at = datetime.fromisoformat(stuck[0]["time"]).timestamp()
    assert start + STUCK_AT < raised_at < start + STUCK_AT + 120
    assert not [r for r in rows if r["alarm_id"] != "J3.SENSOR"]  # the rest of the joint is healthy


def test_diagnose_refuses_a_period_that_ends_before_it_starts(tmp_path: Path, capsys):
    assert main(["diagnose", str(DEMO_PROJECT), "--from", "2024-05-02", "--to", "2024-05-01"]) == 2
    assert "must end after it starts" in capsys.readouterr().err
