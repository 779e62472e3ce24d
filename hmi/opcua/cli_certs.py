"""`hmi certs`: review server certificates and trust or reject them; show the app's own certificate."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..cli_help import examples
from ..errors import HmiError
from ..permissions import SYSTEM
from ..project.model import Connection as ConnectionConfig
from .security import CertInfo, Pki


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Sub-commands of `hmi certs`."""
    sub = parser.add_subparsers(dest="certs_command", required=True)
    listing = sub.add_parser(
        "list",
        help="trusted and rejected server certificates",
        **examples("hmi certs list", "hmi certs list my-plant"),
    )
    listing.add_argument(
        "project", nargs="?", type=Path, help="only the certificates seen at this project's servers"
    )
    for name, text in (
        ("show", "every detail of one certificate"),
        ("trust", "trust a rejected server certificate: its server can be connected to"),
        ("reject", "take a certificate out of the trusted ones: connects to its server are refused"),
    ):
        cmd = sub.add_parser(name, help=text, **examples(f"hmi certs {name} 3f2a9c01"))
        cmd.add_argument("fingerprint", help="SHA-256 fingerprint, or its first 8 or more hex digits")
    sub.add_parser(
        "own",
        help="this app's own certificate, for a server administrator to trust",
        **examples("hmi certs own"),
    )


def run(args: argparse.Namespace, pki: Pki | None = None) -> int:
    """Exit code 0 on success, 1 when the certificate is unknown, 2 when the project cannot be read."""
    pki = pki or Pki()
    command = args.certs_command
    try:
        if command == "list":
            return _list(pki, args.project)
        if command == "own":
            own = pki.own()
            print(f"certificate:     {own.cert_path}\napplication URI: {own.application_uri}")
            print(f"SHA-256:         {own.fingerprint}")
            return 0
        if command == "trust":
            info = pki.trust(args.fingerprint, SYSTEM)  # whoever runs it can write the folder
            print(f"trusted: {info.subject} ({info.fingerprint})")
        elif command == "reject":
            info = pki.reject(args.fingerprint)
            print(f"rejected: {info.subject} ({info.fingerprint})")
        else:
            print(describe(pki.find(args.fingerprint)))
    except HmiError as exc:
        print(f"hmi certs {command}: {exc}", file=sys.stderr)
        return 1
    return 0


def describe(info: CertInfo) -> str:
    """Every field a person checks before trusting, one per line."""
    problem = info.validity_problem()
    state = "rejected: replaces a trusted certificate (CHANGED)" if info.state == "changed" else info.state
    lines = [
        ("State", state),
        ("Subject", info.subject),
        ("Issuer", info.issuer),
        ("Application URI", info.application_uri or "-"),
        ("Valid from", f"{info.not_before:%Y-%m-%d %H:%M} UTC"),
        ("Valid until", f"{info.not_after:%Y-%m-%d %H:%M} UTC" + (f"  ({problem})" if problem else "")),
        ("SHA-256", info.fingerprint),
        ("Seen at", info.endpoint or "-"),
        ("File", str(info.path or "-")),
    ]
    return "\n".join(f"{name + ':':<17}{value}" for name, value in lines)


def _list(pki: Pki, project: Path | None) -> int:
    certs = pki.list()
    if project is not None:
        from ..project import load_project

        try:
            connections = load_project(project).project.connections.values()
            endpoints = {c.endpoint for c in connections if isinstance(c, ConnectionConfig)}
        except HmiError as exc:
            print(f"hmi certs list: cannot read {project}: {exc}", file=sys.stderr)
            return 2
        certs = [c for c in certs if c.endpoint in endpoints]
    if not certs:
        print(f"no server certificates in {pki.root}")
        return 0
    print(f"{'STATE':<9}{'SHA-256 (start)':<25}{'VALID UNTIL':<13}{'SUBJECT':<40}ENDPOINT")
    for c in certs:
        until = f"{c.not_after:%Y-%m-%d}" + ("!" if c.validity_problem() else "")
        print(f"{c.state:<9}{c.fingerprint[:23]:<25}{until:<13}{c.subject[:38]:<40}{c.endpoint}")
    return 0
