"""A hex view that reads only what is on screen (through a small block cache) and highlights
match ranges, with next/previous match navigation."""

from __future__ import annotations

from collections import OrderedDict
from typing import Protocol

from PySide6.QtCore import QRect, Qt, Signal
from PySide6.QtGui import QColor, QFontDatabase, QKeyEvent, QMouseEvent, QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import QAbstractScrollArea, QWidget

BLOCK = 64 << 10
MAX_BLOCKS = 32  # at most 2 MiB of a file in memory
BYTES_PER_LINE = 16


class Readable(Protocol):
    size: int

    def read(self, offset: int, length: int) -> bytes: ...


class BlockCache:
    """Bounded LRU of fixed-size blocks over a :class:`Readable`."""

    def __init__(self, source: Readable) -> None:
        self.source = source
        self.size = int(source.size)
        self._blocks: OrderedDict[int, bytes] = OrderedDict()
        self.reads = 0

    def read(self, offset: int, length: int) -> bytes:
        out = bytearray()
        end = min(self.size, offset + length)
        pos = offset
        while pos < end:
            b = pos // BLOCK
            block = self._blocks.get(b)
            if block is None:
                block = self.source.read(b * BLOCK, BLOCK)
                self.reads += 1
                self._blocks[b] = block
                if len(self._blocks) > MAX_BLOCKS:
                    self._blocks.popitem(last=False)
            else:
                self._blocks.move_to_end(b)
            start = pos - b * BLOCK
            piece = block[start : start + (end - pos)]
            if not piece:
                break
            out += piece
            pos += len(piece)
        return bytes(out)


class HexView(QAbstractScrollArea):
    """Offset · 16 hex bytes · ASCII. Matches are amber, the current match orange."""

    currentMatchChanged = Signal(int)
    offsetClicked = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.data: BlockCache | None = None
        self.matches: list[tuple[int, int]] = []
        self.current = -1
        self.selection: tuple[int, int] | None = None
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.viewport().setAutoFillBackground(True)

    # -- content ---------------------------------------------------------------------------
    def set_source(self, source: Readable | None, matches: list[tuple[int, int]] | None = None) -> None:
        self.data = BlockCache(source) if source is not None else None
        self.matches = sorted(matches or [])
        self.current = -1
        self.selection = None
        self._update_scrollbar()
        self.verticalScrollBar().setValue(0)
        self.viewport().update()

    def set_matches(self, matches: list[tuple[int, int]]) -> None:
        self.matches = sorted(matches)
        self.current = -1
        self.viewport().update()

    @property
    def size_bytes(self) -> int:
        return self.data.size if self.data else 0

    def read(self, offset: int, length: int) -> bytes:
        return self.data.read(offset, length) if self.data else b""

    # -- navigation ------------------------------------------------------------------------
    def goto(self, offset: int, length: int = 1) -> None:
        """Scroll so ``offset`` is visible (a third from the top) and select ``length`` bytes."""
        self.selection = (offset, max(1, length))
        line = offset // BYTES_PER_LINE
        self.verticalScrollBar().setValue(max(0, line - self._visible_lines() // 3))
        self.viewport().update()

    def goto_match(self, i: int) -> None:
        if not self.matches:
            return
        self.current = i % len(self.matches)
        off, length = self.matches[self.current]
        self.goto(off, length)
        self.currentMatchChanged.emit(self.current)

    def select_range(self, offset: int, length: int) -> None:
        """Make ``(offset, length)`` the current match (adding it when unknown) and show it."""
        if (offset, length) not in self.matches:
            self.matches = sorted([*self.matches, (offset, length)])
        self.goto_match(self.matches.index((offset, length)))

    def next_match(self) -> None:
        self.goto_match(self.current + 1 if self.current >= 0 else self._first_match_after_top())

    def previous_match(self) -> None:
        self.goto_match(self.current - 1 if self.current >= 0 else len(self.matches) - 1)

    def current_match(self) -> tuple[int, int] | None:
        return self.matches[self.current] if 0 <= self.current < len(self.matches) else None

    def top_offset(self) -> int:
        return self.verticalScrollBar().value() * BYTES_PER_LINE

    def _first_match_after_top(self) -> int:
        top = self.top_offset()
        return next((i for i, (o, _) in enumerate(self.matches) if o >= top), 0)

    # -- geometry --------------------------------------------------------------------------
    def _line_height(self) -> int:
        return self.fontMetrics().height()

    def _char_width(self) -> int:
        return self.fontMetrics().horizontalAdvance("0")

    def _visible_lines(self) -> int:
        return max(1, self.viewport().height() // max(1, self._line_height()))

    def _update_scrollbar(self) -> None:
        lines = (self.size_bytes + BYTES_PER_LINE - 1) // BYTES_PER_LINE
        self.verticalScrollBar().setRange(0, max(0, lines - self._visible_lines()))
        self.verticalScrollBar().setPageStep(self._visible_lines())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._update_scrollbar()

    def _columns(self) -> tuple[int, int, int]:
        cw = self._char_width()
        off_w = 10 * cw
        hex_x = off_w + cw
        asc_x = hex_x + (BYTES_PER_LINE * 3 + 1) * cw
        return hex_x, asc_x, cw

    # -- painting --------------------------------------------------------------------------
    def _colour_of(self, pos: int) -> QColor | None:
        cur = self.current_match()
        if cur and cur[0] <= pos < cur[0] + cur[1]:
            return QColor(255, 140, 0)
        if self.selection and self.selection[0] <= pos < self.selection[0] + self.selection[1]:
            return self.palette().highlight().color()
        for off, length in self.matches:
            if off <= pos < off + length:
                return QColor(255, 214, 90)
            if off > pos:
                break
        return None

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self.viewport())
        pal = self.palette()
        p.fillRect(event.rect(), pal.base())
        if self.data is None:
            p.setPen(pal.placeholderText().color())
            p.drawText(self.viewport().rect(), Qt.AlignmentFlag.AlignCenter, self.tr("No content"))
            return
        lh, (hex_x, asc_x, cw) = self._line_height(), self._columns()
        first = self.verticalScrollBar().value()
        lines = self._visible_lines() + 1
        start = first * BYTES_PER_LINE
        chunk = self.read(start, lines * BYTES_PER_LINE)
        ascent = self.fontMetrics().ascent()
        text, dim = pal.text().color(), pal.placeholderText().color()
        for li in range(lines):
            row = chunk[li * BYTES_PER_LINE : (li + 1) * BYTES_PER_LINE]
            if not row:
                break
            y = li * lh
            p.setPen(dim)
            p.drawText(0, y + ascent, f"{start + li * BYTES_PER_LINE:08x}")
            for bi, byte in enumerate(row):
                pos = start + li * BYTES_PER_LINE + bi
                colour = self._colour_of(pos)
                hx = hex_x + (bi * 3 + (1 if bi >= 8 else 0)) * cw
                ax = asc_x + bi * cw
                if colour is not None:
                    p.fillRect(QRect(hx, y, 3 * cw, lh), colour)
                    p.fillRect(QRect(ax, y, cw, lh), colour)
                p.setPen(QColor(0, 0, 0) if colour is not None else text)
                p.drawText(hx, y + ascent, f"{byte:02x}")
                p.drawText(ax, y + ascent, chr(byte) if 32 <= byte < 127 else ".")

    # -- input -----------------------------------------------------------------------------
    def offset_at(self, x: int, y: int) -> int | None:
        hex_x, asc_x, cw = self._columns()
        line = self.verticalScrollBar().value() + y // max(1, self._line_height())
        if hex_x <= x < asc_x:
            col = (x - hex_x) // cw
            bi = (col - (1 if col > 24 else 0)) // 3
        elif asc_x <= x < asc_x + BYTES_PER_LINE * cw:
            bi = (x - asc_x) // cw
        else:
            return None
        pos = line * BYTES_PER_LINE + max(0, min(BYTES_PER_LINE - 1, bi))
        return pos if pos < self.size_bytes else None

    def mousePressEvent(self, event: QMouseEvent) -> None:
        pos = self.offset_at(int(event.position().x()), int(event.position().y()))
        if pos is not None:
            self.selection = (pos, 1)
            self.offsetClicked.emit(pos)
            self.viewport().update()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_F3:
            (
                self.previous_match
                if event.modifiers() & Qt.KeyboardModifier.ShiftModifier
                else self.next_match
            )()
            return
        super().keyPressEvent(event)
