"""The thumbnail service: a picture's thumbnail from the case's cache, or made from the evidence.

A miss reads the file through the one content reader (:func:`triage.evidence.content.open_content`),
decodes it in a :class:`~triage.media.pool.DecoderPool` child and caches the result in the case's
``thumbnails`` table, failures included (a damaged picture shows its reason, is recorded as a
warning in the case's problems once, and is not decoded again on every scroll). A case this
process cannot write (another process scans it, read-only media) keeps what it made in memory
for the session instead: thumbnails are derived data, nothing is lost.

One service per thread: it owns its case connections, evidence cache and decoder pool.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from triage.case.lock import CaseLocked
from triage.case.records import FileRecord, Thumbnail
from triage.case.store import Case, utc_now
from triage.errors import StorageError, TriageError
from triage.evidence.content import CaseResolver, Content, EvidenceCache, open_content
from triage.media.decode import MAX_EDGE, Decoded, PictureExif
from triage.media.pool import DecodeFailed, DecoderPool, Job

MAX_PICTURE_BYTES = 64 << 20
"""Pictures larger than this are not read for a thumbnail (the reason is recorded)."""
SOURCE = "thumbnail"
"""The ``source`` of the warnings a failed thumbnail records in the case."""


class ThumbnailService:
    """Thumbnails of one case's pictures (see the module doc)."""

    def __init__(
        self,
        case_path: str | Path,
        *,
        writable: bool = True,
        pool: DecoderPool | None = None,
        max_edge: int = MAX_EDGE,
    ) -> None:
        self.path = Path(case_path)
        self.max_edge = max_edge
        self.ro = Case.open(self.path, readonly=True)
        self.rw: Case | None = None
        self.readonly_reason: str | None = None
        if writable:
            try:
                self.rw = Case.open(self.path)
            except (CaseLocked, StorageError) as exc:
                self.readonly_reason = str(exc)
        else:
            self.readonly_reason = "the case is open read-only"
        self.pool = pool or DecoderPool()
        self._own_pool = pool is None
        self.cache = EvidenceCache()
        self.resolver = CaseResolver(self.ro)
        self.memory: dict[int, Thumbnail] = {}
        self.decoded = 0
        """Pictures sent to the decoder by this service (cache hits are not counted)."""

    def close(self) -> None:
        self.cache.close()
        if self._own_pool:
            self.pool.close()
        self.ro.close()
        if self.rw is not None:
            self.rw.close()

    def __enter__(self) -> ThumbnailService:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- lookups ---------------------------------------------------------------------------
    def cached(self, file_ids: Iterable[int]) -> dict[int, Thumbnail]:
        """Thumbnails already made (in the case or, for a read-only case, in memory)."""
        ids = list(file_ids)
        found = self.ro.thumbnails([i for i in ids if i not in self.memory])
        found.update({i: self.memory[i] for i in ids if i in self.memory})
        return found

    def thumbnails(self, file_ids: Iterable[int]) -> dict[int, Thumbnail]:
        """Every file's thumbnail (or failure): cached ones, then the others made in the pool."""
        ids = list(dict.fromkeys(file_ids))
        out = self.cached(ids)
        missing = [i for i in ids if i not in out]
        records = {r.id: r for r in self._records(missing)}
        for fid in missing:
            if fid not in records:
                out[fid] = Thumbnail(fid, error="no such file in the case", created=utc_now())
        out.update(self.make(list(records.values())))
        return out

    def thumbnail(self, file_id: int) -> Thumbnail:
        return self.thumbnails([file_id])[file_id]

    def _records(self, ids: list[int]) -> list[FileRecord]:
        from triage.case.query import FileQuery

        return self.ro.select_files(FileQuery(ids=tuple(ids))) if ids else []

    # -- making ----------------------------------------------------------------------------
    def read(self, record: FileRecord) -> bytes:
        """The picture's bytes, read through the content reader; raises TriageError."""
        if record.size > MAX_PICTURE_BYTES:
            raise TriageError(
                f"not decoded: {record.size:,} bytes is more than the {MAX_PICTURE_BYTES >> 20} MiB "
                "a thumbnail reads"
            )
        with self.open(record) as content:
            data = content.read(0, content.size)
        if len(data) < record.size:
            raise TriageError(
                f"content unreadable: only {len(data):,} of {record.size:,} bytes could be read"
            )
        return data

    def open(self, record: FileRecord) -> Content:
        return open_content(record.location, self.resolver, self.cache, size=record.size, name=record.path)

    def make(self, records: list[FileRecord]) -> dict[int, Thumbnail]:
        """Read and decode ``records`` now (ignoring the cache), then cache the results."""
        made: dict[int, Thumbnail] = {}
        jobs: list[tuple[FileRecord, Job]] = []
        for rec in records:
            try:
                jobs.append((rec, Job("thumbnail", self.read(rec), (self.max_edge,))))
            except TriageError as exc:
                made[rec.id] = Thumbnail(rec.id, error=_reason(exc), created=utc_now())
        self.decoded += len(jobs)
        for (rec, _job), result in zip(jobs, self.pool.run([j for _r, j in jobs]), strict=True):
            if isinstance(result, Decoded):
                made[rec.id] = Thumbnail(rec.id, result.width, result.height, result.png, None, utc_now())
            else:
                made[rec.id] = Thumbnail(rec.id, error=str(result), created=utc_now())
        self._store(list(made.values()), {r.id: r for r in records})
        return made

    def _store(self, thumbs: list[Thumbnail], records: dict[int, FileRecord]) -> None:
        if not thumbs:
            return
        if self.rw is None:
            self.memory.update({t.file_id: t for t in thumbs})
            return
        self.rw.put_thumbnails(thumbs)
        for t in thumbs:
            if t.error is not None:
                rec = records.get(t.file_id)
                self.rw.add_warning(
                    SOURCE,
                    f"{rec.path if rec else t.file_id}: no thumbnail: {t.error}",
                    evidence_id=rec.location.evidence_id if rec else None,
                    partition_id=rec.partition_id if rec else None,
                    file_id=t.file_id,
                )

    def exif(self, record: FileRecord) -> PictureExif:
        """The picture's EXIF (camera, original time, GPS), parsed in a decoder child.

        Raises:
            TriageError: the content cannot be read. DecodeFailed: it cannot be parsed.
        """
        result: PictureExif = self.pool.call("exif", self.read(record))
        return result


def _reason(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text if text.startswith(("not decoded", "content unreadable")) else f"content unreadable: {text}"


def picture_exif(content: Content, pool: DecoderPool, limit: int = MAX_PICTURE_BYTES) -> PictureExif:
    """EXIF of an open picture (at most ``limit`` bytes read), parsed in ``pool``.

    Raises:
        TriageError: the content cannot be read, or is larger than ``limit``. DecodeFailed: not parsable.
    """
    if content.size > limit:
        raise TriageError(f"not read: {content.size:,} bytes is more than {limit >> 20} MiB")
    result: PictureExif = pool.call("exif", content.read(0, content.size))
    return result


__all__ = ["DecodeFailed", "PictureExif", "Thumbnail", "ThumbnailService", "picture_exif"]
