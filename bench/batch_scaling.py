"""Benchmark: ``triage batch`` throughput with 1 and then 2 workers, on the local pool
(``--cluster local:N``) and on a Dask cluster (one process, one thread each) on 127.0.0.1: files/s
and MiB/s in all and per worker, and the 1 -> 2 scaling of each back end (issue 18, part 5).

    .venv/bin/python bench/batch_scaling.py [--images 1] [--task-files 100] [--min-files 12000 --min-bytes 3e8]
        [--generated --files 3000 --mib 96] [--backends local,dask]

Uses ``bench/_images.py``'s ``benchmark_image()`` when it exists; otherwise it generates an
ext4 image (``--files`` files, about ``--mib`` MiB of random content) and says so. Both runs
must give identical cases (``triage files --json``), or the benchmark fails.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from triage.batch import BatchOptions, BatchRunner, discover
from triage.batch.state import read_events

BIN = Path(sys.executable).parent


def generated_image(dest: Path, files: int, mib: int) -> Path:
    from triage.testing.images import make_ext4

    rng = random.Random(2024)
    per = max(1024, (mib << 20) // files)
    tree: dict[str, Any] = {
        f"/d{i // 200:03d}/f{i:05d}.bin": rng.randbytes(rng.randint(per // 4, per * 7 // 4))
        for i in range(files)
    }
    size = int(sum(len(v) for v in tree.values()) * 1.3) + (16 << 20)
    return make_ext4(dest, tree, size=(size + 4095) // 4096 * 4096, block_size=4096).path


def benchmark_image(
    work: Path, files: int, mib: int, generated: bool = False, shared_args: tuple[int, float] | None = None
) -> tuple[Path, str]:
    if generated:
        return generated_image(
            work / "bench-ext4.img", files, mib
        ), f"generated ext4 ({files} files, ~{mib} MiB)"
    try:
        sys.path.insert(0, str(Path(__file__).parent))
        from _images import benchmark_image as shared  # type: ignore[import-not-found]

        if shared_args:
            return Path(shared(*shared_args)), f"bench/_images.py benchmark_image{shared_args}"
        return Path(shared()), "bench/_images.py benchmark_image()"
    except ImportError:
        return generated_image(
            work / "bench-ext4.img", files, mib
        ), f"generated ext4 ({files} files, ~{mib} MiB; bench/_images.py not present)"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def run_local(workers: int, evidence: Path, out: Path, task_files: int) -> dict[str, Any]:
    """The same batch on the local pool (``--cluster local:N``)."""
    runner = BatchRunner(
        discover([str(evidence)]), BatchOptions(out=out, cluster=f"local:{workers}", task_files=task_files)
    )
    t0 = time.perf_counter()
    result = runner.run()
    return _measured(workers, "local", time.perf_counter() - t0, result, out)


def run_cluster(workers: int, evidence: Path, out: Path, task_files: int) -> dict[str, Any]:
    from distributed import Client

    port = _free_port()
    addr = f"tcp://127.0.0.1:{port}"
    quiet: dict[str, Any] = {
        "stdout": subprocess.DEVNULL,
        "stderr": subprocess.DEVNULL,
        "start_new_session": True,
    }
    procs = [
        subprocess.Popen(
            [str(BIN / "dask"), "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
            **quiet,
        )
    ]
    try:
        procs += [
            subprocess.Popen(
                [
                    str(BIN / "dask"),
                    "worker",
                    addr,
                    "--nworkers",
                    "1",
                    "--nthreads",
                    "1",
                    "--no-dashboard",
                    "--host",
                    "127.0.0.1",
                ],
                **quiet,
            )
            for _ in range(workers)
        ]
        with Client(addr, timeout=60, set_as_default=False) as client:
            client.wait_for_workers(workers, timeout=120)
        runner = BatchRunner(
            discover([str(evidence)]), BatchOptions(out=out, cluster=addr, task_files=task_files)
        )
        t0 = time.perf_counter()
        result = runner.run()
        seconds = time.perf_counter() - t0
    finally:
        for p in reversed(procs):
            p.terminate()
        for p in procs:
            try:
                p.wait(timeout=15)
            except subprocess.TimeoutExpired:
                p.kill()
    return _measured(workers, "dask", seconds, result, out)


def _measured(workers: int, backend: str, seconds: float, result: Any, out: Path) -> dict[str, Any]:
    totals = result.summary["totals"]
    events = read_events(out / "events.jsonl")
    busy = sum(e.get("seconds") or 0.0 for e in events if e["event"] == "task_finished")
    assert totals["files_failed"] == 0 and result.exit_code == 0, result.text
    return {
        "backend": backend,
        "workers": workers,
        "load": round(os.getloadavg()[0], 2),
        "seconds": round(seconds, 2),
        "files": totals["files"],
        "bytes": totals["bytes"],
        "files_per_s": round(totals["files"] / seconds, 1),
        "mib_per_s": round(totals["bytes"] / seconds / 2**20, 2),
        "files_per_s_per_worker": round(totals["files"] / seconds / workers, 1),
        "mib_per_s_per_worker": round(totals["bytes"] / seconds / 2**20 / workers, 2),
        "worker_task_seconds": round(busy, 1),
        "parallelism": round(busy / seconds, 2),
    }


def files_json(case: Path) -> str:
    return subprocess.run(
        [sys.executable, "-m", "triage", "files", str(case), "--json"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def files_json_all(out: Path, images: int) -> list[str]:
    return [files_json(out / "cases" / f"disk{i + 1}") for i in range(images)]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--images", type=int, default=1, help="copies of the image in the batch")
    ap.add_argument("--generated", action="store_true", help="use a generated image, not the shared one")
    ap.add_argument("--min-files", type=int, default=None, help="shared image: at least this many files")
    ap.add_argument("--min-bytes", type=float, default=None, help="shared image: at least this many bytes")
    ap.add_argument("--files", type=int, default=3000)
    ap.add_argument("--mib", type=int, default=96)
    ap.add_argument("--task-files", type=int, default=100)
    ap.add_argument("--backends", default="local,dask", help="local, dask or both (comma separated)")
    args = ap.parse_args()
    os.environ.setdefault("TZ", "UTC")
    with tempfile.TemporaryDirectory(prefix="triage-bench-") as tmp:
        work = Path(tmp)
        image, origin = benchmark_image(
            work,
            args.files,
            args.mib,
            args.generated,
            (args.min_files, args.min_bytes) if args.min_files and args.min_bytes else None,
        )
        evidence = work / "evidence"
        evidence.mkdir()
        for i in range(args.images):  # hard links: same bytes, separate images of the batch
            try:
                os.link(image, evidence / f"disk{i + 1}.img")
            except OSError:
                shutil.copyfile(image, evidence / f"disk{i + 1}.img")
        runners = {"local": run_local, "dask": run_cluster}
        backends = [b.strip() for b in args.backends.split(",") if b.strip()]
        runs = [
            runners[b](n, evidence, work / f"out-{b}-{n}", args.task_files) for b in backends for n in (1, 2)
        ]
        reference = files_json_all(work / f"out-{backends[0]}-1", args.images)
        for r in runs:
            if files_json_all(work / f"out-{r['backend']}-{r['workers']}", args.images) != reference:
                print(f"the {r['backend']} {r['workers']}-worker cases differ", file=sys.stderr)
                return 1
        scaling = {
            b: round(
                next(r["seconds"] for r in runs if r["backend"] == b and r["workers"] == 1)
                / next(r["seconds"] for r in runs if r["backend"] == b and r["workers"] == 2),
                2,
            )
            for b in backends
        }
        print(
            json.dumps(
                {
                    "image": origin,
                    "images": args.images,
                    "task_files": args.task_files,
                    "runs": runs,
                    "scaling_1_to_2": scaling,
                    "cores": os.cpu_count(),
                }
            )
        )
        for r in runs:
            print(
                f"{r['backend']:<5} {r['workers']} worker(s): {r['seconds']:.1f} s, {r['files_per_s']} files/s "
                f"({r['files_per_s_per_worker']} per worker), {r['mib_per_s']} MiB/s "
                f"({r['mib_per_s_per_worker']} per worker), workers busy {r['worker_task_seconds']} s "
                f"(parallelism {r['parallelism']}), load {r['load']}",
                file=sys.stderr,
            )
        for b, ratio in scaling.items():
            print(f"scaling 1 → 2 workers ({b}): {ratio}×", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
