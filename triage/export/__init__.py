"""Signed evidence bundles for foreign sharing (BagIt 1.0 + CASE 1.5.0 + CMS/SSHSIG + age).

Example::

    from triage.case.store import Case
    from triage.export import export_bundle, verify_bundle

    with Case.open("cases/op-nightjar") as case:
        result = export_bundle(case, "out/MLA-2026-0042", "tagged:relevant",
                               "examples/request.toml", signing_key="ana.key.pem",
                               signing_cert="ana.cert.pem", progress=lambda p: print(p.text()))
    report = verify_bundle(result.path, ca="lab-ca.pem")
    assert report.ok, report.report

``export_bundle`` raises :class:`~triage.errors.UsageError` (selection, request, keys),
:class:`~triage.errors.EvidenceError` (a file differs from the case) or
:class:`ExportCancelled` (``cancel`` token set, see :mod:`triage.progress`); it never leaves a partial bundle at the target.
"""

from triage.export.exporter import ExportCancelled, ExportResult, export_bundle
from triage.export.request import Request, load_request
from triage.export.selection import Selection, parse_selection
from triage.export.signing import load_signer
from triage.export.verify import VerifyReport, verify_bundle

__all__ = [
    "ExportCancelled",
    "ExportResult",
    "Request",
    "Selection",
    "VerifyReport",
    "export_bundle",
    "load_request",
    "load_signer",
    "parse_selection",
    "verify_bundle",
]
