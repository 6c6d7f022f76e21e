"""The mount's evidence reader runs in a confined child (issue 22; docs/security.md).

The child is the real one (:class:`triage.mount.child.ChildReader`); the probe below runs the
child's own :func:`~triage.mount.child.open_confined` and :func:`~triage.mount.child.serve_reads`
and tries, in between, what an exploited parser would: open a socket, run a program, write to the
home folder, read a file outside the evidence. The oracle for the bytes is ``icat``. The FUSE tests
(skipped where FUSE is not usable, as in tests/test_mount.py) check that the process serving FUSE
holds no descriptor of the evidence while its confined child does.
"""

from __future__ import annotations

import hashlib
import os
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from triage.mount.child import ChildReader, MountRequest, open_confined, serve_reads
from triage.mount.tree import FileSource

DEMO = Path(__file__).resolve().parents[1] / "examples" / "demo.raw"
SECTOR = 512

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="the sandbox confines on Linux only"
)


def probe_main(conn: Any, request: MountRequest, unlocks: dict[str, Any], parent_pid: int) -> None:
    """The reader child, with escape attempts once it is confined (results travel in the summary)."""
    from triage.evidence import fve

    fve.install(unlocks)
    image, tree, reader, ready = open_confined(request)
    attempts: dict[str, str] = {}

    def attempt(name: str, fn: Any) -> None:
        try:
            fn()
            attempts[name] = "done"
        except OSError as exc:
            attempts[name] = f"{type(exc).__name__}: errno {exc.errno}"

    def connect() -> None:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            s.settimeout(2)
            s.connect(("127.0.0.1", int(os.environ["PROBE_PORT"])))
            s.sendall(b"escaped")

    attempt("socket", connect)
    attempt("exec", lambda: subprocess.run(["/bin/sh", "-c", "true"], check=True))
    attempt("write home", lambda: Path(os.environ["PROBE_WRITE"]).write_text("escaped"))
    attempt("read other", lambda: Path(os.environ["PROBE_READ"]).read_bytes())
    ready.summary["probe"] = attempts
    conn.send(ready)
    serve_reads(conn, tree, reader)
    os._exit(0)


def _icat(offset: int, src: FileSource) -> bytes:
    addr = str(src.inode) if src.attr_type is None else f"{src.inode}-{src.attr_type}-{src.attr_id}"
    return subprocess.run(
        ["icat", "-o", str(offset // SECTOR), str(DEMO), addr], capture_output=True, check=False
    ).stdout


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture()
def probe_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.settimeout(0.2)
    other = tmp_path / "other-case.sqlite"
    other.write_bytes(b"another case")
    monkeypatch.setenv("PROBE_PORT", str(listener.getsockname()[1]))
    monkeypatch.setenv("PROBE_WRITE", str(tmp_path / "home" / "escaped.txt"))
    monkeypatch.setenv("PROBE_READ", str(other))
    (tmp_path / "home").mkdir()
    yield {"listener": listener, "written": tmp_path / "home" / "escaped.txt"}
    listener.close()


def _received(listener: socket.socket) -> bytes:
    try:
        conn, _ = listener.accept()
    except TimeoutError:
        return b""
    with conn:
        conn.settimeout(2)
        return conn.recv(64)


@pytest.mark.skipif(not DEMO.is_file(), reason="examples/demo.raw missing")
@pytest.mark.parametrize("confined", [True, False], ids=["confined", "no-sandbox"])
def test_reader_child_is_confined_and_reads_equal_icat(confined: bool, probe_env: dict[str, Any]) -> None:
    before = _sha256(DEMO)
    reader = ChildReader(MountRequest(str(DEMO), sandbox=confined), target=probe_main)
    try:
        attempts = reader.summary["probe"]
        got = _received(probe_env["listener"])
        if confined:  # each attempt fails with EPERM (seccomp) or EACCES (Landlock); nothing escaped
            assert attempts == {
                "socket": "PermissionError: errno 1",
                "exec": "PermissionError: errno 1",
                "write home": "PermissionError: errno 13",
                "read other": "PermissionError: errno 13",
            }, attempts
            assert got == b"" and not probe_env["written"].exists()
        else:  # the same attempts succeed without the sandbox: the test can fail
            assert attempts == dict.fromkeys(attempts, "done") and len(attempts) == 4, attempts
            assert got == b"escaped" and probe_env["written"].read_text() == "escaped"
        # while confined, reads return icat's bytes, for every file the tree shows
        compared = 0
        for path, node in reader.tree.paths():
            if node.kind != "file" or not isinstance(node.source, FileSource):
                continue
            want = _icat(node.source.partition_offset, node.source)
            data = reader.read(node, 0, node.size + 4096)
            assert data == want[: node.size], path
            if node.size > 3:  # a read at an offset inside the file
                assert reader.read(node, 3, 5) == want[3:8], path
            compared += 1
        assert compared >= 20
        assert reader.stats["reads"] >= compared
    finally:
        reader.close()
    assert not reader.process.is_alive()
    assert _sha256(DEMO) == before


@pytest.mark.skipif(not DEMO.is_file(), reason="examples/demo.raw missing")
def test_reader_child_errors_reach_the_parent(tmp_path: Path) -> None:
    """What the child cannot open is raised in the parent as the same error (exit codes as before)."""
    from triage.errors import EvidenceError, UsageError

    empty = tmp_path / "empty.raw"
    empty.write_bytes(b"")
    with pytest.raises(EvidenceError, match="empty"):
        ChildReader(MountRequest(str(empty)))
    with pytest.raises(UsageError, match="no partition 7"):
        ChildReader(MountRequest(str(DEMO), partition=7))


# -- through FUSE -----------------------------------------------------------------------------------
def _fuse_problem() -> str | None:
    from triage.mount import fuse_problem

    return fuse_problem()


def _children(pid: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def _fds(pid: int) -> list[str]:
    d = Path(f"/proc/{pid}/fd")
    found = []
    for fd in d.iterdir():
        try:
            found.append(os.readlink(fd))
        except OSError:
            pass
    return found


def _status(pid: int) -> dict[str, str]:
    lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    return dict(line.split(":\t", 1) for line in lines if ":\t" in line)


@pytest.mark.skipif(not DEMO.is_file(), reason="examples/demo.raw missing")
@pytest.mark.parametrize("confined", [True, False], ids=["confined", "no-sandbox"])
def test_fuse_process_never_opens_the_evidence(confined: bool, tmp_path: Path) -> None:
    problem = _fuse_problem()
    if problem is not None:
        pytest.skip(problem)
    from triage.mount import start_mount

    before = _sha256(DEMO)
    real = os.path.realpath(DEMO)
    mp = tmp_path / "mnt"
    mp.mkdir()
    handle = start_mount(DEMO, mp, timeout=120, use_sandbox=confined)
    try:
        image = (mp / "image.raw").read_bytes()
        assert hashlib.sha256(image).hexdigest() == before
        notes = mp / "p0_1048576_fat16" / "Documents" / "meeting notes.txt"
        fls = subprocess.run(
            ["fls", "-r", "-p", "-o", str(1048576 // SECTOR), str(DEMO)], capture_output=True, text=True
        ).stdout
        addr = next(
            ln.split()[1].rstrip(":")
            for ln in fls.splitlines()
            if ln.endswith("\tDocuments/meeting notes.txt")
        )
        icat = subprocess.run(
            ["icat", "-o", str(1048576 // SECTOR), str(DEMO), addr], capture_output=True, check=True
        ).stdout
        assert notes.read_bytes() == icat and icat
        assert real not in _fds(handle.pid)  # the FUSE process holds /dev/fuse, never the evidence
        assert "/dev/fuse" in _fds(handle.pid)
        readers = [c for c in _children(handle.pid) if real in _fds(c)]
        assert len(readers) == 1, readers
        status = _status(readers[0])
        assert status["Seccomp"] == ("2" if confined else "0")
        assert status["NoNewPrivs"] == ("1" if confined else "0")
        assert "/dev/fuse" not in _fds(readers[0])
        said = "sandbox: on" if confined else "sandbox: disabled (--no-sandbox)"
        assert f"triage: {said}" in handle.stderr_text()
    finally:
        code = handle.unmount()
    assert code == 0
    assert _sha256(DEMO) == before


@pytest.mark.skipif(not DEMO.is_file(), reason="examples/demo.raw missing")
def test_no_sandbox_mount_is_recorded_in_the_case(tmp_path: Path) -> None:
    problem = _fuse_problem()
    if problem is not None:
        pytest.skip(problem)
    from triage.case.store import Case
    from triage.mount import start_mount

    case = tmp_path / "case"
    Case.create(case).close()
    details: dict[bool, Any] = {}
    for confined in (True, False):
        mp = tmp_path / f"mnt-{confined}"
        mp.mkdir()
        with start_mount(DEMO, mp, case=case, timeout=120, use_sandbox=confined):
            assert (mp / "image.raw").stat().st_size == DEMO.stat().st_size
        with Case.open(case, readonly=True) as c:
            events = [a.details for a in c.audit_log() if a.action == "evidence.mounted"]
        details[confined] = events[-1]
    assert details[True]["sandbox"].startswith("sandbox: on")
    assert details[False]["sandbox"].startswith("sandbox: disabled (--no-sandbox)")
    assert details[True]["reader_pid"] != details[True]["pid"]
