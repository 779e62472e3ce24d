"""Connections by kind: the registry, each kind's checks in `hmi check`, and the Modbus encodings."""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

import pytest

from hmi.cli import DEMO_PROJECT
from hmi.modbus.address import decode, encode, parse
from hmi.modbus.config import ModbusConnection
from hmi.project.io import check_project
from hmi.sources.registry import BUNDLED, kinds

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    target = tmp_path / "demo"
    shutil.copytree(DEMO_PROJECT, target)
    return target


def edited(demo: Path, old: str, new: str) -> list[str]:
    path = demo / "project.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return check_project(demo)[1]


def test_the_package_registers_the_bundled_kinds_as_entry_points():
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["entry-points"]
    assert declared["openhmi.sources"] == BUNDLED
    assert set(kinds()) == {"opcua", "modbus", "sparkplug"}


def test_the_demo_has_both_kinds_and_an_opcua_connection_needs_no_kind(demo: Path):
    folder, problems = check_project(demo)
    assert problems == [] and folder is not None
    assert folder.project.connections["plant"].kind == "opcua"
    assert isinstance(folder.project.connections["meter"], ModbusConnection)
    assert "kind: opcua" not in (demo / "project.yaml").read_text()


def test_an_unknown_kind_is_named_with_the_known_ones(demo: Path):
    problems = edited(demo, "    kind: modbus\n", "    kind: profinet\n")
    known = "one of opcua, modbus, sparkplug"
    assert f"project.yaml: connections.meter.kind: unknown kind 'profinet': {known}" in problems


def test_a_modbus_connection_field_error_names_its_path(demo: Path):
    problems = edited(demo, "    port: 50200\n", "    port: 70000\n")
    assert any(p.startswith("project.yaml: connections.meter.port: ") for p in problems)
    problems = edited(demo, "    host: 127.0.0.1\n", "    hots: 127.0.0.1\n")
    assert "project.yaml: connections.meter.hots: unknown field" in problems


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        ("node: ir0:float32", "node: ir0:float33", "tags[40].node: 'ir0:float33': unknown encoding"),
        ("node: ir0:float32", "node: ns=2;s=Volts", "tags[40].node: 'ns=2;s=Volts' is not a Modbus address"),
        ("node: ir0:float32", "node: di0", "tags[40].type: discrete inputs hold on/off"),
        ("    group: energy\n", "    group: hourly\n", "tags[43].group: unknown polling group 'hourly'"),
        ("    units: V\n", "    units: V\n    writable: true\n", "tags[40].writable: input registers are"),
        ("    scale: [0.1, 0]\n", "    scale: [0, 0]\n", "tags[43].scale: a scale factor of 0"),
        (
            "  - name: EM1.Voltage\n    connection: meter\n    node: ir0:float32\n",
            "  - name: EM1.Voltage\n    connection: meter\n    node: ir0:uint32\n    type: Int16\n",
            "tags[40].type: uint32 runs 0..4294967295: Int16 cannot hold it all",
        ),
        (
            "    node: ns=2;s=TK101.Level\n",
            "    node: ns=2;s=TK101.Level\n    group: energy\n",
            "tags[0].group: an OPC-UA connection subscribes: polling groups are for Modbus",
        ),
        ("    node: ns=2;s=TK101.Level\n", "    node: hr0\n", "tags[0].node: 'hr0' is not an OPC-UA node id"),
    ],
)
def test_hmi_check_judges_each_tag_by_its_connections_kind(demo: Path, old: str, new: str, problem: str):
    problems = edited(demo, old, new)
    assert any(p.startswith(f"project.yaml: {problem}") for p in problems), problems


def test_a_text_no_kind_reads_is_refused_naming_every_format(demo: Path):
    problems = edited(demo, "    node: ns=2;s=TK101.Level\n", "    node: TK101\n")
    assert (
        "project.yaml: tags[0].node: 'TK101' is not an OPC-UA node id such as ns=2;s=TK101.Level "
        "nor a Modbus address such as hr0:float32" in " ".join(problems)
    )


@pytest.mark.parametrize(
    ("node", "value", "registers"),
    [
        ("hr0:int16", -2, [0xFFFE]),
        ("hr0:uint32", 0x12345678, [0x1234, 0x5678]),
        ("hr0:uint32:wordswap", 0x12345678, [0x5678, 0x1234]),
        ("hr0:uint32:byteswap", 0x12345678, [0x3412, 0x7856]),
        ("hr0:uint32:little", 0x12345678, [0x7856, 0x3412]),
        ("hr0:float32", 1.0, [0x3F80, 0x0000]),
        ("hr0:int64", -1, [0xFFFF] * 4),
        ("hr0:float64:little", 1.0, [0x0000, 0x0000, 0x0000, 0xF03F]),
    ],
)
def test_encodings_and_orders_lay_values_out_as_devices_do(node: str, value: float, registers: list[int]):
    address = parse(node)
    assert encode(value, address) == registers
    assert decode(registers, address) == value
