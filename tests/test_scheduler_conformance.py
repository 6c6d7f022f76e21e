"""One conformance module for the scan scheduler's two back ends: local worker processes
(``triage batch`` without ``--cluster``: ScanEngine over WorkerPool) and Dask (``--cluster`` on a
loopback cluster of real ``dask worker`` processes). Both run the same batch over the same image
with the same test plugin, and must leave the same final case state, checked with one oracle
(hashlib over the files written into the image):

* ``segv.bin``: the plugin kills its worker natively (SIGSEGV) inside ``update``: the file is the
  culprit, scanned again without that analyzer (its hashes are right) and the analyzer's failure is
  recorded on it, naming ``conform.update``;
* ``kill.bin``: the worker is killed (SIGKILL) while the engine itself reads the file: the task is
  retried, and the file then recorded as failed with the reason;
* ``raise.bin``: the analyzer raises: recorded on the file, which is otherwise complete;
* every other file is complete, with the plugin's result.
"""

from __future__ import annotations

import hashlib
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("distributed")

from conftest import write_pace_plugin  # noqa: E402
from test_batch_support import dask_cluster  # noqa: E402

from triage.case.query import FileQuery  # noqa: E402
from triage.case.store import Case  # noqa: E402

PLUGIN = '''
"""Conformance plugin: crashes, kills and raises on chosen files."""
import os
import signal

import triage.evidence.content as _content
from triage.plugin import Analyzer, hookimpl

ARMED = [False]
_open_file = _content.EvidenceCache.open_file


def _dying_open_file(self, *args, **kwargs):  # the engine's own reading of kill.bin kills the worker
    if ARMED[0]:
        ARMED[0] = False
        os.kill(os.getpid(), signal.SIGKILL)
    return _open_file(self, *args, **kwargs)


_content.EvidenceCache.open_file = _dying_open_file


class Conform(Analyzer):
    name = "conform"
    version = "1.0.0"
    phase = 0  # start() runs before the engine opens the file

    def start(self, ctx):
        self.ctx = ctx
        ARMED[0] = ctx.file.name.endswith("kill.bin")

    def update(self, chunk):
        if self.ctx.file.name.endswith("segv.bin"):
            os.kill(os.getpid(), signal.SIGSEGV)

    def finish(self):
        if self.ctx.file.name.endswith("raise.bin"):
            raise ValueError("conformance: raised on raise.bin")
        self.ctx.set_result("conform_saw", self.ctx.file.name)


@hookimpl
def triage_analyzers():
    return [Conform]
'''

VICTIMS = ("segv.bin", "kill.bin", "raise.bin")


def _tree() -> dict[str, bytes]:
    rng = random.Random(16)
    tree = {f"/set/f{i:02d}.bin": rng.randbytes(rng.randint(100, 20_000)) for i in range(14)}
    for i, name in enumerate(VICTIMS):  # one victim in each task of four files
        tree[f"/set/f{4 * i + 1:02d}{name}"] = f"victim {name}\n".encode() * 50
    return tree


@pytest.fixture(scope="module")
def image(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, bytes]]:
    from triage.testing.images import MiB, ToolMissing, make_ext4

    tree = _tree()
    folder = tmp_path_factory.mktemp("conformance")
    try:
        built = make_ext4(folder / "image" / "conform.img", dict(tree), size=4 * MiB)
    except ToolMissing as exc:
        pytest.skip(f"cannot build fixture image: {exc}")
    return built.path, tree


@pytest.fixture(scope="module")
def plugin(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("conform-plugin")
    (d / "conform.py").write_text(PLUGIN)
    return d


def _batch(image: Path, out: Path, plugin: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "triage", "batch", str(image.parent), "--out", str(out)]
        + ["--plugin-dir", str(plugin), "--analyzers", "hashes,conform", "--task-files", "4", *extra],
        capture_output=True,
        text=True,
        timeout=300,
        env={**__import__("os").environ, "TZ": "UTC"},
    )


def _kind(source: str, message: str) -> str:
    """A recorded problem, without the back end's words for how a worker died."""
    if "conform.update was running when the worker stopped" in message and "without conform" in message:
        return f"{source}: left out after crashing its worker"
    if "finish raised ValueError: conformance: raised on raise.bin" in message:
        return f"{source}: raised"
    if "while reading this file" in message:
        return f"{source}: killed its worker while the engine read it"
    return f"{source}: {message}"


def _state(case_dir: Path) -> dict[str, Any]:
    """The final case state the oracle compares: every regular file and the problems on it."""
    with Case.open(case_dir, readonly=True) as case:
        problems: dict[int, list[str]] = {}
        for p in case.select_problems():
            if p.file_id is not None:
                problems.setdefault(p.file_id, []).append(_kind(p.source, p.message))
        return {
            r.path: {
                "status": r.status,
                "sha256": r.sha256,
                "conform_saw": r.attributes.get("conform_saw"),
                "error": None if r.error is None else _kind("file", r.error),
                "problems": sorted(problems.get(r.id, [])),
            }
            for r in case.each_file(FileQuery(types=("r",)))
        }


def _expected(tree: dict[str, bytes]) -> dict[str, Any]:
    out = {}
    for path, data in tree.items():
        name = path.rsplit("/", 1)[1]
        victim = next((v for v in VICTIMS if name.endswith(v)), None)
        killed = victim == "kill.bin"
        out[path] = {
            "status": "failed" if killed else "done",
            "sha256": None if killed else hashlib.sha256(data).hexdigest(),
            "conform_saw": None if victim else name,
            "error": "file: killed its worker while the engine read it" if killed else None,
            "problems": {
                "segv.bin": ["conform: left out after crashing its worker"],
                "kill.bin": ["engine: killed its worker while the engine read it"],
                "raise.bin": ["conform: raised"],
            }.get(victim or "", []),
        }
    return out


def test_both_back_ends_leave_the_same_case(
    image: tuple[Path, dict[str, bytes]], plugin: Path, tmp_path: Path
) -> None:
    path, tree = image
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    expected = _expected(tree)
    local = _batch(path, tmp_path / "local", plugin)
    assert local.returncode == 1, local.stderr  # one failed file: a partial image
    states = {"local": _state(tmp_path / "local" / "cases" / "conform")}
    with dask_cluster(2) as cluster:
        dask = _batch(path, tmp_path / "dask", plugin, "--cluster", cluster["address"])
    assert dask.returncode == 1, dask.stderr
    states["dask"] = _state(tmp_path / "dask" / "cases" / "conform")
    for backend, state in states.items():
        assert state == expected, f"{backend}: the case differs from the oracle"
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before  # evidence is read-only


@pytest.mark.parametrize("backend", ["local", "dask"])
def test_cancelled_batch_is_recorded_and_resumes_without_loss(
    backend: str, image: tuple[Path, dict[str, bytes]], tmp_path: Path
) -> None:
    """Cancelling a batch stops handing out work, keeps what was stored and records the scan as
    cancelled; ``--resume`` scans only what is left, and the case ends complete, each file once."""
    import threading
    import time
    from contextlib import nullcontext

    from triage.batch import BatchOptions, BatchRunner, discover
    from triage.progress import Cancel
    from triage.scan.registry import PluginConfig

    path, tree = image
    pace = write_pace_plugin(tmp_path / "pace", 0.3)
    out = tmp_path / "batch"
    with dask_cluster(2) if backend == "dask" else nullcontext({"address": "local:2"}) as cluster:
        options = BatchOptions(
            out=out,
            cluster=cluster["address"],
            analyzers=["hashes", "pace"],
            plugins=PluginConfig(plugin_dirs=[str(pace)]),
            task_files=2,
        )
        token = Cancel()
        runner = BatchRunner(discover([str(path.parent)]), options, cancel=token)
        done: dict[str, Any] = {}
        thread = threading.Thread(target=lambda: done.update(result=runner.run()))
        thread.start()
        deadline = time.monotonic() + 120
        while runner.images["conform"].files_done < 1 and time.monotonic() < deadline:
            time.sleep(0.02)
        token.set()
        thread.join(120)
        assert not thread.is_alive()
        first = done["result"]
        assert first.summary["batch"]["cancelled"] is True
        assert first.exit_code != 0
        case_dir = out / "cases" / "conform"
        with Case.open(case_dir, readonly=True) as case:
            scans = case.scans()
            stats = case.file_stats(FileQuery(types=("r",)))
            audit = [e for e in case.audit_log() if e.action == "scan.finished"]
        assert [s["status"] for s in scans] == ["cancelled"]
        assert audit[-1].details["status"] == "cancelled"
        assert 0 < stats.done < len(tree) and stats.pending == len(tree) - stats.done
        again = BatchRunner(
            discover([str(path.parent)]), BatchOptions(**{**options.__dict__, "resume": True})
        )
        second = again.run()
    assert second.exit_code == 0, second.text
    with Case.open(case_dir, readonly=True) as case:
        assert [s["status"] for s in case.scans()] == ["cancelled", "completed"]
        files = case.select_files(FileQuery(types=("r",)))
    assert sorted(f.path for f in files) == sorted(tree)  # each file once
    assert {f.path: (f.status, f.sha256) for f in files} == {
        p: ("done", hashlib.sha256(data).hexdigest()) for p, data in tree.items()
    }
