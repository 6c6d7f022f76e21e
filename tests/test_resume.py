"""Resume: SIGKILL the scan process at random points of a fixture scan (start-up, inventory,
content pass), then ``triage scan … --resume``; ``triage files --json`` and
``triage findings --json`` must equal those of an uninterrupted scan. The killed process's
worker children die with it, and the resumed run does not rescan what was stored."""

from __future__ import annotations

import functools
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import psutil
import pytest
from conftest import run_triage, write_pace_plugin

N_FILES = 900
SEED = 20261128


def _tree() -> tuple[dict[str, bytes], list[str]]:
    rng = random.Random(SEED)
    words = b"evidence ledger invoice transfer meeting alpha bravo NIGHTJAR wire account".split()
    tree: dict[str, bytes] = {}
    for i in range(N_FILES):
        folder = f"/d{i % 7}/s{i % 3}"
        kind = i % 4
        if kind == 0:
            tree[f"{folder}/t{i}.txt"] = b" ".join(rng.choice(words) for _ in range(rng.randint(1, 800)))
        elif kind == 1:
            tree[f"{folder}/b{i}.bin"] = rng.randbytes(rng.randint(0, 40_000))
        elif kind == 2:
            tree[f"{folder}/p{i}.jpg"] = b"%PDF-1.4\n" + rng.randbytes(
                rng.randint(10, 3000)
            )  # a lying extension
        else:
            tree[f"{folder}/c{i}.csv"] = b"\n".join(
                b"%d,%d" % (rng.randint(0, 99), j) for j in range(rng.randint(1, 200))
            )
    tree["/large/two-chunks.bin"] = rng.randbytes(2_500_000)  # read in 1 MiB chunks
    deleted = [p for p in list(tree)[5:60:11]]
    return tree, deleted


@pytest.fixture(scope="module")
def image(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from triage.testing.images import MiB, ToolMissing, make_ext4

    tree, deleted = _tree()
    try:
        return make_ext4(
            tmp_path_factory.mktemp("resume") / "resume.img", dict(tree), size=32 * MiB, delete=deleted
        ).path
    except ToolMissing as exc:
        pytest.skip(f"cannot build fixture image: {exc}")


def _start(image: Path, case: Path, *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "triage",
            "scan",
            str(image),
            "--case",
            str(case),
            "--workers",
            "2",
            "--json",
            "--plugin-dir",
            str(_pace_dir()),
            *extra,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "TZ": "UTC"},
    )


@functools.cache
def _pace_dir() -> Path:
    """10 ms a file, no results: a run commits a few hundred files at a time on any machine,
    so a fast machine cannot finish between two kill points."""
    return write_pace_plugin(Path(tempfile.mkdtemp(prefix="triage-pace-")), 0.01)


def _dump(case: Path) -> tuple[list[Any], list[Any]]:
    files = run_triage("files", str(case), "--json", check=True).stdout.splitlines()
    findings = run_triage("findings", str(case), "--json", check=True).stdout.splitlines()
    return [json.loads(x) for x in files], [json.loads(x) for x in findings]


@pytest.fixture(scope="module")
def reference(image: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Any], list[Any], float]:
    case = tmp_path_factory.mktemp("reference") / "case"
    t0 = time.monotonic()
    proc = _start(image, case)
    out, err = proc.communicate(timeout=300)
    seconds = time.monotonic() - t0
    assert proc.returncode == 0, err
    assert json.loads(out)["files"] >= N_FILES
    files, findings = _dump(case)
    assert sum(1 for f in files if f["status"] == "done") >= N_FILES - 10
    assert findings, "the fixture should give findings (lying extensions)"
    return files, findings, seconds


def _progress(case: Path) -> tuple[bool, int]:
    """(inventory done, files with a content result) as committed so far."""
    db = case / "case.sqlite"
    if not db.exists():
        return False, 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
            inv = conn.execute("SELECT COALESCE(MAX(inventory_done), 0) FROM evidence").fetchone()[0]
            done = conn.execute("SELECT COUNT(*) FROM files WHERE status IN ('done','failed')").fetchone()[0]
        return bool(inv), int(done)
    except sqlite3.Error:
        return False, 0


def _kill_when(
    proc: subprocess.Popen[str], case: Path, *, after: float | None = None, done_at_least: int | None = None
) -> str:
    """SIGKILL the scan at the point described; return where it was, or 'finished' if it ended first."""
    t0 = time.monotonic()
    while proc.poll() is None:
        inventoried, done = _progress(case) if done_at_least is not None else (False, 0)
        if (after is not None and time.monotonic() - t0 >= after) or (
            done_at_least is not None and done >= done_at_least
        ):
            children = psutil.Process(proc.pid).children(recursive=True)
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)
            _, alive = psutil.wait_procs(children, timeout=15)
            assert not alive, f"workers outlived the killed scan: {alive}"
            inventoried, done = _progress(case)
            return f"killed with inventory {'done' if inventoried else 'pending'}, {done} files stored"
        time.sleep(0.01)
    proc.communicate()
    return "finished"


def _resume_to_end(image: Path, case: Path) -> dict[str, Any]:
    proc = _start(image, case, "--resume")
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    assert "Traceback" not in err
    return dict(json.loads(out))


@pytest.mark.parametrize("point", range(3))
def test_sigkill_then_resume_equals_uninterrupted(
    point: int, image: Path, tmp_path: Path, reference: tuple[list[Any], list[Any], float]
) -> None:
    files, findings, seconds = reference
    rng = random.Random(SEED + point)
    case = tmp_path / "case"
    proc = _start(image, case)
    if point == 0:  # start-up or inventory
        where = _kill_when(proc, case, after=rng.uniform(0.3, min(2.5, seconds / 3)))
    else:  # somewhere in the content pass
        where = _kill_when(proc, case, done_at_least=rng.randint(1, N_FILES - 50))
    assert where != "finished", "the scan ended before the kill; the fixture is too small for this machine"
    summary = _resume_to_end(image, case)
    assert _dump(case) == (files, findings), where
    _, stored = _progress(case)
    if "inventory done" in where:
        already = int(where.split(", ")[1].split()[0])
        assert summary["files"] == stored - already, "the resumed run rescanned stored files"


def test_repeated_kills_then_resume(
    image: Path, tmp_path: Path, reference: tuple[list[Any], list[Any], float]
) -> None:
    files, findings, _ = reference
    rng = random.Random(SEED)
    case = tmp_path / "case"
    wheres = []
    for i in range(3):
        target = _progress(case)[1] + rng.randint(1, 150)  # this run must store something before it dies
        proc = _start(image, case, *(["--resume"] if i else []))
        wheres.append(_kill_when(proc, case, done_at_least=target))
    assert "finished" not in wheres
    _resume_to_end(image, case)
    assert _dump(case) == (files, findings), wheres
    with sqlite3.connect(case / "case.sqlite") as conn:
        statuses = [r[0] for r in conn.execute("SELECT status FROM scans ORDER BY id")]
    assert statuses == ["interrupted"] * 3 + [
        "completed"
    ]  # each next writer marks the killed run (case lock)


def test_without_resume_a_scanned_image_is_refused(image: Path, tmp_path: Path) -> None:
    case = tmp_path / "case"
    proc = _start(image, case)
    _kill_when(proc, case, done_at_least=10)
    again = run_triage("scan", str(image), "--case", str(case), "--workers", "1")
    assert again.returncode == 2
    assert "--resume" in again.stderr and "Traceback" not in again.stderr
