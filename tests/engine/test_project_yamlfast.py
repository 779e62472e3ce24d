"""The quick reading of project files from libyaml's events gives exactly what the careful one gives, or
leaves the file to it: same data, same types, same messages."""

from typing import Any

import pytest
from hypothesis import given

from hmi.cli import DEMO_PROJECT
from hmi.project import yamlfast, yamlread
from tests.engine.test_project_fuzz import CORPUS, FUZZ, ORIGINAL, mutated_text, mutated_value


def quick(text: str) -> Any:
    bounds = (yamlread.INT_MIN, yamlread.INT_MAX)
    return yamlfast.load(text, yamlread.MAX_NODES, yamlread.MAX_DEPTH, bounds, yamlread.INT_TEXT_MAX)


def typed(value: Any) -> Any:
    """The value with every type spelled out: True, 1 and 1.0 are equal in Python, not in a project."""
    if isinstance(value, dict):
        return ("map", [(typed(k), typed(v)) for k, v in value.items()])
    if isinstance(value, list):
        return ("seq", [typed(v) for v in value])
    return (type(value).__name__, value)


def same_as_careful(data: bytes) -> None:
    try:
        text = data.decode("utf-8")
        fast = quick(text)
    except Exception:  # left to the careful reading, which loads() then uses
        return
    assert typed(fast) == typed(yamlread.loads_carefully(text))


@pytest.mark.parametrize("rel", ORIGINAL)
def test_the_demo_files_are_read_quickly_and_the_same(rel: str):
    text = ORIGINAL[rel].decode()
    assert typed(quick(text)) == typed(yamlread.loads_carefully(text))


def test_every_shipped_file_is_read_quickly():
    for path in sorted(DEMO_PROJECT.rglob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        assert typed(quick(text)) == typed(yamlread.loads_carefully(text)), path


ODD = {
    "merge key": "a: {<<: {b: 1}, c: 2}\n",
    "date": "when: 2024-01-02\n",
    "duplicate key": "a: 1\nb: 2\na: 3\n",
    "duplicate key, quoted once": "a: 1\n'a': 2\n",
    "anchor": "a: &x 1\n",
    "alias": "a: &x 1\nb: *x\n",
    "explicit tag": "a: !!str 12\n",
    "non-specific tag": "a: ! 12\n",
    "list as a key": "? [a]\n: 1\n",
    "two documents": "a: 1\n---\nb: 2\n",
    "65-bit integer": f"a: {2**64}\n",
    "long integer text": "a: 0000000000000000000000000000000000001\n",
    "infinite float": "a: .inf\n",
    "overflowing float": "a: 1.0e+999\n",
    "not a number": "a: .nan\n",
    "deep nesting": "a: " + "[" * 70 + "]" * 70 + "\n",
    "value indicator": "a: =\n",
    "binary": "a: !!binary aGk=\n",
    "syntax error": "a: [1, 2\n",
}


@pytest.mark.parametrize("case", ODD, ids=list(ODD))
def test_what_is_not_plain_is_left_to_the_careful_reading(case: str):
    with pytest.raises(Exception):  # noqa: B017 - Unusual or libyaml's own error: either way not read here
        quick(ODD[case])


@pytest.mark.parametrize(
    "text",
    [
        "a: yes\nb: 'yes'\nc: off\nd: ~\ne: null\nf: ''\ng:\n",
        "a: 0x1F\nb: 0o17\nc: 017\nd: 1_000\ne: 1:30\nf: -0\ng: +5\n",
        "a: 1.5\nb: 1e3\nc: 1.0e+3\nd: -.5\ne: 6.8523015e+5\nf: '1.5'\n",
        "a: [1, [2, {b: c}], {}]\nb: {1: one, true: yes, null: x}\n",
        "- 1\n- two\n",
        "plain scalar at the top\n",
        "",
        "# only a comment\n",
    ],
)
def test_plain_yaml_reads_as_the_careful_reading_gives_it(text: str):
    assert typed(quick(text)) == typed(yamlread.loads_carefully(text))


@pytest.mark.parametrize("case", CORPUS, ids=list(CORPUS))
def test_past_crashes_read_the_same(case: str):
    same_as_careful(CORPUS[case][1])


@FUZZ
@given(case=mutated_text())
def test_mutated_text_reads_the_same(case: tuple[str, bytes]):
    same_as_careful(case[1])


@FUZZ
@given(case=mutated_value())
def test_mutated_values_read_the_same(case: tuple[str, bytes]):
    same_as_careful(case[1])
