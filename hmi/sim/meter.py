"""The demo's energy meter on Modbus TCP: the plant's electrical supply, served by pymodbus beside the
OPC-UA plant in the same simulator process.

Register map (unit 1, zero-based addresses, big-endian words):
    ir0  float32  voltage, V
    ir2  float32  current, A
    ir4  float32  active power, kW
    ir6  uint32   energy counter, 0.1 kWh (the tag scales it to kWh)
    hr0  uint16   demand limit, kW (writable)
    di0  bit      supply healthy
"""

from __future__ import annotations

import logging
import math
import random

from pymodbus.server import ModbusTcpServer
from pymodbus.simulator import DataType, SimData, SimDevice

from ..modbus.address import encode, parse
from .plant import Plant

log = logging.getLogger(__name__)
logging.getLogger("pymodbus").setLevel(logging.WARNING)

DEFAULT_MODBUS_PORT = 50200
UNIT = 1
REGISTERS = 16
VOLTAGE, CURRENT, POWER, ENERGY = (
    parse(a) for a in ("ir0:float32", "ir2:float32", "ir4:float32", "ir6:uint32")
)
BASE_KW = 3.0
"""Lighting, controls and the robot cell's idle draw."""
PUMP_KW = 5.5
ROBOT_KW = 2.5
POWER_FACTOR = 0.9
INPUT_REGISTERS = 4
"""The function code whose table `async_setValues` writes: read input registers."""


class EnergyMeter:
    """Readings that follow the plant: a running pump or robot draws power; energy counts up."""

    def __init__(self, plant: Plant, seed: int | None = None):
        self.plant = plant
        self._rng = random.Random(seed)
        self.energy_kwh = 48210.0
        self.voltage = 400.0
        self.power_kw = BASE_KW

    def step(self, dt: float) -> None:
        values = self.plant.values()
        running = sum(bool(values[f"{p}.Running"]) for p in ("P101", "P102"))
        robot = values["RC1.State"] == "Running"
        target = BASE_KW + running * PUMP_KW + robot * ROBOT_KW
        self.power_kw += (target - self.power_kw) * min(1.0, dt / 2.0) + self._rng.gauss(0, 0.02)
        self.voltage = 400.0 + 2.0 * math.sin(self.plant.time / 60) + self._rng.gauss(0, 0.2)
        self.energy_kwh += self.power_kw * dt / 3600

    @property
    def current_a(self) -> float:
        return self.power_kw * 1000 / (math.sqrt(3) * self.voltage * POWER_FACTOR)


class MeterServer:
    """A pymodbus TCP server holding the meter's registers, refreshed by `publish`."""

    def __init__(self, meter: EnergyMeter, host: str, port: int):
        self.meter = meter
        self.host, self.port = host, port
        registers = [SimData(0, count=REGISTERS, values=0, datatype=DataType.REGISTERS)]
        bits = [SimData(0, count=1, values=True, datatype=DataType.BITS)]
        limit = [SimData(0, count=1, values=25, datatype=DataType.REGISTERS)]
        device = SimDevice(id=UNIT, simdata=(bits, bits, limit, registers))
        self._server = ModbusTcpServer(device, address=(host, port))

    async def start(self) -> None:
        await self._server.serve_forever(background=True)
        await self.publish()
        log.info("energy meter on modbus://%s:%d unit %d", self.host, self.port, UNIT)

    async def stop(self) -> None:
        await self._server.shutdown()

    async def publish(self) -> None:
        meter = self.meter
        values = [
            (VOLTAGE, meter.voltage),
            (CURRENT, meter.current_a),
            (POWER, meter.power_kw),
            (ENERGY, int(meter.energy_kwh * 10) % 2**32),
        ]
        for address, value in values:
            registers = encode(value, address)
            await self._server.async_setValues(UNIT, INPUT_REGISTERS, address.number, registers)
