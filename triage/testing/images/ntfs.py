"""NTFS images: ``mkntfs``, ``ntfscp`` and libntfs-3g through ctypes for mkdir/unlink."""

from __future__ import annotations

import ctypes
import ctypes.util
import glob
import os
import random
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

from triage.testing.images.base import (
    SECTOR,
    BuiltImage,
    Dir,
    MiB,
    Symlink,
    ToolMissing,
    Tree,
    _all_dirs,
    _check_tree,
    _described,
    _recoverable,
    _run,
    _text,
    require_tools,
)

_S_IFDIR = 0o040000


class _NtfsLib:
    _instance: _NtfsLib | None = None
    _failed = False

    def __init__(self, lib: ctypes.CDLL, libc: ctypes.CDLL) -> None:
        vp = ctypes.c_void_p
        self.lib, self.libc = lib, libc
        lib.ntfs_mount.restype = vp
        lib.ntfs_mount.argtypes = [ctypes.c_char_p, ctypes.c_ulong]
        lib.ntfs_umount.restype = ctypes.c_int
        lib.ntfs_umount.argtypes = [vp, ctypes.c_int]
        lib.ntfs_pathname_to_inode.restype = vp
        lib.ntfs_pathname_to_inode.argtypes = [vp, vp, ctypes.c_char_p]
        lib.ntfs_create.restype = vp
        lib.ntfs_create.argtypes = [vp, ctypes.c_uint32, vp, ctypes.c_uint8, ctypes.c_uint32]
        lib.ntfs_delete.restype = ctypes.c_int
        lib.ntfs_delete.argtypes = [vp, ctypes.c_char_p, vp, vp, vp, ctypes.c_uint8]
        lib.ntfs_inode_close.restype = ctypes.c_int
        lib.ntfs_inode_close.argtypes = [vp]
        lib.ntfs_set_ntfs_dos_name.restype = ctypes.c_int
        lib.ntfs_set_ntfs_dos_name.argtypes = [vp, vp, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_int]
        lib.ntfs_mbstoucs.restype = ctypes.c_int
        lib.ntfs_mbstoucs.argtypes = [ctypes.c_char_p, ctypes.POINTER(vp)]
        libc.free.restype = None
        libc.free.argtypes = [vp]

    @classmethod
    def get(cls) -> _NtfsLib | None:
        if cls._instance is None and not cls._failed:
            names = [ctypes.util.find_library("ntfs-3g")]
            for d in ("/usr/lib/*", "/usr/lib", "/usr/lib64", "/lib/*", "/usr/local/lib"):
                names += sorted(glob.glob(f"{d}/libntfs-3g.so*"))
            for name in filter(None, names):
                try:
                    lib = ctypes.CDLL(name, use_errno=True)
                    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
                    cls._instance = cls(lib, libc)
                    break
                except (OSError, AttributeError):
                    continue
            else:
                cls._failed = True
        return cls._instance

    def _ucs(self, name: str) -> tuple[ctypes.c_void_p, int]:
        buf = ctypes.c_void_p()
        n = self.lib.ntfs_mbstoucs(name.encode("utf-8"), ctypes.byref(buf))
        if n <= 0 or not buf:
            raise RuntimeError(f"libntfs-3g cannot convert name {name!r}")
        return buf, n

    def edit(
        self,
        image: Path,
        mkdirs: Sequence[str] = (),
        unlink: Sequence[str] = (),
        dos_names: Mapping[str, str] | None = None,
    ) -> None:
        lib = self.lib
        vol = lib.ntfs_mount(os.fsencode(image), 0)
        if not vol:
            raise RuntimeError(f"ntfs_mount({image}) failed: {os.strerror(ctypes.get_errno())}")
        try:
            for d in mkdirs:
                parent, _, name = d.rpartition("/")
                pni = lib.ntfs_pathname_to_inode(vol, None, (parent or "/").encode())
                if not pni:
                    raise RuntimeError(f"NTFS parent directory missing for {d!r}")
                uname, n = self._ucs(name)
                try:
                    ni = lib.ntfs_create(pni, 0, uname, n, _S_IFDIR)
                    err = ctypes.get_errno()
                finally:
                    self.libc.free(uname)
                    lib.ntfs_inode_close(pni)
                if not ni:
                    raise RuntimeError(f"ntfs_create({d!r}) failed: {os.strerror(err)}")
                lib.ntfs_inode_close(ni)
            for p in unlink:
                parent, _, name = p.rpartition("/")
                ni = lib.ntfs_pathname_to_inode(vol, None, p.encode())
                if not ni:
                    raise RuntimeError(f"NTFS file to delete not found: {p!r}")
                pni = lib.ntfs_pathname_to_inode(vol, None, (parent or "/").encode())
                uname, n = self._ucs(name)
                try:
                    # ntfs_delete always closes ni; the caller closes the parent.
                    rc = lib.ntfs_delete(vol, p.encode(), ni, pni, uname, n)
                    err = ctypes.get_errno()
                finally:
                    self.libc.free(uname)
                    lib.ntfs_inode_close(pni)
                if rc != 0:
                    raise RuntimeError(f"ntfs_delete({p!r}) failed: {os.strerror(err)}")
            for p, short in (dos_names or {}).items():
                # a separate DOS (8.3) $FILE_NAME next to the long one, as Windows makes; the call closes both inodes
                ni = lib.ntfs_pathname_to_inode(vol, None, p.encode())
                pni = lib.ntfs_pathname_to_inode(vol, None, (p.rpartition("/")[0] or "/").encode())
                if not ni or not pni:
                    raise RuntimeError(f"NTFS file for a DOS name not found: {p!r}")
                if lib.ntfs_set_ntfs_dos_name(ni, pni, short.encode(), len(short.encode()), 0) != 0:
                    raise RuntimeError(
                        f"ntfs_set_ntfs_dos_name({p!r}, {short!r}) failed: {os.strerror(ctypes.get_errno())}"
                    )
        finally:
            if lib.ntfs_umount(vol, 0) != 0:
                raise RuntimeError(f"ntfs_umount({image}) failed")


def ntfs_can_edit() -> bool:
    """True when NTFS directories can be created and files deleted (libntfs-3g)."""
    return _NtfsLib.get() is not None


def make_ntfs(
    image: Path,
    tree: Tree,
    *,
    size: int = 4 * MiB,
    delete: Sequence[str] = (),
    streams: Mapping[str, bytes] | None = None,
    label: str = "FIXTURE",
) -> BuiltImage:
    """Create an NTFS image with ``mkntfs``, copy ``tree`` in with ``ntfscp``.

    ``streams`` maps ``"/path:name"`` to the content of an alternate data
    stream (written with ``ntfscp -N name``); the file must be in ``tree``.
    Directories and deletions need libntfs-3g (see :func:`ntfs_can_edit`);
    without it, a tree with sub-directories or a non-empty ``delete`` raises
    :class:`ToolMissing` ("libntfs-3g").
    """
    require_tools("mkntfs", "ntfscp")
    tree = _check_tree(tree, delete)
    streams = dict(streams or {})
    for p, v in tree.items():
        if isinstance(v, Symlink):
            raise ValueError(f"symbolic links are not supported on NTFS here: {p!r}")
    for s in streams:
        fpath, sep, sname = s.rpartition(":")
        if not sep or not isinstance(tree.get(fpath), bytes) or not sname:
            raise ValueError(f"stream {s!r} must be 'path:name' of a file in the tree")
    dirs = _all_dirs(tree)
    lib = _NtfsLib.get()
    if (dirs or delete) and lib is None:
        raise ToolMissing("libntfs-3g")
    image = Path(image)
    image.parent.mkdir(parents=True, exist_ok=True)
    image.unlink(missing_ok=True)
    with open(image, "wb") as fh:
        fh.truncate(size)
    _run(
        [
            "mkntfs",
            "-F",
            "-f",
            "-q",
            "-T",
            "-s",
            str(SECTOR),
            "-p",
            "0",
            "-H",
            "1",
            "-S",
            "1",
            "-L",
            label,
            image,
        ]
    )
    if dirs:
        assert lib is not None
        lib.edit(image, mkdirs=dirs)
    with tempfile.TemporaryDirectory(prefix="ntfssrc-") as tmp:
        src = Path(tmp) / "data"
        for p, v in tree.items():
            if isinstance(v, bytes):
                src.write_bytes(v)
                _run(["ntfscp", "-q", image, src, p])
        for s, data in streams.items():
            fpath, _, sname = s.rpartition(":")
            src.write_bytes(data)
            _run(["ntfscp", "-q", "-N", sname, image, src, fpath])
    if delete:
        assert lib is not None
        lib.edit(image, unlink=delete)
    img = _described(
        image,
        "ntfs",
        tree,
        delete,
        streams=list(streams),
        stream_content=streams,
        metadata={"label": label},
    )
    img.recoverable_deleted = _recoverable(img, 0)
    return img


def _ntfs_tree(
    seed: int = 3, with_dirs: bool = True
) -> tuple[dict[str, bytes | Symlink | Dir], list[str], dict[str, bytes]]:
    rng = random.Random(seed)
    d = "/Documents" if with_dirs else ""
    tree: dict[str, bytes | Symlink | Dir] = {
        "/readme.txt": b"NTFS fixture (resident data)\r\n",
        f"{d}/report.txt": b"quarterly report\r\n" + _text(rng, 20),
        f"{d}/big.bin": rng.randbytes(200 * 1024),
        f"{d}/file with space.txt": b"spaces in NTFS names\r\n",
        f"{d}/na\u00efve.txt": b"non-ASCII NTFS name\r\n",
        f"{d}/deleted.txt": b"deleted through libntfs-3g ntfs_delete()\r\n",
        f"{d}/deleted-big.bin": rng.randbytes(24 * 1024),
    }
    if with_dirs:
        tree["/Documents/Sub Dir/nested.txt"] = _text(rng, 25)
    streams = {
        f"{d}/report.txt:Zone.Identifier": b"[ZoneTransfer]\r\nZoneId=3\r\n",
        "/readme.txt:hidden": b"data hidden in an alternate data stream\r\n",
    }
    return tree, [f"{d}/deleted.txt", f"{d}/deleted-big.bin"], streams


def build_ntfs(dir: Path, *, name: str = "ntfs.img", size: int = 4 * MiB) -> BuiltImage:
    """NTFS with a sub-directory tree, two ADS and two deleted files.

    With libntfs-3g: deleted ``/Documents/deleted.txt``,
    ``/Documents/deleted-big.bin``; streams ``/Documents/report.txt:Zone.Identifier``,
    ``/readme.txt:hidden``. Without it everything is at the root and nothing
    is deleted (``metadata["limited"] == "no-libntfs-3g"``).
    """
    ok = ntfs_can_edit()
    tree, deleted, streams = _ntfs_tree(with_dirs=ok)
    if not ok:
        for p in deleted:
            del tree[p]
        deleted = []
    img = make_ntfs(Path(dir) / name, tree, size=size, delete=deleted, streams=streams, label="NTFSFIXTURE")
    if not ok:
        img.metadata["limited"] = "no-libntfs-3g"
    return img
