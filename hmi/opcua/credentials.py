"""Passwords of OPC-UA user identities: never in project files; from the OS keyring or a prompt.

The engine asks a `Credentials` provider, `(connection_name, user) -> password or None`, which may
be a coroutine function (the UI's dialog). Headless, the provider is the keyring.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

log = logging.getLogger(__name__)

Credentials = Callable[[str, str], "str | None | Awaitable[str | None]"]
"""(connection name, user name) -> the password, or None when there is none (prompt cancelled)."""


def keyring_service(endpoint: str) -> str:
    """The keyring entry of a server's users: `keyring set "OpenHMI opc.tcp://host:4840" USER` fills it."""
    return f"OpenHMI {endpoint}"


def stored_password(endpoint: str, user: str) -> str | None:
    """The password kept in the OS keyring, or None (none stored, or no keyring on this machine)."""
    import keyring
    from keyring.errors import KeyringError

    try:
        return keyring.get_password(keyring_service(endpoint), user)
    except KeyringError as exc:
        log.debug("no keyring: %s", exc)
        return None


def store_password(endpoint: str, user: str, password: str) -> bool:
    """Remember a password in the OS keyring; False when there is no usable keyring."""
    import keyring
    from keyring.errors import KeyringError

    try:
        keyring.set_password(keyring_service(endpoint), user, password)
    except KeyringError as exc:
        log.warning("cannot store the password in the keyring: %s", exc)
        return False
    return True


def keyring_available() -> bool:
    """Whether the OS offers a keyring backend (headless Linux often has none)."""
    import keyring
    from keyring.backends.fail import Keyring as NoKeyring

    return not isinstance(keyring.get_keyring(), NoKeyring)
