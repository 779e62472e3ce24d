"""OPC-UA servers of other stacks, run as real processes on 127.0.0.1: start, kill, pause, resume."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import threading
from collections.abc import Sequence
from pathlib import Path

import yaml

from hmi.project import ProjectFolder, load_project

NODE_DIR = Path(__file__).parent / "node"
PLANT_NS = "urn:openhmi:interop:plant"
CONFORMANCE_NS = "urn://node-opcua-simulator"
"""node-opcua's conformance-testing address space (Objects/Simulation: a variable of every type)."""
START_TIMEOUT_S = 60.0


def node_ready() -> str | None:
    """Why the node-opcua servers cannot run here, or None when they can."""
    if shutil.which("node") is None:
        return "node is not installed"
    if not (NODE_DIR / "node_modules" / "node-opcua").is_dir():
        return f"node-opcua is not installed: run `npm ci` in {NODE_DIR}"
    return None


class NodePlant:
    """tests/interop/node/plant_server.js as a child process; `namespaces_before` shifts its index."""

    def __init__(
        self,
        port: int,
        pki: Path,
        namespaces_before: int = 0,
        service_level: int = 255,
        conformance: bool = False,
        max_select: int | None = None,
    ):
        self.port = port
        self.conformance = conformance
        self.max_select = max_select
        self.pki = pki
        self.namespaces_before = namespaces_before
        self.service_level = service_level
        self.process: subprocess.Popen[str] | None = None
        self.namespace_index: int | None = None
        self.output: list[str] = []

    @property
    def endpoint(self) -> str:
        return f"opc.tcp://127.0.0.1:{self.port}"

    def start(self) -> NodePlant:
        args = ["node", "plant_server.js", "--port", str(self.port), "--pki", str(self.pki)]
        args += [
            "--namespaces-before",
            str(self.namespaces_before),
            "--service-level",
            str(self.service_level),
        ]
        args += ["--conformance"] if self.conformance else []
        args += ["--max-select", str(self.max_select)] if self.max_select is not None else []
        self.process = subprocess.Popen(
            args,
            cwd=NODE_DIR,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        ready = threading.Event()
        threading.Thread(target=self._read, args=(self.process, ready), daemon=True).start()
        if not ready.wait(START_TIMEOUT_S) or self.namespace_index is None:
            self.kill()
            raise RuntimeError("node-opcua plant did not start:\n" + "".join(self.output[-30:]))
        return self

    def _read(self, process: subprocess.Popen[str], ready: threading.Event) -> None:
        assert process.stdout is not None
        for line in process.stdout:
            self.output.append(line)
            if line.startswith("READY "):
                self.namespace_index = int(line.split()[1])
                ready.set()
        ready.set()

    def set_service_level(self, level: int) -> None:
        assert self.process is not None and self.process.stdin is not None
        self.process.stdin.write(f"service-level {level}\n")
        self.process.stdin.flush()

    def raise_event(self, source: str, severity: int, message: str) -> None:
        """The server emits a plain event (not a condition) from its Server object."""
        assert self.process is not None and self.process.stdin is not None
        self.process.stdin.write(f"event {source} {severity} {message}\n")
        self.process.stdin.flush()

    def pause(self) -> None:
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGSTOP)

    def resume(self) -> None:
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGCONT)

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGCONT)
            self.process.kill()
            self.process.wait(10)
        self.process = None

    def __enter__(self) -> NodePlant:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.kill()


PLANT_TAGS = [
    {"name": "Counter", "node": "s=Counter", "type": "Int32"},
    {"name": "Level", "node": "s=Level", "range": [0, 100], "units": "%"},
    {"name": "Setpoint", "node": "s=Setpoint", "writable": True, "write_limits": [0, 100]},
    {"name": "SetpointF", "node": "s=SetpointF", "type": "Float", "writable": True},
    {"name": "Mode", "node": "s=Mode", "writable": True},
    {"name": "Big", "node": "s=Big", "type": "Int64", "writable": True},
    {"name": "UBig", "node": "s=UBig", "type": "UInt64", "writable": True},
    {"name": "Run", "node": "s=Run", "type": "Boolean", "writable": True},
    {"name": "Text", "node": "s=Text", "type": "String", "writable": True},
    {"name": "Ignored", "node": "s=Ignored", "writable": True},
    {"name": "TankLevel", "node": "s=TankLevel", "writable": True},
    {"name": "Stamp", "node": "s=Stamp"},
    {"name": "Missing", "node": "s=NoSuchNode"},
]
"""The plant's variables as project tags; Mode has no type: it is written in the node's own (Int16).
Stamp is a DateTime node on a Double tag, Missing is not on the server: neither is ever Good."""
NEVER_GOOD = {"Stamp", "Missing"}


def plant_project(
    root: Path, endpoint: str, extra_tags: Sequence[dict[str, object]] = (), **connection: object
) -> ProjectFolder:
    """A project of the plant's tags (and `extra_tags`, with full node ids) on `endpoint`, node
    ids by namespace URI."""
    tags = [{**t, "connection": "plant", "node": f"nsu={PLANT_NS};{t['node']}"} for t in PLANT_TAGS]
    tags += [{**t, "connection": "plant"} for t in extra_tags]
    project = {
        "name": "Interop",
        "start_screen": "plant",
        "connections": {"plant": {"endpoint": endpoint, "publishing_interval_ms": 100, **connection}},
        "tags": tags,
    }
    root.mkdir(parents=True, exist_ok=True)
    (root / "project.yaml").write_text(yaml.safe_dump(project, sort_keys=False), encoding="utf-8")
    screen = {"title": "Plant", "items": [{"type": "value", "at": [40, 40], "bind": {"value": "Counter"}}]}
    (root / "screens").mkdir(exist_ok=True)
    (root / "screens" / "plant.yaml").write_text(yaml.safe_dump(screen, sort_keys=False), encoding="utf-8")
    return load_project(root)
