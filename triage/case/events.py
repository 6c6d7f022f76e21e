"""MACB events aggregated by the case store: span, histogram buckets (SQL ``GROUP BY``) and one
range's events, without loading the inventory into Python.

The events are exactly :func:`triage.timeline.events`'s: every non-zero M, A, C and B time of
every file (``$SI``), and on NTFS the ``$FILE_NAME`` times once per entry (on the entry's
first row, as ``fls -m`` prints them). The GUI timeline asks for buckets of the range shown;
a million-file case never crosses into Python row by row.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, replace
from typing import Any

from triage.case.query import ALL_FILES, FileQuery, compile_files

_SI = (("m", "mtime"), ("a", "atime"), ("c", "ctime"), ("b", "crtime"))
MACB = "macb"


@dataclass(frozen=True)
class EventQuery:
    """Which events: of the files ``files`` selects, the MACB types in ``macb``; ``fn``: with the
    NTFS ``$FILE_NAME`` times."""

    files: FileQuery = ALL_FILES
    macb: str = MACB
    fn: bool = True


@dataclass(frozen=True)
class EventBin:
    """One histogram bucket: ``[start, end]`` inclusive (Unix seconds, UTC), its events, and how
    many of them belong to files with findings."""

    start: int
    end: int
    count: int
    with_findings: int


@dataclass(frozen=True)
class EventRow:
    """One event: its time, MACB flag, source (``$SI``, ``$FN`` or ``""``) and file."""

    time: int
    macb: str
    source: str
    file_id: int


def _entry(a: str) -> str:
    """SQL for a row's entry path: its path without the ``:stream`` suffix."""
    return (
        f"(CASE WHEN {a}.stream IS NOT NULL AND {a}.stream != '' AND "
        f"substr({a}.path, -length({a}.stream) - 1) = ':' || {a}.stream "
        f"THEN substr({a}.path, 1, length({a}.path) - length({a}.stream) - 1) ELSE {a}.path END)"
    )


# The entry's first row carries its $FILE_NAME times: the row before it is another entry.
_FIRST = (
    "NOT EXISTS (SELECT 1 FROM files g WHERE g.id = f.id - 1 AND g.partition_id = f.partition_id "
    f"AND g.inode IS f.inode AND {_entry('g')} = {_entry('f')})"
)
_SI_SOURCE = "(CASE WHEN f.fn_attr_id IS NOT NULL OR f.attr_type IS NOT NULL THEN '$SI' ELSE '' END)"


def _events_sql(q: EventQuery, start: int | None, end: int | None) -> tuple[str, list[Any]]:
    """A ``SELECT t, macb, source, file_id`` of the events of ``q`` in ``[start, end]``."""
    where, wargs = compile_files(q.files)
    arms: list[str] = []
    args: list[Any] = []
    for flag, col, source, extra in _time_specs(q):
        conds = [f"f.{col} IS NOT NULL AND f.{col} != 0{extra}"]
        params: list[Any] = []
        if start is not None:
            conds.append(f"f.{col} >= ?")
            params.append(int(start))
        if end is not None:
            conds.append(f"f.{col} <= ?")
            params.append(int(end))
        if where:
            conds.append(f"({where})")
            params.extend(wargs)
        arms.append(
            f"SELECT f.{col} AS t, '{flag}' AS macb, {source} AS source, f.id AS file_id "
            f"FROM files f WHERE {' AND '.join(conds)}"
        )
        args.extend(params)
    if not arms:
        return "SELECT 0 AS t, '' AS macb, '' AS source, 0 AS file_id WHERE 0", []
    return " UNION ALL ".join(arms), args


def _time_specs(q: EventQuery) -> list[tuple[str, str, str, str]]:
    """``(flag, column, source SQL, extra condition)`` of each time column ``q`` reads."""
    specs = [(flag, col, _SI_SOURCE, "") for flag, col in _SI]
    if q.fn:
        specs += [
            (flag, f"fn_{col}", "'$FN'", f" AND f.fn_attr_id IS NOT NULL AND {_FIRST}") for flag, col in _SI
        ]
    return [s for s in specs if s[0] in q.macb]


def event_span(conn: sqlite3.Connection, q: EventQuery) -> tuple[int, int] | None:
    """The first and last event time, or None without events (one pass over the files)."""
    where, args = compile_files(q.files)
    parts = []
    for _flag, col, _source, extra in _time_specs(q):
        value = f"(CASE WHEN f.{col} != 0{extra} THEN f.{col} END)"
        parts += [f"MIN({value})", f"MAX({value})"]
    if not parts:
        return None
    row = conn.execute(
        f"SELECT {', '.join(parts)} FROM files f" + (f" WHERE {where}" if where else ""), args
    ).fetchone()
    lows = [int(v) for v in row[0::2] if v is not None]
    highs = [int(v) for v in row[1::2] if v is not None]
    return (min(lows), max(highs)) if lows else None


def narrowed(conn: sqlite3.Connection, q: EventQuery) -> EventQuery:
    """``q`` without the ``$FILE_NAME`` arms when no file of the case has such times (not NTFS):
    the same events, fewer passes over the files."""
    if q.fn and conn.execute("SELECT 1 FROM files WHERE fn_attr_id IS NOT NULL LIMIT 1").fetchone() is None:
        return replace(q, fn=False)
    return q


def bucket_width(lo: int, hi: int, buckets: int) -> int:
    """The width of :func:`event_histogram`'s buckets (and :func:`triage.timeline.histogram`'s)."""
    return max(1, (hi - lo + buckets) // buckets)


def event_histogram(
    conn: sqlite3.Connection, q: EventQuery, lo: int, hi: int, buckets: int
) -> list[EventBin]:
    """``buckets`` equal buckets from ``lo`` covering ``[lo, hi]``, counted by SQLite: each time
    column grouped by bucket on its own pass, the groups summed."""
    width = bucket_width(lo, hi, buckets)
    end = min(hi, lo + buckets * width - 1)
    where, wargs = compile_files(q.files)
    found = conn.execute("SELECT 1 FROM findings WHERE file_id IS NOT NULL LIMIT 1").fetchone() is not None
    flagged = "SUM(f.id IN (SELECT file_id FROM findings WHERE file_id IS NOT NULL))" if found else "0"
    arms: list[str] = []
    args: list[Any] = []
    for _flag, col, _source, extra in _time_specs(q):
        arms.append(
            f"SELECT (f.{col} - ?) / ? AS b, COUNT(*) AS n, {flagged} AS fx FROM files f "
            f"WHERE f.{col} IS NOT NULL AND f.{col} != 0{extra} AND f.{col} >= ? AND f.{col} <= ?"
            + (f" AND ({where})" if where else "")
            + " GROUP BY b"
        )
        args += [lo, width, lo, end, *wargs]
    counts: dict[int, tuple[int, int]] = {}
    if arms:
        sql = f"SELECT b, SUM(n), SUM(fx) FROM ({' UNION ALL '.join(arms)}) GROUP BY b"
        counts = {int(b): (int(n), int(fx or 0)) for b, n, fx in conn.execute(sql, args)}
    return [
        EventBin(lo + k * width, lo + (k + 1) * width - 1, *counts.get(k, (0, 0))) for k in range(buckets)
    ]


def event_count(conn: sqlite3.Connection, q: EventQuery, start: int, end: int) -> int:
    sql, args = _events_sql(q, start, end)
    return int(conn.execute(f"SELECT COUNT(*) FROM ({sql})", args).fetchone()[0])


def event_rows(
    conn: sqlite3.Connection, q: EventQuery, start: int, end: int, limit: int | None = None
) -> list[EventRow]:
    """The events in ``[start, end]`` in :func:`triage.timeline.events`'s order (time, file, ``$SI``
    before ``$FN``, M A C B), at most ``limit``."""
    sql, args = _events_sql(q, start, end)
    rows = conn.execute(
        f"SELECT t, macb, source, file_id FROM ({sql}) "
        "ORDER BY t, file_id, source = '$FN', instr('macb', macb)"
        + (f" LIMIT {int(limit)}" if limit is not None else ""),
        args,
    )
    return [EventRow(int(t), str(m), str(s), int(f)) for t, m, s, f in rows]
