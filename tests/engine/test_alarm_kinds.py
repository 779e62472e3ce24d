"""Alarm kinds are one table: an unknown kind is an error when the project loads, naming file and
field, and an alarm of a kind nobody registered is never built as some other kind."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from hmi.alarms import AlarmError, AlarmKind, LimitAlarm
from hmi.alarms.kinds import alarm_kinds, declarable, make_trigger
from hmi.alarms.trigger import LimitTrigger
from hmi.cli import DEMO_PROJECT
from hmi.project.io import check_project


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    shutil.copytree(DEMO_PROJECT, tmp_path / "demo")
    return tmp_path / "demo"


def declare(demo: Path, kind: str) -> int:
    """The first tag's first alarm declared as `kind` instead; the tag's index."""
    path = demo / "project.yaml"
    text = path.read_text(encoding="utf-8")
    at = text.index("    alarms:\n      hihi:\n")
    path.write_text(text[:at] + text[at:].replace("      hihi:", f"      {kind}:", 1), encoding="utf-8")
    return text[text.index("tags:\n") : at].count("\n  - name:") - 1


def test_an_unknown_kind_under_a_tag_is_named_at_load(demo: Path):
    index = declare(demo, "high_high")
    folder, problems = check_project(demo)
    known = ", ".join(declarable())
    assert folder is None and problems == [
        f"project.yaml: tags[{index}].alarms.high_high: alarm kind 'high_high' is unknown: one of {known}"
    ]


def test_advisories_are_a_kind_a_diagnosis_raises_not_one_declared_under_a_tag(demo: Path):
    advisory = alarm_kinds()["advisory"]
    assert advisory.definition is None and advisory.trigger is None and "advisory" not in declarable()
    index = declare(demo, "advisory")
    _, problems = check_project(demo)
    assert problems[0].startswith(
        f"project.yaml: tags[{index}].alarms.advisory: alarm kind 'advisory' is not declared under a tag"
    )


def test_a_trigger_of_an_unknown_kind_is_refused_never_made_a_bad_quality_alarm():
    with pytest.raises(AlarmError, match="TK101.Level: unknown alarm kind 'high'"):
        make_trigger("TK101.Level", "high", LimitAlarm(limit=85))
    trigger = make_trigger("TK101.Level", AlarmKind.HI, LimitAlarm(limit=85))
    assert isinstance(trigger, LimitTrigger) and trigger.above


def test_the_table_has_every_built_in_kind_once_with_its_own_letters():
    kinds = alarm_kinds()
    assert list(kinds)[: len(AlarmKind)] == list(AlarmKind)
    shorts = [k.short for k in kinds.values()]
    assert len(set(shorts)) == len(shorts)
    assert [name for name, k in kinds.items() if k.timed] == ["rate"]
