"""The single check point every operator action passes: may this actor do this action?"""

from __future__ import annotations

from collections.abc import Callable

SYSTEM = "system"
"""The actor named when the engine itself acts (journal, audit)."""

Authorizer = Callable[[str, str], bool]
"""authorize(action, actor) -> may this user do this? Users and roles fill it in."""


def allow_all(action: str, actor: str) -> bool:
    """Until users and roles exist every actor may act; the check point stays the same."""
    return True
