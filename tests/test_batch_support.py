"""Helpers for the batch tests: the three-image evidence folder and case comparisons."""

from __future__ import annotations

import io
import json
import os
import random
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stdout
from pathlib import Path
from typing import Any

from fixtures import (
    BuiltImage,
    MiB,
    _ext4_tree,
    _fat_tree,
    build_e01,
    build_ext4,
    build_fat,
    build_split,
    disk_layout,
    make_disk,
    make_ext4,
    make_fat,
)

SECTOR = 512


def build_corrupt_mbr(dir: Path, name: str = "exhibit3.raw") -> tuple[BuiltImage, int]:
    """MBR with FAT16, ext4 and a third ext4 whose superblock is overwritten with garbage.

    Returns the disk and the byte offset of the damaged partition.
    """
    dir.mkdir(parents=True, exist_ok=True)
    work = dir / "_parts"
    work.mkdir(exist_ok=True)
    sizes = [3 * MiB, 4 * MiB, 2 * MiB]
    offsets = disk_layout(sizes)
    fat_tree, fat_del = _fat_tree(seed=4, prefix="/FAT")
    ext_tree, ext_del = _ext4_tree(seed=5)
    fat = make_fat(
        work / "p1.img",
        fat_tree,
        fat_bits=16,
        size=sizes[0],
        delete=fat_del,
        label="PART1",
        volume_id="5EED0001",
        hidden_sectors=offsets[0] // SECTOR,
    )
    ext = make_ext4(
        work / "p2.img",
        ext_tree,
        size=sizes[1],
        delete=ext_del,
        label="part2",
        uuid="7a1e0c5e-5eed-4c0f-9e1d-000000000002",
    )
    victim = make_ext4(
        work / "p3.img",
        {"/victim/lost.txt": b"never seen\n"},
        size=sizes[2],
        label="victim",
        uuid="7a1e0c5e-5eed-4c0f-9e1d-000000000003",
    )
    disk = make_disk(dir / name, "mbr", [(fat, "6", ""), (ext, "83", ""), (victim, "83", "")])
    with open(disk.path, "r+b") as fh:  # ext superblock at +1024; the backups are found only via it
        fh.seek(offsets[2] + 1024)
        fh.write(random.Random(8).randbytes(1024))
    for p in work.iterdir():
        p.unlink()
    work.rmdir()
    return disk, offsets[2]


def build_evidence(dir: Path) -> dict[str, Any]:
    """An E01 set, a split raw set and the damaged MBR disk, with a notes file beside them."""
    ev = dir / "evidence"
    work = dir / "work"
    ev.mkdir(parents=True, exist_ok=True)
    work.mkdir(exist_ok=True)
    e01 = build_e01(ev, build_ext4(work, name="src-ext4.img"), name="exhibit1")
    split = build_split(ev, build_fat(work, name="fat.img"), name="exhibit2")
    mbr, bad = build_corrupt_mbr(ev)
    (ev / "acquisition-notes.txt").write_text("seized 2024-05-01\n")
    for p in work.iterdir():
        p.unlink()
    work.rmdir()
    return {
        "dir": ev,
        "e01": e01,
        "split": split,
        "mbr": mbr,
        "bad_offset": bad,
        "names": ["exhibit1", "exhibit2", "exhibit3"],
    }


def cli_json(*args: str) -> list[dict[str, Any]]:
    """Run a ``triage`` command in-process and parse its JSON lines."""
    from triage.cli import main

    buf = io.StringIO()
    with redirect_stdout(buf):
        code = main(list(args))
    assert code == 0, f"triage {' '.join(args)} exited {code}"
    return [json.loads(line) for line in buf.getvalue().splitlines()]


def case_view(case_dir: Path) -> dict[str, list[dict[str, Any]]]:
    """What an examiner compares: ``triage files --json`` and ``triage findings --json``."""
    return {
        "files": cli_json("files", str(case_dir), "--json"),
        "findings": cli_json("findings", str(case_dir), "--json"),
    }


def sha256_files(paths: list[Path]) -> dict[str, str]:
    import hashlib

    out = {}
    for p in paths:
        h = hashlib.sha256()
        with open(p, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
        out[os.fspath(p)] = h.hexdigest()
    return out


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def stop_process(proc: Any) -> None:
    """Stop a process started in its own session (its whole group), politely first."""
    import signal
    import subprocess

    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=10)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            proc.wait(timeout=10)


@contextmanager
def dask_cluster(workers: int = 2) -> Iterator[dict[str, Any]]:
    """``dask scheduler`` and ``workers`` ``dask worker`` processes (1 process, 1 thread each) on
    127.0.0.1, with ``allowed-failures`` 1 (a task that kills two workers is given up: KilledWorker)."""
    import subprocess
    import sys

    import pytest

    dask = Path(sys.executable).parent / "dask"
    if not dask.exists():
        pytest.skip("the dask command is not installed")
    from distributed import Client

    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    env = {**os.environ, "TZ": "UTC", "DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES": "1"}
    quiet: dict[str, Any] = {
        "stdout": subprocess.DEVNULL,
        "stderr": subprocess.DEVNULL,
        "env": env,
        "start_new_session": True,
    }
    procs = [
        subprocess.Popen(
            [str(dask), "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"], **quiet
        )
    ]
    client = None
    try:
        for _ in range(workers):
            procs.append(
                subprocess.Popen(
                    [str(dask), "worker", address, "--nworkers", "1", "--nthreads", "1"]
                    + ["--no-dashboard", "--host", "127.0.0.1"],
                    **quiet,
                )
            )
        client = Client(address, timeout=60, set_as_default=False)
        client.wait_for_workers(workers, timeout=90)
        yield {"address": address, "client": client}
    finally:
        if client is not None:
            client.close(timeout=5)
        for p in reversed(procs):
            stop_process(p)
