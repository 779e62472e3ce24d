"""`hmi sim`: run the demo-plant OPC-UA simulator until Ctrl-C or SIGTERM."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import logging
import signal
import sys
from pathlib import Path

from ..paths import data_root
from . import faults
from .control import IMMEDIATE
from .plant import Plant
from .security import SimSecurity
from .server import DEFAULT_PORT, SimulatorServer

log = logging.getLogger(__name__)

_FAULTS = IMMEDIATE
"""The immediate faults the demo screen injects too, by joint number."""


def _fault(text: str) -> tuple[str, str | int]:
    """overheat:3 or spike:3 (the tag to write and the joint), or a developing fault such as
    cooling_loss:J3 or cavitation:P101 (its kind and target)."""
    kind, _, joint = text.partition(":")
    if kind in _FAULTS:
        if not joint.isdigit() or not 1 <= int(joint) <= 6:
            raise argparse.ArgumentTypeError(f"expected {kind}:N with joint N in 1-6, got {text!r}")
        return _FAULTS[kind], int(joint)
    try:
        return faults.parse(text)
    except faults.FaultError as exc:
        raise argparse.ArgumentTypeError(f"{exc} (or overheat:N, spike:N)") from None


def inject(plant: Plant, fault: tuple[str, str | int]) -> str:
    """Apply a parsed --fault to the plant; what was done, for the log."""
    name, target = fault
    if isinstance(target, int):
        plant.write(name, target)
        return f"{name} = {target}"
    started = plant.inject(faults.FaultKind(name), target)
    return f"{name} on {target}, onset in {started.onset - plant.time:.0f} s, severity {started.severity:.2f}"


def _user(text: str) -> tuple[str, str]:
    name, sep, password = text.partition(":")
    if not name or not sep:
        raise argparse.ArgumentTypeError(f"expected NAME:PASSWORD, got {text!r}")
    return name, password


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of `hmi sim`."""
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default %(default)s)")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help="TCP port (default %(default)s)")
    parser.add_argument(
        "--modbus-port",
        type=int,
        metavar="PORT",
        help="also serve the energy meter on Modbus TCP at this port (the demo project uses 50200)",
    )
    parser.add_argument(
        "--tags",
        type=int,
        default=0,
        metavar="N",
        help="add N benchmark tags ns=2;s=Load.T00000... beside the plant (default 0)",
    )
    parser.add_argument(
        "--rate",
        type=float,
        default=1.0,
        metavar="HZ",
        help="changes per second of every benchmark tag (default %(default)s)",
    )
    parser.add_argument(
        "--fault",
        type=_fault,
        action="append",
        default=[],
        metavar="KIND:TARGET",
        help="inject a fault: overheat:N or spike:N at once (joint N), or one that develops from a "
        "random onset: cooling_loss:J3, bearing_wear:J3, collision:J3, stuck_sensor:J3, cavitation:P101 "
        "(repeatable)",
    )
    parser.add_argument(
        "--speed",
        type=float,
        default=1.0,
        metavar="X",
        help="run the plant X times faster than real time, faults included (default %(default)s)",
    )
    parser.add_argument(
        "--secure",
        action="store_true",
        help="also offer Sign, SignAndEncrypt (Basic256Sha256, Aes128_Sha256_RsaOaep, Aes256_Sha256_RsaPss)",
    )
    parser.add_argument(
        "--cert-dir",
        type=Path,
        metavar="DIR",
        help="with --secure: folder of the server's certificate (default: simulator-pki in the data dir)",
    )
    parser.add_argument(
        "--user",
        type=_user,
        action="append",
        default=[],
        metavar="NAME:PASSWORD",
        help="with --secure: accept this user name and password (repeatable; for testing only)",
    )


def run(args: argparse.Namespace) -> int:
    """Serve until Ctrl-C or SIGTERM; exit code 0 on a clean stop, 1 if it cannot listen, 2 on bad options."""
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if logging.getLogger("asyncua").level == logging.NOTSET:
        logging.getLogger("asyncua").setLevel(logging.WARNING)  # its INFO is a line per request
    if args.tags < 0 or args.rate <= 0 or args.speed <= 0:
        print("hmi sim: --tags must be >= 0, --rate and --speed > 0", file=sys.stderr)
        return 2
    if (args.user or args.cert_dir) and not args.secure:
        print("hmi sim: --user and --cert-dir need --secure", file=sys.stderr)
        return 2
    try:
        asyncio.run(_serve(args))
    except OSError as exc:
        print(f"hmi sim: cannot listen on {args.host}:{args.port}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        pass  # Ctrl-C where the loop cannot take signal handlers (Windows): the server is already stopped
    return 0


async def _serve(args: argparse.Namespace) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(signum, stop.set)
    security = None
    if args.secure:
        security = SimSecurity(args.cert_dir or data_root() / "simulator-pki", dict(args.user))
    sim = SimulatorServer(
        args.host,
        args.port,
        load_tags=args.tags,
        load_rate=args.rate,
        security=security,
        modbus_port=args.modbus_port,
        speed=args.speed,
    )
    for fault in args.fault:  # before start, so the first value a client reads shows it
        log.info("fault injected: %s", inject(sim.plant, fault))
    async with sim:
        # The address space is built once and lives as long as the process: keep the collector from
        # walking it again on every full collection (a pause of up to a second with 10,000 load tags).
        gc.freeze()
        print(f"Demo plant simulator on {sim.endpoint} (Ctrl-C to stop)", flush=True)
        if args.modbus_port is not None:
            print(f"Energy meter on modbus://{args.host}:{args.modbus_port}", flush=True)
        if security is not None:
            print(f"Secure endpoints offered; server certificate in {security.cert_dir}", flush=True)
        await stop.wait()
    print("Simulator stopped.", flush=True)
