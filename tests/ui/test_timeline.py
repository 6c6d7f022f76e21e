"""The timeline panel on a real scanned ext4 image whose files carry three eras of times: the
histogram (counted by the case store) equals the core's, a click on a bucket lists exactly that
bucket's files, the wheel keeps the time under the cursor, the log scale keeps small bars
visible, a dragged range filters the file table to exactly the files ``fls -m`` puts in it, and a
click on an event leads to the file in the table and detail pane."""

from __future__ import annotations

import os
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QPointF, QSettings, Qt
from PySide6.QtGui import QColor, QPalette, QWheelEvent
from PySide6.QtWidgets import QApplication
from triage_ui.main_window import MainWindow
from triage_ui.models.timeline import COLUMNS, BucketEventsModel, TimelineFilter, load_bucket, load_summary
from triage_ui.views.timeline import BUCKETS, HistogramWidget, TimelineView, bar_height, span_text

from triage import timeline
from triage.case.query import FileQuery
from triage.case.store import Case

pytestmark = pytest.mark.gui

EARLY, MID = 1_552_000_000, 1_623_000_000  # 2019-03-07 and 2021-06-06; everything else is 2023-11-14
FILES = {
    "/early/a.txt": EARLY,
    "/early/b.txt": EARLY + 5,
    "/mid/c.txt": MID,
    "/mid/d.txt": MID + 60,
    "/mid/gone.txt": MID + 120,
    "/late/e.txt": None,
}
MID_FILES = {"/mid/c.txt", "/mid/d.txt", "/mid/gone.txt"}


@pytest.fixture(scope="module")
def eras_case(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An ext4 image (mke2fs -d, times set with debugfs, one file deleted), scanned."""
    import fixtures as images
    from fixtures import ToolMissing

    from triage.scan.engine import ScanEngine, ScanOptions

    d = tmp_path_factory.mktemp("eras")
    try:
        img = images.make_ext4(d / "eras.img", {p: f"{p}\n".encode() * 40 for p in FILES})
    except ToolMissing as exc:
        pytest.skip(str(exc))
    script = [
        f"sif {p} {fld} @{t}" for p, t in FILES.items() if t for fld in ("mtime", "atime", "ctime", "crtime")
    ]
    script.append("rm /mid/gone.txt")
    (d / "script").write_text("\n".join(script) + "\n")
    proc = subprocess.run(
        ["debugfs", "-w", "-f", str(d / "script"), str(img.path)],
        capture_output=True,
        text=True,
        env={**os.environ, "E2FSPROGS_FAKE_TIME": str(images.FAKE_TIME), "TZ": "UTC"},
    )
    assert proc.returncode == 0, proc.stderr
    with Case.create(d / "case") as case:
        assert (
            ScanEngine(case, [img.path], ScanOptions(workers=1, analyzers=["hashes"])).run().status
            == "completed"
        )
    return d / "case"


@pytest.fixture(scope="module")
def eras_image(eras_case: Path) -> Path:
    return eras_case.parent / "eras.img"


def _sql_files(case_dir: Path, start: int, end: int, cols: str = "mtime atime ctime crtime") -> set[str]:
    """Independent of the GUI code: files with any of ``cols`` in [start, end]."""
    con = sqlite3.connect(case_dir / "case.sqlite")
    cond = " OR ".join(f"({c} BETWEEN {start} AND {end})" for c in cols.split())
    return {r[0] for r in con.execute(f"SELECT path FROM files WHERE {cond}")}


def _fls_files(image: Path, start: int, end: int) -> set[str]:
    """The oracle: names whose atime, mtime, ctime or crtime (non-zero) in ``fls -r -m /`` output
    fall in [start, end], with fls's ``(deleted)`` suffix removed."""
    out = subprocess.run(
        ["fls", "-r", "-m", "/", str(image)], capture_output=True, text=True, check=True
    ).stdout
    names = set()
    for line in out.splitlines():
        f = line.split("|")
        times = [int(x) for x in f[7:11]]
        if any(t and start <= t <= end for t in times):
            names.add(f[1].removesuffix(" (deleted)"))
    return names


def _view(qtbot, case_dir: Path) -> TimelineView:
    view = TimelineView()
    qtbot.addWidget(view)
    view.resize(1500, 420)
    view.set_case(case_dir)
    with qtbot.waitSignal(view.loaded, timeout=30_000):
        view.show()
    return view


def _col(key: str) -> int:
    return [k for k, _label in COLUMNS].index(key)


def _bucket_with(view: TimelineView, t: int) -> int:
    return next(i for i, b in enumerate(view.histogram.bins) if b.start <= t <= b.end)


def _click_bucket(qtbot, view: TimelineView, i: int) -> None:
    h = view.histogram
    x = (h.bucket_x(i) + h.bucket_x(i + 1)) / 2
    with qtbot.waitSignal(view.bucketLoaded, timeout=30_000):
        qtbot.mouseClick(h, Qt.MouseButton.LeftButton, pos=QPoint(int(x), int(h.plot_rect().bottom() - 3)))


def _wheel(h: HistogramWidget, x: float, notches: int) -> None:
    """A real wheel event through the application, at pixel ``x``."""
    at = QPointF(x, h.plot_rect().center().y())
    ev = QWheelEvent(
        at,
        h.mapToGlobal(at),
        QPoint(0, 0),
        QPoint(0, 120 * notches),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(h, ev)


def _settle(qtbot, view: TimelineView) -> None:
    qtbot.waitUntil(lambda: view.histogram.is_current() and view.bins_job is None, timeout=30_000)


def test_histogram_equals_core_and_click_lists_the_bucket(qtbot, qtmodeltester, eras_case: Path) -> None:
    view = _view(qtbot, eras_case)
    with Case.open(eras_case, readonly=True) as case:
        core = timeline.events(case)
    assert view.summary.events == len(core) > 0
    assert [(b.start, b.end, b.count) for b in view.histogram.bins] == timeline.histogram(core, BUCKETS)
    assert view.histogram.lo == core[0].timestamp and view.histogram.hi == core[-1].timestamp

    i = _bucket_with(view, MID)
    _click_bucket(qtbot, view, i)
    b = view.histogram.bins[i]
    listed = set(view.events_model.paths())
    assert listed == MID_FILES == _sql_files(eras_case, b.start, b.end)
    assert view.events_model.rowCount() == 12  # 3 files × MACB
    assert "12 events in 3 files" in view.bucket_label.text()
    gone = next(r for r in range(12) if view.events_model.paths()[r] == "/mid/gone.txt")
    assert view.events_model.index(gone, _col("deleted")).data() == "deleted"
    assert {view.events_model.index(r, _col("source")).data() for r in range(12)} == {""}  # ext4: one set
    assert {view.events_model.index(r, _col("timestomp")).data() for r in range(12)} == {""}
    qtmodeltester.check(view.events_model)
    # the events, in the core's order
    mid = [e for e in core if b.start <= e.timestamp <= b.end]
    assert [view.events_model.event_at(r) for r in range(12)] == [
        (e.timestamp, e.macb, e.file["id"]) for e in mid
    ]

    # the bucket as a file-table selection holds the same files
    query, label = view.bucket_scope()
    assert isinstance(query, FileQuery) and query.time_range == (b.start, b.end)
    with Case.open(eras_case, readonly=True) as case:
        assert {r.path for r in case.select_files(query)} == MID_FILES
    assert label == f"Timeline {span_text(b.start, b.end)}" and b.start <= MID <= b.end


def test_wheel_keeps_the_time_under_the_cursor(qtbot, eras_case: Path) -> None:
    view = _view(qtbot, eras_case)
    h = view.histogram
    full = (h.lo, h.hi)
    x = h.x_of(MID)
    assert abs(h.time_at(x) - MID) < 1
    widths = [h.hi - h.lo]
    for _ in range(6):
        _wheel(h, x, 1)
        assert abs(h.time_at(x) - MID) <= 1, "the time under the cursor moved"
        widths.append(h.hi - h.lo)
        _settle(qtbot, view)
    assert all(b < a for a, b in zip(widths, widths[1:], strict=False))
    assert abs(widths[-1] - widths[0] * 0.8**6) <= 2
    # the buckets are counted again for the new range, by the case: equal to the core's over it
    with Case.open(eras_case, readonly=True) as case:
        core = [e for e in timeline.events(case) if h.lo <= e.timestamp <= h.hi]
    assert sum(b.count for b in h.bins) == len(core) > 0
    assert h.bins[0].start == h.lo
    # two notches out, at another pixel: that pixel's time stays put too
    x2 = float(int(h.x_of(MID)) + 40)  # a whole pixel: mouse events carry whole pixels
    t2 = h.time_at(x2)
    _wheel(h, x2, -2)
    assert abs(h.time_at(x2) - t2) <= 1
    _settle(qtbot, view)
    # keys: + and - around the cursor, 0 back to everything
    h.setFocus()
    qtbot.mouseMove(h, QPoint(int(x2), int(h.plot_rect().center().y())))
    t3 = h.time_at(x2)
    width = h.hi - h.lo
    qtbot.keyClick(h, Qt.Key.Key_Plus)
    assert h.hi - h.lo < width and abs(h.time_at(x2) - t3) <= 1
    qtbot.keyClick(h, Qt.Key.Key_Minus)
    assert abs((h.hi - h.lo) - width) <= 2
    qtbot.keyClick(h, Qt.Key.Key_0)
    assert (h.lo, h.hi) == full
    _settle(qtbot, view)


def test_wheel_never_zooms_into_emptiness(qtbot, eras_case: Path) -> None:
    """The cursor over the empty years between 2019 and 2021: zooming in stops while the range
    still holds events, instead of jumping into a range without any."""
    view = _view(qtbot, eras_case)
    h = view.histogram
    gap = (EARLY + MID) // 2
    x = h.x_of(gap)
    for _ in range(40):
        before = (h.lo, h.hi)
        _wheel(h, x, 1)
        _settle(qtbot, view)
        assert sum(b.count for b in h.bins) > 0, f"empty range {span_text(h.lo, h.hi)}"
        if (h.lo, h.hi) == before:
            break
    else:
        pytest.fail("the zoom never stopped")
    assert h.lo < MID + 120 and h.hi > EARLY  # still around the gap


def test_wheel_beside_a_bar_comes_back_to_events(qtbot, scanned_demo: Path) -> None:
    """The demo case, the cursor a few pixels left of the busy bar: its coarse bucket made the
    first zooms look safe, yet the range in the end holds no event. The view comes back to the
    last range with events instead of resting on an empty one."""
    view = _view(qtbot, scanned_demo)
    h = view.histogram
    busy = max(range(len(h.bins)), key=lambda i: h.bins[i].count)
    x = float(int(h.bucket_x(busy)) - 4)
    for _ in range(8):  # a quick burst: the buckets are counted once it stops
        _wheel(h, x, 1)
    _settle(qtbot, view)
    assert sum(b.count for b in h.bins) > 0, f"empty range {span_text(h.lo, h.hi)}"
    for _ in range(12):  # one notch at a time
        _wheel(h, x, 1)
        _settle(qtbot, view)
        assert sum(b.count for b in h.bins) > 0, f"empty range {span_text(h.lo, h.hi)}"
    assert "of 140 events" in view.range_label.text()
    # over the busy bar itself (its 137 events, six of them container members, sit at the far right
    # edge of its bucket): every notch zooms in, and the events stay in view
    view.reset_btn.click()
    _settle(qtbot, view)
    widths = [h.hi - h.lo]
    for _ in range(10):
        busy = max(range(len(h.bins)), key=lambda i: h.bins[i].count)
        _wheel(h, (h.bucket_x(busy) + h.bucket_x(busy + 1)) / 2, 1)
        _settle(qtbot, view)
        widths.append(h.hi - h.lo)
        assert max(b.count for b in h.bins) == 137 and sum(b.count for b in h.bins) >= 137
    assert all(b < a for a, b in zip(widths, widths[1:], strict=False))
    assert widths[-1] < widths[0] * 0.8**9


def _bar_heights(h: HistogramWidget) -> dict[int, int]:
    """Measured in the rendered widget: the height in pixels of the bar of each non-empty bucket."""
    img = h.grab().toImage()
    bar = h.palette().color(QPalette.ColorRole.Highlight).rgb()
    found = QColor(214, 90, 49).rgb()
    r = h.plot_rect()
    bottom = int(r.bottom()) - 1
    out = {}
    for i, b in enumerate(h.bins):
        if not b.count:
            continue
        x = int((h.x_of(b.start) + h.x_of(b.end + 1)) / 2)
        y = bottom
        while y > r.top() and img.pixel(x, y) in (bar, found):
            y -= 1
        out[i] = bottom - y
    return out


def test_log_scale_keeps_small_bars_visible(qtbot, scanned_demo: Path) -> None:
    """The demo case: 137 of its 140 events fall in one bucket. On the linear scale the others are
    2 px slivers; on the log scale (the default) a bucket of one event is a sixth of the height."""
    view = _view(qtbot, scanned_demo)
    h = view.histogram
    counts = sorted((b.count for b in h.bins if b.count), reverse=True)
    assert counts[0] == 137 and sum(counts) == 140 and counts[1:] == [3]
    plot = h.plot_rect().height()
    assert view.log_check.isChecked() and h.log_scale
    log_px = _bar_heights(h)
    view.log_check.setChecked(False)
    lin_px = _bar_heights(h)
    big = next(i for i, b in enumerate(h.bins) if b.count == 137)
    small = next(i for i, b in enumerate(h.bins) if b.count == 3)
    assert abs(log_px[big] - plot) <= 2 and abs(lin_px[big] - plot) <= 2
    assert lin_px[small] <= 1 + int(bar_height(3, 137, plot, False))  # about 2 % of the height
    assert log_px[small] >= 0.25 * plot  # log(4)/log(138): 28 %
    assert abs(log_px[small] - bar_height(3, 137, plot, True)) <= 2
    assert bar_height(1, 137, plot, True) > plot / 8


def test_drag_filters_the_file_table_exactly(
    qtbot, settings: QSettings, eras_case: Path, eras_image: Path
) -> None:
    """Drag across 2019–2021 in the main window: the file table lists exactly the files that
    ``fls -m`` gives a time in the dragged range; Clear brings all files back."""
    win = MainWindow(settings)
    qtbot.addWidget(win)
    win.resize(1400, 900)
    win.open_case(eras_case)
    win.show()
    with qtbot.waitSignal(win.timeline.loaded, timeout=30_000):
        win.show_timeline()  # the timeline dock starts hidden; its events load when it is shown
    view = win.timeline
    h = view.histogram
    y = int(h.plot_rect().center().y())
    x0, x1 = int(h.x_of(EARLY)) - 3, int(h.x_of(MID + 120)) + 3
    qtbot.mousePress(h, Qt.MouseButton.LeftButton, pos=QPoint(x0, y))
    qtbot.mouseMove(h, QPoint(x1, y))
    with qtbot.waitSignal(h.rangeSelected) as sel:
        qtbot.mouseRelease(h, Qt.MouseButton.LeftButton, pos=QPoint(x1, y))
    start, end = sel.args
    assert start <= EARLY and MID + 120 <= end and end < 1_690_000_000
    expected = _fls_files(eras_image, start, end)
    assert expected == {"/early/a.txt", "/early/b.txt"} | MID_FILES
    shown = {win.file_model.row_dict(r)["path"] for r in range(win.file_model.rowCount())}
    assert shown == expected
    assert win.file_model.query().time_range == (start, end)
    assert view.filter_label.isVisible() and view.filter_label.text() == f"filtered: {span_text(start, end)}"
    assert win.file_model.scope_label == f"Timeline {span_text(start, end)}"
    qtbot.mouseClick(view.clear_filter_btn, Qt.MouseButton.LeftButton)
    assert not view.filter_label.isVisible() and view.range_filter is None
    with Case.open(eras_case, readonly=True) as case:
        assert (
            win.file_model.rowCount() == min(case.count(), 500) and win.file_model.scope_label == "All files"
        )
    win.close()
    assert not view.is_loading()


def test_filters_by_macb_deleted_and_tag(qtbot, eras_case: Path) -> None:
    view = _view(qtbot, eras_case)
    with Case.open(eras_case, readonly=True) as case:
        all_files = list(case.iter_files())
        core = timeline.events(case)
    with qtbot.waitSignal(view.loaded, timeout=30_000):
        view.set_filter(deleted="deleted")
    deleted_ids = {r["id"] for r in all_files if r["deleted"]}
    assert view.summary.events == len([e for e in core if e.file["id"] in deleted_ids])
    with qtbot.waitSignal(view.loaded, timeout=30_000):
        view.set_filter(macb="m", deleted="allocated")
    assert view.summary.events == len([r for r in all_files if r["mtime"] and not r["deleted"]])
    assert view.current_filter() == TimelineFilter("m", "allocated", None)
    # a tag on one file: filter by it
    with Case.open(eras_case) as case:
        cid = next(r["id"] for r in all_files if r["path"] == "/mid/c.txt")
        case.add_tag(cid, "timeline-test")
    try:
        with qtbot.waitSignal(view.loaded, timeout=30_000):
            view.mark_stale()
        assert "timeline-test" in view.tags
        with qtbot.waitSignal(view.loaded, timeout=30_000):
            view.set_filter(tag="timeline-test")
        assert view.summary.events == 4 and view.summary.span == (MID, MID)
        assert view.tag_combo.currentText() == "Tagged “timeline-test”"
    finally:
        with Case.open(eras_case) as case:
            case.remove_tag(cid, "timeline-test")


def test_load_bucket_filters_match_the_core(eras_case: Path) -> None:
    with Case.open(eras_case, readonly=True) as case:
        summary = load_summary(case, TimelineFilter("b", "all", None), BUCKETS)
        bucket = load_bucket(case, TimelineFilter("b", "all", None), EARLY, EARLY + 5)
        core = [e for e in timeline.events(case) if e.macb == "b"]
    assert summary.events == len(core) and summary.span == (core[0].timestamp, core[-1].timestamp)
    assert [(r.time, r.macb) for r in bucket.rows] == [(EARLY, "b"), (EARLY + 5, "b")]
    assert {f.path for f in bucket.files.values()} == {"/early/a.txt", "/early/b.txt"}
    model = BucketEventsModel()
    model.set_bucket(bucket)
    assert [model.event_at(r)[0] for r in range(model.rowCount())] == [EARLY, EARLY + 5]


def test_click_through_to_file_table_and_detail(qtbot, settings: QSettings, eras_case: Path) -> None:
    win = MainWindow(settings)
    qtbot.addWidget(win)
    win.resize(1400, 900)
    win.open_case(eras_case)
    with qtbot.waitSignal(win.timeline.loaded, timeout=30_000):
        win.show()
        win.show_timeline()  # the timeline dock starts hidden
    view = win.timeline
    with qtbot.waitSignal(view.bucketLoaded, timeout=30_000):
        view.histogram.click_bucket(_bucket_with(view, MID))
    row = view.events_model.paths().index("/mid/d.txt")
    rect = view.events.visualRect(view.events_model.index(row, _col("path")))
    qtbot.mouseClick(view.events.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    fid = view.events_model.file_id(row)
    assert win.detail.file_id == fid
    assert win.file_model.scope_label.startswith("Timeline 2021-")
    assert sorted(win.file_model.row_dict(r)["path"] for r in range(win.file_model.rowCount())) == sorted(
        MID_FILES
    )
    assert win.selected_file_ids() == [fid]
    win.close()
    assert not view.is_loading()


def test_job_wait_needs_no_event_loop() -> None:
    """Shutdown waits for a job from the GUI thread: the thread must end without the GUI loop."""
    import threading

    from triage_ui.jobs import Job

    go = threading.Event()
    job = Job(lambda: go.wait(10) and 42, "wait-test").start()
    go.set()
    assert job.wait(5000) is True and not job.is_running()


def _scanned(tmp_path_factory: pytest.TempPathFactory, builder: str) -> tuple[Path, Any]:
    import fixtures as images
    from fixtures import ToolMissing

    from triage.scan.engine import ScanEngine, ScanOptions

    d = tmp_path_factory.mktemp(builder)
    try:
        img = getattr(images, builder)(d / "img")
    except ToolMissing as exc:
        pytest.skip(str(exc))
    with Case.create(d / "case") as case:
        assert (
            ScanEngine(case, [img.path], ScanOptions(workers=1, analyzers=["hashes"])).run().status
            == "completed"
        )
    return d / "case", img


def test_ntfs_fn_times_and_timestomping_shown(
    qtbot, qtmodeltester, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """A timestomped NTFS file (its $SI times patched back, fixtures.build_ntfs_timestomped):
    its $FN events are listed with their own source, and its rows are flagged as the core decides."""
    import fixtures as images

    from triage.timestomp import timestomp_signs

    case_dir, img = _scanned(tmp_path_factory, "build_ntfs_timestomped")
    stomped = img.metadata["stomped"]
    flt = TimelineFilter()
    with Case.open(case_dir, readonly=True) as case:
        core = timeline.events(case)
        summary = load_summary(case, flt, BUCKETS)
        assert summary.span is not None
        bucket = load_bucket(case, flt, *summary.span)
        row = next(r for r in case.iter_files() if r["path"] == stomped)
    # the case store's events are the core's, $FN times once per entry included
    assert summary.events == len(core) and bucket.total == len(core)
    assert [(r.time, r.macb, r.source, r.file_id) for r in bucket.rows] == [
        (e.timestamp, e.macb, e.source, e.file["id"]) for e in core
    ]
    assert [(b.start, b.end, b.count) for b in summary.bins] == timeline.histogram(core, BUCKETS)
    expected_signs = tuple(s.text for s in timestomp_signs(row))
    assert len(expected_signs) == 2
    flagged = {f.path for f in bucket.files.values() if f.timestomp}
    assert flagged == {stomped}
    model = BucketEventsModel()
    model.set_bucket(bucket)
    qtmodeltester.check(model)
    rows = [r for r in range(model.rowCount()) if model.paths()[r] == stomped]
    assert {model.source_at(r) for r in rows} == {"$SI", "$FN"}
    assert (
        sorted(model.event_at(r)[0] for r in rows if model.source_at(r) == "$SI") == [images.STOMPED_TIME] * 4
    )
    assert all(model.event_at(r)[0] > images.STOMPED_TIME for r in rows if model.source_at(r) == "$FN")
    for r in rows:
        assert model.timestomp_at(r) == expected_signs
        text = model.index(r, _col("timestomp")).data()
        assert text.startswith("⚠") and expected_signs[0] in text
        assert model.index(r, _col("source")).data() == model.source_at(r)
        assert "Timestomping sign: " in model.index(r, 0).data(Qt.ItemDataRole.ToolTipRole)
    honest = [r for r in range(model.rowCount()) if model.paths()[r] == "/honest.txt"]
    assert len(honest) == 8 and all(model.index(r, _col("timestomp")).data() == "" for r in honest)
    # the panel itself: a bucket holding the stomped $SI times says one file has signs
    view = _view(qtbot, case_dir)
    with qtbot.waitSignal(view.bucketLoaded, timeout=30_000):
        view.show_bucket(images.STOMPED_TIME, images.STOMPED_TIME)
    assert view.bucket_label.text().endswith("4 events in 1 files, 1 with timestomping signs")
    assert view.events_model.index(0, _col("timestomp")).data().startswith("⚠")
    # the detail pane lists the $FN times and the signs next to the $SI times
    from triage_ui.views.detail import DetailPane

    pane = DetailPane()
    qtbot.addWidget(pane)
    with Case.open(case_dir, readonly=True) as case:
        html_text = pane._metadata_html(case.file(int(row["id"])), [], None)
    assert "$FN created (UTC)" in html_text and all(t in html_text for t in expected_signs)
    # a bucket scope finds a file by its $FN times too
    fn_time = next(model.event_at(r)[0] for r in rows if model.source_at(r) == "$FN")
    with Case.open(case_dir, readonly=True) as case:
        assert stomped in {r.path for r in case.select_files(flt.query(fn_time, fn_time))}


def test_realloc_label_shown(qtbot, tmp_path_factory: pytest.TempPathFactory) -> None:
    case_dir, img = _scanned(tmp_path_factory, "build_ext4_realloc")
    old = img.metadata["realloc_old"]
    with Case.open(case_dir, readonly=True) as case:
        span = case.event_span(TimelineFilter().events())
        assert span is not None
        bucket = load_bucket(case, TimelineFilter(), *span)
    model = BucketEventsModel()
    model.set_bucket(bucket)
    labels = {model.paths()[r]: model.index(r, _col("deleted")).data() for r in range(model.rowCount())}
    assert labels[old] == "deleted-realloc"
    assert {labels[p] for p in img.deleted if p != old} <= {"deleted"}
    # the file table and the detail pane say it too
    from triage_ui.models.files import FileTableModel
    from triage_ui.views.detail import DetailPane

    with Case.open(case_dir, readonly=True) as case:
        row = next(r for r in case.iter_files() if r["path"] == old)
        detail_row = case.file(int(row["id"]))
        record = case.file_record(int(row["id"]))
    assert record is not None and FileTableModel._display(record, "deleted") == "deleted-realloc"
    pane = DetailPane()
    qtbot.addWidget(pane)
    assert "deleted-realloc" in pane._metadata_html(detail_row, [], None)
