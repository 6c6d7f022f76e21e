"""The Problems view: every recorded error and warning with its file; a click selects the file."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from PySide6.QtCore import QCoreApplication, QModelIndex, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from triage.case.records import Problem, ProblemCount, Severity
from triage.case.store import Case
from triage_ui.i18n import QT_TRANSLATE_NOOP, problem_count_text
from triage_ui.models import DictTableModel

COLUMNS = [
    ("severity", QT_TRANSLATE_NOOP("ProblemsView", "Severity")),
    ("source", QT_TRANSLATE_NOOP("ProblemsView", "Source")),
    ("path", QT_TRANSLATE_NOOP("ProblemsView", "File")),
    ("message", QT_TRANSLATE_NOOP("ProblemsView", "Problem")),
    ("created", QT_TRANSLATE_NOOP("ProblemsView", "Recorded (UTC)")),
]
FILTERS = [
    (QT_TRANSLATE_NOOP("ProblemsView", "All problems"), None),
    (QT_TRANSLATE_NOOP("ProblemsView", "Errors"), Severity.ERROR),
    (QT_TRANSLATE_NOOP("ProblemsView", "Warnings"), Severity.WARNING),
]
SEVERITY_WORDS = (QT_TRANSLATE_NOOP("ProblemsView", "error"), QT_TRANSLATE_NOOP("ProblemsView", "warning"))


class ProblemsView(QWidget):
    fileActivated = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.case: Case | None = None
        self._all: list[Problem] = []
        self.filter = QComboBox()
        for label, _ in FILTERS:
            self.filter.addItem(self.tr(label))
        self.filter.currentIndexChanged.connect(lambda _: self._show())
        self.count = QLabel("")
        top = QHBoxLayout()
        top.addWidget(self.filter)
        top.addWidget(self.count, 1)
        self.model = DictTableModel([(k, self.tr(h)) for k, h in COLUMNS], parent=self)
        self.table = QTableView()
        self.table.setObjectName("problemsTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        # the problem right after its severity (shown order only), wide; the rest elide with a tooltip
        header = self.table.horizontalHeader()
        header.moveSection(3, 1)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.resizeSection(3, 300)
        header.resizeSection(2, 120)
        header.resizeSection(1, 110)
        header.setStretchLastSection(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        self.table.clicked.connect(self._clicked)
        self.table.activated.connect(self._clicked)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(top)
        lay.addWidget(self.table, 1)

    def set_case(self, case: Case | None) -> None:
        self.case = case
        self.refresh()

    def refresh(self) -> None:
        self._all = self.case.problems() if self.case is not None else []
        self._show()

    def rows(self) -> list[Problem]:
        wanted = FILTERS[max(0, self.filter.currentIndex())][1]
        return [p for p in self._all if wanted is None or p.severity == wanted]

    def _show(self) -> None:
        shown = self.rows()
        self.model.set_rows([self._row(p) for p in shown])
        warnings = sum(1 for p in self._all if p.severity is Severity.WARNING)
        self.count.setText(
            problem_count_text(ProblemCount(errors=len(self._all) - warnings, warnings=warnings))
        )

    @staticmethod
    def _row(p: Problem) -> dict[str, Any]:
        row = asdict(p)
        row["severity"] = QCoreApplication.translate("ProblemsView", str(p.severity))
        row["path"] = p.path or (
            QCoreApplication.translate("ProblemsView", "(evidence)")
            if p.evidence_id is not None
            else QCoreApplication.translate("ProblemsView", "(case)")
        )
        return row

    def _clicked(self, index: QModelIndex) -> None:
        shown = self.rows()
        if index.isValid() and 0 <= index.row() < len(shown) and shown[index.row()].file_id is not None:
            self.fileActivated.emit(int(shown[index.row()].file_id or 0))
