"""The search bar: live results from the case's full-text index (``triage.search``), computed off
the GUI thread by a :class:`triage_ui.jobs.Job`, and the case's saved keyword lists.

Typing waits :data:`DEBOUNCE_MS` after the last key, then searches; a newer query supersedes an older
one still running (its results are dropped). Activating a hit emits :attr:`SearchPanel.hitActivated`
with the file, the byte offset and length (raw strings and slack: highlighted in the Hex view) or
the matched text (document text: found in the Text view).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from triage.search import Hit, SearchResult, run_saved, saved_searches, search_case
from triage_ui.jobs import Job

DEBOUNCE_MS = 300
LIMIT = 500


class SearchPanel(QWidget):
    """Search box, regex switch, saved searches and the hit list."""

    hitActivated = Signal(object)  # the Hit
    saveRequested = Signal(str)  # the term as a keyword list holds it (``/…/``: a regex)
    failed = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.case_path: Path | None = None
        self.job: Job | None = None
        self._pending: tuple[str, Any] | None = None
        self._generation = 0
        self.hits: tuple[Hit, ...] = ()
        self.edit = QLineEdit(placeholderText=self.tr('words, "a phrase", prefix*, fuzzy~, AND OR NOT'))
        self.edit.setObjectName("searchEdit")
        self.edit.setClearButtonEnabled(True)
        self.regex = QCheckBox(self.tr("Regex"))
        self.save_btn = QToolButton()
        self.save_btn.setText(self.tr("Save…"))
        self.save_btn.setObjectName("saveSearch")
        self.save_btn.setToolTip(
            self.tr("Save this search in the case as a keyword list and record its findings")
        )
        self.save_btn.setEnabled(False)
        self.saved = QComboBox()
        self.saved.setObjectName("savedSearches")
        self.status = QLabel(self.tr("Type to search the case's text, strings, slack and unallocated space"))
        self.status.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setObjectName("searchHits")
        self.tree.setHeaderLabels([self.tr("File"), self.tr("Source"), self.tr("Offset"), self.tr("Snippet")])
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.header().resizeSection(0, 200)
        self.tree.header().resizeSection(1, 80)
        self.tree.header().resizeSection(2, 80)
        top = QHBoxLayout()
        top.addWidget(self.edit, 1)
        top.addWidget(self.regex)
        top.addWidget(self.save_btn)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(2, 2, 2, 2)
        lay.addLayout(top)
        lay.addWidget(self.saved)
        lay.addWidget(self.status)
        lay.addWidget(self.tree, 1)
        self.timer = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
        self.timer.timeout.connect(self._run_query)
        self.edit.textChanged.connect(lambda _: self.timer.start())
        self.edit.textChanged.connect(lambda t: self.save_btn.setEnabled(bool(t.strip())))
        self.save_btn.clicked.connect(lambda: self.saveRequested.emit(self.current_term()))
        self.regex.toggled.connect(lambda _: self.timer.start())
        self.saved.activated.connect(self._run_saved)
        self.tree.itemActivated.connect(self._activated)
        self.tree.itemClicked.connect(self._activated)
        self._saved: dict[str, list[str]] = {}
        self.edit.installEventFilter(self)
        self.setTabOrder(self.edit, self.tree)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        """Down (or Return) in the search box moves to the hit list's first hit."""
        if (
            watched is self.edit
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and (first := self.tree.topLevelItem(0)) is not None
        ):
            self.tree.setFocus()
            self.tree.setCurrentItem(first)
            return True
        return super().eventFilter(watched, event)

    def current_term(self) -> str:
        """The query as a line of a keyword list."""
        text = self.edit.text().strip()
        return f"/{text}/" if self.regex.isChecked() else text

    def set_case(self, path: str | Path | None) -> None:
        """Search this case folder from now on (``None``: no case)."""
        self.case_path = Path(path) if path else None
        self._generation += 1
        self.tree.clear()
        self.hits = ()
        self.reload_saved()

    def reload_saved(self) -> None:
        """Refill the saved-search list from the case."""
        self.saved.clear()
        self.saved.addItem(self.tr("Saved searches…"))
        self._saved = {}
        if self.case_path is None:
            return
        try:
            self._saved = saved_searches(self.case_path)
        except Exception as exc:  # an older case without an index: nothing saved
            self.status.setText(str(exc))
            return
        for name, terms in self._saved.items():
            self.saved.addItem(self.tr("{name} (terms: {n})").format(name=name, n=len(terms)), name)
            self.saved.setItemData(self.saved.count() - 1, "\n".join(terms), Qt.ItemDataRole.ToolTipRole)

    def _run_query(self) -> None:
        text = self.edit.text().strip()
        if not text or self.case_path is None:
            self.tree.clear()
            return
        self._start(("query", (text, self.regex.isChecked())))

    def _run_saved(self, index: int) -> None:
        name = self.saved.itemData(index)
        if name is None or self.case_path is None:
            return
        self._start(("saved", list(self._saved.get(name, []))))

    def _start(self, what: tuple[str, Any]) -> None:
        if self.job is not None and self.job.is_running():
            self._pending = what  # runs when the current one ends; its results are dropped
            self._generation += 1
            return
        self._generation += 1
        gen, path = self._generation, self.case_path
        assert path is not None
        kind, arg = what
        if kind == "query":
            text, rx = arg
            self.job = Job(lambda: search_case(path, text, regex=rx, limit=LIMIT), "search", self)
        else:
            self.job = Job(lambda: run_saved(path, arg, limit=LIMIT), "saved-search", self)
        self.status.setText(self.tr("Searching…"))
        self.job.finished.connect(lambda r: self._show(gen, r))
        self.job.errored.connect(lambda exc: self._error(gen, exc))
        self.job.ended.connect(self._next)
        self.job.start()

    def _next(self) -> None:
        if self._pending is not None:
            what, self._pending = self._pending, None
            self._start(what)

    def _error(self, gen: int, exc: BaseException) -> None:
        if gen == self._generation:
            self.tree.clear()
            self.status.setText(str(exc))

    def _show(self, gen: int, result: SearchResult) -> None:
        if gen != self._generation:
            return
        self.hits = result.hits
        self.tree.clear()
        items = []
        for i, h in enumerate(result.hits):
            item = QTreeWidgetItem([h.path, h.source, str(h.offset), h.snippet])
            item.setData(0, Qt.ItemDataRole.UserRole, i)
            item.setToolTip(3, h.snippet + (f"\n{h.member}" if h.member else ""))
            items.append(item)
        self.tree.addTopLevelItems(items)
        ms = round(result.seconds * 1000)
        if not result.indexed:
            self.status.setText(
                self.tr(
                    "This case has no full-text index: tick the text analyzer in the Scan panel "
                    "and scan again"
                )
            )
        elif result.truncated:
            self.status.setText(self.tr("Hits: the first {n} ({ms} ms)").format(n=len(result.hits), ms=ms))
        else:
            self.status.setText(self.tr("Hits: {n} ({ms} ms)").format(n=len(result.hits), ms=ms))

    def _activated(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        i = item.data(0, Qt.ItemDataRole.UserRole)
        if isinstance(i, int) and 0 <= i < len(self.hits):
            self.hitActivated.emit(self.hits[i])
