"""Alarm states (ISA-18.2), the alarm as views see it, user actions and their errors."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from ..errors import HmiError
from .settings import Priority


class AlarmState(StrEnum):
    """The ISA-18.2 states; the last three hide the alarm from the summary whatever the process does."""

    NORMAL = "normal"
    UNACK_ACTIVE = "unack_active"
    ACK_ACTIVE = "ack_active"
    RTN_UNACK = "rtn_unack"
    SHELVED = "shelved"
    SUPPRESSED = "suppressed"
    OUT_OF_SERVICE = "out_of_service"


BLINKING = frozenset({AlarmState.UNACK_ACTIVE, AlarmState.RTN_UNACK})


class AlarmAction(StrEnum):
    """What a user can do to alarms; the security hook decides who may do which."""

    ACKNOWLEDGE = "acknowledge"
    SHELVE = "shelve"
    UNSHELVE = "unshelve"
    REMOVE_FROM_SERVICE = "remove_from_service"
    RETURN_TO_SERVICE = "return_to_service"


class AlarmError(HmiError):
    """An alarm action that cannot be done, e.g. on an alarm id that does not exist."""


class ActionRefused(AlarmError):
    """The user is not permitted to do this to alarms."""


@dataclass(frozen=True, slots=True)
class Alarm:
    """One alarm as it stands after its last change: a row of the alarm summary.

    `value` is the measured quantity compared with `limit` at that change (the deviation from the
    setpoint, the rate, the quality reason for a bad-quality alarm).
    """

    id: str
    tag: str
    kind: str
    """Its kind's name (hmi.alarms.kinds): an AlarmKind for the built-in ones."""
    priority: Priority
    state: AlarmState
    active: bool
    acked: bool
    value: Any
    limit: Any
    message: str
    raised_at: float | None
    changed_at: float | None
    shelved_until: float | None
    chattering: bool

    @property
    def blinking(self) -> bool:
        """Unacknowledged: the operator still has to see this one."""
        return self.state in BLINKING
