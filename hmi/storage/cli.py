"""`hmi db init|upgrade|info|password PROJECT`: the schema of a project's database (storage kind
postgresql): create it, migrate it, describe it, keep this station's password in the keyring."""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable

from ..cli_help import examples
from ..errors import HmiError
from ..project import ProjectFolder
from .settings import StorageConfig


def add_arguments(
    parser: argparse.ArgumentParser, project_arg: Callable[[argparse.ArgumentParser], None]
) -> None:
    sub = parser.add_subparsers(dest="db_command", required=True)
    for name, text in (
        ("init", "create the schema in an empty database"),
        ("upgrade", "migrate the schema to this version (collectors stopped)"),
        ("info", "schema version, partitions, tags and the collector"),
        ("password", "store the database password of this station in the OS keyring"),
    ):
        project_arg(sub.add_parser(name, help=text, **examples(f"hmi db {name} my-site")))


def run(args: argparse.Namespace, folder: ProjectFolder) -> int:
    config: StorageConfig = folder.project.storage
    if config.kind != "postgresql":
        print(
            f"{folder.root}: its storage is {config.kind}; `hmi db` is for `storage: {{kind: postgresql}}`",
            file=sys.stderr,
        )
        return 2
    from .postgres import schema
    from .postgres.connect import KEYRING_SERVICE, connect, where
    from .postgres.settings import PostgresConfig

    assert isinstance(config, PostgresConfig)
    dsn = config.dsn
    target = where(dsn)
    try:
        if args.db_command == "password":
            import keyring

            keyring.set_password(KEYRING_SERVICE, target, getpass.getpass(f"password for {target}: "))
            print(f"password for {target} stored in the keyring")
            return 0
        with connect(dsn, prompt=True) as con:
            if args.db_command in ("init", "upgrade"):
                before, after = schema.upgrade(con, target)
                print(
                    f"{target}: schema {before} -> {after}"
                    if before != after
                    else f"{target}: schema {after}, up to date"
                )
                return 0
            info = schema.info(con)
            if info.version is None:
                print(f"{target}: no OpenHMI schema (run `hmi db init {folder.root}`)")
                return 1
            print(f"database:   {target}")
            print(f"schema:     {info.version} (this OpenHMI: {schema.SCHEMA_VERSION})")
            print(
                "samples:    "
                + ("TimescaleDB hypertable" if info.timescale else f"{info.partitions} day partitions")
            )
            print(f"tags:       {info.tags}")
            return 0
    except HmiError as exc:
        print(f"hmi db: {exc}", file=sys.stderr)
        return 1
