"""Secure endpoints of the simulator, for testing secure connections: certificate, policies, users."""

from __future__ import annotations

import asyncio
import hmac
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from asyncua import Server, ua
from asyncua.crypto.permission_rules import User, UserRole
from asyncua.server.user_managers import UserManager

from ..opcua.security import create_certificate

APPLICATION_URI = "urn:openhmi:demo-plant:simulator"
_SECURE_POLICIES = [
    ua.SecurityPolicyType.NoSecurity,
    ua.SecurityPolicyType.Basic256Sha256_Sign,
    ua.SecurityPolicyType.Basic256Sha256_SignAndEncrypt,
    ua.SecurityPolicyType.Aes128Sha256RsaOaep_Sign,
    ua.SecurityPolicyType.Aes128Sha256RsaOaep_SignAndEncrypt,
    ua.SecurityPolicyType.Aes256Sha256RsaPss_Sign,
    ua.SecurityPolicyType.Aes256Sha256RsaPss_SignAndEncrypt,
]


@dataclass(frozen=True)
class SimSecurity:
    """Secure endpoints besides None: the server's certificate, made once in `cert_dir`, and its users."""

    cert_dir: Path
    users: dict[str, str] = field(default_factory=dict)
    """User name -> password accepted on the UserName identity token (a test server: plain text)."""
    allow_anonymous: bool = True


class UserList(UserManager):
    """Anonymous (when allowed) and the configured user names with their passwords."""

    def __init__(self, security: SimSecurity):
        self._security = security

    def get_user(
        self, iserver: Any, username: str | None = None, password: str | None = None, certificate: Any = None
    ) -> User | None:
        if username is None:  # anonymous (`certificate` is then the client's application certificate)
            return User(role=UserRole.User) if self._security.allow_anonymous else None
        expected = self._security.users.get(username or "")
        if expected is None or password is None:
            return None
        if not hmac.compare_digest(expected.encode(), str(password).encode()):
            return None
        return User(role=UserRole.User, name=username)


async def secure(server: Server, security: SimSecurity) -> None:
    """Offer Sign and SignAndEncrypt with every supported policy, beside None."""
    cert, key = security.cert_dir / "server.der", security.cert_dir / "server.pem"
    if not (cert.is_file() and key.is_file()):
        await asyncio.to_thread(
            create_certificate,
            cert,
            key,
            uri=APPLICATION_URI,
            common_name="OpenHMI demo plant simulator",
            server=True,
        )
    await server.load_certificate(str(cert))
    await server.load_private_key(str(key))
    await server.set_application_uri(APPLICATION_URI)
    server.set_security_policy(_SECURE_POLICIES)
    server.iserver.set_user_manager(UserList(security))
    tokens: list[type] = [ua.AnonymousIdentityToken] if security.allow_anonymous else []
    if security.users:
        tokens.append(ua.UserNameIdentityToken)
    server.set_identity_tokens(tokens)
