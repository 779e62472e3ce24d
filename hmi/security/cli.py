"""`hmi users ...` (the station's HMI users, or with --project those of a project that keeps its
users on the site) and `hmi audit ...` (a project's audit trail).

User commands act as the engine itself (SYSTEM): whoever can run them can already write the users
file (or the site database). Passwords are prompted twice (getpass) or read from one line of stdin
for scripts.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from ..cli_help import examples
from ..errors import HmiError
from ..paths import users_db
from ..permissions import SYSTEM
from ..storage import Storage
from .audit import write_csv
from .service import Security
from .settings import Role
from .users import User, Users, UserStore

ROLES = [r.value for r in Role]


def add_user_arguments(parser: argparse.ArgumentParser) -> None:
    """The subcommands of `hmi users`."""
    sub = parser.add_subparsers(dest="users_command", required=True)
    add = sub.add_parser(
        "add",
        help="add a user (the first one must be an administrator)",
        **examples("hmi users add alice --role operator --full-name 'Alice Smith'"),
    )
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=ROLES)
    add.add_argument("--full-name", default="", help="shown beside the user name")
    _password_arg(add)
    sub.add_parser("list", help="list the users of this station", **examples("hmi users list"))
    passwd = sub.add_parser(
        "passwd",
        help="set a user's password",
        **examples("hmi users passwd alice", 'echo "$PASSWORD" | hmi users passwd alice --password-stdin'),
    )
    passwd.add_argument("name")
    _password_arg(passwd)
    for command, text in (
        ("disable", "refuse a user's logins"),
        ("enable", "allow a disabled user again"),
        ("unlock", "end a lockout after wrong passwords"),
    ):
        sub.add_parser(command, help=text, **examples(f"hmi users {command} alice")).add_argument("name")
    role = sub.add_parser(
        "role", help="give a user another role", **examples("hmi users role alice engineer")
    )
    role.add_argument("name")
    role.add_argument("role", choices=ROLES)
    for each in sub.choices.values():
        each.add_argument(
            "--project",
            type=Path,
            metavar="PROJECT",
            help="the users of this project: the site's, when its storage keeps them in the database "
            "(default: this station's users)",
        )


def add_audit_arguments(
    parser: argparse.ArgumentParser, project_arg: Callable[[argparse.ArgumentParser], None]
) -> None:
    """The subcommands of `hmi audit`; `project_arg(parser)` adds the PROJECT argument."""
    sub = parser.add_subparsers(dest="audit_command", required=True)
    check = sub.add_parser(
        "verify",
        help="check the hash chain; exit 1 at the first broken row",
        **examples("hmi audit verify my-plant"),
    )
    export = sub.add_parser(
        "export", help="write the whole trail as CSV", **examples("hmi audit export my-plant --csv audit.csv")
    )
    export.add_argument(
        "--csv", type=Path, required=True, metavar="FILE", help="CSV file to write ('-': stdout)"
    )
    for parser_ in (check, export):
        project_arg(parser_)


def _password_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--password-stdin", action="store_true", help="read the password from one line of stdin (scripts)"
    )


def _password(args: argparse.Namespace) -> str | None:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass(f"Password for {args.name}: ")
    if getpass.getpass("Again: ") != first:
        print("the two passwords differ; nothing changed", file=sys.stderr)
        return None
    return first


def _when(ts: float | None) -> str:
    return "" if ts is None else datetime.fromtimestamp(ts).strftime("%Y-%m-%d %H:%M")


def _describe(user: User, now: float) -> str:
    state = "enabled" if user.enabled else "disabled"
    if user.locked(now):
        state += f", locked until {_when(user.locked_until)}"
    return f"{user.name:<20} {user.role.value:<14} {state:<34} {user.full_name}"


def run_users(args: argparse.Namespace, store: Users | None = None) -> int:
    """0 when done, 1 when the change was refused (message on stderr), 2 for mismatched passwords."""
    security = Security(store or UserStore(users_db()))
    command = args.users_command
    try:
        if command == "list":
            users = security.users.users()
            if not users:
                print("no users yet: add an administrator with `hmi users add NAME --role administrator`")
            now = security.clock()
            for user in users:
                print(_describe(user, now))
            return 0
        if command in ("add", "passwd"):
            password = _password(args)
            if password is None:
                return 2
            if command == "add":
                security.add_user(SYSTEM, args.name, args.role, password, args.full_name)
            else:
                security.change_password(SYSTEM, args.name, password)
        elif command in ("disable", "enable"):
            security.set_enabled(SYSTEM, args.name, command == "enable")
        elif command == "role":
            security.set_role(SYSTEM, args.name, args.role)
        elif command == "unlock":
            security.unlock(SYSTEM, args.name)
    except HmiError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(_describe(security.users.require(args.name), security.clock()))
    return 0


def run_audit(args: argparse.Namespace, storage: Storage) -> int:
    """verify: 0 when the chain holds, 1 with the first broken row; export: 0 when written."""
    try:
        if args.audit_command == "verify":
            report = storage.verify_audit()
            path = storage.audit_location()
            if report.ok:
                print(f"{path}: OK, {report.rows} rows, the hash chain is intact")
            else:
                print(f"{path}: BROKEN after {report.rows} good rows: {report.problem}")
            if report.row is not None and not report.ok:
                e = report.row.entry
                print(
                    f"  row {report.row.id}: {_when(e.ts)} {e.user} {e.action} {e.target} "
                    f"{e.old_value!r} -> {e.new_value!r} {e.result} {e.reason}"
                )
            for note in report.notes:
                print(f"  {note}")
            return 0 if report.ok else 1
        rows = list(reversed(storage.audit_rows()))
        if str(args.csv) == "-":
            write_csv(rows, sys.stdout)
        else:
            with open(args.csv, "w", encoding="utf-8", newline="") as out:
                write_csv(rows, out)
            print(f"{len(rows)} rows written to {args.csv}")
        return 0
    except (HmiError, OSError) as exc:
        print(exc, file=sys.stderr)
        return 1
