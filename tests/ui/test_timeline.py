"""The timeline panel on a real scanned ext4 image whose files carry three eras of times: the
histogram equals the core's, a click on a bucket lists exactly that bucket's files, filters
and zoom work, and a click on an event leads to the file in the table and detail pane."""

from __future__ import annotations

import os
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QPointF, QSettings, Qt
from PySide6.QtGui import QWheelEvent
from triage_ui.main_window import MainWindow
from triage_ui.models.timeline import COLUMNS, BucketEventsModel, TimelineFilter, load_timeline
from triage_ui.views.timeline import BUCKETS, TimelineView, span_text

from triage import timeline
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


def _sql_files(case_dir: Path, start: int, end: int, cols: str = "mtime atime ctime crtime") -> set[str]:
    """Independent of the GUI code: files with any of ``cols`` in [start, end]."""
    con = sqlite3.connect(case_dir / "case.sqlite")
    cond = " OR ".join(f"({c} BETWEEN {start} AND {end})" for c in cols.split())
    return {r[0] for r in con.execute(f"SELECT path FROM files WHERE {cond}")}


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
    with qtbot.waitSignal(h.bucketClicked):
        qtbot.mouseClick(h, Qt.MouseButton.LeftButton, pos=QPoint(int(x), int(h.plot_rect().bottom() - 3)))


def test_histogram_equals_core_and_click_lists_the_bucket(qtbot, qtmodeltester, eras_case: Path) -> None:
    view = _view(qtbot, eras_case)
    with Case.open(eras_case, readonly=True) as case:
        core = timeline.events(case)
    assert len(view.data) == len(core) > 0
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
    assert {view.events_model.index(r, _col("source")).data() for r in range(12)} == {
        ""
    }  # ext4: one set of times
    assert {view.events_model.index(r, _col("timestomp")).data() for r in range(12)} == {""}
    qtmodeltester.check(view.events_model)

    # the bucket as a file-table scope holds the same files
    where, args, label = view.bucket_scope()
    with Case.open(eras_case, readonly=True) as case:
        assert {r["path"] for r in case.iter_files(where, args)} == MID_FILES
    assert label == f"Timeline {span_text(b.start, b.end)}" and b.start <= MID <= b.end


def test_zoom_by_drag_wheel_and_reset(qtbot, eras_case: Path) -> None:
    view = _view(qtbot, eras_case)
    h = view.histogram
    full = (h.lo, h.hi)
    i0, i1 = _bucket_with(view, EARLY), _bucket_with(view, MID)
    x0, x1 = h.bucket_x(i0) + 1, h.bucket_x(i1 + 1) - 1
    y = int(h.plot_rect().center().y())
    qtbot.mousePress(h, Qt.MouseButton.LeftButton, pos=QPoint(int(x0), y))
    qtbot.mouseMove(h, QPoint(int(x1), y))
    with qtbot.waitSignal(h.rangeChanged) as changed:
        qtbot.mouseRelease(h, Qt.MouseButton.LeftButton, pos=QPoint(int(x1), y))
    lo, hi = changed.args
    assert lo <= EARLY and MID + 120 <= hi < full[1]
    assert sum(b.count for b in h.bins) == 20  # a, b, c, d, gone: the 2023 events are outside
    assert "(zoomed)" in view.range_label.text() and "20 of" in view.range_label.text()
    # two bucket widths now span the early files: finer buckets
    assert h.bins[1].end - h.bins[0].start < (full[1] - full[0]) // BUCKETS
    # wheel up zooms in around the cursor
    width = h.hi - h.lo
    at = QPointF(h.bucket_x(_bucket_with(view, MID)), y)
    ev = QWheelEvent(
        at,
        h.mapToGlobal(at),
        QPoint(0, 0),
        QPoint(0, 240),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    h.wheelEvent(ev)
    assert h.hi - h.lo < width and h.lo <= MID <= h.hi
    view.reset_btn.click()
    assert (h.lo, h.hi) == full


def test_filters_by_macb_deleted_and_tag(qtbot, eras_case: Path) -> None:
    view = _view(qtbot, eras_case)
    with Case.open(eras_case, readonly=True) as case:
        all_files = list(case.iter_files())
    with qtbot.waitSignal(view.loaded, timeout=30_000):
        view.set_filter(deleted="deleted")
    assert {f.path for f in view.data.files.values()} == {r["path"] for r in all_files if r["deleted"]}
    assert "/mid/gone.txt" in {f.path for f in view.data.files.values()}
    with qtbot.waitSignal(view.loaded, timeout=30_000):
        view.set_filter(macb="m", deleted="allocated")
    assert set(view.data.macb) == {"m"}
    assert len(view.data) == len([r for r in all_files if r["mtime"] and not r["deleted"]])
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
        assert set(view.data.file_ids) == {cid} and len(view.data) == 4
        assert view.tag_combo.currentText() == "Tagged “timeline-test”"
    finally:
        with Case.open(eras_case) as case:
            case.remove_tag(cid, "timeline-test")


def test_load_timeline_filters_match_sql(eras_case: Path) -> None:
    with Case.open(eras_case, readonly=True) as case:
        data = load_timeline(case, TimelineFilter("b", "all", None))
    assert {data.files[f].path for f in data.file_ids if data.times[data.file_ids.index(f)] == EARLY} == {
        "/early/a.txt"
    }
    assert set(data.macb) == {"b"}
    model = BucketEventsModel()
    model.set_bucket(data, EARLY, EARLY + 5)
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
    with Case.open(case_dir, readonly=True) as case:
        data = load_timeline(case)
        row = next(r for r in case.iter_files() if r["path"] == stomped)
        core = timeline.events(case)
    assert len(data) == len(core) and data.sources == [e.source for e in core]
    expected_signs = tuple(s.text for s in timestomp_signs(row))
    assert len(expected_signs) == 2
    flagged = {f.path for f in data.files.values() if f.timestomp}
    assert flagged == {stomped}
    model = BucketEventsModel()
    span = data.span()
    assert span is not None
    model.set_bucket(data, *span)
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
    where, args = data.filter.scope(fn_time, fn_time)
    with Case.open(case_dir, readonly=True) as case:
        assert stomped in {r["path"] for r in case.iter_files(where, args)}


def test_realloc_label_shown(qtbot, tmp_path_factory: pytest.TempPathFactory) -> None:
    case_dir, img = _scanned(tmp_path_factory, "build_ext4_realloc")
    old = img.metadata["realloc_old"]
    with Case.open(case_dir, readonly=True) as case:
        data = load_timeline(case)
    model = BucketEventsModel()
    span = data.span()
    assert span is not None
    model.set_bucket(data, *span)
    labels = {model.paths()[r]: model.index(r, _col("deleted")).data() for r in range(model.rowCount())}
    assert labels[old] == "deleted-realloc"
    assert {labels[p] for p in img.deleted if p != old} <= {"deleted"}
    # the file table and the detail pane say it too
    from triage_ui.models.files import FileTableModel
    from triage_ui.views.detail import DetailPane

    with Case.open(case_dir, readonly=True) as case:
        row = next(r for r in case.iter_files() if r["path"] == old)
        detail_row = case.file(int(row["id"]))
    assert FileTableModel._display(row, "deleted") == "deleted-realloc"
    pane = DetailPane()
    qtbot.addWidget(pane)
    assert "deleted-realloc" in pane._metadata_html(detail_row, [], None)
