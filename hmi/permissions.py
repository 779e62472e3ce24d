"""The single check point every operator action passes: may this actor do this action?

An Authorizer answers True, or False, or a `Refusal` (falsy) that says why not; `refusal()` is how
the engine asks, so every write, alarm action, save and user change goes through one function.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


class EngineActor(str):
    """The engine itself as an actor: recorded as 'system', recognised by identity only."""

    __slots__ = ()


SYSTEM = EngineActor("system")
"""The actor when the engine itself acts (journal, audit, the CLI). Authorizers compare it with `is`:
the text "system" a caller types is a plain string, a user name like any other."""


def is_engine(actor: str) -> bool:
    """Whether `actor` is the engine's own SYSTEM object (never a string that merely reads 'system')."""
    return actor is SYSTEM


@dataclass(frozen=True, slots=True)
class Refusal:
    """A 'no' with its reason, worded for the operator."""

    reason: str

    def __bool__(self) -> bool:
        return False


@dataclass(frozen=True, slots=True)
class Signed:
    """A 'yes' given by an electronic signature: who signed and why, for the audit row of the action."""

    signer: str
    reason: str

    def __bool__(self) -> bool:
        return True

    def note(self) -> str:
        return f"signed by {self.signer}: {self.reason}"


Authorizer = Callable[[str, str], "bool | Refusal | Signed"]
"""authorize(action, actor) -> True / Signed, or False / Refusal(reason). Users and roles fill it in."""


def allow_all(action: str, actor: str) -> bool:
    """For an engine without users (tests, tools): every actor may act; the check point stays the same."""
    return True


def refusal(authorize: Authorizer, action: str, actor: str) -> str | None:
    """None when `actor` may do `action`, else the reason (a plain False gets a generic one)."""
    return explain(authorize(action, actor), action, actor)


def explain(verdict: bool | Refusal | Signed, action: str, actor: str) -> str | None:
    """None for a yes, else the reason of the no (a plain False gets a generic one)."""
    if verdict:
        return None
    if isinstance(verdict, Refusal):
        return verdict.reason
    return f"{actor or 'nobody'} is not permitted to {action.replace('_', ' ')}"
