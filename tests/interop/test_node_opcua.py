"""The engine against a server of another stack (node-opcua, tests/interop/node/plant_server.js):
values that keep flowing after kills and pauses, node ids by namespace URI, writes in the node's own
type, and the secure modes with the trust flow."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path

import pytest

from hmi.alarms import AlarmState
from hmi.errors import WriteRefused
from hmi.opcua import Connection, ConnectionState, Pki
from hmi.opcua.login import POLICIES
from hmi.paths import audit_db
from hmi.permissions import SYSTEM
from hmi.project import ProjectFolder
from hmi.quality import COMM_FAILURE, NODE_UNKNOWN, STALE, Quality
from hmi.runtime import Runtime
from hmi.security.audit import CONFIRMED, DIFFERS, REFUSED, search
from tests.support import free_port, log_in, wait_for

from .servers import CONFORMANCE_NS, NEVER_GOOD, PLANT_NS, NodePlant, plant_project

pytestmark = pytest.mark.usefixtures("node_opcua")

RECOVERY_S = 10.0
"""A changing node must change again this soon after its server resumes or restarts."""


class Counting:
    """Good updates of the plant's Counter (10 changes a second on the server) as they arrive."""

    def __init__(self, runtime: Runtime):
        self.arrivals: list[float] = []
        runtime.table.subscribe(
            lambda name, s: name == "Counter" and s.good and self.arrivals.append(time.monotonic())
        )

    def since(self, start: float) -> int:
        return sum(t >= start for t in self.arrivals)

    async def rate(self, seconds: float = 3.0) -> float:
        start = time.monotonic()
        await asyncio.sleep(seconds)  # a measuring window, not a wait for a condition
        return self.since(start) / seconds


@asynccontextmanager
async def engine_of(project: ProjectFolder) -> AsyncIterator[Runtime]:
    runtime = Runtime(project, start_simulator=False)
    await runtime.start()
    try:
        yield runtime
    finally:
        await runtime.stop()


def engine(tmp_path: Path, plant: NodePlant, **connection: object) -> AbstractAsyncContextManager[Runtime]:
    return engine_of(plant_project(tmp_path / "project", plant.endpoint, **connection))


def good(runtime: Runtime, tag: str = "Counter") -> bool:
    return runtime.table.get(tag).good


SECURE = {"mode": "SignAndEncrypt", "policy": "Basic256Sha256"}
"""A password never goes out over security None: the login tests run encrypted."""


async def trust_the_server(connection: Connection) -> None:
    """The administrator's step of the trust flow: the refused server certificate trusted, retried."""
    await wait_for(lambda: connection.status.refused is not None, 20, "the untrusted server refused")
    connection.pki.trust(connection.status.refused.fingerprint, SYSTEM)
    connection.retry_now()


def test_values_arrive_by_namespace_uri_and_a_missing_node_is_reported_per_tag(tmp_path: Path):
    async def scenario():
        with NodePlant(free_port(), tmp_path / "pki", namespaces_before=2) as plant:
            assert plant.namespace_index == 4  # the project says nsu=..., never ns=4
            async with engine(tmp_path, plant) as runtime:
                counting = Counting(runtime)
                await wait_for(lambda: len(counting.arrivals) >= 5, what="the counter to count")
                table = runtime.table
                assert 10 <= table.get("Level").value <= 90
                assert table.get("Big").value == 1 and table.get("Text").value == "idle"
                assert table.get("Run").value is False and table.get("Mode").value == 1
                assert abs(table.get("Counter").ts - time.time()) < 5  # the server's source timestamp
                missing = table.get("Missing")
                assert missing.quality is Quality.BAD and missing.reason == NODE_UNKNOWN
                assert "s=NoSuchNode" in runtime.connections["plant"].node_problems["Missing"]
                stamp = table.get("Stamp")
                assert stamp.quality is Quality.BAD
                assert stamp.reason == "type mismatch: the node is DateTime, the tag is Double"

    asyncio.run(scenario())


def test_writes_go_in_the_node_type_are_read_back_and_every_attempt_is_audited(tmp_path: Path):
    async def scenario():
        with NodePlant(free_port(), tmp_path / "pki") as plant:
            async with engine(tmp_path, plant) as runtime:
                log_in(runtime.security, "operator", "op")
                await wait_for(
                    lambda: good(runtime, "Mode") and good(runtime, "Big"), what="writable tags Good"
                )
                confirmed = {
                    "Mode": ("8", 8),  # no type in the project: written as the node's Int16
                    "SetpointF": ("0.1", pytest.approx(0.1, abs=1e-7)),  # a Float reads back 0.10000000149
                    "Big": ("9007199254740993", 9007199254740993),  # exact: not through a float
                    "UBig": ("18446744073709551615", 18446744073709551615),
                    "Run": ("on", True),
                    "Text": ("running", "running"),
                    "Setpoint": ("42.5", 42.5),
                }
                for tag, (typed, value) in confirmed.items():
                    result = await runtime.write(tag, typed, actor="op")
                    assert result.confirmed, (tag, result)
                    await wait_for(
                        lambda t=tag, v=value: runtime.table.get(t).value == v, what=f"{tag} = {value}"
                    )

                ignored = await runtime.write("Ignored", "7", actor="op")
                assert not ignored.confirmed and ignored.problem == "reads back 5.0"
                refusals = {
                    "Mode": ("8.5", "the server's node is Int16: 8.5 is not a whole number"),
                    "Setpoint": ("150", "outside the write limits 0..100"),
                    "Level": ("3", "read-only"),
                }
                for tag, (typed, why) in refusals.items():
                    with pytest.raises(WriteRefused, match=why):
                        await runtime.write(tag, typed, actor="op")
                assert runtime.table.get("Mode").value == 8
                runtime.audit.flush()
                rows = [r.entry for r in search(audit_db(runtime.folder.root, runtime.folder.name))]
                writes = [r for r in rows if r.action == "write"]
                assert len(writes) == len(confirmed) + 1 + len(refusals)  # one row per attempt
                results = [w.result for w in writes]
                assert results.count(CONFIRMED) == len(confirmed)
                assert results.count(REFUSED) == len(refusals)
                differs = next(w for w in writes if w.result == DIFFERS)
                assert differs.target == "Ignored" and differs.reason == "reads back 5.0"

    asyncio.run(scenario())


def test_killed_and_restarted_three_times_with_another_namespace_order_values_flow_again(tmp_path: Path):
    async def scenario():
        port = free_port()
        plant = NodePlant(port, tmp_path / "pki").start()
        try:
            async with engine(tmp_path, plant) as runtime:
                counting = Counting(runtime)
                await wait_for(lambda: len(counting.arrivals) >= 5, what="the counter to count")
                before = await counting.rate()
                for order in (3, 1, 2):
                    plant.kill()
                    await wait_for(
                        lambda: runtime.table.get("Counter").reason == COMM_FAILURE,
                        timeout=5,
                        what="Bad (comm failure) within 5 s of the kill",
                    )
                    assert all(not runtime.table.get(n).good for n in runtime.table.names())
                    plant = NodePlant(port, tmp_path / "pki", namespaces_before=order).start()
                    resumed = time.monotonic()
                    await wait_for(
                        lambda r=resumed: counting.since(r) >= 3,
                        timeout=RECOVERY_S,
                        what=f"the counter to count within {RECOVERY_S} s of the restart",
                    )
                    assert runtime.connections["plant"].status.state is ConnectionState.CONNECTED
                    assert runtime.table.get("Level").good and runtime.table.get("Mode").value == 1
                    after = await counting.rate()
                    assert 0.6 * before <= after <= 1.4 * before, (before, after)
        finally:
            plant.kill()

    asyncio.run(scenario())


@pytest.mark.timeout(300)
@pytest.mark.parametrize("pause_s", [5, 15, 60])
def test_a_paused_server_turns_tags_bad_and_values_flow_again_at_the_same_rate(tmp_path: Path, pause_s: int):
    async def scenario():
        with NodePlant(free_port(), tmp_path / "pki") as plant:
            async with engine(tmp_path, plant) as runtime:
                counting = Counting(runtime)
                await wait_for(lambda: len(counting.arrivals) >= 5, what="the counter to count")
                before = await counting.rate()
                plant.pause()
                paused = time.monotonic()
                await wait_for(lambda: not good(runtime), timeout=8, what="Bad within 8 s of the pause")
                assert runtime.table.get("Counter").reason in (STALE, COMM_FAILURE)
                await asyncio.sleep(pause_s - (time.monotonic() - paused))  # the pause itself
                assert not good(runtime)
                plant.resume()
                resumed = time.monotonic()
                await wait_for(
                    lambda: counting.since(resumed) >= 3,
                    timeout=RECOVERY_S,
                    what=f"the counter to count within {RECOVERY_S} s of the resume",
                )
                after = await counting.rate()
                assert 0.6 * before <= after <= 1.4 * before, (before, after)
                assert all(runtime.table.get(n).good for n in runtime.table.names() if n not in NEVER_GOOD)

    asyncio.run(scenario())


def test_a_frozen_server_killed_and_restarted_serves_every_tag_again(tmp_path: Path):
    """Frozen until the engine calls it stale, then killed: the subscription rebuilt on the new server
    has an item for every tag, not none while the tags show Good."""

    async def scenario():
        port = free_port()
        plant = NodePlant(port, tmp_path / "pki").start()
        try:
            async with engine(tmp_path, plant) as runtime:
                counting = Counting(runtime)
                await wait_for(lambda: len(counting.arrivals) >= 5, what="the counter to count")
                plant.pause()
                await wait_for(lambda: runtime.table.get("Counter").reason == STALE, 10, "stale")
                plant.kill()
                await wait_for(lambda: runtime.table.get("Counter").reason == COMM_FAILURE, 10, "lost")
                plant = NodePlant(port, tmp_path / "pki").start()
                restarted = time.monotonic()
                await wait_for(lambda: counting.since(restarted) >= 3, RECOVERY_S, "the counter counting")
                serving = [n for n in runtime.table.names() if n not in NEVER_GOOD]
                await wait_for(lambda: all(good(runtime, n) for n in serving), 5, "every tag Good")
                level = runtime.table.get("Level").value  # a second changing node: its item is there too
                await wait_for(lambda: runtime.table.get("Level").value != level, 10, "Level changing")
        finally:
            plant.kill()

    asyncio.run(scenario())


@pytest.mark.parametrize("mode", ["Sign", "SignAndEncrypt"])
@pytest.mark.parametrize("policy", list(POLICIES))
def test_secure_modes_refuse_an_untrusted_server_until_trusted(tmp_path: Path, policy: str, mode: str):
    async def scenario():
        with NodePlant(free_port(), tmp_path / "server-pki") as plant:
            security = {"mode": mode, "policy": policy}
            identity = {"kind": "username", "user": "operator"}
            project = plant_project(
                tmp_path / "project", plant.endpoint, security=security, identity=identity
            )
            runtime = Runtime(project, start_simulator=False, credentials=lambda _c, _u: "interop-pass")
            connection = runtime.connections["plant"]
            connection.pki = Pki(tmp_path / "client-pki")
            await runtime.start()
            try:
                await wait_for(
                    lambda: connection.status.refused is not None, 20, "the untrusted server refused"
                )
                assert "server certificate not trusted" in connection.status.detail
                assert not good(runtime)
                connection.pki.trust(connection.status.refused.fingerprint, SYSTEM)
                connection.retry_now()
                await wait_for(lambda: good(runtime), 20, f"values over {policy} {mode}")
                assert connection.status.state is ConnectionState.CONNECTED
            finally:
                await runtime.stop()

    asyncio.run(scenario())


def test_a_silent_subscription_is_stale_at_once_with_its_age_and_repaired(tmp_path: Path):
    """asyncua's own probe is slowed to 30 s: the keep-alive watch alone must notice the silence."""

    async def scenario():
        with NodePlant(free_port(), tmp_path / "pki") as plant:
            async with engine(tmp_path, plant, watchdog_s=30, keepalive_s=1) as runtime:
                connection = runtime.connections["plant"]
                counting = Counting(runtime)
                await wait_for(lambda: len(counting.arrivals) >= 5, what="the counter to count")
                statuses: list[ConnectionState] = []
                connection.on_status(lambda status: statuses.append(status.state))
                plant.pause()
                paused = time.time()
                await wait_for(lambda: not good(runtime), timeout=4, what="Bad within 4 s of the silence")
                assert runtime.table.get("Counter").reason == STALE
                assert runtime.table.get("Level").reason == STALE
                assert statuses[0] is ConnectionState.STALE
                assert connection.status.since is not None and paused <= connection.status.since + 0.5
                assert "no updates from server" in connection.status.detail
                await asyncio.sleep(3)  # the pause goes on
                plant.resume()
                resumed = time.monotonic()
                await wait_for(lambda: counting.since(resumed) >= 3, RECOVERY_S, "values after the resume")
                await wait_for(lambda: good(runtime, "Level"), what="every tag Good again")
                assert connection.status.state is ConnectionState.CONNECTED

    asyncio.run(scenario())


def test_a_wrong_password_is_refused_by_the_server(tmp_path: Path):
    async def scenario():
        with NodePlant(free_port(), tmp_path / "pki") as plant:
            identity = {"kind": "username", "user": "operator"}
            project = plant_project(tmp_path / "project", plant.endpoint, identity=identity, security=SECURE)
            runtime = Runtime(project, start_simulator=False, credentials=lambda _c, _u: "wrong")
            connection = runtime.connections["plant"]
            await runtime.start()
            try:
                await trust_the_server(connection)
                await wait_for(
                    lambda: "refused the login" in connection.status.detail, 20, "the login refused"
                )
                assert connection.status.state is ConnectionState.LOST and not good(runtime)
            finally:
                await runtime.stop()

    asyncio.run(scenario())


def test_headless_password_from_a_systemd_credential(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """No keyring entry and no prompt: the engine reads $CREDENTIALS_DIRECTORY/openhmi-<connection>."""

    async def scenario():
        with NodePlant(free_port(), tmp_path / "pki") as plant:
            identity = {"kind": "username", "user": "operator"}
            project = plant_project(tmp_path / "project", plant.endpoint, identity=identity, security=SECURE)
            async with engine_of(project) as runtime:
                await trust_the_server(runtime.connections["plant"])
                await wait_for(lambda: good(runtime), 20, "values for the user of the credential")

    credentials = tmp_path / "credentials"
    credentials.mkdir()
    (credentials / "openhmi-plant").write_text("interop-pass\n", encoding="utf-8")
    monkeypatch.setenv("CREDENTIALS_DIRECTORY", str(credentials))
    asyncio.run(scenario())


def test_a_value_older_than_max_age_is_uncertain_while_the_server_answers(tmp_path: Path):
    async def scenario():
        with NodePlant(free_port(), tmp_path / "pki") as plant:
            project = plant_project(tmp_path / "project", plant.endpoint)
            next(t for t in project.project.tags if t.name == "Text").max_age_s = 1
            async with engine_of(project) as runtime:
                log_in(runtime.security, "operator", "op")
                await wait_for(lambda: good(runtime, "Text"), what="Text Good")
                await wait_for(
                    lambda: runtime.table.get("Text").quality is Quality.UNCERTAIN, 4, "Text Uncertain"
                )
                assert runtime.table.get("Text").reason == "no change for over 1 s"
                assert runtime.table.get("Text").value == "idle" and good(runtime, "Counter")
                assert (await runtime.write("Text", "busy", actor="op")).confirmed
                await wait_for(lambda: good(runtime, "Text"), what="Text Good again after a change")

    asyncio.run(scenario())


def test_two_conditions_of_one_source_and_name_stay_two_alarms(tmp_path: Path):
    """An exclusive and a non-exclusive limit alarm of Tank, both named LevelAlarm: keyed by their
    ConditionIds they are two rows, acknowledged and cleared each on its own."""

    async def scenario():
        with NodePlant(free_port(), tmp_path / "pki") as plant:
            async with engine(tmp_path, plant, conditions=True) as runtime:
                log_in(runtime.security, "operator", "op")
                exclusive = f"plant:nsu={PLANT_NS};s=Tank.Exclusive"
                other = f"plant:nsu={PLANT_NS};s=Tank.NonExclusive"

                def states() -> dict[str, AlarmState]:
                    return {a.id: a.state for a in runtime.alarms.alarms() if a.id in (exclusive, other)}

                await wait_for(lambda: good(runtime, "TankLevel"), what="TankLevel Good")
                await runtime.write("TankLevel", "85", actor="op")  # above both high limits (80, 70)
                both = {exclusive: AlarmState.UNACK_ACTIVE, other: AlarmState.UNACK_ACTIVE}
                await wait_for(lambda: states() == both, 10, "two active alarms")
                assert {runtime.alarms.alarm(a).tag for a in both} == {"2:Tank"}  # node-opcua's SourceName

                assert runtime.alarms.acknowledge([exclusive], "op", "seen") == [exclusive]
                acked = {exclusive: AlarmState.ACK_ACTIVE, other: AlarmState.UNACK_ACTIVE}
                await wait_for(lambda: states() == acked, 10, "only the exclusive one acknowledged")

                await runtime.write("TankLevel", "75", actor="op")  # below 80, still above 70
                await wait_for(
                    lambda: states().get(exclusive) in (None, AlarmState.NORMAL),
                    10,
                    "the exclusive one cleared",
                )
                assert states()[other] is AlarmState.UNACK_ACTIVE

    asyncio.run(scenario())


def test_redundant_servers_the_best_is_used_and_a_lost_or_degraded_one_is_left(tmp_path: Path):
    """Two node-opcua plants as a non-transparent redundant pair: the engine takes the one with the
    higher ServiceLevel, fails over when it is killed, and leaves one whose level drops."""

    async def scenario():
        primary = NodePlant(free_port(), tmp_path / "pki-a", service_level=200).start()
        backup = NodePlant(free_port(), tmp_path / "pki-b", service_level=255).start()
        try:
            async with engine(tmp_path, primary, backups=[backup.endpoint]) as runtime:
                connection = runtime.connections["plant"]
                counting = Counting(runtime)
                await wait_for(lambda: len(counting.arrivals) >= 3, what="values from the better server")
                assert connection.servers.active == backup.endpoint  # 255 beats 200
                assert connection.status.detail == f"{backup.endpoint} (service level 255)"

                backup.set_service_level(20)  # e.g. it lost its own link to the PLC
                await wait_for(
                    lambda: connection.servers.active == primary.endpoint, 10, "the switch to 200 > 20"
                )
                switched = time.monotonic()
                await wait_for(
                    lambda: counting.since(switched) >= 3, RECOVERY_S, "values from the other server"
                )

                backup.set_service_level(255)
                primary.kill()
                killed = time.monotonic()
                await wait_for(lambda: not good(runtime), 5, "Bad while the servers switch")
                await wait_for(
                    lambda: connection.servers.active == backup.endpoint, 10, "the failover after the kill"
                )
                await wait_for(lambda: counting.since(killed) >= 3, RECOVERY_S, "values after the failover")
                assert connection.status.state is ConnectionState.CONNECTED
        finally:
            primary.kill()
            backup.kill()

    asyncio.run(scenario())


CONFORMANCE_WRITES = {
    "Boolean": ("on", True),
    "SByte": ("-128", -128),
    "Byte": ("255", 255),
    "Int16": ("-32768", -32768),
    "UInt16": ("65535", 65535),
    "Int32": ("-2147483648", -(2**31)),
    "UInt32": ("4294967295", 2**32 - 1),
    "Int64": ("9007199254740993", 9007199254740993),
    "UInt64": ("18446744073709551615", 2**64 - 1),
    "Float": ("0.1", pytest.approx(0.1, abs=1e-7)),
    "Double": ("0.1", 0.1),
    "String": ("ΔP 3 bar", "ΔP 3 bar"),
}
"""A value at the edge of each type the conformance address space offers, as an operator types it."""
NOT_A_TAG = ("DateTime", "ByteString", "Guid", "LocalizedText", "QualifiedName", "NodeId", "XmlElement")


def test_every_scalar_type_of_the_conformance_address_space(tmp_path: Path):
    """node-opcua's conformance-testing variables: each type a tag can hold is read and written
    exactly; every other type, and an array, is Bad on its own tag with the reason."""

    def node(kind: str) -> str:
        return f"nsu={CONFORMANCE_NS};s=Static_Scalar_{kind}"

    tags = [{"name": f"C.{k}", "node": node(k), "type": k, "writable": True} for k in CONFORMANCE_WRITES]
    tags += [{"name": f"C.{k}", "node": node(k)} for k in NOT_A_TAG]
    tags.append({"name": "C.Array", "node": node("Large_Array_Double")})

    async def scenario():
        with NodePlant(free_port(), tmp_path / "pki", conformance=True) as plant:
            project = plant_project(tmp_path / "project", plant.endpoint, extra_tags=tags)
            async with engine_of(project) as runtime:
                log_in(runtime.security, "operator", "op")
                typed = [f"C.{k}" for k in CONFORMANCE_WRITES]
                await wait_for(lambda: all(good(runtime, t) for t in typed), 20, "every typed tag Good")
                for kind, (text, value) in CONFORMANCE_WRITES.items():
                    result = await runtime.write(f"C.{kind}", text, actor="op")
                    assert result.confirmed, (kind, result)
                    await wait_for(lambda k=kind, v=value: runtime.table.get(f"C.{k}").value == v, what=kind)
                table = runtime.table
                for kind in NOT_A_TAG:
                    sample = table.get(f"C.{kind}")
                    assert sample.quality is Quality.BAD
                    assert sample.reason == f"type mismatch: the node is {kind}, the tag is Double"
                array = table.get("C.Array")
                assert array.quality is Quality.BAD and "array" in array.reason

    asyncio.run(scenario())
