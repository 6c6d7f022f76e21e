"""The unlock dialog: shown when a scan leaves encrypted volumes locked; asks for a key per volume.

The secrets typed here stay in memory: they go to :func:`triage.evidence.fve.parse_unlock` and the
scan's workers, never to the case, the settings or the log (the audit records the protector type).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from triage.evidence.fve import UnlockSpec, parse_unlock

KINDS = ("password", "recovery", "bek", "keyfile")
FILE_KINDS = ("bek", "keyfile")


@dataclass(frozen=True)
class LockedVolume:
    """A volume a scan left locked: its evidence, partition index and the ledger's reason."""

    evidence: str
    partition: int
    reason: str


class UnlockDialog(QDialog):
    """One row per locked volume: protector type, then the password or the key file."""

    def __init__(self, volumes: list[LockedVolume], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Unlock encrypted volumes"))
        self.volumes = volumes
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                self.tr(
                    "The scan found encrypted volumes it could not open. Give a key to scan them "
                    "(Resume); the key is used in memory only and is never stored."
                )
            )
        )
        grid = QGridLayout()
        self.rows: list[tuple[QComboBox, QLineEdit]] = []
        labels = {
            "password": self.tr("Password"),
            "recovery": self.tr("BitLocker recovery password"),
            "bek": self.tr("BitLocker startup key (.bek)"),
            "keyfile": self.tr("Key file (LUKS)"),
        }
        for row, vol in enumerate(volumes):
            text = QLabel(
                self.tr("Partition {index} of {evidence}:\n{reason}").format(
                    index=vol.partition, evidence=vol.evidence, reason=vol.reason
                )
            )
            text.setWordWrap(True)
            kind = QComboBox()
            for k in KINDS:
                kind.addItem(labels[k], k)
            secret = QLineEdit()
            secret.setEchoMode(QLineEdit.EchoMode.Password)
            secret.setPlaceholderText(self.tr("password"))
            browse = QPushButton(self.tr("Browse…"))
            browse.setEnabled(False)
            browse.clicked.connect(lambda _=False, s=secret: self._browse(s))
            kind.currentIndexChanged.connect(
                lambda _=0, k=kind, s=secret, b=browse: self._kind_changed(k, s, b)
            )
            line = QHBoxLayout()
            line.addWidget(kind)
            line.addWidget(secret, 1)
            line.addWidget(browse)
            grid.addWidget(text, row * 2, 0)
            grid.addLayout(line, row * 2 + 1, 0)
            self.rows.append((kind, secret))
        layout.addLayout(grid)
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020")
        self.error.setWordWrap(True)
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.unlock_button = buttons.addButton(
            self.tr("Unlock and resume"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.specs: dict[str, list[UnlockSpec]] = {}

    def _kind_changed(self, kind: QComboBox, secret: QLineEdit, browse: QPushButton) -> None:
        is_file = kind.currentData() in FILE_KINDS
        secret.setEchoMode(QLineEdit.EchoMode.Normal if is_file else QLineEdit.EchoMode.Password)
        secret.setPlaceholderText(self.tr("file") if is_file else self.tr("password"))
        secret.clear()
        browse.setEnabled(is_file)

    def _browse(self, secret: QLineEdit) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Key file"))
        if path:
            secret.setText(path)

    def show_error(self, text: str) -> None:
        self.error.setText(text)

    def _accept(self) -> None:
        """Parse every filled row (a missing key file is shown here, the dialog stays open)."""
        specs: dict[str, list[UnlockSpec]] = {}
        try:
            for vol, (kind, secret) in zip(self.volumes, self.rows, strict=True):
                if secret.text():
                    spec = parse_unlock(f"{vol.partition}={kind.currentData()}:{secret.text()}")
                    specs.setdefault(vol.evidence, []).append(spec)
        except Exception as exc:  # UsageError: one line, without the secret
            self.show_error(str(exc))
            return
        if not specs:
            self.show_error(self.tr("give a key for at least one volume"))
            return
        self.specs = specs
        self.accept()
