"""Passwords of OPC-UA user identities: never in project files; from the OS keyring or a prompt.

The engine asks a `Credentials` provider, `(connection_name, user) -> password or None`, which may
be a coroutine function (the UI's dialog). Headless, the provider is the keyring or, on a box with no
desktop keyring, a systemd credential (`LoadCredentialEncrypted=`: encrypted at rest, handed to the
service in memory only).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Awaitable, Callable
from pathlib import Path

from ..notices import OPERATOR

log = logging.getLogger(__name__)

Credentials = Callable[[str, str], "str | None | Awaitable[str | None]"]
"""(connection name, user name) -> the password, or None when there is none (prompt cancelled)."""


def keyring_service(endpoint: str) -> str:
    """The keyring entry of a server's users: `keyring set "OpenHMI opc.tcp://host:4840" USER` fills it."""
    return f"OpenHMI {endpoint}"


def credential_name(connection: str) -> str:
    """The systemd credential that holds the password of a connection's user: `openhmi-plc1`."""
    return f"openhmi-{connection}"


def stored_password(endpoint: str, user: str, connection: str = "") -> str | None:
    """The password kept in the OS keyring, else in the service's systemd credential of the
    connection; None when neither holds one."""
    import keyring
    from keyring.errors import KeyringError

    try:
        found = keyring.get_password(keyring_service(endpoint), user)
    except KeyringError as exc:
        log.debug("no keyring: %s", exc)
        found = None
    return found if found is not None else _credential(connection)


def _credential(connection: str) -> str | None:
    folder = os.environ.get("CREDENTIALS_DIRECTORY")
    if not folder or not connection:
        return None
    path = Path(folder) / credential_name(connection)
    try:
        return path.read_text(encoding="utf-8").rstrip("\r\n")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        log.warning("cannot read the credential %s: %s", path, exc)
        return None


def store_password(endpoint: str, user: str, password: str) -> bool:
    """Remember a password in the OS keyring; False when there is no usable keyring."""
    import keyring
    from keyring.errors import KeyringError

    try:
        keyring.set_password(keyring_service(endpoint), user, password)
    except KeyringError as exc:
        log.warning("cannot store the password in the keyring: %s", exc, extra=OPERATOR)
        return False
    return True


def keyring_available() -> bool:
    """Whether the OS offers a keyring backend (headless Linux often has none)."""
    import keyring
    from keyring.backends.fail import Keyring as NoKeyring

    return not isinstance(keyring.get_keyring(), NoKeyring)
