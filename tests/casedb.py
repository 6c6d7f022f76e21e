"""The case database read (or changed) directly with sqlite3, beside the Case API: an independent
oracle for tests (``Case`` keeps its own connection private)."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from triage.case.store import DB_NAME


def sql(case_dir: str | Path, statement: str, args: tuple[Any, ...] = ()) -> list[sqlite3.Row]:
    """Run one statement on the case's database in its own connection (committed) and return its rows."""
    conn = sqlite3.connect(Path(case_dir) / DB_NAME, timeout=10)
    conn.row_factory = sqlite3.Row
    try:
        with conn:
            return conn.execute(statement, args).fetchall()
    finally:
        conn.close()


def one(case_dir: str | Path, statement: str, args: tuple[Any, ...] = ()) -> sqlite3.Row:
    """The first row of :func:`sql` (the statement must return one)."""
    rows = sql(case_dir, statement, args)
    assert rows, f"no row for {statement!r}"
    return rows[0]
