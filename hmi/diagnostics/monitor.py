"""The project's health models on a stream of samples: live from the tag table, or replayed history.

Each finding becomes an advisory alarm in the alarm engine (when there is one) and is kept in
`findings`; listeners hear each one (the diagnostics view).
"""

from __future__ import annotations

import logging
import math
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import replace

from ..alarms import AlarmEngine
from ..quality import Quality, Sample
from ..tags import TagTable
from .check import Check, Finding
from .health import AssetHealth, health
from .pumps import PumpModel
from .sensors import SensorModel
from .settings import Asset
from .thermal import ThermalModel
from .torque import TorqueModel

log = logging.getLogger(__name__)

FINDINGS_KEPT = 1000
LABEL = "Advisory"
"""Put before each advisory's message in the alarm list, so that it reads as what it is."""


class TagFacts:
    """What the models need to know of a project tag: its HI alarm limit and engineering range."""

    def __init__(self, hi: float | None = None, span: tuple[float, float] | None = None):
        self.hi = hi
        self.span = span

    @classmethod
    def of(cls, tag: object) -> TagFacts:
        alarms = getattr(tag, "alarms", None)
        hi = getattr(alarms, "hi", None)
        return cls(hi.limit if hi is not None and hi.enabled else None, getattr(tag, "range", None))


def build_checks(
    name: str, asset: Asset, facts: Mapping[str, TagFacts], emit: Callable[[Finding], None]
) -> list[Check]:
    """The models of one asset; their alarm ids are `<asset>.<KIND>` (sensors numbered past the first)."""

    def fact(tag: str) -> TagFacts:
        return facts.get(tag) or TagFacts()

    checks: list[Check] = []
    if asset.thermal is not None:
        checks.append(ThermalModel(name, f"{name}.THERMAL", asset.thermal, fact(asset.thermal.temp).hi, emit))
    if asset.torque is not None:
        checks.append(TorqueModel(name, f"{name}.TORQUE", asset.torque, fact(asset.torque.torque).hi, emit))
    for i, sensor in enumerate(asset.sensors):
        alarm_id = f"{name}.SENSOR" + (str(i + 1) if i else "")
        checks.append(SensorModel(name, alarm_id, sensor, fact(sensor.tag).span, emit))
    if asset.pump is not None:
        checks.append(PumpModel(name, f"{name}.PUMP", asset.pump, emit))
    return checks


class DiagnosticsMonitor:
    """Routes samples to the health models and their findings to the alarm engine."""

    def __init__(
        self,
        assets: Mapping[str, Asset],
        tags: Mapping[str, object] | None = None,
        alarms: AlarmEngine | None = None,
    ):
        self.assets = dict(assets)
        self.alarms = alarms
        facts = {name: TagFacts.of(tag) for name, tag in (tags or {}).items()}
        self.checks: dict[str, list[Check]] = {}
        self._routes: dict[str, list[Check]] = {}
        self._use({name: build_checks(name, asset, facts, self._emit) for name, asset in self.assets.items()})
        self.findings: deque[Finding] = deque(maxlen=FINDINGS_KEPT)
        self._listeners: list[Callable[[Finding], None]] = []
        self._held: list[tuple[str, Sample]] | None = None
        self.samples = 0
        """Samples handed to at least one model (the benchmark's denominator)."""

    def _use(self, checks: dict[str, list[Check]]) -> None:
        self.checks = checks
        self._routes = {}
        for models in checks.values():
            for check in models:
                check.emit = self._emit
                for tag in check.inputs:
                    self._routes.setdefault(tag, []).append(check)

    def hold(self) -> None:
        """Keep the live samples back (and the clock) while the models learn from history elsewhere."""
        self._held = []

    def release(self, warm: DiagnosticsMonitor | None, last: Mapping[str, float], now: float) -> None:
        """Go on from the models `warm` learned from history (None: from scratch), then feed the samples
        held meanwhile that history did not have (newer than `last`, its last sample of each tag). A
        finding still active at the end of history is annunciated again, at `now`."""
        held, self._held = self._held or [], None
        if warm is not None:
            self._use(warm.checks)
            self.findings.extend(warm.findings)
            for check in (c for checks in self.checks.values() for c in checks):
                if check.finding is not None and check.finding.active:
                    self._announce(replace(check.finding, ts=now))
        for name, sample in held:
            if sample.ts > last.get(name, -math.inf):
                self.on_sample(name, sample)

    def tags(self) -> list[str]:
        """Every tag a model reads."""
        return list(self._routes)

    def checks_of(self, tag: str) -> list[Check]:
        return self._routes.get(tag, [])

    def health(self, asset: str) -> AssetHealth:
        """The asset's health at a glance (KeyError for an asset the project does not declare)."""
        return health(self.checks[asset])

    def attach(self, table: TagTable) -> Callable[[], None]:
        """Follow the table's changes; returns the detach function."""
        missing = [name for name in self._routes if name not in table]
        if missing:
            log.warning("diagnostics read tags not in the tag table: %s", ", ".join(missing))
        return table.subscribe(self.on_sample)

    def subscribe(self, listener: Callable[[Finding], None]) -> Callable[[], None]:
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    def on_sample(self, name: str, sample: Sample) -> None:
        """The TagTable observer: Good and Uncertain numbers feed the models, anything else is a gap."""
        checks = self._routes.get(name)
        if checks is None:
            return
        if self._held is not None:
            self._held.append((name, sample))
            return
        value = sample.value
        if sample.quality is Quality.BAD or not isinstance(value, int | float):
            for check in checks:
                check.on_gap(name, sample.ts)
            return
        self.feed(name, sample.ts, float(value), checks)

    def feed(self, name: str, ts: float, value: float, checks: list[Check] | None = None) -> None:
        """One sample of a tag (replayed history, the benchmark)."""
        checks = self._routes.get(name) if checks is None else checks
        if not checks:
            return
        self.samples += 1
        for check in checks:
            check.on_sample(name, ts, value)

    def tick(self, now: float) -> None:
        if self._held is not None:
            return
        for checks in self.checks.values():
            for check in checks:
                check.tick(now)

    def _emit(self, finding: Finding) -> None:
        self.findings.append(finding)
        self._announce(finding)

    def _announce(self, finding: Finding) -> None:
        log.info(
            "diagnosis %s: %s (%s)",
            "raised" if finding.active else "cleared",
            finding.message,
            finding.evidence_text(),
        )
        if self.alarms is not None:
            self.alarms.update_advisory(
                finding.alarm_id,
                tag=finding.tag,
                message=f"{LABEL} — {finding.message}",
                active=finding.active,
                value=finding.value,
                limit=finding.limit,
                evidence=finding.evidence_text(),
                ts=finding.ts,
            )
        for listener in list(self._listeners):
            try:
                listener(finding)
            except Exception:
                log.exception("diagnostics listener %r failed on %s", listener, finding.alarm_id)
