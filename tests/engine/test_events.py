"""One event mechanism for every observer of the engine: order, isolation, disconnect."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from hmi.alarms import AlarmEngine
from hmi.alarms.settings import TagAlarms
from hmi.events import Event
from hmi.quality import Quality, Sample
from hmi.security import UserStore
from hmi.security.service import Security
from tests.support import log_in


def broken(*_args: object) -> None:
    raise RuntimeError("listener defect")


def test_listeners_hear_in_order_and_a_failing_one_is_logged_and_skipped(caplog: pytest.LogCaptureFixture):
    event: Event[int] = Event("count")
    heard: list[tuple[str, int]] = []
    event.connect(lambda n: heard.append(("first", n)))
    event.connect(broken)
    event.connect(lambda n: heard.append(("last", n)))
    with caplog.at_level(logging.ERROR, logger="hmi.events"):
        event.emit(1)
        event.emit(2)
    assert heard == [("first", 1), ("last", 1), ("first", 2), ("last", 2)]
    assert [r.message.startswith("count listener") for r in caplog.records] == [True, True]
    assert "listener defect" in caplog.text


def test_disconnect_stops_one_listener_and_is_safe_twice_and_during_an_emit():
    event: Event[str] = Event("name")
    heard: list[str] = []
    stops: list = []

    def once(name: str) -> None:
        heard.append(f"once {name}")
        stops[0]()

    stops.append(event.connect(once))
    stop_other = event.connect(lambda name: heard.append(name))
    event.emit("a")
    event.emit("b")
    stop_other()
    stop_other()
    event.emit("c")
    assert heard == ["once a", "a", "b"] and len(event) == 0


def test_alarm_and_session_listeners_are_isolated_like_the_tag_table(tmp_path: Path):
    alarms = AlarmEngine({"T": TagAlarms.model_validate({"hi": {"limit": 10}})})
    heard: list[str] = []
    alarms.subscribe(broken)
    alarms.subscribe(lambda alarm: heard.append(alarm.id))
    alarms.on_sample("T", Sample(50.0, Quality.GOOD, 1.0))
    assert heard == ["T.HI"]

    security = Security(UserStore(tmp_path / "users.sqlite"))
    sessions: list[str | None] = []
    security.subscribe(broken)
    security.subscribe(lambda session: sessions.append(session.user if session else None))
    log_in(security, "operator", "ada")
    security.logout()
    assert sessions == ["ada", None]
