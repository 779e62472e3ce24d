"""Screen items are read as the model of their symbol: a type no symbol has, or a field another
symbol's, is an error naming the file and the field, and the rest of the project still loads."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from hmi.cli import DEMO_PROJECT
from hmi.project.io import check_project
from hmi.project.model import Item
from hmi.project.symbols import Bar, parse_item, symbols


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    shutil.copytree(DEMO_PROJECT, tmp_path / "demo")
    return tmp_path / "demo"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_an_unknown_symbol_type_names_file_item_and_field(demo: Path):
    edit(demo / "screens" / "overview.yaml", "  - type: tank\n", "  - type: tnak\n")
    folder, problems = check_project(demo)
    index = next(i for i, line in enumerate(_items(demo / "screens" / "overview.yaml")) if "tnak" in line)
    known = ", ".join(symbols())
    assert (
        problems[0]
        == f"screens/overview.yaml: items[{index}].type: unknown symbol type 'tnak': one of {known}"
    )
    assert folder is not None and "overview" not in folder.screens and "pumps" in folder.screens


def test_a_field_of_another_symbol_is_an_unknown_field(demo: Path):
    edit(
        demo / "screens" / "overview.yaml",
        "  - type: tank\n",
        "  - type: tank\n    orientation: horizontal\n",
    )
    _, problems = check_project(demo)
    index = next(i for i, line in enumerate(_items(demo / "screens" / "overview.yaml")) if "tank" in line)
    assert problems[0] == f"screens/overview.yaml: items[{index}].orientation: unknown field"


def test_each_item_is_its_symbols_model_and_saves_as_it_was_read():
    data = {"type": "bar", "at": [10.0, 20.0], "bind": {"value": "TK101.Level"}, "orientation": "horizontal"}
    bar = parse_item(data)
    assert isinstance(bar, Bar) and bar.orientation == "horizontal"
    assert bar.model_dump(mode="json", exclude_defaults=True) == data
    with pytest.raises(ValueError, match="a bar item is a Bar, not a Item"):
        Item(type="bar", at=(0, 0))  # made in code with the common model: said, not half-made


def _items(path: Path) -> list[str]:
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("  - type:")]
