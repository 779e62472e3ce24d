"""Screen symbols by `type`: each one's model (its fields in a screen file), the properties it binds,
the fields the editor's inspector offers, and the class that draws it, in one `Symbol`.

A new symbol is one module holding a `Symbol` (and the model and drawing class it names), registered
under the `openhmi.symbols` entry points like the data sources; the built-in symbols are listed here,
so a frozen app without metadata has them too. Only the UI imports a symbol's painter (RULE 1).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib.metadata import entry_points
from typing import Any, Literal

from pydantic import Field, ValidationError, field_validator, model_validator

from ..errors import error_at
from .model import MAX_POINTS, Item, project_relative, unknown_symbol

log = logging.getLogger(__name__)

GROUP = "openhmi.symbols"


@dataclass(frozen=True)
class Symbol:
    """One kind of screen item."""

    name: str
    """The `type:` of its items in screen files."""
    painter: str
    """`module:Class` of the ScreenItem that draws it (imported by the UI only)."""
    model: type[Item] = Item
    """Its items' model: Item, or a subclass adding the symbol's own fields."""
    binds: tuple[str, ...] = ("value",)
    """The properties it shows a tag or expression in, the one whose tag gives units and range first;
    the inspector offers these beside the style bindings (color, visible, blink, rotation)."""
    fields: tuple[str, ...] = ()
    """Fields of `model` the inspector offers below position, size and label, in this order; each is
    edited as its annotation says (a Literal as a choice, else as text) under its `title`."""
    sized: bool = True
    """Whether the inspector offers a size (a pipe is its points)."""
    label: str = ""
    """The first label of one placed from the palette: an example to overwrite."""
    new: Mapping[str, Any] = field(default_factory=dict)
    """Fields one placed from the palette starts with, beside its position and label."""


class Label(Item):
    """Static text, or a `text` binding shown with the item's format."""

    type: Literal["label"]
    font_size: float | None = Field(None, gt=0, title="Font size")
    """Text size in points."""


class Pipe(Item):
    """A line along points; flowing or not."""

    type: Literal["pipe"]
    points: list[tuple[float, float]] | None = Field(None, max_length=MAX_POINTS)
    """Polyline relative to `at`."""


class Bar(Item):
    """A value as a filled bar of its tag's engineering range."""

    type: Literal["bar"]
    orientation: Literal["vertical", "horizontal"] = Field("vertical", title="Orientation")


class Sparkline(Item):
    """The last minutes of a value as a small chart."""

    type: Literal["sparkline"]
    span_s: float = Field(300.0, gt=0, title="Time span (s)")
    """Time shown, in seconds."""


class Image(Item):
    """A picture of the project's own."""

    type: Literal["image"]
    source: str = Field(title="Image file")
    """SVG or PNG file, relative to the project folder."""

    _relative = field_validator("source")(project_relative)


class Instance(Item):
    """A placed template: its items with `args` for the template's parameters."""

    type: Literal["template"]
    template: str
    args: dict[str, str] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _named(self) -> Instance:
        if not self.template:
            raise ValueError("a template item names its `template`")
        return self


TEXT = "ui.screens.symbols.text"
EQUIPMENT = "ui.screens.symbols.equipment"
ANALOG = "ui.screens.symbols.analog"
CONTROLS = "ui.screens.symbols.controls"
IMAGE_SOURCE = "images/picture.svg"
"""An image placed from the palette needs a file; until one is chosen the problems panel says so."""
ROTATING = ("running", "fault")

BUILT_IN = (
    Symbol("label", f"{TEXT}:LabelItem", Label, ("text",), ("format", "font_size"), label="Label"),
    Symbol("value", f"{TEXT}:ValueItem", fields=("format",), label="PV"),
    Symbol("tank", f"{EQUIPMENT}:TankItem", binds=("level",), label="TK-100"),
    Symbol("pump", f"{EQUIPMENT}:PumpItem", binds=ROTATING, label="P-100"),
    Symbol("valve", f"{EQUIPMENT}:ValveItem", binds=("position", "open"), label="XV-100"),
    Symbol("exchanger", f"{EQUIPMENT}:ExchangerItem", label="E-100"),
    Symbol("bar", f"{ANALOG}:BarItem", Bar, fields=("format", "orientation"), label="Level"),
    Symbol(
        "pipe",
        f"{EQUIPMENT}:PipeItem",
        Pipe,
        ("value", "flowing"),
        sized=False,
        new={"points": [(0, 0), (120, 0)]},
    ),
    Symbol(
        "indicator", f"{TEXT}:IndicatorItem", binds=("state",), fields=("on_text", "off_text"), label="State"
    ),
    Symbol("button", f"{CONTROLS}:ButtonItem", label="Button"),
    Symbol("link", f"{CONTROLS}:LinkItem", label="Screen"),
    Symbol("motor", f"{EQUIPMENT}:MotorItem", binds=ROTATING, label="M-100"),
    Symbol("fan", f"{EQUIPMENT}:FanItem", binds=ROTATING, label="F-100"),
    Symbol("compressor", f"{EQUIPMENT}:CompressorItem", binds=ROTATING, label="K-100"),
    Symbol("check_valve", f"{EQUIPMENT}:CheckValveItem"),
    Symbol("gauge", f"{ANALOG}:GaugeItem", fields=("format",), label="PI-100"),
    Symbol("setpoint", f"{TEXT}:SetpointItem", fields=("format",), label="SP"),
    Symbol(
        "toggle",
        f"{CONTROLS}:ToggleItem",
        binds=("state",),
        fields=("on_text", "off_text"),
        label="Start/stop",
    ),
    Symbol("sparkline", f"{ANALOG}:SparklineItem", Sparkline, fields=("span_s",), label="Trend"),
    Symbol("alarm", f"{TEXT}:AlarmIndicatorItem", label="Alarms"),
    Symbol(
        "image", "ui.screens.symbols.media:ImageItem", Image, fields=("source",), new={"source": IMAGE_SOURCE}
    ),
    # An asset's health from condition monitoring: the asset its click opens (open_diagnostics).
    Symbol("health", "ui.screens.symbols.health:HealthItem", binds=(), label="J1 health"),
    Symbol("template", "ui.screens.items:TemplateItem", Instance, binds=()),
)


@cache
def symbols() -> dict[str, Symbol]:
    """Every symbol by name (its items' `type`): the built-in ones, then the entry points'."""
    found = {symbol.name: symbol for symbol in BUILT_IN}
    for entry in entry_points(group=GROUP):
        try:
            symbol = entry.load()
        except (ImportError, AttributeError) as exc:
            log.warning("symbol %s (%s) cannot be loaded: %s", entry.name, entry.value, exc)
            continue
        if not isinstance(symbol, Symbol) or symbol.name != entry.name:
            log.warning("symbol %s (%s) is not a Symbol of type %s", entry.name, entry.value, entry.name)
            continue
        found[symbol.name] = symbol
    return found


def parse_item(data: Any) -> Item:
    """One item of a screen or template file, as the model of its symbol."""
    kind = data.get("type") if isinstance(data, dict) else None
    symbol = symbols().get(kind) if isinstance(kind, str) else None
    if symbol is not None:
        return symbol.model.model_validate(data)
    if kind is None:  # not a mapping, or no type: the base model says so, with any other problems
        return Item.model_validate(data)
    raise ValidationError.from_exception_data("item", [error_at(("type",), unknown_symbol(kind), kind)])
