"""History settings: defaults an engineer expects, and clear refusals of combinations that make no sense."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from hmi.history import HistorianTag, HistoryConfig, HistoryError, TagHistory


def test_defaults_log_every_change_and_write_nothing_to_the_project_file():
    assert TagHistory().mode == "on_change"
    assert TagHistory().model_dump(exclude_defaults=True) == {}
    config = HistoryConfig()
    assert (config.retention_days, config.max_size_mb, config.flush_interval_s) == (30, 1024, 1.0)
    assert config.model_dump(exclude_defaults=True) == {}


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"deadband": 1, "deadband_pct": 2}, "either deadband or deadband_pct"),
        ({"mode": "periodic"}, "needs period_s"),
        ({"mode": "swinging_door"}, "needs deviation"),
        ({"mode": "periodic", "period_s": 1, "deadband": 1}, "deadband applies to mode 'on_change'"),
        ({"deviation": 0.5}, "deviation applies to mode 'swinging_door'"),
        ({"mode": "off", "period_s": 5}, "period_s applies to mode 'periodic'"),
        ({"mode": "sometimes"}, "on_change"),
        ({"deadband_pct": 150}, "less than or equal to 100"),
        ({"period_s": 0, "mode": "periodic"}, "greater than 0"),
        ({"retention": 5}, "Extra inputs are not permitted"),
    ],
)
def test_invalid_settings_are_refused_with_a_reason(settings: dict, message: str):
    with pytest.raises(ValidationError, match=message):
        TagHistory.model_validate(settings)


def test_valid_combinations_are_kept():
    assert TagHistory(deadband_pct=0.5, retention_days=7).deadband_pct == 0.5
    assert TagHistory(mode="periodic", period_s=10).period_s == 10
    assert TagHistory(mode="swinging_door", deviation=0.2).deviation == 0.2


def test_percent_deadband_is_taken_from_the_engineering_range():
    tag = HistorianTag("TK101.Level", "analog", (0.0, 200.0), TagHistory(deadband_pct=1))
    assert tag.deadband == 2.0
    assert HistorianTag("x", settings=TagHistory(deadband=0.3)).deadband == 0.3


@pytest.mark.parametrize(
    ("kind", "eng_range", "settings", "message"),
    [
        ("digital", None, TagHistory(deadband=1), "deadband needs an analog tag"),
        ("string", None, TagHistory(mode="swinging_door", deviation=1), "deviation needs an analog tag"),
        ("analog", None, TagHistory(deadband_pct=1), "deadband_pct needs the tag's engineering range"),
        ("integer", None, TagHistory(), "unknown kind 'integer'"),
    ],
)
def test_settings_that_do_not_fit_the_tag_name_the_tag(kind, eng_range, settings, message):
    with pytest.raises(HistoryError, match=f"tag 'P101.Run': {message}"):
        HistorianTag("P101.Run", kind, eng_range, settings)
