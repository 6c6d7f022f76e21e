"""Benchmark: ``triage scan`` against the pipeline examiners already trust, in the same run.

Reference: ``tsk_recover -e`` to a temporary folder, ``hashdeep -c md5,sha1,sha256 -r`` on it,
then ``file -b`` on every extracted file (one pass: ``find -type f -print0 | xargs -0 file -b``).
triage: ``triage scan --workers N --analyzers hashes,filetype`` (MD5, SHA-1, SHA-256, libmagic
MIME type and description). Both read the same cached image (``bench/_images.py``) after it
has been read once, so both start with a warm page cache.

Prints wall times, the ratio, and the peak memory (RSS summed over the whole process tree,
sampled every 50 ms) of each side; checks that both found the same files with the same
SHA-256 values and how often our description equals ``file -b``.

    .venv/bin/python bench/scan_vs_tsk.py                 # >= 50,000 files, >= 2 GB; minutes
    .venv/bin/python bench/scan_vs_tsk.py --files 3000 --bytes 1e8 --workers 2   # 0.1 GB of small files
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _images import benchmark_image, describe  # noqa: E402

TRIAGE = [sys.executable, "-m", "triage"]
EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"


class TreeSampler:
    """Peak RSS of a process and all its descendants, sampled in a thread."""

    def __init__(self, pid: int, interval: float = 0.05) -> None:
        self.pid, self.interval, self.peak = pid, interval, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                root = psutil.Process(self.pid)
                procs = [root, *root.children(recursive=True)]
            except psutil.Error:
                return
            total = 0
            for p in procs:
                try:
                    total += p.memory_info().rss
                except psutil.Error:
                    pass
            self.peak = max(self.peak, total)
            time.sleep(self.interval)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak


def timed(
    cmd: list[str] | str, *, shell: bool = False, stdout: Any = subprocess.DEVNULL, cwd: Path | None = None
) -> tuple[float, int]:
    """Run a command; return (wall seconds, peak tree RSS in bytes)."""
    t0 = time.monotonic()
    proc = subprocess.Popen(cmd, shell=shell, stdout=stdout, stderr=subprocess.PIPE, cwd=cwd)
    sampler = TreeSampler(proc.pid)
    _, err = proc.communicate()
    seconds = time.monotonic() - t0
    peak = sampler.stop()
    if proc.returncode not in (0, 1):
        raise SystemExit(
            f"{cmd if isinstance(cmd, str) else ' '.join(cmd)} failed ({proc.returncode}): "
            f"{err.decode(errors='replace')[-2000:]}"
        )
    return seconds, peak


def warm(image: Path) -> None:
    with open(image, "rb") as f:
        while f.read(16 << 20):
            pass


def reference(image: Path, work: Path) -> dict[str, Any]:
    out = work / "recovered"
    steps: dict[str, Any] = {}
    steps["tsk_recover"] = timed(["tsk_recover", "-e", str(image), str(out)])
    with open(work / "hashdeep.txt", "wb") as f:
        steps["hashdeep"] = timed(["hashdeep", "-c", "md5,sha1,sha256", "-r", "-l", "."], stdout=f, cwd=out)
    with open(work / "file.txt", "wb") as f:  # one pass; tee keeps the order of names for the comparison
        steps["file"] = timed(
            "find . -type f -print0 | tee ../names.bin | xargs -0 file -b", shell=True, stdout=f, cwd=out
        )
    return {
        "seconds": sum(s for s, _ in steps.values()),
        "peak_rss": max(p for _, p in steps.values()),
        "steps": {k: {"seconds": round(s, 2), "peak_rss": p} for k, (s, p) in steps.items()},
    }


def reference_results(work: Path) -> tuple[Counter[str], dict[str, str]]:
    """SHA-256 multiset from hashdeep and ``file`` descriptions by SHA-256 (one per digest)."""
    sha_by_path: dict[str, str] = {}
    for line in (work / "hashdeep.txt").read_text(errors="replace").splitlines():
        if line.startswith(("%", "#")) or not line.strip():
            continue
        size, md5, sha1, sha256, path = line.split(",", 4)
        sha_by_path[os.path.normpath(path)] = sha256
    types: dict[str, str] = {}
    names = (work / "names.bin").read_bytes().decode("utf-8", "surrogateescape").split("\0")[:-1]
    descriptions = (work / "file.txt").read_text(errors="replace").splitlines()
    if len(names) == len(descriptions):
        for path, desc in zip(names, descriptions, strict=True):
            sha = sha_by_path.get(os.path.normpath(path))
            if sha is not None:
                types[sha] = desc
    return Counter(sha_by_path.values()), types


def run_triage(
    image: Path, work: Path, workers: int, mime: bool = True, evidence_hash: bool = True
) -> dict[str, Any]:
    case = work / f"case-{workers}-{mime}"
    shutil.rmtree(case, ignore_errors=True)
    seconds, peak = timed(
        [
            *TRIAGE,
            "scan",
            str(image),
            "--case",
            str(case),
            "--workers",
            str(workers),
            "--analyzers",
            "hashes,filetype",
            "--hash",
            "md5,sha1,sha256",
            "--json",
            "--set",
            f"filetype.mime={'true' if mime else 'false'}",
            *([] if evidence_hash else ["--no-evidence-hash"]),
        ]
    )
    from triage.case.query import FileQuery
    from triage.case.store import Case

    with Case.open(case, readonly=True) as c:
        stats = c.scans()[-1]["stats"]
        rows = [
            (r.sha256, r.description, r.status)
            for r in c.each_file(FileQuery(types=("r",)))
            if r.status != "skipped"
        ]
    return {
        "workers": workers,
        "mime": mime,
        "seconds": seconds,
        "peak_rss": peak,
        "files": len(rows),
        "failed": sum(1 for r in rows if r[2] == "failed"),
        "analyzer_seconds": stats.get("analyzer_seconds"),
        "sha256": Counter(r[0] for r in rows if r[0]),
        "types": {r[0]: r[1] for r in rows if r[0]},
    }


def evidence_hash_overhead(image: Path, work: Path, workers: int, pairs: int) -> dict[str, Any]:
    """The default scan with and without the whole-evidence hash (MD5/SHA-1/SHA-256 of the media in its own
    process next to the file pass), alternating so that both see the same machine state; medians compared."""
    with_hash: list[float] = []
    without: list[float] = []
    for i in range(pairs):
        order = (True, False) if i % 2 == 0 else (False, True)
        for on in order:
            t = run_triage(image, work, workers, True, evidence_hash=on)["seconds"]
            (with_hash if on else without).append(t)
            print(f"  evidence hash {'on ' if on else 'off'}: {t:.1f} s", flush=True)
    shutil.rmtree(work / f"case-{workers}-True", ignore_errors=True)
    on_s, off_s = statistics.median(with_hash), statistics.median(without)
    overhead = (on_s - off_s) / off_s
    print(
        f"evidence hash overhead (--workers {workers}, median of {pairs}): {on_s:.1f} s vs {off_s:.1f} s = "
        f"{100 * overhead:+.1f}% (target <= +10%)",
        flush=True,
    )
    cost = hash_cpu_seconds(image)
    floor = cost / max(1, os.cpu_count() or 1) / off_s
    print(
        f"  the hash alone: {cost:.1f} CPU-s for {image.stat().st_size / 1e9:.2f} GB on one core; with every core "
        f"busy its floor is about {100 * floor:.1f}% of this scan",
        flush=True,
    )
    return {
        "workers": workers,
        "pairs": pairs,
        "with": with_hash,
        "without": without,
        "overhead": overhead,
        "hash_cpu_seconds": cost,
        "floor": floor,
    }


def hash_cpu_seconds(image: Path) -> float:
    """CPU seconds of MD5 + SHA-1 + SHA-256 over the image with the evidence hash's own hashers."""
    from triage.evidence.resumable import ResumableHashes

    hashes = ResumableHashes()
    t0 = time.process_time()
    with open(image, "rb", buffering=0) as f:
        for block in iter(lambda: f.read(4 << 20), b""):
            hashes.update(block)
    return time.process_time() - t0


def machine() -> dict[str, str]:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    free = subprocess.run(["free", "-h"], capture_output=True, text=True).stdout.strip()
    return {
        "nproc": str(os.cpu_count()),
        "cpu": cpu,
        "free": free,
        "python": platform.python_version(),
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "file": subprocess.run(["file", "--version"], capture_output=True, text=True).stdout.splitlines()[0],
        "load": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


def mib(n: int) -> str:
    return f"{n / 2**20:.0f} MiB"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--files", type=int, default=50000, help="at least this many files in the image")
    ap.add_argument("--bytes", type=float, default=2e9, help="at least this many bytes of content")
    ap.add_argument("--workers", default="2,1", help="triage worker counts to time (first one is compared)")
    ap.add_argument("--skip-reference", action="store_true")
    ap.add_argument(
        "--no-like-for-like",
        action="store_true",
        help="skip the run that computes only the description (what file -b computes)",
    )
    ap.add_argument(
        "--evidence-hash-pairs",
        type=int,
        default=1,
        help="time the default scan this many times with and without the whole-evidence hash, "
        "alternating, and report its overhead (0: skip)",
    )
    ap.add_argument("--json", type=Path, default=None, help="also write the results here")
    args = ap.parse_args()
    for tool in ("tsk_recover", "hashdeep", "file", "find", "xargs"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} not found")
    image = benchmark_image(args.files, args.bytes)
    info = describe(image)
    print(
        f"image: {image} ({info['files']} files, {int(info['bytes']) / 1e9:.2f} GB of content, "
        f"{int(info['image_size']) / 1e9:.2f} GB image)",
        flush=True,
    )
    warm(image)
    result: dict[str, Any] = {"machine": machine(), "image": info, "triage": []}
    with tempfile.TemporaryDirectory(prefix="scan-vs-tsk-") as tmp:
        work = Path(tmp)
        ref_sha: Counter[str] = Counter()
        ref_types: dict[str, str] = {}
        if not args.skip_reference:
            print("reference: tsk_recover -e, hashdeep, file …", flush=True)
            ref = reference(image, work)
            ref_sha, ref_types = reference_results(work)
            result["reference"] = ref
            steps = ", ".join(f"{k} {v['seconds']:.1f} s" for k, v in ref["steps"].items())
            print(f"  reference: {ref['seconds']:.1f} s ({steps}), peak {mib(ref['peak_rss'])}", flush=True)
            shutil.rmtree(work / "recovered", ignore_errors=True)
        runs = [(int(x), True) for x in args.workers.split(",") if x.strip()]
        if not args.no_like_for_like:
            runs.insert(1, (runs[0][0], False))
        for n, mime in runs:
            label = f"--workers {n}" + ("" if mime else ", description only (like file -b)")
            print(f"triage scan {label} …", flush=True)
            tri = run_triage(image, work, n, mime)
            line = (
                f"  triage {label}: {tri['seconds']:.1f} s, peak {mib(tri['peak_rss'])}, {tri['files']} files"
            )
            if ref_sha:
                ours = tri["sha256"]
                empty = ours.pop(EMPTY_SHA256, 0)  # tsk_recover does not write empty files
                same = ours == ref_sha
                agree = sum(1 for sha, d in tri["types"].items() if ref_types.get(sha) == d)
                tri["same_sha256_as_hashdeep"] = same
                tri["empty_files_not_extracted_by_tsk_recover"] = empty
                tri["description_equals_file"] = round(agree / max(1, len(ref_types)), 4)
                line += (
                    f"; SHA-256 of non-empty files {'identical to' if same else 'DIFFERENT from'} hashdeep "
                    f"({empty} empty files tsk_recover skips); description equals 'file -b' for "
                    f"{100 * agree / max(1, len(ref_types)):.1f}% of distinct contents"
                )
            print(line, flush=True)
            tri.pop("sha256")
            tri.pop("types")
            result["triage"].append(tri)
            shutil.rmtree(work / f"case-{n}-{mime}", ignore_errors=True)
        if args.evidence_hash_pairs > 0:
            result["evidence_hash"] = evidence_hash_overhead(
                image, work, runs[0][0], args.evidence_hash_pairs
            )
    if "reference" in result:
        first = result["triage"][0]
        result["ratio"] = first["seconds"] / result["reference"]["seconds"]
        print(
            f"\nratio triage(--workers {first['workers']}, MIME + description) / reference = "
            f"{result['ratio']:.2f} (target <= 0.5)"
        )
        like = [t for t in result["triage"] if not t["mime"]]
        if like:
            result["ratio_like_for_like"] = like[0]["seconds"] / result["reference"]["seconds"]
            print(
                f"ratio triage(--workers {like[0]['workers']}, description only, like file -b) / reference = "
                f"{result['ratio_like_for_like']:.2f}"
            )
    if len(result["triage"]) > 1:
        by = {t["workers"]: t["seconds"] for t in result["triage"] if t["mime"]}
        if 1 in by and 2 in by:
            print(f"scaling: 1 worker {by[1]:.1f} s, 2 workers {by[2]:.1f} s, speed-up {by[1] / by[2]:.2f}x")
    print(json.dumps(result, indent=2, default=str))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
