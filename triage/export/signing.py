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
PADES_FILE = "cover-sheet.pdf"  # the cover sheet with a PAdES signature (CMS signers only)
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
        return (
            x509.load_pem_x509_certificates(data)
            if b"-----BEGIN" in data
            else [x509.load_der_x509_certificate(data)]
        )
    except OSError as exc:
        raise UsageError(f"{path}: cannot read the certificate: {exc.strerror or exc}") from exc
    except (ValueError, x509.InvalidVersion) as exc:
        raise UsageError(f"{path}: not an X.509 certificate (PEM or DER): {exc}") from exc


def _public_bytes(key: Any) -> bytes:
    """SubjectPublicKeyInfo DER of a private key's or a certificate's public key."""
    return bytes(
        key.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )


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
        builder = (
            pkcs7.PKCS7SignatureBuilder().set_data(data).add_signer(self.cert, self.key, hashes.SHA256())
        )
        for c in self.chain:
            builder = builder.add_certificate(c)
        return builder.sign(
            serialization.Encoding.DER, [pkcs7.PKCS7Options.DetachedSignature, pkcs7.PKCS7Options.Binary]
        )

    def describe(self) -> dict[str, str]:
        return {
            "type": "CMS (X.509)",
            "subject": self.cert.subject.rfc4514_string(),
            "issuer": self.cert.issuer.rfc4514_string(),
            "fingerprint": cert_fingerprint(self.cert),
            "serial": format(self.cert.serial_number, "x"),
        }

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
        return (
            self.key.public_key()
            .public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH)
            .decode()
        )

    def sign(self, data: bytes) -> str:
        return sshsig_sign(self.key, data, NAMESPACE)

    def describe(self) -> dict[str, str]:
        return {
            "type": "SSH Ed25519 (SSHSIG)",
            "principal": self.principal,
            "namespace": NAMESPACE,
            "fingerprint": ssh_fingerprint(self.key.public_key()),
            "public_key": self.public_line(),
        }

    def write(self, sig_dir: Path, data: bytes) -> list[str]:
        (sig_dir / SSH_FILE).write_text(self.sign(data), encoding="ascii", newline="\n")
        (sig_dir / "allowed_signers").write_text(
            f'{self.principal} namespaces="{NAMESPACE}" {self.public_line()}\n',
            encoding="utf-8",
            newline="\n",
        )
        (sig_dir / "signer.pub").write_text(self.public_line() + "\n", encoding="ascii", newline="\n")
        return [SSH_FILE, "allowed_signers", "signer.pub"]


Signer = CmsSigner | SshSigner


def load_signer(
    key: Path | None = None,
    cert: Path | None = None,
    ssh_key: Path | None = None,
    password: str | bytes | None = None,
    principal: str | None = None,
) -> Signer | None:
    """The signer for ``--sign-key/--sign-cert`` or ``--ssh-key`` (``None`` when neither is given).

    An Ed25519 key signs SSHSIG; an ECDSA/RSA key needs a certificate: ``cert``, one stored
    in the same PEM/PKCS#12 file, or ``<key stem>.crt``/``.cert.pem``/``-cert.pem`` beside it.
    """
    path = ssh_key or key
    if path is None:
        if cert is not None:
            raise UsageError("a signing certificate was given without its private key")
        return None
    private, certs = load_private_key(Path(path), password)
    if isinstance(private, ed25519.Ed25519PrivateKey):
        return SshSigner(private, principal or _principal(certs) or "examiner")
    if ssh_key is not None:
        raise UsageError(f"{ssh_key}: an SSH signature needs an Ed25519 key")
    if not isinstance(private, ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey):
        raise UsageError(f"{path}: unsupported key type for CMS (use ECDSA P-256 or RSA)")
    if cert is not None:
        certs = load_certificates(Path(cert)) + certs
    else:
        p = Path(path)
        for cand in (
            p.with_suffix(".crt"),
            p.with_name(p.stem + ".cert.pem"),
            p.with_name(p.stem + "-cert.pem"),
            p.with_name(p.stem.replace("key", "cert") + p.suffix),
        ):
            if not certs and cand != p and cand.is_file():
                certs = load_certificates(cand)
    own = _public_bytes(private)
    leaf = next((c for c in certs if _public_bytes(c) == own), None)
    if leaf is None:
        raise UsageError(f"{path}: no certificate matching this key (give the certificate issued for it)")
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
    (n,) = struct.unpack(">I", buf[pos : pos + 4])
    if pos + 4 + n > len(buf):
        raise ValueError("truncated")
    return buf[pos + 4 : pos + 4 + n], pos + 4 + n


def _ssh_pub_blob(pub: ed25519.Ed25519PublicKey) -> bytes:
    raw = pub.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return _string(b"ssh-ed25519") + _string(raw)


def ssh_fingerprint(pub: ed25519.Ed25519PublicKey) -> str:
    """``SHA256:...`` as ``ssh-keygen -l`` prints it."""
    return "SHA256:" + base64.b64encode(hashlib.sha256(_ssh_pub_blob(pub)).digest()).decode().rstrip("=")


def _signed_data(namespace: str, hash_alg: str, message: bytes) -> bytes:
    digest = hashlib.new(hash_alg, message).digest()
    return (
        b"SSHSIG" + _string(namespace.encode()) + _string(b"") + _string(hash_alg.encode()) + _string(digest)
    )


def sshsig_sign(key: ed25519.Ed25519PrivateKey, message: bytes, namespace: str = NAMESPACE) -> str:
    """An armored ``-----BEGIN SSH SIGNATURE-----`` over ``message`` (hash sha512)."""
    sig = key.sign(_signed_data(namespace, "sha512", message))
    blob = (
        b"SSHSIG"
        + struct.pack(">I", 1)
        + _string(_ssh_pub_blob(key.public_key()))
        + _string(namespace.encode())
        + _string(b"")
        + _string(b"sha512")
        + _string(_string(b"ssh-ed25519") + _string(sig))
    )
    return sshsig_armor(blob)


def sshsig_armor(blob: bytes) -> str:
    """The armored text of an SSHSIG blob, as ``ssh-keygen -Y sign`` and :func:`sshsig_sign` write it."""
    b64 = base64.b64encode(blob).decode()
    body = "\n".join(b64[i : i + 70] for i in range(0, len(b64), 70))
    return f"-----BEGIN SSH SIGNATURE-----\n{body}\n-----END SSH SIGNATURE-----\n"


def sshsig_blob(armored: str) -> bytes:
    """The binary blob inside an armored SSH signature; ValueError when the armor is broken."""
    lines = [ln.strip() for ln in armored.strip().splitlines()]
    if (
        len(lines) < 3
        or lines[0] != "-----BEGIN SSH SIGNATURE-----"
        or lines[-1] != "-----END SSH SIGNATURE-----"
    ):
        raise ValueError("not an armored SSH signature")
    try:
        return base64.b64decode("".join(lines[1:-1]), validate=True)
    except ValueError as exc:
        raise ValueError(f"the armored signature is not valid base64 ({exc})") from exc


def sshsig_verify(armored: str, message: bytes, namespace: str = NAMESPACE) -> ed25519.Ed25519PublicKey:
    """Check an SSHSIG over ``message``; returns the signer's public key, raises ValueError.

    Every byte of the blob counts: the reserved field must be empty and nothing may follow the
    last field (neither is signed, so a change there would otherwise go unseen).
    """
    blob = sshsig_blob(armored)
    if len(blob) < 10 or blob[:6] != b"SSHSIG" or struct.unpack(">I", blob[6:10])[0] != 1:
        raise ValueError("not an SSHSIG version 1 signature")
    pos = 10
    pub_blob, pos = _read_string(blob, pos)
    ns, pos = _read_string(blob, pos)
    reserved, pos = _read_string(blob, pos)
    hash_alg, pos = _read_string(blob, pos)
    sig_blob, pos = _read_string(blob, pos)
    if pos != len(blob):
        raise ValueError(f"{len(blob) - pos} unexpected bytes after the signature")
    if reserved:
        raise ValueError("the reserved field is not empty")
    if ns != namespace.encode():
        raise ValueError(f"namespace is {ns.decode(errors='replace')!r}, expected {namespace!r}")
    if hash_alg not in (b"sha256", b"sha512"):
        raise ValueError(f"unsupported hash {hash_alg.decode(errors='replace')}")
    ktype, p = _read_string(pub_blob, 0)
    raw, p = _read_string(pub_blob, p)
    if p != len(pub_blob):
        raise ValueError("unexpected bytes after the public key")
    stype, p = _read_string(sig_blob, 0)
    sig, p = _read_string(sig_blob, p)
    if p != len(sig_blob):
        raise ValueError("unexpected bytes after the signature value")
    if ktype != b"ssh-ed25519" or stype != b"ssh-ed25519":
        raise ValueError("only ssh-ed25519 signatures are supported")
    if len(raw) != 32:
        raise ValueError("the Ed25519 public key is not 32 bytes")
    pub = ed25519.Ed25519PublicKey.from_public_bytes(raw)
    try:
        pub.verify(sig, _signed_data(namespace, hash_alg.decode(), message))
    except InvalidSignature as exc:
        raise ValueError("SSH signature does not match the signed file") from exc
    return pub


def allowed_signer_keys(path: Path, namespace: str = NAMESPACE) -> dict[bytes, str]:
    """``{raw ed25519 public key: principals}`` from an OpenSSH allowed_signers file."""
    return allowed_signer_keys_text(Path(path).read_text(encoding="utf-8"), namespace)


def allowed_signer_keys_text(text: str, namespace: str = NAMESPACE) -> dict[bytes, str]:
    """:func:`allowed_signer_keys` of the file's text; ValueError for a key that does not decode."""
    out: dict[bytes, str] = {}
    for line in text.splitlines():
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
@dataclass(frozen=True)
class CmsCheck:
    """``openssl cms -verify``'s verdict and the signer certificate it names."""

    ok: bool
    message: str
    signer: x509.Certificate | None = None


def cms_verify(p7s: Path, content: Path, ca: Path | None) -> tuple[bool, str]:
    """``(ok, message)`` from ``openssl cms -verify``; without ``ca`` only the signature is checked."""
    result = cms_check(p7s, content, ca)
    return result.ok, result.message


def cms_check(p7s: Path, content: Path, ca: Path | None) -> CmsCheck:
    """:func:`cms_verify` with the signer certificate; never raises for a damaged signature."""
    openssl = shutil.which("openssl")
    if openssl is None:
        return CmsCheck(False, "openssl not found: cannot check the CMS signature")
    with tempfile.TemporaryDirectory() as tmp:
        certs_out = Path(tmp) / "signer.pem"
        cmd = [
            openssl,
            "cms",
            "-verify",
            "-binary",
            "-inform",
            "DER",
            "-in",
            str(p7s),
            "-content",
            str(content),
            "-out",
            os.devnull,
            "-signer",
            str(certs_out),
        ]
        cmd += ["-CAfile", str(ca)] if ca else ["-noverify"]
        try:
            proc = subprocess.run(
                cmd, capture_output=True, text=True, errors="replace", timeout=120, stdin=subprocess.DEVNULL
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            return CmsCheck(False, f"CMS signature check failed: openssl did not run ({exc})")
        detail = (proc.stderr or proc.stdout).strip().splitlines()
        if proc.returncode != 0:
            return CmsCheck(
                False,
                "CMS signature check failed: " + (detail[0] if detail else f"openssl exit {proc.returncode}"),
            )
        try:
            signer = load_certificates(certs_out)[0] if certs_out.is_file() else None
        except UsageError:
            signer = None
    who = f"{signer.subject.rfc4514_string()} ({cert_fingerprint(signer)})" if signer else "unknown signer"
    return CmsCheck(
        True,
        f"CMS signature valid, signed by {who}" + ("" if ca else "; signer NOT checked against a CA"),
        signer,
    )


# -- CMS structure: the fields no signature covers ------------------------------------------------------
_OID_SIGNED_DATA = bytes.fromhex("06092a864886f70d010702")
_DIGEST_SHA256 = bytes.fromhex("300d06096086480165030402010500")
_ENCAP_DATA = bytes.fromhex("300b06092a864886f70d010701")
VERSION_1 = bytes.fromhex("020101")  # INTEGER 1
_SIG_ALGORITHMS = {
    bytes.fromhex("300a06082a8648ce3d040302"): "ecdsa-with-SHA256",
    bytes.fromhex("300d06092a864886f70d0101010500"): "rsaEncryption",
}


def _tlv(buf: bytes, pos: int, end: int) -> tuple[int, int, int]:
    """``(tag, content start, content end)`` of the DER element at ``pos``; ValueError unless strict DER."""
    if pos + 2 > end:
        raise ValueError(f"truncated element at byte {pos}")
    tag, first = buf[pos], buf[pos + 1]
    if tag & 0x1F == 0x1F:
        raise ValueError(f"unexpected high tag number at byte {pos}")
    if tag & 0xC0 == 0 and bool(tag & 0x20) != (tag & 0x1F in (0x10, 0x11)):
        raise ValueError(
            f"{'constructed' if tag & 0x20 else 'primitive'} form of universal tag {tag & 0x1F} at "
            f"byte {pos} (not DER)"
        )
    pos += 2
    if first == 0x80:
        raise ValueError(f"indefinite length at byte {pos - 2} (BER, not DER)")
    if first > 0x80:
        n = first & 0x7F
        if n > 4 or pos + n > end:
            raise ValueError(f"bad length at byte {pos - 2}")
        length = int.from_bytes(buf[pos : pos + n], "big")
        if buf[pos] == 0 or length < 0x80:
            raise ValueError(f"non-minimal length at byte {pos - 2} (not DER)")
        pos += n
    else:
        length = first
    if pos + length > end:
        raise ValueError(f"element at byte {pos} runs past its container")
    return tag, pos, pos + length


def _elements(buf: bytes, start: int, end: int) -> list[tuple[int, int, int, int]]:
    """``(tag, element start, content start, content end)`` of each element in ``buf[start:end]``."""
    out = []
    pos = start
    while pos < end:
        tag, cstart, cend = _tlv(buf, pos, end)
        out.append((tag, pos, cstart, cend))
        if tag & 0x20:  # constructed: every nested length must be strict DER too
            _elements(buf, cstart, cend)
        pos = cend
    return out


def cms_structure_problems(der: bytes) -> list[str]:
    """The unsigned parts of a detached SignedData must be exactly what :class:`CmsSigner` writes.

    ``openssl cms -verify`` ignores some fields that no signature covers (the SignedData and
    SignerInfo versions, the NULL digest parameters, the content type, the signature algorithm
    OID): a changed byte there still "verifies". Checked here, strict DER, so every byte counts.
    """
    try:
        top = _elements(der, 0, len(der))
        if len(top) != 1 or top[0][0] != 0x30:
            return ["not one DER SEQUENCE (bytes before or after the signature)"]
        content_info = _elements(der, top[0][2], top[0][3])
        oid = der[content_info[0][1] : content_info[0][3]] if content_info else b""
        if len(content_info) != 2 or oid != _OID_SIGNED_DATA or content_info[1][0] != 0xA0:
            return ["not a CMS SignedData"]
        wrapper = _elements(der, content_info[1][2], content_info[1][3])
        if len(wrapper) != 1 or wrapper[0][0] != 0x30:
            return ["SignedData is not one SEQUENCE"]
        fields = _elements(der, wrapper[0][2], wrapper[0][3])
        tags = [f[0] for f in fields]
        if tags != [0x02, 0x31, 0x30, 0xA0, 0x31]:
            return [
                "SignedData fields are not version, digest algorithms, content info, certificates, signers"
            ]
        raw = [der[f[1] : f[3]] for f in fields]
        problems = []
        if raw[0] != VERSION_1:
            problems.append("SignedData version is not 1")
        if raw[1] != _der_header(0x31, len(_DIGEST_SHA256)) + _DIGEST_SHA256:
            problems.append("digest algorithms are not exactly SHA-256")
        if raw[2] != _ENCAP_DATA:
            problems.append("the content type is not id-data (detached)")
        signers = _elements(der, fields[4][2], fields[4][3])
        if len(signers) != 1 or signers[0][0] != 0x30:
            return [*problems, "not exactly one SignerInfo"]
        info = _elements(der, signers[0][2], signers[0][3])
        if [f[0] for f in info] != [0x02, 0x30, 0x30, 0xA0, 0x30, 0x04]:
            return [
                *problems,
                "SignerInfo fields are not version, issuer and serial, digest, signed attributes, "
                "algorithm, signature (or unsigned attributes were added)",
            ]
        part = [der[f[1] : f[3]] for f in info]
        certs = _elements(der, fields[3][2], fields[3][3])
        if part[1] not in {_issuer_and_serial(der, c) for c in certs}:
            problems.append(
                "the signer's issuer and serial number are not byte for byte those of a carried certificate"
            )
        if part[0] != VERSION_1:
            problems.append("SignerInfo version is not 1")
        if part[2] != _DIGEST_SHA256:
            problems.append("the signer's digest algorithm is not exactly SHA-256")
        if part[4] not in _SIG_ALGORITHMS:
            problems.append("the signature algorithm is not exactly ecdsa-with-SHA256 or rsaEncryption")
        return problems
    except ValueError as exc:
        return [f"not strict DER: {exc}"]


def _issuer_and_serial(der: bytes, cert: tuple[int, int, int, int]) -> bytes:
    """The DER IssuerAndSerialNumber of one carried certificate (openssl matches names case-insensitively)."""
    tbs = _elements(der, cert[2], cert[3])[0]
    fields = _elements(der, tbs[2], tbs[3])
    if fields and fields[0][0] == 0xA0:  # [0] version
        fields = fields[1:]
    if len(fields) < 3:
        raise ValueError("a carried certificate is not a TBSCertificate")
    body = der[fields[2][1] : fields[2][3]] + der[fields[0][1] : fields[0][3]]  # issuer Name, serial INTEGER
    return _der_header(0x30, len(body)) + body


def _der_header(tag: int, length: int) -> bytes:
    if length < 0x80:
        return bytes([tag, length])
    n = (length.bit_length() + 7) // 8
    return bytes([tag, 0x80 | n]) + length.to_bytes(n, "big")


def cms_certificates(der: bytes) -> list[bytes]:
    """The DER certificates carried in a SignedData, in file order (ValueError unless strict DER)."""
    top = _elements(der, 0, len(der))
    if len(top) != 1:
        raise ValueError("not one DER SEQUENCE")
    content_info = _elements(der, top[0][2], top[0][3])
    if len(content_info) != 2 or content_info[1][0] != 0xA0:
        raise ValueError("not a CMS SignedData")
    wrapper = _elements(der, content_info[1][2], content_info[1][3])
    if len(wrapper) != 1:
        raise ValueError("SignedData is not one SEQUENCE")
    certs = [f for f in _elements(der, wrapper[0][2], wrapper[0][3]) if f[0] == 0xA0]
    if len(certs) != 1:
        raise ValueError("no certificates")
    return [der[c[1] : c[3]] for c in _elements(der, certs[0][2], certs[0][3])]
