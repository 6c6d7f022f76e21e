"""Raw strings (printable ASCII and UTF-16LE runs) with their exact byte offsets, fed in chunks.

One :class:`StringsCollector` per stream of bytes (a file's content, its slack, an unallocated run):
``feed`` the chunks in order, ``close`` at the end, and take :class:`triage.plugin.TextPiece` blocks
of at most :data:`PIECE_CHARS` characters whose ``spans`` give each string's byte offset. A run
longer than :data:`MAX_RUN` bytes is cut at its last space, so memory stays bounded on a file that
is one long run (a text file); the cut loses nothing (the rest starts the next string).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from triage.plugin import TextPiece

PIECE_CHARS = 64 * 1024
"""Characters per index piece (a block of strings joined by newlines)."""
MAX_RUN = 64 * 1024
"""Longest run (bytes) kept waiting for the next chunk before it is cut at a space."""


_TAIL_ASCII = re.compile(rb"[\x20-\x7e]*\Z")
_TAIL_UTF16 = re.compile(rb"(?:[\x20-\x7e]\x00)*[\x20-\x7e]?\Z")


def _patterns(min_length: int) -> tuple[re.Pattern[bytes], re.Pattern[bytes]]:
    ascii_ = re.compile(rb"[\x20-\x7e]{%d,}" % min_length)
    utf16 = re.compile(rb"(?:[\x20-\x7e]\x00){%d,}" % min_length)
    return ascii_, utf16


class StringsCollector:
    """ASCII and UTF-16LE strings of one byte stream starting at byte ``start``, as index pieces."""

    def __init__(self, source: str, *, min_length: int = 5, start: int = 0, max_chars: int = 0) -> None:
        self.source = source
        self.min_length = min_length
        self._ascii, self._utf16 = _patterns(min_length)
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
        window = max(0, n - 2 * MAX_RUN)  # where an unfinished run at the end can start
        tail = min(_TAIL_ASCII.search(data, window).start(), _TAIL_UTF16.search(data, window).start())  # type: ignore[union-attr]
        long_tail = n - tail >= MAX_RUN
        keep_from = n if long_tail else tail
        found = [
            (m, width)
            for pattern, width in ((self._ascii, 1), (self._utf16, 2))
            for m in pattern.finditer(data)
        ]
        if not long_tail:  # a run reaching into the unfinished end waits for the next chunk, whole
            keep_from = min([keep_from] + [m.start() for m, _ in found if m.end() > tail])
        for m, width in found:
            a, b = m.span()
            if not long_tail:
                if a < keep_from:  # finished (it ends before the unfinished end); the rest comes again
                    self._add(m.group(), base + a, width)
            elif b < n:
                self._add(m.group(), base + a, width)
            else:  # one long run (a text file): cut it at its last space
                run = m.group()
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
        for pattern, width in ((self._ascii, 1), (self._utf16, 2)):
            for m in pattern.finditer(data):
                self._add(m.group(), base + m.start(), width)
        self._flush()
        return self.pieces

    def take(self) -> Iterator[TextPiece]:
        """Pieces completed so far (they are handed out once; for streaming large ranges)."""
        done, self.pieces = self.pieces, []
        yield from done
