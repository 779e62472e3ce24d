"""Transmitter checks: stuck (no change for far longer than normal), flat-lined at a range end, and
drift against a related measurement (a redundant transmitter, or one with a steady offset)."""

from __future__ import annotations

import math
import statistics

from .check import Check, Emit, Level, lasting
from .settings import SensorCheck

STUCK_FACTOR = 10.0
"""Stuck means unchanged this many times longer than the longest unchanged stretch while learning."""
RANGE_END = 0.005
"""Within this fraction of the span of a range end counts as at the end."""
SIGMA_LIMIT = 5.0


class SensorModel(Check):
    kind = "sensor"

    def __init__(
        self, asset: str, alarm_id: str, cfg: SensorCheck, span: tuple[float, float] | None, emit: Emit
    ):
        super().__init__(asset, alarm_id, cfg.tag, emit)
        self.cfg = cfg
        self.span = span
        self.inputs = (cfg.tag, cfg.related) if cfg.related else (cfg.tag,)
        self._first: float | None = None
        self._value: float | None = None
        self._changed = 0.0
        self._longest = 0.0
        self._at_end_since: float | None = None
        self.stuck_after = cfg.stuck_s
        self._sums = {cfg.tag: [0.0, 0], **({cfg.related: [0.0, 0]} if cfg.related else {})}
        self._window_start: float | None = None
        self._offsets: list[float] = []
        self._offset: tuple[float, float] | None = None
        """Learned (mean, sd) of the difference to the related tag."""
        self._difference = math.nan

    def on_sample(self, name: str, ts: float, value: float) -> None:
        if self._first is None:
            self._first = self._changed = ts
            self._window_start = ts
        if name in self._sums:
            total = self._sums[name]
            total[0] += value
            total[1] += 1
            if self._window_start is not None and ts - self._window_start >= self.cfg.window_s:
                self._close_window(ts)
        if name != self.cfg.tag:
            return
        if value != self._value:
            if self.level is Level.LEARNING:
                self._longest = max(self._longest, ts - self._changed)
            self._value, self._changed = value, ts
        if self.span is not None:
            low, high = self.span
            near = RANGE_END * (high - low)
            at_end = value <= low + near or value >= high - near
            if not at_end:
                self._at_end_since = None
            elif self._at_end_since is None:
                self._at_end_since = ts
        self.trace.append((ts, value, math.nan, self._difference))
        self.tick(ts)

    def on_gap(self, name: str, ts: float) -> None:
        if name == self.cfg.tag:
            self._value = None
            self._changed = ts
            self._at_end_since = None
        for total in self._sums.values():
            total[:] = [0.0, 0]
        self._window_start = ts

    def tick(self, now: float) -> None:
        if self._first is None:
            return
        if self.level is Level.LEARNING and now - self._first >= self.cfg.learn_s and not self.cfg.related:
            self._learned()
        if self.level is Level.LEARNING or self._value is None:
            return
        unchanged = now - self._changed
        evidence = {"unchanged_s": unchanged, "stuck_after_s": self.stuck_after}
        if self._at_end_since is not None and now - self._at_end_since >= self.cfg.flatline_s:
            end = "low" if self.span and self._value <= sum(self.span) / 2 else "high"
            cause = f"{self.cfg.tag} flat-lined at its {end} range end (open circuit or failed transmitter?)"
            self.judge(now, True, cause, self._value, None, evidence)
        elif unchanged > self.stuck_after:
            cause = f"{self.cfg.tag} stuck at {self._value:.4g} for {lasting(unchanged)}"
            self.judge(now, True, cause, unchanged, self.stuck_after, evidence)
        elif self._offset is not None and self._drifting():
            mean, _sd = self._offset
            cause = f"{self.cfg.tag} drifting from {self.cfg.related}: offset {self._difference - mean:+.3g}"
            self.judge(now, True, cause, self._difference - mean, self._tolerance(), evidence)
        elif self.finding is not None and self.finding.active:
            self.judge(now, False, f"{self.cfg.tag} reading normally", None, None, evidence)

    def _learned(self) -> None:
        self.stuck_after = max(self.cfg.stuck_s, STUCK_FACTOR * self._longest)
        parameters = {"stuck_after_s": self.stuck_after}
        if self._offset is not None:
            parameters |= {"offset": self._offset[0], "offset_sd": self._offset[1]}
        self.learned(parameters)

    def _close_window(self, ts: float) -> None:
        """The mean difference to the related tag over the window just ended."""
        self._window_start = ts
        totals = list(self._sums.values())
        if self.cfg.related and all(n for _, n in totals):
            (a, na), (b, nb) = totals
            self._difference = a / na - b / nb
            if self.level is Level.LEARNING:
                self._offsets.append(self._difference)
                learnt = self._first is not None and ts - self._first >= self.cfg.learn_s
                if learnt and len(self._offsets) >= 3:
                    self._offset = (statistics.fmean(self._offsets), statistics.pstdev(self._offsets))
                    self._learned()
        for total in totals:
            total[:] = [0.0, 0]

    def _tolerance(self) -> float:
        assert self._offset is not None
        return self.cfg.tolerance or max(SIGMA_LIMIT * self._offset[1], 1e-9)

    def _drifting(self) -> bool:
        assert self._offset is not None
        return abs(self._difference - self._offset[0]) > self._tolerance()
