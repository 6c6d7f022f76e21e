"""Crash isolation: a plugin that kills its worker process (``os.abort()``, SIGSEGV) on one
chosen file, or hangs on it, costs only its own results on that file. The scan completes; the
file is scanned again without that plugin, so its hashes and every other analyzer's results are
kept (checked against hashlib), and the plugin's failure is recorded on it naming the plugin, the
method and the reason. Every other file has all its results. A crash that happens only once is
retried and leaves no trace but a complete result."""

from __future__ import annotations

import hashlib
import json
import random
import textwrap
from pathlib import Path
from typing import Any

import pytest
from conftest import run_triage

N_FILES = 60


def _tree() -> dict[str, bytes]:
    rng = random.Random(7)
    tree = {f"/set/f{i:03d}.txt": f"file {i}\n".encode() * rng.randint(1, 400) for i in range(N_FILES // 2)}
    tree.update({f"/set/b{i:03d}.bin": rng.randbytes(rng.randint(10, 90_000)) for i in range(N_FILES // 2)})
    tree["/set/victim.bin"] = b"the chosen one\n" * 100
    return tree


@pytest.fixture(scope="module")
def image(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, bytes]]:
    from triage.testing.images import MiB, ToolMissing, make_ext4

    tree = _tree()
    try:
        built = make_ext4(tmp_path_factory.mktemp("crash") / "crash.img", dict(tree), size=8 * MiB)
    except ToolMissing as exc:
        pytest.skip(f"cannot build fixture image: {exc}")
    return built.path, tree


PLUGIN = """
import os, signal, time
from pathlib import Path
from triage.plugin import Analyzer, hookimpl

MARK = Path({mark!r})

class Crasher(Analyzer):
    name = "crasher"
    version = "1.0.0"

    def start(self, ctx):
        self.ctx = ctx
        if ctx.file.name != "victim.bin":
            return
        if {once!r}:
            if MARK.exists():
                return
            MARK.write_text("crashed once")
        how = {how!r}
        if how == "abort":
            os.abort()
        elif how == "segv":
            os.kill(os.getpid(), signal.SIGSEGV)
        elif how == "hang":
            time.sleep(600)

    def update(self, chunk):
        pass

    def finish(self):
        self.ctx.set_result("crasher_saw", self.ctx.file.name)

@hookimpl
def triage_analyzers():
    return [Crasher]
"""


def _scan(
    tmp_path: Path, image: Path, how: str, once: bool = False, *extra: str
) -> tuple[Any, dict[str, dict]]:
    plugins = tmp_path / "plugins"
    plugins.mkdir()
    (plugins / "crasher.py").write_text(
        textwrap.dedent(PLUGIN.format(mark=str(tmp_path / "case" / "extra" / "mark"), how=how, once=once))
    )
    case = tmp_path / "case"
    proc = run_triage(
        "scan",
        str(image),
        "--case",
        str(case),
        "--plugin-dir",
        str(plugins),
        "--workers",
        "2",
        "--analyzers",
        "hashes,filetype,crasher",
        "--json",
        *extra,
        timeout=240,
    )
    assert "Traceback" not in proc.stderr, proc.stderr
    files = run_triage("files", str(case), "--json", "--regular", check=True)
    rows = {r["path"]: r for r in map(json.loads, files.stdout.splitlines())}
    return proc, rows


def _assert_complete(rows: dict[str, dict], tree: dict[str, bytes], skip: str | None) -> None:
    for path, data in tree.items():
        r = rows[path]
        assert r["status"] == "done", r
        assert r["md5"] == hashlib.md5(data).hexdigest()
        assert r["sha1"] == hashlib.sha1(data).hexdigest()
        assert r["sha256"] == hashlib.sha256(data).hexdigest()
        assert r["mime"] and r["description"], r
        if path == skip:  # the plugin that hung or crashed on it did not run the last time
            assert "crasher_saw" not in r["attributes"], r
        else:
            assert r["attributes"]["crasher_saw"] == path.rsplit("/", 1)[1]


def _victim_errors(case: Path) -> list[dict[str, Any]]:
    errors = run_triage("errors", str(case), "--json").stdout
    rows = [json.loads(line) for line in errors.splitlines() if line.startswith("{")]
    return [r for r in rows if r.get("path") == "/set/victim.bin"]


@pytest.mark.parametrize(("how", "signal_name"), [("abort", "SIGABRT"), ("segv", "SIGSEGV")])
def test_plugin_that_kills_its_worker_costs_its_own_results(
    tmp_path: Path, image: tuple[Path, dict[str, bytes]], how: str, signal_name: str
) -> None:
    path, tree = image
    proc, rows = _scan(tmp_path, path, how)
    assert proc.returncode == 1, proc.stderr  # completed, with the plugin's error recorded
    summary = json.loads(proc.stdout)
    assert summary["status"] == "completed"
    assert summary["failed_files"] == 0
    assert summary["files"] == len(tree)
    _assert_complete(rows, tree, skip="/set/victim.bin")  # the victim's hashes too
    [err] = _victim_errors(tmp_path / "case")
    assert err["source"] == "crasher", err
    assert err["message"].startswith("crasher.start was running when the worker stopped: "), err
    assert signal_name in err["message"] and "twice" in err["message"], err


def test_crash_once_is_retried_and_leaves_complete_results(
    tmp_path: Path, image: tuple[Path, dict[str, bytes]]
) -> None:
    path, tree = image
    proc, rows = _scan(tmp_path, path, "abort", True)
    assert (
        tmp_path / "case" / "extra" / "mark"
    ).exists()  # it did crash once (a confined worker writes only there)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["failed_files"] == 0
    _assert_complete(rows, tree, skip=None)


def test_hang_is_stopped_by_the_file_timeout(tmp_path: Path, image: tuple[Path, dict[str, bytes]]) -> None:
    path, tree = image
    proc, rows = _scan(tmp_path, path, "hang", False, "--file-timeout", "1.5")
    assert proc.returncode == 1, proc.stderr
    assert json.loads(proc.stdout)["failed_files"] == 0
    _assert_complete(rows, tree, skip="/set/victim.bin")  # the victim's hashes too
    [err] = _victim_errors(tmp_path / "case")
    assert err["source"] == "crasher", err
    assert err["message"] == (
        "crasher.start was running when the worker stopped: still reading after 1.5 s "
        "(file timeout); worker stopped; the file was scanned again without crasher, "
        "whose results for it are missing"
    ), err
