"""The export wizard: selection → request metadata → signing key → encryption → result.

It calls the core exporter (:mod:`triage.export`) in a background job, then verifies the
bundle with the core verifier and shows the verdict and the archive's SHA-256 (for an
unencrypted bag folder: the SHA-256 of its manifest, which the signatures cover). Paths are
plain fields (a Browse button opens a dialog), so tests fill them in directly.
"""

from __future__ import annotations

import hashlib
import importlib
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from triage.errors import TriageError, UsageError
from triage.progress import Cancel, CancelToken, Progress, ProgressCallback
from triage_ui.jobs import Job
from triage_ui.session import CaseSession

log = logging.getLogger("triage.ui.export")

# Flat keys understood by triage.export.request.load_request; * = required there too.
REQUEST_FIELDS = [
    ("reference", "Request reference*"),
    ("requesting_authority", "Requesting authority*"),
    ("requesting_country", "Requesting country"),
    ("legal_basis", "Legal basis*"),
    ("case_number", "Our case number"),
    ("offence", "Offence"),
    ("examiner", "Examiner*"),
    ("examiner_email", "Examiner e-mail"),
]


def export_api() -> Any | None:
    """The core export module when it is installed (``export_bundle`` and ``verify_bundle``)."""
    try:
        mod = importlib.import_module("triage.export")
    except ImportError:
        return None
    return mod if hasattr(mod, "export_bundle") and hasattr(mod, "verify_bundle") else None


@dataclass
class ExportSettings:
    """Everything the wizard collected (plain data: the export runs on another thread)."""

    case_path: Path
    out: Path
    file_ids: list[int]
    request: dict[str, Any]
    signing_key: str | None = None
    signing_cert: str | None = None
    ssh_key: str | None = None
    key_password: str | None = None
    recipients: list[str] = field(default_factory=list)
    passphrase: str | None = None


def run_export(
    s: ExportSettings,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
) -> dict[str, Any]:
    """Export with the core exporter, then verify with the core verifier.

    Returns ``{"archive", "sha256", "sha256_of", "verified", "report", "files", "bytes",
    "left_out", "signed", "signer", "warnings"}``: ``archive`` is the bag folder, or the
    ``.tar.age`` archive when encrypted; ``sha256`` is that archive's SHA-256, or for a bag
    folder the SHA-256 of its ``manifest-sha256.txt`` (what the audit log and signatures cover).
    """
    api = export_api()
    if api is None:
        raise UsageError("bundle export is not available in this installation (triage.export missing)")
    from triage.case.store import Case

    with Case.open(s.case_path) as case:
        result = api.export_bundle(
            case,
            s.out,
            list(s.file_ids),
            dict(s.request),
            signing_key=s.signing_key,
            signing_cert=s.signing_cert,
            ssh_key=s.ssh_key,
            key_password=s.key_password,
            recipients=s.recipients or None,
            passphrase=s.passphrase,
            progress=progress,
            cancel=cancel,
        )
    signed = bool(result.signer)
    if result.archive is None:
        verdict = api.verify_bundle(result.bag, require_signature=signed)
        ok, report = bool(verdict.ok), verdict.report
    elif s.passphrase:
        verdict = api.verify_bundle(result.archive, passphrase=s.passphrase, require_signature=signed)
        ok, report = bool(verdict.ok), verdict.report
    else:  # only the recipients can decrypt: the exporter verified the bag before encrypting it
        ok = bool(result.verified)
        report = (
            "The archive is encrypted to the recipients' keys, so it cannot be opened here. The bag was "
            f"verified before encryption: {'passed' if ok else 'FAILED'}."
        )
    if result.archive is not None:
        digest, of = result.archive_sha256 or _sha256(result.archive), "archive"
    else:
        digest, of = result.manifest_sha256, "manifest-sha256.txt"
    return {
        "archive": str(result.path),
        "sha256": digest,
        "sha256_of": of,
        "verified": ok,
        "report": report,
        "files": result.files,
        "bytes": result.bytes,
        "left_out": result.left_out,
        "signed": signed,
        "signer": dict(result.signer),
        "warnings": list(result.warnings),
    }


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _path_row(edit: QLineEdit, caption: str, folder: bool = False) -> QWidget:
    w = QWidget()
    lay = QHBoxLayout(w)
    lay.setContentsMargins(0, 0, 0, 0)
    lay.addWidget(edit, 1)
    btn = QPushButton("Browse…")

    def browse() -> None:
        path = (
            QFileDialog.getExistingDirectory(w, caption)
            if folder
            else QFileDialog.getOpenFileName(w, caption)[0]
        )
        if path:
            edit.setText(path)

    btn.clicked.connect(browse)
    lay.addWidget(btn)
    return w


class SelectionPage(QWizardPage):
    def __init__(self, wizard: ExportWizard) -> None:
        super().__init__()
        self.w = wizard
        self.setTitle("What to export")
        self.setSubTitle(
            "Choose the files that go into the bundle. Their content is re-read from the evidence "
            "and re-hashed."
        )
        lay = QVBoxLayout(self)
        self.group = QButtonGroup(self)
        self.tagged = QRadioButton("Files tagged")
        self.tag_combo = QComboBox()
        self.findings = QRadioButton("Files with findings")
        self.selected = QRadioButton("Files selected in the table")
        row = QHBoxLayout()
        row.addWidget(self.tagged)
        row.addWidget(self.tag_combo, 1)
        lay.addLayout(row)
        lay.addWidget(self.findings)
        lay.addWidget(self.selected)
        for i, b in enumerate((self.tagged, self.findings, self.selected)):
            self.group.addButton(b, i)
            b.toggled.connect(self._update)
        self.tag_combo.currentIndexChanged.connect(self._update)
        self.count = QLabel()
        lay.addWidget(self.count)
        lay.addStretch(1)

    def initializePage(self) -> None:
        s = self.w.session
        self.tag_combo.clear()
        self.tag_combo.addItem("(any tag)", None)
        for t, n in s.ro.facets("tag"):
            self.tag_combo.addItem(f"{t} ({n})", t)
        self.selected.setEnabled(bool(self.w.selected_ids))
        # Tagging is how an examiner marks what goes abroad, so tags win; the table always has a
        # current file once anything was clicked, so a selection alone is only the fallback.
        has_tags = self.tag_combo.count() > 1
        (self.tagged if has_tags or not self.w.selected_ids else self.selected).setChecked(True)
        self._update()

    def file_ids(self) -> list[int]:
        s = self.w.session
        if self.selected.isChecked():
            return sorted(self.w.selected_ids)
        if self.findings.isChecked():
            return sorted({int(f["file_id"]) for f in s.ro.findings() if f["file_id"] is not None})
        tag = self.tag_combo.currentData()
        return sorted({int(t["file_id"]) for t in s.ro.tags() if tag is None or t["tag"] == tag})

    def _update(self) -> None:
        n = len(self.file_ids()) if self.w.session else 0
        self.count.setText(f"{n} file{'s' if n != 1 else ''} will be exported.")
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return bool(self.file_ids())


class RequestPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle("Request")
        self.setSubTitle("The mutual legal assistance request this bundle answers.")
        form = QFormLayout(self)
        self.edits: dict[str, QLineEdit] = {}
        for key, label in REQUEST_FIELDS:
            e = QLineEdit()
            e.setObjectName(key)
            self.edits[key] = e
            form.addRow(label, e)
            self.registerField(key + ("*" if label.endswith("*") else ""), e)
        self.notes = QPlainTextEdit()
        self.notes.setMaximumHeight(80)
        form.addRow("Notes", self.notes)

    def values(self) -> dict[str, Any]:
        """Flat keys as :func:`triage.export.request.load_request` reads them (the examiner as a table)."""
        out: dict[str, Any] = {k: e.text().strip() for k, e in self.edits.items() if e.text().strip()}
        if self.notes.toPlainText().strip():
            out["notes"] = self.notes.toPlainText().strip()
        email = out.pop("examiner_email", None)
        if email:
            out["examiner"] = {"name": out.get("examiner", ""), "email": email}
        return out


class SigningPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle("Signing key")
        self.setSubTitle(
            "The bundle's manifest is signed so the recipient can check who produced it and that "
            "nothing changed. Leave the key empty to export unsigned."
        )
        form = QFormLayout(self)
        self.kind = QComboBox()
        self.kind.addItems(["X.509 or Ed25519 key (CMS signature)", "OpenSSH Ed25519 key (SSH signature)"])
        self.key = QLineEdit(placeholderText="private key file (PEM or PKCS#12; OpenSSH for SSH signatures)")
        self.cert = QLineEdit(placeholderText="the key's certificate (PEM/DER; chain allowed)")
        self.password = QLineEdit(placeholderText="only if the key file is encrypted")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.warning = QLabel("")
        self.warning.setWordWrap(True)
        form.addRow("Signature", self.kind)
        form.addRow("Key", _path_row(self.key, "Signing key"))
        form.addRow("Certificate", _path_row(self.cert, "Certificate"))
        form.addRow("Key password", self.password)
        form.addRow(self.warning)
        self.kind.currentIndexChanged.connect(self._update)
        self.key.textChanged.connect(self._update)
        self._update()

    def ssh(self) -> bool:
        return self.kind.currentIndex() == 1

    def _update(self) -> None:
        self.cert.setEnabled(not self.ssh())
        self.warning.setText(
            ""
            if self.key.text().strip()
            else "<b>The bundle will not be signed</b>: the recipient can check its hashes but not "
            "who produced it."
        )


class EncryptionPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle("Encryption and destination")
        self.setSubTitle(
            "Optionally encrypt the bundle (age) to the recipients' public keys or a passphrase; it "
            "then becomes one archive, <folder>.tar.age."
        )
        form = QFormLayout(self)
        self.encrypt = QCheckBox("Encrypt the bundle")
        self.recipients = QLineEdit(placeholderText="age1… or ssh-ed25519 … (comma separated)")
        self.passphrase = QLineEdit(placeholderText="or a passphrase (sent through another channel)")
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        for w in (self.recipients, self.passphrase):
            w.setEnabled(False)
            self.encrypt.toggled.connect(w.setEnabled)
        self.out = QLineEdit()
        self.out.setObjectName("out")
        form.addRow(self.encrypt)
        form.addRow("Recipients", self.recipients)
        form.addRow("Passphrase", self.passphrase)
        form.addRow("Bundle folder*", _path_row(self.out, "Bundle folder (new or empty)", folder=True))
        hint = QLabel("The folder is created; an existing one must be empty. Nothing is overwritten.")
        hint.setWordWrap(True)
        form.addRow(hint)
        self.registerField("out*", self.out)

    def recipient_list(self) -> list[str]:
        if not self.encrypt.isChecked():
            return []
        return [r.strip() for r in self.recipients.text().split(",") if r.strip()]

    def passphrase_text(self) -> str | None:
        return (self.passphrase.text() or None) if self.encrypt.isChecked() else None

    def validatePage(self) -> bool:
        if self.encrypt.isChecked() and not (self.recipient_list() or self.passphrase_text()):
            self.setSubTitle("<b>Give at least one recipient or a passphrase, or untick encryption.</b>")
            return False
        return True


class ResultPage(QWizardPage):
    def __init__(self, wizard: ExportWizard) -> None:
        super().__init__()
        self.w = wizard
        self.setTitle("Export and verification")
        lay = QVBoxLayout(self)
        self.status = QLabel("Exporting…")
        self.status.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setObjectName("exportProgress")
        self.current = QLabel("")
        self.current.setWordWrap(True)
        self.verdict = QLabel("")
        self.verdict.setObjectName("verdict")
        self.archive = QLineEdit(readOnly=True)
        self.sha = QLineEdit(readOnly=True)
        self.report = QPlainTextEdit(readOnly=True)
        form = QFormLayout()
        form.addRow("Verification", self.verdict)
        form.addRow("Archive", self.archive)
        self.sha_label = QLabel("Archive SHA-256")
        form.addRow(self.sha_label, self.sha)
        lay.addWidget(self.status)
        lay.addWidget(self.progress)
        lay.addWidget(self.current)
        lay.addLayout(form)
        lay.addWidget(self.report, 1)
        self.done = False

    def initializePage(self) -> None:
        self.done = False
        self.w.start_export()

    def isComplete(self) -> bool:
        return self.done


class ExportWizard(QWizard):
    exportFinished = Signal(object)  # result dict
    exportFailed = Signal(object)  # exception
    exportProgress = Signal(int, int)  # files done, total

    def __init__(
        self, session: CaseSession, selected_ids: list[int] | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export bundle")
        self.session = session
        self.selected_ids = list(selected_ids or [])
        self.export_result: dict[str, Any] | None = None
        self.job: Job | None = None
        self.cancel_event = Cancel()
        self.selection = SelectionPage(self)
        self.request = RequestPage()
        self.signing = SigningPage()
        self.encryption = EncryptionPage()
        self.result_page = ResultPage(self)
        for p in (self.selection, self.request, self.signing, self.encryption, self.result_page):
            self.addPage(p)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)

    def settings(self) -> ExportSettings:
        key = self.signing.key.text().strip() or None
        ssh = self.signing.ssh()
        return ExportSettings(
            case_path=self.session.path,
            out=Path(self.encryption.out.text().strip()).expanduser(),
            file_ids=self.selection.file_ids(),
            request=self.request.values(),
            signing_key=None if ssh else key,
            ssh_key=key if ssh else None,
            signing_cert=(self.signing.cert.text().strip() or None) if key and not ssh else None,
            key_password=self.signing.password.text() or None,
            recipients=self.encryption.recipient_list(),
            passphrase=self.encryption.passphrase_text(),
        )

    def start_export(self) -> None:
        page = self.result_page
        s = self.settings()
        page.status.setText(
            f"Exporting {len(s.file_ids)} files to {s.out}: each is re-read from the evidence "
            "and re-hashed, then the bundle is verified…"
        )
        page.progress.setRange(0, max(1, len(s.file_ids)))
        page.progress.setValue(0)
        page.verdict.setText("")
        self.button(QWizard.WizardButton.CancelButton).setText("Cancel export")
        cancel = self.cancel_event
        job = Job(lambda: run_export(s, job.progress.emit, cancel), "export", self)
        self.job = job
        job.progress.connect(self._progress)
        job.finished.connect(self._finished)
        job.errored.connect(self._failed)
        job.start()

    def _progress(self, p: Progress) -> None:
        i, n, path = p.done, p.total or 0, p.message
        page = self.result_page
        page.progress.setRange(0, max(1, n))
        page.progress.setValue(i)
        page.current.setText(f"{i:,} of {n:,}: {path}")
        self.exportProgress.emit(i, n)

    def cancel_export(self) -> None:
        """Stop a running export: the core removes its partial output."""
        self.cancel_event.cancel("cancelled by the examiner")
        if self.job is not None:
            self.result_page.status.setText("Cancelling: the partial bundle is being removed…")

    def reject(self) -> None:
        if self.job is not None:  # Cancel while exporting stops the export; the wizard stays open
            self.cancel_export()
            return
        super().reject()

    def _finished(self, result: dict[str, Any]) -> None:
        self.job = None
        self.export_result = result
        page = self.result_page
        ok = result["verified"]
        page.verdict.setText("PASSED" if ok else "FAILED")
        page.verdict.setStyleSheet(f"font-weight: bold; color: {'#1a7f37' if ok else '#c62828'}")
        page.archive.setText(result["archive"])
        page.sha_label.setText(
            "Archive SHA-256" if result["sha256_of"] == "archive" else "manifest-sha256.txt SHA-256"
        )
        page.sha.setText(result["sha256"])
        page.progress.setValue(page.progress.maximum())
        page.current.setText(
            f"{result['files']:,} files, {result['bytes']:,} bytes; {result['left_out']:,} left "
            "out (see data/inventory/left-out.csv)" + ("" if result["signed"] else " · NOT SIGNED")
        )
        page.report.setPlainText(
            "\n".join([*(f"[warning] {w}" for w in result["warnings"]), result["report"]])
        )
        page.status.setText(
            "The bundle was written and verified."
            if ok
            else "The bundle was written but did NOT verify: do not send it."
        )
        self._complete()
        self.exportFinished.emit(result)

    def _failed(self, exc: BaseException) -> None:
        self.job = None
        page = self.result_page
        api = export_api()
        cancelled = api is not None and isinstance(exc, api.ExportCancelled)
        page.verdict.setText("CANCELLED" if cancelled else "NOT EXPORTED")
        page.verdict.setStyleSheet("font-weight: bold; color: #c62828")
        msg = (
            str(exc)
            if isinstance(exc, TriageError)
            else f"{type(exc).__name__}: {exc} (details in the log file)"
        )
        page.status.setText(f"Export cancelled: {msg}" if cancelled else f"Export failed: {msg}")
        self._complete()
        self.exportFailed.emit(exc)

    def _complete(self) -> None:
        self.result_page.done = True
        self.button(QWizard.WizardButton.CancelButton).setText("Close")
        self.result_page.completeChanged.emit()

    def shutdown(self, timeout_ms: int = 60000) -> None:
        """Cancel a running export and wait for it (window closing)."""
        if self.job is not None:
            job = self.job
            self.cancel_export()
            job.wait(timeout_ms)
