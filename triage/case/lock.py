"""One writer per case: an OS-level lock on ``case.lock`` in the case folder.

The writer holds ``flock(LOCK_EX)`` on the file for as long as it has the case open
read-write; the kernel drops the lock when the process ends, ``kill -9`` included, so a
dead holder never blocks anyone. The holder writes its pid, host, start time and command
into the file so that a refused writer can say who holds the case. Readers never take the
lock; :func:`live_writer` only probes it (a shared lock taken and dropped at once), which
is how a reader tells a scan that is still running from one whose process died.

Within one process the lock is shared (counted): the GUI holds it for its session and its
scan engine opens the same case again in a thread.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import socket
import sys
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from triage.errors import CaseError, StorageError

LOCK_NAME = "case.lock"
RETRY_SECONDS = 0.5
"""How long a writer retries before refusing: a reader's probe holds a shared lock for microseconds."""


class CaseLocked(CaseError):
    """Another live process writes this case (exit 2)."""

    def __init__(self, case: Path, holder: Holder | None, what: str = "the case") -> None:
        who = holder.describe() if holder else "another process (it has not written its details yet)"
        meanwhile = " (readers such as 'triage files' work meanwhile)" if what == "the case" else ""
        super().__init__(f"{case}: {what} is being written by {who}; wait for it to finish{meanwhile}")
        self.case = case
        self.holder = holder


@dataclass(frozen=True)
class Holder:
    """Who holds a case's writer lock, as written in the lock file."""

    pid: int
    host: str
    since: str
    command: str

    def describe(self) -> str:
        return f"pid {self.pid} on {self.host} since {self.since} ({self.command})"

    def to_json(self) -> dict[str, object]:
        return {"pid": self.pid, "host": self.host, "since": self.since, "command": self.command}


@dataclass
class WriterLock:
    """A held writer lock; :func:`release` it (or close the case) when done."""

    case: Path
    fd: int
    holder: Holder
    stale: Holder | None
    """The details a previous holder left behind when it died without releasing (``kill -9``)."""
    count: int = 1


_held: dict[Path, WriterLock] = {}
_mutex = threading.Lock()


def _command() -> str:
    """The program and its subcommand (never the other arguments: they may hold secrets)."""
    prog = os.path.basename(sys.argv[0]) if sys.argv and sys.argv[0] else "python"
    prog = "triage" if prog == "__main__.py" else prog
    sub = next((a for a in sys.argv[1:] if not a.startswith("-")), "")
    return f"{prog} {sub}".strip()


def acquire(case: Path, command: str | None = None, what: str = "the case") -> WriterLock:
    """Take the writer lock of ``case`` (an existing folder) or raise :class:`CaseLocked` at once.

    ``what`` names the folder in the refusal (a batch output folder is locked the same way)."""
    key = case.resolve()
    with _mutex:
        held = _held.get(key)
        if held is not None:
            held.count += 1
            return held
        path = key / LOCK_NAME
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        except OSError as exc:
            raise storage_error(exc, key, "take the case's writer lock") from exc
        try:
            _lock_or_refuse(fd, key, what)
        except BaseException:
            os.close(fd)
            raise
        stale = _read_holder(fd)
        holder = Holder(
            os.getpid(),
            socket.gethostname(),
            datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            command or _command(),
        )
        try:
            os.ftruncate(fd, 0)
            os.pwrite(fd, (json.dumps(holder.to_json(), sort_keys=True) + "\n").encode(), 0)
        except OSError:
            pass  # a full disk must not stop the lock itself: the refusal message then names no holder
        lock = WriterLock(key, fd, holder, stale)
        _held[key] = lock
        return lock


def _lock_or_refuse(fd: int, case: Path, what: str) -> None:
    deadline = time.monotonic() + RETRY_SECONDS
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise CaseLocked(case, _read_holder(fd), what) from None
            time.sleep(0.02)
        except OSError as exc:  # ENOLCK, EOPNOTSUPP: some network and FUSE file systems
            raise StorageError(
                f"{case / LOCK_NAME}: cannot take the writer lock ({exc.strerror or exc}): this file system "
                f"does not support file locks; keep the case on a local disk"
            ) from exc


def release(lock: WriterLock) -> None:
    """Drop one use of the lock; the last one empties the file and unlocks it."""
    with _mutex:
        lock.count -= 1
        if lock.count > 0:
            return
        _held.pop(lock.case, None)
        try:
            os.ftruncate(lock.fd, 0)
        except OSError:
            pass
        os.close(lock.fd)  # closing the descriptor releases the flock


def held_cases() -> list[Path]:
    """The case folders this process writes now."""
    with _mutex:
        return list(_held)


def live_writer(case: Path) -> Holder | None:
    """The live holder of ``case``'s writer lock (this process included), or None when nobody writes it.

    Never creates anything: works on read-only media.
    """
    key = case.resolve()
    with _mutex:
        if key in _held:
            return _held[key].holder
    try:
        fd = os.open(key / LOCK_NAME, os.O_RDONLY | os.O_CLOEXEC)
    except OSError:
        return None  # no lock file: no writer since locking exists
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return _read_holder(fd) or Holder(0, "?", "?", "unknown")
        fcntl.flock(fd, fcntl.LOCK_UN)
        return None
    finally:
        os.close(fd)


def _read_holder(fd: int) -> Holder | None:
    for _ in range(5):  # a holder that has just taken the lock writes its details a moment later
        try:
            data = json.loads(os.pread(fd, 4096, 0) or b"null")
        except (OSError, ValueError):
            data = None
        if isinstance(data, dict):
            try:
                return Holder(int(data["pid"]), str(data["host"]), str(data["since"]), str(data["command"]))
            except (KeyError, TypeError, ValueError):
                return None
        time.sleep(0.02)
    return None


ADVICE = {
    "case": (
        "free space on that file system and run the command again (a scan continues with --resume)",
        "copy the case to writable storage to change it (reading a case needs no write access)",
    ),
    "new case": (
        "free space on that file system or choose another case folder",
        "choose a writable folder for the case",
    ),
    "output": (
        "free space on that file system and run the command again",
        "choose a writable destination",
    ),
    "destination": (
        "free space on that file system or choose another --out, then run the command again",
        "choose a writable folder for --out",
    ),
}
"""What to do about a full / read-only target: ``(disk full, read-only)``."""


def storage_error(exc: OSError, where: Path, doing: str, target: str = "case") -> StorageError:
    """A one-line error for a failed write to the case or a destination, naming the path and what to do."""
    path = exc.filename or where
    reason = exc.strerror or str(exc)
    full, readonly = ADVICE[target]
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return StorageError(f"{path}: disk full ({reason}) while trying to {doing}; {full}")
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return StorageError(
            f"{path}: read-only or not writable ({reason}) while trying to {doing}; {readonly}"
        )
    if exc.errno == errno.EIO:
        return StorageError(
            f"{path}: I/O error while trying to {doing}; check the storage (dmesg) and run again"
        )
    return StorageError(f"{path}: cannot {doing}: {reason}")
