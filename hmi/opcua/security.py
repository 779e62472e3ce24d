"""The app's certificate store: its own instance certificate, and the server certificates it trusts.

asyncua checks no server certificate unless told to and keeps no rejected folder. Here every secure
connect asks `Pki.check`: a certificate the user trusted passes; anything else is refused, kept in
rejected/ under its SHA-256 fingerprint for review, and trusted only by an explicit `trust()` of an
actor with the permission `trust_certificate` (checked and audited here, so no caller goes around it).
A certificate that replaces a trusted one for the same server is refused and flagged "changed".
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import socket
import tempfile
import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from ..errors import CommError, HmiError
from ..notices import OPERATOR
from ..paths import pki_dir
from ..permissions import Authorizer, allow_all, refusal

if TYPE_CHECKING:
    from ..storage.port import AuditLog

log = logging.getLogger(__name__)

APP_NAME = "OpenHMI"
OWN_VALIDITY_DAYS = 3650
KEY_BITS = 2048

State = Literal["trusted", "rejected", "changed"]
_CERT_SUFFIXES = (".der", ".pem", ".crt", ".cer")
_own_lock = threading.Lock()  # two connections starting at once must not create two certificates


def fingerprint(der: bytes) -> str:
    """SHA-256 of a DER certificate as lower-case hex pairs: 'ab:cd:...'."""
    digest = hashlib.sha256(der).hexdigest()
    return ":".join(digest[i : i + 2] for i in range(0, len(digest), 2))


def _hex(fp: str) -> str:
    return fp.replace(":", "").replace(" ", "").lower()


def _uri(cert: x509.Certificate) -> str:
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return ""
    uris = san.get_values_for_type(x509.UniformResourceIdentifier)
    return uris[0] if uris else ""


def _read_cert(path: Path) -> tuple[bytes, x509.Certificate]:
    data = path.read_bytes()
    cert = (
        x509.load_pem_x509_certificate(data)
        if data.lstrip().startswith(b"-----")
        else x509.load_der_x509_certificate(data)
    )
    return cert.public_bytes(serialization.Encoding.DER), cert


@dataclass(frozen=True)
class CertInfo:
    """What a user needs to judge a certificate, and where the store keeps it."""

    fingerprint: str
    subject: str
    issuer: str
    not_before: dt.datetime
    not_after: dt.datetime
    application_uri: str
    state: State
    endpoint: str = ""
    """The endpoint the certificate was seen at, when known."""
    path: Path | None = None

    @classmethod
    def of(
        cls, der: bytes, cert: x509.Certificate, state: State, endpoint: str = "", path: Path | None = None
    ):
        return cls(
            fingerprint(der),
            cert.subject.rfc4514_string(),
            cert.issuer.rfc4514_string(),
            cert.not_valid_before_utc,
            cert.not_valid_after_utc,
            _uri(cert),
            state,
            endpoint,
            path,
        )

    def validity_problem(self, now: dt.datetime | None = None) -> str:
        """'' while valid, else why not ('expired on ...', 'not valid before ...')."""
        now = now or dt.datetime.now(dt.UTC)
        if now > self.not_after:
            return f"expired on {self.not_after:%Y-%m-%d %H:%M} UTC"
        if now < self.not_before:
            return f"not valid before {self.not_before:%Y-%m-%d %H:%M} UTC"
        return ""


class PkiError(HmiError):
    """A certificate store action could not be done (unknown fingerprint, unreadable file)."""


class CertificateRefused(CommError):
    """The server's certificate is not one the user trusted (or no longer valid): no session opened."""

    def __init__(self, info: CertInfo, endpoint: str, problem: str = ""):
        self.info = info
        self.endpoint = endpoint
        self.problem = problem
        """Validity problem ('expired on ...'), if any."""
        self.changed = info.state == "changed"
        super().__init__(self._message())

    def _message(self) -> str:
        info = self.info
        what = f"SHA-256 {info.fingerprint}, subject {info.subject}"
        if info.state == "trusted":
            return f"server certificate {self.problem}: {what}; the server needs a new certificate"
        valid = f", and it is {self.problem}" if self.problem else ""
        if self.changed:
            return (
                f"server certificate CHANGED since it was trusted{valid}: {what}; refused. "
                f"If the server was given a new certificate on purpose, review it and use Trust... "
                f"(hmi certs trust {info.fingerprint[:23]})"
            )
        return (
            f"server certificate not trusted{valid}: {what}; "
            f"use Trust... (hmi certs trust {info.fingerprint[:23]})"
        )


@dataclass(frozen=True)
class OwnCertificate:
    """The app's instance certificate: what a client shows a server, with the URI it must announce."""

    cert_path: Path
    key_path: Path
    application_uri: str
    fingerprint: str


def create_certificate(
    cert_path: Path,
    key_path: Path,
    *,
    uri: str,
    common_name: str,
    server: bool = False,
    days: int = OWN_VALIDITY_DAYS,
    not_before: dt.datetime | None = None,
) -> x509.Certificate:
    """A self-signed OPC-UA application instance certificate (DER) and its RSA key (PEM, owner-only)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)
    host = socket.gethostname()
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    start = not_before or dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)  # tolerate clock skew
    usages = [ExtendedKeyUsageOID.CLIENT_AUTH] + ([ExtendedKeyUsageOID.SERVER_AUTH] if server else [])
    sans: list[x509.GeneralName] = [x509.UniformResourceIdentifier(uri), x509.DNSName(host)]
    if server:
        sans.append(x509.DNSName("localhost"))
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + dt.timedelta(days=days))
        .add_extension(x509.SubjectAlternativeName(sans), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=True,
                data_encipherment=True,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage(usages), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    _write_atomic(key_path, key_pem, private=True)
    _write_atomic(cert_path, cert.public_bytes(serialization.Encoding.DER))
    return cert


def _write_atomic(path: Path, data: bytes, private: bool = False) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        if private:
            os.chmod(tmp, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class Pki:
    """The folders under the user data dir: own/ (this app), trusted/ and rejected/ (servers)."""

    def __init__(
        self, root: Path | None = None, authorize: Authorizer = allow_all, audit: AuditLog | None = None
    ):
        self.root = Path(root) if root is not None else pki_dir()
        self.authorize = authorize
        """Asked before a certificate is trusted (the Runtime's check point; tools: everyone may)."""
        self.audit = audit
        self.own_dir = self.root / "own"
        self.trusted_dir = self.root / "trusted"
        self.rejected_dir = self.root / "rejected"
        self.user_dir = self.root / "user"
        """User certificates and keys for identity kind certificate (kept out of project folders)."""

    # -- the app's own certificate -------------------------------------------------------------

    def own(self) -> OwnCertificate:
        """The instance certificate, created on first use (RSA 2048, 10 years) and reused after."""
        cert_path, key_path = self.own_dir / "cert.der", self.own_dir / "key.pem"
        with _own_lock:
            if cert_path.is_file() and key_path.is_file():
                der, cert = _read_cert(cert_path)
                if not CertInfo.of(der, cert, "trusted").validity_problem():
                    return OwnCertificate(cert_path, key_path, _uri(cert), fingerprint(der))
                log.warning("the app's certificate %s is no longer valid: creating a new one", cert_path)
            uri = f"urn:{socket.gethostname()}:{APP_NAME}"
            cert = create_certificate(cert_path, key_path, uri=uri, common_name=f"{APP_NAME} client")
            der = cert.public_bytes(serialization.Encoding.DER)
            log.info("created the app's instance certificate %s (%s)", cert_path, fingerprint(der))
            return OwnCertificate(cert_path, key_path, uri, fingerprint(der))

    # -- server certificates -------------------------------------------------------------------

    def check(self, der: bytes, endpoint: str) -> CertInfo:
        """Pass a trusted, valid certificate; refuse (and keep in rejected/) anything else."""
        trusted = self._entries(self.trusted_dir)
        info = trusted.get(fingerprint(der))
        if info is not None:
            problem = info.validity_problem()
            if problem:
                raise CertificateRefused(info, endpoint, problem)
            return info
        cert = x509.load_der_x509_certificate(der)
        candidate = CertInfo.of(der, cert, "rejected", endpoint)
        changed = any(_same_server(t, candidate) for t in trusted.values())
        info = self._keep(self.rejected_dir, der, cert, endpoint, changed)
        log.warning(
            "%s: refused server certificate %s (%s)", endpoint, info.fingerprint, info.state, extra=OPERATOR
        )
        raise CertificateRefused(info, endpoint, info.validity_problem())

    def validator(self, endpoint: str) -> Callable[[x509.Certificate, Any], Awaitable[None]]:
        """For asyncua's `client.certificate_validator`: the same check on every (re)connect."""

        async def validate(cert: x509.Certificate, _server: Any) -> None:
            self.check(cert.public_bytes(serialization.Encoding.DER), endpoint)

        return validate

    def trust(self, fp: str, actor: str) -> CertInfo:
        """Move a rejected certificate to trusted/ if `actor` may; one that replaces a trusted one
        retires the old. PkiError says why not."""
        info = self.find(fp)
        reason = refusal(self.authorize, "trust_certificate", actor)
        if reason is not None:
            self._audit(actor, info, result="refused", reason=reason)
            raise PkiError(f"certificate not trusted: {reason}")
        if info.state == "trusted":
            return info
        for old in self._entries(self.trusted_dir).values():
            if _same_server(old, info):
                self._move(old, self.rejected_dir, changed=False)
                log.info("trust: %s replaces %s for %s", info.fingerprint, old.fingerprint, old.endpoint)
        self._move(info, self.trusted_dir, changed=False)
        log.info("trusted server certificate %s (%s)", info.fingerprint, info.subject)
        self._audit(actor, info, old=info.state, new="trusted")
        return replace(self.find(info.fingerprint), state="trusted")

    def _audit(self, actor: str, info: CertInfo, **values: Any) -> None:
        if self.audit is not None:
            target = f"{info.endpoint or info.subject} {info.fingerprint}"
            self.audit.record(actor, "trust_certificate", target, **values)

    def reject(self, fp: str) -> CertInfo:
        """Take a certificate out of trusted/ (or leave it rejected): connects to its server are refused."""
        info = self.find(fp)
        if info.state == "trusted":
            self._move(info, self.rejected_dir, changed=False)
            log.info("rejected server certificate %s (%s)", info.fingerprint, info.subject)
        return self.find(info.fingerprint)

    def find(self, fp: str) -> CertInfo:
        """The one stored certificate whose fingerprint is or starts with `fp` (colons optional)."""
        wanted = _hex(fp)
        if len(wanted) < 8:
            raise PkiError(f"fingerprint {fp!r}: give at least 8 hex digits")
        hits = [c for c in self.list() if _hex(c.fingerprint).startswith(wanted)]
        if not hits:
            raise PkiError(f"no server certificate with fingerprint {fp} (hmi certs list shows them)")
        if len(hits) > 1:
            raise PkiError(f"fingerprint {fp} matches {len(hits)} certificates: give more digits")
        return hits[0]

    def list(self) -> list[CertInfo]:
        """Every trusted and rejected server certificate, trusted first, each by subject."""
        found = list(self._entries(self.trusted_dir).values())
        found += self._entries(self.rejected_dir).values()
        return sorted(found, key=lambda c: (c.state != "trusted", c.subject, c.fingerprint))

    # -- storage -------------------------------------------------------------------------------

    def _entries(self, folder: Path) -> dict[str, CertInfo]:
        """Certificates in a folder (ours are <hex>.der with a <hex>.json note; others may drop PEM)."""
        found: dict[str, CertInfo] = {}
        if not folder.is_dir():
            return found
        for path in sorted(folder.iterdir()):
            if path.suffix.lower() not in _CERT_SUFFIXES:
                continue
            try:
                der, cert = _read_cert(path)
            except (OSError, ValueError) as exc:
                log.warning("ignoring unreadable certificate %s: %s", path, exc)
                continue
            note = _note(path)
            state: State = "trusted" if folder == self.trusted_dir else "rejected"
            if state == "rejected" and note.get("changed"):
                state = "changed"
            found[fingerprint(der)] = CertInfo.of(der, cert, state, note.get("endpoint", ""), path)
        return found

    def _keep(
        self, folder: Path, der: bytes, cert: x509.Certificate, endpoint: str, changed: bool
    ) -> CertInfo:
        path = folder / f"{_hex(fingerprint(der))}.der"
        if not path.is_file():
            _write_atomic(path, der)
        _write_atomic(
            path.with_suffix(".json"), json.dumps({"endpoint": endpoint, "changed": changed}).encode()
        )
        return CertInfo.of(der, cert, "changed" if changed else "rejected", endpoint, path)

    def _move(self, info: CertInfo, folder: Path, *, changed: bool) -> None:
        source = _path(info)
        der, cert = _read_cert(source)
        self._keep(folder, der, cert, info.endpoint, changed)
        if source.parent != folder:
            source.unlink()
            source.with_suffix(".json").unlink(missing_ok=True)


def _path(info: CertInfo) -> Path:
    assert info.path is not None, "only stored certificates have a path"
    return info.path


def _note(cert_path: Path) -> dict[str, Any]:
    try:
        note = json.loads(cert_path.with_suffix(".json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return note if isinstance(note, dict) else {}


def _same_server(a: CertInfo, b: CertInfo) -> bool:
    """Two certificates of one server: the same application URI, or seen at the same endpoint."""
    if a.fingerprint == b.fingerprint:
        return False
    return bool(a.application_uri and a.application_uri == b.application_uri) or bool(
        a.endpoint and a.endpoint == b.endpoint
    )
