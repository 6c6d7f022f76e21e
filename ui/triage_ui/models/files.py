"""The file table: rows paged lazily from the case with keyset queries.

Opening a case of a million files reads one page (``PAGE`` rows); the view asks for more
through ``canFetchMore``/``fetchMore`` as the user scrolls. Nothing counts or loads the
whole table. Sorting re-queries with a keyset over ``(column, id)``. What the table shows is a
typed :class:`triage.case.query.FileQuery` (folder, deleted, type, finding, tag, time range, name
text …): the model never holds SQL; the case compiles the query.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QApplication, QStyle

from triage.case.query import ALL_FILES, FileQuery, PageKey
from triage.case.records import FileRecord
from triage.case.store import Case
from triage_ui.i18n import QT_TRANSLATE_NOOP
from triage_ui.models.format import kind_text, size_text, time_text

PAGE = 500
FileIdRole = Qt.ItemDataRole.UserRole + 1
# Python callers read rows with row_dict(): PySide6 6.12 mis-counts None inside dicts returned by data().

# (key, header, sort column or None)
COLUMNS: list[tuple[str, str, str | None]] = [
    ("name", QT_TRANSLATE_NOOP("FileTableModel", "Name"), "name"),
    ("size", QT_TRANSLATE_NOOP("FileTableModel", "Size"), "size"),
    ("type", QT_TRANSLATE_NOOP("FileTableModel", "Kind"), "type"),
    ("mime", QT_TRANSLATE_NOOP("FileTableModel", "Content type"), "mime"),
    ("deleted", QT_TRANSLATE_NOOP("FileTableModel", "Deleted"), "deleted"),
    ("mtime", QT_TRANSLATE_NOOP("FileTableModel", "Modified (UTC)"), "mtime"),
    ("crtime", QT_TRANSLATE_NOOP("FileTableModel", "Created (UTC)"), "crtime"),
    ("status", QT_TRANSLATE_NOOP("FileTableModel", "Scan"), "status"),
    ("sha256", "SHA-256", "sha256"),
    ("path", QT_TRANSLATE_NOOP("FileTableModel", "Path"), "path"),
    ("id", "ID", "id"),
]

Index = QModelIndex | QPersistentModelIndex


def origin_text(row: FileRecord) -> str:
    """Where a derived entry comes from, in words (empty for a file-system file)."""
    if row.origin == "member":
        return QCoreApplication.translate("FileTableModel", "member {member} of its container").format(
            member=row.member_path or ""
        )
    if row.origin == "carved":
        return QCoreApplication.translate("FileTableModel", "carved from unallocated space")
    return ""


def _origin_icon(origin: str) -> Any:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return None
    pixmap = (
        QStyle.StandardPixmap.SP_FileLinkIcon  # as the evidence tree shows a member
        if origin == "member"
        else QStyle.StandardPixmap.SP_FileDialogDetailedView
    )
    return app.style().standardIcon(pixmap)


class FileTableModel(QAbstractTableModel):
    """Files of one scope (folder, deleted, by type, by tag …), fetched page by page."""

    pageLoaded = Signal(int)  # rows now loaded

    def __init__(self, case: Case | None = None, parent: Any = None) -> None:
        super().__init__(parent)
        self.case = case
        self._query_obj: FileQuery = ALL_FILES
        self._order = "id"
        self._descending = False
        self._rows: list[FileRecord] = []
        self._at_end = True
        self._resetting = False
        self.scope_label = "All files"
        if case is not None:
            self.set_query(ALL_FILES)

    # -- configuration ---------------------------------------------------------------------
    def set_case(self, case: Case | None) -> None:
        self.case = case
        self.set_query(ALL_FILES)

    def set_query(self, query: FileQuery, label: str | None = None) -> None:
        """Show the files ``query`` selects (``label`` names the selection for the examiner)."""
        self._resetting = True
        self.beginResetModel()
        self._query_obj = query
        if label is not None:
            self.scope_label = label
        self._rows = self._query(None, PAGE) if self.case is not None else []
        self._at_end = len(self._rows) < PAGE
        self._end_reset()
        self.pageLoaded.emit(len(self._rows))

    def _end_reset(self) -> None:
        # The first page arrives with the reset; listeners (views, the model tester) that ask
        # for more inside the reset signals get it afterwards, not mid-reset.
        try:
            self.endResetModel()
        finally:
            self._resetting = False

    def query(self) -> FileQuery:
        """The selection shown."""
        return self._query_obj

    # -- Qt model API ----------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and not self._at_end and not self._resetting

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or self._at_end or self.case is None or self._resetting:
            return
        page = self._query(self._rows[-1] if self._rows else None, PAGE)
        if len(page) < PAGE:
            self._at_end = True
        if page:
            self._resetting = True  # listeners of rowsAboutToBeInserted/rowsInserted must not fetch again
            try:
                self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(page) - 1)
                self._rows.extend(page)
                self.endInsertRows()
            finally:
                self._resetting = False
        self.pageLoaded.emit(len(self._rows))

    def _query(self, last: FileRecord | None, limit: int) -> list[FileRecord]:
        assert self.case is not None
        return self.case.select_files(
            self._query_obj,
            order=self._order,
            descending=self._descending,
            after=PageKey.of(last, self._order) if last is not None else None,
            limit=limit,
        )

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS) or COLUMNS[column][2] is None:
            return
        self._order = COLUMNS[column][2] or "id"
        self._descending = order == Qt.SortOrder.DescendingOrder
        self.set_query(self._query_obj)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(COLUMNS)
        ):
            return QCoreApplication.translate("FileTableModel", COLUMNS[section][1])
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        row = self._rows[index.row()]
        key = COLUMNS[index.column()][0]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, key)
        if role == Qt.ItemDataRole.ToolTipRole:
            extra = f" ({row.deletion_label})" if row.deleted else ""
            return (
                f"{row.path}{extra}"
                + (f"\n{origin_text(row)}" if row.origin != "fs" else "")
                + (f"\nerror: {row.error}" if row.error else "")
            )
        if role == Qt.ItemDataRole.DecorationRole and key == "name" and row.origin != "fs":
            return _origin_icon(row.origin)
        if role == Qt.ItemDataRole.ForegroundRole and row.deleted:
            return QBrush(QColor(200, 40, 40))
        if role == Qt.ItemDataRole.FontRole and row.deleted:
            font = QFont()
            font.setItalic(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and key in ("size", "id"):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == FileIdRole:
            return int(row.id)
        return None

    @staticmethod
    def _display(row: FileRecord, key: str) -> str:
        value = getattr(row, key, None)
        if key == "size":
            return size_text(value)
        if key in ("mtime", "crtime", "atime", "ctime"):
            return time_text(value)
        if key == "deleted":
            return row.deletion_label
        if key == "type":
            if row.origin == "member":
                return QCoreApplication.translate("FileTableModel", "{kind} (member)").format(
                    kind=kind_text(value)
                )
            if row.origin == "carved":
                return QCoreApplication.translate("FileTableModel", "{kind} (carved)").format(
                    kind=kind_text(value)
                )
            return kind_text(value)
        if key == "mime" and row.ext_mismatch:
            return f"{value}  ⚠ extension"
        return "" if value is None else str(value)

    # -- helpers ---------------------------------------------------------------------------
    def record(self, row: int) -> FileRecord:
        """The file of table row ``row``."""
        return self._rows[row]

    def row_dict(self, row: int) -> dict[str, Any]:
        """Row ``row`` as a plain dict (the record's fields, ``inode``, ``partition``, ``evidence_id``)."""
        rec = self._rows[row]
        out = {k: v for k, v in asdict(rec).items() if k != "location"}
        out.update(inode=rec.inode, partition=rec.location.partition, evidence_id=rec.evidence_id)
        return out

    def loaded(self) -> int:
        return len(self._rows)

    def at_end(self) -> bool:
        return self._at_end

    def row_of(self, file_id: int) -> int | None:
        for i, r in enumerate(self._rows):
            if r.id == file_id:
                return i
        return None

    def refresh(self) -> None:
        """Re-read the loaded rows (a scan is filling in hashes and types); new rows become fetchable."""
        if self.case is None:
            return
        n = len(self._rows)
        fresh = self._query(None, max(n, PAGE))
        if n and [r.id for r in fresh[:n]] == [r.id for r in self._rows]:
            self._rows[:] = fresh[:n]
            self.dataChanged.emit(self.index(0, 0), self.index(n - 1, len(COLUMNS) - 1))
            if len(fresh) > n:
                self._resetting = True
                try:
                    self.beginInsertRows(QModelIndex(), n, len(fresh) - 1)
                    self._rows.extend(fresh[n:])
                    self.endInsertRows()
                finally:
                    self._resetting = False
        else:
            self._resetting = True
            self.beginResetModel()
            self._rows = fresh
            self._end_reset()
        self._at_end = len(fresh) < max(n, PAGE)
