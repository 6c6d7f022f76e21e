"""What every builder shares: the result type, running tools, TSK oracle helpers, file trees."""

from __future__ import annotations

import os
import random
import re
import shutil
import subprocess
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

#: Timestamp used for everything the tools let us fix: 2023-11-14 22:13:20 UTC.
FAKE_TIME = 1_700_000_000


SECTOR = 512


MiB = 1024 * 1024


_SBIN_DIRS = ("/usr/local/sbin", "/usr/sbin", "/sbin")


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


def _text(rng: random.Random, words: int) -> bytes:
    vocab = "evidence seized drive ledger transfer meeting invoice alpha bravo charlie delta".split()
    return (" ".join(rng.choice(vocab) for _ in range(words)) + "\n").encode()
