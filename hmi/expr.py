"""Safe expressions over tags for bindings and conditions (RULE 2: never Python's eval).

Tag names contain dots (`TK101.Level`), which Python reads as attribute access; the parsed tree is
rewritten so a dotted chain is one name, then evaluated by simpleeval with a fixed set of functions.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from typing import Any

from simpleeval import SimpleEval

from .errors import HmiError

FUNCTIONS = {
    "abs": abs,
    "min": min,
    "max": max,
    "round": round,
    "int": int,
    "float": float,
    "str": str,
    "bool": bool,
}
CONSTANTS = {"True": True, "False": False, "None": None}


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


class Expression:
    """An expression parsed once; `names` are the tags it reads, `evaluate` computes it from values."""

    __slots__ = ("text", "names", "_tree")

    def __init__(self, text: str):
        self.text = text
        try:
            tree = ast.parse(text.strip(), mode="eval")
        except SyntaxError as exc:
            raise ExpressionError(f"cannot read expression {text!r}: {exc.msg}") from None
        joiner = _JoinDottedNames()
        self._tree = joiner.visit(tree).body
        self.names = frozenset(joiner.names)

    @property
    def is_tag(self) -> bool:
        """True when the expression is nothing but one tag name."""
        return isinstance(self._tree, ast.Name) and self._tree.id in self.names

    def evaluate(self, values: Mapping[str, Any]) -> Any:
        evaluator = SimpleEval(functions=FUNCTIONS, names={**CONSTANTS, **values})
        try:
            return evaluator.eval(self.text, previously_parsed=self._tree)
        except Exception as exc:  # simpleeval raises many kinds; the user needs one clear message
            raise ExpressionError(f"cannot evaluate {self.text!r}: {exc}") from None

    def __repr__(self) -> str:
        return f"Expression({self.text!r})"
