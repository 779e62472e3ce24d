"""One Modbus TCP device as a source of tag samples (a `TagSource`), polled group by group.

The same rules as an OPC-UA connection: a lost link turns every tag Bad at once and the source
reconnects by itself with backoff, its state visible; an address the device refuses (illegal data
address) turns that tag Bad with the reason and leaves the others alone; a write is read back.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from pymodbus.client import AsyncModbusTcpClient
from pymodbus.exceptions import ModbusException
from pymodbus.pdu import ModbusPDU

from ..errors import CommError, WriteRefused
from ..events import Event
from ..notices import OPERATOR
from ..project.model import Tag
from ..quality import COMM_FAILURE, Quality, Sample
from ..sources.status import ConnectionCounters, ConnectionState, ConnectionStatus, WriteResult
from ..tags import TagTable
from .address import WRITABLE, Address, decode, encode, engineering, parse, raw_value
from .config import ModbusConnection

log = logging.getLogger(__name__)
logging.getLogger("pymodbus").setLevel(logging.CRITICAL)  # it logs every failed request; our state says it

FIRST_RETRY_S = 1.0
MAX_RETRY_S = 5.0
"""As for OPC-UA: a device back from a restart shows values within seconds."""
MAX_BITS = 2000
"""Most coils or discrete inputs one request reads (the protocol's limit)."""
EXCEPTIONS = {
    1: "illegal function",
    2: "illegal data address",
    3: "illegal data value",
    4: "device failure",
    5: "acknowledge",
    6: "device busy",
    10: "gateway path unavailable",
    11: "gateway target did not respond",
}
REFUSED = (1, 2, 3)
"""Exception codes that say the device cannot serve this address at all (not: not now)."""


class LinkLost(CommError):
    """The device stopped answering: the connection starts over."""


@dataclass
class Block:
    """Tags read in one request: a run of registers (or bits) of one table."""

    table: str
    start: int
    count: int
    names: list[str] = field(default_factory=list)


class ModbusSource:
    """A project connection to a Modbus TCP device: keeps its tags in the table current, with quality."""

    def __init__(self, name: str, config: ModbusConnection, tags: list[Tag], table: TagTable):
        self.name = name
        self.config = config
        self.tags = {t.name: t for t in tags}
        self.table = table
        self.status = ConnectionStatus(ConnectionState.CONNECTING)
        self.status_changed: Event[ConnectionStatus] = Event(f"{name} status")
        self.node_problems: dict[str, str] = {}
        """Tag name -> why the device does not serve it (reported per tag, not fatal)."""
        self._addresses: dict[str, Address] = {n: parse(t.node) for n, t in self.tags.items()}
        self._client: AsyncModbusTcpClient | None = None
        self._request = asyncio.Lock()  # one request on the wire at a time: many devices take no more
        self._task: asyncio.Task[None] | None = None
        self._retry = asyncio.Event()
        self.notifications = 0
        self.reconnects = 0
        self.last_error = ""

    # -- state ---------------------------------------------------------------------------------

    def describe(self) -> str:
        return self.config.describe()

    def on_status(self, listener: Callable[[ConnectionStatus], None]) -> Callable[[], None]:
        return self.status_changed.connect(listener)

    def counters(self) -> ConnectionCounters:
        return ConnectionCounters(self.notifications, 0, self.reconnects, self.last_error)

    def _set_status(self, state: ConnectionState, detail: str = "", retry_at: float | None = None) -> None:
        self.status = ConnectionStatus(state, detail, retry_at)
        if state is ConnectionState.LOST:
            log.warning("%s: %s", self.name, detail, extra=OPERATOR)
        else:
            log.info("%s: %s %s", self.name, state.value, detail)
        self.status_changed.emit(self.status)

    def _lost(self, reason: str, wait: float) -> None:
        self.last_error = reason
        self.table.mark_bad(self.tags, COMM_FAILURE)
        self._set_status(ConnectionState.LOST, f"{self.describe()}: {reason}", time.time() + wait)

    # -- lifecycle -----------------------------------------------------------------------------

    async def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name=f"connection {self.name}")

    def retry_now(self) -> None:
        self._retry.set()

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        self._close()
        self._set_status(ConnectionState.STOPPED)

    def _close(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            client.close()

    async def _run(self) -> None:
        delay = FIRST_RETRY_S
        while True:
            self._set_status(ConnectionState.CONNECTING, self.describe())
            try:
                await self._connect()
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                self._close()
                self._lost(describe(exc), delay)
                await self._wait_retry(delay)
                delay = min(delay * 2, MAX_RETRY_S)
                continue
            delay = FIRST_RETRY_S
            self._set_status(ConnectionState.CONNECTED, self.describe())
            try:
                reason = await self._poll_groups()
            except Exception as exc:  # a defect here must not end the connection for good
                log.exception("%s: polling failed", self.name)
                reason = describe(exc)
            self._close()
            self.reconnects += 1
            self._lost(f"{reason}; reconnecting", FIRST_RETRY_S)
            await self._wait_retry(FIRST_RETRY_S)

    async def _connect(self) -> None:
        cfg = self.config
        # No retries and no reconnects of pymodbus's own: a lost link is ours to report and repair.
        client = AsyncModbusTcpClient(
            cfg.host, port=cfg.port, timeout=cfg.timeout_s, retries=0, reconnect_delay=0, name=self.name
        )
        self._client = client
        if not await client.connect():
            raise ConnectionRefusedError(f"no Modbus device answers at {cfg.host}:{cfg.port}")
        self.node_problems.clear()  # a device may have been reconfigured: every address gets a new try

    async def _wait_retry(self, wait: float) -> None:
        self._retry.clear()
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(wait):
                await self._retry.wait()

    # -- polling -------------------------------------------------------------------------------

    def _groups(self) -> dict[float, list[str]]:
        """Poll rate in seconds -> the tags read at it."""
        rates: dict[float, list[str]] = {}
        for name, tag in self.tags.items():
            ms = self.config.groups[tag.group].rate_ms if tag.group is not None else self.config.poll_ms
            rates.setdefault(ms / 1000, []).append(name)
        return rates

    async def _poll_groups(self) -> str:
        """Poll every group at its rate until the link is lost; returns why."""
        pollers = [
            asyncio.create_task(self._poll_every(rate, names), name=f"{self.name} poll {rate:g} s")
            for rate, names in self._groups().items()
        ]
        if not pollers:
            await asyncio.Event().wait()  # nothing to read: connected until stopped
        try:
            done, _ = await asyncio.wait(pollers, return_when=asyncio.FIRST_COMPLETED)
            return next(iter(done)).result()
        finally:
            for poller in pollers:
                poller.cancel()
            await asyncio.wait(pollers)

    async def _poll_every(self, rate_s: float, names: list[str]) -> str:
        blocks = self._blocks(names)
        aged = [(n, t.max_age_s) for n in names if (t := self.tags[n]).max_age_s is not None]
        loop = asyncio.get_running_loop()
        while True:
            started = loop.time()
            try:
                blocks = await self._read_blocks(blocks)
            except LinkLost as exc:
                return str(exc)
            self.table.age(aged)
            await asyncio.sleep(max(0.0, rate_s - (loop.time() - started)))

    def _blocks(self, names: list[str]) -> list[Block]:
        """The fewest requests that read these tags: contiguous or overlapping addresses of a table
        together, up to the device's block size."""
        blocks: list[Block] = []
        ordered = sorted(names, key=lambda n: (self._addresses[n].table, self._addresses[n].number))
        for name in ordered:
            address = self._addresses[name]
            most = MAX_BITS if address.is_bit else self.config.max_block
            last = blocks[-1] if blocks else None
            end = address.number + address.count
            if (
                last is not None
                and last.table == address.table
                and address.number <= last.start + last.count
                and end - last.start <= most
            ):
                last.count = max(last.count, end - last.start)
                last.names.append(name)
            else:
                blocks.append(Block(address.table, address.number, address.count, [name]))
        return blocks

    async def _read_blocks(self, blocks: list[Block]) -> list[Block]:
        """Read each block into the table; a block the device refuses is read tag by tag, so that only
        the tags it cannot serve turn Bad. Returns the blocks to read next time."""
        kept: list[Block] = []
        for block in blocks:
            response = await self._read(block.table, block.start, block.count)
            stamp = time.time()
            code = exception_code(response)
            if code is None:
                self._publish(block, response, stamp)
                kept.append(block)
            elif code in REFUSED and len(block.names) > 1:
                kept += await self._read_blocks(self._blocks_single(block))
            elif code in REFUSED:
                self._refuse(block.names[0], f"the device refuses the address: {exception_words(code)}")
            else:
                self.table.mark_bad(block.names, f"device: {exception_words(code)}", stamp)
                kept.append(block)
        return kept

    def _blocks_single(self, block: Block) -> list[Block]:
        addresses = self._addresses
        return [Block(block.table, addresses[n].number, addresses[n].count, [n]) for n in block.names]

    async def _read(self, table: str, start: int, count: int) -> ModbusPDU:
        client = self._client
        if client is None or not client.connected:
            raise LinkLost("connection lost")
        read = {
            "hr": client.read_holding_registers,
            "ir": client.read_input_registers,
            "co": client.read_coils,
            "di": client.read_discrete_inputs,
        }[table]
        try:
            async with self._request:
                return await read(start, count=count, device_id=self.config.unit)
        except (ModbusException, OSError, TimeoutError) as exc:
            raise LinkLost(describe(exc)) from None

    def _publish(self, block: Block, response: ModbusPDU, stamp: float) -> None:
        """Every tag of the block whose value or quality changed: Good with the time it was read."""
        update, get = self.table.update, self.table.get
        for name in block.names:
            address = self._addresses[name]
            offset = address.number - block.start
            if address.is_bit:
                value: Any = bool(response.bits[offset])
            else:
                raw = decode(response.registers[offset : offset + address.count], address)
                value = engineering(self.tags[name], raw)
                if isinstance(value, float) and not math.isfinite(value):
                    update(name, Sample(None, Quality.BAD, stamp, f"the device sends {value}"))
                    continue
            last = get(name)
            if last.good and last.value == value:
                continue
            self.notifications += 1
            update(name, Sample(value, Quality.GOOD, stamp))

    def _refuse(self, name: str, problem: str) -> None:
        log.warning("%s: tag %s: %s", self.name, name, problem)
        self.node_problems[name] = problem
        self.table.update(name, Sample(None, Quality.BAD, time.time(), problem))

    # -- writes --------------------------------------------------------------------------------

    async def _write(self, name: str, value: Any) -> WriteResult:
        """Send an already validated value in the register's encoding, then read it back. Every
        failure is a WriteRefused saying why.

        Not public: `Runtime.write`, the one way to write (permission, limits, audit), calls it."""
        client = self._client
        if client is None or self.status.state is not ConnectionState.CONNECTED:
            raise WriteRefused(f"{name}: not written: {self.name} is {self.status.state.value}")
        if name in self.node_problems:
            raise WriteRefused(f"{name}: not written: {self.node_problems[name]}")
        address, tag = self._addresses[name], self.tags[name]
        if address.table not in WRITABLE:
            raise WriteRefused(f"{name}: not written: {address} is read-only")
        sent: Sequence[int | bool]
        try:
            async with self._request:
                if address.is_bit:
                    sent = [bool(value)]
                    response = await client.write_coil(
                        address.number, bool(value), device_id=self.config.unit
                    )
                else:
                    sent = encode(raw_value(tag, address, value), address)
                    registers = [int(r) for r in sent]
                    if len(registers) == 1:  # function 6: what a device of one-register values takes
                        response = await client.write_register(
                            address.number, registers[0], device_id=self.config.unit
                        )
                    else:
                        response = await client.write_registers(
                            address.number, registers, device_id=self.config.unit
                        )
        except (ModbusException, OSError, TimeoutError) as exc:
            raise WriteRefused(f"{name}: write failed: {describe(exc)}") from None
        code = exception_code(response)
        if code is not None:
            raise WriteRefused(f"{name}: the device refused the write: {exception_words(code)}")
        try:
            back = await self._read(address.table, address.number, address.count)
        except LinkLost as exc:
            return WriteResult(False, None, f"written, but reading it back failed: {exc}")
        code = exception_code(back)
        if code is not None:
            return WriteResult(False, None, f"written, but reading it back failed: {exception_words(code)}")
        got = back.bits[:1] if address.is_bit else back.registers[: address.count]
        read_back = bool(got[0]) if address.is_bit else engineering(tag, decode(list(got), address))
        if list(got) == list(sent):
            return WriteResult(True, read_back)
        return WriteResult(False, read_back, f"reads back {read_back!r}")


def exception_code(response: ModbusPDU) -> int | None:
    return int(response.exception_code) if response.isError() else None


def exception_words(code: int) -> str:
    return f"{EXCEPTIONS.get(code, 'exception')} (exception {code})"


def describe(exc: BaseException) -> str:
    """A short operator-readable reason for a Modbus communication failure."""
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused (is the device running?)"
    if isinstance(exc, TimeoutError):
        return "no answer (timeout)"
    if isinstance(exc, ModbusException):
        return str(exc).removeprefix("Modbus Error: ").strip() or type(exc).__name__
    if isinstance(exc, OSError):
        return exc.strerror or str(exc)
    return str(exc) or type(exc).__name__
