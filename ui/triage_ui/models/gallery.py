"""The gallery's model: the pictures (``image/*`` content) of the file table's scope, with
thumbnails that arrive later from the loader thread (:mod:`triage_ui.views.gallery`).

The ids of every picture in the scope are read at once (one small query: the view lays out and
sizes its scroll bar once); the file records behind them are read in blocks of :data:`BLOCK` when
a row is first shown. Only a bounded number of decoded pixmaps is kept (:data:`PIXMAPS`); one that
fell out is asked for again (a cache hit in the case). The model never decodes evidence: it
shows PNGs the core made.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, QSize, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap

from triage.case.query import ALL_FILES, FileQuery
from triage.case.records import FileRecord, Thumbnail
from triage.case.store import Case
from triage.media.decode import MAX_EDGE

BLOCK = 200
"""File records read per query when rows are first shown."""
ICON_EDGE = 128
"""Shown size of a thumbnail tile (made at MAX_EDGE, drawn smaller so more fit a short pane)."""
CELL = (ICON_EDGE + 28, ICON_EDGE + 34)
"""Width and height of one grid cell: the tile and one line of name below it."""
PIXMAPS = 1500
"""Decoded thumbnails kept in memory (about 100 KB each)."""
FileIdRole = Qt.ItemDataRole.UserRole + 1
ErrorRole = Qt.ItemDataRole.UserRole + 2
Index = QModelIndex | QPersistentModelIndex


def _placeholder(edge: int, colour: QColor) -> QPixmap:
    pix = QPixmap(edge, edge)
    pix.fill(Qt.GlobalColor.transparent)
    p = QPainter(pix)
    p.setPen(colour.darker(130))
    p.setBrush(colour)
    p.drawRoundedRect(8, 8, edge - 16, edge - 16, 6, 6)
    p.end()
    return pix


def _centred(pix: QPixmap) -> QPixmap:
    """``pix`` in the middle of a transparent square tile, so that every name lines up below."""
    if pix.width() == pix.height() == MAX_EDGE:
        return pix
    tile = QPixmap(MAX_EDGE, MAX_EDGE)
    tile.fill(Qt.GlobalColor.transparent)
    p = QPainter(tile)
    p.drawPixmap((MAX_EDGE - pix.width()) // 2, (MAX_EDGE - pix.height()) // 2, pix)
    p.end()
    return tile


class GalleryModel(QAbstractListModel):
    """Picture files of one scope; thumbnails set by :meth:`set_thumbnails`."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.case: Case | None = None
        self.query: FileQuery = ALL_FILES
        self._ids: list[int] = []
        self._row_of: dict[int, int] = {}
        self._records: dict[int, FileRecord] = {}
        self._pix: OrderedDict[int, QIcon] = OrderedDict()  # tiles as icons: drawn at the view's icon size
        self._errors: dict[int, str] = {}
        self.placeholder = QIcon(_placeholder(MAX_EDGE, QColor(225, 225, 225)))
        self.broken = QIcon(_placeholder(MAX_EDGE, QColor(240, 200, 200)))

    # -- configuration ---------------------------------------------------------------------
    def set_case(self, case: Case | None, query: FileQuery = ALL_FILES) -> None:
        self.case = case
        self._pix.clear()
        self._errors.clear()
        self.set_query(query, force=True)

    def set_query(self, query: FileQuery, force: bool = False) -> None:
        """Show the pictures that ``query`` (the file table's) selects."""
        if query == self.query and not force:
            return
        self.beginResetModel()
        self.query = query
        self._set_ids(self._query_ids())
        self.endResetModel()

    def _query_ids(self) -> list[int]:
        return self.case.picture_ids(self.query) if self.case is not None else []

    def _set_ids(self, ids: list[int]) -> None:
        self._ids = ids
        self._row_of = {fid: i for i, fid in enumerate(ids)}
        self._records = {k: v for k, v in self._records.items() if k in self._row_of}

    def refresh(self) -> None:
        """Pictures the scan typed since the last look appear (appended rows are inserted; any
        other change resets the model)."""
        if self.case is None:
            return
        fresh = self._query_ids()
        n = len(self._ids)
        if fresh == self._ids:
            return
        if fresh[:n] != self._ids:
            self.beginResetModel()
            self._set_ids(fresh)
            self.endResetModel()
            return
        self.beginInsertRows(QModelIndex(), n, len(fresh) - 1)
        self._set_ids(fresh)
        self.endInsertRows()

    # -- Qt model API ----------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._ids):
            return None
        fid = self._ids[index.row()]
        if role == FileIdRole:
            return fid
        if role == Qt.ItemDataRole.DecorationRole:
            pix = self._pix.get(fid)
            if pix is not None:
                return pix
            return self.broken if fid in self._errors else self.placeholder
        if role == ErrorRole:
            return self._errors.get(fid)
        if role == Qt.ItemDataRole.SizeHintRole:
            return QSize(CELL[0] - 4, CELL[1] - 4)
        if role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
            Qt.ItemDataRole.ForegroundRole,
        ):
            return None
        rec = self.record(index.row())
        if role == Qt.ItemDataRole.DisplayRole:
            return rec.name
        if role == Qt.ItemDataRole.ToolTipRole:
            extra = self.tr(" (deleted)") if rec.deleted else ""
            error = self._errors.get(fid)
            if error:
                return self.tr("{path}{extra}\nNo thumbnail: {error}").format(
                    path=rec.path, extra=extra, error=error
                )
            return f"{rec.path}{extra}\n{rec.mime or ''}"
        return QColor(200, 40, 40) if rec.deleted else None

    # -- thumbnails ------------------------------------------------------------------------
    def set_thumbnails(self, thumbs: list[Thumbnail]) -> None:
        """Show thumbnails the loader made (ids no longer in the model are ignored)."""
        changed: list[int] = []
        for t in thumbs:
            row = self._row_of.get(t.file_id)
            if row is None:
                continue
            if t.ok and t.png is not None:
                pix = QPixmap()
                if pix.loadFromData(t.png, "PNG"):
                    self._pix[t.file_id] = QIcon(_centred(pix))
                    self._pix.move_to_end(t.file_id)
                    self._errors.pop(t.file_id, None)
                else:
                    self._errors[t.file_id] = self.tr("the cached thumbnail is not a PNG")
            else:
                self._errors[t.file_id] = t.error or self.tr("no thumbnail")
            changed.append(row)
        while len(self._pix) > PIXMAPS:
            self._pix.popitem(last=False)
        if changed:  # one signal per batch
            first, last = self.index(min(changed), 0), self.index(max(changed), 0)
            self.dataChanged.emit(first, last, [Qt.ItemDataRole.DecorationRole, Qt.ItemDataRole.ToolTipRole])

    def missing(self, rows: range) -> list[int]:
        """File ids of ``rows`` that have neither a thumbnail nor a recorded failure yet."""
        out = []
        for r in rows:
            if 0 <= r < len(self._ids):
                fid = self._ids[r]
                if fid in self._pix:
                    self._pix.move_to_end(fid)
                elif fid not in self._errors:
                    out.append(fid)
        return out

    def has_thumbnail(self, file_id: int) -> bool:
        return file_id in self._pix

    def error(self, file_id: int) -> str | None:
        return self._errors.get(file_id)

    # -- helpers ---------------------------------------------------------------------------
    def record(self, row: int) -> FileRecord:
        """The file record of ``row`` (its block of :data:`BLOCK` rows is read on first use)."""
        fid = self._ids[row]
        rec = self._records.get(fid)
        if rec is None:
            start = row - row % BLOCK
            block = tuple(i for i in self._ids[start : start + BLOCK] if i not in self._records)
            if self.case is not None:
                self._records.update({r.id: r for r in self.case.select_files(FileQuery(ids=block))})
            rec = self._records[fid]
        return rec

    def file_ids(self) -> list[int]:
        return list(self._ids)

    def row_of(self, file_id: int) -> int | None:
        return self._row_of.get(file_id)
