"""Project load benchmark: a plant of 50,000 tags, loaded and checked as the engine does it.

Generates a project (four OPC-UA connections; units, ranges, alarm limits on a share of the tags,
history settings on most, setpoints with write limits) in a temp dir, then measures in fresh
processes, so that each peak RSS is that of one job alone:

- raw parse: project.yaml read with the fastest YAML loader there is (libyaml's CSafeLoader), no
  validation: the baseline, in the same run; the ratio is our load time over it
- load_project: parse, validation, cross-file checks
- engine: load_project, then the Runtime built from it (tag table, historian, alarm engine, sources;
  nothing connects)
- hmi check: the whole command, interpreter start and imports included

Medians over the runs; peak RSS is ru_maxrss of the process after the job.

    python bench/project_load.py            # 50,000 tags, 5 runs of each
    python bench/project_load.py --quick    # 50,000 tags, 1 run of each
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

TAGS = 50_000
CONNECTIONS = 4
TARGET_S = 3.0
TARGET_MIB = 300

_CHILD = r"""
import json, resource, sys, time
job, root = sys.argv[1], sys.argv[2]
if job == "raw":
    import yaml
    t = time.perf_counter()
    with open(f"{root}/project.yaml", encoding="utf-8") as f:
        data = yaml.load(f.read(), Loader=yaml.CSafeLoader)
    assert len(data["tags"]) > 0
    seconds = {"load": time.perf_counter() - t}
else:
    from hmi.project import load_project
    t = time.perf_counter()
    folder = load_project(root)
    seconds = {"load": time.perf_counter() - t}
    if job == "engine":
        from hmi.runtime import Runtime
        t = time.perf_counter()
        runtime = Runtime(folder, start_simulator=False)
        seconds["engine"] = time.perf_counter() - t
rss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "rss_mib": rss_mib}))
"""


def _q(text: str) -> str:
    return f"'{text}'"


def tag_lines(i: int) -> list[str]:
    """One tag in the style of the shipped files; the mix of kinds repeats every 20 tags."""
    area, unit, n = i // 2500, (i // 100) % 25, i % 100
    base = f"A{area:02d}.U{unit:02d}"
    conn = f"line{i % CONNECTIONS + 1}"
    kind = i % 20
    if kind < 3:  # a pump's run state or fault
        name = f"{base}.P{n:02d}.{'Fault' if kind == 0 else 'Running'}"
        lines = [f"- name: {name}", f"  connection: {conn}", f"  node: ns=2;s={name}", "  type: Boolean"]
        lines.append(f"  description: Pump {area}-{unit}-{n} {'fault' if kind == 0 else 'running'}")
        if kind == 0:
            lines += ["  alarms:", "    discrete:", "      priority: high"]
            lines.append(f"      message: Pump P-{area}{unit:02d}{n:02d} tripped")
        return lines
    if kind == 3:  # a setpoint
        name = f"{base}.TIC{n:02d}.SP"
        return [
            f"- name: {name}",
            f"  connection: {conn}",
            f"  node: ns=2;s={name}",
            "  units: °C",
            f"  description: Temperature controller {area}-{unit}-{n} setpoint",
            "  range: [0, 150]",
            "  writable: true",
            "  write_limits: [10, 140]",
            "  history: {mode: periodic, period_s: 60}",
        ]
    name = f"{base}.TT{n:02d}.K{kind:02d}"
    high = 100 + 50 * (kind % 4)
    lines = [
        f"- name: {name}",
        f"  connection: {conn}",
        f"  node: ns=2;s={name}",
        f"  units: {_q('%') if kind % 2 else 'bar'}",
        f"  description: Transmitter {area}-{unit}-{n} channel {kind}",
        f"  range: [0, {high}]",
    ]
    if kind % 10 != 9:  # most tags log with a deadband, the rest every change
        lines.append(f"  history: {{deadband_pct: {0.5 if kind % 2 else 1}}}")
    if kind in (4, 5, 12):  # a quarter of the analog tags alarm, some with all four limits
        lines += ["  alarms:", "    hi:", f"      message: {name} high", f"      limit: {high * 0.85:g}"]
        lines += ["      deadband: 1", "    lo:", f"      message: {name} low"]
        lines.append(f"      limit: {high * 0.1:g}")
        if kind == 4:
            lines += ["    hihi:", "      priority: critical", f"      message: {name} very high"]
            lines += [f"      limit: {high * 0.95:g}", "      on_delay: 5"]
    return lines


def generate(root: Path, tags: int) -> int:
    """A project folder of `tags` tags and a start screen; returns project.yaml's size in bytes."""
    lines = ["name: Load Bench Plant", "start_screen: overview", "connections:"]
    for c in range(1, CONNECTIONS + 1):
        lines += [f"  line{c}:", f"    endpoint: opc.tcp://127.0.0.1:{48400 + c}", "    conditions: true"]
    lines += ["history:", "  retention_days: 90", "tags:"]
    names = []
    for i in range(tags):
        tag = tag_lines(i)
        names.append(tag[0].removeprefix("- name: "))
        lines += [f"  {line}" for line in tag]
    lines += ["trends:", "  first:", "    title: First tags", "    pens:"]
    lines += [f"      - tag: {n}" for n in names[4:8]]
    text = "\n".join(lines) + "\n"
    (root / "project.yaml").write_text(text, encoding="utf-8")
    screen = ["title: Overview", "items:"]
    for k, name in enumerate(names[:200]):
        screen += ["  - type: value", f"    at: [{40 + (k % 10) * 150}, {40 + (k // 10) * 40}]"]
        screen += [f"    label: {name}", f"    bind: {{value: {name}}}"]
    (root / "screens").mkdir()
    (root / "screens" / "overview.yaml").write_text("\n".join(screen) + "\n", encoding="utf-8")
    return len(text.encode())


def _env(data_dir: Path) -> dict[str, str]:
    env = dict(os.environ, OPENHMI_DATA_DIR=str(data_dir))
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


def child(job: str, root: Path, data_dir: Path) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", _CHILD, job, str(root)],
        env=_env(data_dir),
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def hmi_check(root: Path, data_dir: Path) -> float:
    """Wall time of `hmi check` (a fresh interpreter, imports included); it must say OK."""
    start = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-m", "hmi", "check", str(root)], env=_env(data_dir), capture_output=True, text=True
    )
    seconds = time.perf_counter() - start
    if out.returncode != 0 or ": OK (" not in out.stdout:
        raise SystemExit(f"hmi check failed:\n{out.stdout[-2000:]}\n{out.stderr[-2000:]}")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="one run of each (under 60 s)")
    parser.add_argument("--tags", type=int, default=TAGS)
    parser.add_argument("--runs", type=int, default=None)
    args = parser.parse_args()
    runs = args.runs or (1 if args.quick else 5)
    med = statistics.median

    with tempfile.TemporaryDirectory(prefix="hmi-load-") as tmp:
        root, data_dir = Path(tmp) / "plant", Path(tmp) / "data"
        root.mkdir()
        size = generate(root, args.tags)
        print(f"{args.tags:,} tags, project.yaml {size / 2**20:.1f} MiB; {runs} run(s) of each, medians")
        raw, load, engine, check = [], [], [], []
        for _ in range(runs):
            raw.append(child("raw", root, data_dir))
            load.append(child("load", root, data_dir))
            engine.append(child("engine", root, data_dir))
            check.append(hmi_check(root, data_dir))

    fig = {
        "bench": "project_load",
        "tags": args.tags,
        "runs": runs,
        "file_mib": round(size / 2**20, 1),
        "raw_parse_s": round(med(r["seconds"]["load"] for r in raw), 2),
        "raw_parse_rss_mib": round(med(r["rss_mib"] for r in raw)),
        "load_s": round(med(r["seconds"]["load"] for r in load), 2),
        "load_rss_mib": round(med(r["rss_mib"] for r in load)),
        "engine_build_s": round(med(r["seconds"]["engine"] for r in engine), 2),
        "engine_rss_mib": round(med(r["rss_mib"] for r in engine)),
        "check_s": round(med(check), 2),
    }
    fig["ratio"] = round(fig["load_s"] / fig["raw_parse_s"], 2)
    fig["load_ok"] = fig["load_s"] < TARGET_S and fig["load_rss_mib"] < TARGET_MIB
    rows = [
        ("raw parse (CSafeLoader)", "raw_parse_s", "raw_parse_rss_mib"),
        ("load_project", "load_s", "load_rss_mib"),
        ("  then the Runtime built", "engine_build_s", "engine_rss_mib"),
        ("hmi check (whole command)", "check_s", None),
    ]
    for label, seconds, rss in rows:
        print(f"{label:26s}{fig[seconds]:6.2f} s" + (f"   peak RSS {fig[rss]:4d} MiB" if rss else ""))
    print(f"load / raw parse: {fig['ratio']:.2f}x; target < {TARGET_S:g} s and < {TARGET_MIB} MiB: ", end="")
    print("met" if fig["load_ok"] else "not met")
    print(json.dumps(fig))


if __name__ == "__main__":
    main()
