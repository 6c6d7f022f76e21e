#!/usr/bin/env python3
"""Gallery responsiveness: a case of 10,000 pictures, scrolled from the first to the last.

    QT_QPA_PLATFORM=offscreen python bench/gallery_scroll.py [--pictures 10000] [--json]

Fills a case with ``--pictures`` picture rows (``image/png``, bulk insert: the bench's one place
that writes SQL) and caches a real small PNG thumbnail for each through ``Case.put_thumbnails``
(so the measurement is the gallery, not Pillow). Then, in the workstation: the time from
``open_case`` + View → Show gallery until the first screen of thumbnails is painted (target ≤ 1 s),
and the scroll bar dragged from top to bottom a page per frame (16 ms) while a 10 ms QTimer
heartbeat records every gap of the event loop (target: worst gap ≤ 100 ms). Also run by
``bench/gui_responsiveness.py``.
"""

from __future__ import annotations

import argparse
import gc
import io
import json
import os
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "ui")]

from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtWidgets import QApplication, QDockWidget  # noqa: E402

from triage.case.records import Thumbnail  # noqa: E402
from triage.case.store import DB_NAME, Case, utc_now  # noqa: E402

FIRST_PAGE_TARGET_S = 1.0
STALL_TARGET_MS = 100.0


def _pngs(n: int = 64) -> list[tuple[int, int, bytes]]:
    from PIL import Image

    out = []
    for i in range(n):
        w, h = (160, 120) if i % 3 else (120, 160)
        im = Image.new("RGB", (w, h), ((i * 37) % 256, (i * 91) % 256, (i * 53) % 256))
        im.paste(((i * 11) % 256, 255 - (i * 7) % 256, 128), (w // 4, h // 4, w // 2, h // 2))
        buf = io.BytesIO()
        im.save(buf, "PNG")
        out.append((w, h, buf.getvalue()))
    return out


def fill_pictures(path: Path, n: int) -> float:
    """A case of ``n`` pictures, each with a cached thumbnail; returns the seconds it took."""
    t0 = time.perf_counter()
    with Case.create(path) as case:
        ev = case.add_evidence("/bench/pictures.raw", "raw", ["/bench/pictures.raw"], 1 << 40)
        parts = case.begin_inventory(
            ev,
            "dos",
            [{"index": 0, "offset": 1 << 20, "length": 1 << 40, "description": "FAT32", "fs_type": "fat"}],
        )
        pid = parts[0]
        raw = sqlite3.connect(path / DB_NAME)  # synthetic picture rows, written straight into the new case
        with raw:
            raw.executemany(
                "INSERT INTO files(evidence_id, partition_id, parent_path, path, name, inode, type, size, deleted, "
                "orphan, mtime, status, mime) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    (
                        ev,
                        pid,
                        f"/DCIM/{i // 1000:03d}CAMERA",
                        f"/DCIM/{i // 1000:03d}CAMERA/IMG_{i:05d}.PNG",
                        f"IMG_{i:05d}.PNG",
                        i + 100,
                        "r",
                        20_000 + i,
                        int(i % 40 == 0),
                        0,
                        1_600_000_000 + i,
                        "done",
                        "image/png",
                    )
                    for i in range(n)
                ),
            )
        raw.close()
        case.finish_inventory(ev)
        pngs, now = _pngs(), utc_now()
        ids = case.file_ids()
        case.put_thumbnails(
            [
                Thumbnail(fid, *pngs[k % len(pngs)][:2], pngs[k % len(pngs)][2], None, now)
                for k, fid in enumerate(ids)
            ]
        )
    return time.perf_counter() - t0


def measure_gallery(app: QApplication, case_dir: Path, settings: QSettings) -> dict[str, float]:
    from triage_ui.main_window import MainWindow

    win = MainWindow(settings)
    win.resize(1366, 768)
    win.show()
    for dock in win.findChildren(QDockWidget):  # the gallery as an examiner looks through pictures:
        dock.hide()  # the whole window but the detail pane (more thumbnails per screen, more work)
    app.processEvents()
    win.centre.setSizes([int(win.height() * 0.7), int(win.height() * 0.3)])
    app.processEvents()
    gallery = win.gallery
    model, view = gallery.model, gallery.view

    def screen_done() -> bool:
        rows = gallery.visible_rows()
        return len(rows) > 0 and all(model.has_thumbnail(model.record(r).id) for r in rows)

    t0 = time.perf_counter()
    win.open_case(case_dir)
    win.show_gallery()
    while not screen_done() and time.perf_counter() - t0 < 30:
        app.processEvents()
        time.sleep(0.001)
    view.viewport().repaint()  # painted, not only loaded
    first_page = time.perf_counter() - t0
    on_screen = len(gallery.visible_rows())

    gc_pauses: list[float] = []
    gc_start = [0.0]

    def gc_watch(phase: str, _info: dict[str, int]) -> None:
        if phase == "start":
            gc_start[0] = time.perf_counter()
        else:
            gc_pauses.append((time.perf_counter() - gc_start[0]) * 1000)

    gc.callbacks.append(gc_watch)
    gaps: list[float] = []
    bar = view.verticalScrollBar()
    last = time.perf_counter()
    next_step = last
    t1 = time.perf_counter()
    steps = 0
    worst_at = ""
    while time.perf_counter() - t1 < 600:
        now = time.perf_counter()
        gaps.append((now - last) * 1000)
        if gaps[-1] >= max(gaps):
            worst_at = f"step {steps}, {model.rowCount()} rows, bar {bar.value()}/{bar.maximum()}"
        last = now
        if now >= next_step:
            next_step = now + 0.016
            if bar.value() >= bar.maximum():
                break
            bar.setValue(min(bar.maximum(), bar.value() + bar.pageStep()))
            steps += 1
        app.processEvents()
        time.sleep(0.001)
    scroll_s = time.perf_counter() - t1
    gc.callbacks.remove(gc_watch)
    t2 = time.perf_counter()
    while not screen_done() and time.perf_counter() - t2 < 30:
        app.processEvents()
        time.sleep(0.001)
    last_page = time.perf_counter() - t2
    rows = model.rowCount()
    shown_last = model.record(max(gallery.visible_rows())).name if gallery.visible_rows() else ""
    win.close()
    gaps.sort()
    return {
        "gallery_first_page_s": first_page,
        "gallery_on_screen": on_screen,
        "gallery_rows_loaded": rows,
        "gallery_scroll_s": scroll_s,
        "gallery_scroll_steps": steps,
        "gallery_last_page_s": last_page,
        "gallery_last_visible": shown_last,
        "gallery_max_gap_ms": gaps[-1] if gaps else 0.0,
        "gallery_p99_gap_ms": gaps[min(len(gaps) - 1, int(len(gaps) * 0.99))] if gaps else 0.0,
        "gallery_beats": len(gaps),
        "gallery_worst_at": worst_at,
        "gallery_worst_gc_pause_ms": max(gc_pauses, default=0.0),
        "gallery_viewport": f"{view.viewport().width()}x{view.viewport().height()}",
    }


def run(app: QApplication, tmp: Path, settings: QSettings, pictures: int) -> dict[str, object]:
    fill_s = fill_pictures(tmp / "picture-case", pictures)
    result: dict[str, object] = {
        "pictures": pictures,
        "gallery_fill_s": fill_s,
        **measure_gallery(app, tmp / "picture-case", settings),
    }
    result["gallery_first_page_ok"] = float(result["gallery_first_page_s"]) <= FIRST_PAGE_TARGET_S  # type: ignore[arg-type]
    result["gallery_stall_ok"] = float(result["gallery_max_gap_ms"]) <= STALL_TARGET_MS  # type: ignore[arg-type]
    return result


def report(r: dict[str, object]) -> str:
    return (
        f"gallery of {r['pictures']:,} pictures, viewport {r['gallery_viewport']}: first page ({r['gallery_on_screen']} thumbnails) painted in "
        f"{float(r['gallery_first_page_s']) * 1000:.0f} ms (target ≤ {FIRST_PAGE_TARGET_S * 1000:.0f} ms) "  # type: ignore[arg-type]
        f"{'OK' if r['gallery_first_page_ok'] else 'MISSED'}\n"
        f"gallery scrolled top to bottom in {float(r['gallery_scroll_s']):.1f} s ({r['gallery_scroll_steps']} pages, "  # type: ignore[arg-type]
        f"{r['gallery_rows_loaded']:,} rows, last {r['gallery_last_visible']}): heartbeat gaps max "
        f"{float(r['gallery_max_gap_ms']):.1f} ms, p99 {float(r['gallery_p99_gap_ms']):.1f} ms over "  # type: ignore[arg-type]
        f"{r['gallery_beats']} beats (target ≤ {STALL_TARGET_MS:.0f} ms) {'OK' if r['gallery_stall_ok'] else 'MISSED'}"
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pictures", type=int, default=10_000)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory(prefix="triage-bench-") as d:
        tmp = Path(d)
        settings = QSettings(str(tmp / "settings.ini"), QSettings.Format.IniFormat)
        result = run(app, tmp, settings, args.pictures)
    print(json.dumps(result, indent=2) if args.json else report(result))
    return 0 if result["gallery_first_page_ok"] and result["gallery_stall_ok"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
