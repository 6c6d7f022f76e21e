"""Raw strings (printable ASCII and UTF-16LE runs) with their exact byte offsets, fed in chunks.

One :class:`StringsCollector` per stream of bytes (a file's content, its slack, an unallocated run):
``feed`` the chunks in order, ``close`` at the end, and take :class:`triage.plugin.TextPiece` blocks
of at most :data:`PIECE_CHARS` characters whose ``spans`` give each string's byte offset. A run
longer than :data:`MAX_RUN` bytes is cut at its last space, so memory stays bounded on a file that
is one long run (a text file); the cut loses nothing (the rest starts the next string).
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from triage.plugin import TextPiece

PIECE_CHARS = 64 * 1024
"""Characters per index piece (a block of strings joined by newlines)."""
MAX_RUN = 64 * 1024
"""Longest run (bytes) kept waiting for the next chunk before it is cut at a space."""


def find_runs(data: bytes, min_length: int) -> tuple[list[tuple[int, int, int]], int]:
    """Printable runs in ``data``: ``([(start, end, width)], tail)``, sorted by start.

    ``width`` 1 is a run of at least ``min_length`` printable ASCII bytes (0x20-0x7e), width 2 a
    run of at least ``min_length`` (printable byte, NUL) pairs (UTF-16LE); both are maximal, as
    ``re.finditer`` over ``[\x20-\x7e]{n,}`` and ``(?:[\x20-\x7e]\x00){n,}`` gives them. ``tail``
    is where a run that the next bytes could continue starts (``len(data)`` if none). Vectorised
    with numpy: about ten times Python's ``re`` over binaries (docs/benchmarks.md, "Search").
    """
    n = len(data)
    if n == 0:
        return [], 0
    arr = np.frombuffer(data, dtype=np.uint8)
    printable = (arr - np.uint8(0x20)) < np.uint8(0x5F)  # wraps below 0x20: 0x20-0x7e only
    out: list[tuple[int, int, int]] = []
    tail = n
    # ASCII: edges of the printable mask
    edges = np.flatnonzero(np.diff(printable.view(np.int8), prepend=0, append=0))
    starts, ends = edges[0::2], edges[1::2]
    if len(ends) and ends[-1] == n:
        tail = int(starts[-1])
    keep = (ends - starts) >= min_length
    out += [(a, b, 1) for a, b in zip(starts[keep].tolist(), ends[keep].tolist(), strict=True)]
    # UTF-16LE: a pair at i is printable[i] and data[i+1] == 0, counted per alignment
    if n >= 2:
        pair = printable[:-1] & (arr[1:] == 0)
        for align in (0, 1):
            v = pair[align::2]
            if not len(v):
                continue
            e = np.flatnonzero(np.diff(v.view(np.int8), prepend=0, append=0))
            ps, pe = e[0::2], e[1::2]
            if len(pe):
                last_start, last_end = align + 2 * int(ps[-1]), align + 2 * int(pe[-1])
                if last_end == n or (last_end == n - 1 and printable[n - 1]):
                    tail = min(tail, last_start)
            k = (pe - ps) >= min_length
            out += [
                (align + 2 * a, align + 2 * b, 2) for a, b in zip(ps[k].tolist(), pe[k].tolist(), strict=True)
            ]
    if printable[n - 1]:
        tail = min(tail, n - 1)
    out.sort()
    return out, tail


class StringsCollector:
    """ASCII and UTF-16LE strings of one byte stream starting at byte ``start``, as index pieces."""

    def __init__(self, source: str, *, min_length: int = 5, start: int = 0, max_chars: int = 0) -> None:
        self.source = source
        self.min_length = min_length
        self._pos = start  # byte offset just past the bytes fed so far
        self._carry = b""
        self._texts: list[str] = []
        self._spans: list[tuple[int, int, int]] = []
        self._chars = 0
        self.pieces: list[TextPiece] = []
        self.max_chars = max_chars
        """Characters kept in all (0: no limit); past it strings are counted, not kept."""
        self.total_chars = 0
        self.dropped_bytes = 0
        """Bytes of strings not kept because of :attr:`max_chars`."""

    def feed(self, chunk: bytes) -> None:
        """The next bytes of the stream."""
        if not chunk:
            return
        data = self._carry + chunk if self._carry else chunk
        base = self._pos - len(self._carry)
        n = len(data)
        found, tail = find_runs(data, self.min_length)
        long_tail = n - tail >= MAX_RUN
        keep_from = n if long_tail else tail
        if not long_tail:  # a run reaching into the unfinished end waits for the next chunk, whole
            keep_from = min([keep_from] + [a for a, b, _ in found if b > tail])
        for a, b, width in found:
            if not long_tail:
                if a < keep_from:  # finished (it ends before the unfinished end); the rest comes again
                    self._add(data[a:b], base + a, width)
            elif b < n:
                self._add(data[a:b], base + a, width)
            else:  # one long run (a text file): cut it at its last space
                run = data[a:b]
                space = run.rfind(b" " if width == 1 else b" \x00", 0, len(run) - width)
                cut = space + width if space > 0 and space % width == 0 else len(run)
                self._add(run[:cut], base + a, width)
                keep_from = min(keep_from, a + cut)
        # an unfinished run at the end (of any length) is scanned again with the next chunk; no
        # string is emitted twice: the two kinds of run overlap by one byte at most
        self._carry = data[keep_from:]
        self._pos = base + n

    def _add(self, raw: bytes, offset: int, width: int) -> None:
        text = raw.decode("ascii") if width == 1 else raw.decode("utf-16-le")
        if self.max_chars and self.total_chars + len(text) > self.max_chars:
            self.dropped_bytes += len(raw)
            return
        if self._chars + len(text) > PIECE_CHARS and self._texts:
            self._flush()
        self._spans.append((self._chars, offset, width))
        self._texts.append(text)
        self._chars += len(text) + 1
        self.total_chars += len(text)

    def _flush(self) -> None:
        if self._texts:
            self.pieces.append(TextPiece(self.source, "\n".join(self._texts), spans=tuple(self._spans)))
        self._texts, self._spans, self._chars = [], [], 0

    def close(self) -> list[TextPiece]:
        """End the stream: the last strings, and every piece."""
        data, self._carry = self._carry, b""
        base = self._pos - len(data)
        for a, b, width in find_runs(data, self.min_length)[0]:
            self._add(data[a:b], base + a, width)
        self._flush()
        return self.pieces

    def take(self) -> Iterator[TextPiece]:
        """Pieces completed so far (they are handed out once; for streaming large ranges)."""
        done, self.pieces = self.pieces, []
        yield from done
