"""Expressions cannot hang or exhaust the station: bounded when read (named by `hmi check`) and while run."""

import shutil
import time
from pathlib import Path

import pytest

from hmi.cli import DEMO_PROJECT, main
from hmi.expr import MAX_LENGTH, Expression, ExpressionError

TAGS = {"A": 99_999, "TK101.Level": 50.0}


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("9**9**9", "9 ** 387420489 is too large a number"),
        ("TK101.Level + 3999999**3999999", "3999999 ** 3999999 is too large a number"),
        ("TK101.Level > 1 << 100000", "a number of more than 1024 bits"),
        ("'x' * 100000", "a text of more than 10,000 characters"),
        ("1/0", "division by zero"),
        ("x" * (MAX_LENGTH + 1), f"an expression of {MAX_LENGTH + 1:,} characters"),
        ("-" * 150 + "A", "nested more than 100 levels deep"),
        (f"max({', '.join(['A'] * 200)})", "more than 300 parts"),
        ("lambda: 1", "lambda is not allowed"),
        ("f'{A:999999999}'", "an f-string is not allowed"),
    ],
)
def test_what_can_never_work_is_refused_when_read(text: str, reason: str):
    started = time.monotonic()
    with pytest.raises(ExpressionError) as err:
        Expression(text)
    assert reason in str(err.value)
    assert time.monotonic() - started < 1


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("A ** A", "99999 ** 99999 is too large a number"),
        ("str(A) * A", "a text of more than 10,000 characters"),
        ("A << A", "a number of more than 1024 bits"),
        ("round(TK101.Level, -A)", "round to at most 100 digits"),
        ("int(A) * 2**1000 * 2**1000", "a number of more than 1024 bits"),
    ],
)
def test_what_depends_on_tag_values_is_bounded_while_it_runs(text: str, reason: str):
    expr = Expression(text)  # fine for small values
    started = time.monotonic()
    with pytest.raises(ExpressionError) as err:
        expr.evaluate(TAGS)
    assert reason in str(err.value)
    assert time.monotonic() - started < 1


def test_ordinary_expressions_still_work():
    assert Expression("round(max(TK101.Level, 0) * 2 ** 10, 1)").evaluate(TAGS) == 51200
    assert Expression("'HIGH' if TK101.Level > 40 else 'ok'").evaluate(TAGS) == "HIGH"


def test_hmi_check_names_the_binding(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    root = tmp_path / "demo"
    shutil.copytree(DEMO_PROJECT, root)
    path = root / "screens" / "overview.yaml"
    path.write_text(path.read_text().replace("bind: {level: TK101.Level}", "bind: {level: 9**9**9}", 1))
    assert main(["check", str(root)]) == 1
    out = capsys.readouterr().out
    assert (
        "screens/overview.yaml: items[9].bind.level: cannot evaluate '9**9**9': 9 ** 387420489 is too large "
        "a number"
    ) in out
