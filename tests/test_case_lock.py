"""One writer per case: a second ``triage scan`` on a case is refused at once (exit 2, naming the
holder's pid); the lock dies with its holder (``kill -9``) and the dead scan reads ``interrupted``;
a case on read-only media opens read-only and prints what it printed before."""

from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import run_triage, write_pace_plugin

from triage.case import lock as writer_lock
from triage.case.store import Case

N_FILES = 40


@pytest.fixture(scope="module")
def image(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from triage.testing.images import MiB, ToolMissing, make_ext4

    tree = {f"/d{i % 5}/f{i}.txt": (b"ledger NIGHTJAR transfer %d\n" % i) * (i + 1) for i in range(N_FILES)}
    tree["/mail/contact.txt"] = b"alice@example.com wrote to bob@example.org\n"
    try:
        return make_ext4(tmp_path_factory.mktemp("lock") / "lock.img", tree, size=8 * MiB).path
    except ToolMissing as exc:
        pytest.skip(f"cannot build fixture image: {exc}")


@functools.cache
def _pace_dir() -> Path:
    """0.35 s a file on one worker: a scan of the fixture runs for about fifteen seconds."""
    return write_pace_plugin(Path(tempfile.mkdtemp(prefix="triage-lock-pace-")), 0.35)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _scan_args(image: Path, case: Path, *extra: str) -> list[str]:
    return [
        "scan",
        str(image),
        "--case",
        str(case),
        "--workers",
        "1",
        "--json",
        "--plugin-dir",
        str(_pace_dir()),
        *extra,
    ]


def _start(image: Path, case: Path, *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "triage", *_scan_args(image, case, *extra)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "TZ": "UTC"},
    )


def _wait_for_content(case: Path, proc: subprocess.Popen[str], done: int = 3, timeout: float = 120) -> None:
    """Until the scan is in its content pass with ``done`` files stored."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, f"the scan ended early: {proc.communicate()}"
        if (case / "case.sqlite").is_file():
            try:
                with Case.open(case, readonly=True) as c:
                    if c.scans() and c.count_files("f.status='done'") >= done:
                        return
            except Exception:
                pass  # still being created
        time.sleep(0.1)
    raise AssertionError("the scan did not reach its content pass")


def _dump(case: Path) -> tuple[list[Any], list[Any]]:
    files = run_triage("files", str(case), "--json", check=True).stdout.splitlines()
    findings = run_triage("findings", str(case), "--json", check=True).stdout.splitlines()
    return [json.loads(x) for x in files], [json.loads(x) for x in findings]


def _without_ids(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: v for k, v in r.items() if k not in ("id", "file_id")} for r in rows]


@pytest.fixture(scope="module")
def reference(image: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Any], list[Any]]:
    """What one scan alone records."""
    case = tmp_path_factory.mktemp("reference") / "case"
    proc = run_triage(*_scan_args(image, case), timeout=600)
    assert proc.returncode == 0, proc.stderr
    files, findings = _dump(case)
    assert len(files) > N_FILES and findings, "the reference scan recorded too little to compare with"
    return files, findings


def test_second_scan_refused_at_once(
    image: Path, tmp_path: Path, reference: tuple[list[Any], list[Any]]
) -> None:
    before = _sha256(image)
    case = tmp_path / "case"
    first = _start(image, case)
    try:
        _wait_for_content(case, first)
        t0 = time.monotonic()  # a plain scan, a --resume and a --rescan: each is a second writer
        others = [_start(image, case, *extra) for extra in ((), ("--resume",), ("--rescan",))]
        request = Path(__file__).resolve().parents[1] / "examples" / "request.toml"
        export = [sys.executable, "-m", "triage", "export", str(case), "--out", str(tmp_path / "bag")]
        others.append(
            subprocess.Popen(
                [*export, "--request", str(request)],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
        )  # an export writes the audit log
        results = [(p, *p.communicate(timeout=120)) for p in others]
        seconds = time.monotonic() - t0
        assert first.poll() is None, "the first scan finished before the others started: nothing was tested"
        assert seconds < 60, f"refused only after {seconds:.1f} s"
        for proc, _out, stderr in results:
            assert proc.returncode == 2, stderr
            lines = stderr.strip().splitlines()
            assert len(lines) == 1, stderr
            assert f"pid {first.pid} on {socket.gethostname()} since 20" in lines[0]
            assert "triage scan" in lines[0] and str(case) in lines[0]
        assert not (tmp_path / "bag").exists()
        # in this process too: the Python API refuses the same way
        with pytest.raises(writer_lock.CaseLocked, match=f"pid {first.pid} "):
            Case.open(case)
        # readers need no lock and see the scan running
        assert run_triage("files", str(case)).returncode == 0
        assert first.poll() is None
        info = json.loads(run_triage("info", str(case), "--json", check=True).stdout)
        assert info["writer"]["pid"] == first.pid and info["scans"][-1]["status"] == "running"
        out, err = first.communicate(timeout=600)
    finally:
        if first.poll() is None:
            first.kill()
            first.wait()
    assert first.returncode == 0, err
    files, findings = _dump(case)
    assert len(files) == len(reference[0]) and len(findings) == len(reference[1])  # no duplicates
    assert _without_ids(files) == _without_ids(reference[0])
    assert _without_ids(findings) == _without_ids(reference[1])
    with Case.open(case, readonly=True) as c:
        assert [s["status"] for s in c.scans()] == ["completed"]
    assert _sha256(image) == before


def test_killed_holder_frees_the_lock_and_its_scan_reads_interrupted(
    image: Path, tmp_path: Path, reference: tuple[list[Any], list[Any]]
) -> None:
    before = _sha256(image)
    case = tmp_path / "case"
    first = _start(image, case)
    try:
        _wait_for_content(case, first)
        holder = writer_lock.live_writer(case)
        assert holder is not None and holder.pid == first.pid
    finally:
        os.kill(first.pid, signal.SIGKILL)
        first.wait()
    assert writer_lock.live_writer(case) is None  # the kernel dropped the lock with the process
    raw = sqlite3.connect(case / "case.sqlite")
    assert raw.execute("SELECT status FROM scans").fetchall() == [("running",)]  # the row itself
    raw.close()
    with Case.open(case, readonly=True) as c:  # as every reader lists it
        assert [s["status"] for s in c.scans()] == ["interrupted"]
    info = run_triage("info", str(case), check=True).stdout
    assert "Scan 1: interrupted" in info and "Writer: none" in info
    # a new writer takes the lock at once, and the case records the dead scan as interrupted
    resumed = run_triage(*_scan_args(image, case, "--resume"), timeout=600)
    assert resumed.returncode == 0, resumed.stderr
    raw = sqlite3.connect(case / "case.sqlite")
    assert raw.execute("SELECT id, status FROM scans ORDER BY id").fetchall() == [
        (1, "interrupted"),
        (2, "completed"),
    ]
    events = [
        json.loads(d) for (d,) in raw.execute("SELECT details FROM audit WHERE action='scan.interrupted'")
    ]
    raw.close()
    assert events == [
        {
            "scan_id": 1,
            "holder": {
                "pid": first.pid,
                "host": socket.gethostname(),
                "since": events[0]["holder"]["since"],
                "command": "triage scan",
            },
        }
    ]
    files, findings = _dump(case)
    assert _without_ids(files) == _without_ids(reference[0])
    assert _without_ids(findings) == _without_ids(reference[1])
    assert _sha256(image) == before


def test_lock_is_shared_within_one_process(tmp_path: Path) -> None:
    """The GUI holds the lock for its session and its scan engine opens the case again."""
    with Case.create(tmp_path / "c") as outer:
        with Case.open(tmp_path / "c") as inner:
            assert inner.lock is outer.lock and outer.lock is not None and outer.lock.count == 2
        assert outer.lock.count == 1
        assert writer_lock.live_writer(tmp_path / "c") == outer.lock.holder
    assert writer_lock.live_writer(tmp_path / "c") is None
    assert (tmp_path / "c" / writer_lock.LOCK_NAME).read_bytes() == b""  # a clean release leaves no holder


def test_gui_session_opens_read_only_while_another_process_writes(tmp_path: Path) -> None:
    pytest.importorskip("PySide6")
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "ui"))
    from triage_ui.session import CaseSession

    from triage.errors import CaseError

    case = tmp_path / "c"
    Case.create(case).close()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\nfrom triage.case.store import Case\n"
            f"c = Case.open({str(case)!r})\nprint('locked', flush=True)\ntime.sleep(60)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        session = CaseSession(case)
        try:
            assert session.readonly_reason and f"pid {holder.pid}" in session.readonly_reason
            assert session.ro.scans() == []
            with pytest.raises(CaseError, match="read-only"):
                session.tag([1], "x")
        finally:
            session.close()
    finally:
        holder.kill()
        holder.wait()
    session = CaseSession(case)  # the holder is gone: read-write again
    try:
        assert session.readonly_reason is None and session.rw.lock is not None
        # and now the GUI is the writer: a CLI scan into its case is refused, naming this process
        img = Path(__file__).resolve().parents[1] / "examples" / "demo.raw"
        scan = run_triage("scan", str(img), "--case", str(case))
        assert scan.returncode == 2 and f"pid {os.getpid()} " in scan.stderr, scan.stderr
    finally:
        session.close()


# -- read-only media ------------------------------------------------------------------------
@pytest.fixture
def mounted(tmp_path: Path) -> Iterator[Path]:
    """A small tmpfs (root can mount one and remount it read-only; skip when not permitted)."""
    mp = tmp_path / "mnt"
    mp.mkdir()
    proc = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", str(mp)], capture_output=True, text=True
    )
    if proc.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here (needed for real read-only media): {proc.stderr.strip()}")
    try:
        yield mp
    finally:
        subprocess.run(["umount", "-l", str(mp)], check=False)


def _remount_ro(mp: Path) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(mp)], check=True)
    with pytest.raises(OSError):
        (mp / "probe").write_bytes(b"")  # read-only for root too


@pytest.fixture(scope="module")
def scanned(image: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    case = tmp_path_factory.mktemp("scanned") / "case"
    proc = run_triage("scan", str(image), "--case", str(case), "--workers", "1", timeout=600)
    assert proc.returncode == 0, proc.stderr
    return case


READERS = (("files",), ("files", "--json"), ("findings", "--json"), ("errors",), ("timeline",))


def _outputs(case: Path) -> dict[str, str]:
    out = {}
    for args in READERS:
        proc = run_triage(args[0], str(case), *args[1:])
        assert proc.returncode == 0, f"{args}: {proc.stderr}"
        out[" ".join(args)] = proc.stdout
    info = json.loads(run_triage("info", str(case), "--json", check=True).stdout)
    info.pop("case")
    out["info"] = json.dumps(info, sort_keys=True)
    return out


@pytest.mark.parametrize("journal", ["checkpointed", "with-wal"])
def test_case_on_read_only_media_opens_read_only(
    image: Path, scanned: Path, mounted: Path, journal: str
) -> None:
    """``checkpointed``: only case.sqlite (SQLite cannot create its WAL index there: the case used
    to read as 'schema 0 needs an upgrade'); ``with-wal``: as a killed writer leaves it."""
    expected = _outputs(scanned)
    copy = mounted / "case"
    shutil.copytree(scanned, copy)
    if journal == "checkpointed":
        conn = sqlite3.connect(copy / "case.sqlite")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.close()  # the last connection removes -wal and -shm
        assert not (copy / "case.sqlite-wal").exists()
    else:
        assert (copy / "case.sqlite-wal").exists()
    _remount_ro(mounted)
    assert _outputs(copy) == expected
    with Case.open(copy, readonly=True) as c:
        assert c.count_files() > N_FILES
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "ui"))
    from triage_ui.session import CaseSession

    session = CaseSession(copy)  # the GUI opens it read-only and says why
    try:
        assert session.readonly_reason and "read-only" in session.readonly_reason
        assert session.ro.count_files() > N_FILES
    finally:
        session.close()
    # a writer is told, in one line, that the media is read-only
    proc = run_triage("scan", str(image), "--case", str(copy), "--resume")
    assert proc.returncode == 4, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and str(copy) in lines[0] and "read-only" in lines[0], proc.stderr


def test_second_batch_on_one_output_folder_refused(image: Path, tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "exhibit.img").symlink_to(image)
    out = tmp_path / "out"
    args = [sys.executable, "-m", "triage", "batch", str(inputs), "--out", str(out), "--cluster", "local:1"]
    args += ["--plugin-dir", str(_pace_dir()), "--progress", "plain"]
    first = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        while (
            writer_lock.live_writer(out) is None or writer_lock.live_writer(out / "cases" / "exhibit") is None
        ):
            assert first.poll() is None and time.monotonic() < deadline, first.communicate()
            time.sleep(0.1)
        second = subprocess.run([*args, "--resume"], capture_output=True, text=True, timeout=120)
        assert first.poll() is None, "the first batch finished before the second started: nothing was tested"
        assert second.returncode == 2, second.stderr
        lines = second.stderr.strip().splitlines()
        assert len(lines) == 1 and f"the batch folder is being written by pid {first.pid} " in lines[0], lines
        # the image's case is held too: a scan into it is refused, naming the batch
        scan = run_triage("scan", str(image), "--case", str(out / "cases" / "exhibit"), "--resume")
        assert scan.returncode == 2 and f"pid {first.pid} " in scan.stderr and "triage batch" in scan.stderr
        _, err = first.communicate(timeout=600)
    finally:
        if first.poll() is None:
            first.kill()
            first.wait()
    assert first.returncode == 0, err
