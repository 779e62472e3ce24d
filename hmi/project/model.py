"""Typed models of the project files; field order here is the key order in the files."""

from __future__ import annotations

import math
import re
from functools import cache
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SerializeAsAny,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import InitErrorDetails

from ..alarms.settings import AlarmConfig, TagAlarms
from ..diagnostics.settings import Diagnostics
from ..errors import error_at
from ..history.settings import HistoryConfig, TagHistory
from ..reports.settings import ReportDef
from ..security.settings import SecurityConfig
from ..sparkplug.settings import Publish
from ..storage.settings import SqliteConfig, StorageConfig

TAG_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")

DataType = Literal[
    "Boolean",
    "SByte",
    "Byte",
    "Int16",
    "UInt16",
    "Int32",
    "UInt32",
    "Int64",
    "UInt64",
    "Float",
    "Double",
    "String",
]
MAX_TAGS = 100_000
MAX_ITEMS = 5_000
"""Items of one screen or template: far beyond a readable screen, still quick to load and draw."""
MAX_POINTS = 1_000
MAX_PENS = 64
MAX_INTERVAL_MS = 3_600_000
NUMERIC_TYPES = {"SByte", "Byte", "Int16", "UInt16", "Int32", "UInt32", "Int64", "UInt64", "Float", "Double"}


class Model(BaseModel):
    """Strict base: an unknown key in a file is an error, not silently dropped."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)


SECURITY_POLICIES = ("Basic256Sha256", "Aes128_Sha256_RsaOaep", "Aes256_Sha256_RsaPss")


class Security(Model):
    """How the channel to the server is protected: mode None, Sign or SignAndEncrypt, with a policy."""

    mode: Literal["None", "Sign", "SignAndEncrypt"] = "None"
    policy: Literal["Basic256Sha256", "Aes128_Sha256_RsaOaep", "Aes256_Sha256_RsaPss"] | None = Field(
        None, validate_default=True
    )

    @field_validator("policy")
    @classmethod
    def _policy_for_mode(cls, value: str | None, info: ValidationInfo) -> str | None:
        mode = info.data.get("mode", "None")
        if mode != "None" and value is None:
            raise ValueError(f"mode {mode} needs a policy: one of {', '.join(SECURITY_POLICIES)}")
        if mode == "None" and value is not None:
            raise ValueError(f"policy {value} has no effect with mode None: set mode Sign or SignAndEncrypt")
        return value


class Identity(Model):
    """Who the app logs in to the server as. A password is never stored here: keyring or prompt."""

    kind: Literal["anonymous", "username", "certificate"] = "anonymous"
    user: str | None = Field(None, validate_default=True)
    certificate: str | None = Field(None, validate_default=True)
    """User certificate file (DER or PEM) in the app's pki/user/ folder, for kind certificate."""
    private_key: str | None = Field(None, validate_default=True)
    """Its private key file (PEM) in pki/user/: keys stay out of the project folder."""

    @model_validator(mode="before")
    @classmethod
    def _no_password(cls, data: object) -> object:
        if isinstance(data, dict) and "password" in data:
            raise ValueError(
                "password: never kept in project files: the app asks, or takes it from the OS keyring"
            )
        return data

    @field_validator("user", "certificate", "private_key")
    @classmethod
    def _fields_of_kind(cls, value: str | None, info: ValidationInfo) -> str | None:
        kind = info.data.get("kind", "anonymous")
        wanted = {"username": ("user",), "certificate": ("certificate", "private_key")}.get(kind, ())
        if info.field_name in wanted and not value:
            raise ValueError(f"identity kind {kind} needs a {info.field_name}")
        if info.field_name not in wanted and value is not None:
            raise ValueError(f"{info.field_name} is not used with identity kind {kind}")
        if (
            info.field_name != "user"
            and value is not None
            and (value in (".", "..") or re.search(r"[/\\]", value))
        ):
            raise ValueError(f"{value!r}: give a file name in the app's pki/user/ folder, not a path")
        return value


class SourceConfig(Model):
    """A connection of the project: where a source of tag values is and how to talk to it. `kind`
    chooses the source (hmi.sources registry); each kind's model adds its own fields."""

    kind: str


class Connection(SourceConfig):
    """One OPC-UA server (kind opcua, the default)."""

    kind: Literal["opcua"] = "opcua"
    endpoint: str
    simulator: bool = False
    """The built-in demo plant: the app starts it when nothing listens at the endpoint."""
    publishing_interval_ms: int = Field(250, gt=0, le=MAX_INTERVAL_MS)
    sampling_interval_ms: int = Field(100, ge=0, le=MAX_INTERVAL_MS)
    timeout_s: float = Field(4.0, gt=0)
    watchdog_s: float = Field(2.0, gt=0)
    """How often a quiet server is probed: a frozen server is noticed within about twice this."""
    keepalive_s: float = Field(1.0, gt=0)
    """How often a server with no changes to send must still say it is alive: a subscription that
    hears nothing for about twice this turns its tags Bad (stale) and is repaired."""
    conditions: bool = False
    """Subscribe to the server's Alarms & Conditions events and show them with the project's alarms."""
    events: bool = False
    """Subscribe to the server's plain events (audit, system, device: not conditions), journaled and
    shown in the event list."""
    security: Security = Field(default_factory=Security)
    identity: Identity = Field(default_factory=Identity)
    backups: list[str] = Field(default_factory=list)
    """Redundant servers of the same address space (non-transparent redundancy, Part 4 6.6.2): the
    engine uses the server with the highest ServiceLevel and fails over when it is lost or degrades."""
    min_service_level: int = Field(200, ge=0, le=255)
    """Below this ServiceLevel (200-255 is healthy) the engine switches to a backup that is better."""

    @field_validator("endpoint")
    @classmethod
    def _opc_tcp(cls, value: str) -> str:
        if not value.startswith("opc.tcp://"):
            raise ValueError(f"endpoint must start with opc.tcp://, got {value!r}")
        return value

    @field_validator("backups")
    @classmethod
    def _backups_opc_tcp(cls, value: list[str]) -> list[str]:
        for endpoint in value:
            cls._opc_tcp(endpoint)
        return value


@cache
def _no_alarms() -> TagAlarms:
    return TagAlarms()


class Tag(Model):
    """A named process value: where it lives on which server, and how to treat it."""

    name: str
    connection: str
    node: str
    """Where the value is, in the words of its connection's kind: an OPC-UA node id, a Modbus address."""
    type: DataType = "Double"
    units: str = ""
    description: str = ""
    range: tuple[float, float] | None = None
    """Engineering range (low, high): scales bars and percent deadbands."""
    writable: bool = False
    write_limits: tuple[float, float] | None = None
    """Lowest and highest value an operator may write."""
    deadband: float | None = Field(None, gt=0)
    """Absolute deadband of the monitored item: smaller changes are not sent by the server."""
    max_age_s: float | None = Field(None, gt=0)
    """A value unchanged for longer than this is shown Uncertain: a sensor that froze on a server
    that still answers."""
    scale: tuple[float, float] | None = None
    """(factor, offset) for a source that sends raw numbers (Modbus registers): the value is
    raw x factor + offset, and a write sends (value - offset) / factor."""
    group: str | None = None
    """The polling group of its connection the tag is read in, for a source that polls (Modbus)."""
    history: TagHistory = Field(default_factory=TagHistory)
    alarms: TagAlarms = Field(default_factory=lambda: _no_alarms().model_copy())
    """Most tags have none: a copy of the empty settings, validated once (50,000 tags: 0.25 s less)."""

    @field_validator("name")
    @classmethod
    def _valid_name(cls, value: str) -> str:
        if not TAG_NAME.match(value):
            raise ValueError(f"tag name {value!r} must be words of letters, digits and _ joined by dots")
        return value

    @field_validator("node")
    @classmethod
    def _valid_node(cls, value: str) -> str:
        """An address some kind of source can read; whether it fits the tag's own connection is
        checked with the project, which knows the connection's kind."""
        from ..sources.registry import address_problem

        problem = address_problem(value)
        if problem is not None:
            raise ValueError(problem)
        return value

    @field_validator("scale")
    @classmethod
    def _nonzero_factor(cls, value: tuple[float, float] | None) -> tuple[float, float] | None:
        if value is not None and value[0] == 0:
            raise ValueError("a scale factor of 0 loses the value: give (factor, offset) with factor not 0")
        return value

    @field_validator("range", "write_limits")
    @classmethod
    def _ordered(cls, value: tuple[float, float] | None) -> tuple[float, float] | None:
        if value is not None and value[0] >= value[1]:
            raise ValueError(f"low {value[0]:g} must be below high {value[1]:g}")
        return value

    @model_validator(mode="after")
    def _limits_need_writable(self) -> Tag:
        if self.write_limits is not None and not self.writable:
            raise ValueError("write_limits given but the tag is not writable: add writable: true")
        if self.write_limits is not None and self.type not in NUMERIC_TYPES:
            raise ValueError(f"write_limits apply to numbers, not to {self.type}")
        from ..writes import INT_RANGES  # writes imports this module

        low, high = INT_RANGES.get(self.type, (-math.inf, math.inf))
        for name in ("range", "write_limits"):
            pair = getattr(self, name)
            if pair is not None and not (low <= pair[0] and pair[1] <= high):
                raise ValueError(f"{name} {pair[0]:g}..{pair[1]:g} goes beyond {low}..{high} of {self.type}")
        return self


ACTION_KINDS = ("navigate", "write", "setpoint", "toggle", "trend", "popup", "open_diagnostics")


class Action(Model):
    """What a click does: go to a screen, write a value, ask the operator for one, open a faceplate or
    an asset's diagnostics."""

    navigate: str | None = None
    write: str | None = None
    """Tag to write `value` to (a command)."""
    value: bool | int | float | str | None = None
    setpoint: str | None = None
    """Tag whose new value the operator enters in a dialog."""
    toggle: str | None = None
    """Boolean tag to flip (start/stop), after the operator confirms."""
    trend: str | None = None
    """Named trend of the project to open."""
    popup: str | None = None
    """Template to open as a faceplate window, with `args` for its parameters."""
    args: dict[str, str] = Field(default_factory=dict)
    open_diagnostics: str | None = None
    """Asset of the project's `diagnostics:` whose health the Diagnostics view opens on."""

    @model_validator(mode="after")
    def _exactly_one(self) -> Action:
        chosen = [k for k in ACTION_KINDS if getattr(self, k) is not None]
        if len(chosen) != 1:
            raise ValueError(f"an action needs exactly one of {', '.join(ACTION_KINDS)}")
        if self.write is not None and self.value is None:
            raise ValueError("a write action needs a value")
        if self.args and self.popup is None:
            raise ValueError("args are for a popup action")
        return self


HEX_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")


def _hex_colour(value: str | None) -> str | None:
    if value is not None and not HEX_COLOUR.fullmatch(value):
        raise ValueError(f"colour {value!r} must be written #rrggbb")
    return value


def project_relative(value: str) -> str:
    """A file path that stays inside the project folder (RULE 2): relative, no '..', '/' separators."""
    if value.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", value):
        raise ValueError(f"{value!r} is an absolute path: give a path inside the project folder")
    if ".." in re.split(r"[/\\]", value):
        raise ValueError(f"{value!r} leaves the project folder ('..' is not allowed)")
    return value


class ColorRule(Model):
    """`{when: expression, color: '#rrggbb'}`: the first rule whose condition holds colours the item."""

    when: str
    color: str

    _hex = field_validator("color")(_hex_colour)


class Item(Model):
    """What every graphic element of a screen or template has; `type` names its symbol, whose model
    (hmi.project.symbols: this one or a subclass with the symbol's own fields) the item is read as."""

    type: str
    at: tuple[float, float]
    size: tuple[float, float] | None = None
    label: str = ""
    bind: dict[str, str] = Field(default_factory=dict)
    """Visual property -> tag name or expression over tags."""
    format: str | None = Field(None, title="Format", examples=[".1f"])
    """Number format such as '.1f'."""
    on_text: str = Field("ON", title="On text")
    off_text: str = Field("OFF", title="Off text")
    """Words a value shows for a true / false state."""
    on_click: Action | None = None
    colors: list[ColorRule] = Field(default_factory=list)
    """Abnormal-state colours, first matching rule wins (ISA-101: grey unless something is wrong)."""

    @model_validator(mode="after")
    def _of_its_symbol(self) -> Item:
        from .symbols import symbols

        symbol = symbols().get(self.type)
        if symbol is None:
            raise ValueError(unknown_symbol(self.type))
        if type(self) is not symbol.model:  # made in code as Item(...) with a type that has its own model
            raise ValueError(f"a {self.type} item is a {symbol.model.__name__}, not a {type(self).__name__}")
        return self


def unknown_symbol(name: object) -> str:
    from .symbols import symbols

    return f"unknown symbol type {name!r}: one of {', '.join(symbols())}"


class Screen(Model):
    """One screen file."""

    title: str
    titles: dict[str, str] = Field(default_factory=dict)
    """The title in other languages, by locale name: `{zh_CN: 概览}`; `title` is the fallback."""
    size: tuple[int, int] = (1600, 900)
    items: list[SerializeAsAny[Item]] = Field(default_factory=list, max_length=MAX_ITEMS)
    """Each read as the model of its symbol (`type`)."""

    _by_type = field_validator("items", mode="wrap")(lambda v, h: _items_by_type(v, h))


class Param(Model):
    """A template parameter; without a default every instance must give it."""

    default: str | None = None
    description: str = ""


class Template(Model):
    """A reusable group of items (a faceplate) whose strings use `{param}` placeholders."""

    title: str
    size: tuple[int, int]
    params: dict[str, Param] = Field(default_factory=dict)
    items: list[SerializeAsAny[Item]] = Field(default_factory=list, max_length=MAX_ITEMS)
    frame: bool = True
    """Draw a panel behind the group when it is placed on a screen."""

    _by_type = field_validator("items", mode="wrap")(lambda v, h: _items_by_type(v, h))


class Pen(Model):
    """One curve of a trend."""

    tag: str
    color: str | None = None
    """'#rrggbb'; by default the next colour of the trend palette."""
    axis: str | None = None
    """Pens with the same axis name share a Y axis; by default pens share one per unit."""
    range: tuple[float, float] | None = None
    """Fixed Y range; by default the tag's engineering range, else auto."""

    _hex = field_validator("color")(_hex_colour)


class TrendDef(Model):
    """A named trend: the pens and the time span shown when it opens."""

    title: str
    titles: dict[str, str] = Field(default_factory=dict)
    """The title in other languages, by locale name, as for screens."""
    pens: list[Pen] = Field(max_length=MAX_PENS)
    span_s: float = Field(3600.0, gt=0)


class Project(Model):
    """project.yaml: name, servers and tags."""

    name: str
    start_screen: str
    connections: dict[str, SerializeAsAny[SourceConfig]]
    """By name; each validated by the model of its `kind` (default opcua)."""
    history: HistoryConfig = Field(default_factory=HistoryConfig)
    storage: SerializeAsAny[StorageConfig] = Field(default_factory=SqliteConfig)
    """Where history, alarm journal and audit trail live; each validated by the model of its `kind`."""
    alarm_settings: AlarmConfig = Field(default_factory=AlarmConfig)
    security: SecurityConfig = Field(default_factory=SecurityConfig)
    """Role permissions, lockout and idle logout of the HMI's users (not the OPC-UA channel)."""
    tags: list[Tag] = Field(default_factory=list, max_length=MAX_TAGS)
    trends: dict[str, TrendDef] = Field(default_factory=dict)
    reports: dict[str, ReportDef] = Field(default_factory=dict)
    """Shift and day reports (PDF): made on their schedule by the headless engine, or on demand."""
    diagnostics: Diagnostics = Field(default_factory=dict)
    """Condition monitoring: health models per asset, whose findings are advisory alarms."""
    publish: Publish | None = None
    """The headless engine as a Sparkplug B edge node on an MQTT broker (hmi.sparkplug)."""

    @field_validator("connections", mode="wrap")
    @classmethod
    def _by_kind(cls, value: Any, handler: Any) -> dict[str, SourceConfig]:
        """Each connection as the model its kind registers, its errors under its own name."""
        from ..sources.registry import kinds

        if not isinstance(value, dict):
            return handler(value)
        known = kinds()
        configs: dict[str, SourceConfig] = {}
        errors: list[InitErrorDetails] = []
        for name, data in value.items():
            kind = data.get("kind", "opcua") if isinstance(data, dict) else getattr(data, "kind", "opcua")
            if kind not in known:
                message = f"unknown kind {kind!r}: one of {', '.join(known)}"
                errors.append(error_at((name, "kind"), message, data))
                continue
            try:
                configs[name] = known[kind].config.model_validate(data)
            except ValidationError as exc:
                errors += [error_at((name, *e["loc"]), e["msg"], e["input"]) for e in exc.errors()]
        if errors:
            raise ValidationError.from_exception_data("connections", errors)
        return configs

    @field_validator("storage", mode="before")
    @classmethod
    def _storage_of_kind(cls, value: Any) -> Any:
        from ..storage.registry import kinds

        if not isinstance(value, dict):
            return value
        known = kinds()
        kind = value.get("kind", "sqlite")
        if kind not in known:
            raise ValueError(f"unknown kind {kind!r}: one of {', '.join(known)}")
        return known[kind].config.model_validate(value)

    @field_validator("tags")
    @classmethod
    def _addresses_of_kind(cls, value: list[Tag], info: ValidationInfo) -> list[Tag]:
        """Each tag's address and settings as its connection's kind understands them."""
        from ..sources.registry import kinds

        connections = info.data.get("connections")
        if connections is None:  # the connections failed to load: they are reported already
            return value
        known = kinds()
        errors = [
            error_at((i, field), message, getattr(tag, field))
            for i, tag in enumerate(value)
            if tag.connection in connections
            for field, message in known[connections[tag.connection].kind].tag_problems(
                tag, connections[tag.connection]
            )
        ]
        if errors:
            raise ValidationError.from_exception_data("tags", errors)
        return value

    @field_validator("reports")
    @classmethod
    def _report_tags_known(cls, value: dict[str, ReportDef], info: ValidationInfo) -> dict[str, ReportDef]:
        tags = info.data.get("tags")
        if tags is None:  # the tags failed to load: they are reported already
            return value
        names = {t.name for t in tags}
        for name, report in value.items():
            unknown = [t for t in report.tags if t not in names]
            if unknown:
                raise ValueError(f"{name}.tags: unknown tag {', '.join(repr(t) for t in unknown)}")
        return value


def _items_by_type(value: Any, handler: Any) -> list[Item]:
    """Screen and template items, each as the model of its symbol; errors under the item's index."""
    if not isinstance(value, list):
        return handler(value)
    from .symbols import parse_item

    items: list[Any] = []
    errors: list[InitErrorDetails] = []
    for i, data in enumerate(value):
        try:
            items.append(data if isinstance(data, Item) else parse_item(data))
        except ValidationError as exc:
            errors += [error_at((i, *e["loc"]), e["msg"], e["input"]) for e in exc.errors()]
    if errors:
        raise ValidationError.from_exception_data("items", errors)
    return handler(items)
