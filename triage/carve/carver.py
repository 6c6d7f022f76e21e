"""Carve files out of one file system's unallocated space.

The unallocated blocks (:func:`triage.evidence.unallocated.unallocated_runs`) are read as one
stream, in block order, the way PhotoRec reads free space (``freespace`` mode): allocated blocks
between two unallocated runs are skipped, so a carved file may span several runs and its
``extent`` lists each. A header is looked for at the start of every block only (files start at
block boundaries; PhotoRec does the same), the format's structure gives the end
(:mod:`triage.carve.signatures`), and the search goes on after the end of what was carved.
"""

from __future__ import annotations

import bisect
import struct
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from triage.carve.signatures import HEADER, SIGNATURES, WINDOW, Signature

CARVED_DIR = "$Carved"
"""The virtual folder of carved entries: ``/$Carved/<partition byte offset>.<ext>``."""


class Stream:
    """The unallocated byte runs of a partition read as one stream (with a one-window cache)."""

    def __init__(self, read: Callable[[int, int], bytes], runs: list[tuple[int, int]]) -> None:
        """``read(partition offset, n)``; ``runs`` are ``(partition offset, length)`` in order."""
        self._read = read
        self.runs = [r for r in runs if r[1] > 0]
        self._starts: list[int] = []
        total = 0
        for _, length in self.runs:
            self._starts.append(total)
            total += length
        self.size = total
        self._cache_at = -1
        self._cache = b""

    def pieces(self, pos: int, length: int) -> Iterator[tuple[int, int]]:
        """``(partition offset, length)`` runs holding stream bytes ``[pos, pos + length)``."""
        i = bisect.bisect_right(self._starts, pos) - 1
        while length > 0 and 0 <= i < len(self.runs):
            offset, run_length = self.runs[i]
            inside = pos - self._starts[i]
            n = min(length, run_length - inside)
            yield offset + inside, n
            pos += n
            length -= n
            i += 1

    def extent(self, pos: int, length: int) -> list[tuple[int, int]]:
        """The merged partition runs of stream bytes ``[pos, pos + length)``."""
        out: list[tuple[int, int]] = []
        for offset, n in self.pieces(pos, length):
            if out and out[-1][0] + out[-1][1] == offset:
                out[-1] = (out[-1][0], out[-1][1] + n)
            else:
                out.append((offset, n))
        return out

    def read(self, pos: int, length: int) -> bytes:
        if pos < 0 or pos >= self.size or length <= 0:
            return b""
        length = min(length, self.size - pos)
        c = self._cache_at
        if c >= 0 and c <= pos and pos + length <= c + len(self._cache):
            return self._cache[pos - c : pos - c + length]
        if length <= HEADER * 16:  # small structure reads: fill the cache with a window
            self._cache_at, self._cache = pos, self._raw(pos, max(length, min(WINDOW, self.size - pos)))
            return self._cache[:length]
        return self._raw(pos, length)

    def _raw(self, pos: int, length: int) -> bytes:
        return b"".join(self._read(offset, n) for offset, n in self.pieces(pos, length))


@dataclass
class CarveStats:
    """What carving one partition did (recorded in the scan's stats and the audit log)."""

    partition: int
    examined: int = 0
    carved: int = 0
    carved_bytes: int = 0
    by_type: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    error: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v is not None}


@dataclass(frozen=True)
class CarvedFile:
    offset: int  # stream position of the first byte
    length: int
    ext: str
    extent: list[tuple[int, int]]

    def to_row(self, block_size: int) -> dict[str, Any]:
        """An inventory row (``origin='carved'``): no metadata address, its extent instead."""
        name = f"{self.extent[0][0]}.{self.ext}"
        return {
            "parent_path": f"/{CARVED_DIR}",
            "path": f"/{CARVED_DIR}/{name}",
            "name": name,
            "inode": None,
            "attr_type": None,
            "attr_id": None,
            "stream": None,
            "type": "r",
            "size": self.length,
            "deleted": True,
            "orphan": False,
            "mtime": None,
            "atime": None,
            "ctime": None,
            "crtime": None,
            "origin": "carved",
            "extent": [list(run) for run in self.extent],
        }


def carve_stream(stream: Stream, block_size: int) -> Iterator[CarvedFile]:
    """Every file the signatures recover from ``stream``, in stream order."""
    pos = 0
    while pos < stream.size:
        window = stream._raw(pos, min(max(block_size, WINDOW - WINDOW % block_size), stream.size - pos))
        if not window:
            return
        step = pos
        for i in range(0, len(window), block_size):
            start = pos + i
            if start < step:
                continue  # inside a file carved from an earlier block of this window
            head = window[i : i + HEADER]
            if len(head) < HEADER:
                head = stream.read(start, HEADER)
            for sig in SIGNATURES:
                if not sig.matches(head):
                    continue
                try:
                    if sig.stops_at_next:
                        found = sig.carve(
                            _reader(stream, start), stream.size - start, _stop(stream, start, block_size, sig)
                        )
                    else:
                        found = sig.carve(_reader(stream, start), stream.size - start)
                except (struct.error, ValueError, IndexError, OverflowError):
                    found = None  # hostile or damaged structure: not carved, as any that does not hold
                if found is not None and found.length > stream.size - start:
                    found = None
                if found is not None and found.length > 0:
                    yield CarvedFile(start, found.length, found.ext, stream.extent(start, found.length))
                    step = start + -(-found.length // block_size) * block_size
                    break
        pos = max(pos + len(window), step)


def _reader(stream: Stream, start: int) -> Callable[[int, int], bytes]:
    def read(offset: int, n: int) -> bytes:
        return stream.read(start + offset, n)

    return read


def _stop(stream: Stream, start: int, block_size: int, sig: Signature) -> Callable[[int, int], int]:
    """The first block after ``start`` in ``(a, b]`` (offsets from ``start``) beginning with
    ``sig``'s header; -1 if none (block heads come from the stream's window cache)."""

    def stop(a: int, b: int) -> int:
        first = (a // block_size + 1) * block_size
        for rel in range(max(first, block_size), b + 1, block_size):
            if sig.matches(stream.read(start + rel, HEADER)):
                return rel
        return -1

    return stop


def carve_partition(
    read: Callable[[int, int], bytes],
    block_runs: list[tuple[int, int]],
    block_size: int,
    partition: int,
) -> tuple[list[dict[str, Any]], CarveStats]:
    """Inventory rows of the files carved from one partition's unallocated blocks, with stats.

    ``read(partition offset, n)`` reads the partition; ``block_runs`` are its unallocated
    ``(first block, count)`` runs."""
    t0 = time.perf_counter()
    stream = Stream(read, [(first * block_size, count * block_size) for first, count in block_runs])
    stats = CarveStats(partition, examined=stream.size)
    rows = []
    for found in carve_stream(stream, block_size):
        rows.append(found.to_row(block_size))
        stats.carved += 1
        stats.carved_bytes += found.length
        stats.by_type[found.ext] = stats.by_type.get(found.ext, 0) + 1
    stats.seconds = round(time.perf_counter() - t0, 3)
    return rows, stats
