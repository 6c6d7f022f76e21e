"""Read an EWF-E01 (EnCase/ewfacquire) image chunk by chunk and check every chunk's checksum.

libewf zeroes a chunk whose checksum fails and pyewf does not say so. This reader walks
the segment files' sections itself: each ``table`` section lists the chunks of its
``sectors`` section; an uncompressed chunk is followed by its Adler-32 (little-endian),
a compressed chunk is a zlib stream with its own Adler-32. A chunk that fails is
reported with its media range. The media hash takes a damaged chunk's bytes as stored (uncompressed) or as
libewf returns them (a compressed chunk that does not decode), as ``ewfverify`` does, so
our computed hash equals ``ewfverify``'s; file reads through libewf see zeros there.

Only the EWF-E01/S01 layout (``EVF`` signature) is read here; anything else (Ex01,
logical L01) raises :class:`EwfLayoutError` and the caller falls back to pyewf alone.
"""

from __future__ import annotations

import os
import struct
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

SIGNATURE = b"EVF\x09\x0d\x0a\xff\x00"
DESCRIPTOR = 76
WINDOW = 8 << 20


class EwfLayoutError(Exception):
    """The segment files are not laid out as this reader expects (not damage in a chunk)."""


@dataclass(frozen=True)
class ChunkResult:
    """One chunk: where it sits in the media and, when it failed its check, why."""

    index: int
    media_offset: int
    size: int
    data: bytes | None
    """Chunk bytes: decoded, or for an uncompressed chunk that fails its checksum the bytes as
    stored (what ``ewfverify`` hashes); None when a damaged chunk cannot be decoded at all."""
    error: str | None = None
    segment: str = ""


@dataclass(frozen=True)
class _Table:
    segment: int
    offsets: tuple[int, ...]  # absolute file offsets of the chunks, plus the end of the last one
    compressed: tuple[bool, ...]


class EwfChunks:
    """The chunk map of an E01 segment set (table sections only; chunk data is read lazily)."""

    def __init__(self, segments: list[Path]) -> None:
        self.segments = [Path(p) for p in segments]
        self.chunk_size = 0
        self.media_size = 0
        self.chunk_count = 0
        self._tables: list[_Table] = []
        for i, seg in enumerate(self.segments):
            self._read_segment(i, seg)
        if not self.chunk_size or not self.media_size:
            raise EwfLayoutError("no volume section found")
        expected = -(-self.media_size // self.chunk_size)
        found = sum(len(t.compressed) for t in self._tables)
        if found != expected:
            raise EwfLayoutError(f"the tables list {found} chunks, the volume section says {expected}")
        self.chunk_count = expected

    def _read_segment(self, index: int, path: Path) -> None:
        with open(path, "rb") as fh:
            head = fh.read(13)
            if not head.startswith(SIGNATURE):
                raise EwfLayoutError(f"{path.name}: not an EWF-E01 segment")
            end = os.fstat(fh.fileno()).st_size
            offset, sectors_end = 13, None
            for _ in range(100000):
                fh.seek(offset)
                desc = fh.read(DESCRIPTOR)
                if len(desc) < DESCRIPTOR:
                    raise EwfLayoutError(f"{path.name}: section descriptor at {offset} is cut off")
                kind_raw, nxt, size = struct.unpack_from("<16sQQ", desc)
                if struct.unpack_from("<I", desc, 72)[0] != zlib.adler32(desc[:72]):
                    raise EwfLayoutError(f"{path.name}: section descriptor at {offset} fails its checksum")
                kind = kind_raw.rstrip(b"\0").decode("ascii", "replace")
                if kind in ("volume", "disk") and not self.chunk_size:
                    self._volume(fh.read(min(size, 1128) - DESCRIPTOR), path)
                elif kind == "sectors":
                    sectors_end = offset + size
                elif kind == "table":
                    self._table(index, path, fh, offset, size, sectors_end or offset)
                if kind in ("next", "done") or nxt == offset:
                    return
                if nxt <= offset or nxt > end:
                    raise EwfLayoutError(f"{path.name}: section at {offset} points outside the file ({nxt})")
                offset = nxt
        raise EwfLayoutError(f"{path.name}: too many sections")

    def _volume(self, data: bytes, path: Path) -> None:
        if len(data) >= 1052:  # EnCase 5 and later
            chunks, per_chunk, per_sector, sectors = struct.unpack_from("<4xIIIQ", data)
        elif len(data) >= 20:  # EnCase 1-4 / SMART
            chunks, per_chunk, per_sector, sectors = struct.unpack_from("<4xIIII", data)
        else:
            raise EwfLayoutError(f"{path.name}: volume section too short")
        if not per_chunk or not per_sector:
            raise EwfLayoutError(f"{path.name}: volume section gives no chunk size")
        self.chunk_size = per_chunk * per_sector
        self.media_size = sectors * per_sector

    def _table(self, index: int, path: Path, fh: object, offset: int, size: int, data_end: int) -> None:
        fh.seek(offset + DESCRIPTOR)  # type: ignore[attr-defined]
        head = fh.read(24)  # type: ignore[attr-defined]
        count, base = struct.unpack_from("<I4xQ", head)
        if struct.unpack_from("<I", head, 20)[0] != zlib.adler32(head[:20]):
            raise EwfLayoutError(f"{path.name}: table header at {offset} fails its checksum")
        raw = fh.read(4 * count + 4)  # type: ignore[attr-defined]
        if len(raw) < 4 * count:
            raise EwfLayoutError(f"{path.name}: table at {offset} is cut off")
        if len(raw) == 4 * count + 4 and struct.unpack_from("<I", raw, 4 * count)[0] != zlib.adler32(
            raw[: 4 * count]
        ):
            raise EwfLayoutError(f"{path.name}: table entries at {offset} fail their checksum")
        entries = struct.unpack_from(f"<{count}I", raw)
        offsets = [(e & 0x7FFFFFFF) + base for e in entries]
        self._tables.append(_Table(index, (*offsets, data_end), tuple(bool(e >> 31) for e in entries)))

    def read(self, start_chunk: int = 0) -> Iterator[ChunkResult]:
        """Every chunk from ``start_chunk`` on, in media order; each file is read once, sequentially."""
        fds: dict[int, int] = {}
        try:
            index = 0
            for table in self._tables:
                n = len(table.compressed)
                if index + n <= start_chunk:
                    index += n
                    continue
                fd = fds.get(table.segment)
                if fd is None:
                    fd = fds[table.segment] = os.open(self.segments[table.segment], os.O_RDONLY)
                first = max(0, start_chunk - index)
                yield from self._read_table(fd, table, first, index)
                index += n
        finally:
            for fd in fds.values():
                os.close(fd)

    def _read_table(self, fd: int, table: _Table, first: int, base_index: int) -> Iterator[ChunkResult]:
        seg = self.segments[table.segment].name
        i, n = first, len(table.compressed)
        while i < n:
            j = i
            while j < n and table.offsets[j + 1] - table.offsets[i] < WINDOW:
                j += 1
            j = max(j, i + 1)
            start = table.offsets[i]
            window = os.pread(fd, table.offsets[j] - start, start)
            for k in range(i, j):
                index = base_index + k
                media = index * self.chunk_size
                want = min(self.chunk_size, self.media_size - media)
                stored = window[table.offsets[k] - start : table.offsets[k + 1] - start]
                data, error = _decode(stored, want, table.compressed[k])
                yield ChunkResult(index, media, want, data, error, seg)
            i = j


def _decode(stored: bytes, want: int, compressed: bool) -> tuple[bytes | None, str | None]:
    if compressed:
        try:
            z = zlib.decompressobj()
            data = z.decompress(stored, want + 1)
        except zlib.error as exc:
            return None, f"compressed chunk does not decompress ({exc})"
        if not z.eof:
            return None, "compressed chunk is cut off"
        if len(data) != want:
            return None, f"compressed chunk decompresses to {len(data)} bytes, expected {want}"
        return data, None
    if len(stored) < want + 4:
        return None, f"chunk holds {len(stored)} bytes, expected {want} and a checksum"
    data = stored[:want]
    if struct.unpack_from("<I", stored, want)[0] != zlib.adler32(data):
        return data, "chunk checksum (Adler-32) mismatch"
    return data, None
