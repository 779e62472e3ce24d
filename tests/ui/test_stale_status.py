"""The main window against a node-opcua server that goes silent: values drawn Bad with the reason,
the status bar counting the seconds without updates, and both back once the server talks again."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from hmi.quality import STALE
from hmi.runtime import Runtime
from tests.interop.servers import NodePlant, plant_project
from tests.support import free_port, wait_for
from ui.main_window import MainWindow
from ui.screens.items import ValueItem

pytestmark = pytest.mark.usefixtures("node_opcua")


def test_a_silent_server_shows_no_updates_for_n_seconds_and_recovers(qtbot, loop, tmp_path: Path):
    async def scenario():
        with NodePlant(free_port(), tmp_path / "pki") as plant:
            # asyncua's own probe slowed down: the keep-alive watch alone must see the silence.
            project = plant_project(tmp_path / "project", plant.endpoint, watchdog_s=30)
            runtime = Runtime(project, start_simulator=False)
            window = MainWindow(runtime)
            qtbot.addWidget(window)
            window.show()
            await runtime.start()
            try:
                counter = next(i for i in window.view.items_ if isinstance(i, ValueItem))
                label = window.connection_labels["plant"]
                await wait_for(lambda: counter.text() != "----" and not counter.bad, what="the counter shown")
                plant.pause()
                await wait_for(lambda: counter.bad, timeout=4, what="the counter drawn Bad")
                assert STALE in counter.toolTip()
                counted = re.compile(r"^plant: no updates for (\d+) s$")
                await wait_for(lambda: counted.match(label.text()) is not None, 5, "the seconds counted")
                first = int(counted.match(label.text()).group(1))
                assert 2 <= first <= 4  # the silence is noticed after about twice the 1 s keep-alive
                await wait_for(lambda: label.text() == f"plant: no updates for {first + 1} s", 3, "one more")
                assert label.objectName() == "ConnectionLost"
                plant.resume()
                shown = counter.text()
                await wait_for(lambda: not counter.bad and counter.text() != shown, 10, "values again")
                await wait_for(
                    lambda: label.text() == "plant: connected", 2, "the status bar saying connected"
                )

                window.show_connections()
                fields = window.connections_dialog.fields["plant"]
                assert fields["endpoint"].text() == plant.endpoint
                assert fields["error"].text() == "none"  # a silence is not a lost connection
                # The plant's Counter and Level change 10 times a second each.
                await wait_for(
                    lambda: fields["rate"].text().isdigit() and int(fields["rate"].text()) >= 10, 5, "rate"
                )
                assert int(fields["changes"].text()) > 20 and fields["stale"].text().startswith("2.0 s")
                # node-opcua stamps each change as it sends it; on one machine that is a few ms away.
                latency = re.fullmatch(r"(\d+) ms median, server stamp to arrival", fields["latency"].text())
                assert latency is not None and int(latency.group(1)) < 500, fields["latency"].text()
            finally:
                plant.resume()
                await runtime.stop()
                window.close()

    loop.run_until_complete(scenario())
