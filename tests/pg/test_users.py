"""The site's users in PostgreSQL (`storage: {kind: postgresql, users: site}`): a user added once logs
in on every station, and an account locked after wrong passwords on one is locked on all."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

from hmi.cli import DEMO_PROJECT, main
from hmi.permissions import SYSTEM
from hmi.security import LoginRefused, SecurityError
from hmi.security.service import Security
from hmi.security.settings import SecurityConfig
from hmi.security.users import UserStore
from hmi.storage import Place
from hmi.storage.postgres import schema
from hmi.storage.postgres.connect import connect
from hmi.storage.postgres.settings import PostgresConfig
from hmi.storage.postgres.storage import PostgresStorage
from tests.pg.conftest import Cluster
from tests.support import PASSWORD

RULES = SecurityConfig(max_failures=3)


@pytest.fixture
def site(pg_dsn: str, tmp_path: Path) -> Path:
    root = tmp_path / "site"
    shutil.copytree(DEMO_PROJECT, root)
    text = (root / "project.yaml").read_text()
    (root / "project.yaml").write_text(
        text + f"storage:\n  kind: postgresql\n  dsn: '{pg_dsn}'\n  users: site\n"
    )
    with connect(pg_dsn) as con:
        schema.upgrade(con, "test")
    return root


def station(pg_dsn: str, tmp_path: Path, name: str, users: str = "site") -> Security:
    config = PostgresConfig(kind="postgresql", dsn=pg_dsn, users=users)  # type: ignore[arg-type]
    storage = PostgresStorage(config, Place(tmp_path / name, "site"), station=name)
    return Security(storage.user_store(), RULES)


def test_a_user_added_once_logs_in_everywhere_and_a_lockout_applies_on_every_station(
    site: Path, pg_dsn: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    for name, role in (("admin", "administrator"), ("Alice", "operator")):
        monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
        added = main(["users", "add", name, "--role", role, "--project", str(site), "--password-stdin"])
        assert added == 0
    north, south = station(pg_dsn, tmp_path, "north"), station(pg_dsn, tmp_path, "south")
    assert north.login("alice", PASSWORD).user == "Alice"  # names are one whatever their case
    north.logout()
    for left in (2, 1):
        with pytest.raises(LoginRefused, match=f"{left} more attempt"):
            south.login("alice", "wrong")
    with pytest.raises(LoginRefused, match="now locked"):
        south.login("alice", "wrong")
    with pytest.raises(LoginRefused, match="locked after too many wrong passwords") as refused:
        north.login("alice", PASSWORD)
    assert refused.value.locked_until is not None
    south.unlock(SYSTEM, "alice")
    assert north.login("alice", PASSWORD).user == "Alice"
    with pytest.raises(SecurityError, match="exists already"):
        south.add_user(SYSTEM, "ALICE", "operator", PASSWORD)


def test_by_default_each_station_keeps_its_own_users(pg_dsn: str, tmp_path: Path, site: Path):
    own = station(pg_dsn, tmp_path, "north", users="station")
    assert isinstance(own.users, UserStore)
    own.add_user(SYSTEM, "bob", "administrator", PASSWORD)
    assert station(pg_dsn, tmp_path, "south").users.get("bob") is None


def test_a_station_that_cannot_reach_the_site_users_says_so(
    site: Path, pg_dsn: str, tmp_path: Path, pg_cluster: Cluster, capsys: pytest.CaptureFixture[str]
):
    north = station(pg_dsn, tmp_path, "north")
    north.add_user(SYSTEM, "alice", "administrator", PASSWORD)
    pg_cluster.stop()
    try:
        with pytest.raises(SecurityError, match="the site's users cannot be read: database .* unreachable"):
            north.login("alice", PASSWORD)
        assert main(["users", "list", "--project", str(site)]) == 1
        assert "unreachable" in capsys.readouterr().err
    finally:
        pg_cluster.start()
    assert north.login("alice", PASSWORD).user == "alice"
