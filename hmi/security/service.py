"""Users, the station's login session and the permission check, with every change audited.

`Security.authorize` is the Authorizer the Runtime hands to hmi/permissions.py: the engine's own
SYSTEM object may do anything; anyone else must be the user logged in on this station (and active
within `idle_logout_s`), enabled, in a role with the permission, or hold a one-action signature of a
user who has it. User management, project saves, certificate trust and quitting use the same check.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from ..events import Event
from ..notices import OPERATOR
from ..permissions import Refusal, Signed, explain, is_engine
from ..project.io import ProjectFolder, save_project
from ..storage import AuditLog, open_storage
from .audit import FAILED, REFUSED
from .errors import LoginRefused, PermissionDenied, SecurityError
from .passwords import check_password, hash_password, password_problem
from .settings import Permission, Role, SecurityConfig
from .users import User, Users

log = logging.getLogger(__name__)


SIGNATURE_S = 120.0
"""How long a signature waits for the action it was given for."""


@dataclass(frozen=True)
class Session:
    user: str
    role: Role
    full_name: str
    since: float


@dataclass(frozen=True)
class Signature:
    """A user's password and reason given for one action of the station's user (or for anyone's,
    when nobody is logged in): a supervisor's authorisation, or the e-signature of a signed action."""

    signer: str
    role: Role
    reason: str
    action: Permission | None
    """The action signed for; None: the next action the signer's role may do."""
    for_user: str
    at: float


SessionListener = Callable[["Session | None"], None]


def minutes(seconds: float) -> str:
    """'4 min 05 s' for how long an account stays locked."""
    whole = max(0, round(seconds))
    return f"{whole // 60} min {whole % 60:02d} s" if whole >= 60 else f"{whole} s"


class Security:
    """One station's users and session; `audit` (optional) receives a row for every change."""

    def __init__(
        self,
        users: Users,
        config: SecurityConfig | None = None,
        audit: AuditLog | None = None,
        clock: Callable[[], float] = time.time,
    ):
        self.users = users
        self.config = config or SecurityConfig()
        self.audit = audit
        self.clock = clock
        self.session: Session | None = None
        self.signature: Signature | None = None
        """The signature given and not used yet (at most one; a new session drops it)."""
        self._active_at = clock()
        self.session_changed: Event[Session | None] = Event("session")

    # --- session ------------------------------------------------------------------------------

    def subscribe(self, listener: SessionListener) -> Callable[[], None]:
        """listener(session or None) hears every login and logout; returns the function that removes it."""
        return self.session_changed.connect(listener)

    @property
    def actor(self) -> str:
        """Who acts from this station's screens: the logged-in user, or '' (refused everything)."""
        return self.session.user if self.session else ""

    def needs_first_user(self) -> bool:
        return self.users.count() == 0

    def login(self, name: str, password: str) -> Session:
        """Open this station's session for `name`; LoginRefused says why not (lockout: until when)."""
        now = self.clock()
        user = self._verified(name, password, now, "login_failed")
        if self.session is not None:
            self.logout("switch user")
        self.session = Session(user.name, user.role, user.full_name, now)
        self.signature = None
        self._active_at = now
        self._audit(user.name, "login", new=user.role.value)
        log.info("%s (%s) logged in", user.name, user.role)
        self._tell()
        return self.session

    def _verified(self, name: str, password: str, now: float, failure: str) -> User:
        """The enabled, unlocked user whose password this is; LoginRefused (audited as `failure`) if not.

        A name that is no user is not recorded: it may be a password typed into the wrong field."""
        user = self.users.get(name)
        if user is None:
            self._audit("", failure, result=REFUSED, reason="unknown user name (not recorded)")
            raise LoginRefused("wrong user name or password")
        if not user.enabled:
            self._audit(user.name, failure, result=REFUSED, reason="user disabled")
            raise LoginRefused(f"user {user.name} is disabled: ask an administrator")
        if user.locked(now):
            assert user.locked_until is not None
            self._audit(user.name, failure, result=REFUSED, reason="account locked")
            raise LoginRefused(
                f"{user.name} is locked after too many wrong passwords: try again in "
                f"{minutes(user.locked_until - now)}",
                user.locked_until,
            )
        if not check_password(user.password_hash, password):
            self._wrong_password(user, now, failure)
        self.users.update(user.name, touch=False, failed_attempts=0, locked_until=None)
        return user

    def _wrong_password(self, user: User, now: float, failure: str) -> None:
        failures = user.failed_attempts + 1
        if failures >= self.config.max_failures:
            until = now + self.config.lockout_s
            self.users.update(user.name, touch=False, failed_attempts=0, locked_until=until)
            self._audit(user.name, "lockout", result=REFUSED, reason=f"{failures} wrong passwords in a row")
            log.warning(
                "user %s locked for %s after %d wrong passwords",
                user.name,
                minutes(self.config.lockout_s),
                failures,
                extra=OPERATOR,
            )
            raise LoginRefused(
                f"wrong password: {user.name} is now locked for {minutes(self.config.lockout_s)}", until
            )
        self.users.update(user.name, touch=False, failed_attempts=failures)
        self._audit(user.name, failure, result=REFUSED, reason="wrong password")
        left = self.config.max_failures - failures
        raise LoginRefused(f"wrong user name or password ({left} more attempt(s) before the account locks)")

    def logout(self, reason: str = "") -> None:
        """End the session (station becomes view-only); `reason` e.g. 'inactivity' goes to the audit."""
        if self.session is None:
            return
        name, self.session, self.signature = self.session.user, None, None
        self._audit(name, "logout", reason=reason)
        log.info("%s logged out%s", name, f" ({reason})" if reason else "")
        self._tell()

    def _tell(self) -> None:
        self.session_changed.emit(self.session)

    # --- activity -----------------------------------------------------------------------------

    def touch(self) -> None:
        """The user at the station did something (key, mouse, touch): the idle time starts over."""
        self._active_at = self.clock()

    def check_idle(self) -> bool:
        """Log out a session idle for longer than `idle_logout_s`; True when it did."""
        limit = self.config.idle_logout_s
        if self.session is None or limit <= 0 or self.clock() - self._active_at < limit:
            return False
        self.logout("inactivity")
        return True

    # --- the check point ----------------------------------------------------------------------

    def authorize(self, action: str, actor: str) -> bool | Refusal | Signed:
        """The Authorizer: may `actor` do `action` now? A refusal names user, role and permission; a
        yes by signature (which this uses up) names the signer."""
        return self._check(action, actor, use=True)

    def permits(self, action: str, actor: str) -> bool | Refusal | Signed:
        """The same answer as `authorize` without using up a signature: what the screens show."""
        return self._check(action, actor, use=False)

    def _check(self, action: str, actor: str, use: bool) -> bool | Refusal | Signed:
        if is_engine(actor):
            return True
        try:
            permission = Permission(action)
        except ValueError:
            return Refusal(f"'{action}' is not an action a user can be permitted")
        if self.check_idle():
            limit = minutes(self.config.idle_logout_s)
            return Refusal(f"logged out after {limit} without activity: log in again")
        verdict = self._role_check(permission, actor)
        if verdict and permission not in self.config.signed:
            if use:
                self._active_at = self.clock()
            return True
        signature = self._signature_for(permission, actor)
        if signature is not None:
            if use:
                self.signature = None
                self._active_at = self.clock()
                self._audit(signature.signer, "signed", permission.value, new=actor, reason=signature.reason)
                self._tell()  # what the screens enable changes with it
            return Signed(signature.signer, signature.reason)
        if not verdict:
            return verdict
        return Refusal(f"to {permission.words} needs an electronic signature: password and reason")

    def _role_check(self, permission: Permission, actor: str) -> bool | Refusal:
        session = self.session
        if session is None:
            return Refusal("log in first: nobody is logged in on this station")
        if actor != session.user:
            return Refusal(f"{actor or 'nobody'} is not logged in on this station ({session.user} is)")
        user = self.users.get(actor)
        if user is None or not user.enabled:
            return Refusal(f"{actor} is no longer an enabled user: log in again")
        if permission not in self.config.permissions(user.role):
            return Refusal(f"{user.name} ({user.role.value}) may not {permission.words}")
        return True

    def _signature_for(self, permission: Permission, actor: str) -> Signature | None:
        """The waiting signature if it covers this action of this actor, and its signer still may."""
        sig = self.signature
        if sig is None or sig.for_user != actor or actor != self.actor:
            return None
        if self.clock() - sig.at > SIGNATURE_S:
            self.signature = None
            return None
        if sig.action not in (None, permission):
            return None
        signer = self.users.get(sig.signer)
        if signer is None or not signer.enabled or permission not in self.config.permissions(signer.role):
            return None
        return sig

    def sign(
        self, signer: str, password: str, reason: str, action: Permission | str | None = None
    ) -> Signature:
        """Sign for one action of the station's user: `signer`'s password and a reason. Wrong passwords
        count towards the signer's lockout like logins; the signer's role must hold `action`."""
        reason = reason.strip()
        if not reason:
            raise SecurityError("give a reason: it goes into the audit trail with the signature")
        permission = None if action is None else Permission(action)
        now = self.clock()
        user = self._verified(signer, password, now, "sign_failed")
        if permission is not None and permission not in self.config.permissions(user.role):
            why = f"{user.name} ({user.role.value}) may not {permission.words}"
            self._audit(user.name, "sign", permission.value, result=REFUSED, reason=why)
            raise PermissionDenied(f"{why}: ask someone who may to sign")
        self.signature = Signature(user.name, user.role, reason, permission, self.actor, now)
        self._active_at = now
        target = permission.value if permission is not None else "one action"
        self._audit(user.name, "sign", target, new=self.actor, reason=reason)
        self._tell()
        return self.signature

    def require(self, action: str, actor: str, target: str = "") -> Signed | None:
        """Raise PermissionDenied (and audit it) unless `actor` may do `action`; the signature, if one
        was used."""
        verdict = self.authorize(action, actor)
        reason = explain(verdict, action, actor)
        if reason is not None:
            self._audit(actor, action, target, result=REFUSED, reason=reason)
            raise PermissionDenied(reason)
        return verdict if isinstance(verdict, Signed) else None

    def quit(self, actor: str) -> None:
        """Asked before the HMI closes at the user's request: PermissionDenied unless `actor` may."""
        signed = self.require(Permission.QUIT, actor)
        self._audit(actor, "quit", reason=signed.note() if signed else "")

    # --- user management ----------------------------------------------------------------------

    def add_user(self, actor: str, name: str, role: Role | str, password: str, full_name: str = "") -> User:
        """A new user; the very first one may be added by anyone and must be an administrator."""
        role = Role(role)
        if self.needs_first_user():
            if role is not Role.ADMINISTRATOR:
                raise SecurityError(
                    "the first user must be an administrator, so that someone can manage users"
                )
        else:
            self.require(Permission.MANAGE_USERS, actor, name)
        self._check_password(name, password)
        user = self.users.add(name, role, hash_password(password), full_name)
        self._audit(actor or name, "user_add", name, new=role.value)
        return user

    def change_password(self, actor: str, name: str, password: str, old_password: str | None = None) -> None:
        """Users change their own with the old password; managers of users set anyone's."""
        user = self.users.require(name)
        if old_password is not None and actor == name:
            if not check_password(user.password_hash, old_password):
                self._audit(actor, "password_change", name, result=REFUSED, reason="old password wrong")
                raise PermissionDenied("the old password is wrong")
        else:
            self.require(Permission.MANAGE_USERS, actor, name)
        self._check_password(name, password)
        self.users.update(name, password_hash=hash_password(password), failed_attempts=0, locked_until=None)
        self._audit(actor, "password_change", name)

    def set_role(self, actor: str, name: str, role: Role | str) -> User:
        role = Role(role)
        self.require(Permission.MANAGE_USERS, actor, name)
        old = self.users.require(name)
        self._keep_an_administrator(old, role=role)
        user = self.users.update(name, role=role.value)
        self._audit(actor, "user_role", name, old=old.role.value, new=role.value)
        return user

    def set_enabled(self, actor: str, name: str, enabled: bool) -> User:
        self.require(Permission.MANAGE_USERS, actor, name)
        old = self.users.require(name)
        self._keep_an_administrator(old, enabled=enabled)
        user = self.users.update(name, enabled=int(enabled))
        self._audit(actor, "user_enable" if enabled else "user_disable", name, old=old.enabled, new=enabled)
        if not enabled and self.session is not None and self.session.user == name:
            self.logout("user disabled")
        return user

    def unlock(self, actor: str, name: str) -> User:
        self.require(Permission.MANAGE_USERS, actor, name)
        user = self.users.update(
            self.users.require(name).name, touch=False, failed_attempts=0, locked_until=None
        )
        self._audit(actor, "user_unlock", name)
        return user

    def _keep_an_administrator(
        self, user: User, role: Role | None = None, enabled: bool | None = None
    ) -> None:
        """Never take away the last enabled administrator: nobody could manage users in the app after."""
        losing = user.enabled and user.role is Role.ADMINISTRATOR
        losing = losing and (role not in (None, Role.ADMINISTRATOR) or enabled is False)
        admins = [u for u in self.users.users() if u.enabled and u.role is Role.ADMINISTRATOR]
        if losing and len(admins) == 1:
            raise SecurityError(f"{user.name} is the last enabled administrator")

    @staticmethod
    def _check_password(name: str, password: str) -> None:
        problem = password_problem(name, password)
        if problem is not None:
            raise SecurityError(problem)

    # --- project saves ------------------------------------------------------------------------

    def save_project(self, folder: ProjectFolder, actor: str) -> list[str]:
        """`hmi.project.save_project` for a user with `edit_project`; PermissionDenied otherwise.

        Returns the files written; the save (or its failure) is audited with them.
        """
        target = str(folder.root)
        self.require(Permission.EDIT_PROJECT, actor, target)
        try:
            written = save_project(folder)
        except Exception as exc:
            self._audit(actor, "save_project", target, result=FAILED, reason=str(exc))
            raise
        self._audit(actor, "save_project", target, new=", ".join(written) or "(no changes)")
        return written

    def _audit(self, user: str, action: str, target: str = "", **values: object) -> None:
        if self.audit is not None:
            self.audit.record(user, action, target, **values)  # type: ignore[arg-type]


def open_security(folder: ProjectFolder) -> Security:
    """This station's users under the project's rules, auditing to the project's trail (close
    `.audit` when done). For a tool without a Runtime, e.g. a stand-alone editor; a Runtime has its own."""
    storage = open_storage(folder)
    return Security(storage.user_store(), folder.project.security, storage.audit())
