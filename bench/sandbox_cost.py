"""Benchmark: what the sandbox of the parsers costs (issue 22; target: at most 3 % of wall time).

Runs the default ``triage scan`` (every built-in analyzer, ``--workers N``) of the cached benchmark
image (``bench/_images.py``) with and without ``--no-sandbox``, alternating, ``--rounds`` times
each after one warm-up of each, into fresh cases. Prints each wall time, the medians and
``median(sandboxed) / median(unconfined)``; checks that both found the same files with the same
SHA-256 values.

    .venv/bin/python bench/sandbox_cost.py                                  # 50,000 files, 2 GB; long
    .venv/bin/python bench/sandbox_cost.py --files 3000 --bytes 1e8 --rounds 3   # a few minutes
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _images import benchmark_image, describe  # noqa: E402

TRIAGE = [sys.executable, "-m", "triage"]


def scan(image: Path, case: Path, workers: int, sandbox: bool) -> float:
    cmd = [*TRIAGE, "scan", str(image), "--case", str(case), "--workers", str(workers), "--json"]
    t0 = time.perf_counter()
    proc = subprocess.run(cmd + ([] if sandbox else ["--no-sandbox"]), capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    if proc.returncode not in (0, 1):
        raise SystemExit(f"scan failed ({proc.returncode}): {proc.stderr[-2000:]}")
    summary = json.loads(proc.stdout)
    assert summary["status"] == "completed", summary
    assert summary["sandbox"].startswith("sandbox: on" if sandbox else "sandbox: disabled"), summary
    return seconds


def confine_ms() -> float:
    """Wall time of one ``triage.sandbox.confine`` in a fresh process (what each worker pays once)."""
    code = (
        "import time, tempfile; from triage import sandbox; d = tempfile.mkdtemp(); t = time.perf_counter(); "
        "c = sandbox.confine(sandbox.evidence_policy([], write=[d])); "
        "print((time.perf_counter() - t) * 1000, len(c.applied), len(c.missing))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    return float(out[0])


def hashes(case: Path) -> dict[str, str]:
    out = subprocess.run([*TRIAGE, "files", str(case), "--json", "--regular"], capture_output=True, text=True)
    return {r["path"]: r["sha256"] for r in map(json.loads, out.stdout.splitlines())}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--files", type=int, default=50000)
    ap.add_argument("--bytes", type=float, default=2e9)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--rounds", type=int, default=3, help="timed scans of each kind (after a warm-up)")
    ap.add_argument(
        "--image", type=Path, default=None, help="scan this image instead (e.g. examples/demo.raw)"
    )
    ap.add_argument("--json", type=Path, default=None, help="also write the results here")
    args = ap.parse_args()
    if args.image is not None:
        image, info = args.image.resolve(), {"files": "?", "bytes": args.image.stat().st_size}
    else:
        image = benchmark_image(args.files, args.bytes)
        info = describe(image)
    print(f"image: {image} ({info['files']} files, {int(info['bytes']) / 1e9:.2f} GB)", flush=True)
    print(f"confine() itself: {confine_ms():.1f} ms per process", flush=True)
    times: dict[str, list[float]] = {"sandbox": [], "no-sandbox": []}
    work = Path(tempfile.mkdtemp(prefix="triage-sandbox-cost-"))
    try:
        for round_ in range(args.rounds + 1):
            order = ("sandbox", "no-sandbox") if round_ % 2 == 0 else ("no-sandbox", "sandbox")
            for kind in order:
                case = work / f"{kind}-{round_}"
                seconds = scan(image, case, args.workers, kind == "sandbox")
                if round_ == 0:
                    print(f"warm-up {kind:10} {seconds:8.2f} s", flush=True)
                    if kind == order[-1]:
                        same = hashes(work / "sandbox-0") == hashes(work / "no-sandbox-0")
                        print(f"same files and SHA-256 with and without the sandbox: {same}", flush=True)
                        assert same
                        for k in order:
                            shutil.rmtree(work / f"{k}-0", ignore_errors=True)
                else:
                    times[kind].append(seconds)
                    print(f"round {round_} {kind:10} {seconds:8.2f} s", flush=True)
                    shutil.rmtree(case, ignore_errors=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    med = {k: statistics.median(v) for k, v in times.items()}
    ratio = med["sandbox"] / med["no-sandbox"]
    print(f"median sandboxed {med['sandbox']:.2f} s, unconfined {med['no-sandbox']:.2f} s: ratio {ratio:.3f}")
    if args.json:
        args.json.write_text(
            json.dumps({"image": info, "times": times, "median": med, "ratio": ratio}, indent=2)
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
