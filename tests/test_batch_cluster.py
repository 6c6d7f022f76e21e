"""``triage batch`` on a real Dask cluster on 127.0.0.1 (one scheduler, two workers, real
processes) against the single-machine engine: an E01 set, a split raw set and an MBR disk
with one damaged partition. Kills a worker mid-batch, and the batch process itself."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("distributed")

from casedb import sql  # noqa: E402
from test_batch_support import (  # noqa: E402
    build_evidence,
    case_view,
    dask_cluster,
    sha256_files,
    stop_process,
)

from triage.batch.state import read_events  # noqa: E402
from triage.case.store import Case  # noqa: E402
from triage.scan.engine import ScanEngine, ScanOptions  # noqa: E402
from triage.scan.registry import PluginConfig  # noqa: E402

VENV_BIN = Path(sys.executable).parent
PACE_PLUGIN = '''
"""Test plugin: takes a fixed time per file (so a batch can be interrupted mid-way) and
writes one extra file (which must travel back from the Dask worker to the case)."""
import time
from triage.plugin import Analyzer, hookimpl

class Pace(Analyzer):
    name = "pace"
    version = "1.0.0"
    needs_content = False

    def start(self, ctx):
        self.ctx = ctx

    def finish(self):
        time.sleep(0.12)
        if self.ctx.file.name == "readme.txt":
            self.ctx.set_result("pace_note", self.ctx.add_extra_file("note.txt", b"seen by pace\\n"))

@hookimpl
def triage_analyzers():
    return [Pace]
'''


_stop = stop_process


@pytest.fixture(scope="module")
def evidence(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    for tool in ("ewfacquire", "mkfs.fat", "mke2fs", "sfdisk", "mcopy"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} not installed")
    ev = build_evidence(tmp_path_factory.mktemp("batch-evidence"))
    ev["segments"] = sorted(p for p in ev["dir"].iterdir() if p.is_file())
    ev["hashes"] = sha256_files(ev["segments"])
    return ev


@pytest.fixture(scope="module")
def pace_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("pace-plugin")
    (d / "pace.py").write_text(PACE_PLUGIN)
    return d


@pytest.fixture(scope="module")
def reference(
    evidence: dict[str, Any], pace_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Any]:
    """The single-machine result: the local engine, one worker process, per image."""
    root = tmp_path_factory.mktemp("reference")
    paths = {
        "exhibit1": evidence["e01"].path,
        "exhibit2": evidence["split"].path,
        "exhibit3": evidence["mbr"].path,
    }
    views = {}
    for name, path in paths.items():
        with Case.create(root / name) as case:
            ScanEngine(
                case, [path], ScanOptions(workers=1, plugins=PluginConfig(plugin_dirs=[str(pace_dir)]))
            ).run()
        views[name] = case_view(root / name)
    return {"root": root, "views": views}


@pytest.fixture(scope="module")
def cluster() -> Any:
    """``dask scheduler`` and two ``dask worker`` processes (1 process, 1 thread each) on 127.0.0.1."""
    with dask_cluster(2) as c:
        yield c


def _batch(
    evidence: dict[str, Any],
    out: Path,
    cluster: dict[str, Any],
    pace_dir: Path,
    *extra: str,
    source: Path | None = None,
) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "triage",
            "batch",
            str(source or evidence["dir"]),
            "--out",
            str(out),
            "--cluster",
            cluster["address"],
            "--task-files",
            "4",
            "--plugin-dir",
            str(pace_dir),
            "--progress",
            "plain",
            *extra,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "TZ": "UTC"},
        start_new_session=True,
    )


def _wait_event(out: Path, pred: Any, proc: subprocess.Popen[str], timeout: float = 60) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for e in read_events(out / "events.jsonl"):
            if pred(e):
                return e
        if proc.poll() is not None:
            raise AssertionError(f"batch ended before the expected event: {proc.communicate()}")
        time.sleep(0.05)
    raise AssertionError("timed out waiting for a batch event")


def _finish(proc: subprocess.Popen[str], timeout: float = 90) -> tuple[int, str, str]:
    try:
        out, err = proc.communicate(timeout=timeout)
    finally:
        _stop(proc)
    return proc.returncode, out, err


def _evidence_hashes(case_dir: Path) -> list[tuple[Any, ...]]:
    return [
        tuple(r)
        for r in sql(
            case_dir,
            "SELECT e.path, h.md5, h.sha1, h.sha256, h.verified, h.finished IS NOT NULL "
            "FROM evidence e JOIN evidence_hashes h ON h.evidence_id=e.id ORDER BY e.id",
        )
    ]


def _assert_identical(out: Path, reference: dict[str, Any]) -> None:
    for name, expected in reference["views"].items():
        got = case_view(out / "cases" / name)
        # the whole-evidence hash runs beside the cluster's file pass, as in a local scan
        hashes = _evidence_hashes(out / "cases" / name)
        assert hashes and all(h[5] and h[3] for h in hashes), f"{name}: evidence hash not recorded: {hashes}"
        assert hashes == _evidence_hashes(reference["root"] / name), f"{name}: evidence hashes differ"
        assert got["files"] == expected["files"], f"{name}: files differ from the single-machine run"
        assert got["findings"] == expected["findings"], f"{name}: findings differ from the single-machine run"
        assert sorted(
            p.relative_to(out / "cases" / name).as_posix()
            for p in (out / "cases" / name / "extra").rglob("*")
            if p.is_file()
        ) == sorted(
            p.relative_to(reference["root"] / name).as_posix()
            for p in (reference["root"] / name / "extra").rglob("*")
            if p.is_file()
        )


def _summary(out: Path) -> dict[str, Any]:
    import json

    return json.loads((out / "summary.json").read_text())


def test_dask_batch_equals_single_machine(
    evidence: dict[str, Any],
    reference: dict[str, Any],
    cluster: dict[str, Any],
    pace_dir: Path,
    tmp_path: Path,
) -> None:
    out = tmp_path / "batch"
    code, stdout, stderr = _finish(_batch(evidence, out, cluster, pace_dir))
    assert code == 1, stderr  # one image is partial: its damaged partition
    _assert_identical(out, reference)
    summary = _summary(out)
    status = {i["name"]: i for i in summary["images"]}
    assert {n: i["status"] for n, i in status.items()} == {
        "exhibit1": "done",
        "exhibit2": "done",
        "exhibit3": "partial",
    }
    bad = status["exhibit3"]
    assert bad["reason"].startswith(
        f"partition 2 at offset {evidence['bad_offset']} (Linux (0x83)): no file system recognised"
    )
    assert [p["fs_type"] for p in bad["partitions"]] == ["fat16", "ext4", None]
    # the other two partitions are complete: every file the builder put there, scanned
    files = reference["views"]["exhibit3"]["files"]
    found = {f["path"] for f in files if f["type"] == "r" and not f["deleted"] and f["status"] == "done"}
    expected = {p for v in evidence["mbr"].volumes[:2] for p in v.files}
    assert expected <= found and len(expected) > 10
    assert bad["files_done"] == bad["files"] > 0 and bad["files_pending"] == 0
    assert "partition 2 at offset" in stdout and "acquisition-notes.txt" in stdout
    assert summary["ignored"] == [
        {"path": str(evidence["dir"] / "acquisition-notes.txt"), "reason": "ASCII text, no image signature"}
    ]
    events = [e["event"] for e in read_events(out / "events.jsonl")]
    assert events.count("image_finished") == 3 and events[-1] == "batch_finished"
    assert (
        "cluster_connected" in events and events.count("task_finished") == 3 + 2 + 5
    )  # 9, 8 and 17 files, 4 per task
    assert (out / "summary.txt").read_text().count("exhibit") >= 3
    # the pace analyzer's extra file came back from a worker into the case
    notes = list((out / "cases" / "exhibit1" / "extra" / "pace").glob("*-note.txt"))
    assert len(notes) == 1 and notes[0].read_bytes() == b"seen by pace\n"


def test_worker_killed_mid_batch(
    evidence: dict[str, Any],
    reference: dict[str, Any],
    cluster: dict[str, Any],
    pace_dir: Path,
    tmp_path: Path,
) -> None:
    out = tmp_path / "batch"
    proc = _batch(evidence, out, cluster, pace_dir)
    client = cluster["client"]
    _wait_event(out, lambda e: e["event"] == "task_finished", proc)
    busy = [
        w for w, keys in client.processing().items() if any(str(k).startswith("triage-scan") for k in keys)
    ]
    pids = client.run(os.getpid)
    victim = busy[0] if busy else sorted(pids)[0]
    os.kill(pids[victim], signal.SIGKILL)
    code, _, stderr = _finish(proc)
    assert code == 1, stderr
    events = read_events(out / "events.jsonl")
    lost = [e for e in events if e["event"] == "worker_lost" and e["worker"] == victim]
    assert len(lost) == 1, "the kill was not noticed"
    moved = [e for e in events if e["event"] == "task_rescheduled"]
    assert len(moved) == lost[0]["tasks"] and all(e["worker"] == victim for e in moved)
    if busy:
        assert moved, "the task running on the killed worker was not reported as rescheduled"
    unfinished = [e for e in events if e["event"] == "image_finished"]
    assert len(unfinished) == 3
    _assert_identical(out, reference)
    summary = _summary(out)
    assert summary["totals"]["files_failed"] == 0
    assert not [e for e in events if e["event"] == "file_failed"]
    client.wait_for_workers(2, timeout=60)  # the nanny restarts the killed worker


def test_resume_after_batch_killed(
    evidence: dict[str, Any],
    reference: dict[str, Any],
    cluster: dict[str, Any],
    pace_dir: Path,
    tmp_path: Path,
) -> None:
    out = tmp_path / "batch"
    proc = _batch(evidence, out, cluster, pace_dir)
    _wait_event(out, lambda e: e["event"] == "image_finished", proc)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    _stop(proc)
    before = {}
    for name in ("exhibit1", "exhibit2", "exhibit3"):
        with Case.open(out / "cases" / name, readonly=True) as case:
            before[name] = (
                case.count_files("f.type='r' AND f.status='done'"),
                case.count_files("f.type='r'"),
            )
    assert any(0 < done < total or done == 0 for done, total in before.values()), before
    first_run = len(read_events(out / "events.jsonl"))
    code, stdout, stderr = _finish(_batch(evidence, out, cluster, pace_dir, "--resume"))
    assert code == 1, stderr
    _assert_identical(out, reference)
    second = read_events(out / "events.jsonl")[first_run:]
    skipped = {e["image"] for e in second if e["event"] == "image_skipped"}
    assert skipped, "a finished image was scanned again"
    for name, (_done, total) in before.items():
        if total == 0:  # killed before its inventory was committed: the resumed run redid it
            with Case.open(out / "cases" / name, readonly=True) as case:
                before[name] = (0, case.count_files("f.type='r'"))
    for e in second:
        if e["event"] == "content_started":  # only what the killed run had not stored
            done, total = before[e["image"]]
            assert (e["done"], e["pending"]) == (done, total - done)
    assert sum(e["files"] for e in second if e["event"] == "task_finished") == sum(
        total - done for name, (done, total) in before.items() if name not in skipped
    )
    assert {i["name"]: i["status"] for i in _summary(out)["images"]}["exhibit3"] == "partial"


def test_evidence_unchanged(evidence: dict[str, Any]) -> None:
    assert sha256_files(evidence["segments"]) == evidence["hashes"]
