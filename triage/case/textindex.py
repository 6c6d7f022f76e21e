"""The case's full-text index: text pieces, their FTS5 index and saved searches (schema 5).

A piece is one row of ``text_pieces`` (a file's extracted text, or a block of its raw strings with
their byte spans, or a block of unallocated space's strings); ``text_fts`` is an FTS5 index over it
kept in step by triggers. A file's pieces are written in the same transaction as its results
(:meth:`triage.case.store.Case.store_results`), after its earlier pieces are dropped, so a resumed
scan neither loses nor duplicates text. Used by :class:`triage.case.store.Case`; only this module
speaks these tables' SQL. Queries are built by :mod:`triage.search`.
"""

from __future__ import annotations

import json
import sqlite3
from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from triage.errors import UsageError
from triage.plugin import TEXT_SOURCES, TextPiece

MAX_PIECE_CHARS = 1 << 20
"""Longest piece accepted (characters); producers cut their text into pieces below it."""


@dataclass(frozen=True)
class PieceRow:
    """A stored piece with where it comes from (``path``/``inode`` ``None`` without a file)."""

    id: int
    file_id: int | None
    evidence_id: int | None
    partition_id: int | None
    partition: int | None
    source: str
    member: str | None
    base: int
    spans: tuple[tuple[int, int, int], ...]
    text: str
    path: str | None
    inode: int | None
    deleted: bool
    rank: float = 0.0


def piece_problem(piece: object) -> str | None:
    """Why ``piece`` cannot be indexed, or ``None``."""
    if not isinstance(piece, TextPiece):
        return f"add_text takes a TextPiece, not {type(piece).__name__}"
    if piece.source not in TEXT_SOURCES:
        return f"source {piece.source!r} is not one of {', '.join(TEXT_SOURCES)}"
    if not isinstance(piece.text, str) or len(piece.text) > MAX_PIECE_CHARS:
        return f"text must be a string of at most {MAX_PIECE_CHARS} characters"
    if not isinstance(piece.base, int) or piece.base < 0:
        return "base must be a whole number >= 0"
    for span in piece.spans:
        if len(span) != 3 or span[2] not in (1, 2) or min(span) < 0:
            return f"span {span!r} is not (position, byte offset, width 1 or 2)"
    return None


def _pack(spans: Sequence[tuple[int, int, int]]) -> bytes | None:
    if not spans:
        return None
    return array("q", [v for s in spans for v in s]).tobytes()


def _unpack(blob: bytes | None) -> tuple[tuple[int, int, int], ...]:
    if not blob:
        return ()
    a = array("q")
    a.frombytes(blob)
    return tuple((a[i], a[i + 1], a[i + 2]) for i in range(0, len(a), 3))


def put_pieces(
    conn: sqlite3.Connection,
    pieces: Iterable[TextPiece],
    *,
    file_id: int | None,
    evidence_id: int | None,
    partition_id: int | None,
) -> int:
    """Insert pieces inside the caller's transaction; returns how many."""
    rows = [
        (file_id, evidence_id, partition_id, p.source, p.member, p.base, _pack(p.spans), p.text)
        for p in pieces
        if p.text
    ]
    conn.executemany(
        "INSERT INTO text_pieces(file_id, evidence_id, partition_id, source, member, base, spans, text) "
        "VALUES (?,?,?,?,?,?,?,?)",
        rows,
    )
    return len(rows)


def drop_file_pieces(conn: sqlite3.Connection, file_id: int) -> None:
    """Drop a file's pieces (before storing them again: a resumed scan adds no duplicates)."""
    conn.execute("DELETE FROM text_pieces WHERE file_id=?", (file_id,))


def drop_volume_pieces(
    conn: sqlite3.Connection, evidence_id: int, partition_id: int | None, source: str
) -> None:
    """Drop the pieces without a file of one partition and source."""
    conn.execute(
        "DELETE FROM text_pieces WHERE file_id IS NULL AND evidence_id=? AND partition_id IS ? AND source=?",
        (evidence_id, partition_id, source),
    )


_ROWS = (
    "SELECT t.id, t.file_id, t.evidence_id, t.partition_id, p.idx AS partition, t.source, t.member, "
    "t.base, t.spans, t.text, f.path, f.inode, f.deleted{rank} "
    "FROM {src} LEFT JOIN files f ON f.id=t.file_id LEFT JOIN partitions p ON p.id=t.partition_id "
)


def _row(r: Any) -> PieceRow:
    return PieceRow(
        id=int(r[0]),
        file_id=r[1],
        evidence_id=r[2],
        partition_id=r[3],
        partition=r[4],
        source=str(r[5]),
        member=r[6],
        base=int(r[7] or 0),
        spans=_unpack(r[8]),
        text=str(r[9]),
        path=r[10],
        inode=r[11],
        deleted=bool(r[12]),
        rank=float(r[13]) if len(r) > 13 and r[13] is not None else 0.0,
    )


def match(conn: sqlite3.Connection, fts_query: str, limit: int) -> list[PieceRow]:
    """Pieces matching an FTS5 query, best (lowest bm25) first; ``UsageError`` for a query FTS5 refuses."""
    sql = (
        _ROWS.format(
            rank=", bm25(text_fts) AS rank", src="text_fts JOIN text_pieces t ON t.id=text_fts.rowid"
        )
        + "WHERE text_fts MATCH ? ORDER BY rank, t.id LIMIT ?"
    )
    try:
        return [_row(r) for r in conn.execute(sql, (fts_query, int(limit)))]
    except sqlite3.OperationalError as exc:
        raise UsageError(f"the index refuses the query: {exc}") from None


def iter_pieces(conn: sqlite3.Connection, batch: int = 2000) -> Iterator[PieceRow]:
    """Every piece, in id order, by keyset pages (for regular-expression search)."""
    after = 0
    sql = _ROWS.format(rank="", src="text_pieces t") + "WHERE t.id > ? ORDER BY t.id LIMIT ?"
    while True:
        rows = conn.execute(sql, (after, batch)).fetchall()
        if not rows:
            return
        for r in rows:
            yield _row(r)
        after = int(rows[-1][0])


def text_pages(conn: sqlite3.Connection, batch: int = 5000) -> Iterator[list[tuple[int, str]]]:
    """``(id, text)`` of every piece, in id order, a keyset page at a time (for regular expressions:
    a page is searched as one string, and only pages that match are read as rows)."""
    after = 0
    while True:
        rows = conn.execute(
            "SELECT id, text FROM text_pieces WHERE id > ? ORDER BY id LIMIT ?", (after, batch)
        ).fetchall()
        if not rows:
            return
        yield [(int(r[0]), str(r[1])) for r in rows]
        after = int(rows[-1][0])


def pieces_by_id(conn: sqlite3.Connection, ids: Sequence[int]) -> list[PieceRow]:
    """These pieces, in id order."""
    out: list[PieceRow] = []
    for i in range(0, len(ids), 500):
        part = list(ids[i : i + 500])
        sql = (
            _ROWS.format(rank="", src="text_pieces t")
            + f"WHERE t.id IN ({','.join('?' * len(part))}) ORDER BY t.id"
        )
        out += [_row(r) for r in conn.execute(sql, part)]
    return out


def file_text(conn: sqlite3.Connection, file_id: int, member: str | None) -> list[PieceRow]:
    """The extracted-text pieces (source ``text``) of one file, or of one of its members, by offset."""
    sql = (
        _ROWS.format(rank="", src="text_pieces t")
        + "WHERE t.file_id = ? AND t.source = 'text' AND t.member IS ? ORDER BY t.base, t.id"
    )
    return [_row(r) for r in conn.execute(sql, (int(file_id), member))]


def vocabulary(conn: sqlite3.Connection, low: str, high: str, limit: int = 200_000) -> list[str]:
    """Indexed terms ``low <= term < high`` (for fuzzy terms: those sharing a prefix)."""
    rows = conn.execute(
        "SELECT term FROM text_vocab WHERE term >= ? AND term < ? LIMIT ?", (low, high, int(limit))
    )
    return [str(r[0]) for r in rows]


def count_pieces(conn: sqlite3.Connection) -> int:
    """How many pieces the index holds."""
    return int(conn.execute("SELECT count(*) FROM text_pieces").fetchone()[0])


def save_search(conn: sqlite3.Connection, name: str, terms: Sequence[str], created: str) -> None:
    """Keep a keyword list under ``name`` (replacing one of that name)."""
    with conn:
        conn.execute(
            "INSERT OR REPLACE INTO saved_searches(name, terms, created) VALUES (?,?,?)",
            (name, json.dumps(list(terms)), created),
        )


def saved_searches(conn: sqlite3.Connection) -> dict[str, list[str]]:
    """Every saved keyword list by name."""
    return {
        str(r[0]): list(json.loads(r[1]))
        for r in conn.execute("SELECT name, terms FROM saved_searches ORDER BY name")
    }
