"""`hmi new PROJECT --from opc.tcp://...`: a checked starter project from a server's folders."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import sys
import time
from pathlib import Path

from pydantic import ValidationError

from ..errors import HmiError
from ..opcua.browse import Browser, NodeInfo
from ..opcua.credentials import stored_password
from ..opcua.survey import survey
from . import starter
from .model import SECURITY_POLICIES, Connection, Identity, Security
from .yamlread import field_path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("project", type=Path, help="folder to create (new or empty)")
    parser.add_argument("--from", dest="endpoint", required=True, metavar="URL", help="opc.tcp://host:port")
    parser.add_argument(
        "--folder",
        action="append",
        default=[],
        metavar="PATH",
        help="browse path below Objects to take, e.g. DemoPlant or Load/G000 (repeatable; "
        "default: every folder of the server's own namespaces); each becomes a screen and a trend",
    )
    parser.add_argument("--name", help="project name (default: the folder's name)")
    parser.add_argument("--connection", default="plant", help="name of the connection (default %(default)s)")
    parser.add_argument("--mode", choices=("None", "Sign", "SignAndEncrypt"), default="None")
    parser.add_argument("--policy", choices=SECURITY_POLICIES, help="security policy for Sign/SignAndEncrypt")
    parser.add_argument("--user", help="log in as this user (password from the OS keyring, else asked)")
    parser.add_argument(
        "--user-certificate", metavar="FILE", help="user certificate file in the app's pki/user/"
    )
    parser.add_argument("--user-key", metavar="FILE", help="its private key file in pki/user/")
    parser.add_argument(
        "--no-range-alarms",
        action="store_true",
        help="no alarms at the ends of engineering ranges (the server's own limit alarms are still taken)",
    )


def connection_of(args: argparse.Namespace) -> Connection:
    identity: dict[str, str] = {}
    if args.user:
        identity = {"kind": "username", "user": args.user}
    elif args.user_certificate or args.user_key:
        identity = {"kind": "certificate", "certificate": args.user_certificate, "private_key": args.user_key}
    return Connection(
        endpoint=args.endpoint,
        security=Security(mode=args.mode, policy=args.policy),
        identity=Identity.model_validate(identity),
    )


def _password(endpoint: str, connection: str, user: str) -> str | None:
    stored = stored_password(endpoint, user, connection)
    if stored is not None or not sys.stdin.isatty():
        return stored
    return getpass.getpass(f"password of {user} on {endpoint}: ")


async def picked(browser: Browser, paths: list[str]) -> list[NodeInfo]:
    """The folders named by browse path, or every top folder outside the standard namespace."""
    top = await browser.children(await browser.root())
    if not paths:
        return [n for n in top if n.has_children and not n.node.startswith(("i=", "ns=0;"))]
    found = []
    for path in paths:
        level, node = top, None
        for part in filter(None, path.split("/")):
            node = next((n for n in level if part in (n.browse_name, n.display_name)), None)
            if node is None:
                raise HmiError(f"--folder {path}: no node {part!r} there on {browser.endpoint}")
            level = await browser.children(node) if node.has_children else []
        if node is not None:
            found.append(node)
    return found


async def _make(args: argparse.Namespace, config: Connection) -> tuple[starter.Plan, bool]:
    endpoint, name = config.endpoint, args.connection
    async with Browser(
        config, name=name, credentials=lambda _c, user: _password(endpoint, name, user)
    ) as browser:
        found = await survey(browser, await picked(browser, args.folder))
    groups = found.groups
    return starter.plan(groups, name, found.limits, not args.no_range_alarms), found.truncated


def run(args: argparse.Namespace) -> int:
    began = time.monotonic()
    try:
        config = connection_of(args)
    except ValidationError as exc:
        for err in exc.errors():
            print(
                f"{field_path(err['loc']) or 'connection'}: {err['msg'].removeprefix('Value error, ')}",
                file=sys.stderr,
            )
        return 2
    try:
        made, truncated = asyncio.run(_make(args, config))
        name = args.name or args.project.resolve().name
        folder = starter.build(
            args.project, name, args.connection, config, made.folders, starter.rough_measure
        )
        problems = starter.create(folder)
    except HmiError as exc:
        print(f"cannot make {args.project}: {exc}", file=sys.stderr)
        return 2
    for note in made.skipped:
        print(f"left out: {note}", file=sys.stderr)
    if truncated:
        print("left out: more variables than one survey reads; pick folders with --folder", file=sys.stderr)
    for problem in problems:
        print(problem)
    project = folder.project
    alarms = sum(len(list(t.alarms.defined())) for t in project.tags)
    print(
        f"{args.project}: {len(project.tags)} tags, {alarms} alarms, {len(folder.screens)} screens, "
        f"{len(project.trends)} trends in {time.monotonic() - began:.1f} s"
        + (f"; {len(problems)} problem(s)" if problems else ": checked OK")
    )
    return 1 if problems else 0
