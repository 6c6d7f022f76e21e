"""The export wizard: selection → request metadata → signing key → encryption → result.

It calls the core exporter (:mod:`triage.export`) in a background job, then verifies the
bundle with the core verifier and shows the verdict and the archive's SHA-256. Paths are
plain fields (a Browse button opens a dialog), so tests fill them in directly.
"""

from __future__ import annotations

import hashlib
import importlib
import inspect
import logging
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
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from triage.errors import TriageError, UsageError
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
    ("examiner", "Examiner*"),
]


def export_api() -> Any | None:
    """The core export module when it is installed (``export_bundle`` and ``verify_bundle``)."""
    try:
        mod = importlib.import_module("triage.export")
    except ImportError:
        return None
    return mod if hasattr(mod, "export_bundle") and hasattr(mod, "verify_bundle") else None


def _call(fn: Any, available: dict[str, Any], *positional: Any) -> Any:
    """Call ``fn`` with the keyword arguments it declares (the exporter's signature decides)."""
    params = inspect.signature(fn).parameters
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values()):
        kwargs = {k: v for k, v in available.items() if v is not None}
    else:
        kwargs = {k: v for k, v in available.items() if k in params and v is not None}
    return fn(*positional, **kwargs)


def run_export(case_path: Path, out: Path, file_ids: list[int], request: dict[str, str], key: str | None,
               recipients: list[str]) -> dict[str, Any]:
    """Export then verify; returns ``{"archive", "sha256", "verified", "report"}``."""
    api = export_api()
    if api is None:
        raise UsageError("bundle export is not available in this installation (triage.export missing)")
    from triage.case.store import Case

    with Case.open(case_path) as case:
        result = _call(api.export_bundle, {
            "selection": file_ids, "file_ids": file_ids, "request": request, "metadata": request,
            "signing_key": Path(key) if key else None, "key": Path(key) if key else None,
            "recipients": recipients or None, "encrypt_to": recipients or None,
        }, case, out)
    archive = Path(getattr(result, "archive", None) or getattr(result, "path", None) or result) \
        if not isinstance(result, dict) else Path(result.get("archive") or result.get("path") or out)
    verdict = api.verify_bundle(archive)
    ok = bool(getattr(verdict, "ok", getattr(verdict, "valid", getattr(verdict, "passed", verdict))))
    if isinstance(verdict, dict):
        ok = bool(verdict.get("ok", verdict.get("valid", verdict.get("passed", False))))
    report = str(getattr(verdict, "report", None) or getattr(verdict, "messages", None) or verdict)
    digest = _sha256(archive) if archive.is_file() else ""
    return {"archive": str(archive), "sha256": digest, "verified": ok, "report": report}


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
        path = (QFileDialog.getExistingDirectory(w, caption) if folder
                else QFileDialog.getOpenFileName(w, caption)[0])
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
        self.setSubTitle("Choose the files that go into the bundle. Their content is re-read from the evidence "
                         "and re-hashed.")
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
        (self.selected if self.w.selected_ids else self.tagged).setChecked(True)
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

    def values(self) -> dict[str, str]:
        out = {k: e.text().strip() for k, e in self.edits.items() if e.text().strip()}
        if self.notes.toPlainText().strip():
            out["notes"] = self.notes.toPlainText().strip()
        return out


class SigningPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle("Signing key")
        self.setSubTitle("The bundle's manifest is signed so the recipient can check who produced it and that "
                         "nothing changed. Leave empty to export unsigned.")
        form = QFormLayout(self)
        self.key = QLineEdit(placeholderText="private key file (Ed25519/RSA PEM, or OpenSSH)")
        form.addRow("Key", _path_row(self.key, "Signing key"))


class EncryptionPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle("Encryption and destination")
        self.setSubTitle("Optionally encrypt the archive to the recipient's age public keys.")
        form = QFormLayout(self)
        self.encrypt = QCheckBox("Encrypt the archive")
        self.recipients = QLineEdit(placeholderText="age1… (comma separated)")
        self.recipients.setEnabled(False)
        self.encrypt.toggled.connect(self.recipients.setEnabled)
        self.out = QLineEdit()
        self.out.setObjectName("out")
        form.addRow(self.encrypt)
        form.addRow("Recipients", self.recipients)
        form.addRow("Output folder*", _path_row(self.out, "Output folder", folder=True))
        self.registerField("out*", self.out)

    def recipient_list(self) -> list[str]:
        if not self.encrypt.isChecked():
            return []
        return [r.strip() for r in self.recipients.text().split(",") if r.strip()]


class ResultPage(QWizardPage):
    def __init__(self, wizard: ExportWizard) -> None:
        super().__init__()
        self.w = wizard
        self.setTitle("Export and verification")
        lay = QVBoxLayout(self)
        self.status = QLabel("Exporting…")
        self.status.setWordWrap(True)
        self.verdict = QLabel("")
        self.verdict.setObjectName("verdict")
        self.archive = QLineEdit(readOnly=True)
        self.sha = QLineEdit(readOnly=True)
        self.report = QPlainTextEdit(readOnly=True)
        form = QFormLayout()
        form.addRow("Verification", self.verdict)
        form.addRow("Archive", self.archive)
        form.addRow("Archive SHA-256", self.sha)
        lay.addWidget(self.status)
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

    def __init__(self, session: CaseSession, selected_ids: list[int] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export bundle")
        self.session = session
        self.selected_ids = list(selected_ids or [])
        self.result: dict[str, Any] | None = None
        self.job: Job | None = None
        self.selection = SelectionPage(self)
        self.request = RequestPage()
        self.signing = SigningPage()
        self.encryption = EncryptionPage()
        self.result_page = ResultPage(self)
        for p in (self.selection, self.request, self.signing, self.encryption, self.result_page):
            self.addPage(p)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)

    def start_export(self) -> None:
        page = self.result_page
        out = Path(self.encryption.out.text()).expanduser()
        ids = self.selection.file_ids()
        request = self.request.values()
        key = self.signing.key.text().strip() or None
        recipients = self.encryption.recipient_list()
        page.status.setText(f"Exporting {len(ids)} files to {out} and verifying…")
        self.button(QWizard.WizardButton.CancelButton).setEnabled(False)
        self.job = Job(lambda: run_export(self.session.path, out, ids, request, key, recipients), "export", self)
        self.job.finished.connect(self._finished)
        self.job.errored.connect(self._failed)
        self.job.start()

    def _finished(self, result: dict[str, Any]) -> None:
        self.job = None
        self.result = result
        page = self.result_page
        ok = result["verified"]
        page.verdict.setText("PASSED" if ok else "FAILED")
        page.verdict.setStyleSheet(f"font-weight: bold; color: {'#1a7f37' if ok else '#c62828'}")
        page.archive.setText(result["archive"])
        page.sha.setText(result["sha256"])
        page.report.setPlainText(result["report"])
        page.status.setText("The bundle was written and verified." if ok else
                            "The bundle was written but did NOT verify: do not send it.")
        self._complete()
        self.exportFinished.emit(result)

    def _failed(self, exc: BaseException) -> None:
        self.job = None
        page = self.result_page
        page.verdict.setText("NOT EXPORTED")
        page.verdict.setStyleSheet("font-weight: bold; color: #c62828")
        msg = str(exc) if isinstance(exc, TriageError) else f"{type(exc).__name__}: {exc} (details in the log file)"
        page.status.setText(f"Export failed: {msg}")
        self._complete()
        self.exportFailed.emit(exc)

    def _complete(self) -> None:
        self.result_page.done = True
        self.button(QWizard.WizardButton.CancelButton).setEnabled(True)
        self.result_page.completeChanged.emit()
