"""Benchmark: ``triage scan`` against the pipeline examiners already trust, in the same run.

Reference (the C pipeline): ``tsk_recover -e`` to a temporary folder, ``hashdeep -c md5,sha1,sha256 -r``
on it, then ``file -b`` on every extracted file (one pass: ``find -type f -print0 | xargs -0 file -b``).

triage, two scans, each timed against the reference of the same round:

* **default**: ``triage scan --workers N`` with the defaults an examiner gets (every built-in
  analyzer: hashes, file type with MIME and description, identifiers, entropy, interesting files,
  known files; the whole-evidence hash next to the file pass);
* **like-for-like**: ``--analyzers hashes,filetype --set filetype.mime=false`` (what the C pipeline
  computes: three hashes and the ``file -b`` description).

``--rounds R`` (default 2) runs reference, default and like-for-like R times, the order rotated
each round so that no side always runs first on a warm or quiet machine; each ratio is the scan's
time over the reference of its round, and the median is reported. The load average (``uptime``)
is printed beside every time: the machine may be shared. All sides read the same cached image
(``bench/_images.py``) after it has been read once (warm page cache).

``--small-files`` uses the second image instead: 200,000 small text files (400 folders x 500 files
of 10-320 bytes, ``mke2fs -d``), the per-file cost.

Also prints the peak memory (RSS summed over the whole process tree, sampled every 50 ms) of each
side, and checks on the first round that both found the same files with the same SHA-256 values
and how often our description equals ``file -b``.

    .venv/bin/python bench/scan_vs_tsk.py                 # >= 50,000 files, >= 2 GB; minutes
    .venv/bin/python bench/scan_vs_tsk.py --small-files   # 200,000 files of 10-320 bytes
    .venv/bin/python bench/scan_vs_tsk.py --files 3000 --bytes 1e8 --rounds 1   # quick
    .venv/bin/python bench/scan_vs_tsk.py --files 2000 --bytes 1.5e7 --rounds 0 --sandbox-rounds 3

``--sandbox-rounds N`` times the default scan confined and with ``--no-sandbox``, alternating (after
an untimed warm-up pair), and prints the median of the per-pair ratios of wall time (the target:
at most +3 %) and of the CPU seconds of the scan's process tree (steadier on a shared machine);
``--rounds 0`` skips the C pipeline then.
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
from _images import benchmark_image, cache_dir, describe  # noqa: E402

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


SCANS = {
    "default": [],
    "like-for-like": ["--analyzers", "hashes,filetype", "--set", "filetype.mime=false"],
}
"""Extra arguments of each timed scan (``default``: the defaults an examiner gets)."""


def load() -> str:
    """The 1-minute load average, for the record beside each time."""
    return f"load {os.getloadavg()[0]:.2f}"


def run_triage(
    image: Path,
    work: Path,
    workers: int,
    kind: str = "default",
    evidence_hash: bool = True,
    sandbox: bool = True,
) -> dict[str, Any]:
    case = work / f"case-{workers}-{kind}"
    shutil.rmtree(case, ignore_errors=True)
    cpu0 = children_cpu()
    seconds, peak = timed(
        [
            *TRIAGE,
            "scan",
            str(image),
            "--case",
            str(case),
            "--workers",
            str(workers),
            "--json",
            *SCANS[kind],
            *([] if evidence_hash else ["--no-evidence-hash"]),
            *([] if sandbox else ["--no-sandbox"]),
        ]
    )
    cpu = children_cpu() - cpu0
    from triage.case.query import FileQuery
    from triage.case.store import Case

    with Case.open(case, readonly=True) as c:
        scan = c.scans()[-1]
        stats = scan["stats"]
        confined = bool(scan["settings"]["sandbox"]["enabled"])
        rows = [
            (r.sha256, r.description, r.status)
            for r in c.each_file(FileQuery(types=("r",)))
            if r.status != "skipped"
        ]
    shutil.rmtree(case, ignore_errors=True)
    return {
        "workers": workers,
        "kind": kind,
        "seconds": seconds,
        "cpu_seconds": cpu,
        "sandbox": confined,
        "load": os.getloadavg()[0],
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
            t = run_triage(image, work, workers, "default", evidence_hash=on)["seconds"]
            (with_hash if on else without).append(t)
            print(f"  evidence hash {'on ' if on else 'off'}: {t:.1f} s ({load()})", flush=True)
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


def children_cpu() -> float:
    """User + system CPU seconds of the finished (waited-for) process trees of this process."""
    import resource

    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def sandbox_overhead(image: Path, work: Path, workers: int, pairs: int) -> dict[str, Any]:
    """The default scan confined (the default) and with ``--no-sandbox``, alternating (the order flipped
    each pair, after one untimed warm-up pair) so that both see the same machine state. Reports the
    wall-time ratio (the target) and the CPU-seconds ratio of the scan's process tree, which a shared
    machine disturbs much less; each as the median of the per-pair ratios."""
    runs: dict[bool, list[dict[str, Any]]] = {True: [], False: []}
    for i in range(pairs + 1):
        order = (True, False) if i % 2 == 0 else (False, True)
        got: dict[bool, dict[str, Any]] = {}
        for on in order:
            tri = run_triage(image, work, workers, "default", sandbox=on)
            if tri["sandbox"] != on:
                raise SystemExit(f"the scan recorded sandbox {tri['sandbox']}, wanted {on}")
            got[on] = tri
            label = "warm-up " if i == 0 else f"pair {i}: "
            print(
                f"  {label}sandbox {'on ' if on else 'off'}: {tri['seconds']:.1f} s wall, "
                f"{tri['cpu_seconds']:.1f} CPU-s, {tri['files']} files, {tri['failed']} failed ({load()})",
                flush=True,
            )
        if got[True]["sha256"] != got[False]["sha256"]:
            raise SystemExit("confined and unconfined scans found different SHA-256 values")
        if i > 0:
            for on in (True, False):
                got[on].pop("sha256"), got[on].pop("types")
                runs[on].append(got[on])
    wall = [a["seconds"] / b["seconds"] for a, b in zip(runs[True], runs[False], strict=True)]
    cpu = [a["cpu_seconds"] / b["cpu_seconds"] for a, b in zip(runs[True], runs[False], strict=True)]
    wall_med, cpu_med = statistics.median(wall), statistics.median(cpu)
    print(
        f"sandbox cost (--workers {workers}, {pairs} pairs): wall ratio confined/unconfined median "
        f"{wall_med:.3f} ({', '.join(f'{r:.3f}' for r in wall)}) = {100 * (wall_med - 1):+.1f}% (target <= +3%); "
        f"CPU-s ratio median {cpu_med:.3f} ({', '.join(f'{r:.3f}' for r in cpu)}) = {100 * (cpu_med - 1):+.1f}%",
        flush=True,
    )
    return {
        "workers": workers,
        "pairs": pairs,
        "confined": runs[True],
        "unconfined": runs[False],
        "wall_ratios": wall,
        "cpu_ratios": cpu,
        "wall_ratio": wall_med,
        "cpu_ratio": cpu_med,
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


def small_files_image(folders: int = 400, per_folder: int = 500, seed: int = 18) -> Path:
    """The cached per-file-cost image: ``folders x per_folder`` text files of 10-320 bytes (``mke2fs -d``)."""
    import fcntl
    import random

    d = cache_dir()
    target = d / f"small-ext4-{folders}x{per_folder}.img"
    meta = target.with_suffix(".json")
    with open(d / f"{target.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if target.is_file() and meta.is_file():
            return target
        print(f"building {target} (once; cached) …", file=sys.stderr, flush=True)
        t0 = time.monotonic()
        rng = random.Random(seed)
        words = [
            w.encode() for w in "the of and to in is was for on that with as by at from it an be this".split()
        ]
        total = 0
        stage = Path(tempfile.mkdtemp(prefix="small-stage-", dir=d))
        try:
            for i in range(folders):
                folder = stage / f"d{i:03d}"
                folder.mkdir()
                for j in range(per_folder):
                    n = rng.randint(10, 320)
                    text = b" ".join(rng.choice(words) for _ in range(n // 3 + 1))[: n - 1] + b"\n"
                    (folder / f"f{j:03d}.txt").write_bytes(text)
                    total += len(text)
            files = folders * per_folder
            size_kib = (files * 4096 + folders * 8192) // 1024 * 12 // 10 + (files * 256 // 1024) + 65536
            tmp = target.with_suffix(".partial")
            tmp.unlink(missing_ok=True)
            subprocess.run(
                [
                    "mke2fs",
                    "-q",
                    "-F",
                    "-t",
                    "ext4",
                    "-b",
                    "4096",
                    "-N",
                    str(files + folders + 4096),
                    "-L",
                    "triage-small",
                    "-E",
                    "root_owner=0:0",
                    "-d",
                    str(stage),
                    str(tmp),
                    f"{size_kib}k",
                ],
                check=True,
                capture_output=True,
            )
            os.replace(tmp, target)
        finally:
            shutil.rmtree(stage, ignore_errors=True)
        meta.write_text(
            json.dumps(
                {
                    "image": str(target),
                    "files": files,
                    "bytes": total,
                    "folders": folders,
                    "image_size": target.stat().st_size,
                    "build_seconds": round(time.monotonic() - t0, 1),
                    "built": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                },
                indent=2,
            )
        )
    return target


def compare(tri: dict[str, Any], ref_sha: Counter[str], ref_types: dict[str, str]) -> str:
    """Check ``tri``'s SHA-256 multiset against hashdeep and its descriptions against ``file -b``."""
    ours = tri.pop("sha256")
    types = tri.pop("types")
    if not ref_sha:
        return ""
    empty = ours.pop(EMPTY_SHA256, 0)  # tsk_recover does not write empty files
    same = ours == ref_sha
    agree = sum(1 for sha, d in types.items() if ref_types.get(sha) == d)
    tri["same_sha256_as_hashdeep"] = same
    tri["empty_files_not_extracted_by_tsk_recover"] = empty
    tri["description_equals_file"] = round(agree / max(1, len(ref_types)), 4)
    return (
        f"; SHA-256 of non-empty files {'identical to' if same else 'DIFFERENT from'} hashdeep "
        f"({empty} empty files tsk_recover skips); description equals 'file -b' for "
        f"{100 * agree / max(1, len(ref_types)):.1f}% of distinct contents"
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--files", type=int, default=50000, help="at least this many files in the image")
    ap.add_argument("--bytes", type=float, default=2e9, help="at least this many bytes of content")
    ap.add_argument("--small-files", action="store_true", help="the 200,000 small text files image instead")
    ap.add_argument(
        "--small-folders",
        type=int,
        default=400,
        help="with --small-files: folders of 500 files (default 400)",
    )
    ap.add_argument("--workers", type=int, default=2, help="triage worker processes")
    ap.add_argument("--rounds", type=int, default=2, help="rounds of reference, default and like-for-like")
    ap.add_argument("--scaling", action="store_true", help="also time the default scan with 1 worker")
    ap.add_argument(
        "--evidence-hash-pairs",
        type=int,
        default=0,
        help="time the default scan this many times with and without the whole-evidence hash, "
        "alternating, and report its overhead (0: skip)",
    )
    ap.add_argument(
        "--sandbox-rounds",
        type=int,
        default=0,
        help="time the default scan this many times confined and with --no-sandbox, alternating "
        "(after a warm-up pair), and report the sandbox's cost (0: skip); with --rounds 0 only this",
    )
    ap.add_argument("--json", type=Path, default=None, help="also write the results here")
    args = ap.parse_args()
    for tool in ("tsk_recover", "hashdeep", "file", "find", "xargs") if args.rounds > 0 else ():
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} not found")
    image = (
        small_files_image(args.small_folders) if args.small_files else benchmark_image(args.files, args.bytes)
    )
    info = describe(image)
    print(
        f"image: {image} ({info['files']} files, {int(info['bytes']) / 1e9:.3f} GB of content, "
        f"{int(info['image_size']) / 1e9:.2f} GB image)",
        flush=True,
    )
    warm(image)
    result: dict[str, Any] = {"machine": machine(), "image": info, "rounds": []}
    sides = ["reference", *SCANS]
    ratios: dict[str, list[float]] = {k: [] for k in SCANS}
    with tempfile.TemporaryDirectory(prefix="scan-vs-tsk-") as tmp:
        work = Path(tmp)
        ref_sha: Counter[str] = Counter()
        ref_types: dict[str, str] = {}
        for rnd in range(args.rounds):
            order = sides[rnd % len(sides) :] + sides[: rnd % len(sides)]  # rotated each round
            times: dict[str, Any] = {}
            print(f"round {rnd + 1}: {' -> '.join(order)}", flush=True)
            for side in order:
                if side == "reference":
                    ref = reference(image, work)
                    if rnd == 0:
                        ref_sha, ref_types = reference_results(work)
                    shutil.rmtree(work / "recovered", ignore_errors=True)
                    ref["load"] = os.getloadavg()[0]
                    times[side] = ref
                    steps = ", ".join(f"{k} {v['seconds']:.1f} s" for k, v in ref["steps"].items())
                    print(
                        f"  reference: {ref['seconds']:.1f} s ({steps}), peak {mib(ref['peak_rss'])}, {load()}",
                        flush=True,
                    )
                else:
                    tri = run_triage(image, work, args.workers, side)
                    line = (
                        f"  triage {side} (--workers {args.workers}): {tri['seconds']:.1f} s, "
                        f"peak {mib(tri['peak_rss'])}, {tri['files']} files, {load()}"
                    )
                    line += compare(tri, ref_sha if rnd == 0 else Counter(), ref_types)
                    times[side] = tri
                    print(line, flush=True)
            for k in SCANS:
                ratios[k].append(times[k]["seconds"] / times["reference"]["seconds"])
            print(
                "  ratios this round: " + ", ".join(f"{k} {ratios[k][-1]:.2f}" for k in SCANS),
                flush=True,
            )
            result["rounds"].append(times)
        if args.scaling:
            one = run_triage(image, work, 1, "default")
            one.pop("sha256"), one.pop("types")
            result["one_worker"] = one
            print(f"  triage default (--workers 1): {one['seconds']:.1f} s, {load()}", flush=True)
        if args.evidence_hash_pairs > 0:
            result["evidence_hash"] = evidence_hash_overhead(
                image, work, args.workers, args.evidence_hash_pairs
            )
        if args.sandbox_rounds > 0:
            result["sandbox"] = sandbox_overhead(image, work, args.workers, args.sandbox_rounds)
    targets = {"default": 0.75, "like-for-like": 0.4}
    print()
    for k in SCANS if args.rounds > 0 else ():
        med = statistics.median(ratios[k])
        result[f"ratio_{k}"] = med
        print(
            f"ratio triage {k} (--workers {args.workers}) / C pipeline: median {med:.2f} over "
            f"{len(ratios[k])} rounds ({', '.join(f'{r:.2f}' for r in ratios[k])}); target <= {targets[k]}"
        )
    print(json.dumps(result, indent=2, default=str))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
