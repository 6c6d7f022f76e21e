"""Benchmark: import a 1,000,000-line sha256sum list into a hash set database (goal: < 30 s).

    .venv/bin/python bench/hashset_import.py [--lines N] [--limit SECONDS]

Prints one JSON line; exits 1 when the import is slower than ``--limit``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
import time
from pathlib import Path

from triage.hashsets import HashDB


def write_list(path: Path, lines: int) -> None:
    """A sha256sum-style list of distinct, reproducible digests."""
    with path.open("w") as f:
        for i in range(lines):
            f.write(f"{hashlib.sha256(i.to_bytes(8, 'little')).hexdigest()}  /files/{i:07d}.bin\n")


def run(lines: int, workdir: Path) -> dict[str, float | int]:
    src = workdir / "list.sha256"
    write_list(src, lines)
    db_path = workdir / "hashsets.sqlite"
    t0 = time.perf_counter()
    with HashDB(db_path) as db:
        rep = db.import_file(src, name="bench", version="1", category="known")
    seconds = time.perf_counter() - t0
    probe = hashlib.sha256((lines - 1).to_bytes(8, "little")).hexdigest()
    with HashDB(db_path, readonly=True) as db:
        t1 = time.perf_counter()
        hits = db.lookup(sha256=probe)
        lookup_ms = (time.perf_counter() - t1) * 1000
    assert hits and hits[0].set == "bench", "last imported hash not found"
    return {
        "lines": lines,
        "imported": rep.set.sha256,
        "seconds": round(seconds, 2),
        "lines_per_second": int(lines / seconds),
        "lookup_ms": round(lookup_ms, 3),
        "db_bytes": db_path.stat().st_size,
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--lines", type=int, default=1_000_000)
    ap.add_argument("--limit", type=float, default=30.0)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        result = run(args.lines, Path(d))
    result["limit"] = args.limit
    print(json.dumps(result))
    return 0 if result["seconds"] <= args.limit and result["imported"] == args.lines else 1


if __name__ == "__main__":
    sys.exit(main())
