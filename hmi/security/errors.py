"""Errors of users, logins and the audit trail; every message is meant for the person at the HMI."""

from __future__ import annotations

from ..errors import HmiError


class SecurityError(HmiError):
    """A user could not be added or changed, or an action was not permitted."""


class LoginRefused(SecurityError):
    """Wrong name or password, a disabled or locked account; `locked_until` is set for a lockout."""

    def __init__(self, message: str, locked_until: float | None = None):
        super().__init__(message)
        self.locked_until = locked_until


class AuditError(HmiError):
    """The audit trail could not be opened or read."""


class PermissionDenied(SecurityError):
    """The user's role lacks the permission (or nobody is logged in); the message names both."""
