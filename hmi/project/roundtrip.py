"""Saving an edit into the engineer's own text: only the values that changed are rewritten.

The file's round-trip tree (ruamel.yaml: comments, key order, quoting, blank lines) is patched from
the old content to the new one; keys the engineer wrote with a default value stay. Lines that the
patch does not touch keep their exact original text, even where ruamel.yaml would lay them out
differently (a three-way merge of the original, ruamel's reading of it, and the patched tree).
"""

from __future__ import annotations

import difflib
import io
import json
import re
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark
from ruamel.yaml.scalarstring import ScalarString
from ruamel.yaml.tokens import CommentToken

from . import yamlfmt

_MISSING = object()


def _indents(text: str) -> tuple[int, int]:
    """(mapping indent, offset of '- ' under its key) as the file already uses them. ruamel.yaml's own
    guess loads the whole file a second time; the first nested lines tell the same."""
    mapping, offset = 2, 2
    if m := re.search(r"^[^\s#-][^\n]*:\n( +)[^\s#-]", text, re.M):
        mapping = len(m.group(1))
    if m := re.search(r"^[^\s#-][^\n]*:\n( *)- ", text, re.M):
        offset = len(m.group(1))
    return mapping, offset


def render(text: str, old: Any, new: Any) -> str:
    """`text` (whose content is `old`) changed to hold `new`: only changed values are rewritten."""
    if "\r\n" in text:  # a file saved on Windows keeps its line ends
        return render(text.replace("\r\n", "\n"), old, new).replace("\n", "\r\n")
    mapping, offset = _indents(text)
    yaml = yamlfmt.round_trip(mapping, offset)
    tree = yaml.load(text)
    base = _dump(yaml, tree)
    patched = _dump(yaml, _patch(tree, old, new))
    if base == text:
        return patched
    return _merge(text, base, patched)


def _dump(yaml: YAML, tree: Any) -> str:
    out = io.StringIO()
    yaml.dump(tree, out)
    return out.getvalue()


# -- patching the tree ----------------------------------------------------------------------------


def _block(node: Any) -> bool:
    return isinstance(node, CommentedMap | CommentedSeq) and not node.fa.flow_style() and len(node) > 0


def _patch(node: Any, old: Any, new: Any) -> Any:
    """The node to hold `new` in place of `node` (which holds `old`): the same node patched where it can."""
    if old == new:
        return node
    if _block(node) and isinstance(node, CommentedMap) and isinstance(old, dict) and isinstance(new, dict):
        _patch_map(node, old, new)
        return node
    if _block(node) and isinstance(node, CommentedSeq) and isinstance(old, list) and isinstance(new, list):
        _patch_seq(node, old, new)
        return node
    value = yamlfmt.styled(new)
    if isinstance(node, ScalarString) and type(value) is str and not yamlfmt.needs_quotes(str(node)):
        value = type(node)(value)  # quoted by choice, not because it had to be: keep the engineer's quoting
    return value


def _patch_map(node: CommentedMap, old: dict, new: dict) -> None:
    # A key the engineer wrote with the default value is in neither dump: it stays as written.
    for key in [k for k in node if k in old and k not in new]:
        _delete(node, list(node).index(key))
    order = list(new)
    for key, value in new.items():
        if key in node:
            _replace(node, key, _patch(node[key], old.get(key, _MISSING), value))
            continue
        before = [k for k in order[: order.index(key)] if k in node]
        after = [k for k in order[order.index(key) + 1 :] if k in node]
        keys = list(node)
        at = keys.index(before[-1]) + 1 if before else (keys.index(after[0]) if after else len(keys))
        _insert(node, at, key, yamlfmt.styled(value))


def _identity(value: Any) -> str:
    return json.dumps(value, sort_keys=True)


def _patch_seq(node: CommentedSeq, old: list, new: list) -> None:
    matcher = difflib.SequenceMatcher(None, [_identity(v) for v in old], [_identity(v) for v in new], False)
    # From the end, so the indexes of the blocks still to do stay valid.
    for op, i1, i2, j1, j2 in reversed(matcher.get_opcodes()):
        if op == "equal":
            continue
        paired = min(i2 - i1, j2 - j1)
        for k in range(paired):
            _replace(node, i1 + k, _patch(node[i1 + k], old[i1 + k], new[j1 + k]))
        for i in reversed(range(i1 + paired, i2)):
            _delete(node, i)
        for k, j in enumerate(range(j1 + paired, j2)):
            _insert(node, i1 + paired + k, None, yamlfmt.styled(new[j]))


# -- keeping comments and blank lines where they belong --------------------------------------------
# ruamel.yaml keeps what follows a value (its end-of-line comment, then blank lines and comment lines
# up to the next entry) on that value. When the entry before or at the end changes, the lines after
# the end-of-line part belong to whatever now comes next.


def _slot(node: Any, key: Any) -> tuple[dict, Any, int]:
    """Where the text after entry `key` of a collection is kept: the deepest last entry of a block."""
    value = node[key]
    if _block(value):
        last = next(reversed(value)) if isinstance(value, CommentedMap) else len(value) - 1
        return _slot(value, last)
    return node.ca.items, key, 2 if isinstance(node, CommentedMap) else 0


def _take_tail(node: Any, key: Any) -> str:
    items, at, index = _slot(node, key)
    tokens = items.get(at)
    token = tokens[index] if tokens and len(tokens) > index else None
    if not isinstance(token, CommentToken) or "\n" not in token.value:
        return ""
    head, tail = token.value.split("\n", 1)
    token.value = head + "\n"
    return tail


def _put_tail(node: Any, key: Any, tail: str) -> None:
    if not tail:
        return
    items, at, index = _slot(node, key)
    tokens = items.setdefault(at, [None] * (index + 2))
    while len(tokens) <= index:
        tokens.append(None)
    if isinstance(tokens[index], CommentToken):
        tokens[index].value = tokens[index].value.rstrip("\n") + "\n" + tail
    else:
        tokens[index] = CommentToken("\n" + tail, CommentMark(0), None)


def _replace(node: Any, key: Any, value: Any) -> None:
    if value is node[key]:
        return
    tail = _take_tail(node, key)
    _keep_comment_gap(node, key, value)
    node[key] = value
    _put_tail(node, key, tail)


def _keep_comment_gap(node: Any, key: Any, value: Any) -> None:
    """An end-of-line comment after a value that grows moves along, rather than closing up on it."""
    old = node[key]
    tokens = node.ca.items.get(key)
    index = 2 if isinstance(node, CommentedMap) else 0
    token = tokens[index] if tokens and len(tokens) > index else None
    if not isinstance(token, CommentToken) or not token.value.startswith("#") or token.start_mark is None:
        return
    if isinstance(old, CommentedMap | CommentedSeq) or isinstance(value, CommentedMap | CommentedSeq):
        return
    grown = len(str(value)) - len(str(old))
    if grown > 0:
        # ruamel itself places comments by a CommentMark, though it annotates start_mark as a StreamMark
        token.start_mark = CommentMark(token.start_mark.column + grown)  # type: ignore[assignment]


def _key_at(node: Any, index: int) -> Any:
    return list(node)[index] if isinstance(node, CommentedMap) else index


def _delete(node: Any, index: int) -> None:
    tail = _take_tail(node, _key_at(node, index))
    key = _key_at(node, index)
    del node[key]
    if isinstance(node, CommentedMap):
        node.ca.items.pop(key, None)
    if index > 0:
        _put_tail(node, _key_at(node, index - 1), tail)


def _insert(node: Any, index: int, key: Any, value: Any) -> None:
    tail = _take_tail(node, _key_at(node, index - 1)) if index > 0 else ""
    if isinstance(node, CommentedMap):
        node.insert(index, key, value)
    else:
        node.insert(index, value)
    _put_tail(node, _key_at(node, index), tail)


# -- keeping untouched lines as they were ---------------------------------------------------------


def _hunks(base: list[str], other: list[str]) -> list[tuple[int, int, list[str]]]:
    """The changes from base to other as (start, end, new lines), in base's line numbers."""
    matcher = difflib.SequenceMatcher(None, base, other, False)
    return [(i1, i2, other[j1:j2]) for op, i1, i2, j1, j2 in matcher.get_opcodes() if op != "equal"]


def _clash(a: tuple[int, int], b: tuple[int, int]) -> bool:
    """Whether two line ranges overlap; an insertion (empty range) clashes with what it touches, as
    the order of the two would be a guess."""
    if a[0] == a[1] or b[0] == b[1]:
        return a[0] <= b[1] and b[0] <= a[1]
    return a[0] < b[1] and b[0] < a[1]


def _merge(original: str, base: str, patched: str) -> str:
    """The patched text with the original's own layout kept wherever the patch changed nothing."""
    lines = base.splitlines(keepends=True)
    edits = _hunks(lines, patched.splitlines(keepends=True))
    layout = _hunks(lines, original.splitlines(keepends=True))
    kept = [h for h in layout if not any(_clash(h[:2], e[:2]) for e in edits)]
    out: list[str] = []
    pos = 0
    for start, end, new in sorted(edits + kept, key=lambda h: (h[0], h[1])):
        out += lines[pos:start] + new
        pos = max(pos, end)
    return "".join(out + lines[pos:])
