"""The gallery: a thumbnail grid of every picture in the file table's current view.

Lazy: only the items on screen are asked for, by a :class:`ThumbnailLoader` thread that runs the
core's :class:`~triage.media.thumbnails.ThumbnailService` (cache in the case, else content reader
+ Pillow in decoder child processes). A new request replaces the queue, so after a fast scroll the
loader works on what is visible now. Until a thumbnail arrives the item shows a placeholder; a
picture that cannot be decoded shows a red tile whose tooltip gives the recorded reason.

Selection is the workstation's one selection: a click or Enter selects the file everywhere
(``fileActivated``); the extended selection can be tagged (``tagRequested``).
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QPoint, QSize, Qt, QThread, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QResizeEvent, QShowEvent
from PySide6.QtWidgets import QAbstractItemView, QLabel, QListView, QMenu, QVBoxLayout, QWidget

from triage.case.query import ALL_FILES, FileQuery
from triage.case.records import Thumbnail
from triage.media.thumbnails import ThumbnailService
from triage_ui.models.gallery import CELL, ICON_EDGE, FileIdRole, GalleryModel

log = logging.getLogger("triage.ui.gallery")
BATCH = 4
"""Pictures decoded per step (the loader looks for newer requests between steps)."""


class ThumbnailLoader(QThread):
    """Makes thumbnails off the GUI thread. :meth:`request` replaces the queue; ``ready`` brings
    results (cache hits first, then decoded ones, a few at a time); ``idle`` when the queue is empty."""

    ready = Signal(object)  # list[Thumbnail]
    idle = Signal()
    failed = Signal(object)

    def __init__(self, case_path: Path, writable: bool, parent: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName("triage-thumbnails")
        self.case_path = case_path
        self.writable = writable
        self._cond = threading.Condition()
        self._queue: list[int] = []
        self._stop = False
        self.decoded = 0
        """Pictures this loader sent to the decoder (a second look at a cached one adds none)."""

    def request(self, file_ids: list[int]) -> None:
        with self._cond:
            self._queue = list(dict.fromkeys(file_ids))
            self._cond.notify()

    def stop(self) -> None:
        with self._cond:
            self._stop = True
            self._queue = []
            self._cond.notify()
        self.wait(30000)

    def _take(self) -> list[int] | None:
        with self._cond:
            while not self._queue and not self._stop:
                self._cond.wait()
            if self._stop:
                return None
            batch, self._queue = self._queue, []
            return batch

    def run(self) -> None:
        try:
            service = ThumbnailService(self.case_path, writable=self.writable)
        except Exception as exc:
            log.error("thumbnail service could not start", exc_info=exc)
            self.failed.emit(exc)
            return
        try:
            while (batch := self._take()) is not None:
                hits = service.cached(batch)
                if hits:
                    self.ready.emit(list(hits.values()))
                todo = [i for i in batch if i not in hits]
                with self._cond:  # the misses go back in front of anything newer asked meanwhile
                    self._queue = todo + [i for i in self._queue if i not in set(todo)]
                    step, self._queue = self._queue[:BATCH], self._queue[BATCH:]
                if step:
                    made: dict[int, Thumbnail] = service.thumbnails(step)
                    self.decoded = service.decoded
                    self.ready.emit(list(made.values()))
                with self._cond:
                    empty = not self._queue
                if empty:
                    self.idle.emit()
        except Exception as exc:
            log.error("thumbnail loader failed", exc_info=exc)
            self.failed.emit(exc)
        finally:
            service.close()


class GalleryListView(QListView):
    """The grid; Enter activates the current picture (as a double-click does)."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.activated.emit(self.currentIndex())
            return
        super().keyPressEvent(event)


class GalleryView(QWidget):
    """Thumbnails of the pictures in the current view; see the module doc."""

    fileActivated = Signal(int)  # double-click or Enter: open in the detail pane
    fileSelected = Signal(int)  # the current picture changed (a click, the arrow keys)
    tagRequested = Signal(list)  # file ids
    failed = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = GalleryModel(self)
        self.loader: ThumbnailLoader | None = None
        self.status = QLabel("")
        self.view = GalleryListView()
        self.view.setObjectName("galleryView")
        self.view.setViewMode(QListView.ViewMode.IconMode)
        self.view.setUniformItemSizes(True)
        self.view.setMovement(QListView.Movement.Static)
        self.view.setResizeMode(QListView.ResizeMode.Adjust)
        self.view.setIconSize(QSize(ICON_EDGE, ICON_EDGE))
        self.view.setGridSize(QSize(*CELL))
        self.view.setWordWrap(False)
        self.view.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.view.verticalScrollBar().setSingleStep(40)
        self.view.setModel(self.model)
        self.view.activated.connect(self._activated)
        self.view.doubleClicked.connect(self._activated)
        self.view.selectionModel().currentChanged.connect(self._current_changed)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._menu)
        self.view.verticalScrollBar().valueChanged.connect(lambda _v: self._schedule())
        self.model.modelReset.connect(self._schedule)
        self.model.rowsInserted.connect(lambda *_: self._schedule())
        self.model.modelReset.connect(self._update_status)
        self.model.rowsInserted.connect(lambda *_: self._update_status())
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(30)
        self._timer.timeout.connect(self.request_visible)
        self._following = False
        self._pending: FileQuery | None = None  # the scope to show once the gallery is shown
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.status)
        lay.addWidget(self.view, 1)
        self._update_status()

    # -- case and scope --------------------------------------------------------------------
    def set_session(self, session: Any, query: FileQuery = ALL_FILES) -> None:
        """Follow a case session (``None``: no case); the loader thread is restarted."""
        self.shutdown()
        self._pending = None
        if session is None:
            self.model.set_case(None)
            return
        if self.isHidden():  # a hidden tab: listing a million files' pictures waits until it is shown
            self.model.set_case(None)
            self.model.case = session.ro
            self._pending = query
        else:
            self.model.set_case(session.ro, query)
        self.loader = ThumbnailLoader(Path(session.path), session.readonly_reason is None, self)
        self.loader.ready.connect(self.model.set_thumbnails)
        self.loader.idle.connect(self._schedule)
        self.loader.failed.connect(self.failed.emit)
        self.loader.start()
        self._schedule()

    def set_query(self, query: FileQuery) -> None:
        if self.isHidden() and self.model.case is not None:
            self._pending = query
            return
        self.model.set_query(query)

    def refresh(self) -> None:
        if self._pending is not None:
            return  # hidden: the pictures are listed when it is shown
        self.model.refresh()
        self._schedule()

    def setVisible(self, visible: bool) -> None:  # noqa: FBT001 (Qt's signature)
        super().setVisible(visible)
        if visible and self._pending is not None and self.model.case is not None:
            query, self._pending = self._pending, None
            self.model.set_case(self.model.case, query)

    def shutdown(self) -> None:
        """Stop the loader thread (before the window or the case closes)."""
        if self.loader is not None:
            self.loader.stop()
            self.loader.deleteLater()
            self.loader = None

    # -- lazy thumbnails -------------------------------------------------------------------
    def _schedule(self) -> None:
        if not self._timer.isActive():
            self._timer.start()

    def visible_rows(self) -> range:
        """Rows on screen (laid out row-major: everything between the first and the last)."""
        n = self.model.rowCount()
        vp = self.view.viewport().rect()
        if n == 0 or vp.isEmpty():
            return range(0)
        grid = self.view.gridSize()
        xs = range(2, max(3, vp.width()), max(8, grid.width() // 3))
        first = last = None
        for y in range(2, vp.height(), max(8, grid.height() // 3)):
            for x in xs:
                idx = self.view.indexAt(QPoint(x, y))
                if idx.isValid():
                    first = idx.row() if first is None else min(first, idx.row())
                    last = idx.row() if last is None else max(last, idx.row())
        if first is None or last is None:
            return range(0)
        return range(first, last + 1)

    def request_visible(self) -> list[int]:
        """Ask the loader for the thumbnails on screen that are not here yet; returns their ids."""
        if self.loader is None or not self.isVisible():
            return []
        rows = self.visible_rows()
        ids = self.model.missing(rows)
        if ids:
            self.loader.request(ids)
        return ids

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._schedule()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._schedule()

    # -- selection -------------------------------------------------------------------------
    def _file_id(self, index: QModelIndex) -> int | None:
        return int(index.data(FileIdRole)) if index.isValid() else None

    def _activated(self, index: QModelIndex) -> None:
        fid = self._file_id(index)
        if fid is not None:
            self.fileActivated.emit(fid)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        fid = self._file_id(current)
        if fid is not None and not self._following:
            self.fileSelected.emit(fid)

    def selected_ids(self) -> list[int]:
        rows = sorted(i.row() for i in self.view.selectionModel().selectedIndexes())
        return [self.model.record(r).id for r in rows]

    def follow(self, file_id: int | None) -> None:
        """The workstation's current file changed: make it current here too when it is a loaded
        picture (the extended selection is kept when it already is the current one)."""
        current = self._file_id(self.view.currentIndex())
        if file_id is None or file_id == current:
            return
        row = self.model.row_of(file_id)
        self._following = True
        try:
            if row is None:
                self.view.clearSelection()
                return
            idx = self.model.index(row, 0)
            self.view.selectionModel().setCurrentIndex(idx, QItemSelectionModel.SelectionFlag.ClearAndSelect)
            self.view.scrollTo(idx)
        finally:
            self._following = False

    def _menu(self, pos: QPoint) -> None:
        ids = self.selected_ids()
        menu = QMenu(self)
        act = menu.addAction(self.tr("Tag selected pictures…"), lambda: self.tagRequested.emit(ids))
        act.setEnabled(bool(ids))
        index = self.view.indexAt(pos)
        if index.isValid():
            menu.addAction(self.tr("Open in the detail pane"), lambda: self._activated(index))
        menu.exec(self.view.viewport().mapToGlobal(pos))

    def _update_status(self) -> None:
        n = self.model.rowCount()
        if self.model.case is None:
            self.status.setText(self.tr("No case open"))
        elif n == 0:
            self.status.setText(self.tr("No pictures in this view (pictures are typed by the scan)"))
        else:
            self.status.setText(self.tr("{n} pictures").format(n=f"{n:,}"))
