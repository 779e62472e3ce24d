"""The README's "Extending" examples, run as they are written there: the modules become an installed
package (a dist-info with the entry points of the README's pyproject lines, on sys.path), and a demo
project that uses them, as the README's YAML shows, loads, reads the clock, draws and edits the
symbol and raises the alarm. The README cannot go stale without this test failing."""

from __future__ import annotations

import asyncio
import re
import shutil
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from PySide6.QtWidgets import QComboBox

from hmi.alarms import AlarmEngine, AlarmState
from hmi.alarms.kinds import alarm_kinds
from hmi.cli import DEMO_PROJECT
from hmi.history import HistorianTag
from hmi.project import ProjectFolder, load_project
from hmi.project.symbols import symbols
from hmi.quality import Quality, Sample
from hmi.sources import SourceContext, create_source, kinds
from hmi.storage import kinds as storage_kinds
from hmi.storage import open_storage
from hmi.tags import TagTable
from ui.editor.palette import item_types
from ui.editor.window import EditorWindow
from ui.screens.items import item_class, make_item

from .screen_support import collect_qt_garbage, context, render

pytestmark = pytest.mark.usefixtures(collect_qt_garbage.__name__)

README = Path(__file__).resolve().parents[2] / "README.md"
BLOCK = re.compile(r"```(\w+)\n(.*?)```", re.S)


def blocks() -> list[tuple[str, str]]:
    """(language, text) of every code block of the README's Extending section."""
    text = README.read_text(encoding="utf-8")
    section = text[text.index("## Extending\n") :]
    section = section[: section.index("\n## ", 1)]
    return BLOCK.findall(section)


def named(language: str) -> dict[str, str]:
    """The blocks of one language by the file their first line names (`# my_plugins/clock.py`)."""
    found = {}
    for lang, text in blocks():
        if lang == language:
            first, _, rest = text.partition("\n")
            found[first.removeprefix("# ").strip()] = rest
    return found


def clear_registries() -> None:
    for registry in (kinds, storage_kinds, symbols, alarm_kinds, item_class):
        registry.cache_clear()


@pytest.fixture
def installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The README's modules installed as the package `my_plugins`, registered by its entry points."""
    site = tmp_path / "site"
    for rel, code in named("python").items():
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_text(code, encoding="utf-8")
    (site / "my_plugins" / "__init__.py").write_text("", encoding="utf-8")
    groups = tomllib.loads(next(text for lang, text in blocks() if lang == "toml"))["project"]["entry-points"]
    info = site / "my_plugins-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: my_plugins\nVersion: 0.1\n", encoding="utf-8"
    )
    (info / "entry_points.txt").write_text(
        "".join(
            f"[{group}]\n" + "".join(f"{name} = {value}\n" for name, value in entries.items())
            for group, entries in groups.items()
        ),
        encoding="utf-8",
    )
    monkeypatch.syspath_prepend(str(site))
    clear_registries()
    yield site
    for module in [m for m in sys.modules if m == "my_plugins" or m.startswith("my_plugins.")]:
        del sys.modules[module]
    monkeypatch.undo()
    clear_registries()


@pytest.fixture
def folder(installed: Path, tmp_path: Path) -> ProjectFolder:
    """The demo project with the README's project.yaml and screen lines added."""
    root = tmp_path / "demo"
    shutil.copytree(DEMO_PROJECT, root)
    examples = {rel: yaml.safe_load(text) for rel, text in named("yaml").items()}
    project = yaml.safe_load((root / "project.yaml").read_text(encoding="utf-8"))
    project["connections"].update(examples["project.yaml"]["connections"])
    project["tags"] += examples["project.yaml"]["tags"]
    project["storage"] = {**examples["project.yaml"]["storage"], "folder": str(tmp_path / "history-disk")}
    (root / "project.yaml").write_text(yaml.safe_dump(project, sort_keys=False), encoding="utf-8")
    screen = yaml.safe_load((root / "screens" / "overview.yaml").read_text(encoding="utf-8"))
    screen["items"] += examples["screens/overview.yaml"]["items"]
    (root / "screens" / "overview.yaml").write_text(yaml.safe_dump(screen, sort_keys=False), encoding="utf-8")
    return load_project(root)


def test_the_data_source_example_reads_the_clock(folder: ProjectFolder):
    config = folder.project.connections["station"]
    tags = [t for t in folder.project.tags if t.connection == "station"]
    table = TagTable([t.name for t in tags])

    async def run() -> None:
        source = create_source("station", config, tags, SourceContext(table))
        await source.start()
        try:
            async with asyncio.timeout(10):
                while table.get("Station.Epoch").quality is not Quality.GOOD:
                    await asyncio.sleep(0.05)
        finally:
            await source.stop()

    asyncio.run(run())
    assert table.get("Station.Epoch").value > 1.7e9


def test_the_storage_example_keeps_history_journal_and_audit_on_the_named_disk(
    folder: ProjectFolder, tmp_path: Path
):
    storage = open_storage(folder)
    writer = storage.history_writer([HistorianTag("Station.Epoch")], folder.project.history)
    writer.start()
    writer.record("Station.Epoch", Sample(1234.0, Quality.GOOD, 1_700_000_000.0))
    writer.close()
    with storage.history_reader() as reader:
        assert reader.raw("Station.Epoch", 0, 2e9) == [(1_700_000_000.0, 1234.0, Quality.GOOD)]
    audit = storage.audit()
    audit.record("anna", "login")
    audit.close()
    disk = tmp_path / "history-disk" / folder.name
    assert sorted(p.name for p in disk.glob("*.sqlite")) == ["audit.sqlite", "history.sqlite"]


def test_the_alarm_kind_example_raises_on_a_value_that_stopped_changing(folder: ProjectFolder):
    tag = folder.tags["Station.Epoch"]
    table = TagTable(["Station.Epoch"])
    engine = AlarmEngine({tag.name: tag.alarms})
    engine.attach(table)
    table.update(tag.name, Sample(1000.0, Quality.GOOD, 100.0))
    engine.tick(104.0)
    assert not engine.alarm("Station.Epoch.FROZEN").active
    engine.tick(106.0)
    alarm = engine.alarm("Station.Epoch.FROZEN")
    assert (
        alarm.active and alarm.state is AlarmState.UNACK_ACTIVE and alarm.message == "Station clock stopped"
    )
    table.update(tag.name, Sample(1006.0, Quality.GOOD, 106.5))
    assert not engine.alarm("Station.Epoch.FROZEN").active
    assert alarm_kinds()["frozen"].short == "FRZ"


def test_the_symbol_example_draws_and_is_edited_in_the_inspector(qtbot, folder: ProjectFolder):
    index, model = next(
        (i, m) for i, m in enumerate(folder.screens["overview"].items) if m.type == "flowmeter"
    )
    table = TagTable(folder.tags)
    table.update("Station.Epoch", Sample(1234.0, Quality.GOOD, 1.0))
    item = make_item(model, context(folder, table))
    item.refresh()
    assert type(item).__name__ == "FlowmeterItem" and item.formatted() == "1234" and not item.bad
    assert not render(item).isNull()
    assert "flowmeter" in item_types()

    editor = EditorWindow(folder)
    qtbot.addWidget(editor)
    editor.show()
    try:
        editor.canvas.open("screen", "overview")
        editor.canvas.select([index])
        direction = editor.inspector.fields["direction"]
        assert isinstance(direction, QComboBox) and direction.currentText() == "left"
        assert [direction.itemText(i) for i in range(direction.count())] == ["right", "left"]
        assert "bind.value" in editor.inspector.fields and "format" in editor.inspector.fields
        direction.setCurrentText("right")
        assert editor.canvas.model_items()[index].direction == "right"
    finally:
        editor.document.undo.setClean()
        editor.close()
