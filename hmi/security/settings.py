"""Roles, permissions and login rules; built-in defaults a project may override in project.yaml.

A permission is named after the action the engine checks (`write`, the alarm actions, ...), so the
check point needs no translation table. Durations are in seconds.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class Role(StrEnum):
    VIEWER = "viewer"
    OPERATOR = "operator"
    ENGINEER = "engineer"
    ADMINISTRATOR = "administrator"


class Permission(StrEnum):
    """What a role may do; each value is the action name the engine asks about."""

    WRITE = "write"
    ACKNOWLEDGE = "acknowledge"
    SHELVE = "shelve"
    UNSHELVE = "unshelve"
    REMOVE_FROM_SERVICE = "remove_from_service"
    RETURN_TO_SERVICE = "return_to_service"
    EDIT_PROJECT = "edit_project"
    MANAGE_USERS = "manage_users"
    TRUST_CERTIFICATE = "trust_certificate"
    QUIT = "quit"
    WRITE_SHIFT_NOTE = "write_shift_note"
    INJECT_FAULTS = "inject_faults"
    """Into the built-in plant simulator, for demos and training."""

    @property
    def words(self) -> str:
        """What the permission allows, as the engine's messages say it."""
        return WORDS[self]


WORDS = {
    Permission.WRITE: "change values and start or stop equipment",
    Permission.ACKNOWLEDGE: "acknowledge alarms",
    Permission.SHELVE: "shelve alarms",
    Permission.UNSHELVE: "unshelve alarms",
    Permission.REMOVE_FROM_SERVICE: "take alarms out of service",
    Permission.RETURN_TO_SERVICE: "return alarms to service",
    Permission.EDIT_PROJECT: "edit the project",
    Permission.MANAGE_USERS: "manage users",
    Permission.TRUST_CERTIFICATE: "trust server certificates",
    Permission.QUIT: "quit the HMI",
    Permission.WRITE_SHIFT_NOTE: "write shift notes",
    Permission.INJECT_FAULTS: "inject and clear simulator faults",
}


_OPERATOR = (
    Permission.WRITE,
    Permission.ACKNOWLEDGE,
    Permission.SHELVE,
    Permission.UNSHELVE,
    Permission.WRITE_SHIFT_NOTE,
)
_ENGINEER = (
    *_OPERATOR,
    Permission.REMOVE_FROM_SERVICE,
    Permission.RETURN_TO_SERVICE,
    Permission.EDIT_PROJECT,
    Permission.QUIT,
    Permission.INJECT_FAULTS,
)
DEFAULT_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.VIEWER: frozenset(),
    Role.OPERATOR: frozenset(_OPERATOR),
    Role.ENGINEER: frozenset(_ENGINEER),
    Role.ADMINISTRATOR: frozenset(Permission),
}


class SecurityConfig(BaseModel):
    """project.yaml `security:`; every key is optional.

    roles:                 # replaces the permissions of the roles named here
      operator: [write, acknowledge]
    max_failures: 5        # wrong passwords in a row before the account locks
    lockout_s: 300         # how long it stays locked
    idle_logout_s: 900     # no keyboard or mouse for this long logs the station out (0: never)
    signed: [remove_from_service]   # actions that need an e-signature: password and reason each time
    """

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    roles: dict[Role, list[Permission]] = Field(default_factory=dict)
    max_failures: int = Field(5, ge=1)
    lockout_s: float = Field(300.0, gt=0)
    idle_logout_s: float = Field(900.0, ge=0)
    signed: list[Permission] = Field(default_factory=list)

    def roles_with(self, permission: Permission | str) -> list[Role]:
        """The roles that hold `permission`, lowest first: who a refusal says may."""
        return [role for role in Role if Permission(permission) in self.permissions(role)]

    def permissions(self, role: Role | str) -> frozenset[Permission]:
        role = Role(role)
        if role in self.roles:
            return frozenset(self.roles[role])
        return DEFAULT_PERMISSIONS[role]
