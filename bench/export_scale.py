#!/usr/bin/env python3
"""``triage export`` of 10,000 files: wall time, and the bag is whole (was tests/test_export_scale.py's
``test_10000_files``, a scale measurement, moved out of ``make test``; the suite keeps the 1,000-file
correctness tests and a unit check of the artifact-id width).

    python bench/export_scale.py [--files 10000] [--work DIR]

Builds an ext4 image of ``--files`` small text files (folders of 500) with ``mke2fs -d``, scans it
with ``triage scan``, then times ``triage export CASE --out … --request examples/request.toml`` and
checks: the progress line says ``N/N``, ``data/artifacts`` holds N files, the last one's bytes, and
``sha256sum -c manifest-sha256.txt`` passes. Results: docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from triage.testing.images import make_ext4

REQUEST = Path(__file__).resolve().parents[1] / "examples" / "request.toml"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", type=int, default=10_000)
    ap.add_argument("--work", type=Path, help="work folder (default: a temporary one)")
    args = ap.parse_args()
    n = args.files
    with tempfile.TemporaryDirectory() as tmp:
        d = args.work or Path(tmp)
        d.mkdir(parents=True, exist_ok=True)
        tree = {f"/d{i // 500:02d}/f{i:05d}.txt": f"file {i}\n".encode() for i in range(n)}
        img = make_ext4(d / "many.img", tree, size=(n * 20 + 8192) * 1024)
        case, out = d / "case", d / "bundle"
        t0 = time.monotonic()
        subprocess.run(
            [sys.executable, "-m", "triage", "scan", str(img.path), "--case", str(case)], check=True
        )
        scan = time.monotonic() - t0
        t0 = time.monotonic()
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "triage",
                "export",
                str(case),
                "--out",
                str(out),
                "--request",
                str(REQUEST),
            ],
            capture_output=True,
            text=True,
        )
        export = time.monotonic() - t0
        last = out / f"data/artifacts/A{n:0{max(4, len(str(n)))}d}_f{n - 1:05d}.txt"
        checks = {
            "exit 0": proc.returncode == 0,
            f"progress {n}/{n}": f"exporting {n}/{n} files" in proc.stderr,
            f"{n} artifacts": len(list((out / "data/artifacts").iterdir())) == n,
            "last artifact's bytes": last.read_text() == f"file {n - 1}\n",
            "sha256sum -c": subprocess.run(
                ["sha256sum", "-c", "--quiet", "manifest-sha256.txt"], cwd=out
            ).returncode
            == 0,
        }
        print(f"{n} files: scan {scan:.1f} s, export {export:.1f} s ({n / export:.0f} files/s)")
        for name, ok in checks.items():
            print(f"  {'ok  ' if ok else 'FAIL'} {name}")
        return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
