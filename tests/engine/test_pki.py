"""The certificate store: own certificate, refusing, trusting, changed and expired server certificates,
and the security and identity fields of a project connection."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from hmi.cli import main
from hmi.errors import ProjectError
from hmi.opcua.security import CertificateRefused, Pki, PkiError, create_certificate, fingerprint
from hmi.permissions import SYSTEM
from hmi.project import load_project
from hmi.project.io import save_project
from tests.support import demo_project

ENDPOINT = "opc.tcp://plc1:4840"
URI = "urn:plc1:server"


@pytest.fixture(scope="module")
def server_certs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """DER certificates of one server (URI) made once per module: key generation is the slow part."""
    folder = tmp_path_factory.mktemp("server-certs")
    past = dt.datetime.now(dt.UTC) - dt.timedelta(days=400)
    certs = {
        "first": create_certificate(
            folder / "a.der", folder / "a.pem", uri=URI, common_name="PLC1", server=True
        ),
        "renewed": create_certificate(
            folder / "b.der", folder / "b.pem", uri=URI, common_name="PLC1", server=True
        ),
        "expired": create_certificate(
            folder / "c.der", folder / "c.pem", uri="urn:old", common_name="Old", days=30, not_before=past
        ),
    }
    return {name: c.public_bytes(serialization.Encoding.DER) for name, c in certs.items()}


def refusal(pki: Pki, der: bytes, endpoint: str = ENDPOINT) -> CertificateRefused:
    with pytest.raises(CertificateRefused) as caught:
        pki.check(der, endpoint)
    return caught.value


def test_own_certificate_is_created_once_and_reused(tmp_path: Path):
    pki = Pki(tmp_path / "pki")
    own = pki.own()
    cert = x509.load_der_x509_certificate(own.cert_path.read_bytes())
    san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert own.application_uri in san.get_values_for_type(x509.UniformResourceIdentifier)
    assert cert.public_key().key_size == 2048
    assert cert.not_valid_after_utc - cert.not_valid_before_utc > dt.timedelta(days=3600)
    assert own.key_path.stat().st_mode & 0o077 == 0, "the private key is readable by others"
    again = Pki(tmp_path / "pki").own()
    assert again == own
    assert again.cert_path.read_bytes() == own.cert_path.read_bytes()


def test_unknown_certificate_is_refused_kept_and_trusted_only_explicitly(tmp_path: Path, server_certs):
    pki = Pki(tmp_path)
    der = server_certs["first"]
    refused = refusal(pki, der)
    assert "not trusted" in str(refused) and fingerprint(der) in str(refused)
    assert "CN=PLC1" in str(refused)
    assert refusal(pki, der).info.state == "rejected", "asking twice must not trust it"
    [listed] = pki.list()
    assert (listed.state, listed.fingerprint, listed.endpoint) == ("rejected", fingerprint(der), ENDPOINT)
    assert listed.path is not None and listed.path.parent == pki.rejected_dir

    trusted = pki.trust(fingerprint(der)[:11], SYSTEM)  # a prefix with colons is enough
    assert trusted.state == "trusted"
    assert pki.check(der, ENDPOINT).state == "trusted"
    assert [c.state for c in pki.list()] == ["trusted"]

    pki.reject(fingerprint(der))
    assert refusal(pki, der).info.state == "rejected"


def test_changed_certificate_is_refused_and_flagged_until_trusted(tmp_path: Path, server_certs):
    pki = Pki(tmp_path)
    refusal(pki, server_certs["first"])
    pki.trust(fingerprint(server_certs["first"]), SYSTEM)
    refused = refusal(pki, server_certs["renewed"], "opc.tcp://plc1.other-name:4840")  # same URI
    assert refused.changed and "CHANGED" in str(refused)
    assert {c.fingerprint: c.state for c in pki.list()} == {
        fingerprint(server_certs["first"]): "trusted",
        fingerprint(server_certs["renewed"]): "changed",
    }
    pki.trust(fingerprint(server_certs["renewed"]), SYSTEM)  # a renewal on purpose retires the old one
    assert pki.check(server_certs["renewed"], ENDPOINT).state == "trusted"
    assert refusal(pki, server_certs["first"]).info.state == "changed"


def test_expired_certificate_is_refused_with_the_reason_even_when_trusted(tmp_path: Path, server_certs):
    pki = Pki(tmp_path)
    der = server_certs["expired"]
    assert "expired on" in str(refusal(pki, der))
    pki.trust(fingerprint(der), SYSTEM)
    refused = refusal(pki, der)
    assert "expired on" in str(refused) and "needs a new certificate" in str(refused)


def test_a_certificate_dropped_into_trusted_is_trusted(tmp_path: Path, server_certs):
    pki = Pki(tmp_path)
    pki.trusted_dir.mkdir(parents=True)
    cert = x509.load_der_x509_certificate(server_certs["first"])
    (pki.trusted_dir / "plc1.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    assert pki.check(server_certs["first"], ENDPOINT).state == "trusted"


def test_unknown_fingerprint_is_an_error(tmp_path: Path):
    with pytest.raises(PkiError, match="no server certificate"):
        Pki(tmp_path).trust("ab:cd:ef:01:23", SYSTEM)


def test_certs_cli_lists_shows_and_trusts(tmp_path: Path, data_dir: Path, server_certs, capsys):
    pki = Pki()  # the user data dir, as the CLI uses
    assert pki.root == data_dir / "pki"
    refusal(pki, server_certs["first"])
    fp = fingerprint(server_certs["first"])
    assert main(["certs", "list"]) == 0
    assert fp[:23] in capsys.readouterr().out
    assert main(["certs", "show", fp.replace(":", "")[:8]]) == 0
    shown = capsys.readouterr().out
    assert "CN=PLC1" in shown and fp in shown and URI in shown
    assert main(["certs", "trust", fp]) == 0
    assert pki.check(server_certs["first"], ENDPOINT).state == "trusted"
    assert main(["certs", "trust", "00000000"]) == 1


def test_sign_without_policy_is_refused_naming_the_field(tmp_path: Path):
    root = demo_project(tmp_path, 4840).root
    text = (root / "project.yaml").read_text()
    (root / "project.yaml").write_text(
        text.replace("    simulator: true\n", "    simulator: true\n    security: {mode: Sign}\n", 1)
    )
    with pytest.raises(ProjectError) as caught:
        load_project(root)
    assert any(
        p.startswith("project.yaml: connections.plant.security.policy:") for p in caught.value.problems
    )


def test_password_in_a_project_file_is_refused(tmp_path: Path):
    root = demo_project(tmp_path, 4840).root
    text = (root / "project.yaml").read_text()
    identity = "    identity: {kind: username, user: op, password: x}\n"
    (root / "project.yaml").write_text(
        text.replace("    simulator: true\n", "    simulator: true\n" + identity, 1)
    )
    with pytest.raises(ProjectError, match="never kept in project files"):
        load_project(root)


def test_security_and_identity_load_and_save_byte_stable(tmp_path: Path):
    root = tmp_path / "p"
    shutil.copytree(demo_project(tmp_path, 4840).root, root)
    text = (root / "project.yaml").read_text()
    secure = "    security: {mode: SignAndEncrypt, policy: Aes256_Sha256_RsaPss}\n"
    identity = "    identity: {kind: username, user: operator}\n"
    (root / "project.yaml").write_text(
        text.replace("    simulator: true\n", "    simulator: true\n" + secure + identity, 1)
    )
    folder = load_project(root)
    plant = folder.project.connections["plant"]
    assert (plant.security.mode, plant.security.policy, plant.identity.user) == (
        "SignAndEncrypt",
        "Aes256_Sha256_RsaPss",
        "operator",
    )
    before = (root / "project.yaml").read_bytes()
    assert save_project(folder) == []
    assert (root / "project.yaml").read_bytes() == before
