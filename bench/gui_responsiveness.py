#!/usr/bin/env python3
"""GUI responsiveness: open a case of 1,000,000 files, and the event loop during a scan.

    QT_QPA_PLATFORM=offscreen python bench/gui_responsiveness.py [--files 1000000] [--json]

1. Fills a case with ``--files`` rows through the case API (``begin_inventory`` and batched
   ``insert_entries``), then measures the time from ``MainWindow.open_case`` to the first
   paint of the file table with rows in it. Target: ≤ 1 s.
2. Timeline on the same case: the time from showing the timeline to the first paint of its
   bars (the case store counts the buckets with SQL GROUP BY), then ``--zooms`` wheel notches
   anchored at moving cursor positions, 80 ms apart, while a 10 ms QTimer heartbeat records
   every gap: the worst gap (target ≤ 100 ms) and how long the last zoom's buckets took.
3. Scans ``examples/demo.raw`` from the GUI (scan dock, live refresh on) while a 10 ms QTimer
   heartbeat records every gap; reports the worst gap and the 99th percentile. Target: ≤ 100 ms.
3. The gallery of a ``--pictures`` case (10,000), scrolled top to bottom: first page ≤ 1 s,
   worst gap ≤ 100 ms (``bench/gallery_scroll.py``; ``--pictures 0`` skips it).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "ui")]

from PySide6.QtCore import QEvent, QObject, QSettings, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from triage.case.store import Case  # noqa: E402

OPEN_TARGET_S = 1.0
STALL_TARGET_MS = 100.0
TIME_BASE = 1_500_000_000  # 2017-07-14


def synthetic_entries(n: int, dirs: int = 1000) -> Iterator[dict[str, object]]:
    """Inventory entries of a synthetic ext4 partition: times spread over six years, a quarter
    of the files in one busy month (as a seized disk's install date is)."""
    six_years = 6 * 365 * 86400
    for i in range(n):
        m = TIME_BASE + (i * 7_919_993) % six_years if i % 4 else TIME_BASE + (i * 7919) % (30 * 86400)
        yield {
            "parent_path": f"/d{i % dirs:04d}",
            "path": f"/d{i % dirs:04d}/file{i:07d}.dat",
            "name": f"file{i:07d}.dat",
            "inode": i + 100,
            "attr_type": None,
            "attr_id": None,
            "stream": None,
            "type": "r",
            "size": (i * 7919) % 10_000_000,
            "deleted": i % 50 == 0,
            "orphan": False,
            "mtime": m,
            "atime": m + 3600 * (i % 48),
            "ctime": m + 60,
            "crtime": m - 86400 * (i % 30),
        }


def fill_case(path: Path, n: int) -> float:
    """A case of ``n`` files through the case API (one inventory transaction, batched inserts)."""
    t0 = time.perf_counter()
    with Case.create(path) as case:
        ev = case.add_evidence("/bench/synthetic.raw", "raw", ["/bench/synthetic.raw"], 1 << 40)
        parts = case.begin_inventory(
            ev,
            "dos",
            [
                {
                    "index": 0,
                    "offset": 1 << 20,
                    "length": 1 << 40,
                    "description": "Linux (0x83)",
                    "fs_type": "ext4",
                }
            ],
        )
        batch: list[dict[str, object]] = []
        for entry in synthetic_entries(n):
            batch.append(entry)
            if len(batch) == 10_000:
                case.insert_entries(ev, parts[0], batch)  # type: ignore[arg-type]
                batch = []
        if batch:
            case.insert_entries(ev, parts[0], batch)  # type: ignore[arg-type]
        case.finish_inventory(ev)
    return time.perf_counter() - t0


class PaintWatch(QObject):
    """Records the first paint after ``ready()`` holds (default: the model has rows)."""

    def __init__(self, model: object) -> None:
        super().__init__()
        self.model = model
        self.painted_at: float | None = None
        self.ready = lambda: self.model.rowCount() > 0  # type: ignore[attr-defined]

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and self.painted_at is None and self.ready():
            self.painted_at = time.perf_counter()
            obj.removeEventFilter(self)  # seen: no need to look at every later event
        return False


def measure_open(app: QApplication, case_dir: Path, settings: QSettings) -> dict[str, float]:
    from triage_ui.main_window import MainWindow

    win = MainWindow(settings)
    win.show()
    app.processEvents()
    watch = PaintWatch(win.file_model)
    win.table.viewport().installEventFilter(watch)
    t0 = time.perf_counter()
    win.open_case(case_dir)
    opened = time.perf_counter()
    while watch.painted_at is None and time.perf_counter() - t0 < 30:
        app.processEvents()
    first_paint = (watch.painted_at or time.perf_counter()) - t0
    # scroll to the end of what is loaded a few times: each page is one keyset query
    t1 = time.perf_counter()
    for _ in range(20):
        win.table.scrollToBottom()
        app.processEvents()
    scroll = (time.perf_counter() - t1) / 20
    rows = win.file_model.loaded()
    win.close()
    return {
        "open_call_s": opened - t0,
        "first_rows_painted_s": first_paint,
        "rows_loaded_after_scrolling": rows,
        "scroll_page_s": scroll,
    }


class Heartbeat:
    """A 10 ms timer; every gap between two beats is an event-loop stall."""

    def __init__(self) -> None:
        self.gaps: list[float] = []
        self.timer = QTimer()
        self.timer.setInterval(10)
        self.timer.timeout.connect(self._beat)
        self._last = time.perf_counter()

    def _beat(self) -> None:
        now = time.perf_counter()
        self.gaps.append((now - self._last) * 1000)
        self._last = now

    def start(self) -> None:
        self._last = time.perf_counter()
        self.timer.start()

    def stop(self) -> tuple[float, float, int]:
        self.timer.stop()
        gaps = sorted(self.gaps)
        p99 = gaps[min(len(gaps) - 1, int(len(gaps) * 0.99))] if gaps else 0.0
        return (gaps[-1] if gaps else 0.0), p99, len(gaps)


def _spin(app: QApplication, seconds: float, until: object = None) -> None:
    end = time.perf_counter() + seconds
    while time.perf_counter() < end and not (until is not None and until()):  # type: ignore[operator]
        app.processEvents()
        time.sleep(0.001)  # the event loop's own idle wait, as QEventLoop.exec would block


def measure_timeline(app: QApplication, case_dir: Path, settings: QSettings, zooms: int) -> dict[str, float]:
    from PySide6.QtCore import QPoint, QPointF, Qt
    from PySide6.QtGui import QWheelEvent
    from triage_ui.main_window import MainWindow

    win = MainWindow(settings)
    win.resize(1366, 768)
    win.timeline_dock.hide()
    win.show()
    win.open_case(case_dir)
    _spin(app, 0.5)
    h = win.timeline.histogram
    watch = PaintWatch(h)
    watch.ready = lambda: bool(h.bins) and h.top_count() > 0  # type: ignore[attr-defined]
    h.installEventFilter(watch)
    beat = Heartbeat()
    beat.start()
    t0 = time.perf_counter()
    win.show_timeline()
    _spin(app, 120, lambda: watch.painted_at is not None)
    first_paint = (watch.painted_at or time.perf_counter()) - t0
    open_gap, _p, _n = beat.stop()
    # cursor-anchored zooms: in over the busy month, then out again, the cursor wandering
    beat = Heartbeat()
    beat.start()
    r = h.plot_rect()
    anchored_error = 0.0
    t_zoom = time.perf_counter()
    for k in range(zooms):
        x = r.left() + r.width() * (0.3 + 0.2 * ((k * 7) % 5) / 4)
        notches = 1 if k < zooms * 2 // 3 else -1
        before = h.time_at(x)
        pos = QPointF(x, r.center().y())
        ev = QWheelEvent(
            pos,
            h.mapToGlobal(pos),
            QPoint(0, 0),
            QPoint(0, 120 * notches),
            Qt.MouseButton.NoButton,
            Qt.KeyboardModifier.NoModifier,
            Qt.ScrollPhase.NoScrollPhase,
            False,
        )
        app.sendEvent(h, ev)
        span = h.hi + 1 - h.lo
        anchored_error = max(anchored_error, abs(h.time_at(x) - before) / span * r.width())
        _spin(app, 0.08)
    last = time.perf_counter()
    _spin(app, 120, lambda: h.is_current() and win.timeline.bins_job is None)
    settle = time.perf_counter() - last
    worst, p99, beats = beat.stop()
    total = time.perf_counter() - t_zoom
    win.close()
    return {
        "timeline_first_paint_s": first_paint,
        "timeline_open_max_gap_ms": open_gap,
        "timeline_zooms": zooms,
        "timeline_zoom_max_gap_ms": worst,
        "timeline_zoom_p99_gap_ms": p99,
        "timeline_zoom_heartbeats": beats,
        "timeline_zoom_settle_s": settle,
        "timeline_zoom_total_s": total,
        "timeline_anchor_error_px": anchored_error,
    }


def measure_scan(app: QApplication, tmp: Path, settings: QSettings, workers: int) -> dict[str, float]:
    from triage_ui.main_window import MainWindow

    from triage.evidence.demo import demo_image

    settings.setValue("scan/workers", workers)
    settings.setValue("ui/refresh_ms", 250)
    win = MainWindow(settings)
    win.show()
    win.new_case(tmp / "scan-case")
    win.add_evidence([demo_image()])
    gaps: list[float] = []
    last = [time.perf_counter()]

    def beat() -> None:
        now = time.perf_counter()
        gaps.append((now - last[0]) * 1000)
        last[0] = now

    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(beat)
    done: list[object] = []
    win.scan_dock.scanFinished.connect(done.append)
    win.scan_dock.scanFailed.connect(done.append)
    timer.start()
    last[0] = time.perf_counter()
    t0 = time.perf_counter()
    win.start_scan()
    while not done and time.perf_counter() - t0 < 600:
        app.processEvents()
        time.sleep(0.001)  # the event loop's own idle wait, as QEventLoop.exec would block
    timer.stop()
    summary = done[0] if done else None
    win.close()
    gaps.sort()
    p99 = gaps[min(len(gaps) - 1, int(len(gaps) * 0.99))] if gaps else 0.0
    return {
        "scan_seconds": time.perf_counter() - t0,
        "scan_status": getattr(summary, "status", str(summary)),
        "scan_files": getattr(summary, "files", 0),
        "heartbeats": len(gaps),
        "max_gap_ms": gaps[-1] if gaps else 0.0,
        "p99_gap_ms": p99,
        "workers": workers,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=1_000_000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--zooms", type=int, default=30, help="wheel notches in the timeline zoom test")
    ap.add_argument("--skip-scan", action="store_true", help="only the million-file case (open, timeline)")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--pictures", type=int, default=10_000, help="gallery case size (0: skip)")
    args = ap.parse_args(argv)
    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory(prefix="triage-bench-") as d:
        tmp = Path(d)
        settings = QSettings(str(tmp / "settings.ini"), QSettings.Format.IniFormat)
        fill_s = fill_case(tmp / "big-case", args.files)
        size_mb = (tmp / "big-case" / "case.sqlite").stat().st_size / 1e6
        result = {
            "files": args.files,
            "fill_s": fill_s,
            "case_db_mb": size_mb,
            **measure_open(app, tmp / "big-case", settings),
            **measure_timeline(app, tmp / "big-case", settings, args.zooms),
            **({} if args.skip_scan else measure_scan(app, tmp, settings, args.workers)),
        }
        if args.pictures:
            from gallery_scroll import report as gallery_report
            from gallery_scroll import run as gallery_run

            result.update(gallery_run(app, tmp, settings, args.pictures))
    result["open_ok"] = result["first_rows_painted_s"] <= OPEN_TARGET_S
    result["stall_ok"] = result.get("max_gap_ms", 0.0) <= STALL_TARGET_MS
    result["timeline_stall_ok"] = result["timeline_zoom_max_gap_ms"] <= STALL_TARGET_MS
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(f"case of {args.files:,} files ({size_mb:.0f} MB) filled in {fill_s:.1f} s")
        print(
            f"open → first rows painted: {result['first_rows_painted_s'] * 1000:.0f} ms "
            f"(target ≤ {OPEN_TARGET_S * 1000:.0f} ms) {'OK' if result['open_ok'] else 'MISSED'}"
        )
        print(
            f"scroll one page: {result['scroll_page_s'] * 1000:.1f} ms; rows loaded {result['rows_loaded_after_scrolling']:,}"
        )
        print(
            f"timeline: first bars painted {result['timeline_first_paint_s']:.2f} s after showing it; "
            f"{args.zooms} cursor-anchored wheel zooms: heartbeat gaps max {result['timeline_zoom_max_gap_ms']:.1f} ms, "
            f"p99 {result['timeline_zoom_p99_gap_ms']:.1f} ms (target ≤ {STALL_TARGET_MS:.0f} ms) "
            f"{'OK' if result['timeline_stall_ok'] else 'MISSED'}; last zoom's buckets after "
            f"{result['timeline_zoom_settle_s']:.2f} s; anchor error {result['timeline_anchor_error_px']:.2f} px"
        )
    if not args.json and not args.skip_scan:
        print(
            f"demo scan ({result['scan_files']} files, {result['scan_status']}, {result['scan_seconds']:.1f} s, "
            f"{args.workers} workers): heartbeat gaps max {result['max_gap_ms']:.1f} ms, "
            f"p99 {result['p99_gap_ms']:.1f} ms over {result['heartbeats']} beats "
            f"(target ≤ {STALL_TARGET_MS:.0f} ms) {'OK' if result['stall_ok'] else 'MISSED'}"
        )
    if args.pictures and not args.json:
        print(gallery_report(result))
    gallery_ok = not args.pictures or (result["gallery_first_page_ok"] and result["gallery_stall_ok"])
    return 0 if result["open_ok"] and result["stall_ok"] and result["timeline_stall_ok"] and gallery_ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
