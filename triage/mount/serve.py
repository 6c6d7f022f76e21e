"""Serve a mount in this process (blocking), or start one in a background process.

The background form runs ``python -m triage mount … --foreground --ready-fd N`` and waits
until the serving process reports, through that pipe, that FUSE has started; a failure
before that raises the same one-line error the command line would print.
"""

from __future__ import annotations

import logging
import os
import select
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from triage import sandbox
from triage.errors import CaseError, EvidenceError, TriageError, UsageError
from triage.mount.child import ChildReader, MountRequest
from triage.mount.fuse import (
    FS_SUBTYPE,
    FuseUnavailable,
    check_mountpoint,
    fuse_problem,
    load_mfusepy,
    mounted_fuse,
)
from triage.mount.fuse import unmount as fuse_unmount
from triage.mount.fusefs import EvidenceOperations

log = logging.getLogger("triage.mount")
READY = b"ready\n"
ATTR_TIMEOUT = 3600.0  # the tree never changes while mounted: let the kernel cache names and attributes
# FUSE worker threads with threads=True. The default is one thread: measured faster on the
# Python side (no GIL hand-offs; libtsk reads are serialised by a lock anyway), also with
# several readers at once (docs/benchmarks.md, "Mount throughput").
MAX_THREADS = 16


def serve(
    evidence: str | os.PathLike[str],
    mountpoint: str | os.PathLike[str],
    *,
    partition: int | None = None,
    raw: bool = False,
    case: str | os.PathLike[str] | None = None,
    allow_other: bool = False,
    threads: bool = False,
    on_ready: Callable[[dict[str, Any]], None] | None = None,
    on_error: Callable[[str], None] | None = None,
    use_sandbox: bool = True,
) -> dict[str, Any]:
    """Mount ``evidence`` read-only at ``mountpoint`` and serve it until unmounted (blocking).

    The evidence is opened, walked and read in a child process confined by
    :func:`triage.sandbox.confine` (:mod:`triage.mount.child`); this process serves FUSE and never
    opens it. ``use_sandbox=False`` (``--no-sandbox``) leaves the child unconfined, recorded in the
    summary and the case's audit event.

    Ctrl-C, SIGTERM, ``fusermount3 -u`` or :func:`unmount` end it cleanly. Returns the
    summary (what was mounted, counts, bytes served). ``threads=True`` runs libfuse's
    multi-threaded loop (slower here; kept for platforms where it helps).

    Raises:
        FuseUnavailable: FUSE cannot be used here (exit 2).
        UsageError: bad mount point or partition (exit 2).
        EvidenceError: the evidence cannot be opened (exit 3).
        CaseError: the case cannot be opened.
    """
    problem = fuse_problem()
    if problem:
        raise FuseUnavailable(problem)
    mp = check_mountpoint(mountpoint)
    # the evidence is opened, walked and read in a confined child only (triage.mount.child)
    reader = ChildReader(
        MountRequest(
            os.fspath(evidence),
            partition,
            raw,
            os.fspath(case) if case is not None else None,
            sandbox=use_sandbox,
        )
    )
    case_obj = None
    try:
        case_obj = _open_case(case) if case is not None else None
        report = _errors(on_error)
        for text in reader.ready.warnings:
            report(text)
        tree, summary = reader.tree, reader.summary
        summary.update(
            mountpoint=str(mp),
            pid=os.getpid(),
            reader_pid=reader.pid,
            sandbox=sandbox.describe(use_sandbox),
        )
        if use_sandbox and reader.ready.confined[1]:
            summary["sandbox_missing"] = list(reader.ready.confined[1])
        source_path = Path(summary["evidence"])

        is_ready = False

        def ready() -> None:
            nonlocal is_ready
            is_ready = True
            if case_obj is not None:
                case_obj.append_audit("evidence.mounted", _audit_details(summary))
            log.info("mounted %s at %s (%s)", source_path, mp, summary["sandbox"])
            if on_ready is not None:
                on_ready(summary)

        ops = EvidenceOperations(tree, reader, on_ready=ready)
        mfusepy = load_mfusepy()
        fsname = "triage:" + "".join(c if c.isalnum() or c in "._-" else "_" for c in source_path.name)
        options: dict[str, Any] = {
            "ro": True,
            "default_permissions": True,
            "kernel_cache": True,
            "attr_timeout": ATTR_TIMEOUT,
            "entry_timeout": ATTR_TIMEOUT,
            "negative_timeout": ATTR_TIMEOUT,
            "fsname": fsname,
            "subtype": FS_SUBTYPE,
        }
        if getattr(mfusepy, "fuse_version_major", 2) == 3:  # libfuse 3.12+ options (3.14 warns without them)
            options.update(max_threads=MAX_THREADS, max_idle_threads=MAX_THREADS)
        if allow_other:
            options["allow_other"] = True
        started = time.monotonic()
        try:
            # names travel as their bytes: surrogate-escaped str inside, the bytes to the kernel
            mfusepy.FUSE(
                ops,
                str(mp),
                encoding="utf-8",
                errors="surrogateescape",
                foreground=True,
                nothreads=not threads,
                **options,
            )
        except RuntimeError as exc:
            if not is_ready:  # libfuse failed before serving: the mount never happened
                raise UsageError(f"{mp}: FUSE could not mount here (libfuse error {exc})") from exc
            summary["ended_by"] = "signal"  # libfuse returns 8 when SIGINT/SIGTERM/SIGHUP ended the loop
        summary.update(seconds=round(time.monotonic() - started, 3), served=dict(reader.stats))
        if case_obj is not None:
            case_obj.append_audit(
                "evidence.unmounted",
                {
                    "evidence": summary["evidence"],
                    "mountpoint": str(mp),
                    "seconds": summary["seconds"],
                    "served": summary["served"],
                    "ended_by": summary.get("ended_by", "unmount"),
                },
            )
        log.info("unmounted %s (%s)", mp, reader.stats)
        return summary
    finally:
        reader.close()
        if case_obj is not None:
            case_obj.close()


def _open_case(path: str | os.PathLike[str]) -> Any:
    from triage.case.store import Case

    try:
        return Case.open(os.fspath(path), readonly=True)  # a mount never takes the writer lock
    except OSError as exc:
        raise CaseError(f"{path}: cannot open case: {exc}") from exc


def _errors(on_error: Callable[[str], None] | None) -> Callable[[str], None]:
    def report(msg: str) -> None:
        log.warning("mount: %s", msg)
        if on_error is not None:
            on_error(msg)

    return report


def _audit_details(summary: dict[str, Any]) -> dict[str, Any]:
    keys = (
        "evidence",
        "format",
        "segments",
        "mountpoint",
        "partition",
        "raw",
        "inventory",
        "partitions",
        "files",
        "dirs",
        "deleted",
        "streams",
        "renamed",
        "pid",
        "reader_pid",
        "sandbox",
        "sandbox_missing",
    )
    return {k: summary[k] for k in keys if k in summary}


# -- background mounts -----------------------------------------------------------------------
class MountProcess:
    """A mount served by a child process. Use as a context manager, or call :meth:`unmount`."""

    def __init__(self, process: subprocess.Popen[bytes], mountpoint: Path, stderr: IO[bytes]) -> None:
        self.process = process
        self.mountpoint = mountpoint
        self._stderr = stderr

    @property
    def pid(self) -> int:
        return self.process.pid

    def alive(self) -> bool:
        return self.process.poll() is None

    def unmount(self, timeout: float = 20.0, *, lazy: bool = False) -> int:
        """Unmount and wait for the serving process to end; returns its exit code.

        Falls back to SIGTERM (which libfuse turns into a clean unmount) and finally SIGKILL
        plus a lazy unmount, so no stale mount is ever left behind.
        """
        if self.process.poll() is None and mounted_fuse(self.mountpoint):
            try:
                fuse_unmount(self.mountpoint, lazy=lazy)
            except TriageError as exc:
                log.warning("unmount %s: %s; sending SIGTERM", self.mountpoint, exc)
                self.process.send_signal(signal.SIGTERM)
        try:
            code = self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            code = self.process.wait(timeout)
        if mounted_fuse(self.mountpoint):  # the server died without unmounting: clear the stale mount
            try:
                fuse_unmount(self.mountpoint, lazy=True)
            except TriageError as exc:
                log.warning("stale mount %s: %s", self.mountpoint, exc)
        self._stderr.close()
        return code

    def stderr_text(self) -> str:
        try:
            self._stderr.seek(0)
            return self._stderr.read().decode("utf-8", "replace")
        except (OSError, ValueError):
            return ""

    def __enter__(self) -> MountProcess:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.unmount()


def start_mount(
    evidence: str | os.PathLike[str],
    mountpoint: str | os.PathLike[str],
    *,
    partition: int | None = None,
    raw: bool = False,
    case: str | os.PathLike[str] | None = None,
    allow_other: bool = False,
    timeout: float = 600.0,
    detach: bool = False,
    python: str | None = None,
    use_sandbox: bool = True,
) -> MountProcess:
    """Start ``triage mount`` in a child process and return once the mount is ready.

    ``detach`` puts the child in its own session so it outlives the caller's terminal.

    Raises:
        The same errors as :func:`serve` (with the child's one-line message), or
        TriageError when the mount is not ready within ``timeout`` seconds.
    """
    mp = Path(os.path.abspath(mountpoint))
    read_fd, write_fd = os.pipe()
    cmd = [
        python or sys.executable,
        "-m",
        "triage",
        "mount",
        os.fspath(evidence),
        str(mp),
        "--foreground",
        "--ready-fd",
        str(write_fd),
    ]
    if partition is not None:
        cmd += ["--partition", str(partition)]
    if raw:
        cmd.append("--raw")
    if case is not None:
        cmd += ["--case", os.fspath(case)]
    if allow_other:
        cmd.append("--allow-other")
    if not use_sandbox:
        cmd.append("--no-sandbox")
    stderr = tempfile.TemporaryFile()
    try:
        proc = subprocess.Popen(
            cmd,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            pass_fds=(write_fd,),
            start_new_session=detach,
        )
    finally:
        os.close(write_fd)
    handle = MountProcess(proc, mp, stderr)
    try:
        got = _wait_ready(read_fd, timeout)
    finally:
        os.close(read_fd)
    if got == READY:
        return handle
    if got is None:  # timed out
        handle.unmount(timeout=5)
        raise TriageError(f"{mp}: the mount was not ready within {timeout:.0f} s")
    code = proc.wait()
    text = handle.stderr_text()
    handle._stderr.close()
    raise _child_error(code, text, mp)


def _wait_ready(fd: int, timeout: float) -> bytes | None:
    deadline = time.monotonic() + timeout
    buf = b""
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return None
        ready, _, _ = select.select([fd], [], [], left)
        if not ready:
            return None
        chunk = os.read(fd, 64)
        if not chunk:
            return buf  # EOF: the child ended (or closed the pipe) without reporting ready
        buf += chunk
        if buf.endswith(b"\n"):
            return buf


def _child_error(code: int, stderr: str, mp: Path) -> TriageError:
    lines = [ln for ln in stderr.strip().splitlines() if ln.strip()]
    msg = next((ln for ln in reversed(lines) if ln.startswith("triage: ")), lines[-1] if lines else "")
    msg = (
        msg.removeprefix("triage: error: ").removeprefix("triage: ") or f"mount at {mp} failed (exit {code})"
    )
    if code == 3:
        return EvidenceError(msg)
    if code == 2:
        return FuseUnavailable(msg) if msg.startswith("FUSE is not available") else UsageError(msg)
    err = TriageError(msg)
    err.exit_code = code if code > 0 else 4
    return err
