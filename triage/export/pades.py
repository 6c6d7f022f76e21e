"""The PAdES signature of the cover sheet (pyHanko), made with the examiner's X.509 key.

The signed PDF differs at every signing (the signing time is in the signature), so it lives in
``signatures/`` beside the detached CMS signature, outside the reproducible ``data/``."""

from __future__ import annotations

import io

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
