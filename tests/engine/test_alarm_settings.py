"""Alarm definitions as project files hold them: defaults, validation and minimal dumps."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from hmi.alarms import AlarmConfig, AlarmKind, Priority, TagAlarms

LEVEL_ALARMS = {
    "hihi": {"limit": 95, "priority": "critical", "on_delay": 2},
    "hi": {"limit": 85, "deadband": 1},
    "lo": {"limit": 10, "enabled": False},
    "deviation": {"setpoint": "TK101.LevelSP", "limit": 5, "suppress_when": "not P101.Running"},
    "bad_quality": {},
}


def test_only_what_differs_from_the_defaults_is_written():
    alarms = TagAlarms.model_validate(LEVEL_ALARMS)
    dumped = alarms.model_dump(mode="json", exclude_defaults=True)
    assert TagAlarms.model_validate(dumped) == alarms
    assert dumped["bad_quality"] == {} and dumped["hi"] == {"limit": 85, "deadband": 1}
    assert AlarmConfig().model_dump(exclude_defaults=True) == {}


def test_defaults_an_engineer_expects():
    hi = TagAlarms.model_validate({"hi": {"limit": 85}}).hi
    assert hi is not None
    assert (hi.priority, hi.deadband, hi.on_delay, hi.off_delay, hi.enabled, hi.message) == (
        Priority.MEDIUM,
        0,
        0,
        0,
        True,
        "",
    )
    config = AlarmConfig()
    assert (config.chatter_count, config.chatter_window, config.flood_count, config.flood_window) == (
        3,
        60,
        10,
        600,
    )
    assert config.stale_after == 24 * 3600


def test_enabled_alarms_and_the_tags_they_read():
    alarms = TagAlarms.model_validate(LEVEL_ALARMS)
    assert [kind for kind, _ in alarms.defined()] == [
        AlarmKind.HIHI,
        AlarmKind.HI,
        AlarmKind.DEVIATION,
        AlarmKind.BAD_QUALITY,
    ]
    assert alarms.referenced_tags() == {"TK101.LevelSP", "P101.Running"}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"hi": {"limit": 90}, "hihi": {"limit": 80}}, "hi limit 90.0 must be below hihi limit 80.0"),
        ({"hi": {"limit": 90, "suppress_when": "P101.Running and"}}, "cannot read expression"),
        ({"hi": {"limit": 90, "colour": "red"}}, "Extra inputs are not permitted"),
        ({"hi": {}}, "Field required"),
        ({"rate": {"limit": 1, "per": "hour"}}, "'s' or 'min'"),
        ({"hi": {"limit": 90, "on_delay": -1}}, "greater than or equal to 0"),
        (
            {"hihi": {"limit": 90}, "hihi_typo": {"limit": 95}},
            "alarm kind .hihi_typo. is unknown: one of hihi, hi,",
        ),
        ({"advisory": {}}, "alarm kind .advisory. is not declared under a tag"),
    ],
)
def test_mistakes_are_named(data: dict, message: str):
    with pytest.raises(ValidationError, match=message):
        TagAlarms.model_validate(data)
