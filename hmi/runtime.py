"""The running engine of one project: tag table, connections, history, alarms, the write path."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
import time
from typing import Any
from urllib.parse import urlparse

from .alarms import AlarmAction, AlarmEngine, AlarmError
from .alarms.server_events import EventFeed
from .diagnostics.check import Level
from .diagnostics.monitor import DiagnosticsMonitor
from .diagnostics.warm import learn_from_history
from .errors import HmiError, WriteRefused
from .history import HistorianTag
from .history.settings import Kind
from .modbus.config import ModbusConnection
from .opcua import Credentials, Pki
from .permissions import Authorizer, Refusal, Signed, explain, refusal
from .project import ProjectFolder, Tag
from .project.model import Connection as ConnectionConfig
from .reports.schedule import ReportScheduler
from .security.audit import CONFIRMED, DIFFERS, OK, REFUSED
from .security.service import Security
from .security.settings import Permission
from .sim.control import FaultControl, FaultRefused
from .sources import SourceContext, TagSource, WriteResult, create_source
from .storage import Storage, open_storage
from .storage.port import SharedAction
from .tags import TagTable
from .writes import coerce

log = logging.getLogger(__name__)

TICK_S = 1.0
"""How often alarm delays, shelve expiry and rate windows are advanced."""


def historian_tag(tag: Tag) -> HistorianTag:
    kind: Kind = "digital" if tag.type == "Boolean" else "string" if tag.type == "String" else "analog"
    return HistorianTag(tag.name, kind, tag.range, tag.history)


class Runtime:
    """Owns the tag table and, for a loaded project, its connections, historian, alarm engine,
    users' session and audit trail. Every write and alarm action is checked and audited here."""

    def __init__(
        self,
        folder: ProjectFolder,
        *,
        start_simulator: bool = True,
        storage: Storage | None = None,
        credentials: Credentials | None = None,
        scheduled_reports: bool = False,
    ):
        self.folder = folder
        project = folder.project
        self.tags = folder.tags
        self.table = TagTable(self.tags)
        self.storage = storage or open_storage(folder)
        """Where history, journal and audit live: every reader of them asks it."""
        self.audit = self.storage.audit()
        self.security = Security(self.storage.user_store(), project.security, self.audit)
        self.authorize: Authorizer = self.security.authorize
        self.historian = self.storage.history_writer(
            [historian_tag(t) for t in project.tags], project.history
        )
        self.journal = self.storage.journal()
        self.shared_alarms = self.storage.shared_alarms()
        """The alarm actions of a site's other stations, applied here as they come; None when alone."""
        self.alarms = AlarmEngine(
            {t.name: t.alarms for t in project.tags},
            project.alarm_settings,
            self.journal,
            authorize=self._authorize_alarm_action,
        )
        self.alarms.on_action(self._audit_alarm_action)
        if self.shared_alarms is not None:
            self.alarms.on_action(self._share_alarm_action)
        self.diagnostics = DiagnosticsMonitor(project.diagnostics, self.tags, self.alarms)
        self.pki = Pki(authorize=lambda action, actor: self.authorize(action, actor), audit=self.audit)
        """The certificate store of every connection: trusting goes through the check point."""
        self.events = EventFeed(self.journal)
        """Plain events of the servers, journaled and announced to the event list."""
        context = SourceContext(self.table, self.alarms, credentials, self.pki, self.events)
        self.connections: dict[str, TagSource] = {
            name: create_source(name, cfg, [t for t in project.tags if t.connection == name], context)
            for name, cfg in project.connections.items()
        }
        """Each connection's source, of its kind (opcua, modbus): only `write` here writes to one."""
        self._start_simulator = start_simulator
        self._simulators: list[Any] = []
        self.plant_faults: FaultControl | None = None
        """The faults of the built-in plant simulator, once this runtime has started it."""
        self._detach: list[Any] = []
        self._ticker: asyncio.Task[None] | None = None
        self._warming: asyncio.Task[None] | None = None
        self.reports: ReportScheduler | None = None
        if scheduled_reports and project.reports:
            self.reports = ReportScheduler(folder, self.storage, before=self._commit_all)
        self._reporting: asyncio.Task[None] | None = None

    async def start(self) -> None:
        if self.shared_alarms is not None:
            loop = asyncio.get_running_loop()
            self.shared_alarms.start(lambda shared: loop.call_soon_threadsafe(self._follow, shared))
        # The historian checks its file first; that reads the whole file, so not on the loop.
        await asyncio.to_thread(self.historian.start)
        self._detach = [self.table.subscribe(self.historian.record), self.alarms.attach(self.table)]
        self.diagnostics.hold()  # until the models have learned from the history before now
        self._detach.append(self.diagnostics.attach(self.table))
        self._warming = asyncio.create_task(self._warm_start(time.time()), name="diagnostics warm start")
        self._ticker = asyncio.create_task(self._tick(), name="alarm ticks")
        if self.reports is not None:
            self._reporting = asyncio.create_task(self.reports.run(), name="scheduled reports")
        if self._start_simulator:
            await self._ensure_simulator()
        for connection in self.connections.values():
            await connection.start()

    async def stop(self) -> None:
        for connection in self.connections.values():
            await connection.stop()
        for task in (self._ticker, self._reporting, self._warming):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        self._ticker = self._reporting = self._warming = None
        for detach in self._detach:
            detach()
        self._detach = []
        # Whatever the last samples and transitions were, they reach the disk before we go.
        await asyncio.to_thread(self.historian.close)
        await asyncio.to_thread(self.journal.close)
        await asyncio.to_thread(self.audit.close)
        if self.shared_alarms is not None:
            await asyncio.to_thread(self.shared_alarms.close)
        for sim in self._simulators:
            await sim.stop()
        self._simulators.clear()
        self.plant_faults = None

    async def _warm_start(self, now: float) -> None:
        """The health models learn from the recent history, on a worker thread, then go on live."""
        assets = self.folder.project.diagnostics
        warm: DiagnosticsMonitor | None = None
        last: dict[str, float] = {}
        if assets:
            try:
                warm, last = await asyncio.to_thread(learn_from_history, assets, self.tags, self.storage, now)
            except (HmiError, OSError, sqlite3.Error) as exc:
                log.info("diagnostics start without history: %s", exc)
            except Exception:  # whatever history holds, monitoring must not stay blind
                log.exception("diagnostics warm start failed: the models learn from scratch")
        self.diagnostics.release(warm, last, now)
        if warm is not None:
            checks = [c for models in warm.checks.values() for c in models]
            learned = sum(c.level is not Level.LEARNING for c in checks)
            log.info("diagnostics warm start: %d of %d models learned from history", learned, len(checks))

    def _commit_all(self) -> None:
        """What the writer threads still hold goes to disk, so that a report sees the last second."""
        self.historian.flush()
        self.journal.flush()
        self.audit.flush()

    async def _tick(self) -> None:
        while True:
            await asyncio.sleep(TICK_S)
            now = time.time()
            self.alarms.tick(now)
            self.diagnostics.tick(now)

    async def write(self, tag_name: str, value: Any, actor: str) -> WriteResult:
        """The one path for every write: permission, type and limits, then the server; each attempt
        is audited with the value the tag had before."""
        tag = self.tags.get(tag_name)
        old = self.table.get(tag_name).value if tag_name in self.table else None
        try:
            if tag is None:
                raise WriteRefused(f"unknown tag '{tag_name}'")
            verdict = self.authorize("write", actor)
            reason = explain(verdict, "write", actor)
            if reason is not None:
                raise WriteRefused(f"{tag_name}: not written: {reason}")
            converted = coerce(tag, value)
            result = await self.connections[tag.connection]._write(tag_name, converted)
        except HmiError as exc:
            self.audit.record(actor, "write", tag_name, old=old, new=value, result=REFUSED, reason=str(exc))
            raise
        outcome = CONFIRMED if result.confirmed else DIFFERS
        signed = verdict.note() if isinstance(verdict, Signed) else ""
        notes = "; ".join(filter(None, [result.problem, signed]))
        self.audit.record(actor, "write", tag_name, old=old, new=converted, result=outcome, reason=notes)
        log.info("write %s = %r by %s (%s)", tag_name, converted, actor, result.problem or "confirmed")
        return result

    def inject_fault(
        self,
        kind: str,
        target: str,
        actor: str,
        *,
        onset_in: float | None = None,
        severity: float | None = None,
        acceleration: float = 1.0,
    ) -> str:
        """Inject a fault into the built-in plant simulator (demos, training), as `hmi sim --fault` does;
        permission first, audited either way. FaultRefused says why not."""
        spec = f"{kind}:{target}"
        try:
            control = self._fault_control(actor)
            options = {"onset_in": onset_in, "severity": severity}
            done = control.inject(kind, target, acceleration=acceleration, **options)
        except (FaultRefused, ValueError) as exc:  # FaultError: a fault the plant cannot have
            self.audit.record(actor, "inject_fault", spec, result=REFUSED, reason=str(exc))
            raise FaultRefused(f"{spec} not injected: {exc}") from None
        self.audit.record(actor, "inject_fault", spec, new=done)
        log.info("simulator fault injected by %s: %s", actor, done)
        return done

    def clear_faults(self, actor: str) -> int:
        """End every fault of the built-in plant simulator; how many there were. Audited either way."""
        try:
            count = self._fault_control(actor).clear()
        except FaultRefused as exc:
            self.audit.record(actor, "clear_faults", "simulator", result=REFUSED, reason=str(exc))
            raise FaultRefused(f"faults not cleared: {exc}") from None
        self.audit.record(actor, "clear_faults", "simulator", new=f"{count} fault(s) cleared")
        log.info("simulator faults cleared by %s: %d", actor, count)
        return count

    def fault_refusal(self, actor: str) -> str | None:
        """Why `actor` may not inject simulator faults now (the menu shows it disabled), or None."""
        try:
            self._fault_control(actor, use=False)
        except FaultRefused as exc:
            return str(exc)
        return None

    def _fault_control(self, actor: str, use: bool = True) -> FaultControl:
        if self.plant_faults is None:
            raise FaultRefused(
                "no plant simulator runs inside this station (faults of an outside one: hmi sim --fault)"
            )
        check = self.authorize if use else self.security.permits
        reason = refusal(check, Permission.INJECT_FAULTS.value, actor)
        if reason is not None:
            raise FaultRefused(reason)
        return self.plant_faults

    def _authorize_alarm_action(self, action: str, actor: str) -> bool | Refusal | Signed:
        """The check point, and on a site: no alarm action the other stations would not hear of."""
        if self.shared_alarms is not None and not self.shared_alarms.online:
            return Refusal(
                "alarm actions are read-only on this station while the site database cannot be reached"
            )
        return self.authorize(action, actor)

    def _share_alarm_action(
        self,
        action: AlarmAction,
        ids: list[str],
        actor: str,
        comment: str,
        done: list[str] | None,
        reason: str,
    ) -> None:
        """Tell the site's other stations what a user here did to alarms."""
        if not done or self.shared_alarms is None:
            return
        until = self.alarms.alarm(done[0]).shelved_until if action is AlarmAction.SHELVE else None
        self.shared_alarms.publish(
            SharedAction(action, done, actor, comment, self.shared_alarms.station, until, time.time())
        )

    def _follow(self, shared: SharedAction) -> None:
        """Another station's alarm action, on the loop: the same change here."""
        try:
            self.alarms.follow(shared.action, shared.ids, shared.actor, shared.comment, shared.until)
        except AlarmError as exc:  # e.g. a shelve of no duration from a station with other settings
            log.warning("alarm action of %s not applied here: %s", shared.station, exc)

    def _audit_alarm_action(
        self,
        action: AlarmAction,
        ids: list[str],
        actor: str,
        comment: str,
        done: list[str] | None,
        reason: str,
    ) -> None:
        """One audit row per alarm of a user action: its state after, or why the action was refused."""
        for alarm_id in ids:
            if done is None:
                self.audit.record(actor, action.value, alarm_id, result=REFUSED, reason=reason)
                continue
            state = self.alarms.alarm(alarm_id).state.value
            result = OK if alarm_id in done else "no change"
            self.audit.record(actor, action.value, alarm_id, new=state, result=result, reason=comment)

    async def _ensure_simulator(self) -> None:
        """Start the built-in demo plant where the project expects it and nothing answers yet, with
        the energy meter on the port of the project's simulated Modbus connection."""
        configs = self.folder.project.connections.values()
        plant = next((c for c in configs if isinstance(c, ConnectionConfig) and c.simulator), None)
        meter = next((c for c in configs if isinstance(c, ModbusConnection) and c.simulator), None)
        if plant is None:
            return
        url = urlparse(plant.endpoint)
        host, port = url.hostname or "127.0.0.1", url.port or 4840
        if host not in ("127.0.0.1", "localhost"):
            log.warning("simulator endpoint %s is not on this machine; not starting it", plant.endpoint)
            return
        if await _answers(host, port):
            return
        modbus_port = meter.port if meter is not None and not await _answers(meter.host, meter.port) else None
        from .sim.server import SimulatorServer

        sim = SimulatorServer("127.0.0.1", port, modbus_port=modbus_port)
        await sim.start()
        self._simulators.append(sim)
        self.plant_faults = FaultControl(sim.plant)
        log.info("started the built-in plant simulator at %s", sim.endpoint)


async def _answers(host: str, port: int) -> bool:
    """Whether something listens at host:port."""
    try:
        _, writer = await asyncio.open_connection(host, port)
    except OSError:
        return False
    writer.close()
    return True
