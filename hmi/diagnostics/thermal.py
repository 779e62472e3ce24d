"""Thermal model of a motor: temperature as a first-order lag of its load (torque squared) and ambient.

    dT/dt = (ambient + rise * u - T) / tau,   u = torque^2 / its mean in normal operation

`rise` (K above ambient at normal load) and `tau` are fitted by output-error least squares on the
learning window; after that the model runs open-loop beside the measurement. Heat the load does not
explain (a residual that rises) means the cooling got worse; the measured trend says when HI comes.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass

import numpy as np

from .check import Check, Emit, Level, about, slope
from .settings import ThermalCheck

GRID_POINTS = 4000
"""The learning window is resampled to at most this many steps for the fit."""
SIGMA_LIMIT = 5.0
TREND_POINTS = 40
"""Points over one time constant kept for the trend of the measurement."""


@dataclass(frozen=True, slots=True)
class ThermalFit:
    tau: float
    rise: float
    scale: float
    """Mean torque^2 of normal operation: the load unit."""
    sigma: float
    """Standard deviation of the residual over the learning window."""


def preload() -> None:
    """Import the fitting libraries off the event loop: the first fit after a learning window would
    otherwise import them there (about 0.5 s and 80 MiB: the UI stood still for 0.8 s in bench/soak.py)."""
    import scipy.optimize  # noqa: F401
    import scipy.signal  # noqa: F401


def fit(
    t: np.ndarray, temp: np.ndarray, load: np.ndarray, ambient: float, tau_guess: float
) -> ThermalFit | None:
    """Fit tau and rise to samples (time, temperature, mean torque^2 since the previous sample)."""
    from scipy.optimize import least_squares  # imported already by preload() at start
    from scipy.signal import lfilter

    span = float(t[-1] - t[0])
    if len(t) < 10 or span <= 0:
        return None
    scale = float(np.mean(load[1:]))
    if not scale > 0:
        return None
    step = max(float(np.median(np.diff(t))), span / GRID_POINTS)
    grid = np.arange(t[0], t[-1], step)
    if len(grid) < 10:
        return None
    target = np.interp(grid, t, temp)[1:] - ambient
    # The load between samples is held; its integral over each grid step gives the step's mean load.
    integral = np.concatenate([[0.0], np.cumsum(load[1:] / scale * np.diff(t))])
    u = np.diff(np.interp(grid, t, integral)) / step
    x0 = float(np.interp(grid[0], t, temp)) - ambient
    # A pull towards the guess where the data cannot tell tau (a steady load): moving tau e-fold costs
    # about a quarter of what the measurement noise alone costs, so only a clear transient moves it.
    noise = max(float(np.std(np.diff(temp))) / math.sqrt(2), 1e-6)
    reg = 0.5 * math.sqrt(len(u)) * noise

    def simulate(p: np.ndarray) -> np.ndarray:
        a = math.exp(-step / math.exp(p[0]))
        return lfilter([(1 - a) * p[1]], [1.0, -a], u, zi=[a * x0])[0]

    def residuals(p: np.ndarray) -> np.ndarray:
        return np.append(simulate(p) - target, reg * (p[0] - math.log(tau_guess)))

    rise0 = max(float(np.mean(target) / max(np.mean(u), 1e-9)), 0.1)
    bounds = ([math.log(step), 0.0], [math.log(max(100 * span, 10 * tau_guess)), np.inf])
    p0 = np.clip([math.log(tau_guess), rise0], [b + 1e-9 for b in bounds[0]], bounds[1])
    result = least_squares(residuals, p0, bounds=bounds, x_scale=[1.0, max(rise0, 1.0)])
    sigma = float(np.std(simulate(result.x) - target))
    return ThermalFit(math.exp(result.x[0]), float(result.x[1]), scale, sigma)


class ThermalModel(Check):
    kind = "thermal"

    def __init__(self, asset: str, alarm_id: str, cfg: ThermalCheck, hi: float | None, emit: Emit):
        super().__init__(asset, alarm_id, cfg.temp, emit)
        self.cfg = cfg
        self.hi = cfg.hi if cfg.hi is not None else hi
        self.inputs = (cfg.temp, cfg.load)
        self.model: ThermalFit | None = None
        self._samples: list[tuple[float, float, float]] = []
        self._sq_sum = 0.0
        self._sq_n = 0
        self._load = 0.0
        self._last_ts: float | None = None
        self._x = 0.0
        self._r = 0.0
        self._trend: deque[tuple[float, float]] = deque(maxlen=TREND_POINTS + 1)
        self._above = 0

    @property
    def limit(self) -> float:
        assert self.model is not None
        return max(self.cfg.residual_limit, SIGMA_LIMIT * self.model.sigma)

    def on_sample(self, name: str, ts: float, value: float) -> None:
        if name == self.cfg.load:
            self._sq_sum += value * value
            self._sq_n += 1
            return
        if self._sq_n:
            self._load = self._sq_sum / self._sq_n
            self._sq_sum, self._sq_n = 0.0, 0
        last, self._last_ts = self._last_ts, ts
        if self.model is None:
            self._learn(ts, value)
            return
        if last is None or ts <= last:
            self._x = value - self.cfg.ambient  # after a gap the model starts again from the reading
            return
        model = self.model
        a = math.exp(-(ts - last) / model.tau)
        self._x = a * self._x + (1 - a) * model.rise * self._load / model.scale
        residual = value - self.cfg.ambient - self._x
        self._r += (1 - math.exp(-(ts - last) / (model.tau / 4))) * (residual - self._r)
        if not self._trend or ts - self._trend[-1][0] >= model.tau / TREND_POINTS:
            self._trend.append((ts, value))
            self.trace.append((ts, value, value - residual, self._r))
            self._evaluate(ts, value)

    def on_gap(self, name: str, ts: float) -> None:
        if name == self.cfg.temp:
            self._last_ts = None
            self._trend.clear()

    def _learn(self, ts: float, value: float) -> None:
        samples = self._samples
        samples.append((ts, value, self._load))
        if not self.trace or ts - self.trace[-1][0] >= self.cfg.tau_s / TREND_POINTS:
            self.trace.append((ts, value, math.nan, math.nan))
        if ts - samples[0][0] < self.cfg.learn_s:
            return
        t, temp, load = (np.array(column) for column in zip(*samples, strict=True))
        self._samples = []
        found = fit(t, temp, load, self.cfg.ambient, self.cfg.tau_s)
        if found is None:  # e.g. no load at all while learning: learn again
            return
        self.model = found
        # Start the open-loop model where the fitted one ends, so the residual starts near zero.
        self._x = value - self.cfg.ambient
        self.learned(
            {"tau_s": found.tau, "rise_K": found.rise, "ambient_C": self.cfg.ambient, "sigma_K": found.sigma}
        )

    def _evaluate(self, ts: float, value: float) -> None:
        limit = self.limit
        residual = self._r
        rate = slope(self._trend)
        self.prediction = self._predict(value, rate)
        warm = residual > limit
        cold = residual < -2 * limit
        if cold:
            self.time_to_hi = None  # a reading too low says nothing of when HI comes
        self._above = self._above + 1 if (warm or cold) else 0
        active = self.level is Level.WARNING
        if self._above >= 2:
            active = True
        elif abs(residual) < limit / 2:
            active = False
        if warm:
            cause = "cooling loss suspected"
        elif cold:
            cause = "reading below the thermal model: check the sensor"
        else:
            cause = self.cause  # the finding clears in the words it was raised with
        evidence = {"residual_K": residual, "limit_K": limit, "temp_C": value}
        if rate is not None:
            evidence["trend_K_min"] = rate * 60
        self.judge(ts, active, cause, residual, limit, evidence, "" if cold else self.prediction)

    def _predict(self, value: float, rate: float | None) -> str:
        self.time_to_hi = None
        if self.hi is None:
            return ""
        if value >= self.hi:
            self.time_to_hi = 0.0
            return "above HI"
        if rate is None or rate <= 0:
            return "no HI at the present trend"
        self.time_to_hi = (self.hi - value) / rate
        return f"HI in {about(self.time_to_hi)} at the present trend"
