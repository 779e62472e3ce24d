"""Torque signature of a joint: each motion cycle against the signature learned from normal cycles.

With a cycle counter the cycle is cut into phase bins and each bin's mean torque is compared with the
learned one: wear shows as a drift of the whole signature (friction adds to every move), a collision
as one sample far off it, bearing damage as noise growing around it. Without a usable cycle (no
counter, or too few samples a cycle) blocks of samples are judged for spikes only. The signature is
scaled to each cycle first, so that a heavier payload is not taken for wear.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections import deque

import numpy as np

from .check import Check, Emit, about, slope
from .settings import TorqueCheck

SIGMA_LIMIT = 5.0
SMOOTHING = 0.2
"""Weight of a new cycle in the smoothed drift and noise."""
HOLD_CYCLES = 5
"""A spike's finding stays active this many cycles."""
TREND_CYCLES = 60
DECIDE_CYCLES = 5
"""Cycles seen before deciding between phase bins and blocks."""
MIN_PER_CYCLE = 24
"""Samples a cycle needs for its signature to be resolved in phase bins (3 a bin, 8 bins or more)."""


class TorqueModel(Check):
    kind = "torque"

    def __init__(self, asset: str, alarm_id: str, cfg: TorqueCheck, hi: float | None, emit: Emit):
        super().__init__(asset, alarm_id, cfg.torque, emit)
        self.cfg = cfg
        self.hi = hi
        """The torque HI alarm limit, for the prediction."""
        self.inputs = (cfg.torque, cfg.cycle) if cfg.cycle else (cfg.torque,)
        self._ts: list[float] = []
        self._values: list[float] = []
        self._start: float | None = None
        self._durations: list[float] = []
        self._cycles: list[tuple[np.ndarray, np.ndarray]] = []
        self.mode: str | None = None if cfg.cycle else "block"
        """'cycle' (phase bins), 'block' (no phase) or None until decided."""
        self.period: float | None = None
        """Median cycle time, in cycle mode."""
        self.bins = 1 if cfg.cycle is None else cfg.bins
        self._scale = 1.0
        self._base: np.ndarray | None = None
        self._noise = 0.0
        self._drift_mean = self._drift_sd = 0.0
        self._peak = 0.0
        self._drift = 0.0
        self._noise_ratio = 1.0
        self._spike_left = 0
        self._spike = 0.0
        self._envelope: deque[tuple[float, float]] = deque(maxlen=TREND_CYCLES)

    def on_sample(self, name: str, ts: float, value: float) -> None:
        if name == self.cfg.torque:
            self._ts.append(ts)
            self._values.append(value)
            if self.mode == "block" and len(self._values) >= self.cfg.block:
                self._close(ts)
        elif self.mode != "block":  # the cycle counter moved: one cycle ended here
            # Samples stamped at or after the count belong to the new cycle, whatever order they came in.
            split = bisect_left(self._ts, ts)
            carry = self._ts[split:], self._values[split:]
            del self._ts[split:], self._values[split:]
            if self._start is not None and self._values:
                self._close(ts)
            self._start = ts
            self._ts, self._values = list(carry[0]), list(carry[1])

    def on_gap(self, name: str, ts: float) -> None:
        self._start = None
        self._ts, self._values = [], []

    def _close(self, ts: float) -> None:
        t = np.array(self._ts)
        x = np.array(self._values)
        self._ts, self._values = [], []
        if self.mode == "block":
            phase = np.zeros(len(x))
        else:
            start = self._start if self._start is not None else float(t[0])
            duration = ts - start
            if self.period is not None and not 0.8 * self.period < duration < 1.25 * self.period:
                return  # the robot stopped or skipped: not a normal cycle
            phase = (t - start) / duration
            self._durations.append(duration)
        if self._base is not None:
            self._judge_cycle(ts, phase, x)
            return
        self._cycles.append((phase, x))
        if self.mode is None and len(self._cycles) >= DECIDE_CYCLES:
            self._decide()
        elif self.mode is not None and len(self._cycles) >= self.cfg.learn_cycles:
            self._learn()

    def _decide(self) -> None:
        """Cycle phase bins where a cycle holds enough samples; else blocks of samples."""
        per_cycle = float(np.median([len(x) for _, x in self._cycles]))
        if per_cycle >= MIN_PER_CYCLE:
            self.mode = "cycle"
            self.bins = int(max(1, min(self.cfg.bins, per_cycle // 3)))
            self.period = float(np.median(self._durations))
        else:
            self.mode, self.bins, self._cycles = "block", 1, []

    def _binned(self, phase: np.ndarray) -> np.ndarray:
        return np.minimum((phase * self.bins).astype(int), self.bins - 1)

    def _expected(self, phase: np.ndarray) -> np.ndarray:
        """The signature at each sample's phase, interpolated between the bin centres (it is periodic)."""
        assert self._base is not None
        if self.bins == 1:
            return np.full(len(phase), self._base[0])
        centres = (np.arange(self.bins) + 0.5) / self.bins
        return np.interp(phase, centres, self._base, period=1.0)

    def _departure(self, phase: np.ndarray, x: np.ndarray) -> tuple[float, np.ndarray]:
        """(scale, residual): the cycle's scale against the signature (a heavier payload scales every
        torque), and what is left of the cycle, brought back to the learned scale, after the signature."""
        expected = self._expected(phase)
        energy = float(expected @ expected)
        scale = min(2.0, max(0.5, float(x @ expected) / energy)) if energy > 0 else 1.0
        return scale, x / scale - expected

    def _learn(self) -> None:
        cycles, self._cycles = self._cycles, []
        everything = np.concatenate([x for _, x in cycles])
        self._peak = max(float(np.max(np.abs(everything))), 1e-9)
        means = np.array([self._bin_means(self._binned(p), x) for p, x in cycles])
        base = np.nanmedian(means, axis=0)
        self._base = np.where(np.isnan(base), 0.0, base)
        noises, drifts = [], []
        for p, x in cycles:
            drift, noise, _ = self._measure(p, x)
            drifts.append(drift)
            noises.append(noise)
        self._noise = max(float(np.median(noises)), 1e-9)
        self._drift_mean, self._drift_sd = float(np.mean(drifts)), float(np.std(drifts))
        self._drift = self._drift_mean
        self.learned(
            {
                "peak_Nm": self._peak,
                "noise_Nm": self._noise,
                "bins": float(self.bins),
                "period_s": self.period or math.nan,
            }
        )

    def _bin_means(self, bins: np.ndarray, x: np.ndarray) -> np.ndarray:
        counts = np.bincount(bins, minlength=self.bins)
        sums = np.bincount(bins, weights=x, minlength=self.bins)
        with np.errstate(invalid="ignore", divide="ignore"):
            return sums / counts

    def _measure(self, phase: np.ndarray, x: np.ndarray) -> tuple[float, float, float]:
        """(drift, noise, largest departure) of one cycle, in Nm: drift is the RMS over the phase bins
        of the residual's mean, noise the residual's spread within the bins."""
        if self.bins == 1:  # no phase: only a torque beyond anything seen while learning stands out
            return 0.0, 0.0, float(np.max(np.abs(x))) - self._peak
        previous = self._scale
        scale, residual = self._departure(phase, x)
        self._scale = scale
        # A payload that changed within the cycle fits the last cycle's scale before and this one's
        # after; a collision fits neither.
        off = float(np.max(np.minimum(np.abs(residual), np.abs(x / previous - self._expected(phase)))))
        bins = self._binned(phase)
        means = self._bin_means(bins, residual)
        seen = ~np.isnan(means)
        drift = float(np.sqrt(np.mean(means[seen] ** 2))) if seen.any() else 0.0
        # Noise does not grow with the payload as the signature does: judge it at the cycle's own scale.
        noise = float(np.std(residual - np.where(seen, means, 0.0)[bins])) * scale
        return drift, noise, off

    def _judge_cycle(self, ts: float, phase: np.ndarray, x: np.ndarray) -> None:
        drift, noise, off = self._measure(phase, x)
        if self.bins > 1:  # without the phase, the profile and wear cannot be told apart: spikes only
            self._drift += SMOOTHING * (drift - self._drift)
            self._noise_ratio += SMOOTHING * (noise / self._noise - self._noise_ratio)
        means = self._bin_means(self._binned(phase), x)
        self._envelope.append((ts, float(np.nanmax(np.abs(means)))))
        spike_limit = self.cfg.spike_limit * self._peak
        if off > spike_limit:
            self._spike_left, self._spike = HOLD_CYCLES, off
        else:
            self._spike_left = max(0, self._spike_left - 1)
        self._report(ts, spike_limit)

    def _report(self, ts: float, spike_limit: float) -> None:
        drift_limit = max(self.cfg.drift_limit * self._peak, self._drift_mean + SIGMA_LIMIT * self._drift_sd)
        drifting = self._drift > drift_limit
        noisy = self._noise_ratio > self.cfg.noise_limit
        percent = 100 * self._drift / self._peak
        evidence = {
            "drift_Nm": self._drift,
            "drift_limit_Nm": drift_limit,
            "noise_ratio": self._noise_ratio,
            "spike_Nm": self._spike,
            "load_scale": self._scale,
        }
        self.time_to_hi = None
        self.prediction = self._predict() if drifting else ""
        if self._spike_left:
            ratio = (self._spike + self._peak) / self._peak
            cause = f"collision suspected: torque spike {ratio:.1f}x the learned peak"
            self.judge(ts, True, cause, self._spike, spike_limit, evidence)
        elif drifting and noisy:
            noise = f"noise x{self._noise_ratio:.1f}"
            cause = f"bearing wear suspected: torque {percent:+.0f} % over the cycle, {noise}"
            self.judge(ts, True, cause, self._drift, drift_limit, evidence, self.prediction)
        elif drifting:
            cause = f"friction rising (wear?): torque {percent:+.0f} % of its peak over the cycle"
            self.judge(ts, True, cause, self._drift, drift_limit, evidence, self.prediction)
        elif noisy:
            cause = f"torque noise x{self._noise_ratio:.1f}: bearing damage suspected"
            self.judge(ts, True, cause, self._noise_ratio, self.cfg.noise_limit, evidence)
        elif self._drift < 0.7 * drift_limit and self._noise_ratio < 0.8 * self.cfg.noise_limit:
            self.judge(ts, False, "torque back on its signature", self._drift, drift_limit, evidence)
        self.trace.append((ts, self._envelope[-1][1], self._peak, self._drift))

    def _predict(self) -> str:
        self.time_to_hi = None
        if self.hi is None:
            return ""
        envelope = self._envelope[-1][1]
        if envelope >= self.hi:
            self.time_to_hi = 0.0
            return "above HI"
        rate = slope(self._envelope)
        if rate is None or rate <= 0:
            return ""
        self.time_to_hi = (self.hi - envelope) / rate
        return f"HI in {about(self.time_to_hi)} at the present trend"
