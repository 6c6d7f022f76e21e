"""The export wizard: selection → request → sender → signature → destination → result.

It calls the core exporter (:mod:`triage.export`) in a background job, then verifies the bundle
with the core verifier (the one ``triage verify`` uses) in a second job and shows the verdict and
the archive's SHA-256 (for an unencrypted bag folder: the SHA-256 of its manifest, which the
signatures cover); *Verify again* repeats the check, optionally against a trust anchor.

Every page checks its input when Next is pressed: a missing required field, a missing key file
or a folder that is not empty is named next to its field and the page stays open with what was
typed. The request fields are prefilled from the case (:class:`triage.case.records.CaseInfo`)
and from the last export (QSettings; see :mod:`triage_ui.views.request_form`).
"""

from __future__ import annotations

import hashlib
import importlib
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QSettings, QTimer, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from triage.errors import TriageError, UsageError
from triage.progress import Cancel, CancelToken, Progress, ProgressCallback
from triage_ui.jobs import Job
from triage_ui.session import CaseSession
from triage_ui.views.request_form import (
    ERROR_STYLE,
    EXPORT_REQUEST,
    EXPORT_SENDER,
    RequestFields,
    export_required,
    prefill,
    remember,
)

log = logging.getLogger("triage.ui.export")

PASS_STYLE = "font-weight: bold; color: #1a7f37"
FAIL_STYLE = "font-weight: bold; color: #c62828"


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
    unhashed: str = "stop"  # selected files without a SHA-256 in the case: stop, skip or include


def run_export(
    s: ExportSettings,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
) -> dict[str, Any]:
    """Export with the core exporter (the bundle is not re-verified here: see :func:`run_verify`).

    Returns ``{"archive", "bag", "encrypted", "sha256", "sha256_of", "files", "bytes", "left_out",
    "signed", "signer", "warnings", "verified_before_encryption"}``: ``archive`` is the bag folder, or
    the ``.tar.age`` archive when encrypted; ``sha256`` is that archive's SHA-256, or for a bag folder
    the SHA-256 of its ``manifest-sha256.txt`` (what the audit log and signatures cover).
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
            unhashed=s.unhashed,
            progress=progress,
            cancel=cancel,
        )
    if result.archive is not None:
        digest, of = result.archive_sha256 or _sha256(result.archive), "archive"
    else:
        digest, of = result.manifest_sha256, "manifest-sha256.txt"
    return {
        "archive": str(result.path),
        "encrypted": result.archive is not None,
        "sha256": digest,
        "sha256_of": of,
        "files": result.files,
        "bytes": result.bytes,
        "left_out": result.left_out,
        "signed": bool(result.signer),
        "signer": dict(result.signer),
        "warnings": list(result.warnings),
        "verified_before_encryption": bool(result.verified),
    }


def run_verify(
    path: str | Path,
    *,
    passphrase: str | None = None,
    require_signature: bool = False,
    ca: str | None = None,
    allowed_signers: str | None = None,
) -> dict[str, Any]:
    """The core verifier (``triage verify``) on a bag folder or a passphrase archive:
    ``{"ok", "report", "checks": [(name, ok, message)], "warnings"}``."""
    api = export_api()
    if api is None:
        raise UsageError("bundle verification is not available in this installation")
    verdict = api.verify_bundle(
        Path(path),
        passphrase=passphrase,
        require_signature=require_signature,
        ca=ca or None,
        allowed_signers=allowed_signers or None,
    )
    return {
        "ok": bool(verdict.ok),
        "report": verdict.report,
        "checks": [(c.name, c.ok, c.message) for c in verdict.checks],
        "warnings": list(verdict.warnings),
    }


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _error_label(name: str) -> QLabel:
    label = QLabel("")
    label.setObjectName(name)
    label.setStyleSheet(ERROR_STYLE)
    label.setWordWrap(True)
    label.hide()
    return label


def _say(label: QLabel, text: str) -> None:
    label.setText(text)
    label.setVisible(bool(text))


def _path_row(edit: QLineEdit, caption: str, button: str, folder: bool = False) -> QWidget:
    w = QWidget()
    lay = QHBoxLayout(w)
    lay.setContentsMargins(0, 0, 0, 0)
    lay.addWidget(edit, 1)
    btn = QPushButton(button)

    def browse() -> None:
        start = edit.text().strip()
        path = (
            QFileDialog.getExistingDirectory(w, caption, start)
            if folder
            else QFileDialog.getOpenFileName(w, caption, start)[0]
        )
        if path:
            edit.setText(path)

    btn.clicked.connect(browse)
    lay.addWidget(btn)
    return w


def _scrolled(inner: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(inner)
    return area


class SelectionPage(QWizardPage):
    def __init__(self, wizard: ExportWizard) -> None:
        super().__init__()
        self.w = wizard
        self.setTitle(self.tr("What to export"))
        self.setSubTitle(
            self.tr(
                "Choose the files that go into the bundle. Their content is re-read from the evidence "
                "and re-hashed."
            )
        )
        lay = QVBoxLayout(self)
        self.group = QButtonGroup(self)
        self.tagged = QRadioButton(self.tr("Files tagged"))
        self.tag_combo = QComboBox()
        self.findings = QRadioButton(self.tr("Files with findings"))
        self.selected = QRadioButton(self.tr("Files selected in the table"))
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
        unhashed = QHBoxLayout()
        unhashed.addWidget(QLabel(self.tr("Files not hashed yet (scan unfinished, or unreadable):")))
        self.unhashed = QComboBox()
        self.unhashed.setObjectName("unhashed")
        self.unhashed_choices = [
            ("stop", self.tr("stop and name them")),
            ("skip", self.tr("leave them out (listed in the redaction log)")),
            ("include", self.tr("include them, hashed now from the evidence")),
        ]
        for _value, text in self.unhashed_choices:
            self.unhashed.addItem(text)
        unhashed.addWidget(self.unhashed, 1)
        lay.addLayout(unhashed)
        lay.addStretch(1)

    def initializePage(self) -> None:
        s = self.w.session
        self.tag_combo.clear()
        self.tag_combo.addItem(self.tr("(any tag)"), None)
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

    def unhashed_choice(self) -> str:
        return self.unhashed_choices[max(0, self.unhashed.currentIndex())][0]

    def _update(self) -> None:
        n = len(self.file_ids()) if self.w.session else 0
        self.count.setText(
            self.tr("1 file will be exported.")
            if n == 1
            else self.tr("%1 files will be exported.").replace("%1", f"{n:,}")
        )
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return bool(self.file_ids())


class _FieldsPage(QWizardPage):
    """A page of cover-sheet fields: checked in the page, the first empty one focused on entry."""

    def __init__(self, title: str, subtitle: str, fields: Any) -> None:
        super().__init__()
        self.setTitle(title)
        self.setSubTitle(subtitle)
        self.form = RequestFields(fields, export_required())
        self.edits = self.form.edits
        lay = QVBoxLayout(self)
        lay.addWidget(_scrolled(self.form))

    def initializePage(self) -> None:
        QTimer.singleShot(0, self.form.focus_first_empty)  # after QWizard has moved the focus to Next

    def validatePage(self) -> bool:
        return not self.form.check()


class RequestPage(_FieldsPage):
    """The request and the requesting authority (remembered per case)."""

    def __init__(self) -> None:
        super().__init__(
            QCoreApplication.translate("RequestPage", "Request"),
            QCoreApplication.translate(
                "RequestPage",
                "The request for mutual legal assistance (or European Investigation Order) this bundle "
                "answers, and the authority that sent it. Everything here is printed on the cover sheet.",
            ),
            EXPORT_REQUEST,
        )


class SenderPage(_FieldsPage):
    """Who answers and sends: the requested authority or provider, the organisation, the examiner."""

    def __init__(self) -> None:
        super().__init__(
            QCoreApplication.translate("SenderPage", "Sender"),
            QCoreApplication.translate(
                "SenderPage",
                "Who answers the request and sends the bundle. The bundle's README says "
                "\u201cSent by: examiner, organisation\u201d; the recipient contacts the examiner.",
            ),
            EXPORT_SENDER,
        )


class SigningPage(QWizardPage):
    NONE, CMS, SSH = 0, 1, 2

    def __init__(self) -> None:
        super().__init__()
        self.setTitle(self.tr("Signature"))
        self.setSubTitle(
            self.tr(
                "A signature lets the recipient check that the bundle comes from you and that not one "
                "byte changed after you signed it."
            )
        )
        lay = QVBoxLayout(self)
        explain = QLabel(
            self.tr(
                "To sign you need your private key file, which stays on this computer (only the "
                "signature and your certificate or public key go into the bundle). For a certificate "
                "signature you also need the certificate your organisation issued for that key. After "
                "the export, give the recipient the signer's fingerprint through another channel "
                "(telephone or letter), so that they can be sure the key is yours."
            )
        )
        explain.setWordWrap(True)
        lay.addWidget(explain)
        self.group = QButtonGroup(self)
        self.none = QRadioButton(self.tr("Do not sign"))
        self.cms = QRadioButton(
            self.tr("Sign with my certificate (X.509: the usual choice between authorities)")
        )
        self.ssh_radio = QRadioButton(self.tr("Sign with my SSH key (Ed25519)"))
        for i, b in enumerate((self.none, self.cms, self.ssh_radio)):
            b.setObjectName(("signNone", "signCms", "signSsh")[i])
            self.group.addButton(b, i)
            lay.addWidget(b)
        self.cms.setChecked(True)
        form = QFormLayout()
        self.key = QLineEdit()
        self.key.setObjectName("signingKey")
        self.key.setPlaceholderText(self.tr("your private key file (.pem, .key, .p12 or .pfx)"))
        self.key_error = _error_label("signingKey_error")
        self.cert = QLineEdit()
        self.cert.setObjectName("signingCert")
        self.cert.setPlaceholderText(
            self.tr("not needed when the key file holds it (.p12, .pfx) or it lies beside the key")
        )
        self.cert_error = _error_label("signingCert_error")
        self.password = QLineEdit()
        self.password.setObjectName("keyPassword")
        self.password.setPlaceholderText(self.tr("only if the key file is protected by a password"))
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_error = _error_label("keyPassword_error")
        browse = self.tr("Choose…")
        self.key_row = _path_row(self.key, self.tr("Your private key file"), browse)
        self.cert_row = _path_row(self.cert, self.tr("Your certificate"), browse)
        self.key_label = QLabel(self.tr("Private key file"))
        self.cert_label = QLabel(self.tr("Certificate"))
        self.password_label = QLabel(self.tr("Key password"))
        form.addRow(self.key_label, self._stack(self.key_row, self.key_error))
        form.addRow(self.cert_label, self._stack(self.cert_row, self.cert_error))
        form.addRow(self.password_label, self._stack(self.password, self.password_error))
        lay.addLayout(form)
        self.warning = QLabel("")
        self.warning.setObjectName("signingWarning")
        self.warning.setWordWrap(True)
        lay.addWidget(self.warning)
        lay.addStretch(1)
        self.group.idToggled.connect(lambda _i, _on: self._update())
        self.key.textChanged.connect(self._key_changed)
        self.cert.textChanged.connect(lambda _t: _say(self.cert_error, ""))
        self.password.textChanged.connect(lambda _t: _say(self.password_error, ""))
        self.signer: dict[str, str] = {}
        self._update()

    def _key_changed(self, _text: str) -> None:
        _say(self.key_error, "")
        self._update()

    @staticmethod
    def _stack(top: QWidget, error: QLabel) -> QWidget:
        w = QWidget()
        lay = QVBoxLayout(w)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(1)
        lay.addWidget(top)
        lay.addWidget(error)
        return w

    def kind(self) -> int:
        return max(0, self.group.checkedId())

    def ssh(self) -> bool:
        return self.kind() == self.SSH

    def signs(self) -> bool:
        return self.kind() != self.NONE

    def set_kind(self, kind: int) -> None:
        (self.none, self.cms, self.ssh_radio)[kind if kind in (0, 1, 2) else 1].setChecked(True)

    def _update(self) -> None:
        signs = self.signs()
        for w in (self.key_row, self.key_label, self.password, self.password_label):
            w.setEnabled(signs)
        for w in (self.cert_row, self.cert_label):
            w.setEnabled(signs and not self.ssh())
        self.warning.setText(
            ""
            if signs
            else self.tr(
                "<b>The bundle will not be signed</b>: the recipient can check every hash, but not who "
                "produced the bundle."
            )
        )

    def initializePage(self) -> None:
        if self.signs() and not self.key.text().strip():
            QTimer.singleShot(0, self.key.setFocus)

    def validatePage(self) -> bool:
        """Load the key here (a second at most) so that a wrong file or password is named at once."""
        self.signer = {}
        for label in (self.key_error, self.cert_error, self.password_error):
            _say(label, "")
        if not self.signs():
            return True
        key = self.key.text().strip()
        cert = self.cert.text().strip() if not self.ssh() else ""
        if not key:
            _say(self.key_error, self.tr("Choose your private key file, or choose \u201cDo not sign\u201d."))
            self.key.setFocus()
            return False
        if not Path(key).expanduser().is_file():
            _say(self.key_error, self.tr("There is no file at this place."))
            self.key.setFocus()
            return False
        if cert and not Path(cert).expanduser().is_file():
            _say(self.cert_error, self.tr("There is no file at this place."))
            self.cert.setFocus()
            return False
        from triage.export import signing

        try:
            signer = signing.load_signer(
                None if self.ssh() else Path(key).expanduser(),
                Path(cert).expanduser() if cert else None,
                Path(key).expanduser() if self.ssh() else None,
                self.password.text() or None,
            )
        except TriageError as exc:
            if isinstance(exc.__cause__, TypeError):  # encrypted without a password, or the reverse
                _say(
                    self.password_error,
                    self.tr("This key file is protected by a password: type it here.")
                    if not self.password.text()
                    else self.tr("This key file is not protected by a password: leave this empty."),
                )
                self.password.setFocus()
            elif "certificate" in str(exc) and not self.ssh():
                _say(self.cert_error, str(exc))
                self.cert.setFocus()
            else:
                _say(self.key_error, str(exc))
                self.key.setFocus()
            return False
        except ValueError as exc:  # a wrong password on an OpenSSH key
            _say(self.password_error, self.tr("The key cannot be opened: %1").replace("%1", str(exc)))
            return False
        self.signer = dict(signer.describe()) if signer is not None else {}
        return True


class DestinationPage(QWizardPage):
    def __init__(self, wizard: ExportWizard) -> None:
        super().__init__()
        self.w = wizard
        self.setTitle(self.tr("Destination and encryption"))
        self.setSubTitle(
            self.tr(
                "Where the bundle is written. A new folder is made for it; an existing folder must be "
                "empty. Nothing is ever overwritten."
            )
        )
        lay = QVBoxLayout(self)
        form = QFormLayout()
        self.out = QLineEdit()
        self.out.setObjectName("out")
        self.out_error = _error_label("out_error")
        self.inside = QPushButton(self.tr("Put the bundle in a new folder inside it"))
        self.inside.setObjectName("newFolderInside")
        self.inside.hide()
        self.inside.clicked.connect(self._new_inside)
        out_cell = QWidget()
        ol = QVBoxLayout(out_cell)
        ol.setContentsMargins(0, 0, 0, 0)
        ol.setSpacing(1)
        ol.addWidget(_path_row(self.out, self.tr("Folder for the bundle"), self.tr("Choose…"), folder=True))
        ol.addWidget(self.out_error)
        ol.addWidget(self.inside)
        form.addRow(self.tr("Bundle folder *"), out_cell)
        lay.addLayout(form)
        self.encrypt = QCheckBox(self.tr("Encrypt the bundle for the journey"))
        self.encrypt.setObjectName("encrypt")
        lay.addWidget(self.encrypt)
        explain = QLabel(
            self.tr(
                "The bundle then becomes one archive (the folder name followed by .tar.age) that only "
                "the recipients can open: give their public keys (they start with age1 or ssh-ed25519; "
                "separate several with commas), or a passphrase that you send through another channel "
                "(telephone, not the same e-mail)."
            )
        )
        explain.setWordWrap(True)
        lay.addWidget(explain)
        enc = QFormLayout()
        self.recipients = QLineEdit()
        self.recipients.setObjectName("recipients")
        self.recipients.setPlaceholderText("age1…, ssh-ed25519 …")
        self.recipients_error = _error_label("recipients_error")
        self.passphrase = QLineEdit()
        self.passphrase.setObjectName("passphrase")
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        for w in (self.recipients, self.passphrase):
            w.setEnabled(False)
            self.encrypt.toggled.connect(w.setEnabled)
        rc = QWidget()
        rl = QVBoxLayout(rc)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.setSpacing(1)
        rl.addWidget(self.recipients)
        rl.addWidget(self.recipients_error)
        enc.addRow(self.tr("Recipients' public keys"), rc)
        enc.addRow(self.tr("or a passphrase"), self.passphrase)
        lay.addLayout(enc)
        lay.addStretch(1)
        self.out.textChanged.connect(self._out_changed)
        self.recipients.textChanged.connect(lambda _t: _say(self.recipients_error, ""))
        self.passphrase.textChanged.connect(lambda _t: _say(self.recipients_error, ""))
        self.encrypt.toggled.connect(lambda _on: _say(self.recipients_error, ""))

    def _out_changed(self, _text: str) -> None:
        _say(self.out_error, "")
        self.inside.hide()

    def initializePage(self) -> None:
        if not self.out.text().strip():
            parent = str(self.w.settings_store.value("export/folder", "")) if self.w.settings_store else ""
            if parent and Path(parent).is_dir():
                self.out.setText(str(self._unused(Path(parent) / self.w.suggested_name())))
        QTimer.singleShot(0, self.out.setFocus)

    def recipient_list(self) -> list[str]:
        if not self.encrypt.isChecked():
            return []
        return [r.strip() for r in self.recipients.text().split(",") if r.strip()]

    def passphrase_text(self) -> str | None:
        return (self.passphrase.text() or None) if self.encrypt.isChecked() else None

    @staticmethod
    def _unused(path: Path) -> Path:
        """``path``, or ``path-2``, ``path-3`` … : the first name not taken (nothing is overwritten)."""
        candidate, n = path, 1
        while candidate.exists() or candidate.with_name(candidate.name + ".tar.age").exists():
            n += 1
            candidate = path.with_name(f"{path.name}-{n}")
        return candidate

    def _new_inside(self) -> None:
        folder = Path(self.out.text().strip()).expanduser()
        self.out.setText(str(self._unused(folder / self.w.suggested_name())))
        self.out.setFocus()

    def target(self) -> Path:
        return Path(self.out.text().strip()).expanduser()

    def folder_problem(self) -> str | None:
        """Why the bundle cannot go to the folder given (``None`` when it can)."""
        text = self.out.text().strip()
        if not text:
            return self.tr("Choose the folder the bundle goes to.")
        target = self.target().absolute()
        if self.encrypt.isChecked():
            archive = target if target.name.endswith(".age") else target.with_name(target.name + ".tar.age")
            if archive.exists():
                return self.tr("%1 already exists, and nothing is overwritten: choose another name.").replace(
                    "%1", str(archive)
                )
        elif target.exists() and not target.is_dir():
            return self.tr("This is a file, not a folder.")
        elif target.is_dir() and any(target.iterdir()):
            self.inside.show()
            return self.tr(
                "This folder is not empty, and nothing is ever overwritten: choose a new or empty folder."
            )
        if not target.parent.is_dir():
            return self.tr(
                "The folder %1 does not exist: the bundle folder must be made inside an existing one."
            ).replace("%1", str(target.parent))
        return None

    def validatePage(self) -> bool:
        self.inside.hide()
        problem = self.folder_problem()
        if problem:
            _say(self.out_error, problem)
            self.out.setFocus()
            return False
        if self.encrypt.isChecked():
            if not (self.recipient_list() or self.passphrase_text()):
                _say(
                    self.recipients_error,
                    self.tr(
                        "Give at least one recipient's public key or a passphrase, or untick encryption."
                    ),
                )
                self.recipients.setFocus()
                return False
            if self.recipient_list():
                from triage.export import transport

                try:
                    transport.parse_recipients(self.recipient_list())
                except TriageError as exc:
                    _say(self.recipients_error, str(exc))
                    self.recipients.setFocus()
                    return False
        return True


class ResultPage(QWizardPage):
    def __init__(self, wizard: ExportWizard) -> None:
        super().__init__()
        self.w = wizard
        self.setTitle(self.tr("Export and verification"))
        lay = QVBoxLayout(self)
        self.status = QLabel(self.tr("Exporting…"))
        self.status.setObjectName("exportStatus")
        self.status.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setObjectName("exportProgress")
        self.current = QLabel("")
        self.current.setWordWrap(True)
        self.verdict = QLabel("")
        self.verdict.setObjectName("verdict")
        self.archive = QLineEdit(readOnly=True)
        self.sha = QLineEdit(readOnly=True)
        self.signer = QLineEdit(readOnly=True)
        self.signer.setObjectName("signerFingerprint")
        self.report = QPlainTextEdit(readOnly=True)
        self.report.setObjectName("verifyReport")
        form = QFormLayout()
        form.addRow(self.tr("Verification"), self.verdict)
        form.addRow(self.tr("Bundle"), self.archive)
        self.sha_label = QLabel(self.tr("Archive SHA-256"))
        form.addRow(self.sha_label, self.sha)
        form.addRow(self.tr("Signer fingerprint"), self.signer)
        self.anchor = QLineEdit()
        self.anchor.setObjectName("trustAnchor")
        self.anchor.setPlaceholderText(
            self.tr("optional: the CA or signer certificate the recipient will trust")
        )
        self.anchor_label = QLabel(self.tr("Check the signer against"))
        form.addRow(
            self.anchor_label, _path_row(self.anchor, self.tr("Trusted certificate"), self.tr("Choose…"))
        )
        self.verify_btn = QPushButton(self.tr("Verify again"))
        self.verify_btn.setObjectName("verifyButton")
        self.verify_btn.setToolTip(
            self.tr(
                "Check the bundle as the recipient will: every hash, the signature, the inventory and the custody log"
            )
        )
        self.verify_btn.setEnabled(False)
        self.verify_btn.clicked.connect(lambda: self.w.start_verify())
        lay.addWidget(self.status)
        lay.addWidget(self.progress)
        lay.addWidget(self.current)
        lay.addLayout(form)
        lay.addWidget(self.verify_btn)
        lay.addWidget(self.report, 1)
        self.done = False

    def initializePage(self) -> None:
        self.done = False
        self.w.start_export()

    def isComplete(self) -> bool:
        return self.done


class ExportWizard(QWizard):
    exportFinished = Signal(object)  # result dict, once the first verification is done
    exportFailed = Signal(object)  # exception
    exportProgress = Signal(int, int)  # files done, total
    verifyFinished = Signal(object)  # verification dict (run_verify)

    def __init__(
        self,
        session: CaseSession,
        selected_ids: list[int] | None = None,
        parent: QWidget | None = None,
        settings: QSettings | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Export bundle"))
        self.session = session
        self.settings_store = settings
        self.selected_ids = list(selected_ids or [])
        self.export_result: dict[str, Any] | None = None
        self.verification: dict[str, Any] | None = None
        self.job: Job | None = None
        self.verify_job: Job | None = None
        self.cancel_event = Cancel()
        self._passphrase: str | None = None
        self.selection = SelectionPage(self)
        self.request = RequestPage()
        self.sender_page = SenderPage()
        self.signing = SigningPage()
        self.encryption = DestinationPage(self)
        self.result_page = ResultPage(self)
        for p in (
            self.selection,
            self.request,
            self.sender_page,
            self.signing,
            self.encryption,
            self.result_page,
        ):
            self.addPage(p)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        screen = (parent.screen() if parent is not None else self.screen()).availableGeometry()
        self.resize(min(880, screen.width() - 40), min(700, screen.height() - 40))
        self._prefill()

    # -- prefill and memory ------------------------------------------------------------------------------
    def _prefill(self) -> None:
        try:
            info = self.session.ro.case_info()
        except Exception:  # an old case without the information: the fields stay empty
            log.warning("case information not readable", exc_info=True)
            info = None
        values = prefill(EXPORT_REQUEST + EXPORT_SENDER, info, self.settings_store, self.session.path)
        self.request.form.set_values(values)
        self.sender_page.form.set_values(values)
        st = self.settings_store
        if st is not None:
            self.signing.set_kind(int(str(st.value("export/signing/kind", SigningPage.CMS))))
            self.signing.key.setText(str(st.value("export/signing/key", "")))
            self.signing.cert.setText(str(st.value("export/signing/cert", "")))

    def _remember_fields(self) -> None:
        values = {**self.request.form.values(), **self.sender_page.form.values()}
        remember(EXPORT_REQUEST + EXPORT_SENDER, values, self.settings_store, self.session.path)

    def _remember(self, s: ExportSettings) -> None:
        self._remember_fields()
        st = self.settings_store
        if st is None:
            return
        st.setValue("export/signing/kind", self.signing.kind())  # never the password
        st.setValue("export/signing/key", self.signing.key.text().strip())
        st.setValue("export/signing/cert", self.signing.cert.text().strip())
        st.setValue("export/folder", str(s.out.absolute().parent))
        st.sync()

    def suggested_name(self) -> str:
        """A bundle folder name from the request reference (safe on every file system)."""
        from triage.export.names import folder_name

        return folder_name(self.request.edits["reference"].text().strip() or "bundle")

    def request_tables(self) -> dict[str, Any]:
        """The request as the core reads it: one table per cover-sheet section."""
        tables = self.request.form.tables()
        for table, values in self.sender_page.form.tables().items():
            tables.setdefault(table, {}).update(values)
        return tables

    def settings(self) -> ExportSettings:
        key = (self.signing.key.text().strip() or None) if self.signing.signs() else None
        ssh = self.signing.ssh()
        return ExportSettings(
            case_path=self.session.path,
            out=self.encryption.target(),
            file_ids=self.selection.file_ids(),
            request=self.request_tables(),
            signing_key=None if ssh else key,
            ssh_key=key if ssh else None,
            signing_cert=(self.signing.cert.text().strip() or None) if key and not ssh else None,
            key_password=(self.signing.password.text() or None) if key else None,
            recipients=self.encryption.recipient_list(),
            passphrase=self.encryption.passphrase_text(),
            unhashed=self.selection.unhashed_choice(),
        )

    # -- export ------------------------------------------------------------------------------------------
    def start_export(self) -> None:
        page = self.result_page
        s = self.settings()
        self._remember(s)
        self._passphrase = s.passphrase
        page.status.setText(
            self.tr(
                "Exporting %1 files to %2: each is re-read from the evidence and re-hashed, then the "
                "bundle is verified…"
            )
            .replace("%1", str(len(s.file_ids)))
            .replace("%2", str(s.out))
        )
        page.progress.setRange(0, max(1, len(s.file_ids)))
        page.progress.setValue(0)
        page.verdict.setText("")
        page.verify_btn.setEnabled(False)
        self.button(QWizard.WizardButton.CancelButton).setText(self.tr("Cancel export"))
        cancel = self.cancel_event
        job = Job(lambda: run_export(s, job.progress.emit, cancel), "export", self)
        self.job = job
        job.progress.connect(self._progress)
        job.finished.connect(self._exported)
        job.errored.connect(self._failed)
        job.start()

    def _progress(self, p: Progress) -> None:
        i, n, path = p.done, p.total or 0, p.message
        page = self.result_page
        page.progress.setRange(0, max(1, n))
        page.progress.setValue(i)
        page.current.setText(
            self.tr("%1 of %2: %3").replace("%1", f"{i:,}").replace("%2", f"{n:,}").replace("%3", path)
        )
        self.exportProgress.emit(i, n)

    def cancel_export(self) -> None:
        """Stop a running export: the core removes its partial output."""
        self.cancel_event.cancel("cancelled by the examiner")
        if self.job is not None:
            self.result_page.status.setText(self.tr("Cancelling: the partial bundle is being removed…"))

    def reject(self) -> None:
        if self.job is not None:  # Cancel while exporting stops the export; the wizard stays open
            self.cancel_export()
            return
        if self.verify_job is not None:  # a verification takes seconds: let it end first
            self.verify_job.wait(60000)
        if self.export_result is None:  # closed before exporting: what was typed is kept for next time
            self._remember_fields()
        super().reject()

    def _exported(self, result: dict[str, Any]) -> None:
        self.job = None
        self.export_result = result
        page = self.result_page
        page.archive.setText(result["archive"])
        page.sha_label.setText(
            self.tr("Archive SHA-256")
            if result["sha256_of"] == "archive"
            else self.tr("manifest-sha256.txt SHA-256")
        )
        page.sha.setText(result["sha256"])
        page.signer.setText(result["signer"].get("fingerprint", self.tr("not signed")))
        for edit in (page.archive, page.sha, page.signer):
            edit.setCursorPosition(0)  # show the start of a long value
        page.progress.setValue(page.progress.maximum())
        page.current.setText(
            self.tr("%1 files, %2 bytes; %3 left out (see data/inventory/left-out.csv)")
            .replace("%1", f"{result['files']:,}")
            .replace("%2", f"{result['bytes']:,}")
            .replace("%3", f"{result['left_out']:,}")
            + ("" if result["signed"] else self.tr(" · NOT SIGNED"))
        )
        ssh = result["signer"].get("type", "").startswith("SSH")
        page.anchor_label.setText(
            self.tr("Check the signer against (allowed signers file)")
            if ssh
            else self.tr("Check the signer against")
        )
        if ssh:
            page.anchor.setPlaceholderText(
                self.tr("optional: an allowed signers file the recipient will trust")
            )
        for w in (page.anchor, page.anchor_label):
            w.setEnabled(result["signed"])
        if result["encrypted"] and not self._passphrase:
            # only the recipients can decrypt: the exporter verified the bag before encrypting it
            ok = result["verified_before_encryption"]
            self._show_verdict(
                {
                    "ok": ok,
                    "report": self.tr(
                        "The archive is encrypted to the recipients' keys, so it cannot be opened here. "
                        "The bag was verified before encryption: %1."
                    ).replace("%1", self.tr("passed") if ok else self.tr("FAILED")),
                    "checks": [],
                    "warnings": [],
                }
            )
            page.verify_btn.setToolTip(
                self.tr("Only the recipients can open an archive encrypted to their keys")
            )
            return
        page.status.setText(self.tr("The bundle was written. Verifying it as the recipient will…"))
        self.start_verify()

    def start_verify(self) -> Job | None:
        """Run the core verifier (``triage verify``) on the bundle, off the GUI thread."""
        r = self.export_result
        if r is None or self.verify_job is not None or (r["encrypted"] and not self._passphrase):
            return None
        page = self.result_page
        page.verify_btn.setEnabled(False)
        page.verdict.setText(self.tr("verifying…"))
        page.verdict.setStyleSheet("")
        anchor = page.anchor.text().strip() or None
        ssh = r["signer"].get("type", "").startswith("SSH")
        if anchor and not Path(anchor).expanduser().is_file():
            page.verdict.setText(self.tr("NOT CHECKED"))
            page.verdict.setStyleSheet(FAIL_STYLE)
            page.report.setPlainText(self.tr("There is no file at %1.").replace("%1", anchor))
            page.verify_btn.setEnabled(True)
            return None
        path, passphrase, signed = r["archive"], self._passphrase, r["signed"]
        job = Job(
            lambda: run_verify(
                path,
                passphrase=passphrase,
                require_signature=signed,
                ca=None if ssh else anchor,
                allowed_signers=anchor if ssh else None,
            ),
            "verify",
            self,
        )
        self.verify_job = job
        job.finished.connect(self._verified)
        job.errored.connect(self._verify_failed)
        return job.start()

    def _verified(self, verdict: dict[str, Any]) -> None:
        self.verify_job = None
        self._show_verdict(verdict)

    def _verify_failed(self, exc: BaseException) -> None:
        self.verify_job = None
        msg = str(exc) if isinstance(exc, TriageError) else f"{type(exc).__name__}: {exc}"
        self._show_verdict(
            {
                "ok": False,
                "report": self.tr("Verification failed: %1").replace("%1", msg),
                "checks": [],
                "warnings": [],
            }
        )

    def _show_verdict(self, verdict: dict[str, Any]) -> None:
        self.verification = verdict
        r = self.export_result or {}
        page = self.result_page
        ok = bool(verdict["ok"])
        page.verdict.setText(self.tr("PASSED") if ok else self.tr("FAILED"))
        page.verdict.setStyleSheet(PASS_STYLE if ok else FAIL_STYLE)
        page.report.setPlainText(
            "\n".join(
                [
                    *(self.tr("[warning] %1").replace("%1", w) for w in r.get("warnings", [])),
                    verdict["report"],
                ]
            )
        )
        page.status.setText(
            self.tr("The bundle was written and verified: every check passed.")
            if ok
            else self.tr("The bundle was written but did NOT verify: do not send it.")
        )
        page.verify_btn.setEnabled(not (r.get("encrypted") and not self._passphrase))
        first = not page.done
        if r:
            r["verified"], r["report"] = ok, verdict["report"]
        self._complete()
        if first:
            self.exportFinished.emit(r)
        self.verifyFinished.emit(verdict)

    def _failed(self, exc: BaseException) -> None:
        self.job = None
        page = self.result_page
        api = export_api()
        cancelled = api is not None and isinstance(exc, api.ExportCancelled)
        page.verdict.setText(self.tr("CANCELLED") if cancelled else self.tr("NOT EXPORTED"))
        page.verdict.setStyleSheet(FAIL_STYLE)
        msg = (
            str(exc)
            if isinstance(exc, TriageError)
            else self.tr("%1 (details in the log file)").replace("%1", f"{type(exc).__name__}: {exc}")
        )
        page.status.setText(
            (self.tr("Export cancelled: %1") if cancelled else self.tr("Export failed: %1")).replace(
                "%1", msg
            )
        )
        self._complete()
        self.exportFailed.emit(exc)

    def _complete(self) -> None:
        self.result_page.done = True
        self.button(QWizard.WizardButton.CancelButton).setText(self.tr("Close"))
        self.result_page.completeChanged.emit()

    def shutdown(self, timeout_ms: int = 60000) -> None:
        """Cancel a running export and wait for it and for a verification (window closing)."""
        if self.job is not None:
            job = self.job
            self.cancel_export()
            job.wait(timeout_ms)
        if self.verify_job is not None:
            self.verify_job.wait(timeout_ms)
