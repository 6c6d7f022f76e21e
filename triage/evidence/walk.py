"""Walk every entry of a file system: allocated, deleted, orphan, and NTFS data streams.

The walk survives loops (each directory address is entered once) and garbage
(unreadable directories become recorded errors, not exceptions).
"""

from __future__ import annotations

import struct
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytsk3

from triage.evidence.names import display_name, display_path, name_bytes

MAX_DEPTH = 256
_NTFS_DATA = int(pytsk3.TSK_FS_ATTR_TYPE_NTFS_DATA)
_NTFS_FNAME = int(pytsk3.TSK_FS_ATTR_TYPE_NTFS_FNAME)
_NTFS_IDXROOT = int(pytsk3.TSK_FS_ATTR_TYPE_NTFS_IDXROOT)
_META_CHARS = {1: "r", 2: "d", 3: "p", 4: "c", 5: "b", 6: "l", 7: "s", 8: "h", 9: "w", 10: "v", 11: "V"}
_NAME_CHARS = {1: "p", 2: "c", 3: "d", 4: "b", 5: "r", 6: "l", 7: "h", 8: "s", 9: "w", 10: "v", 11: "V"}
_NAME_UNALLOC = int(pytsk3.TSK_FS_NAME_FLAG_UNALLOC)
_META_UNALLOC = int(pytsk3.TSK_FS_META_FLAG_UNALLOC)
_META_ALLOC = int(pytsk3.TSK_FS_META_FLAG_ALLOC)
_FILETIME_1970 = 116_444_736_000_000_000
_FN_DOS = 2
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
    realloc: bool = False
    """The name is deleted but its metadata is allocated again (fls: ``deleted-realloc``)."""
    crtime_ns: int | None = None
    """Sub-second part of ``crtime`` in nanoseconds (NTFS $STANDARD_INFORMATION keeps 100 ns)."""
    fn_mtime: int | None = None
    fn_atime: int | None = None
    fn_ctime: int | None = None
    fn_crtime: int | None = None
    fn_crtime_ns: int | None = None
    fn_attr_id: int | None = None
    """NTFS: the $FILE_NAME attribute whose times TSK reports (the last one not in the DOS namespace)."""
    fn_size: int | None = None
    """NTFS: that attribute's content size, the size ``fls -m`` prints on its ``($FILE_NAME)`` line."""

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
        entries = list(_entries_for(f, name, name_bytes(raw_name), parent, path, is_ntfs, report))
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

    def read_random(self, *args: Any) -> Any:
        return self._file.read_random(*args)


def _safe_iter(directory: Any, path: str, report: Callable[[str], None]) -> Iterator[Any]:
    try:
        yield from directory
    except (OSError, RuntimeError) as exc:
        report(f"{path}: folder listing stopped early: {_msg(exc)}")


def _entries_for(
    f: Any,
    name: str,
    raw: bytes,
    parent: str,
    path: str,
    is_ntfs: bool,
    report: Callable[[str], None] = lambda _msg: None,
) -> Iterator[Entry]:
    name_info = f.info.name
    meta = f.info.meta
    deleted = bool(int(name_info.flags) & _NAME_UNALLOC)
    # fls's test (tsk_fs_name_print_mac): a deleted name whose metadata is allocated again
    realloc = deleted and meta is not None and bool(int(meta.flags) & _META_ALLOC)
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
    base = dict(
        parent_path=parent or "/",
        inode=inode,
        type=etype,
        deleted=deleted,
        orphan=orphan,
        mtime=times[0],
        atime=times[1],
        ctime=times[2],
        crtime=times[3],
        mode=owner[0],
        uid=owner[1],
        gid=owner[2],
        link=link,
        name_type=_NAME_CHARS.get(int(name_info.type), "-"),
        realloc=realloc,
        crtime_ns=int(meta.crtime_nano) if meta is not None and times[3] else None,
    )
    if is_ntfs and meta is not None:
        streams = []
        try:
            for attr in f:
                atype = int(attr.info.type)
                if atype == _NTFS_FNAME:
                    base.update(_fn_times(f, attr, path, report))
                    continue
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
    yield Entry(
        path=path,
        name=name,
        name_raw=raw,
        attr_type=None,
        attr_id=None,
        stream=None,
        size=size,
        readable=readable or etype != "r",
        **base,
    )


def _fn_times(f: Any, attr: Any, path: str, report: Callable[[str], None]) -> dict[str, int | None]:
    """One $FILE_NAME attribute's times, as TSK's ``ntfs_proc_attrseq`` takes them: DOS (8.3) names are
    skipped, so the last Win32/POSIX name wins. pytsk3 does not expose ``time2.ntfs``; the resident
    content is parsed (parent ref 0, then FILETIMEs: created 8, modified 16, MFT changed 24, accessed 32;
    namespace at 65)."""
    try:
        data = f.read_random(0, int(attr.info.size), _NTFS_FNAME, int(attr.info.id))
    except (OSError, RuntimeError) as exc:
        report(
            f"{path}: $FILE_NAME attribute {attr.info.id} unreadable, its times are not recorded: {_msg(exc)}"
        )
        return {}
    if len(data) < 66:
        report(
            f"{path}: $FILE_NAME attribute {attr.info.id} is {len(data)} bytes (under 66), its times are not recorded"
        )
        return {}
    if data[65] == _FN_DOS:
        return {}
    cr, m, c, a = struct.unpack_from("<4Q", data, 8)
    return {
        "fn_crtime": _filetime(cr),
        "fn_mtime": _filetime(m),
        "fn_ctime": _filetime(c),
        "fn_atime": _filetime(a),
        "fn_crtime_ns": (cr % 10_000_000) * 100 if _filetime(cr) else None,
        "fn_attr_id": int(attr.info.id),
        "fn_size": int(attr.info.size),
    }


def _filetime(value: int) -> int | None:
    """FILETIME (100 ns since 1601) as Unix seconds; None for zero and pre-1970 values, as pytsk3 gives 0."""
    if value <= _FILETIME_1970:
        return None
    return (value - _FILETIME_1970) // 10_000_000 or None


def _t(value: int) -> int | None:
    return int(value) if value else None


def _msg(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else exc.__class__.__name__
