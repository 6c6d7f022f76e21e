"""Walk every entry of a file system: allocated, deleted, orphan, and NTFS data streams.

The walk survives loops (each directory address is entered once) and garbage
(unreadable directories become recorded errors, not exceptions).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytsk3

from triage.evidence.names import display_name, display_path, name_bytes

MAX_DEPTH = 256
_NTFS_DATA = int(pytsk3.TSK_FS_ATTR_TYPE_NTFS_DATA)
_NTFS_IDXROOT = int(pytsk3.TSK_FS_ATTR_TYPE_NTFS_IDXROOT)
_META_CHARS = {1: "r", 2: "d", 3: "p", 4: "c", 5: "b", 6: "l", 7: "s", 8: "h", 9: "w", 10: "v", 11: "V"}
_NAME_CHARS = {1: "p", 2: "c", 3: "d", 4: "b", 5: "r", 6: "l", 7: "h", 8: "s", 9: "w", 10: "v", 11: "V"}
_NAME_UNALLOC = int(pytsk3.TSK_FS_NAME_FLAG_UNALLOC)
_META_UNALLOC = int(pytsk3.TSK_FS_META_FLAG_UNALLOC)
_DIR_NAME_TYPES = {3, 11}


@dataclass
class Entry:
    """One inventory row: a file, folder or data stream as the file system has it."""

    path: str
    name: str
    parent_path: str
    inode: int | None
    attr_type: int | None
    attr_id: int | None
    stream: str | None
    type: str
    size: int
    deleted: bool
    orphan: bool
    mtime: int | None
    atime: int | None
    ctime: int | None
    crtime: int | None
    name_type: str = "-"
    link: str | None = None
    mode: int | None = None
    uid: int | None = None
    gid: int | None = None
    readable: bool = True
    """False for NTFS records with no data attribute: there is no content to read (icat fails too)."""
    name_raw: bytes | None = None
    """The name's bytes as libtsk gives them (``name:stream`` for a named data stream); ``name`` is
    their display form (:mod:`triage.evidence.names`)."""

    @property
    def is_regular(self) -> bool:
        return self.type == "r"

    def to_row(self) -> dict[str, Any]:
        return dict(self.__dict__)


def decode_name(raw: bytes | str) -> str:
    """A name's display form: injective, undecodable bytes as ``\\xNN`` (see :mod:`triage.evidence.names`)."""
    return display_name(raw)


def walk_filesystem(
    fs: pytsk3.FS_Info, *, is_ntfs: bool, on_error: Callable[[str], None] | None = None
) -> Iterator[Entry]:
    """Yield every entry below the root, depth first, in directory order."""
    report = on_error or (lambda _msg: None)
    root = fs.info.root_inum
    visited = {root}
    try:
        root_dir = fs.open_dir(inode=root)
    except OSError as exc:
        report(f"cannot open the root directory: {_msg(exc)}")
        return
    stack: list[tuple[str, Iterator[Any], int]] = [("", _safe_iter(root_dir, "/", report), 0)]
    while stack:
        parent, it, depth = stack[-1]
        f = next(it, None)
        if f is None:
            stack.pop()
            continue
        name_info = f.info.name
        raw_name = name_info.name
        if raw_name in (b".", b"..", ".", ".."):
            continue
        name = decode_name(raw_name)
        path = f"{parent}/{name}"
        meta = f.info.meta
        if meta is None and name_info.meta_addr:
            f, meta = _load_meta(fs, f, name_info.meta_addr)
        entries = list(_entries_for(f, name, name_bytes(raw_name), parent, path, is_ntfs))
        yield from entries
        is_dir = (meta is not None and int(meta.type) in (2, 11)) or (
            meta is None and int(name_info.type) in _DIR_NAME_TYPES
        )
        if not is_dir:
            continue
        addr = meta.addr if meta is not None else name_info.meta_addr
        if addr in visited:
            continue
        if depth + 1 > MAX_DEPTH:
            report(f"{path}: folder nesting deeper than {MAX_DEPTH}, not descended")
            continue
        visited.add(addr)
        try:
            sub = f.as_directory() if meta is not None else fs.open_dir(inode=addr)
        except OSError:
            try:
                sub = fs.open_dir(inode=addr)
            except OSError as exc:
                if not entries or not entries[0].deleted:
                    report(f"{path}: cannot list folder (inode {addr}): {_msg(exc)}")
                continue
        stack.append((path, _safe_iter(sub, path, report), depth + 1))


def _load_meta(fs: pytsk3.FS_Info, f: Any, addr: int) -> tuple[Any, Any]:
    """Names whose metadata the directory walk did not attach (orphans, some deleted names):
    load the metadata by address, as fls does, keeping the name as the directory has it."""
    try:
        by_addr = fs.open_meta(inode=addr)
    except OSError:
        return f, None
    if by_addr.info.meta is None:
        return f, None
    return _NamedFile(f.info.name, by_addr), by_addr.info.meta


class _NamedFile:
    """A file object opened by address, carrying the directory entry's name."""

    def __init__(self, name: Any, file: Any) -> None:
        self._file = file
        self.info = type("Info", (), {"name": name, "meta": file.info.meta})()

    def __iter__(self) -> Iterator[Any]:
        return iter(self._file)

    def as_directory(self) -> Any:
        return self._file.as_directory()


def _safe_iter(directory: Any, path: str, report: Callable[[str], None]) -> Iterator[Any]:
    try:
        yield from directory
    except (OSError, RuntimeError) as exc:
        report(f"{path}: folder listing stopped early: {_msg(exc)}")


def _entries_for(f: Any, name: str, raw: bytes, parent: str, path: str, is_ntfs: bool) -> Iterator[Entry]:
    name_info = f.info.name
    meta = f.info.meta
    deleted = bool(int(name_info.flags) & _NAME_UNALLOC)
    if meta is not None:
        deleted = deleted or bool(int(meta.flags) & _META_UNALLOC)
        # An undefined metadata type (orphan inodes with a zeroed mode) still has readable content,
        # and fls lists it as a regular file: treat it as one.
        etype = _META_CHARS.get(int(meta.type), "r")
        times = (_t(meta.mtime), _t(meta.atime), _t(meta.ctime), _t(meta.crtime))
        inode = meta.addr
        size = meta.size
    else:
        etype = _NAME_CHARS.get(int(name_info.type), "-")
        times = (None, None, None, None)
        inode = name_info.meta_addr
        size = 0
    orphan = path.startswith("/$OrphanFiles/")
    owner = (int(meta.mode), meta.uid, meta.gid) if meta is not None else (None, None, None)
    link = display_path(meta.link) if meta is not None and meta.link else None
    base = dict(parent_path=parent or "/", inode=inode, type=etype, deleted=deleted, orphan=orphan,
                mtime=times[0], atime=times[1], ctime=times[2], crtime=times[3],
                mode=owner[0], uid=owner[1], gid=owner[2], link=link,
                name_type=_NAME_CHARS.get(int(name_info.type), "-"))
    if is_ntfs and meta is not None:
        streams = []
        try:
            for attr in f:
                atype = int(attr.info.type)
                if atype not in (_NTFS_DATA, _NTFS_IDXROOT):
                    continue
                raw_stream = name_bytes(attr.info.name) if attr.info.name else b""
                streams.append((atype, attr.info.id, decode_name(raw_stream), raw_stream, attr.info.size))
        except (OSError, RuntimeError):
            streams = []
        if streams:
            for atype, aid, aname, raw_stream, asize in streams:
                named = bool(aname) and not (atype == _NTFS_IDXROOT and aname == "$I30")
                yield Entry(
                    path=f"{path}:{aname}" if named else path,
                    name=f"{name}:{aname}" if named else name,
                    name_raw=raw + b":" + raw_stream if named else raw,
                    attr_type=atype,
                    attr_id=aid,
                    stream=aname if named else None,
                    size=asize if atype == _NTFS_DATA or named else size,
                    **base,
                )
            return
    # NTFS content lives in $DATA (none was found above); a name without metadata at address 0 has none
    readable = not (is_ntfs and meta is not None) and not (meta is None and not inode)
    yield Entry(path=path, name=name, name_raw=raw, attr_type=None, attr_id=None, stream=None, size=size,
                readable=readable or etype != "r", **base)


def _t(value: int) -> int | None:
    return int(value) if value else None


def _msg(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else exc.__class__.__name__
