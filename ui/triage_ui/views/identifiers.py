"""The identifiers panel: what the seized disk points to abroad, grouped by provider and
jurisdiction (counts, first and last file times), with a click-through to the source files
and draft preservation requests (Budapest art. 29 / T-CY fields) as DOCX and JSON."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from triage.case.store import Case, file_scope
from triage.errors import UsageError
from triage_ui.jobs import Job
from triage_ui.models.identifiers import IdentifiersModel

log = logging.getLogger("triage.ui.identifiers")


def _kinds() -> list[str]:
    from triage.identifiers import KINDS

    return list(KINDS)


def write_drafts(
    case_path: Path,
    out: Path,
    group_key: str,
    request_file: str | None,
    formats: tuple[str, ...],
    with_crypto: bool,
) -> list[Path]:
    """``triage requests draft`` for one group, on its own case connection (background job)."""
    from triage.requests.draft import load_request
    from triage.requests.draft import write_drafts as core_write

    request = load_request(request_file) if request_file else {}
    with Case.open(case_path, readonly=True) as case:
        return core_write(
            case, out, provider=group_key, request=request, with_crypto=with_crypto, formats=formats
        )


class DraftDialog(QDialog):
    """Where to write the drafts, which request metadata, which formats."""

    def __init__(self, label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Draft preservation request")
        form = QFormLayout(self)
        form.addRow(
            QLabel(
                f"<b>{label}</b>: a draft request to preserve the data of these identifiers "
                "(Budapest Convention art. 29), citing the source files and their SHA-256."
            )
        )
        self.out = QLineEdit()
        self.request = QLineEdit(placeholderText="optional: request metadata TOML (as for Export)")
        for edit, caption, folder in (
            (self.out, "Folder for the drafts", True),
            (self.request, "Request metadata", False),
        ):
            row = QWidget()
            lay = QHBoxLayout(row)
            lay.setContentsMargins(0, 0, 0, 0)
            lay.addWidget(edit, 1)
            btn = QPushButton("Browse…")
            btn.clicked.connect(
                lambda _=False, e=edit, c=caption, f=folder: e.setText(
                    QFileDialog.getExistingDirectory(self, c)
                    if f
                    else QFileDialog.getOpenFileName(self, c)[0] or e.text()
                )
            )
            lay.addWidget(btn)
            form.addRow(caption, row)
        self.docx = QCheckBox("DOCX (to edit and sign)")
        self.docx.setChecked(True)
        self.json = QCheckBox("JSON (case-management systems)")
        self.json.setChecked(True)
        self.crypto = QCheckBox("Add every virtual-currency address of the case (for exchanges)")
        form.addRow(self.docx)
        form.addRow(self.json)
        form.addRow(self.crypto)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def formats(self) -> tuple[str, ...]:
        return tuple(f for f, box in (("docx", self.docx), ("json", self.json)) if box.isChecked())


class IdentifiersPanel(QWidget):
    """Signals: ``scopeRequested(where, args, label)`` and ``fileActivated(file_id)`` for the
    click-through; ``loaded`` after each (background) load; ``draftsWritten(paths)``."""

    loaded = Signal()
    failed = Signal(object)
    scopeRequested = Signal(str, object, str)
    fileActivated = Signal(int)
    draftsWritten = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
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
            self.kind_combo.addItem(k or "All kinds")
        self.kind_combo.currentIndexChanged.connect(lambda _i: self.reload())
        # neither the kinds nor the summary may widen the dock (it shares its width with the findings)
        self.kind_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.kind_combo.setMinimumContentsLength(10)
        bar.addWidget(self.kind_combo)
        self.summary = QLabel("")
        self.summary.setWordWrap(True)
        bar.addWidget(self.summary, 1)
        self.draft_btn = QPushButton("Draft preservation request…")
        self.draft_btn.setToolTip("Write a draft request (DOCX and JSON) for the selected provider or group")
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

        self.summary.setText("loading…")
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
            f"{n:,} identifiers in {len(groups):,} groups"
            if groups
            else "No identifiers (scan with the 'identifiers' analyzer)"
        )
        self.draft_btn.setEnabled(False)
        self.loaded.emit()

    def _failed(self, exc: BaseException) -> None:
        self.job = None
        self._again = False
        self.summary.setText(f"cannot load identifiers: {exc}")
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
            f"Identifier {ident.normalised}"
            if ident is not None
            else f"Identifiers: {group.label if group is not None else ''}"
        )
        where, args = file_scope("ids", ids)
        self.scopeRequested.emit(where, args, label)
        self.fileActivated.emit(ids[0])

    def draft(
        self,
        group_key: str | None = None,
        out: str | Path | None = None,
        request_file: str | None = None,
        formats: tuple[str, ...] = ("docx", "json"),
        with_crypto: bool = False,
    ) -> Job | None:
        """Write draft preservation requests for a group (the selected one by default)."""
        if self.case_path is None:
            raise UsageError("open a case first")
        if group_key is None:
            g = self.model.group(self.tree.currentIndex())
            if g is None:
                raise UsageError("select a provider or group first")
            group_key = g.key
        if out is None:
            label = next((g.label for g in self.model.groups if g.key == group_key), group_key)
            dlg = DraftDialog(label, self)
            if not dlg.exec():
                return None
            out, request_file = dlg.out.text().strip(), dlg.request.text().strip() or None
            formats, with_crypto = dlg.formats(), dlg.crypto.isChecked()
            if not out:
                raise UsageError("choose a folder for the drafts")
        if not formats:
            raise UsageError("choose DOCX, JSON or both")
        if self.draft_job is not None:
            raise UsageError("drafts are being written")
        case_path, target, key = self.case_path, Path(out), group_key
        self.status.setText(f"Writing drafts for {key} to {target}…")
        job = Job(
            lambda: write_drafts(case_path, target, key, request_file, tuple(formats), with_crypto),
            "drafts",
            self,
        )
        self.draft_job = job

        def done(paths: list[Path]) -> None:
            self.draft_job = None
            self.status.setText(
                "Drafts written (check and complete them before sending):\n"
                + "\n".join(str(p) for p in paths)
            )
            self.draftsWritten.emit(paths)

        def failed(exc: BaseException) -> None:
            self.draft_job = None
            self.status.setText(f"No draft written: {exc}")
            self.failed.emit(exc)

        job.finished.connect(done)
        job.errored.connect(failed)
        return job.start()
