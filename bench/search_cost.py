"""Benchmark: what the full-text index costs the scan, and finding a word set with triage against
``tsk_recover`` + ``grep -r -c``, on the same bytes in the same run (docs/benchmarks.md, "Search").

1. ``triage scan`` with the default analyzers, without the ``text`` analyzer (``--disable-plugin
   text``, or simply not loaded) and with it (``--plugin-dir`` while its entry point is not
   installed); the ratio is the indexing cost.
2. Finding a word set: ``triage search`` per word on the indexed case, against ``tsk_recover -e``
   (allocated and deleted files) then ``grep -r -c -F -i WORD`` per word on the extracted tree.

    .venv/bin/python bench/search_cost.py                    # the shared 2 GB image; many minutes
    .venv/bin/python bench/search_cost.py --files 3000 --bytes 1e8
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _images import benchmark_image, describe  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
TRIAGE = [sys.executable, "-m", "triage"]
WORDS = ("copyright", "warranty", "license", "gnu", "debian", "permission", "author", "bugfix")


def _text_args(work: Path) -> list[str]:
    """Nothing when the text analyzer's entry point is installed; else a plugin folder loading it."""
    names = {e.name for e in importlib.metadata.entry_points(group="triage.plugins")}
    if "text" in names:
        return ["--analyzers", "+text"]  # opt-in: the default analyzers plus text
    folder = work / "plugins"
    folder.mkdir(exist_ok=True)
    (folder / "text.py").write_text(
        "from triage_plugins.text_index import TextAnalyzer, triage_analyzers, triage_scan_finished  # noqa: F401\n"
    )
    return ["--plugin-dir", str(folder), "--analyzers", "+text"]


def _pieces(db: Path) -> dict[str, int]:
    """Pieces and characters indexed, per source (the bench reads the case it made)."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        rows = conn.execute("SELECT source, count(*), sum(length(text)) FROM text_pieces GROUP BY source")
        return {
            f"{src}_{what}": int(v or 0) for src, n, c in rows for what, v in (("pieces", n), ("chars", c))
        }
    finally:
        conn.close()


def timed(cmd: list[str], **kw: object) -> tuple[float, subprocess.CompletedProcess[str]]:
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, **kw)  # type: ignore[call-overload]
    return time.perf_counter() - t0, proc


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--files", type=int, default=50_000)
    ap.add_argument("--bytes", type=float, default=2e9)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--skip-reference", action="store_true")
    args = ap.parse_args()
    image = benchmark_image(args.files, args.bytes)
    info = describe(image)
    work = Path(tempfile.mkdtemp(prefix="search-bench-"))
    out: dict[str, object] = {"image": str(image), "files": info.get("files"), "bytes": info.get("bytes")}
    try:
        base = [*TRIAGE, "scan", str(image), "--workers", str(args.workers)]
        plain_t: list[float] = []
        text_t: list[float] = []
        for _r in range(args.rounds):  # alternated, fresh cases: load drifts hit both alike
            for name, extra, times in (("plain", [], plain_t), ("text", _text_args(work), text_t)):
                shutil.rmtree(work / name, ignore_errors=True)
                t, p = timed([*base, "--case", str(work / name), *extra])
                if p.returncode not in (0, 1):
                    raise SystemExit(p.stderr)
                times.append(round(t, 1))
        out["scan_without_text_s"] = plain_t
        out["scan_with_text_s"] = text_t
        t_plain, t_text = statistics.median(plain_t), statistics.median(text_t)
        out["pieces"] = _pieces(work / "text" / "case.sqlite")
        out["indexing_cost"] = round(t_text / t_plain - 1, 3)
        db = work / "text" / "case.sqlite"
        out["case_db_mb_with_text"] = round(db.stat().st_size / 1e6, 1)
        out["case_db_mb_without_text"] = round((work / "plain" / "case.sqlite").stat().st_size / 1e6, 1)
        t0 = time.perf_counter()
        triage_counts = {}
        for w in WORDS:
            _, p = timed([*TRIAGE, "search", str(work / "text"), w, "--limit", "1000000"])
            triage_counts[w] = len({line.split("\t")[0] for line in p.stdout.splitlines()})
        out["triage_search_s"] = round(time.perf_counter() - t0, 2)
        out["triage_files_per_word"] = triage_counts
        if not args.skip_reference:
            dest = work / "recovered"
            t_rec, _ = timed(["tsk_recover", "-e", str(image), str(dest)])
            t0 = time.perf_counter()
            grep_counts = {}
            for w in WORDS:
                p = subprocess.run(
                    ["grep", "-r", "-c", "-F", "-i", "-a", w, str(dest)], capture_output=True, text=True
                )
                grep_counts[w] = sum(1 for line in p.stdout.splitlines() if not line.endswith(":0"))
            t_grep = time.perf_counter() - t0
            out["tsk_recover_s"] = round(t_rec, 1)
            out["grep_s"] = round(t_grep, 1)
            out["reference_total_s"] = round(t_rec + t_grep, 1)
            out["grep_files_per_word"] = grep_counts
            out["triage_scan_plus_search_s"] = round(t_text + float(out["triage_search_s"]), 1)  # type: ignore[arg-type]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
