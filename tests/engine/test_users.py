"""Users, logins, lockout and the permission check, on a real users file."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from hmi.permissions import SYSTEM, refusal
from hmi.project import load_project
from hmi.project.model import Project
from hmi.security import LoginRefused, Permission, PermissionDenied, SecurityConfig, SecurityError, UserStore
from hmi.security.audit import AuditTrail, search
from hmi.security.service import Security
from tests.support import PASSWORD, demo_project, log_in


class Clock:
    """A settable clock, so lockout expiry is tested without waiting."""

    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def security(tmp_path: Path) -> Security:
    return Security(
        UserStore(tmp_path / "users.sqlite"), SecurityConfig(max_failures=3, lockout_s=120), clock=Clock()
    )


def test_passwords_are_stored_only_as_argon2id_hashes(security: Security, tmp_path: Path):
    security.add_user(SYSTEM, "root", "administrator", "Adm1n-pass", "Ro Ot")
    with sqlite3.connect(tmp_path / "users.sqlite") as conn:
        (stored,) = conn.execute("SELECT password_hash FROM users").fetchone()
    assert stored.startswith("$argon2id$") and "Adm1n-pass" not in stored
    user = security.users.require("root")
    assert (user.full_name, user.role.value, user.enabled, user.failed_attempts) == (
        "Ro Ot",
        "administrator",
        True,
        0,
    )
    assert user.created > 0 and user.changed >= user.created


def test_there_is_no_default_user_and_the_first_one_must_be_an_administrator(security: Security):
    assert security.needs_first_user() and security.users.users() == []
    with pytest.raises(LoginRefused):
        security.login("admin", "admin")
    with pytest.raises(SecurityError, match="first user must be an administrator"):
        security.add_user("", "alice", "operator", PASSWORD)
    with pytest.raises(SecurityError, match="at least 8 characters"):
        security.add_user("", "root", "administrator", "short")
    with pytest.raises(SecurityError, match="mix letters"):
        security.add_user("", "root", "administrator", "abcdefghij")
    security.add_user("", "root", "administrator", PASSWORD)
    with pytest.raises(PermissionDenied, match="log in first"):
        security.add_user("", "mallory", "administrator", PASSWORD)


def test_wrong_password_is_refused_and_the_account_locks_then_unlocks_after_the_time(security: Security):
    log_in(security, "operator", "alice")
    security.logout()
    with pytest.raises(LoginRefused, match=r"wrong user name or password \(2 more"):
        security.login("alice", "nope")
    assert security.session is None
    with pytest.raises(LoginRefused, match="1 more"):
        security.login("alice", "nope")
    with pytest.raises(LoginRefused, match="now locked for 2 min 00 s") as locked:
        security.login("alice", "nope")
    assert locked.value.locked_until == security.clock() + 120
    security.clock.now += 30  # type: ignore[attr-defined]
    with pytest.raises(LoginRefused, match="try again in 1 min 30 s"):
        security.login("alice", PASSWORD)  # even the right password, while locked
    security.clock.now += 91  # type: ignore[attr-defined]
    assert security.login("alice", PASSWORD).user == "alice"
    assert security.users.require("alice").failed_attempts == 0


def test_an_administrator_unlocks_and_a_disabled_user_cannot_log_in(security: Security):
    log_in(security, "operator", "alice")
    for _ in range(3):
        with pytest.raises(LoginRefused):
            security.login("alice", "wrong")
    log_in(security, "administrator", "admin")
    security.unlock("admin", "alice")
    security.set_enabled("admin", "alice", False)
    with pytest.raises(LoginRefused, match="alice is disabled"):
        security.login("alice", PASSWORD)
    with pytest.raises(SecurityError, match="last enabled administrator"):
        security.set_role("admin", "admin", "engineer")
    security.set_enabled("admin", "alice", True)
    assert security.login("alice", PASSWORD).role.value == "operator"


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("viewer", set()),
        ("operator", {"write", "acknowledge", "shelve", "unshelve"}),
        (
            "engineer",
            {
                "write",
                "acknowledge",
                "shelve",
                "unshelve",
                "remove_from_service",
                "return_to_service",
                "edit_project",
                "quit",
                "inject_faults",
            },
        ),
        (
            "administrator",
            {
                "write",
                "acknowledge",
                "shelve",
                "unshelve",
                "remove_from_service",
                "return_to_service",
                "edit_project",
                "manage_users",
                "trust_certificate",
                "quit",
                "inject_faults",
            },
        ),
    ],
)
def test_each_role_has_its_default_permissions_and_refusals_name_user_role_permission(
    security: Security, role: str, allowed: set[str]
):
    name = log_in(security, role, f"u-{role}")
    actions = (
        "write",
        "acknowledge",
        "shelve",
        "unshelve",
        "remove_from_service",
        "return_to_service",
        "edit_project",
        "manage_users",
        "trust_certificate",
        "quit",
        "inject_faults",
    )
    for action in actions:
        reason = refusal(security.authorize, action, name)
        if action in allowed:
            assert reason is None, action
        else:
            assert reason == f"{name} ({role}) may not {Permission(action).words}"


def test_only_the_logged_in_user_may_act_and_system_always_may(security: Security):
    assert refusal(security.authorize, "write", "") == "log in first: nobody is logged in on this station"
    assert refusal(security.authorize, "write", SYSTEM) is None
    log_in(security, "operator", "alice")
    assert refusal(security.authorize, "write", "bob") == "bob is not logged in on this station (alice is)"
    log_in(security, "operator", "bob")  # switch user
    assert refusal(security.authorize, "write", "alice") is not None
    assert refusal(security.authorize, "write", "bob") is None


def test_a_project_overrides_role_permissions_with_errors_naming_the_field(tmp_path: Path):
    data = {"name": "p", "start_screen": "s", "connections": {}}
    project = Project.model_validate(
        {**data, "security": {"roles": {"operator": ["acknowledge"]}, "idle_logout_s": 60}}
    )
    security = Security(UserStore(tmp_path / "u.sqlite"), project.security)
    name = log_in(security, "operator")
    assert refusal(security.authorize, "acknowledge", name) is None
    assert refusal(security.authorize, "write", name) == (
        "operator (operator) may not change values and start or stop equipment"
    )
    with pytest.raises(ValueError, match=r"security\.roles\.operator\.0"):
        Project.model_validate({**data, "security": {"roles": {"operator": ["fly"]}}})
    with pytest.raises(ValueError, match=r"security\.lockout"):
        Project.model_validate({**data, "security": {"lockout": 5}})


def test_saving_a_project_needs_edit_project_and_is_audited(tmp_path: Path):
    folder = demo_project(tmp_path, 4840)
    with AuditTrail(tmp_path / "audit.sqlite") as audit:
        security = Security(UserStore(tmp_path / "users.sqlite"), audit=audit)
        log_in(security, "operator", "olga")
        folder.screens["overview"].title = "Overview (edited)"
        with pytest.raises(PermissionDenied, match=r"olga \(operator\) may not edit the project"):
            security.save_project(folder, "olga")
        assert load_project(folder.root).screens["overview"].title != "Overview (edited)"
        log_in(security, "engineer", "erik")
        written = security.save_project(folder, "erik")  # demo_project moved the endpoint too
        assert written == ["project.yaml", "screens/overview.yaml"]
        assert load_project(folder.root).screens["overview"].title == "Overview (edited)"
        audit.flush()
    saves = [
        (r.entry.user, r.entry.result, r.entry.new_value)
        for r in search(tmp_path / "audit.sqlite", action="save_project")
    ]
    assert saves == [("erik", "ok", "project.yaml, screens/overview.yaml")]
    refused = search(tmp_path / "audit.sqlite", action="edit_project")
    assert [(r.entry.user, r.entry.result) for r in refused] == [("olga", "refused")]
    logins = [r.entry.user for r in reversed(search(tmp_path / "audit.sqlite", action="login"))]
    assert logins == ["olga", "erik"]
