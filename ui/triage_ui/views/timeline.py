"""The timeline panel: a histogram of MACB events over time (drawn with QPainter), zoom by
mouse wheel or by dragging a range, filters (MACB types, deleted status, tag) and the events
of a clicked bucket, which lead to the files in the file table and the detail pane.

Events are loaded by a background job (its own read-only case connection) when the panel is
first shown, and again when the filters change or a scan finishes; zooming only re-bins.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent, QPalette, QShowEvent, QWheelEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QTableView,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from triage.case.store import Case
from triage_ui.jobs import Job
from triage_ui.models.format import time_text
from triage_ui.models.timeline import (
    MACB,
    MACB_LABELS,
    BucketEventsModel,
    TimelineData,
    TimelineFilter,
    load_timeline,
)

log = logging.getLogger("triage.ui.timeline")
BUCKETS = 120
DRAG_PX = 5  # a press and release closer than this is a click, not a range
FINDING_COLOUR = QColor(214, 90, 49)


def span_text(start: int, end: int) -> str:
    return f"{time_text(start)} – {time_text(end)}"


def _tick_format(span: int) -> str:
    if span > 2 * 365 * 86400:
        return "%Y"
    if span > 60 * 86400:
        return "%Y-%m"
    if span > 2 * 86400:
        return "%Y-%m-%d"
    if span > 2 * 3600:
        return "%m-%d %H:%M"
    return "%H:%M:%S"


class HistogramWidget(QWidget):
    """Bars of event counts over ``[lo, hi]``; the share with findings is drawn on top in orange.

    Wheel zooms around the cursor, a drag selects a range to zoom to, a click selects a bucket
    (``bucketClicked``), double click or :meth:`reset_zoom` shows everything again.
    """

    bucketClicked = Signal(int, int)  # start, end (inclusive, epoch seconds UTC)
    rangeChanged = Signal(int, int)

    def __init__(self, parent: QWidget | None = None, buckets: int = BUCKETS) -> None:
        super().__init__(parent)
        self.setObjectName("timelineHistogram")
        self.setMinimumHeight(120)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMouseTracking(True)
        self.n = buckets
        self.data: TimelineData | None = None
        self.lo = self.hi = 0
        self.bins: list[Any] = []
        self.selected: tuple[int, int] | None = None
        self._press: float | None = None
        self._drag: float | None = None

    # -- data and range --------------------------------------------------------------------
    def set_data(self, data: TimelineData | None) -> None:
        self.data = data
        self.selected = None
        self.reset_zoom()

    def reset_zoom(self) -> None:
        span = self.data.span() if self.data is not None else None
        self.set_range(*(span or (0, 0)))

    def set_range(self, lo: int, hi: int) -> None:
        full = self.data.span() if self.data is not None else None
        if full is not None:
            lo, hi = max(lo, full[0]), min(hi, full[1])
        hi = max(hi, lo)
        self.lo, self.hi = int(lo), int(hi)
        self.bins = (
            self.data.buckets(self.lo, self.hi, self.n) if self.data is not None and len(self.data) else []
        )
        self.update()
        self.rangeChanged.emit(self.lo, self.hi)

    def zoom(self, factor: float, at: int | None = None) -> None:
        """Zoom by ``factor`` (< 1 in) keeping the time ``at`` in place."""
        at = (self.lo + self.hi) // 2 if at is None else at
        lo = at - (at - self.lo) * factor
        hi = at + (self.hi - at) * factor
        if hi - lo < self.n:  # one second per bucket is the finest
            return
        self.set_range(int(lo), int(hi))

    # -- geometry --------------------------------------------------------------------------
    def plot_rect(self) -> QRectF:
        fh = self.fontMetrics().height()
        left = self.fontMetrics().horizontalAdvance("000000") + 8
        return QRectF(left, fh * 0.5, max(10, self.width() - left - 8), max(10, self.height() - fh * 2.2))

    def bucket_at(self, x: float) -> int | None:
        r = self.plot_rect()
        if not self.bins or not r.left() <= x <= r.right():
            return None
        return min(len(self.bins) - 1, int((x - r.left()) / r.width() * len(self.bins)))

    def bucket_x(self, i: int) -> float:
        r = self.plot_rect()
        return r.left() + r.width() * i / max(1, len(self.bins))

    def time_at(self, x: float) -> int:
        i = self.bucket_at(min(max(x, self.plot_rect().left()), self.plot_rect().right()))
        if i is None:
            return self.lo
        return int(self.bins[i].start)

    # -- painting --------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        pal = self.palette()
        p.fillRect(self.rect(), pal.color(QPalette.ColorRole.Base))
        r = self.plot_rect()
        text = pal.color(QPalette.ColorRole.Text)
        if not self.bins:
            p.setPen(text)
            p.drawText(
                self.rect(),
                Qt.AlignmentFlag.AlignCenter,
                "No events (no case, nothing inventoried, or the filters exclude everything)",
            )
            return
        top = max(b.count for b in self.bins) or 1
        bar = pal.color(QPalette.ColorRole.Highlight)
        sel_colour = QColor(bar).darker(160)
        w = r.width() / len(self.bins)
        for i, b in enumerate(self.bins):
            if not b.count:
                continue
            x = self.bucket_x(i)
            h = max(2.0, r.height() * b.count / top)  # a single event stays visible
            chosen = self.selected == (b.start, b.end)
            p.fillRect(QRectF(x, r.bottom() - h, max(1.0, w - 1), h), sel_colour if chosen else bar)
            if b.with_findings:
                hf = max(2.0, r.height() * b.with_findings / top)
                p.fillRect(QRectF(x, r.bottom() - hf, max(1.0, w - 1), hf), FINDING_COLOUR)
        # axes: count at the top left, time ticks below
        p.setPen(text)
        p.drawLine(QPointF(r.left(), r.bottom()), QPointF(r.right(), r.bottom()))
        fm = self.fontMetrics()
        p.drawText(QRectF(0, r.top() - 2, r.left() - 4, fm.height()), Qt.AlignmentFlag.AlignRight, f"{top:,}")
        p.drawText(
            QRectF(0, r.bottom() - fm.height(), r.left() - 4, fm.height()), Qt.AlignmentFlag.AlignRight, "0"
        )
        fmt = _tick_format(self.hi - self.lo)
        ticks = max(2, int(r.width() // (fm.horizontalAdvance("0000-00-00 00:00") + 20)))
        for k in range(ticks + 1):
            x = r.left() + r.width() * k / ticks
            t = self.lo + (self.bins[-1].end - self.lo) * k // ticks
            label = datetime.fromtimestamp(t, UTC).strftime(fmt)
            p.drawLine(QPointF(x, r.bottom()), QPointF(x, r.bottom() + 4))
            tw = fm.horizontalAdvance(label)
            p.drawText(
                QPointF(min(max(0.0, x - tw / 2), self.width() - tw - 2), r.bottom() + 4 + fm.ascent()), label
            )
        if self._press is not None and self._drag is not None and abs(self._drag - self._press) >= DRAG_PX:
            sel = QColor(bar)
            sel.setAlpha(60)
            x0, x1 = sorted((self._press, self._drag))
            p.fillRect(QRectF(x0, r.top(), x1 - x0, r.height()), sel)

    # -- mouse -----------------------------------------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._press = self._drag = event.position().x()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        x = event.position().x()
        if self._press is not None:
            self._drag = x
            self.update()
            return
        i = self.bucket_at(x)
        if i is not None:
            b = self.bins[i]
            QToolTip.showText(
                event.globalPosition().toPoint(),
                f"{span_text(b.start, b.end)}\n{b.count:,} events"
                + (f", {b.with_findings:,} of files with findings" if b.with_findings else ""),
                self,
            )

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton or self._press is None:
            return
        x0, x1 = sorted((self._press, event.position().x()))
        self._press = self._drag = None
        if x1 - x0 < DRAG_PX:
            self.click_bucket(self.bucket_at(x1))
        else:
            i0, i1 = (
                self.bucket_at(max(x0, self.plot_rect().left())),
                self.bucket_at(min(x1, self.plot_rect().right())),
            )
            if i0 is not None and i1 is not None:
                self.set_range(self.bins[i0].start, self.bins[i1].end)
        self.update()

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        self.reset_zoom()

    def wheelEvent(self, event: QWheelEvent) -> None:
        steps = event.angleDelta().y() / 120
        if not steps or not self.bins:
            return
        self.zoom(0.8**steps, self.time_at(event.position().x()))
        event.accept()

    def click_bucket(self, i: int | None) -> None:
        if i is None or not self.bins:
            return
        b = self.bins[i]
        self.selected = (b.start, b.end)
        self.update()
        self.bucketClicked.emit(b.start, b.end)


class TimelineView(QWidget):
    """Filters, histogram and bucket events; ``fileActivated(file_id)`` and
    ``scopeRequested(where, args, label)`` lead the main window to the files."""

    loaded = Signal()  # new data is shown (tests wait on this)
    failed = Signal(object)
    fileActivated = Signal(int)
    scopeRequested = Signal(str, object, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.case_path: Path | None = None
        self.job: Job | None = None
        self.data: TimelineData | None = None
        self._stale = True
        self._again = False
        self.tags: list[str] = []
        self._build()

    def _build(self) -> None:
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        bar = QHBoxLayout()
        self.macb_checks: dict[str, QCheckBox] = {}
        for flag in MACB:
            c = QCheckBox(flag.upper())
            c.setObjectName(f"macb_{flag}")
            c.setChecked(True)
            c.setToolTip(MACB_LABELS[flag])
            c.toggled.connect(lambda _on: self.reload())
            self.macb_checks[flag] = c
            bar.addWidget(c)
        self.deleted_combo = QComboBox()
        self.deleted_combo.setObjectName("deletedFilter")
        self._deleted_modes = [
            ("all", "All files"),
            ("deleted", "Deleted only"),
            ("allocated", "Allocated only"),
        ]
        for _mode, label in self._deleted_modes:
            self.deleted_combo.addItem(label)
        self.deleted_combo.currentIndexChanged.connect(lambda _i: self.reload())
        bar.addWidget(self.deleted_combo)
        self.tag_combo = QComboBox()
        self.tag_combo.setObjectName("tagFilter")
        self.tag_combo.addItem("Any tag or none")
        self.tag_combo.currentIndexChanged.connect(self._tag_changed)
        bar.addWidget(self.tag_combo)
        self.reset_btn = QPushButton("Reset zoom")
        self.reset_btn.setToolTip("Show the whole time span again (or double-click the chart)")
        bar.addWidget(self.reset_btn)
        self.range_label = QLabel("")
        self.range_label.setObjectName("timelineRange")
        bar.addWidget(self.range_label, 1)
        lay.addLayout(bar)
        self.histogram = HistogramWidget()
        self.reset_btn.clicked.connect(self.histogram.reset_zoom)
        self.histogram.rangeChanged.connect(self._range_changed)
        self.histogram.bucketClicked.connect(self.show_bucket)
        self.events_model = BucketEventsModel(self)
        self.events = QTableView()
        self.events.setObjectName("timelineEvents")
        self.events.setModel(self.events_model)
        self.events.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.events.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.events.verticalHeader().setVisible(False)
        self.events.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        self.events.horizontalHeader().setStretchLastSection(True)
        self.events.setWordWrap(False)
        self.events.clicked.connect(self._event_clicked)
        self.events.activated.connect(self._event_clicked)
        self.bucket_label = QLabel("Click a bar to list its events.")
        self.show_btn = QPushButton("Show in file table")
        self.show_btn.setToolTip("List the files of this bucket (with the current filters) in the file table")
        self.show_btn.setEnabled(False)
        self.show_btn.clicked.connect(self.show_bucket_files)
        lower = QWidget()
        ll = QVBoxLayout(lower)
        ll.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        row.addWidget(self.bucket_label, 1)
        row.addWidget(self.show_btn)
        ll.addLayout(row)
        ll.addWidget(self.events, 1)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.histogram)
        split.addWidget(lower)
        split.setSizes([620, 480])
        lay.addWidget(split, 1)

    # -- filters ---------------------------------------------------------------------------
    def current_filter(self) -> TimelineFilter:
        macb = "".join(f for f in MACB if self.macb_checks[f].isChecked())
        mode = self._deleted_modes[max(0, self.deleted_combo.currentIndex())][0]
        i = self.tag_combo.currentIndex()
        tag = self.tags[i - 1] if i > 0 and i - 1 < len(self.tags) else None
        return TimelineFilter(macb, mode, tag)

    def set_filter(self, macb: str = MACB, deleted: str = "all", tag: str | None = None) -> None:
        """Set every filter at once (one reload)."""
        self._block(True)
        for f, c in self.macb_checks.items():
            c.setChecked(f in macb)
        self.deleted_combo.setCurrentIndex([m for m, _ in self._deleted_modes].index(deleted))
        self.tag_combo.setCurrentIndex(self.tags.index(tag) + 1 if tag in self.tags else 0)
        self._block(False)
        self.reload()

    def _block(self, on: bool) -> None:
        for w in (*self.macb_checks.values(), self.deleted_combo, self.tag_combo):
            w.blockSignals(on)

    def _tag_changed(self, _i: int) -> None:
        self.reload()

    def _set_tags(self, tags: list[str]) -> None:
        current = self.current_filter().tag
        self.tags = list(tags)
        self.tag_combo.blockSignals(True)
        self.tag_combo.clear()
        self.tag_combo.addItem("Any tag or none")
        for t in self.tags:
            self.tag_combo.addItem(f"Tagged “{t}”")
        self.tag_combo.setCurrentIndex(self.tags.index(current) + 1 if current in self.tags else 0)
        self.tag_combo.blockSignals(False)

    # -- loading ---------------------------------------------------------------------------
    def set_case(self, path: Path | None) -> None:
        self.shutdown()
        self.case_path = path
        self.data = None
        self.tags = []
        self._set_tags([])
        self.histogram.set_data(None)
        self.events_model.set_bucket(None)
        self.show_btn.setEnabled(False)
        self._stale = True
        if path is not None and self.isVisible():
            self.reload()

    def mark_stale(self) -> None:
        """The case changed (a scan finished, tags changed): reload now if shown, else when shown."""
        self._stale = True
        if self.isVisible():
            self.reload()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale and self.case_path is not None:
            self.reload()

    def is_loading(self) -> bool:
        return self.job is not None

    def reload(self) -> None:
        """Load the events with the current filters in a background job."""
        if self.case_path is None:
            return
        if self.job is not None:
            self._again = True
            return
        self._stale = False
        flt = self.current_filter()
        path = self.case_path

        def work() -> TimelineData:
            with Case.open(path, readonly=True) as case:
                return load_timeline(case, flt)

        self.range_label.setText("loading events…")
        self.job = Job(work, "timeline", self)
        self.job.finished.connect(self._loaded)
        self.job.errored.connect(self._failed)
        self.job.start()

    def _loaded(self, data: TimelineData) -> None:
        self.job = None
        if self._again:
            self._again = False
            self.reload()
            return
        previous = self.events_model.range
        self.data = data
        self._set_tags(data.tags)
        self.histogram.set_data(data)
        self.events_model.set_bucket(None)
        self.show_btn.setEnabled(False)
        self.bucket_label.setText("Click a bar to list its events.")
        if previous is not None:
            self.show_bucket(*previous)
        self.loaded.emit()

    def _failed(self, exc: BaseException) -> None:
        self.job = None
        self._again = False
        self.range_label.setText(f"cannot load the timeline: {exc}")
        self.failed.emit(exc)

    def shutdown(self, timeout_ms: int = 60000) -> None:
        """Wait for a running load (case closing, window closing)."""
        if self.job is not None:
            job, self.job = self.job, None
            self._again = False
            job.finished.disconnect(self._loaded)
            job.errored.disconnect(self._failed)
            job.wait(timeout_ms)

    # -- buckets ---------------------------------------------------------------------------
    def _range_changed(self, lo: int, hi: int) -> None:
        d = self.data
        if d is None or not len(d):
            self.range_label.setText("no events" if d is not None else "")
            return
        i, j = d.index_range(lo, self.histogram.bins[-1].end if self.histogram.bins else hi)
        zoomed = (lo, hi) != d.span()
        self.range_label.setText(
            f"{span_text(lo, hi)} · {j - i:,} of {len(d):,} events"
            + (" (zoomed)" if zoomed else "")
            + ("" if len(d) == d.total_events else f" · {d.total_events:,} before filters")
        )

    def show_bucket(self, start: int, end: int) -> None:
        """List the events of ``[start, end]``."""
        self.histogram.selected = (start, end)
        self.histogram.update()
        self.events_model.set_bucket(self.data, start, end)
        n = self.events_model.rowCount()
        files = len({self.events_model.file_id(r) for r in range(n)})
        flagged = len({self.events_model.file_id(r) for r in range(n) if self.events_model.timestomp_at(r)})
        self.bucket_label.setText(
            f"{span_text(start, end)}: {n:,} events in {files:,} files"
            + (f", {flagged:,} with timestomping signs" if flagged else "")
        )
        self.show_btn.setEnabled(n > 0)
        self.events.resizeColumnsToContents()

    def bucket_scope(self) -> tuple[str, tuple[Any, ...], str] | None:
        """The selected bucket's files as a file-table scope ``(where, args, label)``."""
        if self.events_model.range is None or self.data is None:
            return None
        start, end = self.events_model.range
        where, args = self.data.filter.scope(start, end)
        return where, args, f"Timeline {span_text(start, end)}"

    def show_bucket_files(self) -> None:
        scope = self.bucket_scope()
        if scope is not None:
            self.scopeRequested.emit(*scope)

    def _event_clicked(self, index: QModelIndex) -> None:
        if index.isValid():
            self.fileActivated.emit(self.events_model.file_id(index.row()))
