"""Condition-monitoring benchmark: the demo's health models against faults of the accelerated plant.

For each fault kind, runs with a random onset, severity and target on hmi.sim.plant driven directly
(no OPC-UA), its samples fed to the demo project's diagnostics and to its alarm engine, as the
runtime would (only changed values, 4 samples a second). Per kind: detection rate, median lead time
before the HI alarm against the time from onset to HI (target: lead >= half of it), then false
warnings over hours of normal operation with a varying payload (target 0), and CPU per sample of the
models against the alarm engine's on the same samples (target < 10 us).

    python bench/diagnosis.py [--quick] [--seed N]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from dataclasses import dataclass
from pathlib import Path

from hmi.alarms import AlarmEngine
from hmi.diagnostics.monitor import DiagnosticsMonitor
from hmi.diagnostics.offline import transitions
from hmi.project import load_project
from hmi.quality import Quality, Sample
from hmi.sim.faults import FaultKind
from hmi.sim.plant import Plant

PROJECT = Path(__file__).resolve().parent.parent / "projects" / "demo-plant"
STEP_S = 0.25
LEARN_S = 1800.0
"""Normal operation before any fault: the models learn on it."""
ONSET_WITHIN_S = 1800.0
ACCELERATION = {FaultKind.BEARING_WEAR: 4.0}
"""Faults developed faster than real (wear takes hours); the rest at 1x."""
CHECK = {
    FaultKind.COOLING_LOSS: "thermal",
    FaultKind.BEARING_WEAR: "torque",
    FaultKind.COLLISION: "torque",
    FaultKind.STUCK_SENSOR: "sensor",
    FaultKind.CAVITATION: "pump",
}
HI_ALARM = {FaultKind.COOLING_LOSS: "RC1.{}.Temp.HI", FaultKind.BEARING_WEAR: "RC1.{}.Torque.HI"}
"""The alarm a fault leads to, whose lead time counts; the other kinds have none (detection delay)."""
AFTER_S = {FaultKind.COLLISION: 120.0, FaultKind.STUCK_SENSOR: 600.0, FaultKind.CAVITATION: 1800.0}
"""How long after the onset a fault without HI alarm may take to be found."""


@dataclass
class Run:
    seed: int
    target: str
    severity: float
    onset: float
    detected: float | None
    hi: float | None
    false: int
    message: str


class Harness:
    """The plant, the project's alarm engine and diagnostics, fed as the runtime would feed them."""

    def __init__(self, seed: int):
        folder = load_project(PROJECT)
        project = folder.project
        self.plant = Plant(seed=seed)
        self.alarms = AlarmEngine({t.name: t.alarms for t in project.tags}, project.alarm_settings)
        self.monitor = DiagnosticsMonitor(project.diagnostics, folder.tags)
        self.tags = [t for t in self.plant.values() if t in folder.tags]
        self.watched = set(self.monitor.tags())
        self.last: dict[str, object] = {}
        self.diag_s = self.alarm_s = 0.0
        self.next_tick = 0.0

    def step(self) -> None:
        plant, monitor, alarms = self.plant, self.monitor, self.alarms
        plant.step(STEP_S)
        now = plant.time
        values = plant.values()
        last = self.last
        for name in self.tags:
            value = values[name]
            if last.get(name) == value:
                continue
            last[name] = value
            t0 = time.perf_counter()
            alarms.on_sample(name, Sample(value, Quality.GOOD, now))
            t1 = time.perf_counter()
            self.alarm_s += t1 - t0
            if name in self.watched:
                monitor.feed(name, now, float(value))
                self.diag_s += time.perf_counter() - t1
        if now >= self.next_tick:
            self.next_tick = now + 1.0
            t0 = time.perf_counter()
            monitor.tick(now)
            self.diag_s += time.perf_counter() - t0
            alarms.tick(now)


def fault_run(kind: FaultKind, seed: int) -> tuple[Run, Harness]:
    rng = random.Random(seed)
    harness = Harness(seed)
    plant = harness.plant
    target = "P101" if kind is FaultKind.CAVITATION else f"J{rng.randint(1, 6)}"  # P102 stands by
    fault = plant.inject(
        kind,
        target,
        onset_in=LEARN_S + rng.uniform(0, ONSET_WITHIN_S),
        severity=rng.uniform(0.5, 1.0),
        acceleration=ACCELERATION.get(kind, 1.0),
    )
    check = CHECK[kind]
    hi_id = HI_ALARM[kind].format(target) if kind in HI_ALARM else None
    limit = fault.onset + (fault.develop_s * 3 if hi_id else AFTER_S[kind])
    detected = hi = None
    false = 0
    seen = 0
    message = ""
    active: set[str] = set()
    while plant.time < limit:
        harness.step()
        findings = harness.monitor.findings
        for finding in list(findings)[seen:]:
            raised = finding.active and finding.alarm_id not in active
            (active.add if finding.active else active.discard)(finding.alarm_id)
            if not raised:
                continue
            ours = finding.asset == target and finding.check == check and finding.ts >= fault.onset
            if ours and detected is None:
                detected, message = finding.ts, finding.message
            elif not ours and finding.ts < fault.onset:
                false += 1
        seen = len(findings)
        if hi_id and hi is None and harness.alarms.alarm(hi_id).active:
            hi = plant.time
        if detected is not None and (hi is not None or hi_id is None):
            break
    return Run(seed, target, fault.severity, fault.onset, detected, hi, false, message), harness


def normal_run(hours: float, seed: int) -> tuple[int, list[str], Harness]:
    """Hours of normal operation, the payload changing every 10 minutes; every finding is false."""
    rng = random.Random(seed)
    harness = Harness(seed)
    plant = harness.plant
    next_change = 0.0
    while plant.time < hours * 3600:
        if plant.time >= next_change:
            plant.robot.payload = rng.uniform(0.7, 1.2)
            next_change += 600.0
        harness.step()
    raised = [f for f in transitions(harness.monitor.findings) if f.active]
    return len(raised), [f"{f.ts / 3600:.2f} h {f.message}" for f in raised[:5]], harness


def summarize(kind: FaultKind, runs: list[Run]) -> dict[str, float]:
    found = [r for r in runs if r.detected is not None and (r.hi is None or r.detected <= r.hi)]
    figures: dict[str, float] = {"runs": len(runs), "detection_rate": len(found) / len(runs)}
    figures["false_before_onset"] = sum(r.false for r in runs)
    delays = [r.detected - r.onset for r in found if r.detected is not None]
    figures["median_delay_s"] = statistics.median(delays) if delays else float("nan")
    with_hi = [r for r in runs if r.hi is not None]
    if kind in HI_ALARM:
        leads = [r.hi - r.detected for r in with_hi if r.detected is not None and r.detected <= r.hi]
        spans = [r.hi - r.onset for r in with_hi]
        figures["reached_hi"] = len(with_hi)
        figures["median_lead_s"] = statistics.median(leads) if leads else 0.0
        figures["median_onset_to_hi_s"] = statistics.median(spans) if spans else float("nan")
        fractions = [
            (r.hi - r.detected) / (r.hi - r.onset) if r.detected is not None and r.detected <= r.hi else 0.0
            for r in with_hi
        ]
        figures["median_lead_fraction"] = statistics.median(fractions) if fractions else 0.0
    return figures


def print_table(kind: FaultKind, runs: list[Run], figures: dict[str, float]) -> None:
    accel = ACCELERATION.get(kind, 1.0)
    print(f"\n{kind.value} (x{accel:g} development)")
    print(f"  {'seed':>6} {'target':>6} {'sev':>5} {'onset h':>8} {'found +min':>10} {'HI +min':>8}  message")
    for r in runs:
        found = f"{(r.detected - r.onset) / 60:10.1f}" if r.detected is not None else f"{'-':>10}"
        hi = f"{(r.hi - r.onset) / 60:8.1f}" if r.hi is not None else f"{'-':>8}"
        print(
            f"  {r.seed:>6} {r.target:>6} {r.severity:5.2f} {r.onset / 3600:8.2f} {found} {hi}  {r.message}"
        )
    line = (
        f"  detected {figures['detection_rate']:.0%}, median delay {figures['median_delay_s'] / 60:.1f} min"
    )
    if "median_lead_s" in figures:
        line += (
            f", median lead before HI {figures['median_lead_s'] / 60:.1f} min of "
            f"{figures['median_onset_to_hi_s'] / 60:.1f} min from onset "
            f"(fraction {figures['median_lead_fraction']:.2f}, target >= 0.5)"
        )
    print(line + f", false warnings before onset {figures['false_before_onset']:g}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3 runs a kind and 2 normal hours, under 60 s")
    parser.add_argument("--seed", type=int, default=1, help="first seed (default %(default)s)")
    args = parser.parse_args()
    runs_per_kind = 3 if args.quick else 20
    normal_hours = 2.0 if args.quick else 24.0
    results: dict[str, object] = {"bench": "diagnosis", "quick": args.quick, "first_seed": args.seed}
    diag_s = alarm_s = 0.0
    samples = 0
    started = time.perf_counter()
    for k, kind in enumerate(FaultKind):
        runs = []
        for i in range(runs_per_kind):
            run, harness = fault_run(kind, args.seed + 1000 * k + i)
            runs.append(run)
            diag_s, alarm_s = diag_s + harness.diag_s, alarm_s + harness.alarm_s
            samples += harness.monitor.samples
        figures = summarize(kind, runs)
        print_table(kind, runs, figures)
        results[kind.value] = figures
    false, examples, harness = normal_run(normal_hours, args.seed + 99)
    diag_s, alarm_s = diag_s + harness.diag_s, alarm_s + harness.alarm_s
    samples += harness.monitor.samples
    print(
        f"\nnormal operation, varying payload: {normal_hours:g} h (seed {args.seed + 99}), "
        f"{false} false warnings (target 0)"
    )
    for example in examples:
        print(f"  {example}")
    diag_us, alarm_us = 1e6 * diag_s / samples, 1e6 * alarm_s / samples
    print(
        f"\nCPU per sample: models {diag_us:.2f} us (target < 10), alarm engine {alarm_us:.2f} us "
        f"on the same {samples:,} samples (ratio {diag_us / alarm_us:.2f}); "
        f"{time.perf_counter() - started:.0f} s in all"
    )
    results |= {
        "normal_hours": normal_hours,
        "false_warnings": false,
        "samples": samples,
        "diag_us_per_sample": round(diag_us, 3),
        "alarm_us_per_sample": round(alarm_us, 3),
        "ratio": round(diag_us / alarm_us, 3),
    }
    print(json.dumps(results))


if __name__ == "__main__":
    main()
