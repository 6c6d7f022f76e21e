"""The timeline panel: a histogram of MACB events over time (drawn with QPainter), filters
(MACB types, deleted status, tag), the events of a clicked bucket, and a dragged time range
that filters the file table.

Every number comes from the case (:meth:`triage.case.store.Case.event_histogram`, counted by
SQLite) in background jobs with their own read-only connection: the first load asks for the
span and the buckets over it, each zoom for the buckets of the new range. Until they arrive the
widget draws the buckets it has at their true times in the new range, so a zoom answers at once.

Zoom: the wheel (or ``+``/``-``) zooms around the time under the cursor, which stays under the
cursor; it never zooms into a range the buckets already show to be empty. ``0``/Home or a double
click shows everything, ``←``/``→`` pan. The count axis is logarithmic by default (one busy bucket
cannot flatten the rest); the axis says so and a check box switches to linear.
"""

from __future__ import annotations

import logging
import math
from pathlib import Path

from PySide6.QtCore import QModelIndex, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QShowEvent,
    QWheelEvent,
)
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

from triage.case.events import EventBin
from triage.case.query import FileQuery
from triage.case.store import Case
from triage.ticks import calendar_ticks
from triage_ui.jobs import Job
from triage_ui.models.format import time_text
from triage_ui.models.timeline import (
    MACB,
    MACB_LABELS,
    BucketEvents,
    BucketEventsModel,
    TimelineFilter,
    TimelineSummary,
    load_bins,
    load_bucket,
    load_summary,
)

log = logging.getLogger("triage.ui.timeline")
BUCKETS = 120
DRAG_PX = 5  # a press and release closer than this is a click, not a range
WHEEL_FACTOR = 0.8  # one wheel notch in keeps 80 % of the range
FINDING_COLOUR = QColor(214, 90, 49)


def span_text(start: int, end: int) -> str:
    return f"{time_text(start)} – {time_text(end)}"


def bar_height(count: int, top: int, height: float, log_scale: bool) -> float:
    """Pixel height of a bar of ``count`` events when the tallest has ``top``; a bar with any
    event is at least 2 px. Log: ``log(1 + count) / log(1 + top)``, so 1 of 131 stays visible."""
    if count <= 0 or top <= 0:
        return 0.0
    share = math.log1p(count) / math.log1p(top) if log_scale else count / top
    return max(2.0, height * share)


class HistogramWidget(QWidget):
    """Bars of event counts over ``[lo, hi]``; the share with findings is drawn on top in orange.

    ``binsNeeded(lo, hi)``: the range changed, the owner loads its buckets (:meth:`set_bins`).
    ``bucketClicked(start, end)``: a click on a bar. ``rangeSelected(start, end)``: a drag.
    """

    bucketClicked = Signal(int, int)  # start, end (inclusive, epoch seconds UTC)
    rangeChanged = Signal(int, int)
    binsNeeded = Signal(int, int)
    rangeSelected = Signal(int, int)
    selectionCleared = Signal()

    def __init__(self, parent: QWidget | None = None, buckets: int = BUCKETS) -> None:
        super().__init__(parent)
        self.setObjectName("timelineHistogram")
        self.setMinimumHeight(120)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.n = buckets
        self.full: tuple[int, int] | None = None
        self.lo = self.hi = 0
        self.bins: list[EventBin] = []
        self.bins_range: tuple[int, int] | None = None  # the range self.bins were counted for
        self.log_scale = True
        self.selected: tuple[int, int] | None = None  # the clicked bucket
        self.selection: tuple[int, int] | None = None  # the dragged range (filters the file table)
        self._press: float | None = None
        self._drag: float | None = None
        self._mouse_x: float | None = None
        # the last range whose counted buckets held events, to come back to when a zoom in lands
        # on an empty range (the buckets at hand were too coarse to see it coming)
        self._undo: tuple[int, int, list[EventBin]] | None = None
        self.notice = ""

    # -- data and range --------------------------------------------------------------------
    def set_data(self, span: tuple[int, int] | None, bins: list[EventBin]) -> None:
        """A fresh load: the whole span and its buckets."""
        self.full = span
        self.selected = None
        self.selection = None
        self.lo, self.hi = span or (0, 0)
        self.bins = list(bins)
        self.bins_range = span
        self._undo = None
        self.notice = ""
        self.update()
        self.rangeChanged.emit(self.lo, self.hi)

    def set_bins(self, lo: int, hi: int, bins: list[EventBin]) -> None:
        """Buckets counted for ``[lo, hi]``; ignored when the range has moved on since."""
        if (lo, hi) != (self.lo, self.hi):
            return
        if self._undo is not None and not any(b.count for b in bins):
            # a zoom in ended on an empty range: back to the last range with events
            self.lo, self.hi, self.bins = self._undo
            self.bins_range = (self.lo, self.hi)
            self._undo = None
            self.notice = self.tr("no events there: zoom in over a bar")
        else:
            self.bins, self.bins_range = list(bins), (lo, hi)
            self._undo = None
            self.notice = ""
        self.update()
        self.rangeChanged.emit(self.lo, self.hi)

    def is_current(self) -> bool:
        """The buckets shown are the ones of the range shown."""
        return self.bins_range == (self.lo, self.hi)

    def reset_zoom(self) -> None:
        if self.full is not None:
            self.set_range(*self.full)

    def set_range(self, lo: int, hi: int) -> None:
        """Show ``[lo, hi]`` (kept inside the events' span) and ask for its buckets."""
        if self.full is None:
            return
        lo, hi = int(lo), int(hi)
        width = hi - lo
        if width >= self.full[1] - self.full[0]:
            lo, hi = self.full
        elif lo < self.full[0]:
            lo, hi = self.full[0], self.full[0] + width
        elif hi > self.full[1]:
            lo, hi = self.full[1] - width, self.full[1]
        if (lo, hi) == (self.lo, self.hi):
            return
        self.lo, self.hi = lo, hi
        self.update()
        self.rangeChanged.emit(self.lo, self.hi)
        if self.bins_range != (lo, hi):
            self.binsNeeded.emit(lo, hi)

    def min_span(self) -> int:
        return self.n - 1  # one second per bucket is the finest

    def zoom(self, factor: float, at: float | None = None) -> bool:
        """Zoom by ``factor`` (< 1 in) keeping the time ``at`` (default: the middle) at its pixel.
        Refused (False) below one second per bucket, or into a range the buckets show empty."""
        if self.full is None:
            return False
        at = (self.lo + self.hi + 1) / 2 if at is None else min(max(at, self.lo), self.hi + 1)
        span = self.hi + 1 - self.lo
        new = max(self.min_span() + 1, span * factor)
        if factor < 1 and span <= self.min_span() + 1:
            return False
        lo = at - (at - self.lo) * new / span
        nlo = int(math.floor(lo))
        nhi = nlo + int(round(new)) - 1
        if factor < 1:
            nlo, nhi = self._keep_bucket(at, nlo, nhi)
        if factor < 1 and self._certainly_empty(nlo, nhi):
            self.notice = self.tr("no events there: zoom in over a bar")
            self.update()
            return False
        if factor < 1 and self.is_current() and any(b.count for b in self.bins):
            self._undo = (self.lo, self.hi, list(self.bins))
        elif factor >= 1:
            self._undo = None
        self.notice = ""
        self.set_range(nlo, nhi)
        return True

    def _keep_bucket(self, at: float, lo: int, hi: int) -> tuple[int, int]:
        """Zooming in over a bar keeps its whole bucket in view: the events may sit anywhere in it
        (at its far edge), and a range shifted off them would be empty. The time under the cursor
        moves only when the bucket would otherwise be cut."""
        i = self.bucket_at(self.x_of(at))
        if i is None or not self.bins[i].count or self.bins_range is None:
            return lo, hi
        b = self.bins[i]
        s, e = max(b.start, self.bins_range[0]), min(b.end, self.bins_range[1])
        width = hi - lo
        if e - s > width:
            return lo, hi
        if s < lo:
            return s, s + width
        if e > hi:
            return e - width, e
        return lo, hi

    def pan(self, fraction: float) -> None:
        self._undo = None
        width = self.hi - self.lo
        shift = int(round((width + 1) * fraction)) or (1 if fraction > 0 else -1)
        self.set_range(self.lo + shift, self.hi + shift)

    def _certainly_empty(self, lo: int, hi: int) -> bool:
        """The buckets at hand cover ``[lo, hi]`` and hold no event there."""
        if not self.bins or self.bins_range is None:
            return False
        if lo < self.bins[0].start or hi > self.bins[-1].end:
            return False
        return not any(b.count for b in self.bins if b.end >= lo and b.start <= hi)

    def clear_selection(self) -> None:
        if self.selection is not None:
            self.selection = None
            self.update()
            self.selectionCleared.emit()

    # -- geometry --------------------------------------------------------------------------
    def plot_rect(self) -> QRectF:
        fm = self.fontMetrics()
        left = fm.horizontalAdvance("0000000") + 10
        top = fm.height() * 1.2
        return QRectF(
            left, top, max(10, self.width() - left - 10), max(10, self.height() - top - fm.height() * 2)
        )

    def x_of(self, t: float) -> float:
        """The pixel of time ``t`` (the range ``[lo, hi + 1)`` spans the plot's width)."""
        r = self.plot_rect()
        return r.left() + r.width() * (t - self.lo) / max(1, self.hi + 1 - self.lo)

    def time_at(self, x: float) -> float:
        """The time at pixel ``x`` (the inverse of :meth:`x_of`)."""
        r = self.plot_rect()
        return self.lo + (x - r.left()) / r.width() * max(1, self.hi + 1 - self.lo)

    def bucket_at(self, x: float) -> int | None:
        """The index of the bucket under pixel ``x``, or None."""
        r = self.plot_rect()
        if not self.bins or not r.left() <= x <= r.right():
            return None
        t = math.floor(self.time_at(x))
        for i, b in enumerate(self.bins):
            if b.start <= t <= b.end:
                return i
        return None

    def bucket_x(self, i: int) -> float:
        """The left pixel of bucket ``i`` (``i == len(bins)``: the right edge of the last)."""
        if i >= len(self.bins):
            return self.x_of(self.bins[-1].end + 1)
        return self.x_of(self.bins[i].start)

    def visible_bins(self) -> list[EventBin]:
        return [b for b in self.bins if b.end >= self.lo and b.start <= self.hi]

    def top_count(self) -> int:
        return max((b.count for b in self.visible_bins()), default=0)

    # -- painting --------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        pal = self.palette()
        p.fillRect(self.rect(), pal.color(QPalette.ColorRole.Base))
        r = self.plot_rect()
        text = pal.color(QPalette.ColorRole.Text)
        fm = self.fontMetrics()
        if self.full is None:
            p.setPen(text)
            p.drawText(
                self.rect(),
                Qt.AlignmentFlag.AlignCenter,
                self.tr("No events (no case, nothing inventoried, or the filters exclude everything)"),
            )
            return
        top = self.top_count()
        bar = pal.color(QPalette.ColorRole.Highlight)
        sel_colour = QColor(bar).darker(160)
        p.save()
        p.setClipRect(r)
        for b in self.visible_bins():
            if not b.count:
                continue
            x0, x1 = self.x_of(b.start), self.x_of(b.end + 1)
            w = max(1.0, x1 - x0 - 1)
            h = bar_height(b.count, top, r.height(), self.log_scale)
            chosen = self.selected == (b.start, b.end)
            p.fillRect(QRectF(x0, r.bottom() - h, w, h), sel_colour if chosen else bar)
            if b.with_findings:
                hf = bar_height(b.with_findings, top, r.height(), self.log_scale)
                p.fillRect(QRectF(x0, r.bottom() - hf, w, hf), FINDING_COLOUR)
        shade = QColor(bar)
        shade.setAlpha(60)
        if self.selection is not None:
            s0, s1 = self.x_of(self.selection[0]), self.x_of(self.selection[1] + 1)
            p.fillRect(QRectF(s0, r.top(), max(1.0, s1 - s0), r.height()), shade)
        if self._press is not None and self._drag is not None and abs(self._drag - self._press) >= DRAG_PX:
            x0, x1 = sorted((self._press, self._drag))
            p.fillRect(QRectF(x0, r.top(), x1 - x0, r.height()), shade)
        p.restore()
        # count axis: linear 0 … top, or log with decades
        p.setPen(text)
        p.drawLine(QPointF(r.left(), r.bottom()), QPointF(r.right(), r.bottom()))
        p.drawLine(QPointF(r.left(), r.top()), QPointF(r.left(), r.bottom()))
        scale = self.tr("events, log scale") if self.log_scale else self.tr("events")
        p.drawText(QRectF(2, 0, r.width(), fm.height()), Qt.AlignmentFlag.AlignLeft, scale)
        marks = [0, top] if not self.log_scale else [0] + [10**k for k in range(0, 10) if 10**k <= top]
        if self.log_scale and top and top not in marks:
            marks.append(top)

        def y_of(m: int) -> float:
            return r.bottom() - bar_height(m, top, r.height(), self.log_scale) if m else r.bottom()

        # the top count and 0 always; a decade only where its label does not touch theirs
        marks = [
            m
            for m in marks
            if m in (0, top)
            or (abs(y_of(m) - y_of(top)) >= fm.height() and abs(y_of(m) - y_of(0)) >= fm.height())
        ]
        last_y = None
        for m in marks:
            y = y_of(m)
            if last_y is not None and abs(last_y - y) < fm.height() and m != top:
                continue
            p.drawLine(QPointF(r.left() - 3, y), QPointF(r.left(), y))
            p.drawText(
                QRectF(0, y - fm.height() / 2, r.left() - 5, fm.height()),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                f"{m:,}",
            )
            last_y = y
        # time axis: calendar ticks
        ticks = calendar_ticks(self.lo, self.hi + 1, r.width(), fm.horizontalAdvance("0"), 24)
        for tick in ticks.ticks:
            x = self.x_of(tick.time)
            if not r.left() - 0.5 <= x <= r.right() + 0.5:
                continue
            p.drawLine(QPointF(x, r.bottom()), QPointF(x, r.bottom() + 4))
            tw = fm.horizontalAdvance(tick.label)
            if x - tw / 2 < r.left() - fm.horizontalAdvance("00") or x + tw / 2 > self.width() - 2:
                continue  # a label pushed off its tick would misplace it: the tick mark stays
            p.drawText(QPointF(x - tw / 2, r.bottom() + 4 + fm.ascent()), tick.label)
        note = self.notice if self.is_current() else self.tr("counting…")
        if note:
            p.drawText(QRectF(r.left(), 0, r.width(), fm.height()), Qt.AlignmentFlag.AlignRight, note)

    # -- mouse and keys --------------------------------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._press = self._drag = event.position().x()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        x = event.position().x()
        self._mouse_x = x
        if self._press is not None:
            self._drag = x
            self.update()
            return
        i = self.bucket_at(x)
        if i is not None and self.is_current():
            b = self.bins[i]
            text = self.tr("{span}\n{n} events").format(span=span_text(b.start, b.end), n=f"{b.count:,}")
            if b.with_findings:
                text += self.tr(", {n} of files with findings").format(n=f"{b.with_findings:,}")
            QToolTip.showText(event.globalPosition().toPoint(), text, self)

    def leaveEvent(self, event: object) -> None:
        self._mouse_x = None

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton or self._press is None:
            return
        x0, x1 = sorted((self._press, event.position().x()))
        self._press = self._drag = None
        if x1 - x0 < DRAG_PX:
            self.click_bucket(self.bucket_at(x1))
        else:
            r = self.plot_rect()
            t0 = math.floor(self.time_at(max(x0, r.left())))
            t1 = math.ceil(self.time_at(min(x1, r.right()))) - 1
            self.select_range(t0, max(t0, t1))
        self.update()

    def select_range(self, start: int, end: int) -> None:
        """Mark ``[start, end]`` as the range that filters the file table."""
        self.selection = (int(start), int(end))
        self.update()
        self.rangeSelected.emit(int(start), int(end))

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        self.reset_zoom()

    def wheelEvent(self, event: QWheelEvent) -> None:
        steps = event.angleDelta().y() / 120
        if not steps or self.full is None:
            return
        self.zoom(WHEEL_FACTOR**steps, self.time_at(event.position().x()))
        event.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        at = self.time_at(self._mouse_x) if self._mouse_x is not None else None
        if key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom(WHEEL_FACTOR, at)
        elif key in (Qt.Key.Key_Minus, Qt.Key.Key_Underscore):
            self.zoom(1 / WHEEL_FACTOR, at)
        elif key in (Qt.Key.Key_0, Qt.Key.Key_Home):
            self.reset_zoom()
        elif key == Qt.Key.Key_Left:
            self.pan(-0.1)
        elif key == Qt.Key.Key_Right:
            self.pan(0.1)
        elif key == Qt.Key.Key_Escape:
            self.clear_selection()
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def click_bucket(self, i: int | None) -> None:
        if i is None or not self.bins:
            return
        b = self.bins[i]
        self.selected = (b.start, b.end)
        self.update()
        self.bucketClicked.emit(b.start, b.end)


class TimelineView(QWidget):
    """Filters, histogram and bucket events; ``fileActivated(file_id)``,
    ``scopeRequested(query, label)`` (a :class:`~triage.case.query.FileQuery`) and
    ``scopeCleared()`` lead the main window to the files."""

    loaded = Signal()  # new data is shown (tests wait on this)
    binsLoaded = Signal()  # the buckets of a new range are shown
    bucketLoaded = Signal()  # a clicked bucket's events are listed
    failed = Signal(object)
    fileActivated = Signal(int)
    scopeRequested = Signal(object, str)
    scopeCleared = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.case_path: Path | None = None
        self.job: Job | None = None
        self.bins_job: Job | None = None
        self.bucket_job: Job | None = None
        self.summary: TimelineSummary | None = None
        self.range_filter: tuple[int, int] | None = None
        self._stale = True
        self._again = False
        self._want_bins: tuple[int, int] | None = None
        self._want_bucket: tuple[int, int] | None = None
        self.tags: list[str] = []
        self._bins_timer = QTimer(self)
        self._bins_timer.setSingleShot(True)
        self._bins_timer.setInterval(40)  # a burst of wheel notches asks once
        self._bins_timer.timeout.connect(self._load_bins)
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
            ("all", self.tr("All files")),
            ("deleted", self.tr("Deleted only")),
            ("allocated", self.tr("Allocated only")),
        ]
        for _mode, label in self._deleted_modes:
            self.deleted_combo.addItem(label)
        self.deleted_combo.currentIndexChanged.connect(lambda _i: self.reload())
        bar.addWidget(self.deleted_combo)
        self.tag_combo = QComboBox()
        self.tag_combo.setObjectName("tagFilter")
        self.tag_combo.addItem(self.tr("Any tag or none"))
        self.tag_combo.currentIndexChanged.connect(self._tag_changed)
        bar.addWidget(self.tag_combo)
        self.log_check = QCheckBox(self.tr("Log scale"))
        self.log_check.setObjectName("timelineLogScale")
        self.log_check.setChecked(True)
        self.log_check.setToolTip(
            self.tr("Bar heights on a logarithmic scale, so that one busy period cannot flatten the rest")
        )
        bar.addWidget(self.log_check)
        self.reset_btn = QPushButton(self.tr("Reset zoom"))
        self.reset_btn.setToolTip(
            self.tr("Show the whole time span again (0, Home, or double-click the chart)")
        )
        bar.addWidget(self.reset_btn)
        self.range_label = QLabel("")
        self.range_label.setObjectName("timelineRange")
        bar.addWidget(self.range_label, 1)
        lay.addLayout(bar)
        filt = QHBoxLayout()
        self.filter_label = QLabel("")
        self.filter_label.setObjectName("timelineFilter")
        self.clear_filter_btn = QPushButton(self.tr("Clear"))
        self.clear_filter_btn.setObjectName("timelineClearFilter")
        self.clear_filter_btn.setToolTip(self.tr("Stop filtering the file table by this time range (Esc)"))
        self.clear_filter_btn.clicked.connect(self.clear_range_filter)
        self.zoom_sel_btn = QPushButton(self.tr("Zoom to range"))
        self.zoom_sel_btn.setToolTip(self.tr("Show only the selected time range"))
        self.zoom_sel_btn.clicked.connect(self.zoom_to_filter)
        hint = QLabel(
            self.tr("Drag across the chart to filter the file table by time; wheel or +/− to zoom.")
        )
        hint.setObjectName("timelineHint")
        self.hint_label = hint
        filt.addWidget(self.filter_label)
        filt.addWidget(self.zoom_sel_btn)
        filt.addWidget(self.clear_filter_btn)
        filt.addWidget(hint, 1)
        filt.addStretch(0)  # the buttons keep their size when the hint is hidden
        lay.addLayout(filt)
        self.histogram = HistogramWidget()
        self.log_check.toggled.connect(self._set_log)
        self.reset_btn.clicked.connect(self.histogram.reset_zoom)
        self.histogram.rangeChanged.connect(self._range_changed)
        self.histogram.binsNeeded.connect(self._bins_needed)
        self.histogram.bucketClicked.connect(self.show_bucket)
        self.histogram.rangeSelected.connect(self.filter_range)
        self.histogram.selectionCleared.connect(self.clear_range_filter)
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
        self.bucket_label = QLabel(self.tr("Click a bar to list its events."))
        self.show_btn = QPushButton(self.tr("Show in file table"))
        self.show_btn.setToolTip(
            self.tr("List the files of this bucket (with the current filters) in the file table")
        )
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
        self._show_filter()

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
        self.tag_combo.addItem(self.tr("Any tag or none"))
        for t in self.tags:
            self.tag_combo.addItem(self.tr("Tagged “{tag}”").format(tag=t))
        self.tag_combo.setCurrentIndex(self.tags.index(current) + 1 if current in self.tags else 0)
        self.tag_combo.blockSignals(False)

    def _set_log(self, on: bool) -> None:
        self.histogram.log_scale = on
        self.histogram.update()

    # -- the range filter ------------------------------------------------------------------
    def filter_range(self, start: int, end: int) -> None:
        """Filter the file table by ``[start, end]`` (the files with a shown event in it)."""
        self.range_filter = (start, end)
        if self.histogram.selection != (start, end):
            self.histogram.selection = (start, end)
            self.histogram.update()
        self._show_filter()
        flt = self.summary.filter if self.summary is not None else self.current_filter()
        self.scopeRequested.emit(
            flt.query(start, end), self.tr("Timeline {span}").format(span=span_text(start, end))
        )

    def clear_range_filter(self) -> None:
        if self.range_filter is None:
            return
        self.range_filter = None
        self.histogram.selection = None
        self.histogram.update()
        self._show_filter()
        self.scopeCleared.emit()

    def zoom_to_filter(self) -> None:
        if self.range_filter is not None:
            lo, hi = self.range_filter
            span = max(hi - lo, self.histogram.min_span())
            self.histogram.set_range(lo, lo + span)

    def _show_filter(self) -> None:
        on = self.range_filter is not None
        if self.range_filter is not None:
            self.filter_label.setText(self.tr("filtered: {span}").format(span=span_text(*self.range_filter)))
        else:
            self.filter_label.setText("")
        for w in (self.filter_label, self.clear_filter_btn, self.zoom_sel_btn):
            w.setVisible(on)
        self.hint_label.setVisible(not on)

    # -- loading ---------------------------------------------------------------------------
    def set_case(self, path: Path | None) -> None:
        self.shutdown()
        self.case_path = path
        self.summary = None
        self.tags = []
        self._set_tags([])
        self.range_filter = None
        self._show_filter()
        self.histogram.set_data(None, [])
        self.events_model.set_bucket(None)
        self.show_btn.setEnabled(False)
        self.bucket_label.setText(self.tr("Click a bar to list its events."))
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
        return self.job is not None or self.bins_job is not None or self.bucket_job is not None

    def reload(self) -> None:
        """Load the span and buckets with the current filters in a background job."""
        if self.case_path is None:
            return
        if self.job is not None:
            self._again = True
            return
        self._stale = False
        flt = self.current_filter()
        path = self.case_path
        n = self.histogram.n

        def work() -> TimelineSummary:
            with Case.open(path, readonly=True) as case:
                return load_summary(case, flt, n)

        self.range_label.setText(self.tr("loading events…"))
        self.job = Job(work, "timeline", self)
        self.job.finished.connect(self._loaded)
        self.job.errored.connect(self._failed)
        self.job.start()

    def _loaded(self, summary: TimelineSummary) -> None:
        self.job = None
        if self._again:
            self._again = False
            self.reload()
            return
        previous = self.events_model.range
        self.summary = summary
        self._set_tags(summary.tags)
        self.histogram.set_data(summary.span, summary.bins)
        if self.range_filter is not None:
            self.range_filter = None
            self._show_filter()
            self.scopeCleared.emit()
        self.events_model.set_bucket(None)
        self.show_btn.setEnabled(False)
        self.bucket_label.setText(self.tr("Click a bar to list its events."))
        if previous is not None:
            self.show_bucket(*previous)
        self.loaded.emit()

    def _failed(self, exc: BaseException) -> None:
        self.job = self.bins_job = self.bucket_job = None
        self._again = False
        self.range_label.setText(self.tr("cannot load the timeline: {error}").format(error=exc))
        self.failed.emit(exc)

    def _bins_needed(self, lo: int, hi: int) -> None:
        self._want_bins = (lo, hi)
        self._bins_timer.start()

    def _load_bins(self) -> None:
        if self._want_bins is None or self.case_path is None or self.summary is None:
            return
        if self.bins_job is not None:
            return  # _bins_loaded asks again for the latest range
        lo, hi = self._want_bins
        self._want_bins = None
        q, path, n = self.summary.query, self.case_path, self.histogram.n

        def work() -> tuple[int, int, list[EventBin]]:
            with Case.open(path, readonly=True) as case:
                return lo, hi, load_bins(case, q, lo, hi, n)

        self.bins_job = Job(work, "timeline-zoom")
        self.bins_job.finished.connect(self._bins_loaded)
        self.bins_job.errored.connect(self._failed)
        self.bins_job.start()

    def _bins_loaded(self, result: tuple[int, int, list[EventBin]]) -> None:
        self.bins_job = None
        self.histogram.set_bins(*result)
        if self._want_bins is not None:
            self._load_bins()
        elif self.histogram.is_current():
            self.binsLoaded.emit()

    def shutdown(self, timeout_ms: int = 60000) -> None:
        """Wait for running loads (case closing, window closing)."""
        self._bins_timer.stop()
        self._want_bins = self._want_bucket = None
        self._again = False
        for name, slot in (
            ("job", self._loaded),
            ("bins_job", self._bins_loaded),
            ("bucket_job", self._bucket_loaded),
        ):
            job = getattr(self, name)
            if job is None:
                continue
            setattr(self, name, None)
            job.finished.disconnect(slot)
            job.errored.disconnect(self._failed)
            job.wait(timeout_ms)

    # -- buckets ---------------------------------------------------------------------------
    def _range_changed(self, lo: int, hi: int) -> None:
        s = self.summary
        if s is None or s.span is None:
            self.range_label.setText(self.tr("no events") if s is not None else "")
            return
        zoomed = (lo, hi) != s.span
        # the buckets count only the events inside [lo, hi]
        shown = sum(b.count for b in self.histogram.bins) if self.histogram.is_current() else None
        text = span_text(lo, hi)
        if shown is not None:
            text += " · " + self.tr("{n} of {total} events").format(n=f"{shown:,}", total=f"{s.events:,}")
        if zoomed:
            text += " " + self.tr("(zoomed)")
        self.range_label.setText(text)

    def show_bucket(self, start: int, end: int) -> None:
        """List the events of ``[start, end]`` (loaded in the background; ``bucketLoaded`` follows)."""
        self.histogram.selected = (start, end)
        self.histogram.update()
        if self.case_path is None or self.summary is None:
            return
        if self.bucket_job is not None:
            self._want_bucket = (start, end)
            return
        flt, path = self.summary.filter, self.case_path
        self.bucket_label.setText(self.tr("listing {span}…").format(span=span_text(start, end)))

        def work() -> BucketEvents:
            with Case.open(path, readonly=True) as case:
                return load_bucket(case, flt, start, end)

        self.bucket_job = Job(work, "timeline-bucket")
        self.bucket_job.finished.connect(self._bucket_loaded)
        self.bucket_job.errored.connect(self._failed)
        self.bucket_job.start()

    def _bucket_loaded(self, bucket: BucketEvents) -> None:
        self.bucket_job = None
        if self._want_bucket is not None:
            want, self._want_bucket = self._want_bucket, None
            self.show_bucket(*want)
            return
        self.events_model.set_bucket(bucket)
        n = self.events_model.rowCount()
        files = len({self.events_model.file_id(r) for r in range(n)})
        flagged = len({self.events_model.file_id(r) for r in range(n) if self.events_model.timestomp_at(r)})
        text = self.tr("{span}: {n} events in {files} files").format(
            span=span_text(bucket.start, bucket.end), n=f"{bucket.total:,}", files=f"{files:,}"
        )
        if bucket.truncated:
            text += " " + self.tr("(the first {n} listed)").format(n=f"{n:,}")
        if flagged:
            text += self.tr(", {n} with timestomping signs").format(n=f"{flagged:,}")
        self.bucket_label.setText(text)
        self.show_btn.setEnabled(n > 0)
        self.events.resizeColumnsToContents()
        self.bucketLoaded.emit()

    def bucket_scope(self) -> tuple[FileQuery, str] | None:
        """The listed bucket's files as a file-table selection ``(query, label)``."""
        if self.events_model.range is None or self.summary is None:
            return None
        start, end = self.events_model.range
        return self.summary.filter.query(start, end), self.tr("Timeline {span}").format(
            span=span_text(start, end)
        )

    def show_bucket_files(self) -> None:
        scope = self.bucket_scope()
        if scope is not None:
            self.scopeRequested.emit(*scope)

    def _event_clicked(self, index: QModelIndex) -> None:
        if index.isValid():
            self.fileActivated.emit(self.events_model.file_id(index.row()))
