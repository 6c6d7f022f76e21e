#!/usr/bin/env python3
"""Real scale: an ext4 image of 1,000,000 files, scanned, opened in the GUI, searched, exported.

    make bench-scale                                         # everything, about an hour on 2 cores
    .venv/bin/python bench/scale.py --steps gui,search       # again on the cached image and case
    .venv/bin/python bench/scale.py --files 20000 --steps all --work /tmp/small   # a quick trial

1. **build** (cached beside the other benchmark images, ``bench/_images.py``): a generated tree of
   ``--files`` text files in folders of 1,000 (10–700 bytes each, every 100th empty, every 7th a
   copy of another), written into ext4 by ``mke2fs -d`` (4 KiB blocks).
2. **scan**: ``triage scan IMAGE --case CASE --workers 2`` with the defaults an examiner gets.
   Wall time, files/s, the inventory's throughput (the scan's ``inventory_seconds``: the walk in
   a worker and the inserts into the case), peak RSS of the whole process tree
   (``scan_vs_tsk.TreeSampler``), case size on disk.
3. **gui**: a fresh process opens the case in the real main window and waits for the first paint
   of the file table with rows: the time from the process start (launch) and from
   ``MainWindow.open_case`` (``gui_responsiveness.PaintWatch``). Offscreen, then on Xvfb (xcb)
   with a screenshot when ``Xvfb`` is installed.
4. **search**: the file-name filter of the GUI (``FileQuery.name_contains``) typed into the main
   window's filter box until the table paints the matches, and through the case API (count and
   first page). Full-text search is not part of triage yet.
5. **export**: ``triage export CASE --select query:path=… --request examples/request.toml`` of
   10,000 files (ten folders), timed with the tree's peak RSS.

Targets: peak RSS < 1 GB, case open ≤ 1 s, inventory ≥ 20,000 files/s, export of 10,000 files ≤ 60 s.
Results go to ``WORK/scale-results.json`` and are printed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path[:0] = [str(BENCH), str(REPO), str(REPO / "ui")]

from _images import BLOCK, cache_dir, cached_image, make_ext4  # noqa: E402
from scan_vs_tsk import TreeSampler, machine, timed  # noqa: E402

TRIAGE = [sys.executable, "-m", "triage"]
PER_FOLDER = 1000
EXPORT_FILES = 10_000
TARGETS = {"peak_rss": 1 << 30, "open_s": 1.0, "inventory_fps": 20_000, "export_s": 60.0}
STEPS = ("build", "scan", "gui", "search", "export")


# -- 1. the image ----------------------------------------------------------------------------
def content(n: int) -> bytes:
    """File ``n``'s bytes: text of 10–700 bytes; every 100th file empty, every 7th a copy of file n-7."""
    if n % 100 == 0:
        return b""
    if n % 7 == 0:
        n -= 7
    line = f"triage scale benchmark file {n:07d} {hashlib.md5(str(n).encode()).hexdigest()}\n".encode()
    return (line * (1 + n % 11))[: 10 + (n * 7919) % 690]


def build_tree(stage: Path, files: int) -> tuple[int, int, int]:
    """Write the tree; returns (files, bytes, folders)."""
    total = 0
    folders = -(-files // PER_FOLDER)
    for d in range(folders):
        folder = stage / f"dir{d:04d}"
        folder.mkdir(parents=True)
        for i in range(d * PER_FOLDER, min(files, (d + 1) * PER_FOLDER)):
            data = content(i)
            fd = os.open(folder / f"file{i:07d}.txt", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            try:
                os.write(fd, data)
            finally:
                os.close(fd)
            total += len(data)
    return files, total, folders


def scale_image(files: int) -> Path:
    """The cached ext4 image of ``files`` generated files (built on first use)."""
    target = cache_dir() / f"scale-ext4-{files}.img"

    def build() -> dict[str, object]:
        t0 = time.monotonic()
        stage = Path(tempfile.mkdtemp(prefix="scale-stage-", dir=target.parent))
        try:
            n, total, folders = build_tree(stage, files)
            tree_s = time.monotonic() - t0
            blocks = sum(-(-len(content(i)) // BLOCK) for i in range(files)) + folders * 8
            size = make_ext4(stage, target, files=n, folders=folders, blocks=blocks, label="triage-scale")
        finally:
            shutil.rmtree(stage, ignore_errors=True)
        return {
            "image": str(target),
            "files": n,
            "bytes": total,
            "folders": folders,
            "image_size": size,
            "tree_seconds": round(tree_s, 1),
            "build_seconds": round(time.monotonic() - t0, 1),
            "built": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        }

    return cached_image(target, build)


# -- 2. the scan ------------------------------------------------------------------------------
def du(path: Path) -> int:
    """Bytes on disk of a folder (allocated blocks, as ``du`` counts them)."""
    return sum(p.stat().st_blocks * 512 for p in path.rglob("*") if p.is_file())


def scan(image: Path, case: Path, workers: int, analyzers: str | None) -> dict[str, Any]:
    shutil.rmtree(case, ignore_errors=True)
    cmd = [*TRIAGE, "scan", str(image), "--case", str(case), "--workers", str(workers)]
    cmd += ["--analyzers", analyzers] if analyzers else []
    t0 = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    sampler = TreeSampler(proc.pid)
    marks: dict[str, float] = {}
    tail: list[str] = []

    def read_stderr() -> None:
        assert proc.stderr is not None
        for line in proc.stderr:
            now = time.monotonic() - t0
            tail[:] = [*tail[-20:], line.rstrip()]
            if line.startswith("[inventory]"):
                marks.setdefault("inventory_first_line", now)
            elif line.startswith("[content]"):
                marks.setdefault("content_first_line", now)
            print(f"  {now:7.1f} s {line.rstrip()}", flush=True)

    reader = threading.Thread(target=read_stderr, daemon=True)
    reader.start()
    out = proc.stdout.read() if proc.stdout else ""
    proc.wait()
    reader.join()
    seconds = time.monotonic() - t0
    peak = sampler.stop()
    if proc.returncode not in (0, 1):
        raise SystemExit(f"triage scan failed ({proc.returncode}): " + "\n".join(tail))
    from triage.case.query import FileQuery
    from triage.case.store import Case

    with Case.open(case, readonly=True) as c:
        files = c.count()
        regular = c.count(FileQuery(types=("r",)))
        stats = c.scans()[-1]["stats"]
        audit = [(a.ts, a.action) for a in c.audit_log()]
    inventory_s = float(stats.get("inventory_seconds") or marks.get("content_first_line", seconds))
    return {
        "command": " ".join(cmd[2:]),
        "exit_code": proc.returncode,
        "seconds": round(seconds, 1),
        "files": files,
        "regular_files": regular,
        "files_per_s": round(files / seconds),
        "inventory_s": round(inventory_s, 1),
        "inventory_files_per_s": round(files / inventory_s),
        "peak_rss": peak,
        "case_bytes_on_disk": du(case),
        "stdout": out[-2000:],
        "stats": stats,
        "analyzer_seconds": stats.get("analyzer_seconds"),
        "audit": [x for x in audit if x[1].startswith(("scan", "evidence"))],
    }


# -- 3./4. the GUI ------------------------------------------------------------------------------
def gui_child(case: Path, search: str, screenshot: Path | None) -> dict[str, Any]:
    """Run in a fresh process: launch → first rows painted, then the name filter (``search``)."""
    launched = _process_start()
    from gui_responsiveness import PaintWatch
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication
    from triage_ui.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    imported = time.time()
    settings = QSettings(str(Path(tempfile.mkdtemp()) / "bench.ini"), QSettings.Format.IniFormat)
    win = MainWindow(settings)
    win.resize(1366, 768)
    win.show()
    app.processEvents()
    watch = PaintWatch(win.file_model)
    win.table.viewport().installEventFilter(watch)
    t0 = time.perf_counter()
    win.open_case(case)
    while watch.painted_at is None and time.perf_counter() - t0 < 60:
        app.processEvents()
    painted = watch.painted_at or time.perf_counter()
    painted_wall = time.time() - (time.perf_counter() - painted)
    search_watch = PaintWatch(win.file_model)
    search_watch.ready = lambda: (  # type: ignore[method-assign]
        win.file_model.rowCount() > 0 and win.file_model.query().name_contains == search
    )
    win.table.viewport().installEventFilter(search_watch)
    t1 = time.perf_counter()
    win.filter_edit.setText(search)
    while search_watch.painted_at is None and time.perf_counter() - t1 < 60:
        app.processEvents()
    filtered = (search_watch.painted_at or time.perf_counter()) - t1
    shot = None
    if screenshot is not None:
        end = time.perf_counter() + 1
        while time.perf_counter() < end:
            app.processEvents()
        shot = str(screenshot)
        win.grab().save(shot)
    rows = win.file_model.rowCount()
    win.close()
    return {
        "launch_to_rows_painted_s": round(painted_wall - launched, 3),
        "imports_s": round(imported - launched, 3),
        "open_case_to_rows_painted_s": round(painted - t0, 3),
        "filter_text": search,
        "filter_to_rows_painted_s": round(filtered, 3),
        "filter_rows_loaded": rows,
        "screenshot": shot,
    }


def _process_start() -> float:
    import psutil

    return float(psutil.Process().create_time())


def gui(case: Path, search: str, work: Path) -> dict[str, Any]:
    """The GUI measurement in fresh processes: offscreen, and on Xvfb when it is installed."""
    out: dict[str, Any] = {}
    platforms: list[tuple[str, dict[str, str]]] = [("offscreen", {"QT_QPA_PLATFORM": "offscreen"})]
    xvfb = None
    if shutil.which("Xvfb"):
        display = f":{70 + os.getpid() % 25}"
        xvfb = subprocess.Popen(
            ["Xvfb", display, "-screen", "0", "1366x768x24", "-nolisten", "tcp"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(1.5)
        platforms.append(("xvfb", {"QT_QPA_PLATFORM": "xcb", "DISPLAY": display}))
    try:
        for name, env in platforms:
            for run in (1, 2):
                proc = subprocess.run(
                    [sys.executable, __file__, "--gui-child", str(case), "--search", search]
                    + (["--screenshot", str(work / f"scale-{name}.png")] if run == 2 else []),
                    capture_output=True,
                    text=True,
                    env={**os.environ, **env},
                    timeout=600,
                )
                if proc.returncode != 0:
                    raise SystemExit(f"GUI child ({name}) failed:\n{proc.stderr[-3000:]}")
                out[f"{name}-{run}"] = json.loads(proc.stdout.strip().splitlines()[-1])
                print(f"  gui {name} run {run}: {out[f'{name}-{run}']}", flush=True)
    finally:
        if xvfb is not None:
            xvfb.terminate()
            xvfb.wait()
    return out


def search_api(case: Path, text: str) -> dict[str, Any]:
    """The same name filter through the case API: first page of 500, then the full count."""
    from triage.case.query import FileQuery
    from triage.case.store import Case

    with Case.open(case, readonly=True) as c:
        q = FileQuery(name_contains=text)
        t0 = time.perf_counter()
        page = c.select_files(q, limit=500)
        t1 = time.perf_counter()
        n = c.count(q)
        t2 = time.perf_counter()
    return {
        "query": f"name_contains={text!r}",
        "first_page_rows": len(page),
        "first_page_s": round(t1 - t0, 3),
        "count": n,
        "count_s": round(t2 - t1, 3),
    }


# -- 5. the export ------------------------------------------------------------------------------
def export(case: Path, work: Path) -> dict[str, Any]:
    out = work / "scale-bundle"
    shutil.rmtree(out, ignore_errors=True)
    select = "query:path=/dir000[0-9]/*"  # ten folders of 1,000 files
    cmd = [
        *TRIAGE,
        "export",
        str(case),
        "--out",
        str(out),
        "--select",
        select,
        "--request",
        str(REPO / "examples" / "request.toml"),
        "--json",
    ]
    seconds, peak = timed(cmd, stdout=subprocess.PIPE)
    data = out / "data"
    exported = sum(1 for p in data.rglob("*") if p.is_file()) if data.is_dir() else 0
    result = {
        "command": " ".join(cmd[2:]),
        "seconds": round(seconds, 1),
        "peak_rss": peak,
        "files_in_bundle_data": exported,
        "bundle_bytes_on_disk": du(out),
    }
    shutil.rmtree(out, ignore_errors=True)
    return result


# -- the report ---------------------------------------------------------------------------------
def verdicts(r: dict[str, Any]) -> list[str]:
    lines = []
    s = r.get("scan")
    if s:
        lines.append(
            f"scan: {s['files']:,} files in {s['seconds']} s = {s['files_per_s']:,} files/s; inventory "
            f"{s['inventory_s']} s = {s['inventory_files_per_s']:,} files/s "
            f"(target ≥ {TARGETS['inventory_fps']:,}); peak RSS {s['peak_rss'] / 2**20:.0f} MiB "
            f"(target < 1024); case {s['case_bytes_on_disk'] / 2**20:.0f} MiB on disk"
        )
    for name, g in (r.get("gui") or {}).items():
        lines.append(
            f"gui {name}: open_case → rows {g['open_case_to_rows_painted_s']} s, launch → rows "
            f"{g['launch_to_rows_painted_s']} s (Python and Qt start: {g['imports_s']} s); target ≤ 1 s; filter '{g['filter_text']}' → rows "
            f"{g['filter_to_rows_painted_s']} s"
        )
    if r.get("search"):
        q = r["search"]
        lines.append(
            f"search {q['query']}: first page {q['first_page_s']} s, count {q['count']:,} in {q['count_s']} s"
        )
    e = r.get("export")
    if e:
        lines.append(
            f"export: {e['files_in_bundle_data']:,} files in {e['seconds']} s (target ≤ 60 s), peak RSS "
            f"{e['peak_rss'] / 2**20:.0f} MiB"
        )
    return lines


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--files", type=int, default=1_000_000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument(
        "--analyzers", default=None, help="triage scan --analyzers (default: the defaults an examiner gets)"
    )
    ap.add_argument("--steps", default="all", help=f"comma separated: {', '.join(STEPS)} (or all)")
    ap.add_argument("--work", type=Path, default=None, help="where the case goes (default: the bench cache)")
    ap.add_argument("--search", default="file00123", help="the file-name filter typed into the GUI")
    ap.add_argument("--gui-child", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--screenshot", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.gui_child:
        print(json.dumps(gui_child(args.gui_child, args.search, args.screenshot)))
        return 0
    steps = STEPS if args.steps == "all" else tuple(s.strip() for s in args.steps.split(","))
    unknown = set(steps) - set(STEPS)
    if unknown:
        raise SystemExit(f"unknown step(s): {', '.join(sorted(unknown))}")
    work = args.work or cache_dir() / f"scale-work-{args.files}"
    work.mkdir(parents=True, exist_ok=True)
    case = work / "case"
    results_path = work / "scale-results.json"
    results: dict[str, Any] = json.loads(results_path.read_text()) if results_path.is_file() else {}
    results["machine"] = machine()
    image = scale_image(args.files)
    results["image"] = json.loads(image.with_suffix(".json").read_text())
    print(f"image: {image} ({results['image']['files']:,} files)", flush=True)
    if "scan" in steps:
        results["scan"] = scan(image, case, args.workers, args.analyzers)
    if "gui" in steps:
        results["gui"] = gui(case, args.search, work)
    if "search" in steps:
        results["search"] = search_api(case, args.search)
    if "export" in steps:
        results["export"] = export(case, work)
    results_path.write_text(json.dumps(results, indent=2, default=str) + "\n")
    print("\n".join(verdicts(results)))
    print(f"results: {results_path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
