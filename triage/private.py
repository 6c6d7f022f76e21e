"""Private by default: what triage creates (case folders, databases, extra files, logs, bundle
folders) is readable by its owner only, whatever the umask.

Three layers: :func:`private_umask` at each entry point (CLI, GUI) makes every file the process
creates ``0600`` and every folder ``0700``; :func:`private_dir` and :func:`private_file` set the
mode explicitly where the library creates a case or a log (callers that do not go through an entry
point); :func:`exposed` and :func:`protect` find and fix what an older version left readable.
On Windows, POSIX modes mean nothing: ACLs are inherited from the parent folder (see
docs/security.md), and these functions do nothing there.
"""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Iterator
from pathlib import Path

PRIVATE_UMASK = 0o077
DIR_MODE = 0o700
FILE_MODE = 0o600
_POSIX = sys.platform != "win32"


def private_umask() -> int:
    """Add ``077`` to the process umask (stricter bits already set are kept); returns the old one."""
    old = os.umask(PRIVATE_UMASK)
    os.umask(old | PRIVATE_UMASK)
    return old


def private_dir(path: Path, parents: bool = True) -> Path:
    """Create ``path`` (and missing parents) as ``0700``; an existing folder is left as it is
    unless it is ours and ``parents`` made it now."""
    existed = path.is_dir()
    path.mkdir(mode=DIR_MODE, parents=parents, exist_ok=True)
    if _POSIX and not existed:
        os.chmod(path, DIR_MODE)  # mkdir's mode is filtered by the umask, never widened: set it
    return path


def private_file(path: Path) -> Path:
    """Create ``path`` empty as ``0600`` when it does not exist (SQLite then gives its -wal and -shm
    files the same mode)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    except FileExistsError:
        return path
    try:
        if _POSIX:
            os.fchmod(fd, FILE_MODE)
    finally:
        os.close(fd)
    return path


def exposed(root: Path, limit: int = 100_000) -> Iterator[Path]:
    """Everything under ``root`` (itself included) that a group or other users may read, write or
    enter; symbolic links are not followed."""
    if not _POSIX:
        return
    seen = 0
    for current, dirs, files in os.walk(root, followlinks=False):
        base = Path(current)
        for p in [base, *(base / f for f in files)]:
            seen += 1
            if seen > limit:
                return
            try:
                st = os.lstat(p)
            except OSError:
                continue
            if not stat.S_ISLNK(st.st_mode) and st.st_mode & 0o077:
                yield p
        dirs[:] = [d for d in dirs if not (base / d).is_symlink()]


def protect(root: Path) -> list[Path]:
    """Remove group and other permissions from everything under ``root``; returns what changed."""
    changed = []
    for p in list(exposed(root, limit=10**9)):
        st = os.lstat(p)
        os.chmod(p, stat.S_IMODE(st.st_mode) & ~0o077)
        changed.append(p)
    return changed
