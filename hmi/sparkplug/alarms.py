"""The `_alarms` companion device (see the package doc): an edge node's alarms and operator actions as
metrics, and a host's view of them as alarms of its own engine whose acknowledgement goes back."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..alarms.settings import Priority
from ..quality import Quality, Sample
from .payload import BOOLEAN, STRING

if TYPE_CHECKING:
    from ..alarms import AlarmEngine
    from ..alarms.model import Alarm, AlarmAction
    from ..sources.port import ServerAlarms

log = logging.getLogger(__name__)

ALARMS = "_alarms"
LAST_ACTION = "_actions/last"
ACK = "ack"
"""A host's DCMD `ALARM_ID/ack` (Boolean true; String properties actor, comment) acknowledges it."""
FIELDS: dict[str, int] = {
    "state": STRING,
    "active": BOOLEAN,
    "acked": BOOLEAN,
    "priority": STRING,
    "message": STRING,
    "tag": STRING,
}


class AlarmMetrics:
    """The edge node's side: the metrics of every alarm of its engine, and their samples."""

    def __init__(self, engine: AlarmEngine):
        self.engine = engine

    def definitions(self) -> list[tuple[str, int]]:
        """(metric name, datatype) of every alarm's fields, then the last action."""
        found = [(f"{i}/{field}", datatype) for i in self.engine.ids() for field, datatype in FIELDS.items()]
        return [*found, (LAST_ACTION, STRING)]

    def sample(self, name: str) -> Sample:
        if name == LAST_ACTION:
            return Sample("", Quality.GOOD, time.time())
        alarm_id, _, field = name.rpartition("/")
        alarm = self.engine.alarm(alarm_id)
        return Sample(_field(alarm, field), Quality.GOOD, alarm.changed_at or time.time())

    def changed(self, alarm: Alarm) -> list[tuple[str, Sample]]:
        ts = alarm.changed_at or time.time()
        return [(f"{alarm.id}/{field}", Sample(_field(alarm, field), Quality.GOOD, ts)) for field in FIELDS]

    def action(
        self,
        action: AlarmAction,
        ids: list[str],
        actor: str,
        comment: str,
        done: list[str] | None,
        reason: str,
    ) -> tuple[str, Sample]:
        now = time.time()
        text = json.dumps(
            {
                "ts": now,
                "actor": str(actor),
                "action": action.value,
                "alarms": ids,
                "comment": comment,
                "done": done,
                "reason": reason,
            }
        )
        return LAST_ACTION, Sample(text, Quality.GOOD, now)

    def acknowledge(self, name: str, actor: str, comment: str) -> None:
        """A host's acknowledgement, by the engine itself (the host checked the operator's permission),
        the host's operator and comment journaled with it."""
        from ..permissions import SYSTEM

        alarm_id = name.removesuffix(f"/{ACK}")
        note = f"acknowledged by {actor or 'an operator'} at a Sparkplug host" + (
            f": {comment}" if comment else ""
        )
        try:
            self.engine.acknowledge([alarm_id], SYSTEM, note)
        except Exception as exc:  # an unknown id from a host must not reach the network thread's loop
            log.warning("a host's acknowledgement of %s: %s", alarm_id, exc)


def _field(alarm: Alarm, field: str) -> Any:
    value = getattr(alarm, field)
    return value.value if hasattr(value, "value") else value


class HostAlarms:
    """The host's side: the edge node's alarms in the station's alarm engine, as a server's alarms are
    (OPC-UA conditions): shown, journaled, and acknowledged through `forward`, which asks the edge node."""

    def __init__(self, connection: str, engine: ServerAlarms, forward: Callable[[str, str, str], None]):
        self.connection = connection
        self.engine = engine
        self.forward = forward
        self._fields: dict[str, dict[str, Any]] = {}
        self._touched: set[str] = set()
        self._ts: dict[str, float] = {}

    def local_id(self, edge_id: str) -> str:
        return f"{self.connection}:{edge_id}"

    def edge_id(self, local_id: str) -> str:
        return local_id.removeprefix(f"{self.connection}:")

    def update(self, name: str, value: Any, ts: float) -> None:
        alarm_id, _, field = name.rpartition("/")
        if field not in FIELDS or not alarm_id:
            return
        self._fields.setdefault(alarm_id, {})[field] = value
        self._touched.add(alarm_id)
        self._ts[alarm_id] = ts

    def commit(self) -> None:
        """The alarms a message changed, once each, when every field of theirs is known."""
        touched, self._touched = self._touched, set()
        for alarm_id in touched:
            fields = self._fields[alarm_id]
            if not FIELDS.keys() <= fields.keys():
                continue
            try:
                priority = Priority(fields["priority"])
            except ValueError:
                priority = Priority.MEDIUM
            self.engine.update_external(
                self.local_id(alarm_id),
                tag=str(fields["tag"]),
                priority=priority,
                message=str(fields["message"]),
                active=bool(fields["active"]),
                acked=bool(fields["acked"]),
                forward=self.forward,
                ts=self._ts[alarm_id],
            )
