"""Read one inventoried file's content again from the evidence, in bounded chunks.

Used by the GUI (hex/text/image views), the exporter (re-read and re-hash) and the mount.
Everything goes through libtsk read-only handles.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any

from triage.errors import EvidenceError
from triage.evidence.image import EvidenceSource, ImageInfo, open_image
from triage.evidence.volumes import open_filesystem

CHUNK = 1 << 20


class EvidenceCache:
    """Open images and file systems, reused across reads (one per thread or process)."""

    def __init__(self) -> None:
        self._images: dict[str, ImageInfo] = {}
        self._fs: dict[tuple[str, int], Any] = {}

    def image(self, evidence: dict[str, Any]) -> ImageInfo:
        key = evidence["path"]
        if key not in self._images:
            from pathlib import Path

            source = EvidenceSource(
                Path(evidence["path"]), evidence["format"], tuple(Path(p) for p in evidence["segments"])
            )
            self._images[key] = open_image(source)
        return self._images[key]

    def filesystem(self, evidence: dict[str, Any], offset: int) -> Any:
        key = (evidence["path"], offset)
        if key not in self._fs:
            self._fs[key] = open_filesystem(self.image(evidence), offset)
        return self._fs[key]

    def close(self) -> None:
        for img in self._images.values():
            img.close()
        self._images.clear()
        self._fs.clear()


class FileContent:
    """Random access to one file row of a case (a dict from ``Case.iter_files``/``Case.file``)."""

    def __init__(
        self, cache: EvidenceCache, evidence: dict[str, Any], partition_offset: int, row: dict[str, Any]
    ) -> None:
        self.row = row
        self.size = int(row["size"])
        try:
            fs = cache.filesystem(evidence, partition_offset)
            self._file = fs.open_meta(inode=row["inode"])
        except OSError as exc:
            raise EvidenceError(f"{row['path']}: cannot open (inode {row['inode']}): {exc}") from exc

    def read(self, offset: int, length: int) -> bytes:
        """Up to ``length`` bytes from ``offset``; shorter at the end (or where libtsk stops)."""
        if offset >= self.size or length <= 0:
            return b""
        length = min(length, self.size - offset)
        try:
            if self.row["attr_type"] is not None:
                data: bytes = self._file.read_random(
                    offset, length, self.row["attr_type"], self.row["attr_id"]
                )
            else:
                data = self._file.read_random(offset, length)
        except OSError as exc:
            raise EvidenceError(f"{self.row['path']}: read error at offset {offset}: {exc}") from exc
        return data

    def chunks(self, size: int = CHUNK) -> Iterator[bytes]:
        """The whole content in order, as the scan engine reads it."""
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


def open_case_file(case: Any, file_id: int, cache: EvidenceCache | None = None) -> FileContent:
    """Open a file of a case by id for reading (the cache is created when not given)."""
    rows = list(case.iter_files("f.id=?", (file_id,)))
    if not rows:
        raise EvidenceError(f"no file with id {file_id} in this case")
    row = rows[0]
    evidence = case.evidence(row["evidence_id"])[0]
    return FileContent(cache or EvidenceCache(), evidence, row["partition_offset"], row)
