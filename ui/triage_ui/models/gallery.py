"""The gallery's model: the pictures (``image/*`` content) of the file table's scope, paged by id,
with thumbnails that arrive later from the loader thread (:mod:`triage_ui.views.gallery`).

Only a bounded number of decoded pixmaps is kept (:data:`PIXMAPS`); one that fell out is asked for
again (a cache hit in the case). The model never decodes evidence: it shows PNGs the core made.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, QSize, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap

from triage.case.records import FileRecord, Thumbnail
from triage.case.store import Case
from triage.media.decode import MAX_EDGE

PAGE = 600
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
        self.scope: tuple[str, tuple[Any, ...]] = ("", ())
        self._rows: list[FileRecord] = []
        self._row_of: dict[int, int] = {}
        self._at_end = True
        self._busy = False
        self._pix: OrderedDict[int, QPixmap] = OrderedDict()
        self._errors: dict[int, str] = {}
        self.placeholder = QIcon(_placeholder(MAX_EDGE, QColor(225, 225, 225)))
        self.broken = QIcon(_placeholder(MAX_EDGE, QColor(240, 200, 200)))

    # -- configuration ---------------------------------------------------------------------
    def set_case(self, case: Case | None, scope: tuple[str, tuple[Any, ...]] = ("", ())) -> None:
        self.case = case
        self._pix.clear()
        self._errors.clear()
        self.set_scope(scope, force=True)

    def set_scope(self, scope: tuple[str, tuple[Any, ...]], force: bool = False) -> None:
        """Show the pictures of ``scope`` (the file table's ``(where, args)``)."""
        scope = (scope[0], tuple(scope[1]))
        if scope == self.scope and not force:
            return
        self._busy = True
        self.beginResetModel()
        try:
            self.scope = scope
            self._rows = self._page(0)
            self._at_end = len(self._rows) < PAGE
            self._row_of = {r.id: i for i, r in enumerate(self._rows)}
        finally:
            self.endResetModel()
            self._busy = False

    def _page(self, after_id: int) -> list[FileRecord]:
        if self.case is None:
            return []
        return self.case.picture_page(scope=self.scope, after_id=after_id, limit=PAGE)

    def refresh(self) -> None:
        """Pictures the scan typed since the last look appear (rows after the loaded ones are
        fetchable again; a changed prefix resets the model)."""
        if self.case is None:
            return
        n = len(self._rows)
        fresh = self.case.picture_page(scope=self.scope, after_id=0, limit=max(n, PAGE))
        if [r.id for r in fresh[:n]] != [r.id for r in self._rows]:
            self.set_scope(self.scope, force=True)
            return
        self._at_end = len(fresh) < max(n, PAGE)
        if len(fresh) > n:
            self._insert(fresh[n:])

    def _insert(self, page: list[FileRecord]) -> None:
        self._busy = True
        try:
            n = len(self._rows)
            self.beginInsertRows(QModelIndex(), n, n + len(page) - 1)
            for i, r in enumerate(page):
                self._row_of[r.id] = n + i
            self._rows.extend(page)
            self.endInsertRows()
        finally:
            self._busy = False

    # -- Qt model API ----------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and not self._at_end and not self._busy

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or self._at_end or self._busy:
            return
        page = self._page(self._rows[-1].id if self._rows else 0)
        self._at_end = len(page) < PAGE
        if page:
            self._insert(page)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        rec = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return rec.name
        if role == Qt.ItemDataRole.DecorationRole:
            pix = self._pix.get(rec.id)
            if pix is not None:
                return pix
            return self.broken if rec.id in self._errors else self.placeholder
        if role == Qt.ItemDataRole.ToolTipRole:
            extra = self.tr(" (deleted)") if rec.deleted else ""
            error = self._errors.get(rec.id)
            if error:
                return self.tr("{path}{extra}\nNo thumbnail: {error}").format(
                    path=rec.path, extra=extra, error=error
                )
            return f"{rec.path}{extra}\n{rec.mime or ''}"
        if role == Qt.ItemDataRole.ForegroundRole and rec.deleted:
            return QColor(200, 40, 40)
        if role == Qt.ItemDataRole.SizeHintRole:
            return QSize(MAX_EDGE + 20, MAX_EDGE + 36)
        if role == FileIdRole:
            return rec.id
        if role == ErrorRole:
            return self._errors.get(rec.id)
        return None

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
                    self._pix[t.file_id] = _centred(pix)
                    self._pix.move_to_end(t.file_id)
                    self._errors.pop(t.file_id, None)
                else:
                    self._errors[t.file_id] = self.tr("the cached thumbnail is not a PNG")
            else:
                self._errors[t.file_id] = t.error or self.tr("no thumbnail")
            changed.append(row)
        while len(self._pix) > PIXMAPS:
            self._pix.popitem(last=False)
        for row in changed:
            idx = self.index(row, 0)
            self.dataChanged.emit(idx, idx, [Qt.ItemDataRole.DecorationRole, Qt.ItemDataRole.ToolTipRole])

    def missing(self, rows: range) -> list[int]:
        """File ids of ``rows`` that have neither a thumbnail nor a recorded failure yet."""
        out = []
        for r in rows:
            if 0 <= r < len(self._rows):
                fid = self._rows[r].id
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
        return self._rows[row]

    def file_ids(self) -> list[int]:
        return [r.id for r in self._rows]

    def row_of(self, file_id: int) -> int | None:
        return self._row_of.get(file_id)

    def at_end(self) -> bool:
        return self._at_end
