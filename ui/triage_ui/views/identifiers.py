"""The identifiers panel: what the seized disk points to abroad, grouped by provider and
jurisdiction (counts, first and last file times), with a click-through to the source files
and draft preservation requests (Budapest art. 29 / T-CY fields) as DOCX and JSON."""

from __future__ import annotations

import html
import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, QSettings, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from triage.case.query import FileQuery
from triage.case.records import CaseInfo
from triage.case.store import Case
from triage.errors import TriageError, UsageError
from triage_ui.jobs import Job
from triage_ui.models.identifiers import IdentifiersModel
from triage_ui.views.request_form import DRAFT, ERROR_STYLE, RequestFields, prefill, remember

log = logging.getLogger("triage.ui.identifiers")


def _kinds() -> list[str]:
    from triage.identifiers import KINDS

    return list(KINDS)


def write_drafts(
    case_path: Path,
    out: Path,
    group_key: str,
    request: dict[str, Any] | str | None,
    formats: tuple[str, ...],
    with_crypto: bool,
    options: dict[str, Any] | None = None,
) -> list[Path]:
    """``triage requests draft`` for one group, on its own case connection (background job).

    ``request`` is the request tables (as the dialog gives them) or a request TOML file;
    ``options``: instrument, language, include_context (as the dialog gives them)."""
    from triage.requests.draft import load_request
    from triage.requests.draft import write_drafts as core_write

    tables = load_request(request) if isinstance(request, str) else dict(request or {})
    with Case.open(case_path, readonly=True) as case:
        return core_write(
            case,
            out,
            provider=group_key,
            request=tables,
            with_crypto=with_crypto,
            formats=formats,
            **(options or {}),
        )


class DraftDialog(QDialog):
    """Where to write the drafts, the request and requesting authority, which formats.

    OK checks everything first: a missing folder, an unreadable request file or no format is
    named next to its field and the dialog stays open with what was typed; drafts already in the
    folder are replaced only after a second, explicit confirmation."""

    def __init__(
        self,
        label: str,
        parent: QWidget | None = None,
        *,
        group_key: str = "",
        case_path: Path | None = None,
        info: CaseInfo | None = None,
        settings: QSettings | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Draft preservation request"))
        self.group_key = group_key
        self.case_path = case_path
        self.settings = settings
        self._confirmed: Path | None = None
        lay = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "<b>%1</b>: a draft request for the data of these identifiers, in the instrument the "
                "requesting State and the provider call for (EPOC-PR, Second Additional Protocol art. 7, "
                "Budapest Convention art. 29 …), citing the source files and their SHA-256. What you "
                "leave empty is written as \u201c[to be completed]\u201d."
            ).replace("%1", html.escape(label))
        )
        intro.setWordWrap(True)
        lay.addWidget(intro)
        self.fields = RequestFields(DRAFT)
        if case_path is not None:
            self.fields.set_values(prefill(DRAFT, info, settings, case_path))
        area = QScrollArea()
        area.setWidgetResizable(True)
        area.setFrameShape(QFrame.Shape.NoFrame)
        area.setWidget(self.fields)
        lay.addWidget(area, 1)
        form = QFormLayout()
        self.out = QLineEdit()
        self.out.setObjectName("draftFolder")
        self.out_error = self._error("draftFolder_error")
        self.request_file = QLineEdit()
        self.request_file.setObjectName("requestFile")
        self.request_file.setPlaceholderText(self.tr("optional: more request details from a file (TOML)"))
        self.request_error = self._error("requestFile_error")
        for edit, error, caption, folder in (
            (self.out, self.out_error, self.tr("Folder for the drafts *"), True),
            (self.request_file, self.request_error, self.tr("Request details file"), False),
        ):
            cell = QWidget()
            cl = QVBoxLayout(cell)
            cl.setContentsMargins(0, 0, 0, 0)
            cl.setSpacing(1)
            row = QHBoxLayout()
            row.addWidget(edit, 1)
            btn = QPushButton(self.tr("Choose…"))
            btn.clicked.connect(
                lambda _=False, e=edit, c=caption, f=folder: e.setText(
                    (
                        QFileDialog.getExistingDirectory(self, c, e.text())
                        if f
                        else QFileDialog.getOpenFileName(self, c, e.text())[0]
                    )
                    or e.text()
                )
            )
            row.addWidget(btn)
            cl.addLayout(row)
            cl.addWidget(error)
            form.addRow(caption, cell)
            edit.textChanged.connect(lambda _t, lab=error: self._clear(lab))
        from triage.i18n import LANGUAGES, NATIVE_NAMES
        from triage.requests.instruments import INSTRUMENTS

        self.instrument = QComboBox()
        self.instrument.setObjectName("draftInstrument")
        self.instrument.addItem(self.tr("Automatic (from the States and the provider)"), "")
        for inst in INSTRUMENTS.values():
            self.instrument.addItem(f"{inst.id}: {inst.title}", inst.id)
            self.instrument.setItemData(
                self.instrument.count() - 1, inst.legal_basis, Qt.ItemDataRole.ToolTipRole
            )
        self.instrument.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.instrument.setMinimumContentsLength(30)
        form.addRow(self.tr("Instrument"), self.instrument)
        self.language = QComboBox()
        self.language.setObjectName("draftLanguage")
        for code in LANGUAGES:
            self.language.addItem(NATIVE_NAMES[code], code)
        self.language.setCurrentIndex(LANGUAGES.index("en"))
        form.addRow(self.tr("Language of the draft"), self.language)
        lay.addLayout(form)
        self.context = QCheckBox(
            self.tr("Quote the text around each identifier (other identifiers in it are redacted)")
        )
        self.context.setObjectName("draftContext")
        lay.addWidget(self.context)
        self.docx = QCheckBox(self.tr("DOCX (to edit and sign)"))
        self.docx.setChecked(True)
        self.json = QCheckBox(self.tr("JSON (case-management systems)"))
        self.json.setChecked(True)
        self.crypto = QCheckBox(self.tr("Add every virtual-currency address of the case (for exchanges)"))
        self.formats_error = self._error("formats_error")
        for w in (self.docx, self.json, self.crypto, self.formats_error):
            lay.addWidget(w)
        for box in (self.docx, self.json):
            box.toggled.connect(lambda _on: self._clear(self.formats_error))
        self.replace_note = self._error("replace_note")
        lay.addWidget(self.replace_note)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("Write drafts"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)
        self.out.textChanged.connect(lambda _t: self._unconfirm())
        # Qt caps a new window at 2/3 of the screen, which squeezed the fields: fit them when there is room
        screen = (parent.screen() if parent is not None else self.screen()).availableGeometry()
        want = self.fields.sizeHint().height() + 330
        self.resize(min(720, screen.width() - 40), min(want, screen.height() - 60))

    def options(self) -> dict[str, Any]:
        """Instrument override (none: the rules choose), language, whether to quote context."""
        return {
            "instrument": self.instrument.currentData() or None,
            "language": str(self.language.currentData()),
            "include_context": self.context.isChecked(),
        }

    @staticmethod
    def _error(name: str) -> QLabel:
        label = QLabel("")
        label.setObjectName(name)
        label.setStyleSheet(ERROR_STYLE)
        label.setWordWrap(True)
        label.hide()
        return label

    @staticmethod
    def _clear(label: QLabel) -> None:
        label.hide()
        label.setText("")

    @staticmethod
    def _show(label: QLabel, text: str) -> None:
        label.setText(text)
        label.show()

    def _unconfirm(self) -> None:
        self._confirmed = None
        self._clear(self.replace_note)
        self.ok_button.setText(self.tr("Write drafts"))

    def formats(self) -> tuple[str, ...]:
        return tuple(f for f, box in (("docx", self.docx), ("json", self.json)) if box.isChecked())

    def target(self) -> Path:
        return Path(self.out.text().strip()).expanduser()

    def request_data(self) -> dict[str, Any]:
        """The request tables: the file's (when given), with the fields typed here on top."""
        from triage.requests.draft import load_request

        path = self.request_file.text().strip()
        data = load_request(Path(path).expanduser()) if path else {}
        for table, values in self.fields.tables().items():
            base = data.get(table)
            data[table] = {**(base if isinstance(base, dict) else {}), **values}
        return data

    def _existing_drafts(self, folder: Path) -> list[Path]:
        from triage.requests.draft import slug

        stem = f"preservation-{slug(self.group_key)}" if self.group_key else "preservation-"
        return sorted(p for p in folder.iterdir() if p.name.startswith(stem)) if folder.is_dir() else []

    def problems(self) -> bool:
        """Name every problem next to its field; ``True`` when there is one (the dialog stays)."""
        bad = bool(self.fields.check())
        text = self.out.text().strip()
        if not text:
            self._show(self.out_error, self.tr("Choose the folder the drafts go to (a new one is made)."))
            bad = True
        elif self.target().exists() and not self.target().is_dir():
            self._show(self.out_error, self.tr("This is a file, not a folder."))
            bad = True
        path = self.request_file.text().strip()
        if path:
            try:
                self.request_data()
            except TriageError as exc:
                self._show(self.request_error, str(exc))
                bad = True
        if not self.formats():
            self._show(self.formats_error, self.tr("Choose DOCX, JSON or both."))
            bad = True
        return bad

    def accept(self) -> None:
        if self.problems():
            return
        target = self.target()
        existing = self._existing_drafts(target) if target.is_dir() else []
        if existing and self._confirmed != target:
            self._confirmed = target
            self._show(
                self.replace_note,
                self.tr(
                    "This folder already holds drafts for this group (%1). Press \u201c%2\u201d to replace them, or choose another folder."
                )
                .replace("%1", ", ".join(p.name for p in existing))
                .replace("%2", self.tr("Replace them")),
            )
            self.ok_button.setText(self.tr("Replace them"))
            return
        if self.case_path is not None:
            remember(DRAFT, self.fields.values(), self.settings, self.case_path)
        super().accept()

    def reject(self) -> None:
        if self.case_path is not None:  # closed without writing: what was typed is kept for next time
            remember(DRAFT, self.fields.values(), self.settings, self.case_path)
        super().reject()


class IdentifiersPanel(QWidget):
    """Signals: ``scopeRequested(query, label)`` and ``fileActivated(file_id)`` for the
    click-through; ``loaded`` after each (background) load; ``draftsWritten(paths)``."""

    loaded = Signal()
    failed = Signal(object)
    scopeRequested = Signal(object, str)  # a FileQuery, its label
    fileActivated = Signal(int)
    draftsWritten = Signal(object)

    def __init__(self, parent: QWidget | None = None, settings: QSettings | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.draft_dialog: DraftDialog | None = None
        self.case_path: Path | None = None
        self.job: Job | None = None
        self.draft_job: Job | None = None
        self._stale = True
        self._again = False
        self.kinds = ["", *_kinds()]
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        bar = QHBoxLayout()
        self.kind_combo = QComboBox()
        self.kind_combo.setObjectName("identifierKind")
        for k in self.kinds:
            self.kind_combo.addItem(k or self.tr("All kinds"))
        self.kind_combo.currentIndexChanged.connect(lambda _i: self.reload())
        # neither the kinds nor the summary may widen the dock (it shares its width with the findings)
        self.kind_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.kind_combo.setMinimumContentsLength(10)
        bar.addWidget(self.kind_combo)
        self.summary = QLabel("")
        self.summary.setWordWrap(True)
        bar.addWidget(self.summary, 1)
        self.draft_btn = QPushButton(self.tr("Draft preservation request…"))
        self.draft_btn.setToolTip(
            self.tr("Write a draft request (DOCX and JSON) for the selected provider or group")
        )
        self.draft_btn.setEnabled(False)
        self.draft_btn.clicked.connect(lambda: self.draft())
        lay.addLayout(bar)
        self.model = IdentifiersModel(self)
        self.tree = QTreeView()
        self.tree.setObjectName("identifiersTree")
        self.tree.setModel(self.model)
        self.tree.setUniformRowHeights(True)
        self.tree.header().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.tree.header().resizeSection(0, 300)
        self.tree.clicked.connect(self._clicked)
        self.tree.activated.connect(self._clicked)
        self.tree.selectionModel().currentChanged.connect(
            lambda cur, _prev: self.draft_btn.setEnabled(self.model.group(cur) is not None)
        )
        lay.addWidget(self.tree, 1)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        bottom = QHBoxLayout()  # the button below the list: the dock stays as narrow as the findings
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.draft_btn)
        lay.addLayout(bottom)

    # -- loading ---------------------------------------------------------------------------
    def set_case(self, path: Path | None) -> None:
        self.shutdown()
        self.case_path = path
        self.model.set_groups([])
        self.summary.setText("")
        self._stale = True
        if path is not None and self.isVisible():
            self.reload()

    def mark_stale(self) -> None:
        self._stale = True
        if self.isVisible():
            self.reload()

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if self._stale and self.case_path is not None:
            self.reload()

    def reload(self) -> None:
        if self.case_path is None:
            return
        if self.job is not None:
            self._again = True
            return
        self._stale = False
        kind = self.kinds[max(0, self.kind_combo.currentIndex())] or None
        path = self.case_path

        def work() -> list[Any]:
            from triage.identifiers import grouped

            with Case.open(path, readonly=True) as case:
                return grouped(case, kind=kind)

        self.summary.setText(self.tr("loading…"))
        self.job = Job(work, "identifiers", self)
        self.job.finished.connect(self._loaded)
        self.job.errored.connect(self._failed)
        self.job.start()

    def _loaded(self, groups: list[Any]) -> None:
        self.job = None
        if self._again:
            self._again = False
            self.reload()
            return
        self.model.set_groups(groups)
        n = sum(g.count for g in groups)
        if n <= 200:  # small cases: show every identifier at once
            self.tree.expandAll()
        self.summary.setText(
            self.tr("{n} identifiers in {groups} groups").format(n=f"{n:,}", groups=f"{len(groups):,}")
            if groups
            else self.tr("No identifiers (scan with the 'identifiers' analyzer)")
        )
        self.draft_btn.setEnabled(False)
        self.loaded.emit()

    def _failed(self, exc: BaseException) -> None:
        self.job = None
        self._again = False
        self.summary.setText(self.tr("cannot load identifiers: {error}").format(error=exc))
        self.failed.emit(exc)

    def shutdown(self, timeout_ms: int = 60000) -> None:
        for name in ("job", "draft_job"):
            job = getattr(self, name)
            if job is not None:
                setattr(self, name, None)
                job.finished.disconnect()
                job.errored.disconnect()
                job.wait(timeout_ms)
        self._again = False

    # -- click-through and drafts ----------------------------------------------------------
    def _clicked(self, index: QModelIndex) -> None:
        ids = self.model.file_ids(index)
        if not ids:
            return
        ident = self.model.identifier(index)
        group = self.model.group(index)
        label = (
            self.tr("Identifier {value}").format(value=ident.normalised)
            if ident is not None
            else self.tr("Identifiers: {group}").format(group=group.label if group is not None else "")
        )
        self.scopeRequested.emit(FileQuery(ids=tuple(ids)), label)
        self.fileActivated.emit(ids[0])

    def draft(
        self,
        group_key: str | None = None,
        out: str | Path | None = None,
        request_file: str | None = None,
        formats: tuple[str, ...] = ("docx", "json"),
        with_crypto: bool = False,
    ) -> Job | None:
        """Write draft preservation requests for a group (the selected one by default).

        Without ``out`` the draft dialog opens (``draft_dialog``) and the drafts are written when
        it is accepted; ``None`` is returned then."""
        if self.case_path is None:
            raise UsageError(self.tr("open a case first"))
        if group_key is None:
            g = self.model.group(self.tree.currentIndex())
            if g is None:
                raise UsageError(self.tr("select a provider or group first"))
            group_key = g.key
        if out is None:
            label = next((g.label for g in self.model.groups if g.key == group_key), group_key)
            dlg = DraftDialog(
                label,
                self,
                group_key=group_key,
                case_path=self.case_path,
                info=self._case_info(),
                settings=self.settings,
            )
            self.draft_dialog = dlg
            key = group_key
            dlg.accepted.connect(lambda: self._write_from(dlg, key))
            dlg.open()
            return None
        return self._write(group_key, Path(out), request_file, formats, with_crypto)

    def _write_from(self, dlg: DraftDialog, group_key: str) -> None:
        """The dialog was accepted (its input checked): write in the background."""
        try:
            self._write(
                group_key,
                dlg.target(),
                dlg.request_data(),
                dlg.formats(),
                dlg.crypto.isChecked(),
                dlg.options(),
            )
        except TriageError as exc:  # drafts already being written
            self.status.setText(self.tr("No draft written: %1").replace("%1", str(exc)))
            self.failed.emit(exc)

    def _case_info(self) -> CaseInfo | None:
        if self.case_path is None:
            return None
        try:
            with Case.open(self.case_path, readonly=True) as case:
                return case.case_info()
        except TriageError:
            log.warning("case information not readable", exc_info=True)
            return None

    def _write(
        self,
        group_key: str,
        target: Path,
        request: dict[str, Any] | str | None,
        formats: tuple[str, ...],
        with_crypto: bool,
        options: dict[str, Any] | None = None,
    ) -> Job:
        if not formats:
            raise UsageError(self.tr("choose DOCX, JSON or both"))
        if self.draft_job is not None:
            raise UsageError(self.tr("drafts are being written"))
        case_path, key = self.case_path, group_key
        assert case_path is not None
        self.status.setText(
            self.tr("Writing drafts for %1 to %2…").replace("%1", key).replace("%2", str(target))
        )
        job = Job(
            lambda: write_drafts(case_path, target, key, request, tuple(formats), with_crypto, options),
            "drafts",
            self,
        )
        self.draft_job = job

        def done(paths: list[Path]) -> None:
            self.draft_job = None
            self.status.setText(
                self.tr("Drafts written (check and complete them before sending):")
                + "\n"
                + "\n".join(str(p) for p in paths)
            )
            self.draftsWritten.emit(paths)

        def failed(exc: BaseException) -> None:
            self.draft_job = None
            self.status.setText(self.tr("No draft written: %1").replace("%1", str(exc)))
            self.failed.emit(exc)

        job.finished.connect(done)
        job.errored.connect(failed)
        return job.start()
