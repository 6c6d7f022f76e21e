"""The gallery's side of the case: picture files by page, and their cached thumbnails.

Pictures are regular files whose content type (libmagic's, from the scan) is ``image/*``; a
file named ``.jpg`` that holds a ZIP is not one. Thumbnails live in the ``thumbnails`` table
(schema 3): one row per picture, PNG bytes or the reason none could be made. They are derived
data (made again from the evidence at any time), so storing one is not an audited act.
Used by :class:`triage.case.store.Case`; only this module speaks the table's SQL.
"""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from typing import Any

from triage.case import query as _q
from triage.case.query import FileQuery
from triage.case.records import FileRecord, Thumbnail

PICTURES = "image/"
_CHUNK = 500  # ids per IN (...) list, well under SQLite's parameter limit


def picture_page(
    conn: sqlite3.Connection,
    files_from: str,
    query: FileQuery,
    after_id: int,
    limit: int,
) -> list[FileRecord]:
    """Pictures that ``query`` selects, by id after ``after_id``."""
    where, args = _q.compile_files(replace(query, mime_prefix=PICTURES))
    conds = ["f.id > ?", where]
    params: list[Any] = [after_id, *args]
    sql = files_from + "WHERE " + " AND ".join(f"({c})" for c in conds) + f" ORDER BY f.id LIMIT {int(limit)}"
    return [_q.file_record(dict(r)) for r in conn.execute(sql, params)]


def picture_ids(conn: sqlite3.Connection, query: FileQuery) -> list[int]:
    """Ids of the pictures ``query`` selects, ascending (the gallery's rows)."""
    where, args = _q.compile_files(replace(query, mime_prefix=PICTURES))
    conds, params = [where], list(args)
    sql = "SELECT f.id FROM files f WHERE " + " AND ".join(f"({c})" for c in conds) + " ORDER BY f.id"
    return [int(r[0]) for r in conn.execute(sql, params)]


def get_thumbnails(conn: sqlite3.Connection, file_ids: list[int]) -> dict[int, Thumbnail]:
    """The cached thumbnails (or recorded failures) of ``file_ids``; missing ones are absent."""
    out: dict[int, Thumbnail] = {}
    ids = list(dict.fromkeys(int(i) for i in file_ids))
    for start in range(0, len(ids), _CHUNK):
        part = ids[start : start + _CHUNK]
        rows = conn.execute(
            "SELECT file_id, width, height, data, error, created FROM thumbnails "
            f"WHERE file_id IN ({','.join('?' * len(part))})",
            part,
        )
        for fid, width, height, data, error, created in rows:
            out[int(fid)] = Thumbnail(
                int(fid), width, height, None if data is None else bytes(data), error, created
            )
    return out


def put_thumbnails(conn: sqlite3.Connection, thumbs: list[Thumbnail]) -> None:
    """Store (or replace) thumbnails in one transaction."""
    with conn:
        conn.executemany(
            "INSERT OR REPLACE INTO thumbnails(file_id, width, height, data, error, created) "
            "VALUES (?,?,?,?,?,?)",
            [(t.file_id, t.width, t.height, t.png, t.error, t.created) for t in thumbs],
        )
