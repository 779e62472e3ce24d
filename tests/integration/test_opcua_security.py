"""Secure connections against the real simulator: policies, the trust store, user names and passwords."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

from hmi.opcua import Connection, ConnectionState, ConnectionStatus, Pki
from hmi.opcua.login import POLICIES
from hmi.permissions import SYSTEM
from hmi.project.model import Connection as ConnectionConfig
from hmi.project.model import Identity, Security, Tag
from hmi.sim.security import SimSecurity
from hmi.sim.server import SimulatorServer
from hmi.tags import TagTable
from tests.support import free_port, wait_for

LEVEL = "TK101.Level"
USERS = {"alice": "s3cret"}


@pytest.fixture(scope="module")
def server_dirs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Two certificate folders for the simulator (its certificate is made on the first start in each)."""
    return tmp_path_factory.mktemp("sim-a"), tmp_path_factory.mktemp("sim-b")


class Client:
    """One secure connection with a single tag, and every status it went through."""

    def __init__(self, endpoint: str, pki: Pki, policy: str = "Basic256Sha256", **kwargs):
        identity = kwargs.pop("identity", Identity())
        cfg = ConnectionConfig(
            endpoint=endpoint, security=Security(mode="SignAndEncrypt", policy=policy), identity=identity
        )
        tags = [Tag(name=LEVEL, connection="plant", node=f"ns=2;s={LEVEL}")]
        self.table = TagTable({t.name: t for t in tags})
        self.conn = Connection("plant", cfg, tags, self.table, pki=pki, **kwargs)
        self.statuses: list[ConnectionStatus] = []
        self.conn.on_status(self.statuses.append)

    def lost(self) -> bool:
        return self.conn.status.state is ConnectionState.LOST

    def good(self) -> bool:
        return self.table.get(LEVEL).good


@pytest.mark.parametrize("policy", list(POLICIES))
def test_untrusted_server_is_refused_until_trusted_then_values_arrive(
    tmp_path: Path, server_dirs, policy: str
):
    async def scenario():
        pki = Pki(tmp_path / "pki")
        async with SimulatorServer(port=free_port(), security=SimSecurity(server_dirs[0])) as sim:
            client = Client(sim.endpoint, pki, policy)
            await client.conn.start()
            try:
                await wait_for(client.lost, 20, "the connection to be refused")
                status = client.conn.status
                assert status.refused is not None and status.refused.state == "rejected"
                assert "server certificate not trusted" in status.detail
                assert status.refused.fingerprint in status.detail
                assert not client.good()
                # Refused means waiting for the user, not retrying at full speed.
                assert status.retry_at is not None and status.retry_at - time.time() > 20
                if policy == "Basic256Sha256":  # once is enough: a plain retry would come after 1 s
                    await asyncio.sleep(1.5)
                    assert sum(s.state is ConnectionState.LOST for s in client.statuses) == 1
                assert [c.state for c in pki.list()] == ["rejected"]

                pki.trust(status.refused.fingerprint, SYSTEM)
                client.conn.retry_now()
                await wait_for(client.good, 20, "values over the secure channel")
                assert client.conn.status.state is ConnectionState.CONNECTED
                assert 0 <= client.table.get(LEVEL).value <= 100
                assert client.conn._session.client.security_policy.URI == POLICIES[policy].URI
            finally:
                await client.conn.stop()

    asyncio.run(scenario())


def test_changed_server_certificate_is_refused_and_flagged(tmp_path: Path, server_dirs):
    async def scenario():
        pki = Pki(tmp_path / "pki")
        port = free_port()
        client = Client(f"opc.tcp://127.0.0.1:{port}", pki)
        try:
            async with SimulatorServer(port=port, security=SimSecurity(server_dirs[0])):
                await client.conn.start()
                await wait_for(client.lost, 20, "the first refusal")
                assert client.conn.status.refused is not None
                pki.trust(client.conn.status.refused.fingerprint, SYSTEM)
                client.conn.retry_now()
                await wait_for(client.good, 20, "values from the trusted server")
            # While connected, the same server (application URI, endpoint) restarts with another certificate.
            async with SimulatorServer(port=port, security=SimSecurity(server_dirs[1])):
                await wait_for(lambda: client.conn.status.refused is not None, 30, "the change to be flagged")
                refused = client.conn.status.refused
                assert refused.state == "changed" and client.lost()
                assert "CHANGED since it was trusted" in client.conn.status.detail
                assert not client.good()
                assert sorted(c.state for c in pki.list()) == ["changed", "trusted"]
        finally:
            await client.conn.stop()

    asyncio.run(scenario())


def test_user_name_and_password_a_wrong_one_and_none(tmp_path: Path, server_dirs):
    async def scenario():
        pki = Pki(tmp_path / "pki")
        answers = ["wrong", "s3cret"]
        asked: list[tuple[str, str]] = []

        async def prompt(connection: str, user: str) -> str | None:
            asked.append((connection, user))
            return answers.pop(0)

        security = SimSecurity(server_dirs[0], users=USERS, allow_anonymous=False)
        alice = Identity(kind="username", user="alice")
        async with SimulatorServer(port=free_port(), security=security) as sim:
            client = Client(sim.endpoint, pki, identity=alice, credentials=prompt)
            await client.conn.start()
            try:
                await wait_for(client.lost, 20, "the certificate refusal")
                assert client.conn.status.refused is not None
                pki.trust(client.conn.status.refused.fingerprint, SYSTEM)
                assert asked == [], "no password is given to a server that is not trusted"
                client.conn.retry_now()
                await wait_for(lambda: client.lost() and asked, 20, "the wrong password to be refused")
                detail = client.conn.status.detail
                assert "refused the login of user alice" in detail and "BadUserAccessDenied" in detail
                assert client.conn.status.refused is None and not client.good()
                client.conn.retry_now()  # e.g. the operator typed the password again
                await wait_for(client.good, 20, "values for the logged-in user")
                assert asked == [("plant", "alice"), ("plant", "alice")]
            finally:
                await client.conn.stop()

            # No provider and no keyring on this machine: what `hmi run --headless` does.
            headless = Client(sim.endpoint, pki, identity=alice)
            await headless.conn.start()
            try:
                await wait_for(headless.lost, 20, "the missing password to be reported")
                assert "no password for user alice" in headless.conn.status.detail
                assert "keyring set" in headless.conn.status.detail
            finally:
                await headless.conn.stop()

    asyncio.run(scenario())
