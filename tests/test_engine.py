"""The engine's Python API: the status that the CLI and GUI read (files and bytes done and
total, rate, ETA, current files, per-analyzer time), cancel (from a callback or another
thread) and pause, priority and selection over paged pending rows."""

from __future__ import annotations

import copy
import hashlib
import random
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from triage.case.store import Case
from triage.scan import scheduler as scheduler_mod
from triage.scan.engine import ScanEngine, ScanOptions
from triage.scan.registry import PluginConfig
from triage.scan.status import ScanStatus

N_FILES = 400


def _tree() -> dict[str, bytes]:
    rng = random.Random(11)
    tree = {
        f"/f/{'z' if i % 10 == 0 else 'a'}{i:04d}.bin": rng.randbytes(rng.randint(0, 20_000))
        for i in range(N_FILES)
    }
    tree["/f/large.bin"] = rng.randbytes(3_200_000)
    return tree


@pytest.fixture(scope="module")
def image(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, bytes]]:
    from triage.testing.images import MiB, ToolMissing, make_ext4

    tree = _tree()
    try:
        built = make_ext4(tmp_path_factory.mktemp("engine") / "engine.img", dict(tree), size=24 * MiB)
    except ToolMissing as exc:
        pytest.skip(f"cannot build fixture image: {exc}")
    return built.path, tree


def _options(**kw: Any) -> ScanOptions:
    base: dict[str, Any] = {"analyzers": ["hashes", "filetype"], "workers": 2, "task_files": 8}
    base.update(kw)
    return ScanOptions(**base)


def _stored(case: Case) -> dict[str, dict[str, Any]]:
    return {r["path"]: r for r in case.iter_files("f.type='r'")}


def _assert_all_done(case: Case, tree: dict[str, bytes]) -> None:
    rows = _stored(case)
    for path, data in tree.items():
        assert rows[path]["status"] == "done", rows[path]
        assert rows[path]["sha256"] == hashlib.sha256(data).hexdigest()
        assert rows[path]["md5"] == hashlib.md5(data).hexdigest()


def test_status_reports_progress(image: tuple[Path, dict[str, bytes]], tmp_path: Path) -> None:
    path, tree = image
    seen: list[ScanStatus] = []
    with Case.create(tmp_path / "case") as case:
        summary = ScanEngine(
            case, [path], _options(), on_status=lambda s: seen.append(copy.deepcopy(s))
        ).run()
        _assert_all_done(case, tree)
    total_bytes = sum(len(v) for v in tree.values())
    assert summary.status == "completed" and summary.exit_code == 0
    assert summary.files == len(tree) and summary.bytes == total_bytes
    phases = [s.phase for s in seen]
    assert phases[0] == "inventory" and "content" in phases and phases[-1] == "finished"
    content = [s for s in seen if s.phase == "content"]
    assert all(s.files_total == len(tree) and s.bytes_total == total_bytes for s in content)
    done = [s.files_done for s in content]
    assert done == sorted(done) and done[0] < done[-1]
    last = seen[-1]
    assert (last.files_done, last.bytes_done) == (len(tree), total_bytes)
    assert last.fraction == 1.0 and last.eta == 0.0
    assert last.rate > 0 and last.files_rate > 0
    assert any(s.eta is not None and s.eta > 0 for s in content)
    current = {p for s in content for p in s.current_files}
    assert current <= set(tree), current  # sampled every 0.2 s: may miss quick files (next test)
    assert set(last.analyzer_seconds) == {"hashes", "filetype"}
    assert all(v > 0 for v in last.analyzer_seconds.values())


SLOW_PLUGIN = """
import time
from triage.plugin import Analyzer, hookimpl

class Slow(Analyzer):
    name = "slow"
    version = "0.1.0"
    needs_content = False

    def start(self, ctx):
        self.ctx = ctx

    def finish(self):
        if self.ctx.file.name == "large.bin":
            time.sleep(1.0)

@hookimpl
def triage_analyzers():
    return [Slow]
"""


def test_status_names_the_file_in_flight(image: tuple[Path, dict[str, bytes]], tmp_path: Path) -> None:
    """A file that takes a second (a plugin sleeps on it) is named in the statuses meanwhile."""
    path, tree = image
    plugins = tmp_path / "plugins"
    plugins.mkdir()
    (plugins / "slow.py").write_text(SLOW_PLUGIN)
    config = PluginConfig(plugin_dirs=[str(plugins)], include_user_dir=False, entry_points=False)
    seen: list[ScanStatus] = []
    with Case.create(tmp_path / "case") as case:
        options = _options(analyzers=["hashes", "slow"], plugins=config)
        summary = ScanEngine(case, [path], options, on_status=lambda s: seen.append(copy.deepcopy(s))).run()
    assert summary.status == "completed", summary
    current = [set(s.current_files) for s in seen if s.phase == "content"]
    assert any("/f/large.bin" in c for c in current)
    assert set().union(*current) <= set(tree)


def test_cancel_from_the_status_callback_then_resume(
    image: tuple[Path, dict[str, bytes]], tmp_path: Path
) -> None:
    path, tree = image
    with Case.create(tmp_path / "case") as case:
        engine: ScanEngine

        def on_status(s: ScanStatus) -> None:
            if s.files_done >= 60:
                engine.cancel()

        engine = ScanEngine(case, [path], _options(), on_status=on_status)
        summary = engine.run()
        assert summary.status == "cancelled" and summary.exit_code == 1
        done = case.count_files("f.status='done'")
        assert 60 <= done < len(tree)
        assert case.count_files("f.status='pending'") == len(tree) - done
        assert case.scans()[-1]["status"] == "cancelled"
        again = ScanEngine(case, [path], _options(resume=True)).run()
        assert again.status == "completed"
        assert again.files == len(tree) - done  # nothing stored was scanned again
        _assert_all_done(case, tree)


def test_cancel_from_another_thread_returns_promptly(
    image: tuple[Path, dict[str, bytes]], tmp_path: Path
) -> None:
    path, tree = image
    with Case.create(tmp_path / "case") as case:
        started = threading.Event()
        engine = ScanEngine(
            case,
            [path],
            _options(workers=1, task_files=4),
            on_status=lambda s: started.set() if s.files_done else None,
        )
        result: list[Any] = []
        t = threading.Thread(target=lambda: result.append(engine.run()))
        t.start()
        assert started.wait(60)
        t0 = time.monotonic()
        engine.cancel()
        t.join(30)
        assert not t.is_alive(), "cancel did not stop the scan"
        assert time.monotonic() - t0 < 15
        assert result[0].status == "cancelled"
        assert 0 < case.count_files("f.status='done'") < len(tree)


def test_pause_holds_the_scan_until_unpaused(image: tuple[Path, dict[str, bytes]], tmp_path: Path) -> None:
    path, tree = image
    with Case.create(tmp_path / "case") as case:
        paused_at: list[int] = []
        engine: ScanEngine

        def on_status(s: ScanStatus) -> None:
            if s.files_done >= 40 and not paused_at:
                engine.pause()
                paused_at.append(s.files_done)

        engine = ScanEngine(case, [path], _options(task_files=4), on_status=on_status)
        result: list[Any] = []
        t = threading.Thread(target=lambda: result.append(engine.run()))
        t.start()
        deadline = time.monotonic() + 60
        while not paused_at and time.monotonic() < deadline:
            time.sleep(0.05)
        assert paused_at and engine.status.paused
        time.sleep(1.0)  # tasks in flight finish and are stored …
        held = engine.status.files_done
        time.sleep(1.5)  # … then nothing moves
        assert engine.status.files_done == held
        assert held <= paused_at[0] + 2 * 4  # at most one task per worker was still running
        assert t.is_alive()
        engine.unpause()
        t.join(120)
        assert result[0].status == "completed" and not engine.status.paused
        _assert_all_done(case, tree)


def test_priority_and_select_over_small_pages(
    image: tuple[Path, dict[str, bytes]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path, tree = image
    monkeypatch.setattr(
        scheduler_mod, "PAGE_ROWS", 7
    )  # many pages: keyset paging must not skip or repeat rows
    first = {p for p in tree if p.rsplit("/", 1)[1].startswith("z")}
    with Case.create(tmp_path / "case") as case:
        engine: ScanEngine

        def on_status(s: ScanStatus) -> None:
            if s.files_done >= len(first):
                engine.cancel()

        opts = _options(workers=1, task_files=3, priority=lambda r: 0 if r["name"].startswith("z") else 1)
        engine = ScanEngine(case, [path], opts, on_status=on_status)
        assert engine.run().status == "cancelled"
        done = {p for p, r in _stored(case).items() if r["status"] == "done"}
        assert first <= done and len(done) < len(tree), "priority files were not scanned first"
        assert ScanEngine(case, [path], _options(resume=True)).run().files == len(tree) - len(done)
        _assert_all_done(case, tree)
    with Case.create(tmp_path / "case2") as case:
        seen: list[ScanStatus] = []
        opts = _options(select=lambda r: r["name"].startswith("z"))
        summary = ScanEngine(case, [path], opts, on_status=lambda s: seen.append(copy.deepcopy(s))).run()
        assert summary.files == len(first)
        assert seen[-1].files_total == len(first)
        assert {p for p, r in _stored(case).items() if r["status"] == "done"} == first
        assert case.count_files("f.status='pending'") == len(tree) - len(first)


def test_description_only_leaves_mime_empty(image: tuple[Path, dict[str, bytes]], tmp_path: Path) -> None:
    """``filetype.mime=false`` (the benchmark's like-for-like run): descriptions as usual, no MIME."""
    path, tree = image
    with Case.create(tmp_path / "case") as case:
        ScanEngine(case, [path], _options(options={"filetype": {"mime": False}})).run()
        rows = _stored(case)
    big = rows["/f/large.bin"]
    assert big["description"] == "data" and big["mime"] is None and big["ext_mismatch"] is None
    assert all(rows[p]["description"] for p in tree)


def test_repeated_heads_type_like_libmagic_and_keep_per_file_flags(tmp_path: Path) -> None:
    """The filetype analyzer remembers heads it has typed: files with the same head get libmagic's
    answer for that head, and per-file results (extension mismatch) still follow each file."""
    import magic

    from triage.testing.images import MiB, ToolMissing, make_ext4

    text = b"The quick brown fox jumps over the lazy dog.\n" * 40
    gz = bytes.fromhex("1f8b0800000000000003") + bytes(range(256)) * 4
    tree = {"/a.txt": text, "/b.txt": text, "/c.jpg": text, "/d.gz": gz, "/e.gz": gz, "/f.txt": gz}
    try:
        built = make_ext4(tmp_path / "dup.img", tree, size=8 * MiB)
    except ToolMissing as exc:
        pytest.skip(f"cannot build fixture image: {exc}")
    with Case.create(tmp_path / "case") as case:
        ScanEngine(case, [built.path], _options(workers=1)).run()
        rows = _stored(case)
    for path, data in tree.items():
        assert rows[path]["description"] == magic.from_buffer(data), path
        assert rows[path]["mime"] == magic.from_buffer(data, mime=True), path
    assert rows["/a.txt"]["mime"] == "text/plain" and rows["/d.gz"]["mime"] == "application/gzip"
    assert [p for p in sorted(tree) if rows[p]["ext_mismatch"]] == ["/c.jpg", "/f.txt"]


def test_cancel_through_the_progress_protocol_stops_a_real_scan_midway(
    image: tuple[Path, dict[str, bytes]], tmp_path: Path
) -> None:
    """The one protocol (:mod:`triage.progress`): a :class:`Cancel` token set from the ``on_progress``
    callback stops the scan after the work in hand; the scan is recorded as cancelled, the rest pending."""
    from triage.progress import Cancel, Progress

    path, tree = image
    cancel = Cancel()
    seen: list[Progress] = []

    def on_progress(p: Progress) -> None:
        seen.append(p)
        if p.task == "scan" and p.message.startswith("content") and p.done > 0:
            cancel.cancel("test")

    with Case.create(tmp_path / "case") as case:
        summary = ScanEngine(
            case, [path], _options(workers=1, task_files=4), cancel=cancel, on_progress=on_progress
        ).run()
        assert summary.status == "cancelled" and summary.exit_code == 1
        assert case.scans()[-1]["status"] == "cancelled"
        done = case.count_files("f.status='done'")
        assert 0 < done < len(tree)
        assert case.count_files("f.status='pending'") == len(tree) - done
    assert seen and all(isinstance(p, Progress) and p.task == "scan" for p in seen)
    content = [p for p in seen if p.unit == "bytes"]
    assert content and all(p.total and 0 <= p.done <= p.total for p in content)
