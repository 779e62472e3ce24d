"""The `hmi` command: open the app, run headless, check a project, run the demo simulator."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import importlib
import logging
import signal
import sqlite3
import sys
from collections.abc import Callable
from importlib.metadata import entry_points
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__, dbfiles, logs
from .cli_help import examples
from .errors import HmiError, ProjectError
from .paths import history_db
from .project import ProjectFolder, load_project
from .project.io import check_project
from .storage import open_storage

if TYPE_CHECKING:
    from .runtime import Runtime
    from .sparkplug.settings import Publish

log = logging.getLogger(__name__)

APP_ROOT = Path(getattr(sys, "_MEIPASS", Path(__file__).resolve().parent.parent))
"""The source tree, or the unpacked bundle when frozen by PyInstaller (resources and demo go there)."""
DEMO_PROJECT = APP_ROOT / "projects" / "demo-plant"
DEFAULT_FRONTEND = "ui.app"
"""Loaded by name when no `openhmi.frontends` entry point is registered (a frozen app has none)."""
FALLBACK_FRONTENDS = {"qt": DEFAULT_FRONTEND, "editor": "ui.editor.app"}
COMMANDS = (
    "run",
    "edit",
    "check",
    "new",
    "sim",
    "history",
    "alarms",
    "report",
    "certs",
    "users",
    "audit",
    "diagnose",
    "db",
)


def _project_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "project",
        nargs="?",
        type=Path,
        default=DEMO_PROJECT,
        help="project folder (default: the bundled demo plant)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hmi",
        description="OpenHMI: OPC-UA HMI/SCADA runtime",
        **examples("hmi", "hmi run my-plant --kiosk", "hmi check my-plant", "hmi COMMAND --help"),
    )
    parser.add_argument("--version", action="version", version=f"OpenHMI {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    # -v after the command too (`hmi run -v`); SUPPRESS keeps a -v given before it.
    verbose = argparse.ArgumentParser(add_help=False)
    verbose.add_argument(
        "-v", "--verbose", action="store_true", default=argparse.SUPPRESS, help="debug logging"
    )
    sub = parser.add_subparsers(dest="command")

    def command(name: str, text: str, run: Callable[[argparse.Namespace], int], *lines: str) -> Any:
        cmd = sub.add_parser(
            name,
            help=text,
            description=text[:1].upper() + text[1:] + ".",
            parents=[verbose],
            **examples(*lines),
        )
        cmd.set_defaults(func=run)
        return cmd

    run = command(
        "run",
        "open a project (the default command)",
        _run,
        "hmi run my-plant",
        "hmi run my-plant --kiosk",
        "hmi run my-plant --headless",
        "hmi run --screenshot shot.png --quit-after 5",
    )
    _project_arg(run)
    run.add_argument("--headless", action="store_true", help="run the engine without a window")
    run.add_argument("--screenshot", type=Path, help="save a PNG of the window before quitting")
    run.add_argument("--quit-after", type=float, metavar="SECONDS", help="quit after this many seconds")
    run.add_argument("--kiosk", action="store_true", help="start full screen in operator mode, no menus")
    run.add_argument(
        "--no-simulator",
        action="store_true",
        help="never start the built-in simulator, even if the project points at it",
    )

    run.add_argument(
        "--publish",
        metavar="mqtt://HOST:PORT[/GROUP]",
        help="with --headless: be a Sparkplug B edge node on this broker (overrides the project's publish:)",
    )

    run.set_defaults(project=None)  # no project given: the window reopens the last one (or the demo)

    edit = command("edit", "open a project in the screen editor", _edit, "hmi edit my-plant")
    _project_arg(edit)
    edit.add_argument("--screenshot", type=Path, help="save a PNG of the editor before quitting")
    edit.add_argument("--quit-after", type=float, metavar="SECONDS", help="quit after this many seconds")

    _project_arg(command("check", "validate a project and list every problem", _check, "hmi check my-plant"))

    from .alarms import cli as alarms_cli
    from .diagnostics import cli as diagnostics_cli
    from .history import cli as history_cli
    from .opcua import cli_certs
    from .project import cli_new
    from .reports import cli as reports_cli
    from .security import cli as security_cli
    from .sim import cli as sim_cli
    from .storage import cli as db_cli

    new = "make a checked starter project from a server's folders"
    cli_new.add_arguments(
        command(
            "new", new, cli_new.run, "hmi new my-plant --from opc.tcp://10.0.0.5:4840 --folder Plant/Line1"
        )
    )
    security_cli.add_user_arguments(
        command(
            "users",
            "add, list and change the HMI's users",
            _users,
            "hmi users list",
            "hmi users add alice --role operator --project my-plant",
        )
    )
    audit = command("audit", "verify or export a project's audit trail", _audit, "hmi audit verify my-plant")
    security_cli.add_audit_arguments(audit, _project_arg)
    sim_cli.add_arguments(
        command(
            "sim",
            "run the demo plant OPC-UA simulator",
            sim_cli.run,
            "hmi sim --port 48400",
            "hmi sim --fault cooling_loss:J3 --speed 60",
        )
    )
    certs = "review, trust or reject server certificates"
    cli_certs.add_arguments(command("certs", certs, cli_certs.run, "hmi certs list"))
    history = "export or describe a project's history"
    history_cli.add_arguments(command("history", history, _history, "hmi history info my-plant"))
    alarms = command(
        "alarms",
        "alarm reports and server events",
        _alarms,
        "hmi alarms report my-plant --from 2026-11-01 --to 2026-11-29",
        "hmi alarms events my-plant --since 2026-11-29T06:00",
    )
    alarm_commands = alarms.add_subparsers(dest="alarms_command", required=True)
    report = alarm_commands.add_parser(
        "report",
        help="EEMUA 191 / ISA-18.2 alarm KPIs of a period",
        **examples(
            "hmi alarms report my-plant --from 2026-11-01 --to 2026-11-29",
            "hmi alarms report --from 2026-11-01T06:00 --to 2026-11-01T14:00",
        ),
    )
    _project_arg(report)
    alarms_cli.add_arguments(report)
    events = alarm_commands.add_parser(
        "events",
        help="the plain events of the servers (not conditions) journaled since a time",
        **examples(
            "hmi alarms events my-plant",
            "hmi alarms events my-plant --since 2026-11-29T06:00 --priority high --priority critical",
            "hmi alarms events --text Pump7",
        ),
    )
    _project_arg(events)
    alarms_cli.add_event_arguments(events)
    pdf_report = command(
        "report",
        "make one of the project's reports as PDF",
        _report,
        "hmi report my-plant shift -o shift.pdf",
    )
    pdf_report.add_argument("project", type=Path, help="project folder")
    reports_cli.add_arguments(pdf_report)
    diagnose = command(
        "diagnose",
        "run the project's health models over a period of its history",
        _diagnose,
        "hmi diagnose my-plant --from 2026-11-01 --to 2026-11-29 --csv findings.csv",
    )
    _project_arg(diagnose)
    diagnostics_cli.add_arguments(diagnose)
    db_cli.add_arguments(
        command(
            "db",
            "create, migrate or describe a project's database",
            _db,
            "hmi db init my-site",
            "hmi db info my-site",
        ),
        _project_arg,
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser()
    # `hmi` alone, or `hmi PROJECT`, means `hmi run ...`.
    if not any(a in COMMANDS or a in ("-h", "--help", "--version") for a in argv):
        argv = ["run", *argv]
    args = parser.parse_args(argv)
    logs.configure(args.verbose)
    return args.func(args)


def _db(args: argparse.Namespace) -> int:
    from .storage import cli as db_cli

    folder = _load(args.project)
    return 2 if folder is None else db_cli.run(args, folder)


def _diagnose(args: argparse.Namespace) -> int:
    from .diagnostics import cli as diagnostics_cli

    folder = _load(args.project)
    return 2 if folder is None else diagnostics_cli.run(args, folder, open_storage(folder))


def _report(args: argparse.Namespace) -> int:
    from .reports import cli as reports_cli

    folder = _load(args.project)
    return 2 if folder is None else reports_cli.run(args, folder)


def _history(args: argparse.Namespace) -> int:
    """`hmi history ...` on the project's history."""
    from .history import cli as history_cli

    folder = _load(args.project or DEMO_PROJECT)
    if folder is None:
        return 2
    try:
        return history_cli.run(args, open_storage(folder))
    except sqlite3.Error as exc:  # a file that is no history file at all
        path = history_db(folder.root, folder.name)
        print(f"hmi history: {dbfiles.describe(path, 'history file', exc, writing=False)}", file=sys.stderr)
        return 1


def _alarms(args: argparse.Namespace) -> int:
    """`hmi alarms report` and `hmi alarms events` on the project's alarm journal."""
    from .alarms import cli as alarms_cli

    folder = _load(args.project or DEMO_PROJECT)
    if folder is None:
        return 2
    if args.alarms_command == "events":
        return alarms_cli.run_events(args, open_storage(folder))
    return alarms_cli.run(args, open_storage(folder), folder.project.alarm_settings)


def _audit(args: argparse.Namespace) -> int:
    """`hmi audit ...` on a project's audit trail."""
    from .security import cli as security_cli

    folder = _load(args.project)
    return 2 if folder is None else security_cli.run_audit(args, open_storage(folder))


def _users(args: argparse.Namespace) -> int:
    """`hmi users ...` on this station's users, or on those of --project's storage."""
    from .security import cli as security_cli

    if args.project is None:
        return security_cli.run_users(args)
    folder = _load(args.project)
    if folder is None:
        return 2
    try:
        users = open_storage(folder).user_store()
    except HmiError as exc:
        print(exc, file=sys.stderr)
        return 1
    return security_cli.run_users(args, users)


def _check(args: argparse.Namespace) -> int:
    project = args.project
    folder, problems = check_project(project)
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem(s) in {project}", file=sys.stderr)
        return 1
    assert folder is not None
    print(f"{project}: OK ({len(folder.project.tags)} tags, {len(folder.screens)} screens)")
    for line in _register_maps(folder):
        print(line)
    return 0


def _register_maps(folder: ProjectFolder) -> list[str]:
    """The register map of each connection whose device has no address space to browse (Modbus), as
    a table of aligned columns: what the tags read from it, and how."""
    from .sources import kinds

    lines: list[str] = []
    for name, config in folder.project.connections.items():
        browse = kinds()[config.kind].browse
        rows = browse(config, [t for t in folder.project.tags if t.connection == name]) if browse else []
        if not rows:
            continue
        table = [list(rows[0]), *([str(v) for v in row.values()] for row in rows)]
        widths = [max(len(cells[i]) for cells in table) for i in range(len(table[0]))]
        lines.append(f"{name} ({config.kind}): {len(rows)} tag(s) in its register map")
        lines += [
            "  " + "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()
            for cells in table
        ]
    return lines


def _edit(args: argparse.Namespace) -> int:
    """Open the editor; a project with problems opens too (the editor lists them) if its files parse."""
    folder, problems = check_project(args.project)
    if folder is None:
        for problem in problems:
            print(problem, file=sys.stderr)
        print(f"cannot edit {args.project}: project.yaml must load first", file=sys.stderr)
        return 2
    run = _frontend("editor")
    if run is None:
        print("the editor is not installed: pip install the app with its Qt front-end", file=sys.stderr)
        return 2
    return run(folder, problems=problems, screenshot=args.screenshot, quit_after=args.quit_after)


def _load(project: Path) -> ProjectFolder | None:
    try:
        return load_project(project)
    except ProjectError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(f"cannot open {project}: fix the problems above (hmi check lists them)", file=sys.stderr)
        return None


def _run(args: argparse.Namespace) -> int:
    folder = _load(args.project or DEMO_PROJECT)
    if folder is None:
        return 2
    if args.publish is not None and not args.headless:
        print("--publish is for the headless engine: add --headless", file=sys.stderr)
        return 2
    try:
        if args.headless:
            try:
                publish = _publish_settings(folder, args.publish)
            except ValueError as exc:
                print(f"--publish: {exc}", file=sys.stderr)
                return 2
            return asyncio.run(_headless(folder, args.quit_after, not args.no_simulator, publish))
        run = _frontend()
        if run is None:
            print("no window front-end is installed; use --headless, or pip install the app", file=sys.stderr)
            return 2
        return run(
            folder,
            screenshot=args.screenshot,
            quit_after=args.quit_after,
            start_simulator=not args.no_simulator,
            kiosk=args.kiosk,
            restore_last=args.project is None,
        )
    except HmiError as exc:  # a data file that cannot be used: its name and what to do, no traceback
        print(f"cannot run {folder.root}: {exc}", file=sys.stderr)
        return 2


def _frontend(name: str = "qt") -> Any:
    """A window's `run` (`qt` the operator's, `editor` the project editor's): a registered entry point,
    else the bundled Qt front-end by module name."""
    for entry in entry_points(group="openhmi.frontends", name=name):
        return entry.load()
    try:
        return importlib.import_module(FALLBACK_FRONTENDS[name]).run
    except (ImportError, KeyError):
        return None


def _publish_settings(folder: ProjectFolder, url: str | None) -> Publish | None:
    """The project's publish: block, its broker (and group) replaced by --publish mqtt://host:port/group."""
    from .sparkplug.settings import Publish, parse_broker

    settings = folder.project.publish
    if url is None:
        return settings
    group = parse_broker(url).path
    update: dict[str, Any] = {"broker": url} | ({"group": group} if group else {})
    if settings is None:
        return Publish.model_validate(update)
    return Publish.model_validate(settings.model_dump() | update)


async def _headless(
    folder: ProjectFolder, quit_after: float | None, start_simulator: bool, publish: Publish | None = None
) -> int:
    from .runtime import Runtime

    runtime = Runtime(folder, start_simulator=start_simulator, scheduled_reports=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    await runtime.start()
    log.info("running %s headless with %d tags; Ctrl-C to stop", folder.name, len(runtime.table))
    edge = None
    if publish is not None:
        from .sparkplug.edge import edge_node_of

        edge = edge_node_of(runtime, publish)
        await edge.start()
    counting = asyncio.create_task(_log_counters(runtime), name="connection counters")
    with contextlib.suppress(asyncio.TimeoutError):
        await asyncio.wait_for(stop.wait(), quit_after)
    counting.cancel()
    if edge is not None:
        await edge.stop()
    await runtime.stop()
    return 0


COUNTERS_EVERY_S = 60.0


async def _log_counters(runtime: Runtime) -> None:
    """A line a minute per connection: with no window, the log is where its health is seen."""
    before = {name: c.counters() for name, c in runtime.connections.items()}
    while True:
        await asyncio.sleep(COUNTERS_EVERY_S)
        for name, connection in runtime.connections.items():
            now, last = connection.counters(), before[name]
            before[name] = now
            rate = (now.messages - last.messages) / COUNTERS_EVERY_S
            messages = f", {rate:.1f} messages/s, queue {now.queue_depth}" if now.messages else ""
            latency = f", latency {now.latency_ms:.0f} ms" if now.latency_ms is not None else ""
            log.info(
                "%s: %s, %.1f changes/s%s%s, %d queue overflows, %d reconnects%s",
                name,
                connection.status.state.value,
                (now.notifications - last.notifications) / COUNTERS_EVERY_S,
                messages,
                latency,
                now.overflows - last.overflows,
                now.reconnects,
                f", last error: {now.last_error}" if now.last_error else "",
            )
