"""Fixture disk images for tests, built with the real file-system tools.

Every ``build_*`` function takes a target directory and returns a
:class:`BuiltImage` that describes what it wrote: the image file(s), the byte
offsets of the file systems inside it and the expected content of every file,
so tests can compare what the triage engine reports with the truth.

Nothing here needs root or mounting. Images are made with ``mke2fs -d`` and
``debugfs`` (ext4), ``mkfs.fat`` + mtools (FAT), ``mkntfs`` + ``ntfscp``
(NTFS), ``sfdisk``/``sgdisk`` + ``dd conv=notrunc`` (partitioned disks),
``split``-style segmentation in Python and ``ewfacquire`` (E01).

NTFS directories and deletions: ntfsprogs has no ``mkdir``/``rm`` tool, so
this module calls ``ntfs_create()``/``ntfs_delete()`` of libntfs-3g (the
library behind ``ntfscp``) through :mod:`ctypes`. That opens the image file
directly, like ``ntfscp`` does -- no kernel mount, no FUSE. When the library
cannot be loaded, :func:`build_ntfs` keeps its files at the root and deletes
nothing, and :func:`build_windows_layout` falls back to ext4 (``kind`` says
which one you got).

The module uses only the standard library (no pytest import), so a pytest
plugin can import it. A missing tool raises :class:`ToolMissing`; tests turn
that into a skip.

Determinism: times come from :data:`FAKE_TIME` (``E2FSPROGS_FAKE_TIME``,
``SOURCE_DATE_EPOCH`` for mtools, ``mkfs.fat --invariant``), UUIDs, volume
ids and hash seeds are fixed, and generated content comes from seeded
``random.Random`` instances. ext4, FAT, MBR and GPT images are byte-identical
from one run to the next. NTFS images are not: ``mkntfs`` draws a random
volume serial number and ``ntfscp`` stamps the current time. E01 files hold
the acquisition date.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import glob
import gzip
import hashlib
import io
import os
import random
import re
import shutil
import sqlite3
import stat
import struct
import subprocess
import tarfile
import tempfile
import unicodedata
import zipfile
import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

__all__ = [
    "DEMO_BITCOIN",
    "DEMO_EMAIL",
    "DIR",
    "FAKE_TIME",
    "NIGHTJAR",
    "MiB",
    "SECTOR",
    "BuiltImage",
    "Dir",
    "FlsEntry",
    "Symlink",
    "ToolMissing",
    "Tree",
    "build_demo",
    "build_e01",
    "build_ext4",
    "build_fat",
    "build_gpt",
    "build_hostile_names",
    "build_lossless_names",
    "build_mbr",
    "build_ntfs",
    "build_ntfs_timestomped",
    "build_ext4_realloc",
    "ntfs_set_si_times",
    "build_split",
    "build_windows_layout",
    "disk_layout",
    "make_disk",
    "make_ext4",
    "make_fat",
    "make_ntfs",
    "ntfs_can_edit",
    "require_tools",
    "sample_docx",
    "sample_evtx",
    "sample_jpeg",
    "sample_pdf",
    "sample_png",
    "sample_registry_hive",
    "sample_sqlite_history",
    "sample_targz",
    "sample_zip",
    "tsk_cat",
    "tsk_list",
]

#: Timestamp used for everything the tools let us fix: 2023-11-14 22:13:20 UTC.
FAKE_TIME = 1_700_000_000
SECTOR = 512
MiB = 1024 * 1024

EXT4_UUID = "7a1e0c5e-5eed-4c0f-9e1d-000000000e44"
FAT_VOLUME_ID = "1234ABCD"
MBR_DISK_ID = "0x7e1a6e00"
GPT_DISK_GUID = "5eed0000-0000-4000-8000-000000000001"

_SBIN_DIRS = ("/usr/local/sbin", "/usr/sbin", "/sbin")
_ZIP_TIME = (2023, 11, 14, 22, 13, 20)


# --------------------------------------------------------------------------
# Result type and errors
# --------------------------------------------------------------------------


class ToolMissing(RuntimeError):
    """A program (or library) a builder needs is not installed."""

    def __init__(self, tool: str) -> None:
        self.tool = tool
        super().__init__(f"required tool not found: {tool}")


@dataclass(frozen=True)
class Symlink:
    """A symbolic link in a file tree given to :func:`make_ext4`."""

    target: str


class Dir:
    """Marker for an (empty) directory in a file tree; use :data:`DIR`."""

    def __repr__(self) -> str:  # pragma: no cover - cosmetic
        return "DIR"


DIR = Dir()

#: In-fs path ("/a/b.txt") -> content (bytes), :class:`Symlink` or :data:`DIR`.
Tree = Mapping[str, bytes | Symlink | Dir]


@dataclass
class BuiltImage:
    """What a builder wrote, and what a correct reader must find in it.

    ``files`` holds the allocated regular files (in-fs path -> content);
    paths are ``/``-separated with a leading ``/``. For partitioned disks
    ``files``/``deleted``/``streams`` are the union over all partitions (the
    builders keep paths unique across partitions) and ``volumes`` holds one
    :class:`BuiltImage` per file system, whose ``partitions`` is its own
    byte offset in the disk.
    """

    path: Path
    segments: list[Path]
    kind: str
    partitions: list[int] = field(default_factory=lambda: [0])
    deleted: list[str] = field(default_factory=list)
    streams: list[str] = field(default_factory=list)
    files: dict[str, bytes] = field(default_factory=dict)
    #: Deleted files whose content ``icat`` still returns (non-empty).
    recoverable_deleted: list[str] = field(default_factory=list)
    #: Original content of every deleted file.
    deleted_content: dict[str, bytes] = field(default_factory=dict)
    #: Content of every alternate data stream, keyed ``path:stream``.
    stream_content: dict[str, bytes] = field(default_factory=dict)
    dirs: list[str] = field(default_factory=list)
    symlinks: dict[str, str] = field(default_factory=dict)
    volumes: list[BuiltImage] = field(default_factory=list)
    #: Stored media MD5 (E01) or MD5 of the raw data (split images).
    md5: str | None = None
    #: Free-form facts: label, uuid, case number, split style ...
    metadata: dict[str, str] = field(default_factory=dict)
    sector_size: int = SECTOR

    @property
    def size(self) -> int:
        """Total size in bytes of all segments."""
        return sum(p.stat().st_size for p in self.segments)


# --------------------------------------------------------------------------
# Running tools
# --------------------------------------------------------------------------


def _which(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    # Debian does not put /usr/sbin on an ordinary user's PATH, but mke2fs,
    # mkfs.fat, sfdisk ... work fine on plain files without root.
    for d in _SBIN_DIRS:
        cand = os.path.join(d, name)
        if os.path.isfile(cand) and os.access(cand, os.X_OK):
            return cand
    return None


def require_tools(*names: str) -> None:
    """Raise :class:`ToolMissing` for the first program not installed."""
    for name in names:
        if _which(name) is None:
            raise ToolMissing(name)


def _tool_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        LC_ALL="C.UTF-8",
        LANG="C.UTF-8",
        TZ="UTC",
        E2FSPROGS_FAKE_TIME=str(FAKE_TIME),
        SOURCE_DATE_EPOCH=str(FAKE_TIME),
        MTOOLS_SKIP_CHECK="1",
        MTOOLSRC=os.devnull,
        DEBUGFS_PAGER="__none__",
        PAGER="cat",
    )
    env.pop("MKE2FS_CONFIG", None)
    if extra:
        env.update(extra)
    return env


def _run(
    cmd: Sequence[str | os.PathLike[str]],
    *,
    input: bytes | None = None,
    env: Mapping[str, str] | None = None,
    cwd: str | os.PathLike[str] | None = None,
) -> subprocess.CompletedProcess[bytes]:
    """Run a tool; raise RuntimeError carrying its stderr when it fails."""
    args = [os.fspath(c) for c in cmd]
    exe = _which(args[0])
    if exe is None:
        raise ToolMissing(args[0])
    args[0] = exe
    proc = subprocess.run(
        args,
        input=input,
        capture_output=True,
        env=_tool_env(env),
        cwd=cwd,
        check=False,
    )
    if proc.returncode != 0:
        err = proc.stderr.decode("utf-8", "replace").strip()
        out = proc.stdout.decode("utf-8", "replace").strip()
        raise RuntimeError(
            f"{' '.join(args)} failed with exit status {proc.returncode}: {err or out or '(no output)'}"
        )
    return proc


# --------------------------------------------------------------------------
# The Sleuth Kit helpers (used by builders to check recoverability, and by tests)
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class FlsEntry:
    """One line of ``fls -r -p`` output."""

    type: str  # e.g. "r/r", "d/d", "-/r", "l/l"
    deleted: bool
    addr: str  # inode / MFT entry, e.g. "14" or "64-128-2"
    path: str  # with a leading "/"; control characters shown as "^" by TSK
    realloc: bool = False


_FLS_RE = re.compile(
    r"^(?P<type>[^\s]+/[^\s]+)\s+(?P<del>\*\s+)?(?P<addr>[^\s:(]+)"
    r"(?P<realloc>\(realloc\))?:\t(?P<path>.*)$"
)


def _img_args(image: Path | Sequence[Path]) -> list[str]:
    if isinstance(image, (str, os.PathLike)):
        return [os.fspath(image)]
    return [os.fspath(p) for p in image]


def tsk_list(image: Path | Sequence[Path], offset: int = 0) -> list[FlsEntry]:
    """``fls -r -p -o SECTOR`` of the file system at byte ``offset``."""
    require_tools("fls")
    out = _run(["fls", "-r", "-p", "-o", str(offset // SECTOR), *_img_args(image)]).stdout
    entries = []
    for raw in out.split(b"\n"):
        line = raw.decode("utf-8", "surrogateescape")
        m = _FLS_RE.match(line)
        if not m:
            continue
        entries.append(
            FlsEntry(
                type=m["type"],
                deleted=bool(m["del"]),
                addr=m["addr"],
                path="/" + m["path"],
                realloc=bool(m["realloc"]),
            )
        )
    return entries


def tsk_cat(image: Path | Sequence[Path], addr: str, offset: int = 0) -> bytes:
    """``icat -o SECTOR image ADDR``."""
    require_tools("icat")
    return _run(["icat", "-o", str(offset // SECTOR), *_img_args(image), addr]).stdout


def _recoverable(img: BuiltImage, offset: int) -> list[str]:
    """Deleted paths whose content icat still returns (non-empty)."""
    if not img.deleted:
        return []
    if _which("fls") is None or _which("icat") is None:
        # Without TSK we cannot check; debugfs rm, mdel and ntfs_delete leave
        # the block pointers / runlists alone, so the content is normally there.
        return [p for p in img.deleted if img.deleted_content.get(p)]
    by_path: dict[str, FlsEntry] = {}
    for e in tsk_list(img.segments, offset):
        if e.deleted and not e.realloc:
            by_path.setdefault(e.path, e)
    result = []
    for p in img.deleted:
        hit = by_path.get(p)
        if hit is not None and tsk_cat(img.segments, hit.addr, offset):
            result.append(p)
    return result


# --------------------------------------------------------------------------
# Tree helpers
# --------------------------------------------------------------------------


def _norm(path: str) -> str:
    if not path.startswith("/"):
        path = "/" + path
    parts = [p for p in path.split("/") if p]
    if any(p in (".", "..") for p in parts):
        raise ValueError(f"'.' and '..' are not allowed as path components: {path!r}")
    return "/" + "/".join(parts)


def _parents(path: str) -> list[str]:
    parts = path.strip("/").split("/")[:-1]
    return ["/" + "/".join(parts[: i + 1]) for i in range(len(parts))]


def _all_dirs(tree: Tree) -> list[str]:
    dirs: list[str] = []
    for p, v in tree.items():
        for d in _parents(p):
            if d not in dirs:
                dirs.append(d)
        if isinstance(v, Dir) and p not in dirs:
            dirs.append(p)
    return dirs


def _described(image: Path, kind: str, tree: Tree, deleted: Iterable[str], **kw: object) -> BuiltImage:
    deleted = list(deleted)
    files = {p: v for p, v in tree.items() if isinstance(v, bytes) and p not in deleted}
    return BuiltImage(
        path=image,
        segments=[image],
        kind=kind,
        deleted=deleted,
        deleted_content={p: tree[p] for p in deleted if isinstance(tree[p], bytes)},  # type: ignore[misc]
        files=files,
        dirs=_all_dirs(tree),
        symlinks={p: v.target for p, v in tree.items() if isinstance(v, Symlink)},
        **kw,  # type: ignore[arg-type]
    )


def _check_tree(tree: Tree, deleted: Iterable[str]) -> dict[str, bytes | Symlink | Dir]:
    out = {}
    for p, v in tree.items():
        np_ = _norm(p)
        if np_ != p:
            raise ValueError(f"paths must be normalised with a leading '/': {p!r}")
        if not isinstance(v, (bytes, Symlink, Dir)):
            raise TypeError(f"{p!r}: content must be bytes, Symlink or DIR")
        out[p] = v
    for d in deleted:
        if not isinstance(out.get(d), bytes):
            raise ValueError(f"deleted path {d!r} must be a regular file in the tree")
    return out


def _stage(tree: Tree, stage: Path) -> None:
    """Write ``tree`` below ``stage`` with fixed modes and times."""
    if stage.exists():
        shutil.rmtree(stage)
    stage.mkdir(parents=True)
    for d in _all_dirs(tree):
        (stage / d[1:]).mkdir(parents=True, exist_ok=True)
    for p, v in tree.items():
        target = stage / p[1:]
        if isinstance(v, bytes):
            target.write_bytes(v)
            os.chmod(target, 0o644)
        elif isinstance(v, Symlink):
            os.symlink(v.target, target)
    for d in _all_dirs(tree):
        os.chmod(stage / d[1:], 0o755)
    # Times last, deepest first, so writing children does not touch parents.
    t = (FAKE_TIME * 10**9, FAKE_TIME * 10**9)
    for p in sorted(tree, key=lambda s: -s.count("/")):
        os.utime(stage / p[1:], ns=t, follow_symlinks=False)
    for d in sorted(_all_dirs(tree), key=lambda s: -s.count("/")):
        os.utime(stage / d[1:], ns=t)
    os.utime(stage, ns=t)


# --------------------------------------------------------------------------
# ext4
# --------------------------------------------------------------------------

# Our own mke2fs.conf, so the feature set does not depend on the host's
# /etc/mke2fs.conf (newer distributions enable orphan_file, which older TSK
# releases do not know).
_MKE2FS_CONF = """\
[defaults]
\tbase_features = sparse_super,large_file,filetype,resize_inode,dir_index,ext_attr
\tdefault_mntopts = acl,user_xattr
\tenable_periodic_fsck = 0
\tblocksize = 4096
\tinode_size = 256
\tinode_ratio = 16384

[fs_types]
\text4 = {
\t\tfeatures = has_journal,extent,huge_file,flex_bg,metadata_csum,64bit,dir_nlink,extra_isize
\t}
"""

_LS_P_RE = re.compile(rb"/(\d+)/(\d+)/(\d+)/(\d+)/([^/]*)/(\d*)/\n")


def _debugfs_script(image: Path, script: str) -> None:
    """Run debugfs -w -f SCRIPT; fail if any command reported an error."""
    with tempfile.NamedTemporaryFile(
        "w", suffix=".debugfs", delete=False, encoding="utf-8", errors="surrogateescape"
    ) as fh:
        fh.write(script)
        cmdfile = fh.name
    try:
        proc = _run(["debugfs", "-w", "-f", cmdfile, image])
    finally:
        os.unlink(cmdfile)
    # debugfs keeps going and exits 0 when a command fails; its errors go to
    # stderr, where otherwise there is only the version banner.
    errors = [
        ln
        for ln in proc.stderr.decode("utf-8", "replace").splitlines()
        if ln.strip() and not ln.startswith("debugfs ")
    ]
    if errors:
        raise RuntimeError(f"debugfs on {image} failed: {'; '.join(errors)}")


def _ext4_inodes(image: Path) -> list[int]:
    """Inode numbers of everything below the root (not lost+found), via debugfs."""
    found: list[int] = []
    todo = [2]
    while todo:
        ino = todo.pop(0)
        out = _run(["debugfs", "-R", f"ls -p <{ino}>", image]).stdout
        for m in _LS_P_RE.finditer(out):
            child, mode, name = int(m[1]), int(m[2], 8), m[5]
            if name in (b".", b"..") or child in (0, 11):
                continue
            found.append(child)
            if stat.S_ISDIR(mode):
                todo.append(child)
    return found


def make_ext4(
    image: Path,
    tree: Tree,
    *,
    size: int = 4 * MiB,
    delete: Sequence[str] = (),
    label: str = "fixture",
    uuid: str = EXT4_UUID,
    block_size: int = 1024,
) -> BuiltImage:
    """Create an ext4 image holding ``tree``, then delete ``delete`` with debugfs.

    Deleted paths must be free of double quotes and newlines (debugfs syntax).
    ``debugfs rm`` only clears the bitmaps and sets dtime; the extent tree
    stays, so ``icat`` can normally still read a deleted file.
    """
    require_tools("mke2fs", "debugfs")
    tree = _check_tree(tree, delete)
    for d in delete:
        if '"' in d or "\n" in d:
            raise ValueError(f"cannot delete {d!r} with debugfs (quote/newline)")
    image = Path(image)
    image.parent.mkdir(parents=True, exist_ok=True)
    stage = image.with_name(image.name + ".src")
    conf = image.with_name(image.name + ".mke2fs.conf")
    try:
        _stage(tree, stage)
        conf.write_text(_MKE2FS_CONF)
        image.unlink(missing_ok=True)
        _run(
            [
                "mke2fs",
                "-q",
                "-F",
                "-t",
                "ext4",
                "-b",
                str(block_size),
                "-I",
                "256",
                "-m",
                "0",
                "-L",
                label,
                "-U",
                uuid,
                "-E",
                f"hash_seed={uuid},root_owner=0:0,nodiscard",
                "-d",
                stage,
                image,
                f"{size // 1024}k",
            ],
            env={"MKE2FS_CONFIG": str(conf)},
        )
        # mke2fs -d copies ctime, owner and nanoseconds from the staging
        # files; pin them so the image does not depend on when/who built it.
        cmds = []
        for ino in _ext4_inodes(image):
            for fld in ("atime", "mtime", "ctime"):
                cmds.append(f"sif <{ino}> {fld} @{FAKE_TIME}")
            for fld in ("atime_extra", "mtime_extra", "ctime_extra", "crtime_extra"):
                cmds.append(f"sif <{ino}> {fld} 0")
            cmds.append(f"sif <{ino}> crtime @{FAKE_TIME}")
            cmds.append(f"sif <{ino}> uid 0")
            cmds.append(f"sif <{ino}> gid 0")
        for d in delete:
            cmds.append(f'rm "{d}"')
        _debugfs_script(image, "\n".join(cmds) + "\n")
    finally:
        shutil.rmtree(stage, ignore_errors=True)
        conf.unlink(missing_ok=True)
    img = _described(image, "ext4", tree, delete, metadata={"label": label, "uuid": uuid})
    img.recoverable_deleted = _recoverable(img, 0)
    return img


# --------------------------------------------------------------------------
# FAT
# --------------------------------------------------------------------------

_FAT_DEFAULT_SIZE = {12: 1 * MiB, 16: 4 * MiB, 32: 34 * MiB}
_SHORT_NAME_RE = re.compile(r"^[A-Za-z0-9_\-~!#$%&'()@^`{}]{1,8}(\.[A-Za-z0-9_\-~!#$%&'()@^`{}]{1,3})?$")


def _fat_has_lfn(name: str) -> bool:
    """True when mtools will store a long file name entry for ``name``."""
    if not _SHORT_NAME_RE.match(name):
        return True
    base, _, ext = name.partition(".")
    return any(s not in (s.upper(), s.lower()) for s in (base, ext))


def make_fat(
    image: Path,
    tree: Tree,
    *,
    fat_bits: int = 16,
    size: int | None = None,
    delete: Sequence[str] = (),
    label: str = "FIXTURE",
    volume_id: str = FAT_VOLUME_ID,
    hidden_sectors: int = 0,
) -> BuiltImage:
    """Create a FAT12/16/32 image holding ``tree`` with mtools, then ``mdel``.

    Deleted files must have a long file name (e.g. more than 8.3 characters
    or a space): for a bare 8.3 entry FAT overwrites the first character on
    delete, and TSK then reports ``_AME.TXT``. FAT32 needs >= 65525 clusters,
    so its default image is 34 MiB (sparse).
    """
    if fat_bits not in _FAT_DEFAULT_SIZE:
        raise ValueError("fat_bits must be 12, 16 or 32")
    require_tools("mkfs.fat", "mcopy", "mmd", "mdel")
    tree = _check_tree(tree, delete)
    for p, v in tree.items():
        if isinstance(v, Symlink):
            raise ValueError(f"FAT has no symbolic links: {p!r}")
    for d in delete:
        if not _fat_has_lfn(d.rsplit("/", 1)[-1]):
            raise ValueError(f"deleted FAT file needs a long name to keep it readable: {d!r}")
    image = Path(image)
    image.parent.mkdir(parents=True, exist_ok=True)
    size = size or _FAT_DEFAULT_SIZE[fat_bits]
    image.unlink(missing_ok=True)
    with open(image, "wb") as fh:
        fh.truncate(size)
    _run(
        [
            "mkfs.fat",
            "-F",
            str(fat_bits),
            "-S",
            str(SECTOR),
            "-s",
            "1",
            "-i",
            volume_id,
            "-n",
            label,
            "-h",
            str(hidden_sectors),
            "--invariant",
            image,
        ]
    )
    img_arg = ["-i", os.fspath(image)]
    dirs = _all_dirs(tree)
    if dirs:
        _run(["mmd", *img_arg, *[f"::{d}" for d in dirs]])
    with tempfile.TemporaryDirectory(prefix="fatsrc-") as tmp:
        src = Path(tmp) / "data"
        for p, v in tree.items():
            if isinstance(v, bytes):
                src.write_bytes(v)
                os.utime(src, (FAKE_TIME, FAKE_TIME))
                _run(["mcopy", *img_arg, "-m", src, f"::{p}"])
    if delete:
        _run(["mdel", *img_arg, *[f"::{d}" for d in delete]])
    img = _described(
        image,
        f"fat{fat_bits}",
        tree,
        delete,
        metadata={"label": label, "volume_id": volume_id},
    )
    img.recoverable_deleted = _recoverable(img, 0)
    return img


# --------------------------------------------------------------------------
# NTFS (ntfscp + libntfs-3g through ctypes for mkdir/unlink)
# --------------------------------------------------------------------------

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


# --------------------------------------------------------------------------
# Partitioned disks
# --------------------------------------------------------------------------


_GPT_TYPES = {
    "0700": "EBD0A0A2-B9E5-4433-87C0-68B6B72699C7",  # Microsoft basic data
    "8300": "0FC63DAF-8483-4772-8E79-3D69D8477DE4",  # Linux file system
    "EF00": "C12A7328-F81F-11D2-BA4B-00A0C93EC93B",  # EFI system partition
}


def disk_layout(sizes: Sequence[int], *, start: int = MiB, align: int = MiB) -> list[int]:
    """Byte offsets for partitions of ``sizes`` placed one after the other."""
    offsets, pos = [], start
    for s in sizes:
        pos = -(-pos // align) * align
        offsets.append(pos)
        pos += s
    return offsets


def make_disk(
    image: Path,
    scheme: str,
    volumes: Sequence[tuple[BuiltImage, str, str]],
    *,
    disk_id: str | None = None,
    part_guids: Sequence[str] | None = None,
    keep_volume_images: bool = False,
    gpt_tool: str = "sgdisk",
) -> BuiltImage:
    """Partition a new disk file and copy file-system images into it.

    ``volumes`` is a list of ``(fs_image, type, name)``: ``type`` is the MBR
    type in hex ("06", "83") for ``scheme="mbr"`` or an sgdisk type code
    ("0700", "8300") for ``"gpt"``; ``name`` is the GPT partition name.
    ``gpt_tool="sfdisk"`` writes the GPT with sfdisk instead of sgdisk
    (sgdisk always sleeps one second after writing; sfdisk knows the type
    codes in ``_GPT_TYPES`` or takes a type GUID).
    Offsets come from :func:`disk_layout` (1 MiB aligned), so a FAT built
    for this disk can be given ``hidden_sectors=offset // 512`` up front.
    """
    if scheme not in ("mbr", "gpt"):
        raise ValueError("scheme must be 'mbr' or 'gpt'")
    if gpt_tool not in ("sgdisk", "sfdisk"):
        raise ValueError("gpt_tool must be 'sgdisk' or 'sfdisk'")
    require_tools("dd", "sfdisk" if scheme == "mbr" else gpt_tool)
    image = Path(image)
    image.parent.mkdir(parents=True, exist_ok=True)
    sizes = [v.path.stat().st_size for v, _, _ in volumes]
    for s in sizes:
        if s % SECTOR:
            raise ValueError("file-system images must be a whole number of sectors")
    offsets = disk_layout(sizes)
    end = offsets[-1] + sizes[-1]
    total = -(-end // MiB) * MiB + (MiB if scheme == "gpt" else 0)
    image.unlink(missing_ok=True)
    with open(image, "wb") as fh:
        fh.truncate(total)
    if scheme == "mbr":
        lines = ["label: dos", f"label-id: {disk_id or MBR_DISK_ID}", "unit: sectors", ""]
        for (_, ptype, _), off, s in zip(volumes, offsets, sizes, strict=True):
            lines.append(f"start={off // SECTOR}, size={s // SECTOR}, type={ptype}")
        _run(
            ["sfdisk", "-q", "--no-reread", "--no-tell-kernel", "--wipe", "never", image],
            input=("\n".join(lines) + "\n").encode(),
        )
    elif gpt_tool == "sfdisk":
        lines = ["label: gpt", f"label-id: {disk_id or GPT_DISK_GUID}", "unit: sectors", ""]
        for i, ((_, ptype, name), off, s) in enumerate(zip(volumes, offsets, sizes, strict=True), 1):
            guid = part_guids[i - 1] if part_guids else f"5eed0000-0000-4000-8000-{i:012d}"
            ptype = _GPT_TYPES.get(ptype.upper(), ptype)
            lines.append(
                f'start={off // SECTOR}, size={s // SECTOR}, type={ptype}, uuid={guid}, name="{name}"'
            )
        _run(
            ["sfdisk", "-q", "--no-reread", "--no-tell-kernel", "--wipe", "never", image],
            input=("\n".join(lines) + "\n").encode(),
        )
    else:
        args = ["sgdisk", "-o", "-U", disk_id or GPT_DISK_GUID]
        for i, ((_, ptype, name), off, s) in enumerate(zip(volumes, offsets, sizes, strict=True), 1):
            guid = part_guids[i - 1] if part_guids else f"5eed0000-0000-4000-8000-{i:012d}"
            first, last = off // SECTOR, (off + s) // SECTOR - 1
            args += ["-n", f"{i}:{first}:{last}", "-t", f"{i}:{ptype}", "-u", f"{i}:{guid}"]
            if name:
                args += ["-c", f"{i}:{name}"]
        _run([*args, image])
    for (vol, _, _), off in zip(volumes, offsets, strict=True):
        _run(
            [
                "dd",
                f"if={vol.path}",
                f"of={image}",
                "bs=65536",
                f"seek={off}",
                "oflag=seek_bytes",
                "conv=notrunc,sparse",
                "status=none",
            ]
        )
    children = []
    for (vol, _, _), off in zip(volumes, offsets, strict=True):
        if not keep_volume_images:
            vol.path.unlink(missing_ok=True)
        children.append(replace(vol, path=image, segments=[image], partitions=[off]))
    disk = BuiltImage(path=image, segments=[image], kind=scheme, partitions=offsets, volumes=children)
    for child in children:
        for attr in ("files", "deleted_content", "stream_content", "symlinks"):
            mine, theirs = getattr(disk, attr), getattr(child, attr)
            clash = set(mine) & set(theirs)
            if clash:
                raise ValueError(f"paths present in more than one partition: {sorted(clash)}")
            mine.update(theirs)
        disk.deleted += child.deleted
        disk.streams += child.streams
        disk.recoverable_deleted += child.recoverable_deleted
        disk.dirs += [d for d in child.dirs if d not in disk.dirs]
    disk.metadata["disk_id"] = disk_id or (MBR_DISK_ID if scheme == "mbr" else GPT_DISK_GUID)
    return disk


# --------------------------------------------------------------------------
# Sample file content (stdlib only, deterministic)
# --------------------------------------------------------------------------


def _pdf_escape(s: str) -> str:
    return s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def sample_pdf(lines: Sequence[str], *, title: str = "Fixture", author: str = "triage") -> bytes:
    """A small valid one-page PDF 1.4 showing ``lines`` in Helvetica."""
    text = ["BT", "/F1 12 Tf", "72 760 Td", "14 TL"]
    for ln in lines:
        text.append(f"({_pdf_escape(ln)}) '")
    text.append("ET")
    stream = ("\n".join(text) + "\n").encode("latin-1")
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"endstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        (
            f"<< /Title ({_pdf_escape(title)}) /Author ({_pdf_escape(author)}) "
            f"/Producer (triage fixtures) /CreationDate (D:20231114221320Z) >>"
        ).encode("latin-1"),
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R /Info {len(objs)} 0 R >>\nstartxref\n{xref}\n%%EOF\n"
    ).encode()
    return bytes(out)


def _zip_bytes(members: Mapping[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in members.items():
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = compression
            info.create_system = 3
            info.external_attr = 0o100644 << 16
            zf.writestr(info, data)
    return buf.getvalue()


def sample_zip(members: Mapping[str, bytes], *, stored: bool = False) -> bytes:
    """A ZIP archive with fixed timestamps (deflated unless ``stored``)."""
    return _zip_bytes(members, zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED)


def sample_targz(members: Mapping[str, bytes]) -> bytes:
    """A gzip-compressed GNU tar archive with fixed times and owners."""
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.GNU_FORMAT) as tf:
        for name, data in members.items():
            ti = tarfile.TarInfo(name)
            ti.size, ti.mtime, ti.mode = len(data), FAKE_TIME, 0o644
            ti.uid = ti.gid = 0
            ti.uname = ti.gname = "root"
            tf.addfile(ti, io.BytesIO(data))
    out = io.BytesIO()
    with gzip.GzipFile(filename="", fileobj=out, mode="wb", mtime=FAKE_TIME, compresslevel=9) as gz:
        gz.write(raw.getvalue())
    return out.getvalue()


def _xml_escape(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def sample_docx(paragraphs: Sequence[str], *, title: str = "Fixture", author: str = "triage") -> bytes:
    """A minimal but valid Word (OOXML) document."""
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    body = "".join(
        f'<w:p><w:r><w:t xml:space="preserve">{_xml_escape(p)}</w:t></w:r></w:p>' for p in paragraphs
    )
    head = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    parts = {
        "[Content_Types].xml": head
        + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/word/document.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
        '<Override PartName="/docProps/core.xml" ContentType="application/'
        'vnd.openxmlformats-package.core-properties+xml"/>'
        "</Types>",
        "_rels/.rels": head
        + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="word/document.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/'
        'relationships/metadata/core-properties" Target="docProps/core.xml"/>'
        "</Relationships>",
        "word/document.xml": head + f'<w:document xmlns:w="{w}"><w:body>{body}</w:body></w:document>',
        "docProps/core.xml": head
        + '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
        'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{_xml_escape(title)}</dc:title><dc:creator>{_xml_escape(author)}</dc:creator>"
        f"<cp:lastModifiedBy>{_xml_escape(author)}</cp:lastModifiedBy>"
        '<dcterms:created xsi:type="dcterms:W3CDTF">2023-11-14T22:13:20Z</dcterms:created>'
        '<dcterms:modified xsi:type="dcterms:W3CDTF">2023-11-14T22:13:20Z</dcterms:modified>'
        "</cp:coreProperties>",
    }
    return _zip_bytes({k: v.encode("utf-8") for k, v in parts.items()})


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def sample_png(width: int = 32, height: int = 24, *, seed: int = 0, text: str | None = None) -> bytes:
    """A valid 8-bit RGB PNG: a seeded colour gradient."""
    rng = random.Random(seed)
    r0, g0, b0 = rng.randrange(256), rng.randrange(256), rng.randrange(256)
    rows = bytearray()
    for y in range(height):
        rows.append(0)
        for x in range(width):
            rows += bytes(((r0 + 7 * x) % 256, (g0 + 5 * y) % 256, (b0 + 3 * (x + y)) % 256))
    out = b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
    if text:
        out += _png_chunk(b"tEXt", b"Comment\x00" + text.encode("latin-1"))
    return out + _png_chunk(b"IDAT", zlib.compress(bytes(rows), 9)) + _png_chunk(b"IEND", b"")


# --- JPEG: baseline, 3 components, 8x8 blocks carrying only a DC term ------

_JPEG_DC_BITS = (0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0)  # standard luminance DC
_JPEG_DC_VALS = tuple(range(12))
_JPEG_AC_BITS = (1,) + (0,) * 15  # a single code, "0" = EOB (0x00)
_JPEG_AC_VALS = (0,)
_JPEG_Q = 8  # every quantiser entry; a uniform 8x8 block of value v has DC 8*(v-128)


def _huffman_codes(bits: Sequence[int], vals: Sequence[int]) -> dict[int, tuple[int, int]]:
    codes, code, k = {}, 0, 0
    for length in range(1, 17):
        for _ in range(bits[length - 1]):
            codes[vals[k]] = (code, length)
            code, k = code + 1, k + 1
        code <<= 1
    return codes


def _segment(marker: int, payload: bytes) -> bytes:
    return struct.pack(">HH", 0xFF00 | marker, len(payload) + 2) + payload


def _tiff_ifd(
    entries: list[tuple[int, int, bytes, int]], base: int, next_ifd: int = 0
) -> tuple[bytes, bytes]:
    """Big-endian IFD at offset ``base``: (ifd bytes, data area that follows it)."""
    entries = sorted(entries)
    ifd_len = 2 + 12 * len(entries) + 4
    data = bytearray()
    body = struct.pack(">H", len(entries))
    for tag, typ, value, count in entries:
        if len(value) <= 4:
            body += struct.pack(">HHI", tag, typ, count) + value.ljust(4, b"\x00")
        else:
            body += struct.pack(">HHII", tag, typ, count, base + ifd_len + len(data))
            data += value + (b"\x00" if len(value) % 2 else b"")
    return body + struct.pack(">I", next_ifd), bytes(data)


def _exif(make: str, model: str, when: str, gps: tuple[float, float] | None) -> bytes:
    def ascii_(s: str) -> tuple[bytes, int]:
        b = s.encode("ascii") + b"\x00"
        return b, len(b)

    def rationals(deg: float) -> bytes:
        d = int(abs(deg))
        m = int((abs(deg) - d) * 60)
        s = round(((abs(deg) - d) * 60 - m) * 60 * 100)
        return struct.pack(">IIIIII", d, 1, m, 1, s, 100)

    ifd0 = []
    for tag, s in ((0x010F, make), (0x0110, model), (0x0132, when)):
        v, n = ascii_(s)
        ifd0.append((tag, 2, v, n))
    exif_ifd = [(0x9003, 2, *ascii_(when))]
    if gps:
        ifd0.append((0x8825, 4, b"\x00\x00\x00\x00", 1))  # patched below
    ifd0.append((0x8769, 4, b"\x00\x00\x00\x00", 1))
    # Lay out: header(8) | IFD0+data | ExifIFD+data | GPS IFD+data
    ifd0_b, ifd0_d = _tiff_ifd(ifd0, 8)
    exif_off = 8 + len(ifd0_b) + len(ifd0_d)
    exif_b, exif_d = _tiff_ifd(exif_ifd, exif_off)
    gps_off = exif_off + len(exif_b) + len(exif_d)
    ifd0 = [
        (
            t,
            ty,
            struct.pack(">I", exif_off) if t == 0x8769 else struct.pack(">I", gps_off) if t == 0x8825 else v,
            n,
        )
        for t, ty, v, n in ifd0
    ]
    ifd0_b, ifd0_d = _tiff_ifd(ifd0, 8)
    tiff = b"MM\x00\x2a\x00\x00\x00\x08" + ifd0_b + ifd0_d + exif_b + exif_d
    if gps:
        lat, lon = gps
        gps_ifd = [
            (0x0000, 1, b"\x02\x02\x00\x00", 4),
            (0x0001, 2, b"N\x00" if lat >= 0 else b"S\x00", 2),
            (0x0002, 5, rationals(lat), 3),
            (0x0003, 2, b"E\x00" if lon >= 0 else b"W\x00", 2),
            (0x0004, 5, rationals(lon), 3),
        ]
        g_b, g_d = _tiff_ifd(gps_ifd, gps_off)
        tiff += g_b + g_d
    return b"Exif\x00\x00" + tiff


def sample_jpeg(
    width: int = 32,
    height: int = 24,
    *,
    seed: int = 0,
    exif: Mapping[str, object] | None = None,
) -> bytes:
    """A valid baseline JPEG (JFIF, YCbCr 4:4:4) built from flat 8x8 tiles.

    ``exif`` may hold ``make``, ``model``, ``datetime`` ("YYYY:MM:DD HH:MM:SS")
    and ``gps`` ((lat, lon) in degrees) to add an Exif APP1 segment.
    """
    if width % 8 or height % 8:
        raise ValueError("width and height must be multiples of 8")
    rng = random.Random(seed)
    bw, bh = width // 8, height // 8
    palette = [(rng.randrange(256), rng.randrange(256), rng.randrange(256)) for _ in range(4)]
    dc_codes = _huffman_codes(_JPEG_DC_BITS, _JPEG_DC_VALS)
    ac_codes = _huffman_codes(_JPEG_AC_BITS, _JPEG_AC_VALS)
    acc, nbits = 0, 0
    out = bytearray()

    def put(code: int, length: int) -> None:
        nonlocal acc, nbits
        acc = (acc << length) | (code & ((1 << length) - 1))
        nbits += length
        while nbits >= 8:
            nbits -= 8
            byte = (acc >> nbits) & 0xFF
            out.append(byte)
            if byte == 0xFF:
                out.append(0)

    pred = [0, 0, 0]
    for by in range(bh):
        for bx in range(bw):
            r, g, b = palette[(bx // 2 + by // 2) % len(palette)]
            shade = (bx * 97 + by * 57) % 64 - 32
            r, g, b = (max(0, min(255, c + shade)) for c in (r, g, b))
            ycc = (
                0.299 * r + 0.587 * g + 0.114 * b,
                128 - 0.168736 * r - 0.331264 * g + 0.5 * b,
                128 + 0.5 * r - 0.418688 * g - 0.081312 * b,
            )
            for c, v in enumerate(ycc):
                q = max(-127, min(127, round(v - 128)))  # 8*(v-128) / Q(=8)
                diff, pred[c] = q - pred[c], q
                cat = abs(diff).bit_length()
                put(*dc_codes[cat])
                if cat:
                    put(diff if diff > 0 else diff - 1, cat)
                put(*ac_codes[0])  # EOB: all AC coefficients are zero
    if nbits:
        put((1 << (8 - nbits)) - 1, 8 - nbits)  # pad with 1 bits

    jpeg = bytearray(b"\xff\xd8")
    jpeg += _segment(0xE0, b"JFIF\x00\x01\x01\x00\x00\x48\x00\x48\x00\x00")
    if exif:
        jpeg += _segment(
            0xE1,
            _exif(
                str(exif.get("make", "triage")),
                str(exif.get("model", "fixture")),
                str(exif.get("datetime", "2023:11:14 22:13:20")),
                exif.get("gps"),  # type: ignore[arg-type]
            ),
        )
    jpeg += _segment(0xDB, b"\x00" + bytes([_JPEG_Q]) * 64)
    jpeg += _segment(
        0xC0, struct.pack(">BHHB", 8, height, width, 3) + b"\x01\x11\x00\x02\x11\x00\x03\x11\x00"
    )
    jpeg += _segment(0xC4, b"\x00" + bytes(_JPEG_DC_BITS) + bytes(_JPEG_DC_VALS))
    jpeg += _segment(0xC4, b"\x10" + bytes(_JPEG_AC_BITS) + bytes(_JPEG_AC_VALS))
    jpeg += _segment(0xDA, b"\x03\x01\x00\x02\x00\x03\x00\x00\x3f\x00")
    jpeg += out + b"\xff\xd9"
    return bytes(jpeg)


def _filetime(unix: int) -> int:
    return (unix + 11_644_473_600) * 10_000_000


def sample_registry_hive(root_name: str = "ROOT", file_name: str = "fixture") -> bytes:
    """A tiny valid registry hive ("regf"): base block + one hbin, root key only."""
    ft = _filetime(FAKE_TIME)
    name = root_name.encode("ascii")
    nk = (
        b"nk"
        + struct.pack("<HQ", 0x2C, ft)  # KEY_HIVE_ENTRY|KEY_NO_DELETE|KEY_COMP_NAME
        + struct.pack("<IIII", 0, 0xFFFFFFFF, 0, 0)  # access bits, parent, subkeys, volatile
        + struct.pack("<II", 0xFFFFFFFF, 0xFFFFFFFF)  # subkey lists
        + struct.pack("<II", 0, 0xFFFFFFFF)  # values
        + struct.pack("<II", 0xFFFFFFFF, 0xFFFFFFFF)  # security, class name
        + struct.pack("<IIIII", 0, 0, 0, 0, 0)  # largest lengths, workvar
        + struct.pack("<HH", len(name), 0)
        + name
    )
    cell_len = -(-(4 + len(nk)) // 8) * 8
    cell = struct.pack("<i", -cell_len) + nk.ljust(cell_len - 4, b"\x00")
    hbin = b"hbin" + struct.pack("<IIQQI", 0, 4096, 0, ft, 0)  # 32-byte bin header
    free = 4096 - len(hbin) - len(cell)
    hbin += cell + struct.pack("<i", free) + b"\x00" * (free - 4)
    base = bytearray(4096)
    struct.pack_into("<4sIIQIIIIIII", base, 0, b"regf", 1, 1, ft, 1, 5, 0, 1, 0x20, 4096, 1)
    fname = file_name.encode("utf-16-le")[:64]
    base[0x30 : 0x30 + len(fname)] = fname
    csum = 0
    for (dword,) in struct.iter_unpack("<I", bytes(base[:0x1FC])):
        csum ^= dword
    struct.pack_into("<I", base, 0x1FC, csum)
    return bytes(base) + hbin


def sample_evtx() -> bytes:
    """An empty but well-formed EVTX file header ("ElfFile", no chunks)."""
    hdr = bytearray(4096)
    struct.pack_into("<8sQQQIHHHH", hdr, 0, b"ElfFile\x00", 0, 0, 1, 128, 1, 3, 4096, 0)
    struct.pack_into("<I", hdr, 120, 0)  # flags
    struct.pack_into("<I", hdr, 124, zlib.crc32(bytes(hdr[:120])))
    return bytes(hdr)


def sample_sqlite_history(urls: Sequence[tuple[str, str]] = ()) -> bytes:
    """A Chrome-style ``History`` SQLite database (urls/visits/meta tables)."""
    urls = list(urls) or [
        ("https://www.example.com/", "Example Domain"),
        ("https://mail.google.com/mail/u/0/", "Inbox - someone@gmail.com"),
        ("https://www.blockchain.com/explorer", "Blockchain Explorer"),
    ]
    webkit = (FAKE_TIME + 11_644_473_600) * 1_000_000
    with tempfile.TemporaryDirectory(prefix="history-") as tmp:
        db = Path(tmp) / "History"
        con = sqlite3.connect(db)
        try:
            con.executescript(
                """
                CREATE TABLE meta(key LONGVARCHAR NOT NULL UNIQUE PRIMARY KEY, value LONGVARCHAR);
                CREATE TABLE urls(id INTEGER PRIMARY KEY AUTOINCREMENT, url LONGVARCHAR,
                    title LONGVARCHAR, visit_count INTEGER DEFAULT 0 NOT NULL,
                    typed_count INTEGER DEFAULT 0 NOT NULL, last_visit_time INTEGER NOT NULL,
                    hidden INTEGER DEFAULT 0 NOT NULL);
                CREATE TABLE visits(id INTEGER PRIMARY KEY, url INTEGER NOT NULL,
                    visit_time INTEGER NOT NULL, from_visit INTEGER, transition INTEGER DEFAULT 0 NOT NULL,
                    segment_id INTEGER, visit_duration INTEGER DEFAULT 0 NOT NULL);
                INSERT INTO meta VALUES ('version', '56'), ('last_compatible_version', '16');
                """
            )
            for i, (url, title) in enumerate(urls, 1):
                t = webkit + i * 60_000_000
                con.execute(
                    "INSERT INTO urls(id, url, title, visit_count, typed_count, last_visit_time) "
                    "VALUES (?, ?, ?, 1, 0, ?)",
                    (i, url, title, t),
                )
                con.execute(
                    "INSERT INTO visits(id, url, visit_time, transition) VALUES (?, ?, ?, 805306368)",
                    (i, i, t),
                )
            con.commit()
        finally:
            con.close()
        return db.read_bytes()


# --------------------------------------------------------------------------
# The builders
# --------------------------------------------------------------------------


def _text(rng: random.Random, words: int) -> bytes:
    vocab = "evidence seized drive ledger transfer meeting invoice alpha bravo charlie delta".split()
    return (" ".join(rng.choice(vocab) for _ in range(words)) + "\n").encode()


def _ext4_tree(seed: int = 1) -> tuple[dict[str, bytes | Symlink | Dir], list[str]]:
    rng = random.Random(seed)
    tree: dict[str, bytes | Symlink | Dir] = {
        "/docs/readme.txt": b"This is the ext4 fixture.\n",
        "/docs/file with space.txt": b"a name with spaces\n",
        "/docs/na\u00efve r\u00e9sum\u00e9.txt": "non-ASCII name, UTF-8 content: \u00e9\u00e8\u00ea\n".encode(),
        "/docs/sub/deep/nested.txt": _text(rng, 40),
        "/docs/deleted.txt": b"this file was deleted with debugfs rm\n" + _text(rng, 30),
        "/data/big.bin": rng.randbytes(320 * 1024),
        "/data/small.bin": rng.randbytes(3000),
        "/data/deleted-big.bin": rng.randbytes(48 * 1024),
        "/empty.txt": b"",
        "/emptydir": DIR,
        "/link-to-readme": Symlink("docs/readme.txt"),
    }
    return tree, ["/docs/deleted.txt", "/data/deleted-big.bin"]


def build_ext4(dir: Path, *, name: str = "ext4.img", size: int = 4 * MiB) -> BuiltImage:
    """ext4 with nested dirs, a 320 KiB file, odd names, a symlink and 2 deleted files.

    Deleted: ``/docs/deleted.txt``, ``/data/deleted-big.bin``.
    """
    tree, deleted = _ext4_tree()
    return make_ext4(Path(dir) / name, tree, size=size, delete=deleted, label="ext4fixture")


def _fat_tree(seed: int = 2, prefix: str = "") -> tuple[dict[str, bytes | Symlink | Dir], list[str]]:
    rng = random.Random(seed)
    p = prefix
    tree: dict[str, bytes | Symlink | Dir] = {
        f"{p}/README.TXT": b"FAT fixture: short 8.3 name.\r\n",
        f"{p}/notes.txt": b"lower-case 8.3 name\r\n",
        f"{p}/Documents/Long File Name Report.txt": b"A long file name stored in VFAT LFN entries.\r\n",
        f"{p}/Documents/Sub Folder/nested.bin": rng.randbytes(40 * 1024),
        f"{p}/Documents/R\u00e9sum\u00e9 na\u00efve.txt": b"non-ASCII long name\r\n",
        f"{p}/Photos/IMG_0001.JPG": sample_jpeg(64, 48, seed=seed),
        f"{p}/Documents/Deleted Long Name.txt": b"deleted with mdel\r\n" + _text(rng, 200),
        f"{p}/Empty Folder": DIR,
    }
    return tree, [f"{p}/Documents/Deleted Long Name.txt"]


def build_fat(dir: Path, fat_bits: int = 16, *, name: str | None = None) -> BuiltImage:
    """FAT12/16/32 with LFNs, sub-directories, a JPEG and one deleted file.

    Deleted: ``/Documents/Deleted Long Name.txt``.
    """
    tree, deleted = _fat_tree()
    return make_fat(
        Path(dir) / (name or f"fat{fat_bits}.img"),
        tree,
        fat_bits=fat_bits,
        delete=deleted,
        label="FATFIXTURE",
    )


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


REALLOC_TIME = FAKE_TIME + 100
"""Times of the file that reuses the deleted file's inode in :func:`build_ext4_realloc`."""


def build_ext4_realloc(dir: Path, *, name: str = "ext4-realloc.img") -> BuiltImage:
    """ext4 where a deleted name's inode is allocated again (``fls``: ``(deleted-realloc)``).

    ``/docs/old.txt`` is deleted with ``debugfs rm``, then ``/other/new.txt`` is written and gets the
    freed inode, while the old directory entry stays in ``/docs``. ``metadata["realloc_old"]`` and
    ``metadata["realloc_new"]`` name the two; new.txt's times are :data:`REALLOC_TIME`.
    """
    require_tools("mke2fs", "debugfs")
    tree: dict[str, bytes | Symlink | Dir] = {
        "/docs/a.txt": b"first file\n" * 10,
        "/docs/old.txt": b"old content, deleted\n" * 20,
        "/docs/z.txt": b"last in the folder\n",
        "/other/b.txt": b"b\n",
    }
    image = Path(dir) / name
    make_ext4(image, tree, delete=["/docs/old.txt"], label="realloc")
    new = b"new file in the old inode\n"
    with tempfile.TemporaryDirectory(prefix="realloc-") as tmp:
        src = Path(tmp) / "new.txt"
        src.write_bytes(new)
        with tempfile.NamedTemporaryFile("w", suffix=".debugfs", delete=False, encoding="utf-8") as fh:
            fh.write(f'write "{src}" "/other/new.txt"\n')
        try:
            proc = _run(
                ["debugfs", "-w", "-f", fh.name, image], env={"E2FSPROGS_FAKE_TIME": str(REALLOC_TIME)}
            )
        finally:
            os.unlink(fh.name)
    if b"Allocated inode" not in proc.stdout + proc.stderr:
        raise RuntimeError(f"debugfs write on {image} failed: {proc.stderr.decode(errors='replace')}")
    tree["/other/new.txt"] = new
    img = _described(
        image,
        "ext4",
        tree,
        ["/docs/old.txt"],
        metadata={"label": "realloc", "realloc_old": "/docs/old.txt", "realloc_new": "/other/new.txt"},
    )
    img.recoverable_deleted = _recoverable(img, 0)
    return img


_FILETIME_1970 = 116_444_736_000_000_000


def ntfs_set_si_times(image: Path, path: str, when: int) -> int:
    """Set the four $STANDARD_INFORMATION times of ``path`` to ``when`` (Unix seconds, no fraction),
    as a timestomping tool does, by patching its MFT record in place; returns its MFT entry number.

    The $FILE_NAME times are left alone. Needs TSK's ``ifind``; assumes the $MFT is contiguous
    (true for the small images made here) and checks the record it patches.
    """
    require_tools("ifind")
    inode = int(_run(["ifind", "-n", path, image]).stdout.split()[0])
    with open(image, "r+b") as fh:
        boot = fh.read(512)
        sector = struct.unpack_from("<H", boot, 0x0B)[0]
        cluster = sector * boot[0x0D]
        mft_lcn = struct.unpack_from("<Q", boot, 0x30)[0]
        per = struct.unpack_from("<b", boot, 0x40)[0]
        rec_size = per * cluster if per > 0 else 1 << -per
        rec_off = mft_lcn * cluster + inode * rec_size
        fh.seek(rec_off)
        rec = fh.read(rec_size)
        if rec[:4] != b"FILE" or struct.unpack_from("<I", rec, 0x2C)[0] != inode:
            raise RuntimeError(f"{image}: MFT record {inode} not where expected")
        pos = struct.unpack_from("<H", rec, 0x14)[0]
        while pos + 8 <= rec_size:
            atype, alen = struct.unpack_from("<II", rec, pos)
            if atype == 0xFFFFFFFF or alen == 0:
                break
            if atype == 0x10:
                start = pos + struct.unpack_from("<H", rec, pos + 0x14)[0]
                # the last two bytes of each sector hold the update sequence number: do not touch them
                if any((start + i) % sector >= sector - 2 for i in range(32)):
                    raise RuntimeError(f"{image}: $STANDARD_INFORMATION of {path} straddles a fixup")
                ft = when * 10_000_000 + _FILETIME_1970
                fh.seek(rec_off + start)
                fh.write(struct.pack("<4Q", ft, ft, ft, ft))
                return inode
            pos += alen
    raise RuntimeError(f"{image}: no $STANDARD_INFORMATION in MFT record {inode}")


STOMPED_TIME = 1_433_116_800
"""2015-06-01 00:00:00 UTC: the $SI times :func:`build_ntfs_timestomped` writes."""


def build_ntfs_timestomped(dir: Path, *, name: str = "ntfs-stomped.img") -> BuiltImage:
    """NTFS with ``/stomped.exe`` whose $STANDARD_INFORMATION times were set back to
    :data:`STOMPED_TIME` (whole seconds), and an untouched ``/honest.txt``. ``metadata["stomped"]``
    names the stomped file. With libntfs-3g, ``/A long file name.txt`` also gets a separate DOS 8.3
    name (``metadata["dos_name_file"]``, empty without the library): two $FILE_NAME attributes, of
    which TSK reports the long one."""
    tree: dict[str, bytes | Symlink | Dir] = {
        "/honest.txt": b"times as NTFS wrote them\r\n",
        "/stomped.exe": b"MZ" + b"\0" * 62 + b"times set back\r\n",
        "/A long file name.txt": b"a long name and a DOS 8.3 name\r\n",
    }
    img = make_ntfs(Path(dir) / name, tree, label="STOMPED")
    lib = _NtfsLib.get()
    dos = {"/A long file name.txt": "ALONGF~1.TXT"} if lib is not None else {}
    if lib is not None:
        lib.edit(img.path, dos_names=dos)
    ntfs_set_si_times(img.path, "/stomped.exe", STOMPED_TIME)
    img.metadata["stomped"] = "/stomped.exe"
    img.metadata["dos_name_file"] = next(iter(dos), "")
    return img


def _build_partitioned(dir: Path, scheme: str, name: str, gpt_tool: str = "sgdisk") -> BuiltImage:
    dir = Path(dir)
    fat_size, ext_size = 3 * MiB, 4 * MiB
    fat_off, _ = disk_layout([fat_size, ext_size])
    fat_tree, fat_del = _fat_tree(seed=4, prefix="/FAT")
    ext_tree, ext_del = _ext4_tree(seed=5)
    fat = make_fat(
        dir / f"{name}.p1.img",
        fat_tree,
        fat_bits=16,
        size=fat_size,
        delete=fat_del,
        label="PART1",
        volume_id="5EED0001",
        hidden_sectors=fat_off // SECTOR,
    )
    ext = make_ext4(
        dir / f"{name}.p2.img",
        ext_tree,
        size=ext_size,
        delete=ext_del,
        label="part2",
        uuid="7a1e0c5e-5eed-4c0f-9e1d-000000000002",
    )
    if scheme == "mbr":
        vols = [(fat, "6", ""), (ext, "83", "")]
    else:
        vols = [(fat, "0700", "FATDATA"), (ext, "8300", "LINUX")]
    return make_disk(dir / name, scheme, vols, gpt_tool=gpt_tool)


def build_mbr(dir: Path, *, name: str = "mbr.img") -> BuiltImage:
    """8 MiB MBR disk: FAT16 (type 0x06) at 1 MiB, ext4 (0x83) at 4 MiB.

    FAT content lives under ``/FAT/...`` so paths are unique across the two
    partitions. Deleted: ``/FAT/Documents/Deleted Long Name.txt``,
    ``/docs/deleted.txt``, ``/data/deleted-big.bin``.
    """
    return _build_partitioned(dir, "mbr", name)


def build_gpt(dir: Path, *, name: str = "gpt.img", tool: str = "sgdisk") -> BuiltImage:
    """9 MiB GPT disk: FAT16 "FATDATA" at 1 MiB, ext4 "LINUX" at 4 MiB (same content as MBR).

    ``tool="sfdisk"`` avoids sgdisk's built-in one-second sleep.
    """
    return _build_partitioned(dir, "gpt", name, gpt_tool=tool)


def _as_image(base: BuiltImage | Path | str) -> BuiltImage:
    if isinstance(base, BuiltImage):
        return base
    p = Path(base)
    return BuiltImage(path=p, segments=[p], kind="raw")


def _alpha_suffix(i: int) -> str:
    a, b = divmod(i, 26)
    if a >= 26:
        raise ValueError("too many segments for the 'aa' style")
    return chr(97 + a) + chr(97 + b)


def build_split(
    dir: Path,
    base: BuiltImage | Path | str,
    *,
    segment_size: int = MiB,
    style: str = "numeric",
    name: str | None = None,
) -> BuiltImage:
    """Split a raw image into ``NAME.001, NAME.002 ...`` (or ``NAME.aa, NAME.ab ...``).

    ``NAME`` defaults to the base image's stem. The result describes the same
    file systems and files as ``base``.
    """
    if style not in ("numeric", "aa"):
        raise ValueError("style must be 'numeric' or 'aa'")
    src = _as_image(base)
    if len(src.segments) != 1:
        raise ValueError("base must be a single-file raw image")
    dir = Path(dir)
    dir.mkdir(parents=True, exist_ok=True)
    stem = name or src.path.stem
    segments, md5 = [], hashlib.md5()
    with open(src.path, "rb") as fh:
        i = 0
        while True:
            chunk = fh.read(segment_size)
            if not chunk and i:
                break
            md5.update(chunk)
            suffix = f"{i + 1:03d}" if style == "numeric" else _alpha_suffix(i)
            seg = dir / f"{stem}.{suffix}"
            seg.write_bytes(chunk)
            segments.append(seg)
            i += 1
            if len(chunk) < segment_size:
                break
    out = replace(src, path=segments[0], segments=segments, kind="split", md5=md5.hexdigest())
    out.metadata = {**src.metadata, "style": style, "segment_size": str(segment_size), "base_kind": src.kind}
    out.volumes = [replace(v, path=segments[0], segments=segments) for v in src.volumes]
    return out


_MD5_RE = re.compile(rb"MD5 hash calculated over data:\s*([0-9a-f]{32})")


def build_e01(
    dir: Path,
    raw: BuiltImage | Path | str | None = None,
    *,
    segment_size: int = MiB,
    name: str | None = None,
    case_number: str = "CASE-2023-0042",
    evidence_number: str = "EV-001",
    examiner: str = "Fixture Examiner",
    description: str = "triage test fixture",
    notes: str = "built by triage.testing.images",
    compression: str = "none",
) -> BuiltImage:
    """Acquire ``raw`` (default: a fresh :func:`build_ext4`) into an E01 set.

    ``ewfacquire`` refuses segments under 1 MiB; with ``compression="none"``
    the default 4 MiB ext4 fixture gives ``.E01`` ... ``.E04``. ``md5`` is
    the MD5 ewfacquire stored in the image (checked against the raw data).
    """
    require_tools("ewfacquire")
    dir = Path(dir)
    dir.mkdir(parents=True, exist_ok=True)
    src = _as_image(raw) if raw is not None else build_ext4(dir, name="e01-source.img")
    if len(src.segments) != 1:
        raise ValueError("raw must be a single-file raw image")
    if segment_size < MiB:
        raise ValueError("ewfacquire's minimum segment size is 1 MiB")
    if src.path.stat().st_size % SECTOR:
        raise ValueError("raw image size must be a multiple of 512 (ewfacquire truncates)")
    target = dir / (name or src.path.stem)
    for old in glob.glob(glob.escape(str(target)) + ".E??"):
        os.unlink(old)
    proc = _run(
        [
            "ewfacquire",
            "-u",
            "-q",
            "-t",
            target,
            "-f",
            "encase6",
            "-c",
            compression,
            "-S",
            str(segment_size),
            "-C",
            case_number,
            "-E",
            evidence_number,
            "-e",
            examiner,
            "-D",
            description,
            "-N",
            notes,
            "-m",
            "fixed",
            "-M",
            "physical",
            src.path,
        ]
    )
    m = _MD5_RE.search(proc.stdout + proc.stderr)
    h = hashlib.md5()
    with open(src.path, "rb") as fh:
        for chunk in iter(lambda: fh.read(MiB), b""):
            h.update(chunk)
    if m is None:
        raise RuntimeError(f"could not find the MD5 in ewfacquire output: {proc.stdout!r}")
    md5 = m[1].decode()
    if md5 != h.hexdigest():
        raise RuntimeError(f"ewfacquire MD5 {md5} != raw MD5 {h.hexdigest()}")
    segments = sorted(Path(p) for p in glob.glob(glob.escape(str(target)) + ".E??"))
    out = replace(src, path=segments[0], segments=segments, kind="e01", md5=md5)
    out.metadata = {
        **src.metadata,
        "case_number": case_number,
        "evidence_number": evidence_number,
        "examiner": examiner,
        "description": description,
        "notes": notes,
        "base_kind": src.kind,
    }
    out.volumes = [replace(v, path=segments[0], segments=segments) for v in src.volumes]
    return out


def build_hostile_names(dir: Path, *, name: str = "hostile.img", invalid_utf8: bool = False) -> BuiltImage:
    """ext4 whose file names try to break exporters and UIs.

    Names (all at the root): ``..\\..\\evil.txt``, ``...``, ``CON``,
    ``aux.txt``, ``ctrl\\x01char.txt``, ``tab\\there.txt``, ``new\\nline.txt``,
    a 255-byte name, ``café.txt`` in NFC and in NFD, ``trailing dot.``,
    ``trailing space ``, ``win<>:"|?*.txt``, ``-rf``, and
    ``sub/..\\..\\..\\escape.txt``. With ``invalid_utf8`` also ``bad\\xff.txt``
    (its key is ``os.fsdecode(b"/bad\\xff.txt")``, i.e. surrogate-escaped;
    ``os.fsencode(key)`` gives the raw bytes). TSK's ``fls`` prints control
    characters as ``^``.
    """
    long_name = "L" * 251 + ".txt"
    nfc = unicodedata.normalize("NFC", "caf\u00e9.txt")
    nfd = unicodedata.normalize("NFD", "caf\u00e9.txt")
    assert nfc != nfd and len(long_name.encode()) == 255
    names = [
        "..\\..\\evil.txt",
        "...",
        "CON",
        "aux.txt",
        "ctrl\x01char.txt",
        "tab\there.txt",
        "new\nline.txt",
        long_name,
        nfc,
        nfd,
        "trailing dot.",
        "trailing space ",
        'win<>:"|?*.txt',
        "-rf",
        "sub/..\\..\\..\\escape.txt",
    ]
    if invalid_utf8:
        names.append(os.fsdecode(b"bad\xff.txt"))
    tree: dict[str, bytes | Symlink | Dir] = {}
    for i, n in enumerate(names):
        tree["/" + n] = f"hostile file #{i}: {n!r}\n".encode("utf-8", "backslashreplace")
    img = make_ext4(Path(dir) / name, tree, size=2 * MiB, label="hostile")
    img.metadata["nfc"] = "/" + nfc
    img.metadata["nfd"] = "/" + nfd
    return img


LOSSLESS_NAMES: dict[str, bytes] = {
    "raw_ff": b"\xff",
    "escaped_text": b"\\xff",
    "backslash": b"back\\slash.txt",
    "utf8": "caf\u00e9.txt".encode(),
    "pipe": b"pipe|100%.txt",
    "raw_dir": b"dir\xfe",
    "text_dir": b"dir\\xfe",
    "deleted": b"gone\xfd.txt",
}
"""The names :func:`build_lossless_names` writes (bytes), by role."""


def build_lossless_names(dir: Path, *, name: str = "lossless.img") -> BuiltImage:
    """ext4 whose names differ only in bytes a lossy decoder merges.

    At the root: the raw byte ``0xFF``; the four characters ``\\xff``; ``back\\slash.txt``;
    ``café.txt`` (valid UTF-8); ``pipe|100%.txt``; folders ``dir`` + ``0xFE`` and
    ``dir\\xfe`` holding ``inner.txt`` each; ``gone`` + ``0xFD`` + ``.txt``, deleted with debugfs.
    Tree keys are ``os.fsdecode`` of the byte paths (surrogate-escaped); ``os.fsencode(key)``
    gives the bytes. Every file's content differs.
    """
    n = {k: os.fsdecode(v) for k, v in LOSSLESS_NAMES.items()}
    tree: dict[str, bytes | Symlink | Dir] = {}
    for role in ("raw_ff", "escaped_text", "backslash", "utf8", "pipe", "deleted"):
        tree["/" + n[role]] = f"lossless name fixture: {role}\n".encode() * 3
    for role in ("raw_dir", "text_dir"):
        tree[f"/{n[role]}/inner.txt"] = f"inner file of {role}\n".encode()
    deleted = ["/" + n["deleted"]]
    return make_ext4(Path(dir) / name, tree, size=2 * MiB, delete=deleted, label="lossless")


def _windows_tree(seed: int = 6) -> tuple[dict[str, bytes | Symlink | Dir], list[str], dict[str, bytes]]:
    rng = random.Random(seed)
    u = "/Users/alice"
    tree: dict[str, bytes | Symlink | Dir] = {
        f"{u}/NTUSER.DAT": sample_registry_hive("ROOT", "\\??\\C:\\Users\\alice\\ntuser.dat"),
        "/Windows/System32/config/SOFTWARE": sample_registry_hive(
            "ROOT", "\\SystemRoot\\System32\\Config\\SOFTWARE"
        ),
        "/Windows/System32/config/SYSTEM": sample_registry_hive(
            "ROOT", "\\SystemRoot\\System32\\Config\\SYSTEM"
        ),
        "/Windows/System32/winevt/Logs/Security.evtx": sample_evtx(),
        "/Windows/System32/drivers/etc/hosts": b"127.0.0.1 localhost\r\n",
        f"{u}/AppData/Local/Google/Chrome/User Data/Default/History": sample_sqlite_history(),
        f"{u}/Documents/report.docx": sample_docx(["Quarterly report", "Numbers look fine."], author="alice"),
        f"{u}/Documents/budget.txt": b"Q1 12000\r\nQ2 13500\r\n",
        f"{u}/Desktop/todo.txt": b"- call bob\r\n- wipe laptop\r\n",
        f"{u}/Downloads/invoice.pdf": sample_pdf(["Invoice 2023-117", "Amount due: 1,200 EUR"]),
        f"{u}/Pictures/beach.jpg": sample_jpeg(
            64, 48, seed=seed, exif={"make": "Canon", "model": "EOS 80D", "gps": (43.7, 7.26)}
        ),
        f"{u}/Documents/secret_plan.txt": b"delete me before they come\r\n" + _text(rng, 50),
    }
    streams = {
        f"{u}/Downloads/invoice.pdf:Zone.Identifier": b"[ZoneTransfer]\r\nZoneId=3\r\nHostUrl=https://example.com/invoice.pdf\r\n"
    }
    return tree, [f"{u}/Documents/secret_plan.txt"], streams


def build_windows_layout(dir: Path, *, name: str = "windows.img", size: int = 8 * MiB) -> BuiltImage:
    """NTFS laid out like a Windows system volume.

    ``Users/alice/NTUSER.DAT`` and ``Windows/System32/config/{SOFTWARE,SYSTEM}``
    (minimal valid hives: root key only), ``Windows/System32/winevt/Logs/Security.evtx``
    (empty EVTX header), Chrome ``History`` (real SQLite), documents, a JPEG
    with Exif GPS. Deleted: ``/Users/alice/Documents/secret_plan.txt``.
    Stream: ``/Users/alice/Downloads/invoice.pdf:Zone.Identifier``.
    Without libntfs-3g (no way to make NTFS directories) it falls back to
    ext4 with the same tree and no streams: ``kind == "ext4"``.
    """
    tree, deleted, streams = _windows_tree()
    path = Path(dir) / name
    if ntfs_can_edit():
        return make_ntfs(path, tree, size=size, delete=deleted, streams=streams, label="Windows")
    img = make_ext4(path, tree, size=size, delete=deleted, label="windows")
    img.metadata["fallback"] = "ext4: libntfs-3g not available"
    return img


# --------------------------------------------------------------------------
# Demo disk
# --------------------------------------------------------------------------

NIGHTJAR = b"CONFIDENTIAL-PROJECT-NIGHTJAR"
DEMO_EMAIL = "someone@gmail.com"
DEMO_BITCOIN = "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2"


def _demo_trees() -> tuple[
    dict[str, bytes | Symlink | Dir], list[str], dict[str, bytes | Symlink | Dir], list[str]
]:
    rng = random.Random(2023)
    holiday_zip = sample_zip(
        {"itinerary.txt": b"Flight BA117 LHR-JFK 14 Nov\n", "hotel.txt": b"Booking ref QX7781\n"}
    )
    fat: dict[str, bytes | Symlink | Dir] = {
        "/DCIM/100CANON/IMG_0001.JPG": sample_jpeg(
            128,
            96,
            seed=11,
            exif={
                "make": "Canon",
                "model": "EOS 80D",
                "datetime": "2023:11:12 09:30:00",
                "gps": (51.5007, -0.1246),
            },
        ),
        "/DCIM/100CANON/IMG_0002.JPG": sample_jpeg(
            96, 64, seed=12, exif={"make": "Canon", "model": "EOS 80D"}
        ),
        "/Pictures/holiday.jpg": holiday_zip,  # extension lies: it is a ZIP
        "/Pictures/diagram.png": sample_png(64, 48, seed=13, text="network diagram"),
        "/Documents/Quarterly Report.pdf": sample_pdf(
            ["Quarterly Report Q3 2023", "Revenue: 1.2M", "Prepared by Alice"],
            title="Quarterly Report",
            author="Alice",
        ),
        "/Documents/Project Plan.docx": sample_docx(
            ["Project plan", "Phase 1: recon", "Phase 2: move funds"], title="Project Plan", author="Alice"
        ),
        "/Documents/meeting notes.txt": b"Meeting with Bob on Tuesday.\r\nBring the USB stick.\r\n",
        "/Documents/Deleted Meeting Minutes.txt": b"Minutes (deleted): "
        + NIGHTJAR
        + b" budget approved.\r\n",
        "/Documents/Old Draft Letter.txt": b"Dear Sir, this draft was deleted.\r\n" + _text(rng, 60),
    }
    fat_deleted = ["/Documents/Deleted Meeting Minutes.txt", "/Documents/Old Draft Letter.txt"]
    h = "/home/alice"
    ext: dict[str, bytes | Symlink | Dir] = {
        f"{h}/notes.txt": b"todo: renew passport\nbuy printer ink\n",
        f"{h}/contacts.txt": (
            f"Bob Smith <{DEMO_EMAIL}>\nPay to: {DEMO_BITCOIN}\nPhone: +44 20 7946 0000\n".encode()
        ),
        f"{h}/projects/nightjar/brief.txt": b"Classification: " + NIGHTJAR + b"\nDo not distribute.\n",
        f"{h}/Pictures/cat.png": sample_png(48, 48, seed=21),
        f"{h}/Pictures/sunset.jpg": sample_jpeg(64, 48, seed=22),
        f"{h}/Downloads/archive.zip": sample_zip(
            {"readme.txt": b"archive member\n", "data/values.csv": b"a,b\n1,2\n"}
        ),
        f"{h}/Downloads/backup.tar.gz": sample_targz(
            {"backup/notes.txt": b"backup of notes\n", "backup/keys.txt": b"not really keys\n"}
        ),
        f"{h}/Downloads/invoice.pdf": sample_pdf(
            ["Invoice 2023-117", "Amount due: 1,200 EUR"], title="Invoice"
        ),
        f"{h}/.bash_history": b"ls -la\nshred -u plans.txt\nssh bob@10.0.0.5\n",
        f"{h}/latest-notes": Symlink("notes.txt"),
        f"{h}/Documents/resignation draft.txt": b"I hereby resign (deleted draft).\n" + _text(rng, 40),
        f"{h}/Documents/plans.txt": b"the plan, deleted with debugfs rm\n" + _text(rng, 400),
        "/var/log/auth.log": b"Nov 14 22:13:20 host sshd[1]: Accepted publickey for alice\n",
    }
    ext_deleted = [f"{h}/Documents/resignation draft.txt", f"{h}/Documents/plans.txt"]
    return fat, fat_deleted, ext, ext_deleted


def build_demo(dir_or_file: Path) -> BuiltImage:
    """The 8 MiB demo disk (``examples/demo.raw``): MBR, FAT16 + ext4.

    ``dir_or_file`` is either an existing directory (the image is
    ``demo.raw`` in it) or the output file name. Byte-identical from run to run on one machine
    (zlib output, used for the PNG/ZIP/tar.gz members, could differ between
    zlib builds).
    """
    out = Path(dir_or_file)
    if out.is_dir():
        out = out / "demo.raw"
    out.parent.mkdir(parents=True, exist_ok=True)
    fat_tree, fat_del, ext_tree, ext_del = _demo_trees()
    fat_size, ext_size = 3 * MiB, 4 * MiB
    fat_off, _ = disk_layout([fat_size, ext_size])
    with tempfile.TemporaryDirectory(prefix="demo-", dir=out.parent) as tmp:
        fat = make_fat(
            Path(tmp) / "fat.img",
            fat_tree,
            fat_bits=16,
            size=fat_size,
            delete=fat_del,
            label="DEMO-USB",
            volume_id="DE300001",
            hidden_sectors=fat_off // SECTOR,
        )
        ext = make_ext4(
            Path(tmp) / "ext4.img",
            ext_tree,
            size=ext_size,
            delete=ext_del,
            label="demo-home",
            uuid="de300000-0000-4000-8000-000000000002",
        )
        tmp_disk = Path(tmp) / "demo.raw"
        disk = make_disk(tmp_disk, "mbr", [(fat, "6", ""), (ext, "83", "")], disk_id="0xde300001")
        os.replace(tmp_disk, out)
    disk.path = out
    disk.segments = [out]
    for v in disk.volumes:
        v.path, v.segments = out, [out]
    disk.metadata["demo"] = "1"
    return disk
