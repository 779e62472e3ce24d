"""Where a project's runtime data lives: history, alarm journal and audit, per project, per user."""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

from platformdirs import user_data_dir

DATA_DIR_ENV = "OPENHMI_DATA_DIR"
"""Overrides the platform's user data dir (portable installs, tests)."""


def data_root() -> Path:
    override = os.environ.get(DATA_DIR_ENV)
    return Path(override) if override else Path(user_data_dir("OpenHMI", "OpenHMI"))


def project_data_dir(project_root: Path, project_name: str) -> Path:
    """One folder per project folder: a readable name plus a short hash of its path, so two copies
    of the same project never share a database."""
    slug = re.sub(r"[^a-z0-9]+", "-", project_name.lower()).strip("-") or "project"
    digest = hashlib.sha1(str(Path(project_root).resolve()).encode()).hexdigest()[:8]
    path = data_root() / "projects" / f"{slug}-{digest}"
    path.mkdir(parents=True, exist_ok=True)
    return path


def history_db(project_root: Path, project_name: str) -> Path:
    """The project's SQLite file: history and alarm journal share it."""
    return project_data_dir(project_root, project_name) / "history.sqlite"


def audit_db(project_root: Path, project_name: str) -> Path:
    """The project's audit trail: a file of its own, so history retention never touches it."""
    return project_data_dir(project_root, project_name) / "audit.sqlite"


def users_db() -> Path:
    """This station's HMI users and password hashes: one file for every project opened here."""
    root = data_root()
    root.mkdir(parents=True, exist_ok=True)
    return root / "users.sqlite"


def pki_dir() -> Path:
    """The app's OPC-UA certificates: own/ (instance certificate and key), trusted/ and rejected/ servers."""
    return data_root() / "pki"


def recovery_dir(project_root: Path, project_name: str) -> Path:
    """The editor's autosave of unsaved changes to a project (a project folder itself); gone once saved."""
    return project_data_dir(project_root, project_name) / "recovery"
