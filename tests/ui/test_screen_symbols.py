"""Every symbol draws with good, bad and missing data, and bad data always carries the magenta marker."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from hmi.cli import DEMO_PROJECT
from hmi.project import load_project
from hmi.project.symbols import parse_item, symbols
from hmi.quality import COMM_FAILURE, Quality, Sample
from hmi.tags import TagTable
from ui.screens.items import make_item

from .screen_support import collect_qt_garbage, context, magenta, render

pytestmark = pytest.mark.usefixtures(collect_qt_garbage.__name__)

SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64">'
    '<rect x="4" y="4" width="56" height="56" fill="none" stroke="#4d4d4d" stroke-width="3"/></svg>'
)
BIND = {"running": "P101.Running", "fault": "P101.Fault"}
SYMBOLS: dict[str, dict] = {
    "label": {"label": "TK-101", "bind": {"text": "TK101.Level"}, "format": ".1f"},
    "value": {"label": "Level", "bind": {"value": "TK101.Level"}, "format": ".1f"},
    "indicator": {"label": "Mode", "bind": {"state": "FIC101.Auto"}, "on_text": "AUTO", "off_text": "MAN"},
    "setpoint": {"label": "SP", "bind": {"value": "FIC101.SP"}},
    "alarm": {"bind": {"level": "TK101.Level"}},
    "tank": {"label": "TK-101", "bind": {"level": "TK101.Level"}},
    "pump": {"label": "P-101", "bind": BIND},
    "motor": {"label": "M-101", "bind": BIND},
    "fan": {"label": "F-101", "bind": BIND},
    "compressor": {"label": "K-101", "bind": BIND},
    "valve": {"label": "FV-101", "bind": {"position": "FV101.Position"}},
    "check_valve": {"label": "CV-1", "bind": {"visible": "P101.Running or True"}},
    "exchanger": {"label": "E-101", "bind": {"rotation": "0 * E101.InletTemp"}},
    "pipe": {"points": [[0, 0], [120, 0], [120, 60]], "bind": {"flowing": "FI102.PV > 0.5"}},
    "bar": {"label": "J1", "bind": {"value": "RC1.J1.Temp"}},
    "gauge": {"label": "TI", "bind": {"value": "E101.OutletTemp"}},
    "sparkline": {"label": "J1 temp", "bind": {"value": "RC1.J1.Temp"}},
    "button": {
        "label": "Start",
        "bind": {"blink": "P101.Fault"},
        "on_click": {"write": "P101.Cmd", "value": True},
    },
    "link": {
        "label": "Pumps",
        "bind": {"color": "'#ff8c00' if P101.Fault else ''"},
        "on_click": {"navigate": "pumps"},
    },
    "toggle": {"label": "Auto", "bind": {"state": "FIC101.Auto"}},
    "image": {"source": "symbols/box.svg", "bind": {"visible": "P101.Running or True"}},
    "health": {"on_click": {"open_diagnostics": "J1"}},
    "template": {"template": "pump_faceplate", "args": {"tag": "P101"}},
}
GOOD = {
    "TK101.Level": 62.5,
    "FIC101.Auto": True,
    "FIC101.SP": 15.0,
    "P101.Running": True,
    "P101.Fault": False,
    "P101.Cmd": True,
    "P101.Auto": False,
    "P101.RunHours": 1234.5,
    "FV101.Position": 40.0,
    "E101.InletTemp": 12.0,
    "E101.OutletTemp": 35.0,
    "FI102.PV": 15.0,
    "RC1.J1.Temp": 45.0,
    "RC1.J1.Torque": 12.0,
    "RC1.CycleCount": 7,
}


@pytest.fixture(scope="module")
def folder():
    return load_project(DEMO_PROJECT)


def test_the_library_covers_every_item_type():
    assert set(SYMBOLS) == set(symbols())


@pytest.mark.parametrize("kind", sorted(SYMBOLS))
def test_symbol_draws_good_bad_and_missing_data(qtbot, folder, tmp_path: Path, kind: str):
    (tmp_path / "symbols").mkdir()
    (tmp_path / "symbols" / "box.svg").write_text(SVG)
    table = TagTable(folder.tags)
    ctx = context(folder, table, root=tmp_path)
    model = parse_item({"type": kind, "at": [0, 0], **SYMBOLS[kind]})
    item = make_item(model, ctx)
    items = item.descendants()
    bound = [i for i in items if i.tag_names()]
    assert bound, "every symbol in this test is bound to a tag"

    for i in items:  # missing: nothing received yet
        i.refresh()
    assert not item.boundingRect().isEmpty()
    render(item)
    assert all(i.bad for i in bound)

    now = time.time()
    for name, value in GOOD.items():
        table.update(name, Sample(value, Quality.GOOD, now))
    for i in items:
        i.refresh()
    assert not any(i.bad for i in bound)
    assert all(magenta(render(i)) == 0 for i in bound)

    table.mark_bad(GOOD, COMM_FAILURE)
    for i in items:
        i.refresh()
    assert all(i.bad and COMM_FAILURE in i.toolTip() for i in bound)
    assert all(magenta(render(i)) > 20 for i in bound), "the bad-quality marker is drawn"
