"""Examiner keys: a signing key with a self-signed certificate, or one issued by a lab CA.

``triage keys new`` writes ``<name>.key.pem`` (PKCS#8, optionally encrypted) and
``<name>.cert.pem``; with ``--ssh`` an Ed25519 OpenSSH key plus ``allowed_signers``.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from triage.errors import UsageError
from triage.export.signing import NAMESPACE, cert_fingerprint, ssh_fingerprint


@dataclass
class KeyFiles:
    key: Path
    cert: Path | None
    fingerprint: str
    extra: Path | None = None  # allowed_signers for SSH keys


def new_private_key(kind: str = "ec") -> Any:
    if kind == "ec":
        return ec.generate_private_key(ec.SECP256R1())
    if kind == "rsa":
        return rsa.generate_private_key(public_exponent=65537, key_size=3072)
    if kind == "ed25519":
        return ed25519.Ed25519PrivateKey.generate()
    raise UsageError(f"unknown key type {kind!r} (ec, rsa or ed25519)")


def _name(
    common_name: str, email: str | None = None, org: str | None = None, country: str | None = None
) -> x509.Name:
    attrs = [x509.NameAttribute(NameOID.COMMON_NAME, common_name)]
    if org:
        attrs.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, org))
    if country:
        attrs.append(x509.NameAttribute(NameOID.COUNTRY_NAME, country))
    if email:
        attrs.append(x509.NameAttribute(NameOID.EMAIL_ADDRESS, email))
    return x509.Name(attrs)


def issue_certificate(
    key: Any,
    subject: x509.Name,
    *,
    issuer_key: Any | None = None,
    issuer: x509.Certificate | None = None,
    days: int = 730,
    ca: bool = False,
    email: str | None = None,
) -> x509.Certificate:
    """A certificate for ``key``: self-signed when no issuer is given."""
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer.subject if issuer else subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    )
    if ca:
        builder = builder.add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
    else:
        builder = builder.add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        builder = builder.add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False
        )
        if email:
            builder = builder.add_extension(
                x509.SubjectAlternativeName([x509.RFC822Name(email)]), critical=False
            )
    if issuer is not None:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.public_key()),  # type: ignore[arg-type]
            critical=False,
        )
    return builder.sign(issuer_key or key, hashes.SHA256())


def _write_private(path: Path, key: Any, password: str | None, fmt: serialization.PrivateFormat) -> None:
    enc = (
        serialization.BestAvailableEncryption(password.encode()) if password else serialization.NoEncryption()
    )
    data = key.private_bytes(serialization.Encoding.PEM, fmt, enc)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(data)


def new_examiner_key(
    folder: Path,
    name: str,
    *,
    common_name: str,
    email: str | None = None,
    org: str | None = None,
    country: str | None = None,
    kind: str = "ec",
    password: str | None = None,
    days: int = 730,
) -> KeyFiles:
    """Write a new examiner key and its self-signed certificate (or SSH key) into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    key = new_private_key(kind)
    if kind == "ed25519":
        key_path = folder / name
        if key_path.exists():
            raise UsageError(f"{key_path}: exists (refusing to overwrite a key)")
        _write_private(key_path, key, password, serialization.PrivateFormat.OpenSSH)
        pub = key.public_key().public_bytes(
            serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH
        )
        principal = email or common_name.replace(" ", "_")
        (folder / f"{name}.pub").write_bytes(pub + f" {principal}\n".encode())
        allowed = folder / f"{name}.allowed_signers"
        allowed.write_text(f'{principal} namespaces="{NAMESPACE}" {pub.decode()}\n', encoding="utf-8")
        return KeyFiles(key_path, None, ssh_fingerprint(key.public_key()), allowed)
    key_path, cert_path = folder / f"{name}.key.pem", folder / f"{name}.cert.pem"
    for p in (key_path, cert_path):
        if p.exists():
            raise UsageError(f"{p}: exists (refusing to overwrite a key)")
    cert = issue_certificate(key, _name(common_name, email, org, country), days=days, email=email)
    _write_private(key_path, key, password, serialization.PrivateFormat.PKCS8)
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return KeyFiles(key_path, cert_path, cert_fingerprint(cert))


def make_ca(
    folder: Path, common_name: str = "Test Lab CA", org: str | None = None
) -> tuple[Any, x509.Certificate]:
    """A lab CA (key and certificate written as ``ca.key.pem``/``ca.pem``) for issuing examiner certs."""
    key = new_private_key("ec")
    cert = issue_certificate(key, _name(common_name, org=org), ca=True, days=3650)
    _write_private(folder / "ca.key.pem", key, None, serialization.PrivateFormat.PKCS8)
    (folder / "ca.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return key, cert


def issue_examiner_cert(
    folder: Path,
    name: str,
    ca_key: Any,
    ca_cert: x509.Certificate,
    *,
    common_name: str,
    email: str | None = None,
    kind: str = "ec",
) -> KeyFiles:
    """An examiner key with a certificate issued by ``ca_cert`` (the cert file includes the CA)."""
    key = new_private_key(kind)
    cert = issue_certificate(key, _name(common_name, email), issuer_key=ca_key, issuer=ca_cert, email=email)
    key_path, cert_path = folder / f"{name}.key.pem", folder / f"{name}.cert.pem"
    _write_private(key_path, key, None, serialization.PrivateFormat.PKCS8)
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return KeyFiles(key_path, cert_path, cert_fingerprint(cert))
