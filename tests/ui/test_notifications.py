"""The notification area: engine warnings from any thread show in the status bar, without a dialog."""

from __future__ import annotations

import logging
import threading

from PySide6.QtWidgets import QStatusBar

from ui.notifications import NotificationArea


def test_engine_warnings_appear_count_up_and_dismiss(qtbot):
    bar = QStatusBar()
    qtbot.addWidget(bar)
    area = NotificationArea()
    bar.addWidget(area)
    bar.show()
    try:
        assert not area.isVisible()  # nothing to say: no widget in the status bar
        worker = threading.Thread(
            target=lambda: logging.getLogger("hmi.opcua.connection").warning("plant: lost (%s)", "timeout")
        )
        worker.start()
        worker.join()
        logging.getLogger("hmi.history").info("not shown: below WARNING")
        logging.getLogger("asyncua.client").error("not shown: not the engine")
        qtbot.waitUntil(lambda: len(area.notices) == 1, timeout=5000)
        assert area.isVisible()
        assert "plant: lost (timeout)" in area.latest.text()
        assert area.button.text() == "⚠ 1 message(s)"

        logging.getLogger("hmi.opcua.connection").warning("plant: lost (%s)", "timeout")
        logging.getLogger("hmi.alarms").error("journal full")
        qtbot.waitUntil(lambda: len(area.notices) == 2, timeout=5000)
        assert area.notices[1].count == 2  # a repeat counts up instead of adding a row
        assert "journal full" in area.latest.text()

        area.toggle_list()
        assert area.popup.isVisible() and area.popup.list.count() == 2
        area.popup.list.setCurrentRow(0)
        area.popup._dismiss_selected()
        assert [n.text for n in area.notices] == ["plant: lost (timeout)"]
        area.dismiss_all()
        assert not area.isVisible()
    finally:
        area.close_handler()
    logging.getLogger("hmi").warning("after close")
    qtbot.wait(50)
    assert area.notices == []
