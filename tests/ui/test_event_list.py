"""The event list over a real journal file and the runtime's event feed: the journal's history when it
opens, live events on top, filters by text and priority, and never an event twice."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from hmi.alarms import AlarmJournal, Priority
from hmi.alarms.server_events import EventFeed, ServerEvent
from hmi.opcua.conditions import priority
from hmi.runtime import Runtime
from tests.interop.servers import NodePlant, plant_project
from tests.support import free_port, wait_for
from ui.alarms.events_view import EventList
from ui.main_window import MainWindow
from ui.settings import Settings


def event(ago: float, source: str, severity: int, message: str, now: float) -> ServerEvent:
    return ServerEvent(
        now - ago, "plant", source, severity, priority(severity).value, message, "SystemEventType"
    )


def column(window: EventList, name: str) -> list[str]:
    model = window.model
    at = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())].index(name)
    return [model.data(model.index(r, at)) for r in range(model.rowCount())]


def test_history_then_live_events_newest_first_filtered(qtbot, loop, tmp_path: Path):
    now = time.time()
    with AlarmJournal(tmp_path / "history.sqlite") as journal:
        feed = EventFeed(journal)
        feed.record_event(event(3 * 86400, "Boiler", 100, "Too old for the list", now))
        feed.record_event(event(600, "Boiler", 100, "Burner started", now))
        feed.record_event(event(300, "Pump7", 700, "Motor overload trip", now))
        assert journal.flush()
        window = EventList(journal, feed)
        qtbot.addWidget(window)
        window.show()
        loop.run_until_complete(wait_for(lambda: window.model.rowCount() == 2, 5, "the journal's events"))
        assert column(window, "Message") == ["Motor overload trip", "Burner started"]
        assert column(window, "Pri") == ["2", "4"]
        assert column(window, "Severity") == ["700", "100"]
        assert "2 event" in window.count.text()

        feed.record_event(event(0, "Dryer", 850, "Filter clogged", time.time()))  # not yet journaled
        loop.run_until_complete(wait_for(lambda: window.model.rowCount() == 3, 5, "the live event"))
        assert column(window, "Source") == ["Dryer", "Pump7", "Boiler"]
        assert column(window, "Event type")[0] == "SystemEventType"

        window.text.setText("pump")
        loop.run_until_complete(wait_for(lambda: column(window, "Source") == ["Pump7"], 5, "text filter"))
        window.text.setText("")
        window.priorities[Priority.LOW].setChecked(False)
        loop.run_until_complete(
            wait_for(lambda: column(window, "Source") == ["Dryer", "Pump7"], 5, "priority filter")
        )  # the live event once, though it is in the journal by now as well
        feed.record_event(event(0, "Boiler", 50, "Burner stopped", time.time()))
        feed.record_event(event(0, "Pump7", 999, "Motor stalled", time.time()))
        loop.run_until_complete(wait_for(lambda: window.model.rowCount() == 3, 5, "the critical one only"))
        assert column(window, "Message")[0] == "Motor stalled"
        window.close()


@pytest.mark.usefixtures("node_opcua")
def test_an_event_of_node_opcua_reaches_the_list_opened_from_the_alarms_menu(qtbot, loop, tmp_path: Path):
    async def scenario():
        with NodePlant(free_port(), tmp_path / "pki") as plant:
            folder = plant_project(tmp_path / "project", plant.endpoint, conditions=True, events=True)
            runtime = Runtime(folder, start_simulator=False)
            window = MainWindow(runtime, Settings.open(tmp_path / "s.ini"))
            qtbot.addWidget(window)
            window.show()
            await runtime.start()
            try:
                events = runtime.connections["plant"].events
                await wait_for(lambda: events is not None and events.listening, 10, "the event item")
                (action,) = [a for a in window.menuBar().actions() if a.text() == "&Alarms"]
                (server_events,) = [a for a in action.menu().actions() if a.shortcut().toString() == "F5"]
                assert server_events.text() == "Server &events"
                server_events.trigger()
                listed = window.event_list
                assert listed is not None and listed.isVisible()
                plant.raise_event("Pump7", 700, "Motor overload trip")
                await wait_for(lambda: listed.model.rowCount() == 1, 10, "the event listed")
                assert column(listed, "Source") == ["Pump7"]
                assert column(listed, "Connection") == ["plant"]
            finally:
                await runtime.stop()
                window.close()

    loop.run_until_complete(scenario())
