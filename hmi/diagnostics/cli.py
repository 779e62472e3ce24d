"""`hmi diagnose PROJECT`: the project's health models over a period of its history, findings printed."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..alarms.cli import add_period, period
from ..errors import HmiError
from ..project import ProjectFolder
from ..storage import Storage
from .offline import diagnose, transitions, when, write_csv


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of `hmi diagnose` after PROJECT."""
    add_period(parser)
    parser.add_argument("--csv", type=Path, metavar="FILE", help="also write the findings to this CSV file")


def run(args: argparse.Namespace, folder: ProjectFolder, storage: Storage) -> int:
    """Print each finding; 2 for a wrong period or no diagnostics, 1 if the history cannot be read."""
    assets = folder.project.diagnostics
    if not assets:
        print(
            f"{folder.root}: no diagnostics: declare assets under `diagnostics:` in project.yaml",
            file=sys.stderr,
        )
        return 2
    start, end = period(args)
    if start >= end:
        print("the period must end after it starts", file=sys.stderr)
        return 2
    try:
        findings = transitions(diagnose(assets, folder.tags, storage, start, end))
    except (HmiError, OSError) as exc:
        print(f"cannot diagnose {folder.name}: {exc}", file=sys.stderr)
        return 1
    print(f"Diagnosis of {folder.name}, {when(start)} .. {when(end)}: {len(assets)} assets")
    raised = 0
    for finding in findings:
        state = "raised " if finding.active else "cleared"
        raised += finding.active
        print(f"{when(finding.ts)}  {state}  {finding.message}")
        if finding.active:
            print(f"{'':21}  evidence: {finding.evidence_text()}")
    print(f"{raised} finding(s)" if findings else "no findings: every model healthy (or still learning)")
    if args.csv is not None:
        try:
            with args.csv.open("w", newline="", encoding="utf-8") as out:
                write_csv(findings, out)
        except OSError as exc:
            print(f"CSV not written: {exc}", file=sys.stderr)
            return 1
        print(f"findings written to {args.csv}")
    return 0
