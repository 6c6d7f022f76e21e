"""Case → Examination report…: choose a folder, languages and formats; the report is written off
the GUI thread (:class:`triage_ui.jobs.Job`) by :func:`triage.report.write_report`."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from triage.errors import TriageError
from triage.i18n import LANGUAGES, NATIVE_NAMES
from triage.progress import Cancel, Progress
from triage.report import FORMATS, ReportOptions, write_report
from triage_ui.errors import user_message
from triage_ui.jobs import Job


class ReportDialog(QDialog):
    """The report's options; OK writes it, the dialog shows progress and then the files."""

    def __init__(
        self, case_path: Path, parent: QWidget | None = None, settings: QSettings | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("reportDialog")
        self.setWindowTitle(self.tr("Examination report"))
        self.case_path = case_path
        self.settings = settings
        self.job: Job | None = None
        self.cancel_token = Cancel()
        self.written: list[Path] = []
        default = case_path.parent / f"{case_path.name}-report"
        saved = str(settings.value("report/folder", "")) if settings is not None else ""
        self.folder = QLineEdit(saved or str(default))
        browse = QPushButton(self.tr("Browse…"))
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.folder, 1)
        row.addWidget(browse)
        self.languages: dict[str, QCheckBox] = {}
        langs = QHBoxLayout()
        for code in LANGUAGES:
            box = QCheckBox(f"{NATIVE_NAMES[code]} ({code})")
            box.setChecked(code == "en")
            self.languages[code] = box
            langs.addWidget(box)
        self.formats: dict[str, QCheckBox] = {}
        fmts = QHBoxLayout()
        for fmt, label in zip(
            FORMATS, (self.tr("HTML (opens offline)"), self.tr("PDF (with contents)")), strict=True
        ):
            box = QCheckBox(label)
            box.setChecked(True)
            self.formats[fmt] = box
            fmts.addWidget(box)
        form = QFormLayout()
        form.addRow(self.tr("Folder:"), row)
        form.addRow(self.tr("Languages:"), langs)
        form.addRow(self.tr("Formats:"), fmts)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.status = QLabel(
            self.tr(
                "One document per language: the case, the evidence and its hashes, the method, the tagged "
                "items, their timeline and the completeness ledger."
            )
        )
        self.status.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Write report"))
        self.open_btn = self.buttons.addButton(self.tr("Open folder"), QDialogButtonBox.ButtonRole.ActionRole)
        self.open_btn.setEnabled(False)
        self.open_btn.clicked.connect(self._open_folder)
        self.buttons.accepted.connect(self.start)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.status)
        lay.addWidget(self.progress)
        lay.addWidget(self.buttons)
        self.resize(720, 220)

    def _browse(self) -> None:
        path = QFileDialog.getExistingDirectory(self, self.tr("Report folder"), self.folder.text())
        if path:
            self.folder.setText(path)

    def options(self) -> ReportOptions:
        """The chosen options; a TriageError (shown in the dialog) when they are not usable."""
        langs = tuple(c for c, b in self.languages.items() if b.isChecked())
        fmts = tuple(f for f, b in self.formats.items() if b.isChecked())
        if not self.folder.text().strip():
            raise TriageError(self.tr("Choose a folder for the report."))
        if not langs:
            raise TriageError(self.tr("Choose at least one language."))
        if not fmts:
            raise TriageError(self.tr("Choose HTML, PDF or both."))
        options = ReportOptions(out=Path(self.folder.text().strip()), formats=fmts, languages=langs)
        options.check()
        return options

    def start(self) -> None:
        """Check the options (before any work), then write the report in a thread."""
        if self.job is not None:
            return
        try:
            options = self.options()
        except TriageError as exc:
            self.status.setText(user_message(exc))
            return
        if self.settings is not None:
            self.settings.setValue("report/folder", str(options.out))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)
        self.status.setText(self.tr("Writing the report to %1…").replace("%1", str(options.out)))
        self.progress.setRange(0, len(options.formats) * len(options.languages))
        case, cancel = self.case_path, self.cancel_token
        job = Job(
            lambda: write_report(case, options, progress=job.progress.emit, cancel=cancel), "report", self
        )
        self.job = job
        job.progress.connect(self._progress)
        job.finished.connect(self._written)
        job.errored.connect(self._failed)
        job.start()

    def _progress(self, p: Progress) -> None:
        self.progress.setValue(p.done)
        if p.message:
            self.status.setText(self.tr("Writing %1…").replace("%1", p.message))

    def _written(self, paths: list[Path]) -> None:
        self.job = None
        self.written = list(paths)
        self.progress.setValue(self.progress.maximum())
        self.status.setText(self.tr("Report written: %1").replace("%1", ", ".join(p.name for p in paths)))
        self.open_btn.setEnabled(True)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Close"))

    def _failed(self, exc: BaseException) -> None:
        self.job = None
        self.status.setText(self.tr("The report was not written: %1").replace("%1", user_message(exc)))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(True)

    def _open_folder(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(self.folder.text().strip()))

    def reject(self) -> None:
        if self.job is not None:  # Cancel while writing stops after the current document
            self.cancel_token.cancel("cancelled by the examiner")
            self.job.wait(60000)
        super().reject()
