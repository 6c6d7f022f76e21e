"""Profile of the default ``triage scan`` per analyzer and per stage (issue 18).

Two runs of the same default scan (every built-in analyzer with its defaults, as an examiner gets
it) of the benchmark image (``bench/_images.py``):

1. **timing counters**, no profiler: wall time and the engine's own per-analyzer seconds
   (``stats.analyzer_seconds`` of the scan, summed over the workers);
2. **cProfile** in every worker (``TRIAGE_PROFILE_DIR``) and in the parent: CPU seconds by stage —
   libtsk read, hashes, libmagic, identifiers, entropy, interesting, result pickling/IPC in the
   workers; SQLite writes, IPC and inventory in the parent. cProfile slows Python-heavy code more
   than C calls, so the shares of (2) are indicative; the seconds of (1) are the real ones.

    .venv/bin/python bench/scan_profile.py                       # 60k files, 2 GB: minutes
    .venv/bin/python bench/scan_profile.py --files 5000 --bytes 2e8 --top 25
    .venv/bin/python bench/scan_profile.py --small-files               # 200,000 files of 10-320 bytes
    .venv/bin/python bench/scan_profile.py --small-files --small-folders 40 --no-profile --scan like-for-like

Each run also prints the CPU seconds of the whole scan's process tree (parent, workers, evidence
hash; ``getrusage(RUSAGE_CHILDREN)``) per file: less sensitive to a shared machine than wall time.
"""

from __future__ import annotations

import argparse
import json
import os
import pstats
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _images import benchmark_image, describe  # noqa: E402

TRIAGE = [sys.executable, "-m", "triage"]

# stage -> (file name ends with, function name) entries whose cumulative time is the stage's
WORKER_STAGES: dict[str, list[tuple[str, str]]] = {
    "read (libtsk)": [("content.py", "read")],
    "open file (libtsk)": [("content.py", "open_file")],
    "hashes": [("hashes.py", "update"), ("hashes.py", "finish")],
    "libmagic (filetype)": [("filetype.py", "update")],
    "identifiers": [("identifiers.py", "update"), ("identifiers.py", "finish")],
    "entropy": [("entropy.py", "update"), ("entropy.py", "finish")],
    "interesting": [("interesting.py", "start"), ("interesting.py", "update"), ("interesting.py", "finish")],
    "knownfiles": [("knownfiles.py", "finish"), ("knownfiles.py", "start")],
    "yara": [("yara_scan.py", "update"), ("yara_scan.py", "finish"), ("yara_scan.py", "start")],
    "results to parent (pickle + pipe)": [("connection.py", "send")],
    "waiting for a task (pipe)": [("connection.py", "recv")],
}
PARENT_STAGES: dict[str, list[tuple[str, str]]] = {
    "SQLite: store results": [("store.py", "store_results")],
    "SQLite: inventory rows": [("store.py", "insert_entries")],
    "IPC: wait + receive": [("pool.py", "poll")],
    "planning (pending pages)": [("scheduler.py", "selected_rows"), ("scheduler.py", "pending_rows")],
}


def stage_seconds(stats: pstats.Stats, stages: dict[str, list[tuple[str, str]]]) -> dict[str, float]:
    raw = stats.stats  # type: ignore[attr-defined]
    out: dict[str, float] = {}
    for stage, keys in stages.items():
        total = 0.0
        for (filename, _line, func), (_cc, _nc, _tt, ct, _callers) in raw.items():
            if any(filename.endswith(f) and func == fn for f, fn in keys):
                total += ct
        out[stage] = total
    return out


SCANS = {
    "default": [],
    "like-for-like": ["--analyzers", "hashes,filetype", "--set", "filetype.mime=false"],
}
"""The scans of ``bench/scan_vs_tsk.py``, by name (``--scan``)."""
LAST_CPU: list[float] = [0.0]


def children_cpu() -> float:
    """User + system CPU seconds of every waited-for child process so far."""
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def run(
    image: Path, case: Path, workers: int, profile_dir: Path | None, extra: list[str] | None = None
) -> tuple[float, dict[str, object]]:
    shutil.rmtree(case, ignore_errors=True)
    env = dict(os.environ)
    cmd = [
        *TRIAGE,
        "scan",
        str(image),
        "--case",
        str(case),
        "--workers",
        str(workers),
        "--json",
        *(extra or []),
    ]
    if profile_dir is not None:
        env["TRIAGE_PROFILE_DIR"] = str(profile_dir)
        cmd = [sys.executable, "-m", "cProfile", "-o", str(profile_dir / "parent.prof"), *cmd[1:]]
    t0, cpu0 = time.monotonic(), children_cpu()
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
    wall = time.monotonic() - t0
    LAST_CPU[0] = children_cpu() - cpu0
    if proc.returncode not in (0, 1):
        raise SystemExit(f"scan failed ({proc.returncode}): {proc.stderr[-2000:]}")
    from triage.case.store import Case

    with Case.open(case, readonly=True) as c:
        stats = c.scans()[-1]["stats"]
    return wall, stats


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--files", type=int, default=50000)
    ap.add_argument("--bytes", type=float, default=2e9)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--small-files", action="store_true", help="the 200,000 small text files image instead")
    ap.add_argument("--small-folders", type=int, default=400, help="with --small-files: folders of 500 files")
    ap.add_argument("--scan", choices=sorted(SCANS), default="default", help="which scan (default: default)")
    ap.add_argument(
        "--top", type=int, default=0, help="also print the N functions of most own time (workers)"
    )
    ap.add_argument("--no-profile", action="store_true", help="timing counters only")
    args = ap.parse_args()
    if args.small_files:
        from scan_vs_tsk import small_files_image

        image = small_files_image(args.small_folders)
    else:
        image = benchmark_image(args.files, args.bytes)
    info = describe(image)
    with open(image, "rb") as f:  # warm the page cache
        while f.read(16 << 20):
            pass
    print(f"image: {info['files']} files, {int(info['bytes']) / 1e9:.2f} GB; load {os.getloadavg()[0]:.2f}")
    with tempfile.TemporaryDirectory(prefix="scan-profile-") as tmp:
        work = Path(tmp)
        extra = SCANS[args.scan]
        wall, stats = run(image, work / "case", args.workers, None, extra)
        files = int(stats.get("files_done") or stats.get("files") or info["files"])
        cpu = LAST_CPU[0]
        print(
            f"\n(1) {args.scan} scan, --workers {args.workers}: {wall:.1f} s wall, {cpu:.1f} CPU-s "
            f"({1e6 * cpu / max(1, files):.0f} µs/file), load {os.getloadavg()[0]:.2f}"
        )
        per = stats.get("analyzer_seconds") or {}
        for name, secs in sorted(per.items(), key=lambda kv: -kv[1]):
            print(f"  {name:<12} {secs:7.1f} s  ({1e6 * secs / max(1, files):6.0f} µs/file)")
        print(f"  {'sum':<12} {sum(per.values()):7.1f} s of analyzer time over {args.workers} workers")
        if args.no_profile:
            return 0
        prof = work / "prof"
        prof.mkdir()
        wall_p, _ = run(image, work / "case-p", args.workers, prof, extra)
        worker_files = sorted(prof.glob("worker-*.prof"))
        print(f"\n(2) under cProfile: {wall_p:.1f} s wall; {len(worker_files)} worker profiles")
        if worker_files:
            ws = pstats.Stats(*map(str, worker_files))
            total = ws.total_tt  # type: ignore[attr-defined]
            print(f"  workers: {total:.1f} CPU-s profiled in all")
            for stage, secs in stage_seconds(ws, WORKER_STAGES).items():
                print(f"    {stage:<36} {secs:7.1f} s  {100 * secs / max(total, 1e-9):5.1f}%")
            if args.top:
                ws.sort_stats("tottime").print_stats(args.top)
        parent = prof / "parent.prof"
        if parent.is_file():
            ps = pstats.Stats(str(parent))
            total = ps.total_tt  # type: ignore[attr-defined]
            print(f"  parent: {total:.1f} s profiled")
            for stage, secs in stage_seconds(ps, PARENT_STAGES).items():
                print(f"    {stage:<36} {secs:7.1f} s  {100 * secs / max(total, 1e-9):5.1f}%")
            if args.top:
                ps.sort_stats("tottime").print_stats(min(args.top, 12))
        print(json.dumps({"wall": wall, "cpu": cpu, "analyzer_seconds": per, "wall_profiled": wall_p}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
