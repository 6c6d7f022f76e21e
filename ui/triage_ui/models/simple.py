"""Small models: a table of dicts (plugins, rule sets) and the case-wide views list."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel

from triage.case.query import FileQuery
from triage.case.store import Case

Index = QModelIndex | QPersistentModelIndex


class DictTableModel(QAbstractTableModel):
    """Read-only rows of dicts with ``(key, header)`` columns; an optional checkable column."""

    def __init__(
        self,
        columns: Sequence[tuple[str, str]],
        rows: Sequence[dict[str, Any]] = (),
        check_key: str | None = None,
        on_check: Callable[[int, bool], None] | None = None,
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self.rows = list(rows)
        self.check_key = check_key
        self.on_check = on_check

    def set_rows(self, rows: Sequence[dict[str, Any]]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self.columns)
        ):
            return self.columns[section][1]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        f = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.check_key and self.columns[index.column()][0] == self.check_key:
            f |= Qt.ItemFlag.ItemIsUserCheckable
        return f

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self.rows)):
            return None
        key = self.columns[index.column()][0]
        value = self.rows[index.row()].get(key)
        if key == self.check_key:
            if role == Qt.ItemDataRole.CheckStateRole:
                return Qt.CheckState.Checked if value else Qt.CheckState.Unchecked
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if isinstance(value, list | tuple):
                return ", ".join(str(v) for v in value)
            return "" if value is None else str(value)
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if (
            not index.isValid()
            or role != Qt.ItemDataRole.CheckStateRole
            or not self.check_key
            or self.columns[index.column()][0] != self.check_key
        ):
            return False
        checked = Qt.CheckState(value) == Qt.CheckState.Checked if not isinstance(value, bool) else value
        self.rows[index.row()][self.check_key] = checked
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        if self.on_check:
            self.on_check(index.row(), checked)
        return True


class ViewsModel(QStandardItemModel):
    """Case-wide views: all files, deleted, by type, by finding, by tag, hash sets."""

    KEY_ROLE = Qt.ItemDataRole.UserRole + 1

    def __init__(self, case: Case | None = None, parent: Any = None) -> None:
        super().__init__(parent)
        self._scopes: dict[int, tuple[FileQuery, str]] = {}
        self._facets: dict[str, list[tuple[Any, ...]]] | None = None  # counted in a thread (set_case)
        self._jobs: list[Any] = []  # counts still running (an earlier case's too)
        self.setHorizontalHeaderLabels([self.tr("Views")])
        self.case = case
        self.reload()

    def set_case(self, case: Case | None, *, background: bool = False) -> None:
        """Show ``case``'s views. ``background``: the headings at once, the counts by type, finding
        and tag (``GROUP BY`` over every file: seconds on a million) from a thread, when ready."""
        self.case = case
        self._facets = None
        if case is None or not background:
            self.reload()
            return
        self._facets = {"type": [], "finding": [], "tag": []}
        self.reload()
        self._facets = None
        from triage_ui.jobs import Job

        path = case.path

        def count() -> dict[str, list[tuple[Any, ...]]]:
            with Case.open(path, readonly=True) as c:  # its own connection: sqlite3's belong to a thread
                return {kind: c.facets(kind) for kind in ("type", "finding", "tag")}

        job = Job(count, "views", self)
        job.finished.connect(lambda facets, c=case: self._facets_counted(c, facets))
        self._jobs = [j for j in self._jobs if j.is_running()] + [job.start()]

    def shutdown(self, timeout_ms: int = 60000) -> None:
        """Wait for a running count (the window closes: a thread must not outlive its QThread)."""
        jobs, self._jobs = self._jobs, []
        for job in jobs:
            if job.is_running():
                job.wait(timeout_ms)

    def _facets_counted(self, case: Case, facets: dict[str, list[tuple[Any, ...]]]) -> None:
        if case is not self.case:
            return  # another case was opened meanwhile
        self._facets = facets
        try:
            self.reload()
        finally:
            self._facets = None

    def _facet(self, kind: str) -> list[tuple[Any, ...]]:
        if self._facets is not None:
            return self._facets[kind]
        return self.case.facets(kind) if self.case is not None else []

    def _item(self, label: str, scope: FileQuery | None, title: str | None = None) -> QStandardItem:
        item = QStandardItem(label)
        item.setEditable(False)
        key = -1
        if scope is not None:
            key = len(self._scopes)
            self._scopes[key] = (scope, title or label)
        item.setData(key, self.KEY_ROLE)  # every item holds an int: never a None through QVariant
        return item

    def scope(self, index: QModelIndex | QPersistentModelIndex) -> tuple[FileQuery, str] | None:
        """``(query, title)`` of a view row, or None for a heading."""
        if not index.isValid():
            return None
        return self._scopes.get(int(index.data(self.KEY_ROLE)))

    def reload(self) -> None:
        self.removeRows(0, self.rowCount())
        self._scopes.clear()
        if self.case is None:
            return
        root = self.invisibleRootItem()
        root.appendRow(self._item(self.tr("All files"), FileQuery.scope("all")))
        root.appendRow(self._item(self.tr("Deleted files"), FileQuery.scope("deleted")))
        by_type = self._item(self.tr("By type"), None)
        for mime, n in self._facet("type"):
            by_type.appendRow(
                self._item(
                    f"{mime or self.tr('(not scanned)')} ({n})",
                    FileQuery.scope("type", mime),
                    self.tr("Type {mime}").format(mime=mime),
                )
            )
        root.appendRow(by_type)
        by_finding = self._item(self.tr("By finding"), None)
        for kind, name, n in self._facet("finding"):
            by_finding.appendRow(
                self._item(
                    f"{kind}: {name} ({n})",
                    FileQuery.scope("finding", kind, name),
                    self.tr("Finding {kind}: {name}").format(kind=kind, name=name),
                )
            )
        root.appendRow(by_finding)
        by_tag = self._item(self.tr("By tag"), None)
        for tag, n in self._facet("tag"):
            by_tag.appendRow(
                self._item(f"{tag} ({n})", FileQuery.scope("tag", tag), self.tr("Tag {tag}").format(tag=tag))
            )
        root.appendRow(by_tag)
        root.appendRow(self._item(self.tr("Known files (hash sets)"), FileQuery.scope("known")))
        root.appendRow(self._item(self.tr("Notable hashes (hash sets)"), FileQuery.scope("notable")))
