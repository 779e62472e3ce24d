"""The engine as a Sparkplug B edge node: births with every tag, changes by exception, death as the will,
rebirth on request, writes from hosts through the engine's write path (topics: see the package doc)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from google.protobuf.message import DecodeError

from ..errors import HmiError
from ..project.model import Tag
from ..quality import Quality, Sample
from ..sources.status import WriteResult
from ..tags import TagTable
from .alarms import ACK, ALARMS, AlarmMetrics
from .link import Link
from .payload import (
    BD_SEQ,
    BOOLEAN,
    CONFIRMED,
    DATATYPES,
    DOUBLE,
    GOOD,
    INT32,
    INT64,
    REBIRTH,
    REFUSED,
    STRING,
    WRITE,
    Payload,
    add_property,
    add_sample,
    bd_seq_payload,
    get_value,
    new_payload,
    parse_topic,
    properties,
    topic,
)
from .settings import Publish, node_id_of, parse_broker

if TYPE_CHECKING:
    from ..alarms import AlarmEngine
    from ..alarms.model import Alarm
    from ..runtime import Runtime

log = logging.getLogger(__name__)

MAX_METRICS = 5000
"""Metrics in one DDATA: a burst of changes goes out as several messages, none of them huge."""
MAX_UNSENT = 200
"""Messages paho may hold unwritten before changes wait (and newer ones replace them, counted)."""

COUNTERS_EVERY_S = 60.0
"""With no window, the log is where the edge node's throughput is seen."""

Writer = Callable[[str, Any], Awaitable[WriteResult]]


@dataclass
class MetricDef:
    """One metric of the edge node: its device, name, datatype and, for a tag's, the tag."""

    device: str
    name: str
    datatype: int
    tag: Tag | None = None


@dataclass(frozen=True)
class EdgeCounters:
    messages: int
    """Messages published since the start."""
    metrics: int
    """Metric values published (births included)."""
    queue: int
    """Changes waiting to go out, and messages paho has not written yet."""
    dropped: int
    """Changes replaced by a newer one of the same tag before they went out (only the latest is sent)."""
    reconnects: int
    refused: int
    """Messages not sent because the broker session was down (their changes go out in the next birth)."""


class EdgeNode:
    """Publishes the tag table (and the alarms) of one engine; `write` is the engine's write path."""

    def __init__(
        self,
        settings: Publish,
        node_id: str,
        tags: list[Tag],
        table: TagTable,
        *,
        write: Writer | None = None,
        alarms: AlarmEngine | None = None,
        state_dir: Path | None = None,
    ):
        self.settings = settings
        self.node_id = node_id
        self.group = settings.group
        self.table = table
        self._write = write
        self.alarms = alarms
        self.metrics: list[MetricDef] = [MetricDef("", BD_SEQ, INT64)]  # alias 0: never sent as data
        self.aliases: dict[tuple[str, str], int] = {}
        for tag in tags:
            self._define(MetricDef(tag.connection, tag.name, DATATYPES[tag.type], tag))
        self._alarms = AlarmMetrics(alarms) if alarms is not None else None
        if self._alarms is not None:
            for name, datatype in self._alarms.definitions():
                self._define(MetricDef(ALARMS, name, datatype))
        self.devices = sorted({m.device for m in self.metrics[1:]})
        self._by_tag = {m.tag.name: alias for alias, m in enumerate(self.metrics) if m.tag is not None}
        self._pending: dict[int, Sample] = {}
        self._state_file = state_dir / f"sparkplug-{node_id}.bdseq" if state_dir is not None else None
        self.bd_seq = self._next_bd_seq()
        self.seq = 0
        self.born = False
        self._last_problem = ""
        self.messages = self.metric_count = self.dropped = 0
        self._detach: list[Callable[[], None]] = []
        self._tasks: set[asyncio.Task[Any]] = set()
        self._flusher: asyncio.Task[None] | None = None
        self.link: Link | None = None

    def _define(self, metric: MetricDef) -> None:
        self.aliases[(metric.device, metric.name)] = len(self.metrics)
        self.metrics.append(metric)

    # -- lifecycle -------------------------------------------------------------------------------

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        link = Link(
            f"openhmi-edge-{self.group}-{self.node_id}",
            parse_broker(self.settings.broker),
            self.settings.keepalive_s,
            loop,
            on_message=self._message,
            on_up=self._birth,
            on_down=self._down,
            subscriptions=[
                topic(self.group, "NCMD", self.node_id),
                topic(self.group, "DCMD", self.node_id, "+"),
            ],
            before_reconnect=self._new_session,
        )
        link.will(topic(self.group, "NDEATH", self.node_id), bd_seq_payload(self.bd_seq).SerializeToString())
        self.link = link
        self._detach.append(self.table.subscribe(self._changed))
        if self.alarms is not None:
            self._detach.append(self.alarms.subscribe(self._alarm_changed))
            self._detach.append(self.alarms.on_action(self._alarm_action))
        self._flusher = asyncio.create_task(self._flush_every(), name=f"sparkplug {self.node_id}")
        link.start()
        log.info("edge node %s/%s publishing to %s", self.group, self.node_id, link.broker)

    async def stop(self) -> None:
        """NDEATH as a clean goodbye (a clean disconnect sends no will), then disconnect."""
        for detach in self._detach:
            detach()
        self._detach = []
        for task in (self._flusher, *self._tasks):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        link, self.link = self.link, None
        if link is None:
            return
        if link.up:
            death = bd_seq_payload(self.bd_seq).SerializeToString()
            info = link.client.publish(topic(self.group, "NDEATH", self.node_id), death, qos=1)
            with contextlib.suppress(RuntimeError, ValueError):
                await asyncio.to_thread(info.wait_for_publish, 2.0)
        await asyncio.to_thread(link.stop)

    def counters(self) -> EdgeCounters:
        link = self.link
        unsent = link.unsent if link is not None else 0
        return EdgeCounters(
            self.messages,
            self.metric_count,
            len(self._pending) + unsent,
            self.dropped,
            link.reconnects if link is not None else 0,
            link.refused if link is not None else 0,
        )

    def _next_bd_seq(self) -> int:
        """One more than the last session's, across restarts: a host never takes an old will for ours."""
        last = -1
        if self._state_file is not None:
            with contextlib.suppress(OSError, ValueError):
                last = int(self._state_file.read_text())
        bd_seq = (last + 1) % 256
        if self._state_file is not None:
            with contextlib.suppress(OSError):
                self._state_file.write_text(str(bd_seq))
        return bd_seq

    def _new_session(self) -> None:
        """On paho's thread, before it connects again: the next session's bdSeq in the will."""
        self.bd_seq = self._next_bd_seq()
        if self.link is not None:
            death = bd_seq_payload(self.bd_seq).SerializeToString()
            self.link.will(topic(self.group, "NDEATH", self.node_id), death)

    def _down(self, reason: str) -> None:
        if self.link is not None and reason != self._last_problem:  # once an outage, not at stop()
            log.warning("edge node %s: %s; reconnecting", self.node_id, reason)
        self._last_problem = reason
        self.born = False

    # -- births ----------------------------------------------------------------------------------

    def _birth(self) -> None:
        """NBIRTH, then a DBIRTH per device with every metric's current value: what hosts start from."""
        self.seq = 0
        self._pending.clear()  # the births carry every current value
        payload = new_payload(0)
        bd_seq = payload.metrics.add()
        bd_seq.name, bd_seq.datatype, bd_seq.long_value = BD_SEQ, INT64, self.bd_seq
        rebirth = payload.metrics.add()
        rebirth.name, rebirth.datatype, rebirth.boolean_value = REBIRTH, BOOLEAN, False
        self._send("NBIRTH", None, payload, next_seq=False)
        for device in self.devices:
            payload = new_payload(self.seq)
            for alias, defined in enumerate(self.metrics):
                if defined.device == device:
                    self._add_birth_metric(payload, alias, defined)
            self._send("DBIRTH", device, payload)
        self.born = True
        self._last_problem = ""
        log.info("edge node %s born (bdSeq %d, %d metrics)", self.node_id, self.bd_seq, len(self.metrics) - 1)

    def _add_birth_metric(self, payload: Payload, alias: int, metric: MetricDef) -> None:
        sample = self._sample(alias)
        entry = add_sample(payload, alias, metric.datatype, sample, metric.name)
        tag = metric.tag
        if tag is None:
            return
        if sample.quality is Quality.GOOD:
            add_property(entry, "Quality", INT32, GOOD)  # a birth states every metric's quality
        add_property(entry, "engUnit", STRING, tag.units)
        if tag.range is not None:
            add_property(entry, "engLow", DOUBLE, tag.range[0])
            add_property(entry, "engHigh", DOUBLE, tag.range[1])
        if tag.description:
            add_property(entry, "Documentation", STRING, tag.description)
        add_property(entry, "readOnly", BOOLEAN, not tag.writable)

    def _sample(self, alias: int) -> Sample:
        metric = self.metrics[alias]
        if metric.tag is not None:
            return self.table.get(metric.tag.name)
        assert self._alarms is not None
        return self._alarms.sample(metric.name)

    # -- data ------------------------------------------------------------------------------------

    def _changed(self, name: str, sample: Sample) -> None:
        alias = self._by_tag.get(name)
        if alias is not None:
            self._queue(alias, sample)

    def _queue(self, alias: int, sample: Sample) -> None:
        if alias in self._pending:
            self.dropped += 1
        self._pending[alias] = sample

    async def _flush_every(self) -> None:
        loop = asyncio.get_running_loop()
        logged_at, last = loop.time(), self.counters()
        while True:
            await asyncio.sleep(self.settings.flush_ms / 1000)
            self.flush()
            if loop.time() - logged_at >= COUNTERS_EVERY_S:
                now = self.counters()
                span, logged_at = loop.time() - logged_at, loop.time()
                log.info(
                    "edge node %s: %.1f messages/s, %.1f metrics/s, queue %d, %d dropped, %d unsent, "
                    "%d reconnects",
                    self.node_id,
                    (now.messages - last.messages) / span,
                    (now.metrics - last.metrics) / span,
                    now.queue,
                    now.dropped - last.dropped,
                    now.refused - last.refused,
                    now.reconnects,
                )
                last = now

    def flush(self) -> None:
        """The waiting changes as DDATA, a message per device (and per MAX_METRICS of them)."""
        link = self.link
        if not self._pending or not self.born or link is None or link.unsent > MAX_UNSENT:
            return
        pending, self._pending = self._pending, {}
        by_device: dict[str, list[int]] = {}
        for alias in pending:
            by_device.setdefault(self.metrics[alias].device, []).append(alias)
        for device, aliases in by_device.items():
            for start in range(0, len(aliases), MAX_METRICS):
                payload = new_payload(self.seq)
                for alias in aliases[start : start + MAX_METRICS]:
                    add_sample(payload, alias, self.metrics[alias].datatype, pending[alias])
                self._send("DDATA", device, payload)

    def _send(self, kind: str, device: str | None, payload: Payload, next_seq: bool = True) -> None:
        link = self.link
        if link is None:
            return
        if link.publish(topic(self.group, kind, self.node_id, device), payload.SerializeToString()):
            self.messages += 1
            self.metric_count += len(payload.metrics)
        if next_seq:
            self.seq = (self.seq + 1) % 256
        elif kind == "NBIRTH":
            self.seq = 1

    # -- alarms ----------------------------------------------------------------------------------

    def _alarm_changed(self, alarm: Alarm) -> None:
        assert self._alarms is not None
        for name, sample in self._alarms.changed(alarm):
            self._queue(self.aliases[(ALARMS, name)], sample)

    def _alarm_action(self, *action: Any) -> None:
        assert self._alarms is not None
        name, sample = self._alarms.action(*action)
        self._queue(self.aliases[(ALARMS, name)], sample)

    # -- commands --------------------------------------------------------------------------------

    def _message(self, text: str, data: bytes) -> None:
        parsed = parse_topic(text)
        if parsed is None:
            return
        try:
            payload = Payload.FromString(data)
        except DecodeError:
            log.warning("edge node %s: a %s that is not a Sparkplug B payload", self.node_id, parsed.kind)
            return
        if parsed.kind == "NCMD":
            if any(m.name == REBIRTH and m.boolean_value for m in payload.metrics):
                log.info("edge node %s: rebirth requested", self.node_id)
                self._birth()
        elif parsed.kind == "DCMD" and parsed.device == ALARMS and self._alarms is not None:
            for metric in payload.metrics:
                if metric.name.endswith(f"/{ACK}") and metric.boolean_value:
                    props = properties(metric)
                    self._alarms.acknowledge(
                        metric.name, str(props.get("actor", "")), str(props.get("comment", ""))
                    )
        elif parsed.kind == "DCMD" and parsed.device is not None:
            for metric in payload.metrics:
                alias = self.aliases.get((parsed.device, metric.name)) if metric.name else metric.alias
                if alias is None or not 0 < alias < len(self.metrics) or self.metrics[alias].tag is None:
                    log.warning(
                        "edge node %s: DCMD for unknown metric %s/%s",
                        self.node_id,
                        parsed.device,
                        metric.name,
                    )
                    continue
                value = get_value(metric, self.metrics[alias].datatype)
                task = asyncio.create_task(self._command(alias, value))
                self._tasks.add(task)
                task.add_done_callback(self._tasks.discard)

    async def _command(self, alias: int, value: Any) -> None:
        """A host's write: through the engine's write path; its read-back (or why not) goes out at once."""
        tag = self.metrics[alias].tag
        assert tag is not None
        outcome = CONFIRMED
        read_back: Sample | None = None
        try:
            if self._write is None:
                raise HmiError(f"{tag.name}: this edge node takes no writes")
            result = await self._write(tag.name, value)
            if result.confirmed:
                read_back = Sample(result.read_back, Quality.GOOD, time.time())
            else:
                outcome = result.problem or "not confirmed"
        except HmiError as exc:
            outcome = f"{REFUSED}{exc}"
        sample = read_back or self.table.get(tag.name)
        payload = new_payload(self.seq)
        add_property(add_sample(payload, alias, self.metrics[alias].datatype, sample), WRITE, STRING, outcome)
        self._send("DDATA", tag.connection, payload)


def edge_node_of(runtime: Runtime, settings: Publish) -> EdgeNode:
    """The edge node of a running engine: its tags and alarms; hosts' writes as the engine's own
    (SYSTEM), through its write path: types, write limits and the audit trail."""
    from ..paths import project_data_dir
    from ..permissions import SYSTEM

    folder = runtime.folder
    return EdgeNode(
        settings,
        settings.node or node_id_of(folder.project.name),
        folder.project.tags,
        runtime.table,
        write=lambda name, value: runtime.write(name, value, SYSTEM),
        alarms=runtime.alarms,
        state_dir=project_data_dir(folder.root, folder.project.name),
    )
