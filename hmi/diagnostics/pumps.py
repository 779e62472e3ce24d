"""Pump checks: flow against the running state and the suction level, and the run hours.

For each combination of running pumps on the flow meter the model learns the flow as a line over the
suction level and the flow's sample-to-sample noise. Running, the pump is judged per window of
samples: much more noise is cavitation, less flow than expected a worn impeller or a blockage, none
at all a dry run or a closed valve. Past the service interval the run hours say service is due.
"""

from __future__ import annotations

import math

import numpy as np

from .check import Check, Emit
from .settings import PumpCheck

WINDOW = 50
"""Flow samples judged together."""
SMOOTHING = 0.3
NO_FLOW = 0.2
"""Below this fraction of the expected flow there is no flow at all."""


class PumpModel(Check):
    kind = "pump"

    def __init__(self, asset: str, alarm_id: str, cfg: PumpCheck, emit: Emit):
        super().__init__(asset, alarm_id, cfg.flow, emit)
        self.cfg = cfg
        inputs = [cfg.running, cfg.flow, *cfg.shared_with, cfg.level, cfg.run_hours]
        self.inputs = tuple(dict.fromkeys(t for t in inputs if t))
        self._running: dict[str, bool] = {}
        self._since: float | None = None
        self._level = math.nan
        self._hours: float | None = None
        self._window: list[tuple[float, float]] = []
        self._learning: dict[tuple[bool, ...], list[tuple[float, float, float]]] = {}
        self._learned_s: dict[tuple[bool, ...], float] = {}
        self._models: dict[tuple[bool, ...], tuple[float, float, float]] = {}
        """Per running combination: (flow at zero level, flow per % level, sample-to-sample noise)."""
        self._loss = 0.0
        self._noise = 1.0
        self._last_flow: tuple[float, float] | None = None

    def on_sample(self, name: str, ts: float, value: float) -> None:
        cfg = self.cfg
        switched = name == cfg.running or name in cfg.shared_with
        if switched and self._running.get(name) != bool(value):
            self._running[name] = bool(value)
            self._since, self._window, self._last_flow = ts, [], None
        if name == cfg.level:
            self._level = value
        if name == cfg.run_hours:
            self._hours = value
            self._service(ts)
        if name != cfg.flow or not self._running.get(cfg.running):
            return
        if self._since is None or ts - self._since < cfg.settle_s:
            return
        last, self._last_flow = self._last_flow, (ts, value)
        step = value - last[1] if last is not None else math.nan
        self._window.append((value, step))
        self.trace.append((ts, value, self._expected(), self._loss))
        if len(self._window) >= WINDOW:
            self._close(ts)

    def on_gap(self, name: str, ts: float) -> None:
        self._window, self._last_flow = [], None

    def _key(self) -> tuple[bool, ...]:
        return tuple(self._running.get(t, False) for t in self.cfg.shared_with)

    def _level_or_zero(self) -> float:
        return 0.0 if math.isnan(self._level) or self.cfg.level is None else self._level

    def _expected(self) -> float:
        model = self._models.get(self._key())
        return math.nan if model is None else model[0] + model[1] * self._level_or_zero()

    def _close(self, ts: float) -> None:
        window, self._window = self._window, []
        flows = np.array([f for f, _ in window])
        steps = np.array([s for _, s in window if not math.isnan(s)])
        key = self._key()
        model = self._models.get(key)
        if model is None:
            samples = self._learning.setdefault(key, [])
            noise = float(np.std(steps)) if len(steps) > 2 else math.nan
            samples.append((float(np.mean(flows)), self._level_or_zero(), noise))
            self._learned_s[key] = self._learned_s.get(key, 0.0) + (ts - (self._since or ts))
            self._since = ts
            if self._learned_s[key] >= self.cfg.learn_s and len(samples) >= 5:
                self._fit(key, samples)
            return
        self._since = ts
        expected = model[0] + model[1] * self._level_or_zero()
        loss = 1.0 - float(np.mean(flows)) / expected if expected > 0 else 0.0
        noise = float(np.std(steps)) / model[2] if len(steps) > 2 else 1.0
        self._loss += SMOOTHING * (loss - self._loss)
        self._noise += SMOOTHING * (noise - self._noise)
        self._report(ts, expected)

    def _fit(self, key: tuple[bool, ...], samples: list[tuple[float, float, float]]) -> None:
        flows, levels, noises = (np.array(c) for c in zip(*samples, strict=True))
        if self.cfg.level is not None and np.ptp(levels) > 1.0:
            slope, intercept = np.polyfit(levels, flows, 1)
        else:
            slope, intercept = 0.0, float(np.mean(flows))
        noise = max(float(np.nanmedian(noises)), 1e-6)
        self._models[key] = (float(intercept), float(slope), noise)
        del self._learning[key]
        self.learned({"flow_at_0": float(intercept), "flow_per_pct": float(slope), "noise": noise})

    def _report(self, ts: float, expected: float) -> None:
        evidence = {"expected_flow": expected, "flow_loss": self._loss, "noise_ratio": self._noise}
        others = [t.rpartition(".")[0] for t, on in zip(self.cfg.shared_with, self._key(), strict=True) if on]
        who = " or ".join([self.asset, *others]) if others else ""
        prefix = f"{who}: " if who else ""
        if self._loss > 1 - NO_FLOW:
            cause = f"{prefix}running with no flow (dry run or closed valve?)"
            self.judge(ts, True, cause, self._loss, 1 - NO_FLOW, evidence)
        elif self._noise > self.cfg.noise_limit:
            loss = f"flow {-100 * self._loss:+.0f} %"
            cause = f"{prefix}cavitation suspected: flow noise x{self._noise:.1f}, {loss}"
            self.judge(ts, True, cause, self._noise, self.cfg.noise_limit, evidence)
        elif self._loss > self.cfg.loss_limit:
            cause = f"{prefix}flow {100 * self._loss:.0f} % below the expected (worn impeller, blockage?)"
            self.judge(ts, True, cause, self._loss, self.cfg.loss_limit, evidence)
        elif self._noise < 0.8 * self.cfg.noise_limit and self._loss < 0.7 * self.cfg.loss_limit:
            if self._service_due():
                self._service(ts, replace=True)
            else:
                self.judge(ts, False, "flow as expected", self._loss, self.cfg.loss_limit, evidence)

    def _service_due(self) -> bool:
        due = self.cfg.service_h
        return due is not None and self._hours is not None and self._hours >= due

    def _service(self, ts: float, replace: bool = False) -> None:
        """Past the service interval the finding says so, unless the flow has something worse to say."""
        cfg = self.cfg
        if not self._service_due():
            return
        busy = self.finding is not None and self.finding.active and "service" not in self.finding.message
        if busy and not replace:
            return
        cause = f"service due: {self._hours:,.0f} run hours (interval {cfg.service_h:,.0f} h)"
        self.judge(ts, True, cause, self._hours, cfg.service_h, {"run_hours": self._hours or 0.0})
