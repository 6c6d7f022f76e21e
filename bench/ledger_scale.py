"""How long the completeness ledger takes on a large case: N inventory rows (default 1,000,000),
of which 0.1 % failed, 0.1 % damaged, plus 5,000 recorded problems (timeouts, plugin errors).

    python bench/ledger_scale.py [--files 1000000]

Builds the case with the case API (``begin_inventory``/``insert_entries``/``store_results``), then
times :func:`triage.case.completeness.ledger` and :func:`ledger_csv`. Results: docs/benchmarks.md."""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from triage.case.completeness import ledger, ledger_csv
from triage.case.records import Severity
from triage.case.store import Case, FileResult


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", type=int, default=1_000_000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        case = Case.create(Path(tmp) / "c")
        ev = case.add_evidence("/bench/disk.raw", "raw", ["/bench/disk.raw"], 1 << 40)
        parts = case.begin_inventory(
            ev,
            "MBR",
            [
                {
                    "index": 0,
                    "offset": 1 << 20,
                    "length": 1 << 40,
                    "description": "NTFS",
                    "fs_type": "ntfs",
                    "block_size": 4096,
                    "unallocated": 1 << 39,
                }
            ],
        )
        t0 = time.perf_counter()
        batch = []
        for i in range(args.files):
            batch.append(
                {
                    "parent_path": "/d",
                    "path": f"/d/f{i}",
                    "name": f"f{i}",
                    "inode": i + 64,
                    "attr_type": 128,
                    "attr_id": 0,
                    "stream": None,
                    "type": "r",
                    "size": 4096,
                    "deleted": False,
                    "orphan": False,
                    "mtime": 0,
                    "atime": 0,
                    "ctime": 0,
                    "crtime": 0,
                }
            )
            if len(batch) == 50_000:
                case.insert_entries(ev, parts[0], batch)
                batch = []
        if batch:
            case.insert_entries(ev, parts[0], batch)
        case.finish_inventory(ev)
        scan = case.start_scan({"analyzers": [], "evidence": ["/bench/disk.raw"]}, {})
        ids = case.file_ids()
        results = [
            FileResult(
                fid,
                "done" if n % 1000 > 1 else ("failed" if n % 1000 == 0 else "damaged"),
                error="x" if n % 1000 == 0 else None,
            )
            for n, fid in enumerate(ids)
        ]
        for i in range(0, len(results), 50_000):
            case.store_results(scan, ev, results[i : i + 50_000])
        for n in range(5_000):
            case.add_problem(
                Severity.ERROR,
                "yara" if n % 2 else "hashes",
                "YARA time limit reached after 60 s" if n % 2 else "finish raised ValueError: x",
                scan_id=scan,
                evidence_id=ev,
                file_id=ids[n * 7],
                commit=n % 1000 == 999,
            )
        build = time.perf_counter() - t0
        t0 = time.perf_counter()
        book = ledger(case)
        t_ledger = time.perf_counter() - t0
        t0 = time.perf_counter()
        text = ledger_csv(book)
        t_csv = time.perf_counter() - t0
        print(f"files {args.files:,}; built in {build:.1f} s")
        print(
            f"ledger: {len(book.entries):,} entries in {t_ledger:.2f} s; csv {len(text):,} bytes in {t_csv:.2f} s"
        )
        for t in book.totals():
            print(f"  {t.kind.value:15} {t.count:8,} {t.size:>16,}")
        case.close()


if __name__ == "__main__":
    main()
