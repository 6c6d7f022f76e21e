"""Signatures over ``tagmanifest-sha512.txt``: CMS (X.509) and SSHSIG (Ed25519).

- CMS: a detached, DER-encoded SignedData made with :mod:`cryptography` (ECDSA P-256 or
  RSA key plus certificate). Checked with ``openssl cms -verify -binary -inform DER``.
- SSHSIG: OpenSSH's signature format (PROTOCOL.sshsig), written here with an Ed25519 key
  from :mod:`cryptography`. Checked with ``ssh-keygen -Y verify``.

Keys are read from PEM (PKCS#8, traditional or OpenSSH) or PKCS#12 files.
"""

from __future__ import annotations

import base64
import hashlib
import os
import shutil
import struct
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from cryptography.hazmat.primitives.serialization import pkcs7, pkcs12

from triage.errors import UsageError

SIGNED_FILE = "tagmanifest-sha512.txt"
CMS_FILE = f"{SIGNED_FILE}.p7s"
SSH_FILE = f"{SIGNED_FILE}.sig"
NAMESPACE = "triage-bundle"
PASSWORD_ENV = "TRIAGE_KEY_PASSWORD"


# -- key loading --------------------------------------------------------------------------------
def _password(password: str | bytes | None) -> bytes | None:
    if password is None:
        env = os.environ.get(PASSWORD_ENV)
        return env.encode() if env else None
    return password.encode() if isinstance(password, str) else password


def load_private_key(path: Path, password: str | bytes | None = None) -> tuple[Any, list[x509.Certificate]]:
    """A private key and any certificates stored with it (PKCS#12, or a PEM holding both)."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise UsageError(f"{path}: cannot read the key: {exc.strerror or exc}") from exc
    pw = _password(password)
    try:
        if b"-----BEGIN OPENSSH PRIVATE KEY-----" in data:
            return serialization.load_ssh_private_key(data, pw), []
        if b"-----BEGIN" in data:
            key = serialization.load_pem_private_key(data, pw)
            certs = x509.load_pem_x509_certificates(data) if b"BEGIN CERTIFICATE" in data else []
            return key, certs
        p12 = pkcs12.load_pkcs12(data, pw)
        if p12.key is None:
            raise UsageError(f"{path}: the PKCS#12 file holds no private key")
        certs = ([p12.cert.certificate] if p12.cert else []) + [c.certificate for c in p12.additional_certs]
        return p12.key, certs
    except TypeError as exc:  # encrypted without a password, or a password given for a plain key
        raise UsageError(f"{path}: {exc} (set {PASSWORD_ENV} for an encrypted key)") from exc
    except ValueError as exc:
        raise UsageError(f"{path}: not a usable private key (PEM, OpenSSH or PKCS#12): {exc}") from exc


def load_certificates(path: Path) -> list[x509.Certificate]:
    try:
        data = Path(path).read_bytes()
        return x509.load_pem_x509_certificates(data) if b"-----BEGIN" in data else [x509.load_der_x509_certificate(data)]
    except OSError as exc:
        raise UsageError(f"{path}: cannot read the certificate: {exc.strerror or exc}") from exc
    except ValueError as exc:
        raise UsageError(f"{path}: not an X.509 certificate (PEM or DER): {exc}") from exc


def _public_bytes(key: Any) -> bytes:
    """SubjectPublicKeyInfo DER of a private key's or a certificate's public key."""
    return bytes(key.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo))


def cert_fingerprint(cert: x509.Certificate) -> str:
    """``SHA256:AA:BB:...`` of the DER certificate (what ``openssl x509 -fingerprint -sha256`` shows)."""
    return "SHA256:" + cert.fingerprint(hashes.SHA256()).hex(":").upper()


# -- signers ------------------------------------------------------------------------------------
@dataclass
class CmsSigner:
    """An ECDSA/RSA key with its X.509 certificate (and chain)."""

    key: Any
    cert: x509.Certificate
    chain: list[x509.Certificate] = field(default_factory=list)
    kind: str = "cms"

    def sign(self, data: bytes) -> bytes:
        builder = pkcs7.PKCS7SignatureBuilder().set_data(data).add_signer(self.cert, self.key, hashes.SHA256())
        for c in self.chain:
            builder = builder.add_certificate(c)
        return builder.sign(serialization.Encoding.DER,
                            [pkcs7.PKCS7Options.DetachedSignature, pkcs7.PKCS7Options.Binary])

    def describe(self) -> dict[str, str]:
        return {"type": "CMS (X.509)", "subject": self.cert.subject.rfc4514_string(),
                "issuer": self.cert.issuer.rfc4514_string(), "fingerprint": cert_fingerprint(self.cert),
                "serial": format(self.cert.serial_number, "x")}

    def write(self, sig_dir: Path, data: bytes) -> list[str]:
        (sig_dir / CMS_FILE).write_bytes(self.sign(data))
        pem = b"".join(c.public_bytes(serialization.Encoding.PEM) for c in [self.cert, *self.chain])
        (sig_dir / "signer-cert.pem").write_bytes(pem)
        return [CMS_FILE, "signer-cert.pem"]


@dataclass
class SshSigner:
    """An Ed25519 key signing in the SSHSIG format."""

    key: ed25519.Ed25519PrivateKey
    principal: str
    kind: str = "ssh"

    def public_line(self) -> str:
        return self.key.public_key().public_bytes(serialization.Encoding.OpenSSH,
                                                  serialization.PublicFormat.OpenSSH).decode()

    def sign(self, data: bytes) -> str:
        return sshsig_sign(self.key, data, NAMESPACE)

    def describe(self) -> dict[str, str]:
        return {"type": "SSH Ed25519 (SSHSIG)", "principal": self.principal, "namespace": NAMESPACE,
                "fingerprint": ssh_fingerprint(self.key.public_key()), "public_key": self.public_line()}

    def write(self, sig_dir: Path, data: bytes) -> list[str]:
        (sig_dir / SSH_FILE).write_text(self.sign(data), encoding="ascii", newline="\n")
        (sig_dir / "allowed_signers").write_text(
            f'{self.principal} namespaces="{NAMESPACE}" {self.public_line()}\n', encoding="utf-8", newline="\n")
        (sig_dir / "signer.pub").write_text(self.public_line() + "\n", encoding="ascii", newline="\n")
        return [SSH_FILE, "allowed_signers", "signer.pub"]


Signer = CmsSigner | SshSigner


def load_signer(key: Path | None = None, cert: Path | None = None, ssh_key: Path | None = None,
                password: str | bytes | None = None, principal: str | None = None) -> Signer | None:
    """The signer for ``--sign-key/--sign-cert`` or ``--ssh-key`` (``None`` when neither is given).

    An Ed25519 key signs SSHSIG; an ECDSA/RSA key needs a certificate: ``cert``, one stored
    in the same PEM/PKCS#12 file, or ``<key stem>.crt``/``.cert.pem``/``-cert.pem`` beside it.
    """
    path = ssh_key or key
    if path is None:
        if cert is not None:
            raise UsageError("--sign-cert needs --sign-key")
        return None
    private, certs = load_private_key(Path(path), password)
    if isinstance(private, ed25519.Ed25519PrivateKey):
        return SshSigner(private, principal or _principal(certs) or "examiner")
    if ssh_key is not None:
        raise UsageError(f"{ssh_key}: --ssh-key needs an Ed25519 key")
    if not isinstance(private, ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey):
        raise UsageError(f"{path}: unsupported key type for CMS (use ECDSA P-256 or RSA)")
    if cert is not None:
        certs = load_certificates(Path(cert)) + certs
    else:
        p = Path(path)
        for cand in (p.with_suffix(".crt"), p.with_name(p.stem + ".cert.pem"), p.with_name(p.stem + "-cert.pem"),
                     p.with_name(p.stem.replace("key", "cert") + p.suffix)):
            if not certs and cand != p and cand.is_file():
                certs = load_certificates(cand)
    own = _public_bytes(private)
    leaf = next((c for c in certs if _public_bytes(c) == own), None)
    if leaf is None:
        raise UsageError(f"{path}: no certificate matching this key (give it with --sign-cert)")
    return CmsSigner(private, leaf, [c for c in certs if c is not leaf])


def _principal(certs: list[x509.Certificate]) -> str | None:
    for c in certs:
        emails = c.subject.get_attributes_for_oid(x509.NameOID.EMAIL_ADDRESS)
        if emails:
            return str(emails[0].value)
    return None


# -- SSHSIG ---------------------------------------------------------------------------------------
def _string(b: bytes) -> bytes:
    return struct.pack(">I", len(b)) + b


def _read_string(buf: bytes, pos: int) -> tuple[bytes, int]:
    if pos + 4 > len(buf):
        raise ValueError("truncated")
    (n,) = struct.unpack(">I", buf[pos:pos + 4])
    if pos + 4 + n > len(buf):
        raise ValueError("truncated")
    return buf[pos + 4:pos + 4 + n], pos + 4 + n


def _ssh_pub_blob(pub: ed25519.Ed25519PublicKey) -> bytes:
    raw = pub.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return _string(b"ssh-ed25519") + _string(raw)


def ssh_fingerprint(pub: ed25519.Ed25519PublicKey) -> str:
    """``SHA256:...`` as ``ssh-keygen -l`` prints it."""
    return "SHA256:" + base64.b64encode(hashlib.sha256(_ssh_pub_blob(pub)).digest()).decode().rstrip("=")


def _signed_data(namespace: str, hash_alg: str, message: bytes) -> bytes:
    digest = hashlib.new(hash_alg, message).digest()
    return b"SSHSIG" + _string(namespace.encode()) + _string(b"") + _string(hash_alg.encode()) + _string(digest)


def sshsig_sign(key: ed25519.Ed25519PrivateKey, message: bytes, namespace: str = NAMESPACE) -> str:
    """An armored ``-----BEGIN SSH SIGNATURE-----`` over ``message`` (hash sha512)."""
    sig = key.sign(_signed_data(namespace, "sha512", message))
    blob = (b"SSHSIG" + struct.pack(">I", 1) + _string(_ssh_pub_blob(key.public_key()))
            + _string(namespace.encode()) + _string(b"") + _string(b"sha512")
            + _string(_string(b"ssh-ed25519") + _string(sig)))
    b64 = base64.b64encode(blob).decode()
    body = "\n".join(b64[i:i + 70] for i in range(0, len(b64), 70))
    return f"-----BEGIN SSH SIGNATURE-----\n{body}\n-----END SSH SIGNATURE-----\n"


def sshsig_verify(armored: str, message: bytes, namespace: str = NAMESPACE) -> ed25519.Ed25519PublicKey:
    """Check an SSHSIG over ``message``; returns the signer's public key, raises ValueError."""
    lines = [ln.strip() for ln in armored.strip().splitlines()]
    if not lines or lines[0] != "-----BEGIN SSH SIGNATURE-----" or lines[-1] != "-----END SSH SIGNATURE-----":
        raise ValueError("not an armored SSH signature")
    blob = base64.b64decode("".join(lines[1:-1]), validate=True)
    if blob[:6] != b"SSHSIG" or struct.unpack(">I", blob[6:10])[0] != 1:
        raise ValueError("not an SSHSIG version 1 signature")
    pos = 10
    pub_blob, pos = _read_string(blob, pos)
    ns, pos = _read_string(blob, pos)
    _reserved, pos = _read_string(blob, pos)
    hash_alg, pos = _read_string(blob, pos)
    sig_blob, pos = _read_string(blob, pos)
    if ns.decode() != namespace:
        raise ValueError(f"namespace is {ns.decode()!r}, expected {namespace!r}")
    if hash_alg not in (b"sha256", b"sha512"):
        raise ValueError(f"unsupported hash {hash_alg.decode(errors='replace')}")
    ktype, p = _read_string(pub_blob, 0)
    raw, _ = _read_string(pub_blob, p)
    stype, p = _read_string(sig_blob, 0)
    sig, _ = _read_string(sig_blob, p)
    if ktype != b"ssh-ed25519" or stype != b"ssh-ed25519":
        raise ValueError("only ssh-ed25519 signatures are supported")
    pub = ed25519.Ed25519PublicKey.from_public_bytes(raw)
    try:
        pub.verify(sig, _signed_data(namespace, hash_alg.decode(), message))
    except InvalidSignature as exc:
        raise ValueError("SSH signature does not match the signed file") from exc
    return pub


def allowed_signer_keys(path: Path, namespace: str = NAMESPACE) -> dict[bytes, str]:
    """``{raw ed25519 public key: principals}`` from an OpenSSH allowed_signers file."""
    out: dict[bytes, str] = {}
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        tokens = line.split()
        for i, tok in enumerate(tokens[:-1]):
            if tok == "ssh-ed25519":
                opts = " ".join(tokens[1:i])
                if "namespaces=" in opts and namespace not in opts:
                    break
                blob = base64.b64decode(tokens[i + 1])
                _t, p = _read_string(blob, 0)
                raw, _ = _read_string(blob, p)
                out[raw] = tokens[0]
                break
    return out


# -- CMS verification (through OpenSSL; cryptography has no CMS verifier) -------------------------
def cms_verify(p7s: Path, content: Path, ca: Path | None) -> tuple[bool, str]:
    """``(ok, message)`` from ``openssl cms -verify``; without ``ca`` only the signature is checked."""
    openssl = shutil.which("openssl")
    if openssl is None:
        return False, "openssl not found: cannot check the CMS signature"
    with tempfile.TemporaryDirectory() as tmp:
        certs_out = Path(tmp) / "signer.pem"
        cmd = [openssl, "cms", "-verify", "-binary", "-inform", "DER", "-in", str(p7s), "-content", str(content),
               "-out", os.devnull, "-signer", str(certs_out)]
        cmd += ["-CAfile", str(ca)] if ca else ["-noverify"]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
        detail = (proc.stderr or proc.stdout).strip().splitlines()
        if proc.returncode != 0:
            return False, "CMS signature check failed: " + (detail[0] if detail else f"openssl exit {proc.returncode}")
        signer = load_certificates(certs_out)[0] if certs_out.is_file() else None
    who = f"{signer.subject.rfc4514_string()} ({cert_fingerprint(signer)})" if signer else "unknown signer"
    return True, f"CMS signature valid, signed by {who}" + ("" if ca else "; signer NOT checked against a CA")
