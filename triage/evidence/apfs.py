"""APFS containers through libfsapfs (pyfsapfs): each volume is a partition of its own (layer ``apfsN``).

libtsk opens APFS only through its pool API, which pytsk3 does not expose, so an APFS volume is
walked and read here: :func:`walk` yields the same :class:`~triage.evidence.walk.Entry` rows as the
libtsk walk (``inode`` = the APFS file-system identifier, times in seconds with the creation
time's nanoseconds, mode/uid/gid, symbolic link targets), and :func:`open_entry` gives the one
content reader (:mod:`triage.evidence.content`) a file object with the ``read_random`` it uses.
APFS keeps no deleted names a library lists, so ``deleted`` is always False (n/a), and there is no
slack. Volumes and their containers are opened once per process, through their own image handle
(like an unlocked volume). Encrypted volumes are not walked: a container with a locked volume is
reported as an encrypted volume by :func:`triage.evidence.fve.detect`.
"""

from __future__ import annotations

import stat
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from triage.errors import EvidenceError
from triage.evidence.names import display_name
from triage.evidence.walk import MAX_DEPTH, Entry

_TYPES = {
    stat.S_IFREG: "r",
    stat.S_IFDIR: "d",
    stat.S_IFLNK: "l",
    stat.S_IFCHR: "c",
    stat.S_IFBLK: "b",
    stat.S_IFIFO: "p",
    stat.S_IFSOCK: "s",
}


def is_layer(layer: str) -> bool:
    return layer.startswith("apfs") and layer[4:].isdigit()


@dataclass
class _Opened:
    container: Any
    volumes: dict[int, Any]
    raw: Any  # the ImageInfo the container reads through (owned here)


_OPEN: dict[tuple[str, int], _Opened] = {}
_GUARD = threading.Lock()


def volume(image: Any, offset: int, layer: str) -> Any:
    """The pyfsapfs volume ``apfsN`` (N from 1) of the container at ``offset``, opened once per process.

    Raises:
        EvidenceError: libfsapfs is missing, cannot open the container, or the volume is locked.
    """
    from triage.evidence import fve
    from triage.evidence.image import open_image

    if not is_layer(layer):
        raise EvidenceError(f"unknown volume layer {layer!r}")
    n = int(layer[4:])
    key = (fve.evidence_key(image.source.path), offset)
    with _GUARD:
        entry = _OPEN.get(key)
        if entry is None:
            try:
                import pyfsapfs
            except ImportError:
                raise EvidenceError("APFS container: needs libfsapfs-python") from None
            raw = open_image(image.source)
            container = pyfsapfs.container()
            try:
                container.open_file_object(fve.ImageFile(raw.read, offset, raw.size - offset))
            except OSError as exc:
                raw.close()
                raise EvidenceError(
                    f"APFS container: libfsapfs cannot open it: {fve.last_line(exc)}"
                ) from None
            entry = _OPEN[key] = _Opened(container, {}, raw)
        handle = entry.volumes.get(n)
        if handle is None:
            try:
                handle = entry.container.get_volume(n - 1)
            except (OSError, IndexError) as exc:
                raise EvidenceError(f"APFS volume {layer}: libfsapfs cannot open it: {exc}") from None
            if handle.is_locked():
                raise EvidenceError(f"APFS volume {layer} ({handle.name}) is encrypted and locked")
            entry.volumes[n] = handle
    return handle


def forget() -> None:
    """Close every container opened in this process (tests)."""
    with _GUARD:
        for entry in _OPEN.values():
            entry.container.close()
            entry.raw.close()
        _OPEN.clear()


def _time(entry: Any, name: str) -> tuple[int | None, int]:
    """Seconds since 1970 and the nanoseconds, from libfsapfs's integer (ns since 1970); None for 0."""
    try:
        ns = int(getattr(entry, f"get_{name}_as_integer")() or 0)
    except (OSError, TypeError):
        return None, 0
    return (ns // 1_000_000_000 or None, ns % 1_000_000_000) if ns > 0 else (None, 0)


def _entry(e: Any, parent: str) -> Entry:
    raw = str(e.name or "").encode("utf-8", "surrogateescape")
    name = display_name(raw)
    path = f"{parent}/{name}"
    mode = int(e.file_mode or 0)
    kind = _TYPES.get(stat.S_IFMT(mode), "-")
    mtime, _ = _time(e, "modification_time")
    atime, _ = _time(e, "access_time")
    ctime, _ = _time(e, "inode_change_time")
    crtime, cr_ns = _time(e, "creation_time")
    link = None
    if kind == "l":
        try:
            link = e.symbolic_link_target
        except OSError:
            link = None
    return Entry(
        path=path,
        name=name,
        parent_path=parent or "/",
        inode=int(e.identifier),
        attr_type=None,
        attr_id=None,
        stream=None,
        type=kind,
        size=int(e.size or 0),
        deleted=False,
        orphan=False,
        mtime=mtime,
        atime=atime,
        ctime=ctime,
        crtime=crtime,
        name_type=kind,
        link=link,
        mode=mode & 0o7777,
        uid=int(e.owner_identifier),
        gid=int(e.group_identifier),
        name_raw=raw,
        crtime_ns=cr_ns if crtime else None,
    )


def walk(handle: Any, on_error: Callable[[str], None] | None = None) -> Iterator[Entry]:
    """Every entry below the volume's root, depth first, in libfsapfs's directory order."""
    report = on_error or (lambda _msg: None)
    try:
        root = handle.get_root_directory()
    except OSError as exc:
        report(f"cannot open the root directory: {exc}")
        return
    visited = {int(root.identifier)}
    stack: list[tuple[str, Any, int, int]] = [("", root, 0, 0)]
    while stack:
        parent, directory, i, depth = stack.pop()
        try:
            count = int(directory.number_of_sub_file_entries)
        except OSError as exc:
            report(f"{parent or '/'}: cannot list folder: {exc}")
            continue
        if i >= count:
            continue
        stack.append((parent, directory, i + 1, depth))
        try:
            sub = directory.get_sub_file_entry(i)
            entry = _entry(sub, parent)
        except OSError as exc:
            report(f"{parent or '/'}: entry {i} unreadable: {exc}")
            continue
        yield entry
        if entry.type == "d" and entry.inode not in visited:
            if depth + 1 > MAX_DEPTH:
                report(f"{entry.path}: folder nesting deeper than {MAX_DEPTH}, not descended")
                continue
            visited.add(int(entry.inode or 0))
            stack.append((entry.path, sub, 0, depth + 1))


class EntryFile:
    """An APFS file entry with the ``read_random`` the content reader calls (data fork only: a
    call with an attribute or slack flag, which APFS does not have here, reads nothing)."""

    def __init__(self, entry: Any) -> None:
        self._entry = entry
        self.size = int(entry.size or 0)

    def read_random(self, offset: int, length: int, *attribute: Any) -> bytes:
        if attribute or offset >= self.size:
            return b""
        data: bytes = self._entry.read_buffer_at_offset(min(length, self.size - offset), offset)
        return data


def open_entry(handle: Any, identifier: int) -> EntryFile:
    """The file entry ``identifier`` of an opened volume (raises OSError from libfsapfs)."""
    return EntryFile(handle.get_file_entry_by_identifier(identifier))
