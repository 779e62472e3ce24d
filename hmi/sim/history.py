"""A period of the demo plant simulated into a project's history file and alarm journal, as the running
engine would have written them: for benchmarks over history and for the README's screenshots."""

from __future__ import annotations

from ..alarms import AlarmEngine
from ..alarms.journal import AlarmJournal
from ..history import Historian
from ..paths import history_db
from ..project import ProjectFolder
from ..quality import Quality, Sample
from ..runtime import historian_tag
from ..tags import TagTable
from .plant import Plant

FLUSH_EVERY_S = 600
EVENTS = (
    (0.30, "P101.Auto", False),
    (0.30, "P101.Cmd", False),
    (0.42, "P101.Cmd", True),
    (0.42, "P101.Auto", True),
)
"""(fraction of the period, tag, value): P-101 stopped by hand for a while, then back in auto."""
ACK_AFTER_S = 300


def simulate_history(folder: ProjectFolder, hours: float, end: float) -> int:
    """Simulate the plant over the `hours` before `end` into the project's history file and alarm journal;
    returns the samples offered to the historian."""
    project = folder.project
    path = history_db(folder.root, project.name)
    plant = Plant(seed=7)
    table = TagTable(folder.tags)
    historian = Historian(path, [historian_tag(t) for t in project.tags], project.history)
    journal = AlarmJournal(path)
    engine = AlarmEngine({t.name: t.alarms for t in project.tags}, project.alarm_settings, journal)
    historian.start()
    table.subscribe(historian.record)
    engine.attach(table)
    seconds = int(hours * 3600)
    start = end - seconds
    events = sorted(((start + f * seconds, tag, value) for f, tag, value in EVENTS), key=lambda e: e[0])
    offered = 0
    for s in range(seconds):
        t = start + s
        while events and events[0][0] <= t:
            _, tag, value = events.pop(0)
            plant.write(tag, value)
        plant.step(1.0)
        for name, value in plant.values().items():
            if name in table:
                table.update(name, Sample(value, Quality.GOOD, t))
                offered += 1
        engine.tick(t)
        for alarm in engine.alarms():
            if alarm.blinking and (alarm.changed_at or t) <= t - ACK_AFTER_S:
                engine.acknowledge([alarm.id], "anna", now=t)
        if s % FLUSH_EVERY_S == 0:
            historian.flush()
    historian.flush()
    historian.close()
    journal.close()
    return offered
