"""New case and Case properties: the case's own information (case number, examiner,
organisation, e-mail, authorities) asked for once and editable later.

New case proposes a new folder inside the default cases folder (Preferences, else
:func:`triage.case.newcase.default_cases_folder`) named after the case number; the folder is
created. Bad input (an empty case number or examiner, a non-empty folder that is not a case, a
place that cannot be written) is said inside the dialog, which stays open with the input kept:
the same check ``triage case create`` runs (:func:`triage.case.newcase.check_new_case`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from triage.case.newcase import check_new_case, default_cases_folder, folder_name, propose_folder
from triage.case.records import CaseInfo
from triage.errors import TriageError

FOLDER_KEY = "cases/folder"
"""QSettings key of the folder new cases go in (Preferences)."""
REMEMBERED = ("examiner", "organisation", "examiner_email")
"""Fields prefilled from the last new case (QSettings ``case/<field>``)."""


def cases_folder(settings: QSettings) -> Path:
    """The folder new cases go in: the examiner's choice, else the core's default."""
    value = str(settings.value(FOLDER_KEY, "") or "").strip()
    return Path(value).expanduser() if value else default_cases_folder()


class CaseInfoForm(QWidget):
    """Line edits for the fields of a :class:`CaseInfo` (all of them, or the ones named)."""

    def __init__(self, fields: tuple[str, ...] = CaseInfo.FIELDS, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        labels = {
            "case_number": self.tr("Case number (required)"),
            "examiner": self.tr("Examiner name (required)"),
            "organisation": self.tr("Organisation"),
            "examiner_email": self.tr("Examiner e-mail"),
            "requesting_authority": self.tr("Requesting authority"),
            "requested_authority": self.tr("Requested authority"),
        }
        self.form = QFormLayout(self)
        self.form.setContentsMargins(0, 0, 0, 0)
        self.edits: dict[str, QLineEdit] = {}
        for name in fields:
            edit = QLineEdit()
            edit.setObjectName(f"caseInfo_{name}")
            self.edits[name] = edit
            self.form.addRow(labels[name], edit)

    def set_info(self, info: CaseInfo) -> None:
        for name, edit in self.edits.items():
            edit.setText(getattr(info, name))

    def info(self, base: CaseInfo | None = None) -> CaseInfo:
        """The fields as typed (trimmed), over ``base`` for the fields the form does not show."""
        return replace(base or CaseInfo(), **{n: e.text().strip() for n, e in self.edits.items()})


def _error_label() -> QLabel:
    label = QLabel("")
    label.setObjectName("dialogError")
    label.setWordWrap(True)
    label.setStyleSheet("color: #b00020; font-weight: bold")
    label.hide()
    return label


class NewCaseDialog(QDialog):
    """Folder and case information for a new case; ``create(folder, info)`` makes it.

    ``create`` errors are shown in the dialog too (the folder vanished, the disk is full …).
    """

    def __init__(
        self,
        settings: QSettings,
        create: Callable[[Path, CaseInfo], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("newCaseDialog")
        self.setWindowTitle(self.tr("New case"))
        self.settings = settings
        self._create = create
        self.base = cases_folder(settings)
        self._folder_edited = False
        self.fields = CaseInfoForm(("case_number", "examiner", "organisation", "examiner_email"))
        self.fields.set_info(CaseInfo(**{n: str(settings.value(f"case/{n}", "") or "") for n in REMEMBERED}))
        self.folder = QLineEdit(str(propose_folder(self.base)))
        self.folder.setObjectName("newCaseFolder")
        self.folder.textEdited.connect(self._folder_typed)
        browse = QPushButton(self.tr("Choose…"))
        browse.setAutoDefault(False)
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.folder, 1)
        row.addWidget(browse)
        self.fields.form.addRow(self.tr("Case folder (created)"), row)
        self.fields.edits["case_number"].textEdited.connect(self._number_typed)
        hint = QLabel(self.tr("New cases go in %1 (change it in Preferences).").replace("%1", str(self.base)))
        hint.setWordWrap(True)
        self.error = _error_label()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("Create case"))
        ok.setDefault(True)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(self.fields)
        lay.addWidget(hint)
        lay.addWidget(self.error)
        lay.addWidget(self.buttons)
        self.resize(620, self.sizeHint().height())
        self.fields.edits["case_number"].setFocus()

    def _number_typed(self, text: str) -> None:
        if not self._folder_edited:  # the proposal follows the case number until the folder is typed
            self.folder.setText(str(propose_folder(self.base, text)))

    def _folder_typed(self, _text: str) -> None:
        self._folder_edited = True

    def _browse(self) -> None:
        chosen = QFileDialog.getExistingDirectory(
            self,
            self.tr("Folder to create the case in"),
            str(self.base if self.base.is_dir() else Path.home()),
        )
        if chosen:
            name = folder_name(self.fields.edits["case_number"].text())
            self.folder.setText(str(propose_folder(Path(chosen), name)))
            self._folder_edited = True

    def info(self) -> CaseInfo:
        return self.fields.info()

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()

    def submit(self) -> None:
        """Check, create, remember the examiner; on any problem say it here and stay open."""
        info = self.info()
        try:
            folder = check_new_case(self.folder.text().strip(), info)
            self._create(folder, info)
        except (TriageError, OSError) as exc:
            self.show_error(str(exc))
            return
        for name in REMEMBERED:
            self.settings.setValue(f"case/{name}", getattr(info, name))
        self.error.hide()
        self.accept()


class CasePropertiesDialog(QDialog):
    """View and change the case's information; a change is audited by the core."""

    def __init__(
        self,
        info: CaseInfo,
        save: Callable[[CaseInfo], None] | None,
        path: Path,
        parent: QWidget | None = None,
        readonly_reason: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("casePropertiesDialog")
        self.setWindowTitle(self.tr("Case properties"))
        self.original = info
        self._save = save
        self.fields = CaseInfoForm()
        self.fields.set_info(info)
        self.fields.form.insertRow(0, self.tr("Case folder"), QLabel(str(path)))
        self.error = _error_label()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(self.fields)
        lay.addWidget(self.error)
        lay.addWidget(self.buttons)
        if save is None:
            for edit in self.fields.edits.values():
                edit.setReadOnly(True)
            self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(False)
            self.show_error(self.tr("The case is open read-only: %1").replace("%1", readonly_reason or ""))
        self.resize(620, self.sizeHint().height())

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()

    def submit(self) -> None:
        info = self.fields.info(self.original)
        missing = [
            self.tr("case number") if not info.case_number else "",
            self.tr("examiner") if not info.examiner else "",
        ]
        missing = [m for m in missing if m]
        if missing:
            self.show_error(
                self.tr("The %1 cannot be empty.").replace("%1", self.tr(" and the ").join(missing))
            )
            return
        try:
            if self._save is not None:
                self._save(info)
        except (TriageError, OSError) as exc:
            self.show_error(str(exc))
            return
        self.accept()
