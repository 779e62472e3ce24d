"""The single check point every operator action passes: may this actor do this action?

An Authorizer answers True, or False, or a `Refusal` (falsy) that says why not; `refusal()` is how
the engine asks, so every write, alarm action, save and user change goes through one function.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

SYSTEM = "system"
"""The actor named when the engine itself acts (journal, audit)."""


@dataclass(frozen=True, slots=True)
class Refusal:
    """A 'no' with its reason, worded for the operator."""

    reason: str

    def __bool__(self) -> bool:
        return False


Authorizer = Callable[[str, str], "bool | Refusal"]
"""authorize(action, actor) -> True, or False / Refusal(reason). Users and roles fill it in."""


def allow_all(action: str, actor: str) -> bool:
    """For an engine without users (tests, tools): every actor may act; the check point stays the same."""
    return True


def refusal(authorize: Authorizer, action: str, actor: str) -> str | None:
    """None when `actor` may do `action`, else the reason (a plain False gets a generic one)."""
    verdict = authorize(action, actor)
    if verdict:
        return None
    if isinstance(verdict, Refusal):
        return verdict.reason
    return f"{actor or 'nobody'} is not permitted to {action.replace('_', ' ')}"
