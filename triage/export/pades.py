"""The PAdES signature of the cover sheet (pyHanko), made with the examiner's X.509 key.

The signed PDF differs at every signing (the signing time is in the signature), so it lives in
``signatures/`` beside the detached CMS signature, outside the reproducible ``data/``."""

from __future__ import annotations

import io
import logging

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko_certvalidator.registry import SimpleCertificateStore

from triage.export.signing import CmsSigner

FIELD = "ExaminerSignature"


def _asn1_cert(cert: object) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))  # type: ignore[attr-defined]


def sign_pdf(pdf: bytes, signer: CmsSigner, *, reason: str = "Evidence transfer cover sheet") -> bytes:
    """``pdf`` with an invisible PAdES B-B signature over the whole file (SHA-256)."""
    key = asn1_keys.PrivateKeyInfo.load(
        signer.key.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    hanko = signers.SimpleSigner(
        signing_cert=_asn1_cert(signer.cert),
        signing_key=key,
        cert_registry=SimpleCertificateStore.from_certs([_asn1_cert(c) for c in signer.chain]),  # type: ignore[no-untyped-call]
    )
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason,
        name=signer.cert.subject.rfc4514_string(),
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    out = signers.sign_pdf(writer, meta, signer=hanko)
    return bytes(out.getvalue())


def check_pdf(data: bytes, signer_der: bytes | None) -> list[str]:
    """Problems of a signed cover sheet, empty when it is exactly one intact PAdES signature over
    the whole file, made with the certificate ``signer_der`` (the CMS signer's).

    Beyond pyHanko's validation (digest, signature, coverage), the bytes no digest covers are held
    to what pyHanko writes: the ``/Contents`` hex string is upper-case hex of one DER object padded
    with zeros, so that no byte of the file can change unnoticed."""
    from pyhanko.pdf_utils.misc import PdfReadError
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    try:
        reader = PdfFileReader(io.BytesIO(data), strict=True)
        sigs = reader.embedded_signatures
    except (PdfReadError, ValueError, KeyError, TypeError, IndexError) as exc:
        return [f"not a readable PDF ({exc})"]
    if len(sigs) != 1:
        return [f"holds {len(sigs)} signatures, expected 1"]
    sig = sigs[0]
    problems = []
    try:
        start, first, second, rest = (int(v) for v in sig.sig_object["/ByteRange"])
    except (KeyError, ValueError, TypeError) as exc:
        return [f"no usable /ByteRange ({exc})"]
    if start != 0 or second + rest != len(data) or not 0 < first < second:
        problems.append("the signature does not cover the whole file")
    gap = data[first:second]
    hexdigits = gap[1:-1]
    if not (
        gap[:1] == b"<"
        and gap[-1:] == b">"
        and hexdigits
        and all(c in b"0123456789ABCDEF" for c in hexdigits)
    ):
        problems.append("the signature's /Contents is not upper-case hex as written")
    else:
        blob = bytes.fromhex(hexdigits.decode("ascii"))
        end = _der_end(blob)
        if end is None or any(blob[end:]):
            problems.append("the signature's /Contents holds bytes after the signature")
    # pyHanko logs the untrusted path (trust is the CMS check's job, with --ca) with a traceback
    loggers = [logging.getLogger(n) for n in ("pyhanko", "pyhanko_certvalidator")]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.CRITICAL + 1)
    try:
        status = validate_pdf_signature(
            sig, ValidationContext(trust_roots=[], allow_fetching=False), skip_diff=True
        )
    except Exception as exc:  # pyHanko raises many kinds on a damaged signature: all mean FAIL
        return [*problems, f"the signature cannot be validated ({type(exc).__name__}: {exc})"]
    finally:
        for lg, level in zip(loggers, levels, strict=True):
            lg.setLevel(level)
    if not (status.intact and status.valid):
        problems.append("the signature does not match the file (changed after signing)")
    if status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
        problems.append("the signature does not cover the whole file")
    if signer_der is not None and status.signing_cert.dump() != signer_der:
        problems.append("signed with another certificate than the bundle's CMS signature")
    return problems


def _der_end(blob: bytes) -> int | None:
    """The end of the DER object at the start of ``blob`` (definite lengths only)."""
    if len(blob) < 2 or blob[0] != 0x30:
        return None
    n = blob[1]
    if n < 0x80:
        return 2 + n
    k = n & 0x7F
    if not 0 < k <= 4 or len(blob) < 2 + k:
        return None
    return 2 + k + int.from_bytes(blob[2 : 2 + k], "big")
