"""The permission path probed through the engine's public API: no bypass by name or by connection,
idle logout in the engine, signatures, quitting, certificate trust, and secrets kept out of files."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import stat
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from asyncua import ua
from cryptography.hazmat.primitives import serialization

from hmi.errors import WriteRefused
from hmi.opcua import Connection, ConnectionState
from hmi.opcua.security import CertificateRefused, PkiError, create_certificate
from hmi.permissions import SYSTEM, refusal
from hmi.project.model import Connection as ConnectionConfig
from hmi.project.model import Identity
from hmi.runtime import Runtime
from hmi.security import LoginRefused, PermissionDenied, SecurityConfig, SecurityError, UserStore
from hmi.security.audit import AuditTrail, search
from hmi.security.service import Security
from hmi.sim.server import SimulatorServer
from hmi.tags import TagTable
from tests.support import PASSWORD, demo_project, free_port, log_in, wait_for


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@asynccontextmanager
async def running(tmp_path: Path, clock: Callable[[], float] | None = None) -> AsyncIterator[Runtime]:
    """The demo project's runtime on a real simulator, with values flowing."""
    port = free_port()
    async with SimulatorServer(port=port):
        runtime = Runtime(demo_project(tmp_path, port), start_simulator=False)
        if clock is not None:
            runtime.security.clock = clock
        await runtime.start()
        try:
            await wait_for(lambda: runtime.table.get("FIC101.SP").good, what="the setpoint")
            yield runtime
        finally:
            await runtime.stop()


def rows(runtime: Runtime, **where: str) -> list[tuple]:
    return [
        (e.user, e.action, e.target, e.result, e.reason)
        for e in (r.entry for r in reversed(search(runtime.audit.path, **where)))
    ]


def test_the_text_system_is_no_pass_only_the_engine_object_is(tmp_path: Path):
    async def scenario() -> None:
        async with running(tmp_path) as runtime:
            log_in(runtime.security, "viewer", "view1")
            before = runtime.table.get("FIC101.SP").value
            with pytest.raises(WriteRefused, match="system is not logged in on this station"):
                await runtime.write("FIC101.SP", 13.0, "system")
            assert runtime.table.get("FIC101.SP").value == before
            with pytest.raises(PermissionDenied, match="system is not logged in"):
                runtime.security.set_role("system", "view1", "administrator")
            assert runtime.security.users.require("view1").role.value == "viewer"
            assert refusal(runtime.security.authorize, "write", SYSTEM) is None  # the engine itself
            runtime.audit.flush()
            assert [r[3] for r in rows(runtime, action="write")] == ["refused"]

    asyncio.run(scenario())


def test_a_connection_has_no_public_write_the_runtime_is_the_one_way(tmp_path: Path):
    async def scenario() -> None:
        async with running(tmp_path) as runtime:
            connection = runtime.connections["plant"]
            assert not hasattr(connection, "write")
            log_in(runtime.security, "operator", "otto")
            assert (await runtime.write("FIC101.SP", 21.0, "otto")).confirmed
            runtime.audit.flush()
            assert [r[:4] for r in rows(runtime, action="write")] == [
                ("otto", "write", "FIC101.SP", "confirmed")
            ]

    asyncio.run(scenario())


def test_an_idle_session_is_logged_out_by_the_engine_when_it_next_acts(tmp_path: Path):
    clock = Clock()

    async def scenario() -> None:
        async with running(tmp_path, clock) as runtime:
            runtime.security.config.idle_logout_s = 2
            log_in(runtime.security, "operator", "otto")
            clock.now += 1.5
            assert (await runtime.write("FIC101.SP", 22.0, "otto")).confirmed  # an action is activity
            clock.now += 1.5
            runtime.security.touch()  # a key press at the station
            clock.now += 1.5
            assert (await runtime.write("FIC101.SP", 23.0, "otto")).confirmed
            clock.now += 3
            with pytest.raises(WriteRefused, match="logged out after 2 s without activity"):
                await runtime.write("FIC101.SP", 24.0, "otto")
            assert runtime.security.session is None
            runtime.audit.flush()
            assert ("otto", "logout", "", "ok", "inactivity") in rows(runtime, action="logout")

    asyncio.run(scenario())


def test_a_supervisor_signs_for_one_action_and_the_trail_names_both(tmp_path: Path):
    async def scenario() -> None:
        async with running(tmp_path) as runtime:
            security = runtime.security
            log_in(security, "engineer", "sam")
            log_in(security, "viewer", "vera")
            with pytest.raises(LoginRefused, match="wrong user name or password"):
                security.sign("sam", "not-his", "pump test")
            with pytest.raises(SecurityError, match="give a reason"):
                security.sign("sam", PASSWORD, "  ")
            assert refusal(security.permits, "write", "vera") is not None
            security.sign("sam", PASSWORD, "pump test")
            assert refusal(security.permits, "write", "vera") is None  # what the screens show
            assert (await runtime.write("FIC101.SP", 25.0, "vera")).confirmed
            with pytest.raises(WriteRefused, match="vera \\(viewer\\) may not"):
                await runtime.write("FIC101.SP", 26.0, "vera")  # one action only
            runtime.audit.flush()
            written = [r for r in rows(runtime, action="write") if r[3] == "confirmed"]
            assert written == [("vera", "write", "FIC101.SP", "confirmed", "signed by sam: pump test")]
            assert [r[:4] for r in rows(runtime, action="signed")] == [("sam", "signed", "write", "ok")]
            assert [r[3] for r in rows(runtime, action="sign_failed")] == ["refused"]

    asyncio.run(scenario())


def test_a_signed_action_needs_the_users_password_and_reason_every_time(tmp_path: Path):
    async def scenario() -> None:
        async with running(tmp_path) as runtime:
            security = runtime.security
            security.config.signed = ["write"]
            log_in(security, "operator", "otto")
            log_in(security, "viewer", "vera")
            log_in(security, "operator", "otto")
            with pytest.raises(WriteRefused, match="needs an electronic signature"):
                await runtime.write("FIC101.SP", 27.0, "otto")
            with pytest.raises(PermissionDenied, match="vera \\(viewer\\) may not"):
                security.sign("vera", PASSWORD, "because", "write")  # a viewer's signature is no good
            security.sign("otto", PASSWORD, "new batch", "write")
            assert (await runtime.write("FIC101.SP", 27.0, "otto")).confirmed

    asyncio.run(scenario())


def test_quitting_needs_its_permission_and_is_audited(tmp_path: Path):
    with AuditTrail(tmp_path / "audit.sqlite") as audit:
        security = Security(UserStore(tmp_path / "users.sqlite"), audit=audit)
        with pytest.raises(PermissionDenied, match="log in first"):
            security.quit("")
        log_in(security, "operator", "otto")
        with pytest.raises(PermissionDenied, match="otto \\(operator\\) may not quit the HMI"):
            security.quit("otto")
        log_in(security, "engineer", "erik")
        security.quit("erik")
    quits = [
        (r.entry.user, r.entry.result) for r in reversed(search(tmp_path / "audit.sqlite", action="quit"))
    ]
    assert quits == [("", "refused"), ("otto", "refused"), ("erik", "ok")]


def test_only_an_administrator_may_trust_a_server_certificate(tmp_path: Path):
    cert = create_certificate(
        tmp_path / "s.der", tmp_path / "s.pem", uri="urn:s", common_name="S", server=True
    )
    der = cert.public_bytes(serialization.Encoding.DER)

    async def scenario() -> None:
        async with running(tmp_path) as runtime:
            pki = runtime.connections["plant"].pki
            with pytest.raises(CertificateRefused) as refused:
                pki.check(der, "opc.tcp://plc9:4840")
            fp = refused.value.info.fingerprint
            with pytest.raises(PkiError, match="log in first"):
                pki.trust(fp, runtime.security.actor)
            log_in(runtime.security, "engineer", "erik")
            with pytest.raises(PkiError, match="erik \\(engineer\\) may not trust server certificates"):
                pki.trust(fp, "erik")
            assert pki.find(fp).state == "rejected"
            log_in(runtime.security, "administrator", "root")
            assert pki.trust(fp, "root").state == "trusted"
            runtime.audit.flush()
            trail = [r[0:2] + r[3:4] for r in rows(runtime, action="trust_certificate")]
            assert trail == [
                ("", "trust_certificate", "refused"),
                ("erik", "trust_certificate", "refused"),
                ("root", "trust_certificate", "ok"),
            ]

    asyncio.run(scenario())


def test_a_user_name_identity_is_not_sent_over_security_none(tmp_path: Path):
    asked: list[str] = []

    def prompt(connection: str, user: str) -> str:
        asked.append(user)
        return "s3cret-pass"

    async def scenario() -> None:
        config = ConnectionConfig(
            endpoint=f"opc.tcp://127.0.0.1:{free_port()}", identity=Identity(kind="username", user="alice")
        )
        connection = Connection("plant", config, [], TagTable([]), credentials=prompt)
        await connection.start()
        try:
            await wait_for(lambda: connection.status.state is ConnectionState.LOST, what="the refusal")
            assert "password would go out unencrypted" in connection.status.detail
            assert "SignAndEncrypt" in connection.status.detail
            assert asked == []
        finally:
            await connection.stop()

    asyncio.run(scenario())


def test_debug_logging_never_shows_the_opcua_password(caplog: pytest.LogCaptureFixture):
    import hmi.opcua.connection  # noqa: F401  (installs the filter, as any use of a connection does)

    request = ua.ActivateSessionRequest()
    request.Parameters.UserIdentityToken = ua.UserNameIdentityToken(UserName="alice", Password=b"s3cret-pass")
    with caplog.at_level(logging.DEBUG, logger="asyncua"):
        logging.getLogger("asyncua.client.ua_client.UASocketProtocol").debug("Sending: %s", request)
    assert "ActivateSessionRequest" in caplog.text and "s3cret-pass" not in caplog.text


def test_the_users_file_is_owner_only(tmp_path: Path):
    path = tmp_path / "users.sqlite"
    UserStore(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    path.chmod(0o644)  # made by an older version
    UserStore(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_failed_login_records_no_text_that_may_be_a_password(tmp_path: Path):
    with AuditTrail(tmp_path / "audit.sqlite") as audit:
        security = Security(UserStore(tmp_path / "users.sqlite"), SecurityConfig(), audit)
        log_in(security, "operator", "olga")
        security.logout()
        with pytest.raises(LoginRefused):
            security.login("Tr0ub4dor&3", "")  # the password typed into the user-name field
        with pytest.raises(LoginRefused):
            security.login("olga", "Tr0ub4dor&3")
    with sqlite3.connect(tmp_path / "audit.sqlite") as conn:
        dump = "\n".join(str(row) for row in conn.execute("SELECT * FROM audit"))
    assert "Tr0ub4dor" not in dump
    failed = [(r.entry.user, r.entry.reason) for r in reversed(search(tmp_path / "audit.sqlite"))]
    assert ("", "unknown user name (not recorded)") in failed and ("olga", "wrong password") in failed
