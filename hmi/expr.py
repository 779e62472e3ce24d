"""Safe expressions over tags for bindings and conditions (RULE 2: never Python's eval).

Tag names contain dots (`TK101.Level`), which Python reads as attribute access; the parsed tree is
rewritten so a dotted chain is one name, then evaluated by simpleeval with a fixed set of functions.

An expression is bounded so that none can hang or exhaust the station: its length, size and nesting
when it is read, and every intermediate value while it runs (no `9**9**9`, no megabyte strings).
With no loops in the language, that bounds its evaluation time too. The parts that read no tag are
computed once when the expression is read, so `hmi check` names a part that can never work.
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable, Mapping
from typing import Any

from simpleeval import DEFAULT_OPERATORS, SimpleEval

from .errors import HmiError

MAX_LENGTH = 1000
"""Characters of one expression: a binding is a line, not a program."""
MAX_NODES = 300
MAX_DEPTH = 100
MAX_BITS = 1024
"""Bits of an intermediate integer: any tag value fits in 64, so this is room enough and still cheap."""
MAX_TEXT = 10_000
"""Characters of an intermediate string."""
MAX_ROUND_DIGITS = 100
NOT_ALLOWED = {ast.Lambda: "lambda", ast.JoinedStr: "an f-string", ast.NamedExpr: "':='"}


def _bounded(value: Any) -> Any:
    if isinstance(value, int) and value.bit_length() > MAX_BITS:
        raise ExpressionError(f"a number of more than {MAX_BITS} bits")
    if isinstance(value, str) and len(value) > MAX_TEXT:
        raise ExpressionError(f"a text of more than {MAX_TEXT:,} characters")
    return value


def _power(a: Any, b: Any) -> Any:
    # Judged before computing: 3999999 ** 3999999 would take seconds and megabytes to refuse after.
    if isinstance(a, int) and isinstance(b, int) and b > 0 and (abs(a).bit_length() - 1) * b > MAX_BITS:
        raise ExpressionError(f"{a} ** {b} is too large a number")
    return _bounded(a**b)


def _times(a: Any, b: Any) -> Any:
    for text, count in ((a, b), (b, a)):
        if isinstance(text, str) and isinstance(count, int) and len(text) * count > MAX_TEXT:
            raise ExpressionError(f"a text of more than {MAX_TEXT:,} characters")
    if isinstance(a, int) and isinstance(b, int) and a.bit_length() + b.bit_length() > MAX_BITS + 1:
        raise ExpressionError(f"a number of more than {MAX_BITS} bits")
    return _bounded(a * b)


def _shift(a: Any, b: Any) -> Any:
    if isinstance(a, int) and isinstance(b, int) and a and b > 0 and a.bit_length() + b > MAX_BITS:
        raise ExpressionError(f"a number of more than {MAX_BITS} bits")
    return _bounded(a << b)


def _checked(fn: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
    return lambda a, b: _bounded(fn(a, b))


def _round(number: Any, ndigits: int | None = None) -> Any:
    # round(5, -10**8) computes 10**(10**8) on the way.
    if ndigits is not None and abs(ndigits) > MAX_ROUND_DIGITS:
        raise ExpressionError(f"round to at most {MAX_ROUND_DIGITS} digits")
    return round(number, ndigits)


FUNCTIONS = {
    "abs": abs,
    "min": min,
    "max": max,
    "round": _round,
    "int": lambda *args: _bounded(int(*args)),
    "float": float,
    "str": lambda value="": _bounded(str(value)),
    "bool": bool,
}
CONSTANTS = {"True": True, "False": False, "None": None}
OPERATORS = {
    **DEFAULT_OPERATORS,
    ast.Pow: _power,
    ast.Mult: _times,
    ast.LShift: _shift,
    ast.Add: _checked(operator.add),
    ast.Sub: _checked(operator.sub),
}


class ExpressionError(HmiError):
    """An expression that does not parse or refers to something that is not there."""


def dotted(node: ast.AST) -> str | None:
    """`TK101.Level` as one name if the node is a chain of plain attributes on a name."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return None


class _JoinDottedNames(ast.NodeTransformer):
    def __init__(self) -> None:
        self.names: set[str] = set()

    def visit_Attribute(self, node: ast.Attribute) -> ast.AST:
        name = dotted(node)
        if name is None:
            return self.generic_visit(node)
        self.names.add(name)
        return ast.copy_location(ast.Name(id=name, ctx=ast.Load()), node)

    def visit_Name(self, node: ast.Name) -> ast.AST:
        if node.id not in FUNCTIONS and node.id not in CONSTANTS:
            self.names.add(node.id)
        return node


def _check_shape(tree: ast.AST) -> None:
    """Refuse what the evaluator would refuse anyway, and what is too big, before it ever runs."""
    count = 0
    stack: list[tuple[ast.AST, int]] = [(tree, 0)]
    while stack:
        node, depth = stack.pop()
        count += 1
        if count > MAX_NODES:
            raise ExpressionError(f"an expression of more than {MAX_NODES} parts: split it over tags")
        if depth > MAX_DEPTH:
            raise ExpressionError(f"an expression nested more than {MAX_DEPTH} levels deep")
        if type(node) in NOT_ALLOWED:
            raise ExpressionError(f"{NOT_ALLOWED[type(node)]} is not allowed in an expression")
        stack += [(child, depth + 1) for child in ast.iter_child_nodes(node)]


class Expression:
    """An expression parsed once; `names` are the tags it reads, `evaluate` computes it from values."""

    __slots__ = ("text", "names", "_tree")

    def __init__(self, text: str):
        self.text = text
        if len(text) > MAX_LENGTH:
            raise ExpressionError(f"an expression of {len(text):,} characters: at most {MAX_LENGTH:,}")
        try:
            tree = ast.parse(text.strip(), mode="eval")
        except SyntaxError as exc:
            raise ExpressionError(f"cannot read expression {text!r}: {exc.msg}") from None
        except (ValueError, RecursionError, MemoryError) as exc:  # e.g. a literal of 5,000 digits
            raise ExpressionError(f"cannot read expression {text[:40]!r}...: {exc}") from None
        _check_shape(tree)
        joiner = _JoinDottedNames()
        self._tree = joiner.visit(tree).body
        self.names = frozenset(joiner.names)
        for part in self._tag_free_parts(self._tree):
            self._run(part, {})

    @property
    def is_tag(self) -> bool:
        """True when the expression is nothing but one tag name."""
        return isinstance(self._tree, ast.Name) and self._tree.id in self.names

    def _tag_free_parts(self, node: ast.expr) -> list[ast.expr]:
        """The largest parts of the tree that read no tag (plain constants left out)."""
        if not any(isinstance(n, ast.Name) and n.id in self.names for n in ast.walk(node)):
            return [] if isinstance(node, ast.Constant | ast.Name) else [node]
        return [
            p for c in ast.iter_child_nodes(node) if isinstance(c, ast.expr) for p in self._tag_free_parts(c)
        ]

    def _run(self, tree: ast.expr, values: Mapping[str, Any]) -> Any:
        evaluator = SimpleEval(operators=OPERATORS, functions=FUNCTIONS, names={**CONSTANTS, **values})
        try:
            return _bounded(evaluator.eval(self.text, previously_parsed=tree))
        except Exception as exc:  # simpleeval raises many kinds; the user needs one clear message
            raise ExpressionError(f"cannot evaluate {self.text!r}: {exc}") from None

    def evaluate(self, values: Mapping[str, Any]) -> Any:
        return self._run(self._tree, values)

    def __repr__(self) -> str:
        return f"Expression({self.text!r})"
