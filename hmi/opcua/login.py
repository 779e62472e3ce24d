"""How a client proves whom it talks to and who it is: security policy, trusted server, user identity.

Applied to an asyncua Client before `connect()`; the password itself is the caller's business.
"""

from __future__ import annotations

import asyncio

from asyncua import Client, ua
from asyncua.crypto import security_policies

from ..errors import CommError
from ..project.model import Identity, Security
from .security import Pki

POLICIES = {
    "Basic256Sha256": security_policies.SecurityPolicyBasic256Sha256,
    "Aes128_Sha256_RsaOaep": security_policies.SecurityPolicyAes128Sha256RsaOaep,
    "Aes256_Sha256_RsaPss": security_policies.SecurityPolicyAes256Sha256RsaPss,
}
_LOGIN_REFUSED = {
    ua.StatusCodes.BadUserAccessDenied,
    ua.StatusCodes.BadIdentityTokenInvalid,
    ua.StatusCodes.BadIdentityTokenRejected,
}


async def secure(client: Client, endpoint: str, security: Security, pki: Pki) -> None:
    """Sign or encrypt with the app's certificate, to a server whose certificate the user trusted."""
    assert security.policy is not None  # the model requires one with Sign and SignAndEncrypt
    policy, mode = POLICIES[security.policy], ua.MessageSecurityMode[security.mode]
    own = await asyncio.to_thread(pki.own)  # the first time, an RSA key is generated
    client.application_uri = own.application_uri
    server_der = await server_certificate(client, security)
    # Checked before any secure channel is opened, and again by asyncua at every session.
    pki.check(server_der, endpoint)
    client.certificate_validator = pki.validator(endpoint)
    await client.set_security(policy, own.cert_path, own.key_path, server_certificate=server_der, mode=mode)


async def server_certificate(client: Client, security: Security) -> bytes:
    """The certificate the server shows for the configured mode and policy (asked over Security None)."""
    policy, mode = POLICIES[security.policy or ""], ua.MessageSecurityMode[security.mode]
    endpoints = await client.connect_and_get_server_endpoints()
    offered = [e for e in endpoints if e.SecurityMode == mode and e.SecurityPolicyUri == policy.URI]
    if not offered:
        names = sorted({f"{e.SecurityMode.name} {e.SecurityPolicyUri.rpartition('#')[2]}" for e in endpoints})
        raise CommError(
            f"the server offers no {security.mode} {security.policy} endpoint; it offers {', '.join(names)}"
        )
    der = _first_certificate(offered[0].ServerCertificate or b"")
    if not der:
        raise CommError("the server sent no certificate for its secure endpoint")
    return der


async def certificate_changed(endpoint: str, security: Security, known: bytes, every_s: float = 1.0) -> None:
    """Return once the server at `endpoint` shows a certificate other than `known`.

    asyncua reconnects with the certificate it was given, and fails forever against a server with a new
    one; this notices the change so that the connection can start over and flag it.
    """
    while True:
        await asyncio.sleep(every_s)
        try:
            der = await server_certificate(Client(endpoint, timeout=every_s), security)
        except Exception:  # still down, or not answering yet: keep watching
            continue
        if der != known:
            return


async def identify(client: Client, identity: Identity, pki: Pki, password: str | None) -> None:
    """Log in as the configured identity (anonymous needs nothing)."""
    if identity.kind == "username":
        assert identity.user is not None and password is not None
        client.set_user(identity.user)
        client.set_password(password)
    elif identity.kind == "certificate":
        assert identity.certificate is not None and identity.private_key is not None
        folder = pki.user_dir
        try:
            await client.load_client_certificate(str(folder / identity.certificate))
            await client.load_private_key(folder / identity.private_key)
        except (OSError, ValueError) as exc:
            raise CommError(f"user certificate or key in {folder} cannot be used: {exc}") from None


def login_refused(exc: BaseException) -> bool:
    """The server turned the user identity down (wrong password, unknown user, identity not allowed)."""
    return isinstance(exc, ua.UaStatusCodeError) and exc.code in _LOGIN_REFUSED


def explain(exc: BaseException, identity: Identity, pki: Pki) -> str | None:
    """Why a login or security handshake failed, in words to act on; None when it is not about that."""
    if not isinstance(exc, ua.UaStatusCodeError):
        return None
    name = ua.StatusCode(exc.code).name
    if exc.code in _LOGIN_REFUSED:
        if identity.kind == "anonymous":
            return f"the server refused anonymous access ({name}): give the connection a user identity"
        if identity.kind == "certificate":
            return f"the server refused the user certificate {identity.certificate} ({name})"
        return f"the server refused the login of user {identity.user} ({name}): wrong password?"
    if exc.code == ua.StatusCodes.BadSecurityChecksFailed:
        return (
            f"security handshake failed ({name}): the server may not trust this app's certificate "
            f"({pki.own_dir}, see hmi certs own); ask its administrator to trust it"
        )
    return None


def _first_certificate(chain: bytes) -> bytes:
    """The leading certificate of a DER chain (a SEQUENCE with a two-byte length, as RSA certs have)."""
    if len(chain) > 4 and chain[0] == 0x30 and chain[1] == 0x82:
        return chain[: 4 + int.from_bytes(chain[2:4], "big")]
    return chain
