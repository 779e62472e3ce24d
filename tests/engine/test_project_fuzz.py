"""Mutated projects through the loader: every one gives problems to show or a project, never a traceback
or a hang. Past crashes are kept below as regression cases."""

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hmi.cli import DEMO_PROJECT
from hmi.project import save_project, yamlfmt
from hmi.project.io import check_project

# A small project keeps each example quick: the whole project.yaml, one screen, its templates, with the
# links to the other screens pointing at the one there is.
FILES = ["project.yaml", "screens/robot.yaml", "templates/joint_panel.yaml", "templates/joint_health.yaml"]
ORIGINAL = {
    rel: (DEMO_PROJECT / rel)
    .read_bytes()
    .replace(b"start_screen: overview", b"start_screen: robot")
    .replace(b"navigate: overview", b"navigate: robot")
    .replace(b"navigate: pumps", b"navigate: robot")
    for rel in FILES
}
TOKENS = [
    b"&a ", b"*a", b"<<: *a", b": ", b"- ", b"[", b"]", b"{", b"}", b"? ", b"|", b">", b"'", b'"', b"#",
    b"\n", b"\n  ", b"\t", b"---\n", b"...\n", b"%YAML 1.1\n", b"!!python/object/apply:os.system ['true'] ",
    b"!!binary ", b"!!set ", b"!!timestamp ", b".nan", b"-.inf", b"1e999", b"1.0e+999", b"~", b"null",
    b"9" * 30, b"0x" + b"f" * 20, b"1:2:3:4:5", b"\xff", b"\xc3", b"\x00", b"\xef\xbb\xbf", b"\r\n",
]  # fmt: skip
PARSED = {rel: yamlfmt.loads(data.decode()) for rel, data in ORIGINAL.items()}
Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
SEPARATORS = [b"\n", b" ", b":", b",", b"[", b"{"]


@st.composite
def mutated_text(draw: st.DrawFn) -> tuple[str, bytes]:
    """One file of the project with a few edits of its bytes: insert, delete, replace, repeat a line."""
    rel = draw(st.sampled_from(FILES))
    data = bytearray(ORIGINAL[rel])
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data)))
        kind = draw(st.sampled_from(["token", "delete", "byte", "line", "cut"]))
        if kind == "token":
            data[at:at] = draw(st.sampled_from(TOKENS))
        elif kind == "delete":
            del data[at : at + draw(st.integers(1, 40))]
        elif kind == "byte":
            data[at : at + 1] = bytes([draw(st.integers(0, 255))])
        elif kind == "line":
            start = data.rfind(b"\n", 0, at) + 1
            end = data.find(b"\n", at) + 1 or len(data)
            data[start:start] = data[start:end] * draw(st.integers(1, 3))
        else:
            separator = draw(st.sampled_from(SEPARATORS))
            data = data[: data.find(separator, at) + 1 or len(data)]
    return rel, bytes(data)


SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=30)
    | st.sampled_from(["TK101.Level", "9**9**9", "../outside.svg", "/etc/passwd", "A.__class__", ""])
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12,
)


def _paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path]
    if isinstance(value, dict):
        found += [p for k, v in value.items() for p in _paths(v, (*path, k))]
    elif isinstance(value, list):
        found += [p for i, v in enumerate(value) for p in _paths(v, (*path, i))]
    return found


@st.composite
def mutated_value(draw: st.DrawFn) -> tuple[str, bytes]:
    """One file with one value anywhere in it replaced by another of any shape."""
    rel = draw(st.sampled_from(FILES))
    data = copy.deepcopy(PARSED[rel])
    path = draw(st.sampled_from(_paths(data)[1:]))
    parent = data
    for part in path[:-1]:
        parent = parent[part]
    parent[path[-1]] = draw(VALUES)
    return rel, yaml.dump(data, Dumper=Dumper, allow_unicode=True).encode()


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("fuzz") / "project"
    for rel, data in ORIGINAL.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)
    return root


def load_cleanly(root: Path, rel: str, data: bytes) -> None:
    """The loader either lists problems (strings naming a file) or gives a project that saves unchanged."""
    (root / rel).write_bytes(data)
    try:
        folder, problems = check_project(root)
        assert all(isinstance(p, str) and p for p in problems)
        if folder is not None and not problems:
            assert save_project(folder) == []
    finally:
        (root / rel).write_bytes(ORIGINAL[rel])


FUZZ = settings(
    max_examples=1000,
    deadline=5000,  # a hang is a failure, at 5 s
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,  # CI runs the same examples every time; a new seed is a developer's choice
    database=None,
)


@FUZZ
@given(case=mutated_text())
def test_mutated_text_never_crashes_the_loader(project: Path, case: tuple[str, bytes]):
    load_cleanly(project, *case)


@FUZZ
@given(case=mutated_value())
def test_mutated_values_never_crash_the_loader(project: Path, case: tuple[str, bytes]):
    load_cleanly(project, *case)


CORPUS = {
    "recursive alias": ("screens/robot.yaml", b"title: x\nitems: &a [*a]\n"),
    "billion laughs": (
        "screens/robot.yaml",  # each line nine times the one before
        b"".join(b"l%d: &l%d [%s]\n" % (i, i, b", ".join([b"*l%d" % (i - 1)] * 9)) for i in range(1, 9))
        + b"l0: &l0 x\ntitle: x\n",
    ),
    "5,000-digit integer": ("screens/robot.yaml", b"title: x\nsize: [" + b"9" * 5000 + b", 1]\n"),
    "not UTF-8": ("screens/robot.yaml", b"title: Pumpen \xfc\n"),
    "deep nesting": ("screens/robot.yaml", b"title: x\nitems: " + b"[" * 5000 + b"]" * 5000 + b"\n"),
    "python object tag": ("screens/robot.yaml", b"title: !!python/object/apply:os.system ['true']\n"),
    "timestamp tag on a name": ("project.yaml", b"!!timestamp name: Demo Plant\nstart_screen: robot\n"),
    "binding that exhausts memory": (
        "screens/robot.yaml",
        b"title: x\nitems:\n  - {type: value, at: [0, 0], bind: {value: 3999999**3999999}}\n",
    ),
}


@pytest.mark.parametrize("case", CORPUS, ids=list(CORPUS))
def test_past_crashes_stay_fixed(project: Path, case: str):
    load_cleanly(project, *CORPUS[case])


def test_the_fuzzed_project_is_valid_to_start_from(project: Path):
    folder, problems = check_project(project)
    assert folder is not None
    assert problems == []
