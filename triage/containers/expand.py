"""Container expansion inside the scan worker: a container's members are read right after it,
each becomes an inventory entry (``origin='member'``) with its own results, and containers among
them are opened in turn, within the :class:`Limits`.

Every limit that stops something is recorded on the entry it stopped (a completeness-ledger
entry and a warning), never dropped: the member is listed with status ``skipped`` (or
``encrypted``) and the reason as its error.
"""

from __future__ import annotations

import hashlib
import io
import json
import tempfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, fields
from typing import IO, Any

from triage.case.records import FileProblem, GapKind, Severity
from triage.case.store import FileResult, MemberResult
from triage.containers.formats import ContainerDamaged, Member, clean, detect, members

SOURCE = "containers"
HEAD = 4096
"""Bytes of a file's start that :func:`triage.containers.formats.detect` looks at."""
SPOOL_MEMORY = 16 << 20
"""A member up to this size stays in memory; a bigger one spills to the worker's scratch folder."""
READ = 1 << 20


@dataclass(frozen=True)
class Limits:
    """What stops an expansion (scan option ``containers``; docs/containers.md).

    ``max_depth``: containers nested deeper are listed but not opened (a member of an archive on
    the file system is at depth 1). ``max_ratio``: a member, or a container's members together,
    may expand to at most this many times their packed size once past ``ratio_floor`` bytes.
    ``max_total``: expanded bytes of one file-system container, nested ones included.
    ``max_members``: entries of one file-system container, nested ones included.
    """

    enabled: bool = True
    max_depth: int = 10
    max_ratio: float = 100.0
    ratio_floor: int = 1 << 20
    max_total: int = 4 << 30
    max_members: int = 100_000

    @classmethod
    def from_options(cls, options: Mapping[str, Any]) -> Limits:
        """Limits from the ``containers`` options; an unknown key or a bad value is a ValueError."""
        names = {f.name: f.type for f in fields(cls)}
        unknown = sorted(set(options) - set(names))
        if unknown:
            raise ValueError(f"unknown container option {unknown[0]!r} (known: {', '.join(sorted(names))})")
        values: dict[str, Any] = {}
        for key, value in options.items():
            default = getattr(cls(), key)
            if isinstance(default, bool):
                if not isinstance(value, bool):
                    raise ValueError(f"container option {key} must be true or false, not {value!r}")
            elif isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
                raise ValueError(f"container option {key} must be a positive number, not {value!r}")
            values[key] = type(default)(value)
        return cls(**values)


class Budget:
    """What one file-system container and everything inside it used so far."""

    def __init__(self) -> None:
        self.expanded = 0
        self.members = 0


class MemberContent:
    """A member's bytes (in memory or spooled), read the way the worker reads a file."""

    def __init__(self, spool: IO[bytes], size: int) -> None:
        self._spool = spool
        self.size = size

    def read(self, offset: int, length: int) -> bytes:
        if offset >= self.size or length <= 0:
            return b""
        self._spool.seek(offset)
        return self._spool.read(min(length, self.size - offset))

    read_at = read

    def slack(self, limit: int) -> bytes:
        return b""  # a member has no blocks of its own

    def chunks(self, size: int = READ) -> Iterator[bytes]:
        offset = 0
        while offset < self.size:
            data = self.read(offset, size)
            if not data:
                return
            offset += len(data)
            yield data

    def sha256(self) -> str:
        h = hashlib.sha256()
        for chunk in self.chunks():
            h.update(chunk)
        return h.hexdigest()

    def close(self) -> None:
        self._spool.close()

    def __enter__(self) -> MemberContent:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _Stream(io.RawIOBase):
    """A seekable stream over anything with ``read(offset, n)`` and ``size`` (a file's content)."""

    def __init__(self, content: Any, size: int) -> None:
        self._content = content
        self._size = size
        self._pos = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: self._size}[whence]
        self._pos = max(0, base + offset)
        return self._pos

    def readinto(self, buffer: Any) -> int:
        data = self._content.read(self._pos, len(buffer))
        n = len(data)
        buffer[:n] = data
        self._pos += n
        return n


def stream_of(content: Any, size: int) -> IO[bytes]:
    """A buffered, seekable binary stream over a content reader."""
    return io.BufferedReader(_Stream(content, size), buffer_size=READ)


ScanMember = Callable[[dict[str, Any], MemberContent, Budget], FileResult]
"""Scans one member row over its content (the worker's ``scan_file`` one level deeper)."""


class Expander:
    """Opens containers for one worker with the scan's :class:`Limits`."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits

    def expand(
        self,
        row: dict[str, Any],
        head: bytes,
        content: Any,
        result: FileResult,
        depth: int,
        budget: Budget | None,
        scan: ScanMember,
    ) -> None:
        """If ``row`` (scanned into ``result``) is a container, add its members to ``result``.

        ``depth`` is the row's own depth (0: a file-system file); ``budget`` that of the
        file-system container it lies in (None: ``row`` is that container).
        """
        if not self.limits.enabled or result.status != "done" or row["size"] <= 0:
            return
        kind = detect(head, str(row["name"]))
        if kind is None:
            return
        result.attributes["container"] = kind
        if depth >= self.limits.max_depth:
            self._stop(
                result,
                f"{kind} container not opened: depth limit {self.limits.max_depth} reached "
                f"(containers max_depth)",
                row["size"],
            )
            return
        budget = budget or Budget()
        _Run(self.limits, budget, row, kind, content, result, scan).run()

    @staticmethod
    def _stop(result: FileResult, reason: str, size: int | None) -> None:
        result.gaps.append((GapKind.SKIPPED_BY_LIMIT.value, reason, SOURCE, size))
        result.errors.append(FileProblem(SOURCE, reason, Severity.WARNING))


class _Run:
    """The expansion of one container."""

    def __init__(
        self,
        limits: Limits,
        budget: Budget,
        row: dict[str, Any],
        kind: str,
        content: Any,
        result: FileResult,
        scan: ScanMember,
    ) -> None:
        self.limits, self.budget, self.row, self.kind = limits, budget, row, kind
        self.content, self.result, self.scan = content, result, scan
        self.expanded = 0  # bytes of this container's own members
        self.dirs: set[str] = set()
        self.paths: dict[str, int] = {}

    def run(self) -> None:
        stream = stream_of(self.content, int(self.row["size"]))
        listed = 0
        try:
            for m in members(self.kind, stream, str(self.row["name"])):
                path = clean(m.path)
                if not path:
                    continue
                if self.budget.members >= self.limits.max_members:
                    Expander._stop(
                        self.result,
                        f"{self.kind} container: members after the {listed}th not listed: member limit "
                        f"{self.limits.max_members} reached (containers max_members)",
                        None,
                    )
                    return
                self.budget.members += 1
                listed += 1
                self._parents(path)
                if m.is_dir:
                    self._dir(path, m.mtime)
                    continue
                self._member(path, m)
        except ContainerDamaged as exc:
            reason = f"damaged {self.kind} container: {exc} (after {listed} members)"
            self.result.gaps.append((GapKind.DAMAGED.value, reason, SOURCE, None))
            self.result.errors.append(FileProblem(SOURCE, reason, Severity.WARNING))
        self.result.attributes["container_members"] = listed

    # -- entries -----------------------------------------------------------------------------
    def _entry(self, path: str, kind: str, size: int, mtime: int | None) -> dict[str, Any]:
        """The inventory row of a member (its container's metadata address, for reading it
        again through the container)."""
        if kind == "r":  # a name repeated inside one container: each copy stays, as path~N
            n = self.paths[path] = self.paths.get(path, 0) + 1
            path = path if n == 1 else f"{path}~{n}"
        base = str(self.row["path"])
        parent, _, name = path.rpartition("/")
        row = self.row
        return {
            "parent_path": f"{base}//{parent}" if parent else base,
            "path": f"{base}//{path}",
            "name": name,
            "inode": row.get("inode"),
            "attr_type": row.get("attr_type"),
            "attr_id": row.get("attr_id"),
            "stream": None,
            "type": kind,
            "size": size,
            "deleted": bool(row.get("deleted")),
            "orphan": False,
            "mtime": mtime,
            "atime": None,
            "ctime": None,
            "crtime": None,
            "origin": "member",
            "member_path": path,
            # a member of a carved container keeps the carved file's extent, as others keep the inode
            "extent": _runs(row.get("extent")),
        }

    def _parents(self, path: str) -> None:
        parts = path.split("/")[:-1]
        for i in range(1, len(parts) + 1):
            self._dir("/".join(parts[:i]), None)

    def _dir(self, path: str, mtime: int | None) -> None:
        if path in self.dirs:
            return
        self.dirs.add(path)
        entry = self._entry(path, "d", 0, mtime)
        self.result.members.append(MemberResult(entry, FileResult(file_id=0, status="skipped")))

    def _member(self, path: str, m: Member) -> None:
        size = m.size if m.size is not None else 0
        entry = self._entry(path, "r", size, m.mtime)
        if m.problem is not None or m.open is None:
            problem = m.problem or "content not readable"
            status = "encrypted" if m.encrypted else "failed"
            res = FileResult(file_id=0, status=status, error=problem)
            kind = GapKind.ENCRYPTED if m.encrypted else GapKind.FAILED
            res.gaps.append((kind.value, f"{self.kind} member {problem}", SOURCE, m.size))
            res.errors.append(FileProblem(SOURCE, f"{self.kind} member {problem}", Severity.WARNING))
            self.result.members.append(MemberResult(entry, res))
            return
        stop = self._over(m.size, m.packed, m.size or 0)
        if stop is not None:
            self._skipped(entry, stop, m.size)
            return
        try:
            spool, n, stop = self._spool(m)
        except Exception as exc:  # a damaged member: it is listed, failed, and the container says so
            reason = f"{self.kind} member cannot be read: {type(exc).__name__}: {_one_line(exc)}"
            res = FileResult(file_id=0, status="failed", error=reason)
            res.errors.append(FileProblem(SOURCE, reason))
            self.result.errors.append(FileProblem(SOURCE, f"{path}: {reason}", Severity.WARNING))
            self.result.members.append(MemberResult(entry, res))
            return
        if stop is not None:
            spool.close()
            self._skipped(entry, stop, m.size)
            return
        entry["size"] = n
        content = MemberContent(spool, n)
        row = dict(self.row)
        row.update(
            id=0,
            path=entry["path"],
            name=entry["name"],
            size=n,
            stream=None,
            mtime=entry["mtime"],
        )
        row.pop("skip_analyzers", None)
        try:
            res = self.scan(row, content, self.budget)
        finally:
            content.close()
        self.result.members.append(MemberResult(entry, res))

    def _skipped(self, entry: dict[str, Any], reason: str, size: int | None) -> None:
        res = FileResult(file_id=0, status="skipped", error=reason)
        Expander._stop(res, reason, size)
        self.result.members.append(MemberResult(entry, res))

    # -- limits --------------------------------------------------------------------------------
    def _over(self, size: int | None, packed: int | None, adding: int) -> str | None:
        """Why a member of ``size`` (declared, or read so far) and ``packed`` bytes goes no further."""
        lim = self.limits
        if (
            size is not None
            and packed is not None
            and size > lim.ratio_floor
            and size > lim.max_ratio * max(packed, 1)
        ):
            return (
                f"{self.kind} member not read: expansion ratio {size / max(packed, 1):.0f}:1 "
                f"({size} bytes from {packed}) over the limit {lim.max_ratio:g}:1 (containers max_ratio)"
            )
        whole = self.expanded + adding
        if whole > lim.ratio_floor and whole > lim.max_ratio * max(int(self.row["size"]), 1):
            return (
                f"{self.kind} member not read: the container's members expand past "
                f"{lim.max_ratio:g} times its {self.row['size']} bytes (containers max_ratio)"
            )
        if self.budget.expanded + adding > lim.max_total:
            return (
                f"{self.kind} member not read: expanded bytes of the container would pass "
                f"{lim.max_total} (containers max_total)"
            )
        return None

    def _spool(self, m: Member) -> tuple[IO[bytes], int, str | None]:
        """The member's bytes, read within the limits: (spool, bytes, why it stopped or None)."""
        assert m.open is not None
        src = m.open()
        out: IO[bytes] = tempfile.SpooledTemporaryFile(max_size=SPOOL_MEMORY)
        n = 0
        try:
            while True:
                chunk = src.read(READ)
                if not chunk:
                    break
                n += len(chunk)
                stop = self._over(n, m.packed, n)
                if stop is not None:
                    return out, n, stop.replace("not read", f"stopped after {n} bytes")
                out.write(chunk)
        finally:
            src.close()
        self.expanded += n
        self.budget.expanded += n
        out.seek(0)
        return out, n, None


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[-1].strip() if text else type(exc).__name__


def _runs(extent: Any) -> list[list[int]] | None:
    """A row's ``extent`` (JSON text from the task row, or runs) as runs; None: not carved."""
    if isinstance(extent, str):
        extent = json.loads(extent)
    return [[int(o), int(n)] for o, n in extent] if extent else None
