"""The one content reader: every libtsk file open and read in the project goes through here.

Used by the scan workers (the hot chunked pass), the exporter (re-read and re-hash), the mount
(random FUSE reads) and, through the core, the GUI preview. Everything uses libtsk read-only
handles.

- **Address**: a :class:`~triage.case.records.Location` (evidence id, partition index, inode,
  attribute); a container member adds its path inside its containers; a carved file (from
  unallocated space) has no metadata address but its ``extent``, byte runs of its partition,
  served by :meth:`EvidenceCache.open_extent` (:class:`ExtentContent`, the same interface).
- **Resolver**: where an evidence's image and a partition's byte offset are. :class:`CaseResolver`
  asks an open case; :class:`MappingResolver` is an explicit mapping for workers without a case.
- **Cache policy** (:class:`EvidenceCache`): per process (or per thread that owns it), a bounded
  LRU of open images (:data:`MAX_IMAGES`) and file systems (:data:`MAX_FILESYSTEMS`); an image
  evicted from the LRU is closed and its file systems dropped. File handles are not cached here:
  a :class:`Content` holds its own until closed (the mount keeps its own LRU of them).
- **Errors**: any libtsk ``OSError`` becomes :class:`ContentError` (an ``EvidenceError``, exit 3)
  carrying the operation (``open``/``read``), the offset and libtsk's own one-line text, so each
  caller keeps its established message (the worker's "cannot open file (inode N): ..." and
  "read error at offset N: ..."). Damage (EWF chunk checksums, unreadable runs) is still found
  by :mod:`triage.evidence.damage` / :mod:`triage.evidence.ewfchunks` from the file's extents;
  the reader neither hides nor re-reports it.
"""

from __future__ import annotations

import bisect
import hashlib
import json
from collections import OrderedDict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import pytsk3

from triage.case.records import Location
from triage.errors import EvidenceError
from triage.evidence.image import EvidenceSource, ImageInfo, open_image
from triage.evidence.volumes import open_filesystem

if TYPE_CHECKING:
    from triage.case.store import Case

CHUNK = 1 << 20
MAX_IMAGES = 8
"""Open images kept per cache (each may hold segment file handles and a pyewf reader)."""
MAX_FILESYSTEMS = 32
"""Open file systems kept per cache, over all its images."""


class ContentError(EvidenceError):
    """libtsk could not open or read a file's content.

    ``op`` is ``"open"`` or ``"read"``; ``offset`` the file offset of a failed read; ``detail``
    libtsk's own message, one line.
    """

    def __init__(
        self, message: str, *, op: str = "open", offset: int | None = None, detail: str = ""
    ) -> None:
        super().__init__(message)
        self.op = op
        self.offset = offset
        self.detail = detail or message


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[-1].strip() if text else type(exc).__name__


def _source(evidence: EvidenceSource | Mapping[str, Any]) -> EvidenceSource:
    if isinstance(evidence, EvidenceSource):
        return evidence
    return EvidenceSource(
        Path(evidence["path"]), evidence["format"], tuple(Path(p) for p in evidence["segments"])
    )


class EvidenceCache:
    """Open images and file systems, reused across reads: a bounded LRU (see the module doc).

    Not thread-safe: one per process, or per thread, or used under the caller's lock.
    """

    def __init__(self, max_images: int = MAX_IMAGES, max_filesystems: int = MAX_FILESYSTEMS) -> None:
        self.max_images = max_images
        self.max_filesystems = max_filesystems
        self._images: OrderedDict[str, ImageInfo] = OrderedDict()
        self._owned: set[str] = set()
        self._fs: OrderedDict[tuple[str, int, str], Any] = OrderedDict()

    def adopt(self, image: ImageInfo) -> str:
        """Use an image the caller opened (and closes): the mount's. Returns its cache key."""
        key = str(image.source.path)
        self._images[key] = image
        self._images.move_to_end(key)
        return key

    def image(self, evidence: EvidenceSource | Mapping[str, Any]) -> ImageInfo:
        source = _source(evidence)
        key = str(source.path)
        img = self._images.get(key)
        if img is not None:
            self._images.move_to_end(key)
            return img
        img = self._images[key] = open_image(source)
        self._owned.add(key)
        while len(self._images) > self.max_images:
            old, dropped = self._images.popitem(last=False)
            self._drop(old, dropped)
        return img

    def filesystem(
        self, evidence: EvidenceSource | Mapping[str, Any] | ImageInfo, offset: int, layer: str = ""
    ) -> Any:
        """The file system at byte ``offset`` of the evidence (of volume layer ``layer``, e.g. shadow
        copy ``vss1`` of the volume there), opened on first use."""
        if isinstance(evidence, ImageInfo):
            img, key = evidence, self.adopt(evidence)
        else:
            img = self.image(evidence)
            key = str(img.source.path)
        fs = self._fs.get((key, offset, layer))
        if fs is not None:
            self._fs.move_to_end((key, offset, layer))
            return fs
        fs = self._fs[(key, offset, layer)] = open_filesystem(img, offset, layer)
        while len(self._fs) > self.max_filesystems:
            self._fs.popitem(last=False)
        return fs

    def open_file(
        self,
        evidence: EvidenceSource | Mapping[str, Any] | ImageInfo,
        partition_offset: int,
        inode: int,
        attr_type: int | None = None,
        attr_id: int | None = None,
        size: int | None = None,
        name: str = "",
        layer: str = "",
    ) -> Content:
        """Open one file's content (an attribute when ``attr_type`` is given); ``layer``: the
        partition's volume layer (``vssN``: a shadow copy of the volume at ``partition_offset``).

        ``size`` is the inventoried size; without it the attribute's (or the file's) size is used.

        Raises:
            ContentError: libtsk cannot open the file system or the file.
        """
        try:
            fs = self.filesystem(evidence, partition_offset, layer)
            if layer.startswith("apfs"):  # a pyfsapfs volume: its file entries by identifier
                from triage.evidence import apfs

                f: Any = apfs.open_entry(fs, inode)
                return Content(f, int(f.size if size is None else size), None, None, name or f"inode {inode}")
            f = fs.open_meta(inode=inode)
        except (OSError, EvidenceError) as exc:
            where = f"{name}: " if name else ""
            locked = _locked_volume(self, evidence, partition_offset)
            if locked:
                raise ContentError(
                    f"{where}cannot open (inode {inode}): {locked}", op="open", detail=locked
                ) from exc
            raise ContentError(
                f"{where}cannot open (inode {inode}): {exc}", op="open", detail=_one_line(exc)
            ) from exc
        if size is None:
            size = _attr_size(f, attr_type, attr_id)
        return Content(f, int(size), attr_type, attr_id, name or f"inode {inode}")

    def open_extent(
        self,
        evidence: EvidenceSource | Mapping[str, Any] | ImageInfo,
        partition_offset: int,
        extent: Sequence[Sequence[int]],
        name: str = "",
    ) -> ExtentContent:
        """A carved file's content: its ``extent``, ``(offset, length)`` runs of the partition at
        ``partition_offset``, read from the image in order (``blkcat``/``dd`` give the same bytes).

        Raises:
            ContentError: the image cannot be opened.
        """
        try:
            img = evidence if isinstance(evidence, ImageInfo) else self.image(evidence)
        except OSError as exc:
            raise ContentError(f"{name}: cannot open the image: {exc}", detail=_one_line(exc)) from exc
        runs = tuple((partition_offset + int(o), int(n)) for o, n in extent)
        return ExtentContent(img, runs, name or "carved file")

    def _drop(self, key: str, image: ImageInfo) -> None:
        for fs_key in [k for k in self._fs if k[0] == key]:
            del self._fs[fs_key]
        if key in self._owned:
            self._owned.discard(key)
            image.close()

    def close(self) -> None:
        for key, img in list(self._images.items()):
            self._drop(key, img)
        self._images.clear()
        self._fs.clear()


def _locked_volume(cache: EvidenceCache, evidence: Any, offset: int) -> str:
    """Why a file system cannot open: an encrypted volume not unlocked in this process ('' if not that)."""
    from triage.evidence import fve

    try:
        img = evidence if isinstance(evidence, ImageInfo) else cache.image(evidence)
        found = fve.detect(img.read, offset, max(0, img.size - offset))
    except Exception:
        return ""
    if found is None or fve.unlocked(img.source.path, offset) is not None:
        return ""
    return f"the {found.description} volume at byte {offset} is locked: give --unlock"


def _attr_size(f: Any, attr_type: int | None, attr_id: int | None) -> int:
    if attr_type is not None:
        for attr in f:
            info = attr.info
            if int(info.type) == attr_type and (attr_id is None or int(info.id) == attr_id):
                return int(info.size)
    meta = f.info.meta
    return int(meta.size) if meta is not None else 0


class Content:
    """Random access to one file's content; reads never go past ``size``."""

    __slots__ = ("_file", "size", "attr_type", "attr_id", "name")

    def __init__(self, f: Any, size: int, attr_type: int | None, attr_id: int | None, name: str) -> None:
        self._file = f
        self.size = size
        self.attr_type = attr_type
        self.attr_id = attr_id
        self.name = name

    def read(self, offset: int, length: int) -> bytes:
        """Up to ``length`` bytes from ``offset``; shorter at the end, or empty where libtsk stops
        (a sparse or uninitialised tail: icat stops there too).

        Raises:
            ContentError: libtsk reports a read error (``op="read"``, ``offset`` set).
        """
        if offset >= self.size or length <= 0:
            return b""
        length = min(length, self.size - offset)
        try:
            if self.attr_type is not None:
                data: bytes = self._file.read_random(offset, length, self.attr_type, self.attr_id)
            else:
                data = self._file.read_random(offset, length)
        except OSError as exc:
            raise ContentError(
                f"{self.name}: read error at offset {offset}: {exc}",
                op="read",
                offset=offset,
                detail=_one_line(exc),
            ) from exc
        return data

    read_at = read

    def slack(self, limit: int) -> bytes:
        """Up to ``limit`` bytes after the end of the content, to the end of the last allocated block
        (libtsk's slack read: ``icat -s`` gives the content followed by these bytes); ``b""`` for
        resident data or a content that fills its blocks.

        Raises:
            ContentError: libtsk reports a read error (``op="read"``).
        """
        if limit <= 0:
            return b""
        kind = self.attr_type if self.attr_type is not None else int(pytsk3.TSK_FS_ATTR_TYPE_DEFAULT)
        ident = self.attr_id if self.attr_id is not None else -1
        try:
            data: bytes = self._file.read_random(
                self.size, limit, kind, ident, pytsk3.TSK_FS_FILE_READ_FLAG_SLACK
            )
        except OSError as exc:
            if "Invalid file offset" in str(exc):
                return b""  # the content ends exactly at the end of its last block: no slack
            raise ContentError(
                f"{self.name}: slack read error at offset {self.size}: {exc}",
                op="read",
                offset=self.size,
                detail=_one_line(exc),
            ) from exc
        return data

    def chunks(self, size: int = CHUNK) -> Iterator[bytes]:
        """The whole content in order, as the scan reads it (stops early where libtsk does)."""
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
        self._file = None

    def __enter__(self) -> Content:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class ExtentContent(Content):
    """Random access to a carved file: byte runs of the image read as one content (no slack: a
    carved file has no allocation of its own). The same interface as :class:`Content`."""

    __slots__ = ("_image", "runs", "_starts")

    def __init__(self, image: ImageInfo, runs: tuple[tuple[int, int], ...], name: str) -> None:
        self._file = None
        self._image: ImageInfo | None = image
        self.runs = runs  # (image offset, length)
        self.size = sum(n for _, n in runs)
        self.attr_type = None
        self.attr_id = None
        self.name = name
        starts, total = [], 0
        for _, n in runs:
            starts.append(total)
            total += n
        self._starts = starts

    def read(self, offset: int, length: int) -> bytes:
        """Up to ``length`` bytes from ``offset``; shorter at the end (or where the image ends).

        Raises:
            ContentError: the image reports a read error (``op="read"``, ``offset`` set).
        """
        if offset >= self.size or length <= 0 or self._image is None:
            return b""
        length = min(length, self.size - offset)
        i = bisect.bisect_right(self._starts, offset) - 1
        out: list[bytes] = []
        pos = offset
        while length > 0 and i < len(self.runs):
            start, n = self.runs[i]
            inside = pos - self._starts[i]
            want = min(length, n - inside)
            try:
                data: bytes = self._image.read(start + inside, want)
            except OSError as exc:
                raise ContentError(
                    f"{self.name}: read error at offset {pos}: {exc}",
                    op="read",
                    offset=pos,
                    detail=_one_line(exc),
                ) from exc
            out.append(data)
            if len(data) < want:
                break
            pos += want
            length -= want
            i += 1
        return b"".join(out)

    read_at = read

    def slack(self, limit: int) -> bytes:
        return b""

    def close(self) -> None:
        self._image = None


class Resolver(Protocol):
    """Where an evidence's image is and where its partitions start."""

    def source(self, evidence_id: int) -> EvidenceSource: ...

    def partition_offset(self, evidence_id: int, partition: int) -> int: ...


def _layer(resolver: Resolver, evidence_id: int, partition: int) -> str:
    """The partition's volume layer when the resolver knows it (``CaseResolver`` does), else ``""``."""
    get = getattr(resolver, "partition_layer", None)
    return str(get(evidence_id, partition)) if get is not None else ""


@dataclass(frozen=True)
class MappingResolver:
    """An explicit mapping, for workers that have no case: evidence id → source, and
    ``(evidence id, partition index)`` → byte offset (index ``-1``: offset 0 unless given)."""

    sources: Mapping[int, EvidenceSource]
    offsets: Mapping[tuple[int, int], int] = field(default_factory=dict)

    def source(self, evidence_id: int) -> EvidenceSource:
        try:
            return self.sources[evidence_id]
        except KeyError:
            raise EvidenceError(f"evidence {evidence_id} is not known to this reader") from None

    def partition_offset(self, evidence_id: int, partition: int) -> int:
        offset = self.offsets.get((evidence_id, partition))
        if offset is None:
            if partition == -1:
                return 0
            raise EvidenceError(f"evidence {evidence_id} has no partition {partition}")
        return offset


class CaseResolver:
    """Resolve through an open case (its evidence and partitions tables, read once each)."""

    def __init__(self, case: Case) -> None:
        self._case = case
        self._sources: dict[int, EvidenceSource] = {}
        self._offsets: dict[int, dict[int, int]] = {}
        self._layers: dict[int, dict[int, str]] = {}

    def source(self, evidence_id: int) -> EvidenceSource:
        if evidence_id not in self._sources:
            rows = self._case.evidence(evidence_id)
            if not rows:
                raise EvidenceError(f"no evidence with id {evidence_id} in this case")
            self._sources[evidence_id] = _source(rows[0])
        return self._sources[evidence_id]

    def partition_offset(self, evidence_id: int, partition: int) -> int:
        if evidence_id not in self._offsets:
            self._offsets[evidence_id] = {
                int(p["idx"]): int(p["offset"]) for p in self._case.partitions(evidence_id)
            }
        offset = self._offsets[evidence_id].get(partition)
        if offset is None:
            if partition == -1:
                return 0
            raise EvidenceError(f"evidence {evidence_id} has no partition {partition}")
        return offset

    def partition_layer(self, evidence_id: int, partition: int) -> str:
        """``vssN`` for a shadow copy's partition, else ``""``."""
        if evidence_id not in self._layers:
            self._layers[evidence_id] = {
                int(p["idx"]): str((p.get("volume") or {}).get("layer") or "")
                for p in self._case.partitions(evidence_id)
            }
        return self._layers[evidence_id].get(partition, "")


def open_content(
    location: Location,
    resolver: Resolver,
    cache: EvidenceCache | None = None,
    *,
    size: int | None = None,
    name: str = "",
) -> Content:
    """Open the content at ``location`` for reading (a new cache when none is given).

    Raises:
        ContentError: no inode (and no carved extent), or a libtsk error.
    """
    if location.carved is not None:
        offset = resolver.partition_offset(location.evidence_id, location.partition)
        return (cache or EvidenceCache()).open_extent(
            resolver.source(location.evidence_id), offset, location.carved, name=name
        )
    if location.inode is None:
        raise ContentError(f"no metadata address to read: {location.to_json()}")
    source = resolver.source(location.evidence_id)
    offset = resolver.partition_offset(location.evidence_id, location.partition)
    layer = _layer(resolver, location.evidence_id, location.partition)
    if location.member:  # read through its containers (the outermost is the file-system file)
        outer = (cache or EvidenceCache()).open_file(
            source, offset, location.inode, location.attr_type, location.attr_id, name=name, layer=layer
        )
        return _member(outer, location.member, name)
    return (cache or EvidenceCache()).open_file(
        source, offset, location.inode, location.attr_type, location.attr_id, size=size, name=name,
        layer=layer,
    )  # fmt: skip


def _member(outer: Content, chain: tuple[str, ...], name: str) -> Content:
    """A container member's content (:func:`triage.containers.read.open_member`), as a Content."""
    from triage.containers.read import MemberNotFound, open_member

    try:
        return open_member(outer, chain)  # type: ignore[return-value]
    except MemberNotFound as exc:
        raise ContentError(f"{name}: {exc}", op="open", detail=str(exc)) from exc


FileContent = Content
"""The former name, kept for callers that open by case row (see :func:`open_case_file`)."""


def open_row(cache: EvidenceCache, evidence: Mapping[str, Any], row: Mapping[str, Any]) -> Content:
    """Open a case file row (``Case.iter_files``/``Case.file``) of ``evidence`` for reading."""
    if row.get("origin") == "carved":
        return cache.open_extent(
            evidence, int(row["partition_offset"]), _runs(row.get("extent")), name=str(row["path"])
        )
    if row.get("origin") == "member":
        from triage.case.query import member_chain

        if row.get("inode") is None and row.get("extent"):  # inside a carved container
            carved = cache.open_extent(evidence, int(row["partition_offset"]), _runs(row["extent"]))
            return _member(carved, member_chain(row), str(row["path"]))
        outer = cache.open_file(
            evidence,
            int(row["partition_offset"]),
            int(row["inode"]),
            row["attr_type"],
            row["attr_id"],
            name=str(row["path"]),
            layer=row.get("partition_layer") or "",
        )
        return _member(outer, member_chain(row), str(row["path"]))
    content = cache.open_file(
        evidence,
        int(row["partition_offset"]),
        int(row["inode"]),
        row["attr_type"],
        row["attr_id"],
        size=int(row["size"]),
        name=str(row["path"]),
        layer=row.get("partition_layer") or "",
    )
    return content


def _runs(extent: Any) -> list[tuple[int, int]]:
    """A row's ``extent`` (JSON text or runs) as ``(offset, length)`` runs."""
    if isinstance(extent, (str, bytes)):
        extent = json.loads(extent)
    if not extent:
        raise ContentError("a carved file without an extent cannot be read")
    return [(int(o), int(n)) for o, n in extent]


def open_case_file(case: Case, file_id: int, cache: EvidenceCache | None = None) -> Content:
    """Open a file of a case by id for reading (the cache is created when not given)."""
    record = case.file_record(file_id)
    if record is None:
        raise EvidenceError(f"no file with id {file_id} in this case")
    row = record.as_row()
    evidence = case.evidence(row["evidence_id"])[0]
    return open_row(cache or EvidenceCache(), evidence, row)
