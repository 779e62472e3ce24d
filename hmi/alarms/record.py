"""The engine's working state of one alarm, and the ISA-18.2 state it derives from its flags."""

from __future__ import annotations

import dataclasses
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Self

from ..expr import Expression
from .kinds import alarm_kinds, make_trigger
from .model import Alarm, AlarmState
from .settings import AlarmDef, AlarmKind, DiscreteAlarm, Priority
from .trigger import Trigger

Forwarder = Callable[[str, str, str], None]
"""forward(alarm_id, actor, comment): asks the server that owns an alarm to acknowledge it."""


@dataclass(eq=False, slots=True)
class AlarmRecord:
    """Mutable state of one alarm; views only ever see its published `snapshot`.

    The process condition (`active`) and the inhibitions (out of service, shelved, suppressed)
    are independent flags, so an alarm keeps tracking its condition while it is hidden.
    """

    definition: AlarmDef
    trigger: Trigger
    suppress_when: Expression | None
    snapshot: Alarm
    active: bool = False
    acked: bool = True
    pending_since: float | None = None
    suppressed: bool = False
    shelved_until: float | None = None
    out_of_service: bool = False
    chattering: bool = False
    raises: deque[float] = field(default_factory=deque)
    raised_at: float | None = None
    value: Any = None

    @classmethod
    def create(cls, tag: str, kind: str, definition: AlarmDef) -> Self:
        """A record in Normal for one alarm definition of a tag; its id is `<tag>.<KIND>`."""
        trigger = make_trigger(tag, kind, definition)
        snapshot = Alarm(
            id=f"{tag}.{kind.upper()}",
            tag=tag,
            kind=kind,
            priority=definition.priority,
            state=AlarmState.NORMAL,
            active=False,
            acked=True,
            value=None,
            limit=trigger.limit,
            message=definition.message or f"{tag} {alarm_kinds()[kind].label}",
            raised_at=None,
            changed_at=None,
            shelved_until=None,
            chattering=False,
        )
        condition = Expression(definition.suppress_when) if definition.suppress_when.strip() else None
        return cls(definition, trigger, condition, snapshot)

    @property
    def id(self) -> str:
        return self.snapshot.id

    @property
    def inhibited(self) -> bool:
        return self.out_of_service or self.shelved_until is not None or self.suppressed

    def state(self) -> AlarmState:
        """Out of service outranks shelved, which outranks suppressed; then active and acked decide."""
        if self.out_of_service:
            return AlarmState.OUT_OF_SERVICE
        if self.shelved_until is not None:
            return AlarmState.SHELVED
        if self.suppressed:
            return AlarmState.SUPPRESSED
        if self.active:
            return AlarmState.ACK_ACTIVE if self.acked else AlarmState.UNACK_ACTIVE
        return AlarmState.NORMAL if self.acked else AlarmState.RTN_UNACK

    def release(self) -> None:
        """After an inhibition changed: hidden alarms need no ack; one coming back active needs one."""
        self.acked = True if self.inhibited else not self.active

    def publish(self, state: AlarmState, now: float) -> Alarm:
        """Take a new snapshot of the record as it stands."""
        self.snapshot = dataclasses.replace(
            self.snapshot,
            state=state,
            active=self.active,
            acked=self.acked,
            value=self.value,
            raised_at=self.raised_at,
            changed_at=now,
            shelved_until=self.shelved_until,
            chattering=self.chattering,
        )
        return self.snapshot


@dataclass(eq=False, slots=True)
class ExternalRecord(AlarmRecord):
    """An alarm whose process state and acknowledgement a server owns (an OPC-UA condition).

    Shelving and out of service stay local to this HMI; an acknowledgement is forwarded to the server
    and takes effect when the server reports it.
    """

    forward: Forwarder | None = None
    server_acked: bool = True

    @classmethod
    def external(
        cls, alarm_id: str, tag: str, priority: Priority, message: str, forward: Forwarder
    ) -> ExternalRecord:
        """A record in Normal for a server condition; it reads as a discrete alarm with no limit."""
        rec = cls.create(tag, AlarmKind.DISCRETE, DiscreteAlarm(priority=priority, message=message))
        rec.snapshot = dataclasses.replace(rec.snapshot, id=alarm_id, limit=None)
        rec.forward = forward
        return rec

    def release(self) -> None:
        """Hidden alarms need no ack; shown again, the server's acknowledgement state holds."""
        self.acked = True if self.inhibited else self.server_acked
