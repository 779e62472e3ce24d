"""What an engineer meets around Sparkplug: the edge node's metrics to pick tags from, the publish:
block and kind: sparkplug connections checked as the rest of the project, the edge node's counters."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
import yaml

from hmi.cli import main
from hmi.errors import CommError, ProjectError
from hmi.project import load_project
from hmi.project.model import Tag
from hmi.project.refactor import tag_from_node
from hmi.quality import Quality, Sample
from hmi.sources import ConnectionState
from hmi.sparkplug.browse import browse
from hmi.sparkplug.config import SparkplugConnection
from hmi.sparkplug.edge import EdgeNode
from hmi.sparkplug.host import SparkplugSource
from hmi.sparkplug.payload import Payload, new_payload, properties
from hmi.sparkplug.settings import Publish
from hmi.tags import TagTable
from tests.sparkplug.conftest import GROUP, NODE, Broker, EdgeProcess, Listener
from tests.support import demo_project, free_port, wait_for


def test_the_edge_nodes_metrics_are_listed_for_the_tag_browser(edge: EdgeProcess, broker: Broker):
    config = SparkplugConnection(kind="sparkplug", broker=broker.url, group=GROUP, edge_node=NODE)
    metrics = asyncio.run(browse(config, timeout_s=60))
    by_node = {m.node: m for m in metrics}
    assert len([m for m in metrics if m.device == "plant"]) == 40
    level = by_node["plant/TK101.Level"]
    assert (level.data_type, level.units, level.range, level.writable) == ("Double", "%", (0.0, 100.0), False)
    assert level.description == "Feed tank level"
    assert by_node["plant/FIC101.SP"].writable
    assert by_node["meter/EM1.Voltage"].units == "V"
    assert "_alarms/TK101.Level.HIHI/state" in by_node

    tag = tag_from_node(by_node["plant/FIC101.SP"], "site", [])
    assert (tag.name, tag.node, tag.type, tag.writable) == ("FIC101.SP", "plant/FIC101.SP", "Double", True)

    only_meter = config.model_copy(update={"device": "meter"})
    assert {m.device for m in asyncio.run(browse(only_meter, timeout_s=60))} == {"meter"}


def test_browsing_an_edge_node_that_is_not_there_says_so(broker: Broker):
    config = SparkplugConnection(kind="sparkplug", broker=broker.url, group=GROUP, edge_node="Nobody")
    with pytest.raises(CommError, match="no birth from edge node Nobody in 1 s"):
        asyncio.run(browse(config, timeout_s=1))


def test_publish_and_sparkplug_connections_are_checked_with_the_project(tmp_path: Path):
    folder = demo_project(tmp_path, free_port())
    path = folder.root / "project.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["publish"] = {"broker": "http://broker:1883", "group": "a/b"}
    data["connections"]["site"] = {"kind": "sparkplug", "broker": "mqtt://h", "group": "g", "edge_node": "n"}
    data["tags"].append(
        {"name": "Far.Level", "connection": "site", "node": "plant/TK101.Level", "scale": [2, 0]}
    )
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    with pytest.raises(ProjectError) as raised:
        load_project(folder.root)
    problems = "\n".join(raised.value.problems)
    assert (
        "publish.broker: 'http://broker:1883' is not a broker address such as mqtt://127.0.0.1:1883"
        in problems
    )
    assert "publish.group: 'a/b': a Sparkplug id has no '/'" in problems
    assert "scale: an edge node sends engineering values" in problems

    data["publish"] = {"broker": "mqtt://127.0.0.1:1883", "group": "site"}
    data["tags"][-1].pop("scale")
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    project = load_project(folder.root).project
    assert project.publish is not None and project.publish.group == "site"
    assert isinstance(project.connections["site"], SparkplugConnection)


def test_the_edge_nodes_counters_say_what_went_out_and_what_a_newer_change_replaced(
    broker: Broker, listener: Listener
):
    tags = [Tag(name=f"T{i}", connection="c", node="ns=2;s=T", type="Int32") for i in range(3)]
    table = TagTable(t.name for t in tags)

    async def scenario() -> None:
        node = EdgeNode(Publish(broker=broker.url, group=GROUP, flush_ms=10_000), "counted", tags, table)
        await node.start()
        try:
            await wait_for(lambda: node.born, 10, "the birth")
            for value in range(10):
                table.update("T0", Sample(value, Quality.GOOD, 1000.0 + value))
            table.update("T1", Sample(7, Quality.UNCERTAIN, 1000.0, "sensor drift"))
            assert node.counters().queue == 2
            node.flush()
            counters = node.counters()
            assert (counters.dropped, counters.metrics) == (9, 2 + 3 + 2)  # NBIRTH 2, DBIRTH 3, DDATA 2
            assert counters.messages == 3  # NBIRTH, DBIRTH, DDATA
            await wait_for(lambda: listener.of("DDATA"), 10, "the data")
            sent = Payload.FromString(listener.of("DDATA")[0].payload).metrics
            assert [(m.int_value, properties(m)) for m in sent] == [
                (9, {}),  # the latest of T0, Good
                (7, {"Quality": 64, "Reason": "sensor drift"}),
            ]
        finally:
            await node.stop()

    asyncio.run(scenario())


def test_the_sequence_wraps_from_255_to_0_and_a_rebirth_starts_it_again(broker: Broker, listener: Listener):
    tags = [Tag(name="T0", connection="c", node="ns=2;s=T", type="Int32")]
    table = TagTable(["T0"])

    async def scenario() -> None:
        node = EdgeNode(Publish(broker=broker.url, group=GROUP, flush_ms=10_000), "wraps", tags, table)
        await node.start()
        try:
            await wait_for(lambda: node.born, 10, "the birth")
            for value in range(300):
                table.update("T0", Sample(value, Quality.GOOD, 1000.0 + value))
                # paho may hold only so many unwritten messages: the change goes out once it has room
                await wait_for(lambda: node.flush() or node.counters().queue == 0, 10, "the change sent")
            await wait_for(lambda: len(listener.of("DDATA")) == 300, 20, "300 DDATA")
            ask = new_payload(None)
            metric = ask.metrics.add()
            metric.name, metric.datatype, metric.boolean_value = "Node Control/Rebirth", 11, True
            listener.client.publish(f"spBv1.0/{GROUP}/NCMD/wraps", ask.SerializeToString())
            await wait_for(lambda: len(listener.of("NBIRTH")) == 2, 10, "the rebirth")
        finally:
            await node.stop()

    asyncio.run(scenario())
    sent = [m for m in listener.messages if m.topic.split("/")[2] in ("NBIRTH", "DBIRTH", "DDATA")]
    seqs = [Payload.FromString(m.payload).seq for m in sent]
    # NBIRTH 0, DBIRTH 1, DDATA 2..255, 0..45; then NBIRTH 0 and DBIRTH 1 again
    assert seqs[:2] == [0, 1]
    assert seqs[2:302] == [(2 + i) % 256 for i in range(300)]
    assert seqs[302:304] == [0, 1]


def test_publish_is_for_the_headless_engine_and_its_broker_is_checked(tmp_path: Path, capsys):
    root = demo_project(tmp_path, free_port()).root
    assert main(["run", str(root), "--publish", "mqtt://127.0.0.1:1883/site"]) == 2
    assert "--publish is for the headless engine: add --headless" in capsys.readouterr().err
    assert main(["run", str(root), "--headless", "--publish", "tcp://127.0.0.1:1883"]) == 2
    assert (
        "'tcp://127.0.0.1:1883' is not a broker address such as mqtt://127.0.0.1:1883"
        in capsys.readouterr().err
    )


def test_a_broker_that_is_not_there_is_a_lost_connection_with_the_reason(tmp_path: Path):
    port = free_port()
    config = SparkplugConnection(
        kind="sparkplug", broker=f"mqtt://127.0.0.1:{port}", group=GROUP, edge_node=NODE
    )
    tags = [Tag(name="T", connection="site", node="plant/T")]
    table = TagTable(["T"])

    async def scenario() -> None:
        site = SparkplugSource("site", config, tags, table)
        await site.start()
        try:
            await wait_for(lambda: site.status.state is ConnectionState.LOST, 10, "the connection lost")
            assert f"no broker answers at mqtt://127.0.0.1:{port}" in site.status.detail
            assert table.get("T").quality is Quality.BAD
        finally:
            await site.stop()

    asyncio.run(scenario())
