"""The notification area: engine warnings from any thread show in the status bar, without a dialog."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from PySide6.QtWidgets import QStatusBar

from hmi.notices import OPERATOR
from hmi.quality import Quality
from hmi.runtime import Runtime
from hmi.sim.server import SimulatorServer
from tests.support import demo_project, free_port, wait_for
from ui.main_window import MainWindow
from ui.notifications import NotificationArea


def test_engine_warnings_appear_count_up_and_dismiss(qtbot):
    bar = QStatusBar()
    qtbot.addWidget(bar)
    area = NotificationArea()
    bar.addWidget(area)
    bar.show()
    try:
        assert not area.isVisible()  # nothing to say: no widget in the status bar
        connection = logging.getLogger("hmi.opcua.connection")
        worker = threading.Thread(
            target=lambda: connection.warning("plant: lost (%s)", "timeout", extra=OPERATOR)
        )
        worker.start()
        worker.join()
        logging.getLogger("hmi.history").info("not shown: below WARNING", extra=OPERATOR)
        logging.getLogger("asyncua.client").error("not shown: not the engine", extra=OPERATOR)
        logging.getLogger("hmi.history").warning("not shown: a diagnostic for the log, not for the operator")
        qtbot.waitUntil(lambda: len(area.notices) == 1, timeout=5000)
        assert area.isVisible()
        assert "plant: lost (timeout)" in area.latest.line
        assert area.button.text() == "⚠ 1 message(s)"

        connection.warning("plant: lost (%s)", "timeout", extra=OPERATOR)
        logging.getLogger("hmi.alarms").error("journal full", extra=OPERATOR)
        qtbot.waitUntil(lambda: len(area.notices) == 2, timeout=5000)
        assert area.notices[1].count == 2  # a repeat counts up instead of adding a row
        assert "journal full" in area.latest.line

        area.toggle_list()
        assert area.popup.isVisible() and area.popup.list.count() == 2
        area.popup.list.setCurrentRow(0)
        area.popup._dismiss_selected()
        assert [n.text for n in area.notices] == ["plant: lost (timeout)"]
        area.dismiss_all()
        assert not area.isVisible()
    finally:
        area.close_handler()
    logging.getLogger("hmi").warning("after close", extra=OPERATOR)
    qtbot.wait(50)
    assert area.notices == []


def test_a_long_message_is_cut_after_a_word_and_told_whole_in_the_tooltip(qtbot):
    bar = QStatusBar()
    qtbot.addWidget(bar)
    area = NotificationArea()
    bar.addWidget(area)
    bar.resize(900, 30)
    bar.show()
    try:
        text = (
            "alarm journal /var/lib/openhmi/demo/alarms.sqlite: 12 rows lost after 5 attempts: "
            + "disk full " * 8
        )
        logging.getLogger("hmi.alarms.journal").error(text.strip(), extra=OPERATOR)
        qtbot.waitUntil(lambda: bool(area.notices) and area.latest.width() > 300, timeout=5000)
        shown = area.latest.text()
        assert shown.endswith(" …"), "cut with an ellipsis"
        assert area.latest.fontMetrics().horizontalAdvance(shown) <= area.latest.width()
        assert shown[:-2].rsplit(" ", 1)[-1] in text.split(), "the last word shown is a whole word"
        assert area.latest.toolTip() == text.strip()
    finally:
        area.close_handler()


def test_a_server_restart_tells_the_operator_only_about_the_connection(qtbot, loop, tmp_path: Path, caplog):
    """A tag whose node the server lacks is drawn Bad with the reason and logged for the engineer; after a
    restart of the server the operator's notification area holds the connections' messages, nothing else."""
    port = free_port()

    async def scenario():
        sim = SimulatorServer(port=port)
        await sim.start()
        folder = demo_project(tmp_path, port)
        missing = folder.tags["TK101.Level"]
        missing.node = "ns=2;s=TK101.NoSuchNode"
        runtime = Runtime(folder, start_simulator=False)
        window = MainWindow(runtime)
        qtbot.addWidget(window)
        await runtime.start()
        flow = "FIC101.PV"
        try:
            await wait_for(lambda: runtime.table.get(flow).quality is Quality.GOOD, what="connected")
            await sim.stop()
            await wait_for(lambda: runtime.table.get(flow).quality is Quality.BAD, what="the loss seen")
            sim2 = SimulatorServer(port=port)
            await sim2.start()
            try:
                await wait_for(lambda: runtime.table.get(flow).quality is Quality.GOOD, 20, "values again")
                await wait_for(lambda: "NoSuchNode" in caplog.text, what="the missing node in the log")
                assert runtime.table.get(missing.name).quality is Quality.BAD
                shown = [notice.text for notice in window.notifications.notices]
                assert shown and all(text.split(": ")[0] in runtime.connections for text in shown), shown
                assert not any(missing.name in text for text in shown), shown
            finally:
                await sim2.stop()
        finally:
            await runtime.stop()
            window.close()

    with caplog.at_level(logging.WARNING, logger="hmi"):
        loop.run_until_complete(scenario())
