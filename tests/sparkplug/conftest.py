"""A real MQTT broker for the Sparkplug tests: Debian's mosquitto, in a temp dir on a free 127.0.0.1 port
with its own config file. Missing, it skips these tests on a developer's machine and fails them in CI."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import paho.mqtt.client as mqtt
import pytest
from paho.mqtt.enums import CallbackAPIVersion

from hmi.project import ProjectFolder, save_project
from tests.support import demo_project, free_port

MOSQUITTO_PATHS = ("/usr/sbin/mosquitto", "/usr/bin/mosquitto")


def mosquitto() -> str | None:
    return shutil.which("mosquitto") or next((p for p in MOSQUITTO_PATHS if os.access(p, os.X_OK)), None)


class Broker:
    """A mosquitto process of its own; `url` is where clients find it."""

    def __init__(self, root: Path):
        binary = mosquitto()
        if binary is None:
            message = "mosquitto is not installed (apt-get install mosquitto; .ci/run does)"
            if os.environ.get("CI"):
                pytest.fail(message)
            pytest.skip(message)
        self.port = free_port()
        self.url = f"mqtt://127.0.0.1:{self.port}"
        self.log = root / "mosquitto.log"
        config = root / "mosquitto.conf"
        config.write_text(
            f"listener {self.port} 127.0.0.1\n"
            "allow_anonymous true\n"
            "persistence false\n"
            f"log_dest file {self.log}\n"
            "log_type error\nlog_type warning\nlog_type notice\n"
        )
        self.process = subprocess.Popen([binary, "-c", str(config)], stderr=subprocess.PIPE)
        deadline = time.monotonic() + 10
        while not self._answers():
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                why = self.process.stderr.read().decode() if self.process.stderr else ""
                pytest.fail(f"mosquitto did not start: {why}")
            time.sleep(0.05)

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                return True
        except OSError:
            return False

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@pytest.fixture
def broker(tmp_path: Path) -> Iterator[Broker]:
    root = tmp_path / "broker"
    root.mkdir()
    started = Broker(root)
    yield started
    started.stop()


class Listener:
    """A plain paho client that keeps every Sparkplug message it hears, and can publish raw ones."""

    def __init__(self, broker: Broker, topic: str = "spBv1.0/#"):
        self.messages: list[mqtt.MQTTMessage] = []
        self._lock = threading.Lock()
        self.client = mqtt.Client(CallbackAPIVersion.VERSION2)
        self.client.on_message = self._keep
        subscribed = threading.Event()
        self.client.on_subscribe = lambda *_: subscribed.set()
        self.client.connect("127.0.0.1", broker.port)
        self.client.subscribe(topic)
        self.client.loop_start()
        assert subscribed.wait(10), "the listener's subscription was not acknowledged"

    def _keep(self, _client: object, _userdata: object, message: mqtt.MQTTMessage) -> None:
        with self._lock:
            self.messages.append(message)

    def of(self, kind: str, device: str | None = None) -> list[mqtt.MQTTMessage]:
        """The messages heard of one kind (NBIRTH, DDATA...), of one device if given."""
        with self._lock:
            found = list(self.messages)
        return [
            m
            for m in found
            if m.topic.split("/")[2] == kind and (device is None or m.topic.split("/")[-1] == device)
        ]

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()


@pytest.fixture
def listener(broker: Broker) -> Iterator[Listener]:
    heard = Listener(broker)
    yield heard
    heard.close()


GROUP = "site"
NODE = "Demo_Plant"


class EdgeProcess:
    """`hmi run DEMO --headless --publish mqtt://.../site`: the demo plant (its built-in simulator on
    free ports) as a Sparkplug B edge node in a process of its own."""

    def __init__(
        self, root: Path, broker: Broker, log: Path, edit: Callable[[ProjectFolder], None] | None = None
    ):
        folder = demo_project(root, free_port())
        folder.project.connections["plant"].simulator = True
        folder.project.connections["meter"].port = free_port()
        if edit is not None:
            edit(folder)
        save_project(folder)
        self.root = folder.root
        self.log = log
        self.url = f"{broker.url}/{GROUP}"
        self.process = self._start()

    def _start(self) -> subprocess.Popen[bytes]:
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
        with self.log.open("a") as out:
            return subprocess.Popen(
                [sys.executable, "-m", "hmi", "run", str(self.root), "--headless", "--publish", self.url],
                stdout=out,
                stderr=subprocess.STDOUT,
                env=env,
            )

    def restart(self) -> None:
        self.stop()
        self.process = self._start()

    def output(self) -> str:
        return self.log.read_text()

    def kill(self) -> None:
        """kill -9: no goodbye, the broker sends the will."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                return self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
        return self.process.wait()


@pytest.fixture
def edge(tmp_path: Path, broker: Broker) -> Iterator[EdgeProcess]:
    started = EdgeProcess(tmp_path / "edge", broker, tmp_path / "edge.log")
    yield started
    started.stop()


def until(predicate: Callable[[], object], timeout: float, what: str) -> None:
    """Wait for a condition another thread or process brings about; fail naming it after `timeout` s."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.02)
