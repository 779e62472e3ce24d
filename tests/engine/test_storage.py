"""The storage port: a project chooses where history, journal and audit live with `storage:`; left
out, everything stays in the SQLite files of the user's data dir, and the project file is unchanged."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pydantic import ValidationError

from hmi.cli import DEMO_PROJECT
from hmi.history import HistorianTag, SqliteHistoryReader
from hmi.history.errors import NoHistory
from hmi.paths import audit_db, history_db
from hmi.project import load_project
from hmi.project.io import save_project
from hmi.project.model import Project
from hmi.quality import Quality, Sample
from hmi.storage import SqliteConfig, kinds, open_storage
from hmi.storage.sqlite import SqliteStorage


def test_a_project_without_storage_keeps_its_sqlite_files_and_its_text(tmp_path: Path):
    root = tmp_path / "demo"
    shutil.copytree(DEMO_PROJECT, root)
    before = (root / "project.yaml").read_bytes()
    folder = load_project(root)
    assert folder.project.storage == SqliteConfig()
    save_project(folder)
    assert (root / "project.yaml").read_bytes() == before
    storage = open_storage(folder)
    assert isinstance(storage, SqliteStorage)
    assert storage.history_path == history_db(root, folder.name)
    assert storage.audit_path == audit_db(root, folder.name)


def test_every_bundled_kind_is_registered_through_its_entry_point():
    assert {"sqlite", "postgresql"} <= set(kinds())


def test_an_unknown_storage_kind_is_named_with_the_known_ones():
    with pytest.raises(ValidationError, match="unknown kind 'oracle': one of sqlite, postgresql"):
        Project.model_validate(
            {"name": "x", "start_screen": "a", "connections": {}, "storage": {"kind": "oracle"}}
        )


def test_readers_and_writers_come_from_the_storage(tmp_path: Path):
    storage = SqliteStorage(tmp_path / "history.sqlite")
    with pytest.raises(NoHistory):
        storage.history_reader()
    writer = storage.history_writer([HistorianTag("TK.Level")], load_project(DEMO_PROJECT).project.history)
    writer.start()
    writer.record("TK.Level", Sample(1.5, Quality.GOOD, 1_700_000_000.0))
    writer.close()
    with storage.history_reader() as reader:
        assert isinstance(reader, SqliteHistoryReader)
        assert reader.raw("TK.Level", 0, 2e9) == [(1_700_000_000.0, 1.5, Quality.GOOD)]
    assert storage.history_stats().rows == 1


def test_a_postgresql_storage_block_loads_and_saves_as_written(tmp_path: Path):
    root = tmp_path / "site"
    shutil.copytree(DEMO_PROJECT, root)
    block = "storage:\n  kind: postgresql\n  dsn: host=db1 dbname=plant user=hmi\n  role: viewer\n"
    text = (root / "project.yaml").read_text(encoding="utf-8")
    (root / "project.yaml").write_text(text + block, encoding="utf-8")
    before = (root / "project.yaml").read_bytes()
    folder = load_project(root)
    assert folder.project.storage.kind == "postgresql"
    save_project(folder)
    assert (root / "project.yaml").read_bytes() == before


def test_a_bad_storage_block_is_named_by_its_field(tmp_path: Path):
    with pytest.raises(ValidationError, match="role"):
        Project.model_validate(
            {
                "name": "x",
                "start_screen": "a",
                "connections": {},
                "storage": {"kind": "postgresql", "dsn": "host=a", "role": "boss"},
            }
        )
