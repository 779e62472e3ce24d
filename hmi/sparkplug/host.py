"""One Sparkplug B edge node as a source of tag values (`kind: sparkplug`): the station as a host.

Births give each tag its alias, datatype and value; data by exception keeps them current with their
quality. Every tag turns Bad at once on the edge node's death (its bdSeq matched) or the loss of the
broker; a sequence gap (or data before any birth) asks the edge node for a rebirth. A write goes out as
a DCMD and is confirmed by the edge node's read-back.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import struct
import time
from collections.abc import Callable
from typing import Any

from google.protobuf.message import DecodeError

from ..errors import WriteRefused
from ..events import Event
from ..notices import OPERATOR
from ..project.model import Tag
from ..quality import COMM_FAILURE, WAITING, Quality, Sample
from ..sources.port import ServerAlarms
from ..sources.status import ConnectionCounters, ConnectionState, ConnectionStatus, Latency, WriteResult
from ..tags import TagTable
from .alarms import ACK, ALARMS, HostAlarms
from .config import SparkplugConnection
from .kind import split
from .link import Link
from .payload import (
    BOOLEAN,
    CONFIRMED,
    FLOAT,
    REFUSED,
    STRING,
    WRITE,
    Metric,
    Payload,
    add_property,
    bd_seq_of,
    get_value,
    new_payload,
    parse_topic,
    properties,
    quality_of,
    rebirth_request,
    set_value,
    topic,
)
from .settings import parse_broker

log = logging.getLogger(__name__)

EDGE_OFFLINE = "edge node offline"
DEVICE_OFFLINE = "device offline"
BROKER_LOST = "broker connection lost"
NOT_BORN = "not in the edge node's birth certificate"
REBIRTH_EVERY_S = 2.0
"""A rebirth asked for and not come yet is asked for again no sooner than this."""


class SparkplugSource:
    """A project connection to one edge node on a broker: keeps its tags current, with quality."""

    def __init__(
        self,
        name: str,
        config: SparkplugConnection,
        tags: list[Tag],
        table: TagTable,
        alarms: ServerAlarms | None = None,
    ):
        self.name = name
        self.config = config
        self.tags = {t.name: t for t in tags}
        self.table = table
        self.status = ConnectionStatus(ConnectionState.CONNECTING)
        self.status_changed: Event[ConnectionStatus] = Event(f"{name} status")
        self.node_problems: dict[str, str] = {}
        self._by_metric: dict[tuple[str, str], str] = {}
        for tag in tags:
            parts = split(tag.node)
            if parts is not None:
                self._by_metric[parts] = tag.name
        self._by_device: dict[str, list[str]] = {}
        for (device, _), tag_name in self._by_metric.items():
            self._by_device.setdefault(device, []).append(tag_name)
        self._aliases: dict[int, str] = {}
        """Alias -> tag name, from the births."""
        self._alarms = HostAlarms(name, alarms, self._acknowledge) if alarms and config.alarms else None
        self._alarm_names: dict[int, tuple[str, int]] = {}
        """Alias -> metric name and datatype of the `_alarms` device, from its birth."""
        self._datatypes: dict[str, int] = {}
        self._read_only: set[str] = set()
        self._bd_seq: int | None = None
        self._next_seq: int | None = None
        self._rebirth_at = -REBIRTH_EVERY_S
        self._writes: dict[str, list[asyncio.Future[tuple[Any, str]]]] = {}
        self._link: Link | None = None
        self.notifications = 0
        self.gaps = 0
        self.last_error = ""
        self.latency = Latency()
        """From the edge node publishing a DDATA to its arrival here, through the broker."""

    # -- state -----------------------------------------------------------------------------------

    def describe(self) -> str:
        return self.config.describe()

    def on_status(self, listener: Callable[[ConnectionStatus], None]) -> Callable[[], None]:
        return self.status_changed.connect(listener)

    def counters(self) -> ConnectionCounters:
        link = self._link
        if link is None:
            return ConnectionCounters(self.notifications, 0, 0, self.last_error)
        return ConnectionCounters(
            self.notifications,
            link.dropped,
            link.reconnects,
            self.last_error,
            messages=link.received,
            queue_depth=link.pending,
            latency_ms=self.latency.median_ms(),
        )

    def retry_now(self) -> None:
        """Ask the edge node for its births again (paho reconnects to the broker by itself)."""
        self._request_rebirth(force=True)

    def _set_status(self, state: ConnectionState, detail: str = "") -> None:
        if state is self.status.state and detail == self.status.detail:
            return
        self.status = ConnectionStatus(state, detail)
        if state is ConnectionState.LOST:
            log.warning("%s: %s", self.name, detail, extra=OPERATOR)
        else:
            log.info("%s: %s %s", self.name, state.value, detail)
        self.status_changed.emit(self.status)

    # -- lifecycle -------------------------------------------------------------------------------

    async def start(self) -> None:
        cfg = self.config
        client_id = cfg.host_id or f"openhmi-host-{os.getpid()}-{id(self):x}"
        device = cfg.device or "+"
        devices = [topic(cfg.group, "+", cfg.edge_node, device)]
        if cfg.device and self._alarms is not None:
            devices.append(topic(cfg.group, "+", cfg.edge_node, ALARMS))
        self._link = Link(
            client_id,
            parse_broker(cfg.broker),
            cfg.keepalive_s,
            asyncio.get_running_loop(),
            on_message=self._message,
            on_up=self._broker_up,
            on_down=self._broker_down,
            subscriptions=[topic(cfg.group, "+", cfg.edge_node), *devices],
        )
        self._set_status(ConnectionState.CONNECTING, self.describe())
        self._link.start()

    async def stop(self) -> None:
        link, self._link = self._link, None
        if link is not None:
            await asyncio.to_thread(link.stop)
        self._fail_writes("the connection stopped")
        self._set_status(ConnectionState.STOPPED)

    def _broker_up(self) -> None:
        self._bd_seq = self._next_seq = None
        self._set_status(ConnectionState.CONNECTING, f"{self.describe()}: waiting for the edge node's birth")
        self._request_rebirth(force=True)

    def _broker_down(self, reason: str) -> None:
        self.last_error = reason
        self._bd_seq = self._next_seq = None
        self.table.mark_bad(self.tags, BROKER_LOST)
        self._fail_writes(reason)
        if self._link is not None:
            self._set_status(ConnectionState.LOST, f"{self.describe()}: {reason}; reconnecting")

    def _request_rebirth(self, force: bool = False) -> None:
        now = time.monotonic()
        link = self._link
        if link is None or not link.up or (not force and now - self._rebirth_at < REBIRTH_EVERY_S):
            return
        self._rebirth_at = now
        link.publish(topic(self.config.group, "NCMD", self.config.edge_node), rebirth_request())

    # -- messages --------------------------------------------------------------------------------

    def _message(self, text: str, data: bytes) -> None:
        parsed = parse_topic(text)
        if parsed is None:
            return
        try:
            payload = Payload.FromString(data)
        except DecodeError:
            self.last_error = f"a {parsed.kind} that is not a Sparkplug B payload"
            return
        kind, device = parsed.kind, parsed.device
        if kind == "NDEATH":
            self._death(bd_seq_of(payload))
            return
        if kind in ("NCMD", "DCMD"):
            return
        if kind == "NBIRTH":
            self._bd_seq = bd_seq_of(payload)
            self._aliases.clear()
            self._set_status(ConnectionState.CONNECTED, self.describe())
        elif not self._in_sequence(payload):
            return
        if kind == "NBIRTH":
            self._next_seq = (payload.seq + 1) % 256
        elif device is None:
            return  # NDATA: the edge node's own metrics are none of our tags
        elif device == ALARMS:
            self._alarm_metrics(kind, payload)
        elif kind == "DBIRTH":
            self._birth(device, payload)
        elif kind == "DDATA":
            if payload.HasField("timestamp"):
                self.latency.arrived(payload.timestamp / 1000)
            self._data(device, payload.metrics)
        elif kind == "DDEATH":
            self.table.mark_bad(self._by_device.get(device, []), DEVICE_OFFLINE)

    def _in_sequence(self, payload: Payload) -> bool:
        """Whether a message after the birth is the one expected; a gap asks for a rebirth. Data seen
        before any birth is not taken (its aliases mean nothing yet)."""
        if self._next_seq is None:
            self._request_rebirth()
            return False
        if payload.seq != self._next_seq:
            self.gaps += 1
            self.last_error = f"sequence gap: {payload.seq} after {(self._next_seq - 1) % 256}; rebirth asked"
            log.warning("%s: %s", self.name, self.last_error)
            self._request_rebirth()
        self._next_seq = (payload.seq + 1) % 256
        return True

    def _death(self, bd_seq: int | None) -> None:
        if self._bd_seq is None or bd_seq != self._bd_seq:
            return  # the will of a session before the one we know
        self._bd_seq = self._next_seq = None
        self.last_error = EDGE_OFFLINE
        self.table.mark_bad(self.tags, EDGE_OFFLINE)
        self._fail_writes(EDGE_OFFLINE)
        self._set_status(ConnectionState.LOST, f"{self.describe()}: {EDGE_OFFLINE}")

    def _birth(self, device: str, payload: Payload) -> None:
        born: set[str] = set()
        for metric in payload.metrics:
            name = self._by_metric.get((device, metric.name))
            if name is None:
                continue
            self._aliases[metric.alias] = name
            self._datatypes[name] = metric.datatype
            props = properties(metric)
            if props.get("readOnly") is True:
                self._read_only.add(name)
            else:
                self._read_only.discard(name)
            born.add(name)
            self.node_problems.pop(name, None)
            self._update(name, metric, props)
        for name in self._by_device.get(device, []):
            if name not in born:
                self.node_problems[name] = NOT_BORN
                self.table.update(name, Sample(None, Quality.BAD, time.time(), NOT_BORN))

    def _data(self, device: str, metrics: Any) -> None:
        aliases, by_metric = self._aliases, self._by_metric
        for metric in metrics:
            name = (
                aliases.get(metric.alias)
                if metric.HasField("alias")
                else by_metric.get((device, metric.name))
            )
            if name is not None:
                self._update(name, metric, properties(metric) if metric.HasField("properties") else {})

    def _update(self, name: str, metric: Metric, props: dict[str, Any]) -> None:
        value = get_value(metric, self._datatypes[name])
        outcome = props.get(WRITE)
        if outcome is not None:
            # A write's read-back, timed by the edge node's clock: it answers the write, and the value
            # itself follows from the edge node's own source in its time order.
            for waiting in self._writes.pop(name, []):
                if not waiting.done():
                    waiting.set_result((value, str(outcome)))
            return
        quality = quality_of(props)
        if value is None and quality is not Quality.BAD:
            quality = Quality.BAD
        ts = metric.timestamp / 1000 if metric.HasField("timestamp") else time.time()
        reason = props.get("Reason", "")
        if quality is not Quality.GOOD and not reason:
            reason = COMM_FAILURE if quality is Quality.BAD else "uncertain at the edge node"
        self.notifications += 1
        self.table.update(name, Sample(value, quality, ts, reason if quality is not Quality.GOOD else ""))

    # -- alarms ----------------------------------------------------------------------------------

    def _alarm_metrics(self, kind: str, payload: Payload) -> None:
        alarms = self._alarms
        if alarms is None or kind not in ("DBIRTH", "DDATA"):
            return
        if kind == "DBIRTH":
            self._alarm_names = {m.alias: (m.name, m.datatype) for m in payload.metrics}
        for metric in payload.metrics:
            name, datatype = self._alarm_names.get(metric.alias, (metric.name, metric.datatype))
            alarms.update(name, get_value(metric, datatype), metric.timestamp / 1000 or time.time())
        alarms.commit()

    def _acknowledge(self, alarm_id: str, actor: str, comment: str) -> None:
        """The station's operator acknowledged an alarm of the edge node: ask it to (it answers with
        the alarm's new state)."""
        link, alarms = self._link, self._alarms
        if link is None or alarms is None:
            return
        payload = new_payload(None)
        metric = payload.metrics.add()
        metric.name, metric.datatype, metric.boolean_value = (
            f"{alarms.edge_id(alarm_id)}/{ACK}",
            BOOLEAN,
            True,
        )
        add_property(metric, "actor", STRING, actor)
        add_property(metric, "comment", STRING, comment)
        cfg = self.config
        if not link.publish(topic(cfg.group, "DCMD", cfg.edge_node, ALARMS), payload.SerializeToString()):
            log.warning(
                "%s: the acknowledgement of %s could not be sent: the broker session is down",
                self.name,
                alarm_id,
            )

    # -- writes ----------------------------------------------------------------------------------

    async def _write(self, name: str, value: Any) -> WriteResult:
        """Send an already validated value as a DCMD, then wait for the edge node's read-back.

        Not public: `Runtime.write`, the one way to write (permission, limits, audit), calls it."""
        link = self._link
        if link is None or self.status.state is not ConnectionState.CONNECTED:
            raise WriteRefused(f"{name}: not written: {self.name} is {self.status.state.value}")
        if name in self.node_problems or name not in self._datatypes:
            raise WriteRefused(f"{name}: not written: {self.node_problems.get(name, WAITING)}")
        if name in self._read_only:
            raise WriteRefused(f"{name}: not written: the edge node serves it read-only")
        device, metric_name = split(self.tags[name].node) or ("", "")
        datatype = self._datatypes[name]
        payload = new_payload(None)
        metric = payload.metrics.add()
        metric.name, metric.datatype, metric.timestamp = metric_name, datatype, int(time.time() * 1000)
        set_value(metric, datatype, value)
        waiting: asyncio.Future[tuple[Any, str]] = asyncio.get_running_loop().create_future()
        self._writes.setdefault(name, []).append(waiting)
        cfg = self.config
        if not link.publish(topic(cfg.group, "DCMD", cfg.edge_node, device), payload.SerializeToString()):
            raise WriteRefused(f"{name}: not written: the broker session is down")
        try:
            async with asyncio.timeout(cfg.write_timeout_s):
                read_back, outcome = await waiting
        except TimeoutError:
            with contextlib.suppress(ValueError):
                self._writes.get(name, []).remove(waiting)
            return WriteResult(
                False, None, f"sent, but no read-back from the edge node in {cfg.write_timeout_s:g} s"
            )
        except ConnectionError as exc:
            raise WriteRefused(f"{name}: write failed: {exc}") from None
        if outcome.startswith(REFUSED):
            raise WriteRefused(f"{name}: the edge node refused the write: {outcome.removeprefix(REFUSED)}")
        if outcome == CONFIRMED and _same(value, read_back, datatype):
            return WriteResult(True, read_back)
        return WriteResult(False, read_back, outcome if outcome != CONFIRMED else f"reads back {read_back!r}")

    def _fail_writes(self, reason: str) -> None:
        writes, self._writes = self._writes, {}
        for futures in writes.values():
            for waiting in futures:
                if not waiting.done():
                    waiting.set_exception(ConnectionError(reason))


def _same(sent: Any, read_back: Any, datatype: int) -> bool:
    """Equal as the metric carries them: a Float travels as 32 bits."""
    if datatype == FLOAT and isinstance(sent, float) and isinstance(read_back, float):
        return struct.pack("<f", sent) == struct.pack("<f", read_back)
    return bool(sent == read_back)
