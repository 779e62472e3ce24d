"""A real PostgreSQL cluster for the storage tests: initdb in a temp dir, a server on a free port of
127.0.0.1 with password authentication, one fresh database per test. The server refuses to run as
root, so as root it runs as the `postgres` user (or `nobody`). Missing server binaries skip these
tests on a developer's machine and fail them in CI (`.ci/run` installs postgresql-15)."""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

PASSWORD = "s3cret-test"
USER = "openhmi"


@dataclass(frozen=True)
class Cluster:
    host: str
    port: int
    user: str
    password: str
    bin: Path
    data: Path
    run_as: list[str]

    def dsn(self, dbname: str) -> str:
        """A DSN without the password, as a project would hold it."""
        return f"host={self.host} port={self.port} user={self.user} dbname={dbname}"

    def admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(self.dsn("postgres"), password=self.password, autocommit=True) as con:
            con.execute(sql)

    def stop(self) -> None:
        subprocess.run(
            [*self.run_as, str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "stop"],
            check=False,
            capture_output=True,
            timeout=60,
        )

    def start(self) -> None:
        log = self.data.parent / "server.log"
        subprocess.run(
            [
                *self.run_as,
                str(self.bin / "pg_ctl"),
                "-D",
                str(self.data),
                "-l",
                str(log),
                "-w",
                "-t",
                "60",
                "-o",
                f"-p {self.port} -h {self.host} -k {self.data.parent}",
                "start",
            ],
            check=True,
            capture_output=True,
            timeout=90,
        )


def _binaries() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).resolve().parent if initdb else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _service_user() -> str:
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    raise RuntimeError("no user to run the PostgreSQL server as (it refuses root)")


def make_cluster() -> Cluster:
    """initdb in a new temp dir and start the server (stop it, then remove `data.parent`)."""
    bin_dir = _binaries()
    if bin_dir is None:
        raise FileNotFoundError("PostgreSQL server binaries (initdb) not found: install postgresql-15")
    root = Path(tempfile.mkdtemp(prefix="openhmi-pg-"))
    run_as: list[str] = []
    if os.geteuid() == 0:
        user = _service_user()
        entry = pwd.getpwnam(user)
        os.chown(root, entry.pw_uid, entry.pw_gid)
        run_as = ["runuser", "-u", user, "--"]
    pwfile = root / "pw"
    pwfile.write_text(PASSWORD)
    os.chmod(pwfile, 0o644)
    data = root / "data"
    subprocess.run(
        [
            *run_as,
            str(bin_dir / "initdb"),
            "-D",
            str(data),
            "-U",
            USER,
            f"--pwfile={pwfile}",
            "--auth=scram-sha-256",
            "-E",
            "UTF8",
            "--locale=C",
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    pwfile.unlink()
    cluster = Cluster("127.0.0.1", _free_port(), USER, PASSWORD, bin_dir, data, run_as)
    with (data / "postgresql.conf").open("a") as conf:
        conf.write("fsync = off\nsynchronous_commit = off\nfull_page_writes = off\nmax_connections = 50\n")
    cluster.start()
    return cluster


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    if _binaries() is None:
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL server binaries (initdb) not found: .ci/run installs postgresql-15")
        pytest.skip("PostgreSQL server binaries (initdb) not installed")
    cluster = make_cluster()
    try:
        yield cluster
    finally:
        cluster.stop()
        shutil.rmtree(cluster.data.parent, ignore_errors=True)


@pytest.fixture
def pg_dsn(pg_cluster: Cluster, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A fresh, empty database; its password in the environment, as a station would have it."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    pg_cluster.admin(f"CREATE DATABASE {name}")
    monkeypatch.setenv("OPENHMI_DB_PASSWORD", PASSWORD)
    yield pg_cluster.dsn(name)
    pg_cluster.admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
