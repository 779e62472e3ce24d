"""Retake the README's screenshots: the demo project at 1920x1080, as an operator sees it on a desktop.

    python packaging/screenshots.py                  # every shot, into resources/screenshots/
    python packaging/screenshots.py replay logbook   # some of them

A copy of the demo project in a temp dir gets 6 h of simulated history (hmi.sim.history: P-101 stopped
by hand, the tank's level alarms, acknowledged), the plain events a server would have sent over them, and
two users, admin and the operator anna, who is logged in. Each shot runs in a process of its own against
the built-in simulated plant, maximized on an X display with a window manager. Unless DISPLAY is set,
Xvfb and openbox are started on a free display (Debian: xvfb openbox libxcb-cursor0 libxcb-icccm4
libxcb-keysyms1).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

HOURS = 6.0
PASSWORD = "screenshot-pass-1"
INCIDENT = 0.30 + 0.05  # into the history: P-101 stopped at 30 %, the tank filling since
NOTES = (
    (
        0.30,
        "pumps",
        "P101.Running",
        "P-101 stopped by hand for the strainer check; TK-101 filling, watch HI.",
    ),
    (0.34, "overview", "TK101.Level", "TK-101 level high alarm acknowledged; P-102 kept on standby."),
    (0.43, "pumps", "P101.Running", "P-101 back in auto after the strainer was cleaned; level falling."),
)

SERVER_EVENTS = (
    (0.05, "Server", 100, "Session opened by station OS-2", "AuditCreateSessionEventType"),
    (0.29, "P-101", 500, "Local stop pushbutton pressed", "SystemEventType"),
    (0.30, "P-101", 300, "Motor stopped, local control", "SystemEventType"),
    (0.31, "MCC-1", 650, "Breaker Q12 tripped: P-101 supply", "DeviceFailureEventType"),
    (0.42, "MCC-1", 200, "Breaker Q12 reset", "SystemEventType"),
    (0.43, "P-101", 300, "Motor started, auto", "SystemEventType"),
    (0.61, "Historian", 450, "Disk 80 % full on the archive server", "SystemEventType"),
    (0.77, "RC1", 820, "Controller firmware watchdog restart", "DeviceFailureEventType"),
    (0.78, "RC1", 100, "Controller back in RUN", "SystemEventType"),
    (0.90, "Server", 100, "Configuration file reloaded", "AuditUpdateMethodEventType"),
)
"""(share of the history, source, OPC-UA severity, message, event type) of the events shot."""


@dataclass(frozen=True)
class Shot:
    file: str
    take: Callable[[Any, Any, float], Awaitable[Any]]
    """(main window, runtime, end of the history) -> the widget to grab, or None for the whole screen."""
    theme: str = "light"
    language: str = ""
    settle_s: float = 8.0  # the HI alarm's on-delay is 5 s


async def overview(window: Any, runtime: Any, end: float) -> None:
    window.show_screen("overview")
    overheat(runtime)


async def overview_dark(window: Any, runtime: Any, end: float) -> None:
    await overview(window, runtime, end)


async def pump_station(window: Any, runtime: Any, end: float) -> None:
    """P-101's faceplate opened by a click on the pump, as the operator opens it."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    window.show_screen("pumps")
    await asyncio.sleep(1.0)
    view = window.view
    pump = next(i for i in view.items_ if i.model.type == "pump" and "P101.Running" in i.tag_names())
    at = view.mapFromScene(pump.sceneBoundingRect().center())
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=at)


async def robot_cell(window: Any, runtime: Any, end: float) -> None:
    window.show_screen("robot")
    overheat(runtime)


async def trend(window: Any, runtime: Any, end: float) -> None:
    """The first trend of the project over the whole history: the pump stop and the tank filling."""
    window.open_trend(next(iter(window.folder.project.trends)))
    trend_window = window.trend_windows[-1]
    trend_window.showMaximized()
    trend_window.view.set_span(HOURS * 3600)


async def replay(window: Any, runtime: Any, end: float) -> None:
    window.show_screen("overview")
    window.replay.enter(end - HOURS * 3600 * (1 - INCIDENT))


async def logbook(window: Any, runtime: Any, end: float) -> None:
    window.notes.show_logbook()
    view = window.notes.view
    view.resize(1300, 560)  # a window over the overview, as it opens beside the screens
    view.move(window.geometry().center() - view.rect().center())


async def server_events(window: Any, runtime: Any, end: float) -> Any:
    window.show_event_list()
    view = window.event_list
    view.resize(1300, 560)  # a window over the overview, as it opens beside the screens
    view.move(window.geometry().center() - view.rect().center())


async def diagnostics(window: Any, runtime: Any, end: float) -> None:
    overheat(runtime)
    await asyncio.sleep(2.0)
    window.show_diagnostics()
    window.diagnostics.showMaximized()


async def alarm_kpis(window: Any, runtime: Any, end: float) -> None:
    window.show_alarm_kpis()
    window.alarm_kpis.showMaximized()
    window.alarm_kpis.period.setCurrentIndex(1)  # the first preset after the last shift


async def editor(window: Any, runtime: Any, end: float) -> None:
    runtime.security.logout()
    runtime.security.login("admin", PASSWORD)
    window.open_editor()
    window.editor.showMaximized()


SHOTS = {
    "overview": Shot("overview.png", overview),
    "overview-dark": Shot("overview-dark.png", overview_dark, theme="dark"),
    "overview-zh_CN": Shot("overview-zh_CN.png", overview, language="zh_CN"),
    "pump-station": Shot("pump-station.png", pump_station),
    "robot-cell": Shot("robot-cell.png", robot_cell),
    "trend": Shot("trend.png", trend),
    "replay": Shot("replay.png", replay),
    "logbook": Shot("logbook.png", logbook),
    "server-events": Shot("server-events.png", server_events),
    "diagnostics": Shot("diagnostics.png", diagnostics),
    "alarm-kpis": Shot("alarm-kpis.png", alarm_kpis),
    "editor": Shot("editor.png", editor),
}


def overheat(runtime: Any) -> None:
    """Joint 3 of the built-in robot 20 °C over its model at once (its HI alarm, not HIHI), for an alarm
    on the screens now rather than after the slow injected fault's minutes."""
    for simulator in runtime._simulators:
        simulator.plant.robot.joints[2].overheat = 20.0


def prepare(work: Path) -> None:
    """The demo project and its data in `work`: history, notes and users."""
    from hmi.alarms.server_events import ServerEvent
    from hmi.cli import DEMO_PROJECT
    from hmi.logbook import Logbook
    from hmi.opcua.conditions import priority
    from hmi.permissions import SYSTEM
    from hmi.project import load_project
    from hmi.runtime import Runtime
    from hmi.sim.history import simulate_history

    shutil.copytree(DEMO_PROJECT, work / "demo-plant")
    folder = load_project(work / "demo-plant")
    end = time.time()
    simulate_history(folder, HOURS, end)
    (work / "end").write_text(repr(end))
    runtime = Runtime(folder, start_simulator=False)
    security = runtime.security
    security.add_user(SYSTEM, "admin", "administrator", PASSWORD, "Site Administrator")
    security.add_user(SYSTEM, "anna", "operator", PASSWORD, "Anna Berg")
    security.login("anna", PASSWORD)
    book = Logbook(security, runtime.audit)
    for share, screen, tag, text in NOTES:
        book.write("anna", text, end - HOURS * 3600 * (1 - share), screen, tag)
    runtime.audit.close()
    for share, source, severity, message, kind in SERVER_EVENTS:
        at = end - HOURS * 3600 * (1 - share)
        runtime.journal.record_event(
            ServerEvent(at, "plant", source, severity, priority(severity).value, message, kind)
        )
    runtime.journal.close()


def take(name: str, work: Path, out: Path) -> None:
    import qasync

    from hmi.project import load_project
    from hmi.runtime import Runtime
    from ui.app import application
    from ui.main_window import MainWindow
    from ui.settings import Settings

    shot = SHOTS[name]
    settings = Settings.open(work / f"{name}.ini")
    settings.theme, settings.language = shot.theme, shot.language
    app = application(settings)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    end = float((work / "end").read_text())
    runtime = Runtime(load_project(work / "demo-plant"))
    window = MainWindow(runtime, settings)

    async def run() -> None:
        await runtime.start()
        runtime.security.login("anna", PASSWORD)
        window.showMaximized()
        await asyncio.sleep(1.0)
        widget = await shot.take(window, runtime, end)
        await asyncio.sleep(shot.settle_s)
        pixmap = widget.grab() if widget is not None else app.primaryScreen().grabWindow(0)
        pixmap.save(str(out / shot.file))
        print(f"{out / shot.file}: {pixmap.width()}x{pixmap.height()}")
        window.close()
        await runtime.stop()

    with loop:
        loop.run_until_complete(run())


def display(stack: ExitStack) -> dict[str, str]:
    """The environment for the shots: this X display, or Xvfb and openbox on a free one."""
    env = {**os.environ, "QT_QPA_PLATFORM": "xcb"}
    if env.get("DISPLAY"):
        return env
    number = next(n for n in range(90, 200) if not Path(f"/tmp/.X11-unix/X{n}").exists())
    env["DISPLAY"] = f":{number}"
    for command in (["Xvfb", env["DISPLAY"], "-screen", "0", "1920x1080x24"], ["openbox"]):
        process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        stack.callback(process.terminate)
        deadline = time.monotonic() + 10
        while command[0] == "Xvfb" and not Path(f"/tmp/.X11-unix/X{number}").exists():
            if time.monotonic() > deadline:
                raise SystemExit("Xvfb did not start")
            time.sleep(0.1)
    return env


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("shots", nargs="*", help=f"the shots to take (default: all): {', '.join(SHOTS)}")
    parser.add_argument("--out", type=Path, default=ROOT / "resources" / "screenshots")
    parser.add_argument("--take", help=argparse.SUPPRESS)
    parser.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    unknown = set(args.shots) - set(SHOTS)
    if unknown:
        parser.error(f"no shot {', '.join(sorted(unknown))}: choose from {', '.join(SHOTS)}")
    if args.take:
        take(args.take, args.work, args.out)
        return
    with ExitStack() as stack:
        work = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="openhmi-shots-")))
        env = {**display(stack), "OPENHMI_DATA_DIR": str(work / "data")}
        os.environ["OPENHMI_DATA_DIR"] = env["OPENHMI_DATA_DIR"]
        prepare(work)
        args.out.mkdir(parents=True, exist_ok=True)
        for name in args.shots or SHOTS:
            command = [sys.executable, __file__, "--take", name, "--work", str(work), "--out", str(args.out)]
            subprocess.run(command, env=env, check=True, timeout=120)


if __name__ == "__main__":
    main()
