"""Permissions as the station shows them, in the user's language: what each one allows, which roles
hold it, and why the current user may not, so a control can be disabled with that reason up front.

The engine's check point decides (Security.permits, the same answer as at the action, without using
up a signature); this module only words its answer.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from hmi.permissions import Refusal
from hmi.project.model import Action
from hmi.security import Permission, Role
from hmi.security.service import Security

from ..i18n import QT_TRANSLATE_NOOP

CONTEXT = "Permissions"
PERMISSION_TEXT = {
    Permission.WRITE: QT_TRANSLATE_NOOP("Permissions", "change values and start or stop equipment"),
    Permission.ACKNOWLEDGE: QT_TRANSLATE_NOOP("Permissions", "acknowledge alarms"),
    Permission.SHELVE: QT_TRANSLATE_NOOP("Permissions", "shelve alarms"),
    Permission.UNSHELVE: QT_TRANSLATE_NOOP("Permissions", "unshelve alarms"),
    Permission.REMOVE_FROM_SERVICE: QT_TRANSLATE_NOOP("Permissions", "take alarms out of service"),
    Permission.RETURN_TO_SERVICE: QT_TRANSLATE_NOOP("Permissions", "return alarms to service"),
    Permission.EDIT_PROJECT: QT_TRANSLATE_NOOP("Permissions", "edit the project"),
    Permission.MANAGE_USERS: QT_TRANSLATE_NOOP("Permissions", "manage users"),
    Permission.TRUST_CERTIFICATE: QT_TRANSLATE_NOOP("Permissions", "trust server certificates"),
    Permission.QUIT: QT_TRANSLATE_NOOP("Permissions", "quit the HMI"),
    Permission.WRITE_SHIFT_NOTE: QT_TRANSLATE_NOOP("Permissions", "write shift notes"),
    Permission.INJECT_FAULTS: QT_TRANSLATE_NOOP("Permissions", "inject and clear simulator faults"),
}
ROLE_TEXT = {
    Role.VIEWER: QT_TRANSLATE_NOOP("Permissions", "viewer"),
    Role.OPERATOR: QT_TRANSLATE_NOOP("Permissions", "operator"),
    Role.ENGINEER: QT_TRANSLATE_NOOP("Permissions", "engineer"),
    Role.ADMINISTRATOR: QT_TRANSLATE_NOOP("Permissions", "administrator"),
}


def _tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


def action_permission(action: Action | None) -> Permission | None:
    """The permission a screen item's click needs: writes need `write`; navigation needs none."""
    if action is None or (action.write is None and action.setpoint is None and action.toggle is None):
        return None
    return Permission.WRITE


def permission_words(permission: Permission | str) -> str:
    return _tr(PERMISSION_TEXT[Permission(permission)])


def role_name(role: Role | str) -> str:
    return _tr(ROLE_TEXT[Role(role)])


def who_may(security: Security, permission: Permission | str) -> str:
    """'Allowed for: operator, engineer, administrator.' (or that no role may) in the user's language."""
    roles = security.config.roles_with(permission)
    if not roles:
        return _tr("No role may do this in this project.")
    return _tr("Allowed for: %s.") % ", ".join(role_name(r) for r in roles)


def refused(security: Security, permission: Permission | str) -> str | None:
    """Why the station's user may not do this now, worded and translated; None when they may."""
    permission = Permission(permission)
    verdict = security.permits(permission, security.actor)
    if verdict:
        return None
    session = security.session
    words = permission_words(permission)
    if session is None:
        return _tr("Log in first: nobody is logged in on this station.") + " " + who_may(security, permission)
    if permission in security.config.permissions(session.role):  # the role may: a signature is missing
        return _tr("To %s needs your electronic signature (password and reason).") % words
    if isinstance(verdict, Refusal) and session.user == security.actor:
        text = _tr("%1 (%2) may not %3.").replace("%1", session.user).replace("%2", role_name(session.role))
        return text.replace("%3", words) + " " + who_may(security, permission)
    return verdict.reason if isinstance(verdict, Refusal) else who_may(security, permission)
