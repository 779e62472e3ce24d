"""The alarm engine: ISA-18.2 states per alarm, driven by tag samples, a clock tick and user actions.

Alarms a server owns (OPC-UA conditions) live here too, updated by `update_external`, so that every
view, the journal and the KPIs treat them like the project's own.

Times are epoch seconds: a sample's own timestamp for what it causes, `tick(now)` for delays and
expiry, `now` (default: the wall clock) for user actions. Nothing here blocks: journal rows are queued.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING

from ..events import Event
from ..expr import ExpressionError
from ..permissions import SYSTEM, Authorizer, allow_all, refusal
from ..quality import Quality, Sample
from ..tags import TagTable
from .journal import JournalEntry
from .kinds import alarm_kinds
from .model import BLINKING, ActionRefused, Alarm, AlarmAction, AlarmError, AlarmState
from .record import AlarmRecord, ExternalRecord, Forwarder
from .settings import AlarmConfig, AlarmDef, AlarmKind, Priority, TagAlarms

if TYPE_CHECKING:
    from ..storage.port import AlarmLog

log = logging.getLogger(__name__)

ADVISORY_PRIORITY = Priority.LOW
"""Findings of condition monitoring rank below every process alarm."""

Listener = Callable[[Alarm], None]
ActionListener = Callable[[AlarmAction, list[str], str, str, "list[str] | None", str], None]


class AlarmEngine:
    """Evaluates every enabled alarm of the project and journals and announces each change.

    `tags` maps a tag name to its alarm definitions. `authorize(action, actor)` is asked before
    every user action; the security layer replaces the default that allows everyone.
    """

    def __init__(
        self,
        tags: Mapping[str, TagAlarms],
        config: AlarmConfig | None = None,
        journal: AlarmLog | None = None,
        authorize: Authorizer = allow_all,
    ):
        self.config = config or AlarmConfig()
        self._journal = journal
        self._authorize = authorize
        self._records: dict[str, AlarmRecord] = {}
        self._value_deps: dict[str, list[AlarmRecord]] = {}
        self._condition_deps: dict[str, list[AlarmRecord]] = {}
        self._samples: dict[str, Sample] = {}
        self.changed: Event[Alarm] = Event("alarm")
        self.acted: Event[AlarmAction, list[str], str, str, list[str] | None, str] = Event("alarm action")
        """(action, ids, actor, comment, done ids or None when refused, reason): the audit trail's hook."""
        self._abnormal: dict[str, AlarmRecord] = {}
        self._timed: dict[str, AlarmRecord] = {}
        self._clocked: list[AlarmRecord] = []
        """Alarms of kinds the clock drives (rates decay)."""
        self._shelved: dict[str, AlarmRecord] = {}
        self._chattering: dict[str, AlarmRecord] = {}
        self._bad_conditions: set[str] = set()
        self._following = False
        """Applying another station's action (follow): checked, journaled and audited there."""
        for tag, alarms in tags.items():
            for kind, definition in alarms.defined():
                rec = AlarmRecord.create(tag, kind, definition)
                self._records[rec.id] = rec
                for name in dict.fromkeys(rec.trigger.inputs):
                    self._value_deps.setdefault(name, []).append(rec)
                if rec.suppress_when is not None:
                    for name in rec.suppress_when.names:
                        self._condition_deps.setdefault(name, []).append(rec)
                if alarm_kinds()[kind].timed:
                    self._clocked.append(rec)

    # --- inputs -------------------------------------------------------------------------------

    def attach(self, table: TagTable) -> Callable[[], None]:
        """Evaluate the table's current samples and follow its changes; returns the detach function."""
        for name in dict.fromkeys([*self._value_deps, *self._condition_deps]):
            if name in table:
                self.on_sample(name, table.get(name))
            else:
                log.warning("alarms read tag %s, which is not in the tag table", name)
        return table.subscribe(self.on_sample)

    def on_sample(self, name: str, sample: Sample) -> None:
        """The TagTable observer: re-evaluate only the alarms that read this tag."""
        values = self._value_deps.get(name)
        conditions = self._condition_deps.get(name)
        if values is None and conditions is None:
            return
        self._samples[name] = sample
        for rec in conditions or ():
            self._update_suppression(rec, sample.ts)
        for rec in values or ():
            rec.trigger.observe(name, sample)
            self._evaluate(rec, sample.ts)

    def update_external(
        self,
        alarm_id: str,
        *,
        tag: str,
        priority: Priority,
        message: str,
        active: bool,
        acked: bool,
        forward: Forwarder,
        ts: float | None = None,
        actor: str = SYSTEM,
        comment: str = "",
    ) -> None:
        """Create or update an alarm whose state a server reports; acknowledging it calls `forward`.

        `ts` is the server's time of the change (default: now); `actor` and `comment` are journaled
        with it, e.g. the operator whose acknowledgement the server confirms.
        """
        ts = time.time() if ts is None else ts
        rec = self._records.get(alarm_id)
        if rec is None:
            rec = ExternalRecord.external(alarm_id, tag, priority, message, forward)
            self._records[alarm_id] = rec
        elif not isinstance(rec, ExternalRecord):
            raise AlarmError(f"{alarm_id!r} is a project alarm; a server cannot update it")
        rec.forward = forward
        old = rec.snapshot
        rec.snapshot = dataclasses.replace(old, tag=tag, priority=priority, message=message)
        if active and not rec.active:
            rec.raised_at = ts
        rec.active = active
        rec.server_acked = acked
        rec.release()
        self._commit(rec, ts, actor, comment, announce=rec.snapshot != old)

    def update_advisory(
        self,
        alarm_id: str,
        *,
        tag: str,
        message: str,
        active: bool,
        value: float | None = None,
        limit: float | None = None,
        evidence: str = "",
        ts: float | None = None,
    ) -> None:
        """Raise, update or clear a condition-monitoring finding: an alarm of kind advisory at the
        lowest priority, acknowledged like any other. `evidence` is journaled with each raise and clear.
        """
        ts = time.time() if ts is None else ts
        rec = self._records.get(alarm_id)
        if rec is None:
            rec = AlarmRecord.create(tag, AlarmKind.ADVISORY, AlarmDef(priority=ADVISORY_PRIORITY))
            rec.snapshot = dataclasses.replace(rec.snapshot, id=alarm_id)
            self._records[alarm_id] = rec
        elif rec.snapshot.kind != AlarmKind.ADVISORY:
            raise AlarmError(f"{alarm_id!r} is not an advisory; a diagnosis cannot update it")
        old = rec.snapshot
        rec.snapshot = dataclasses.replace(old, message=message, limit=limit)
        rec.value = value
        if active and not rec.active:
            rec.raised_at = ts
            rec.acked = rec.inhibited
        rec.active = active
        self._commit(rec, ts, SYSTEM, evidence, announce=rec.snapshot.message != old.message)

    def tick(self, now: float) -> None:
        """Called about once a second: delays run out, rates decay, shelves expire, chatter fades."""
        for rec in {**self._timed, **{r.id: r for r in self._clocked}}.values():
            self._evaluate(rec, now)
        for rec in [r for r in self._shelved.values() if (r.shelved_until or now) <= now]:
            self._unshelve(rec)
            self._commit(rec, now, SYSTEM, "shelve expired")
        horizon = now - self.config.chatter_window
        for rec in list(self._chattering.values()):
            while rec.raises and rec.raises[0] <= horizon:
                rec.raises.popleft()
            if not rec.raises:
                rec.chattering = False
                del self._chattering[rec.id]
                self._commit(rec, now)

    # --- views --------------------------------------------------------------------------------

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """listener(alarm) hears every change of every alarm; returns the function that removes it."""
        return self.changed.connect(listener)

    def on_action(self, listener: ActionListener) -> Callable[[], None]:
        """listener hears every user action, refused ones too; returns the function that removes it."""
        return self.acted.connect(listener)

    def alarms(self) -> list[Alarm]:
        """Every alarm not in Normal, most urgent first (priority, then newest raised).

        Shelved, suppressed and out-of-service alarms are included: the summary filters on `state`.
        """
        found = [r.snapshot for r in self._abnormal.values()]
        found.sort(key=lambda a: (a.priority.number, -(a.raised_at or 0.0), a.id))
        return found

    def alarm(self, alarm_id: str) -> Alarm:
        return self._get(alarm_id).snapshot

    def ids(self) -> list[str]:
        """Ids of every enabled alarm, in project order."""
        return list(self._records)

    def unacked_counts(self) -> dict[Priority, int]:
        """Alarms waiting for acknowledgement, per priority."""
        counts = dict.fromkeys(Priority, 0)
        for rec in self._abnormal.values():
            if rec.snapshot.state in BLINKING:
                counts[rec.snapshot.priority] += 1
        return counts

    # --- user actions -------------------------------------------------------------------------

    def acknowledge(
        self, ids: Iterable[str], actor: str, comment: str = "", now: float | None = None
    ) -> list[str]:
        """Acknowledge the given alarms; returns the ids that needed it (others are left alone).

        A server's alarm is asked to acknowledge; it changes when the server reports that it did.
        """

        def ack(rec: AlarmRecord) -> bool:
            if rec.state() not in BLINKING:
                return False
            if isinstance(rec, ExternalRecord) and rec.forward is not None:
                if not self._following:  # the station that acknowledged asked the server already
                    rec.forward(rec.id, actor, comment)
            else:
                rec.acked = True
            return True

        return self._act(AlarmAction.ACKNOWLEDGE, ids, actor, comment, now, ack)

    def shelve(
        self,
        ids: Iterable[str],
        actor: str,
        comment: str = "",
        duration: float | None = None,
        now: float | None = None,
    ) -> list[str]:
        """Hide alarms for `duration` seconds (default: config.shelve_duration); shelving again extends."""
        duration = self.config.shelve_duration if duration is None else duration
        if duration <= 0:
            raise AlarmError(f"a shelve needs a positive duration, not {duration} s")
        now = time.time() if now is None else now

        def shelve(rec: AlarmRecord) -> bool:
            rec.shelved_until = now + duration
            self._shelved[rec.id] = rec
            rec.release()
            return True

        return self._act(AlarmAction.SHELVE, ids, actor, comment, now, shelve)

    def unshelve(
        self, ids: Iterable[str], actor: str, comment: str = "", now: float | None = None
    ) -> list[str]:
        return self._act(AlarmAction.UNSHELVE, ids, actor, comment, now, self._unshelve)

    def remove_from_service(
        self, ids: Iterable[str], actor: str, comment: str = "", now: float | None = None
    ) -> list[str]:
        """Take alarms out of service (maintenance) until returned."""
        return self._act(
            AlarmAction.REMOVE_FROM_SERVICE,
            ids,
            actor,
            comment,
            now,
            lambda rec: self._set_service(rec, out=True),
        )

    def return_to_service(
        self, ids: Iterable[str], actor: str, comment: str = "", now: float | None = None
    ) -> list[str]:
        return self._act(
            AlarmAction.RETURN_TO_SERVICE,
            ids,
            actor,
            comment,
            now,
            lambda rec: self._set_service(rec, out=False),
        )

    def follow(
        self, action: AlarmAction, ids: Iterable[str], actor: str, comment: str, until: float | None = None
    ) -> list[str]:
        """Apply an action another station of the site took (`until`: a shelve's end): the same change
        here, shown by every view, but neither checked, journaled nor told to on_action listeners a
        second time (the other station did that). Ids this project does not know are passed over."""
        ids = [i for i in ids if i in self._records]
        now = time.time()
        self._following = True
        try:
            if action is AlarmAction.ACKNOWLEDGE:
                return self.acknowledge(ids, actor, comment, now)
            if action is AlarmAction.SHELVE:
                return self.shelve(ids, actor, comment, max(1e-3, (until or now) - now), now)
            if action is AlarmAction.UNSHELVE:
                return self.unshelve(ids, actor, comment, now)
            if action is AlarmAction.REMOVE_FROM_SERVICE:
                return self.remove_from_service(ids, actor, comment, now)
            return self.return_to_service(ids, actor, comment, now)
        finally:
            self._following = False

    def _act(
        self,
        action: AlarmAction,
        ids: Iterable[str],
        actor: str,
        comment: str,
        now: float | None,
        change: Callable[[AlarmRecord], bool],
    ) -> list[str]:
        """Check permission and ids first, then apply `change` to each; journal those it changed."""
        ids = list(ids)
        reason = None if self._following else refusal(self._authorize, action, actor)
        if reason is not None:
            self._tell_action(action, ids, actor, comment, None, reason)
            raise ActionRefused(reason)
        records = [self._get(alarm_id) for alarm_id in ids]
        now = time.time() if now is None else now
        done = []
        for rec in records:
            if change(rec):
                self._commit(rec, now, actor, comment)
                done.append(rec.id)
        if not self._following:
            self._tell_action(action, ids, actor, comment, done, "")
        return done

    def _tell_action(
        self,
        action: AlarmAction,
        ids: list[str],
        actor: str,
        comment: str,
        done: list[str] | None,
        reason: str,
    ) -> None:
        self.acted.emit(action, ids, actor, comment, done, reason)

    def _unshelve(self, rec: AlarmRecord) -> bool:
        if rec.shelved_until is None:
            return False
        rec.shelved_until = None
        del self._shelved[rec.id]
        rec.release()
        return True

    @staticmethod
    def _set_service(rec: AlarmRecord, out: bool) -> bool:
        if rec.out_of_service == out:
            return False
        rec.out_of_service = out
        rec.release()
        return True

    def _get(self, alarm_id: str) -> AlarmRecord:
        try:
            return self._records[alarm_id]
        except KeyError:
            raise AlarmError(f"no alarm {alarm_id!r} in this project") from None

    # --- evaluation ---------------------------------------------------------------------------

    def _evaluate(self, rec: AlarmRecord, now: float) -> None:
        """Run the condition through the on/off delay; a change that outlasts its delay takes effect."""
        condition, value = rec.trigger.check(self._samples, now, rec.active)
        if value is not None:
            rec.value = value
        if condition is None or condition == rec.active:
            if rec.pending_since is not None:
                rec.pending_since = None
                del self._timed[rec.id]
            return
        if rec.pending_since is None:
            rec.pending_since = now
            self._timed[rec.id] = rec
        delay = rec.definition.on_delay if condition else rec.definition.off_delay
        if now - rec.pending_since < delay:
            return
        rec.pending_since = None
        del self._timed[rec.id]
        rec.active = condition
        if condition:
            rec.raised_at = now
            if not rec.inhibited:
                rec.acked = False
        self._commit(rec, now)

    def _update_suppression(self, rec: AlarmRecord, now: float) -> None:
        suppressed = self._holds(rec)
        if suppressed == rec.suppressed:
            return
        rec.suppressed = suppressed
        rec.release()
        condition = rec.suppress_when.text if rec.suppress_when else ""
        self._commit(rec, now, SYSTEM, f"{'suppressed' if suppressed else 'released'}: {condition}")

    def _holds(self, rec: AlarmRecord) -> bool:
        """Whether the suppression condition is true; unknown inputs never suppress (fail visible)."""
        expression = rec.suppress_when
        if expression is None:
            return False
        values = {}
        for name in expression.names:
            sample = self._samples.get(name)
            if sample is None or sample.quality is Quality.BAD:
                return False
            values[name] = sample.value
        try:
            return bool(expression.evaluate(values))
        except ExpressionError as exc:
            if rec.id not in self._bad_conditions:
                self._bad_conditions.add(rec.id)
                log.warning("alarm %s: suppression condition ignored: %s", rec.id, exc)
            return False

    def _commit(
        self, rec: AlarmRecord, now: float, actor: str = SYSTEM, comment: str = "", announce: bool = False
    ) -> None:
        """Publish the record if it changed: journal state changes, tell listeners about any change.

        `announce`: something outside the state changed (a server's new message), so publish anyway.
        """
        old = rec.snapshot
        state = rec.state()
        if state is AlarmState.UNACK_ACTIVE and old.state is not AlarmState.UNACK_ACTIVE:
            self._count_raise(rec, now)
        journaled = (state, rec.active, rec.shelved_until) != (old.state, old.active, old.shelved_until)
        if not journaled and not announce and rec.chattering == old.chattering:
            return
        new = rec.publish(state, now)
        if state is AlarmState.NORMAL:
            self._abnormal.pop(rec.id, None)
        else:
            self._abnormal[rec.id] = rec
        if journaled and self._journal is not None and not self._following:
            self._journal.record(JournalEntry.change(old, new, actor, comment))
        self.changed.emit(new)

    def _count_raise(self, rec: AlarmRecord, now: float) -> None:
        """Chatter detection: chatter_count raises within chatter_window; it fades after a quiet window."""
        rec.raises.append(now)
        while rec.raises[0] <= now - self.config.chatter_window:
            rec.raises.popleft()
        if len(rec.raises) >= self.config.chatter_count and not rec.chattering:
            rec.chattering = True
            self._chattering[rec.id] = rec
            log.info("alarm %s is chattering", rec.id)
