"""The hash-set store: every SQL statement of the known-file hash-set library.

One SQLite file (WAL) holds a ``sets`` table and one ``WITHOUT ROWID`` table per algorithm,
``h_md5``/``h_sha1``/``h_sha256``, keyed ``(hash, set_id)`` with binary hashes. Parsing, validation
and the import report live in :mod:`triage.hashsets`; this module only reads and writes rows, and
reads the ``FILE`` and ``VERSION`` tables of NSRL RDSv3 SQLite files.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from triage.errors import UsageError

ALGORITHMS = ("md5", "sha1", "sha256")
BATCH = 50_000

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sets (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    version TEXT NOT NULL,
    category TEXT NOT NULL CHECK (category IN ('known', 'notable')),
    format TEXT NOT NULL,
    source TEXT NOT NULL,
    source_sha256 TEXT NOT NULL,
    imported TEXT NOT NULL,
    md5 INTEGER NOT NULL DEFAULT 0, sha1 INTEGER NOT NULL DEFAULT 0, sha256 INTEGER NOT NULL DEFAULT 0,
    skipped INTEGER NOT NULL DEFAULT 0,
    UNIQUE (name, version)
);
CREATE TABLE IF NOT EXISTS h_md5 (hash BLOB NOT NULL, set_id INTEGER NOT NULL, PRIMARY KEY (hash, set_id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS h_sha1 (hash BLOB NOT NULL, set_id INTEGER NOT NULL, PRIMARY KEY (hash, set_id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS h_sha256 (hash BLOB NOT NULL, set_id INTEGER NOT NULL, PRIMARY KEY (hash, set_id)) WITHOUT ROWID;
INSERT OR IGNORE INTO meta(key, value) VALUES ('format', 'triage-hashsets-1');
"""

_SET_COLUMNS = (
    "id, name, version, category, format, source, source_sha256, imported, md5, sha1, sha256, skipped"
)


@dataclass(frozen=True)
class HashSet:
    """One imported set (a row of ``sets``)."""

    id: int
    name: str
    version: str
    category: str
    format: str
    source: str
    source_sha256: str
    imported: str
    md5: int
    sha1: int
    sha256: int
    skipped: int

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class NewSet:
    """The ``sets`` row an import creates; the counts are filled in when the rows are in."""

    name: str
    version: str
    category: str
    format: str
    source: str
    source_sha256: str
    imported: str


class HashSetStore:
    """An open hash-set database; ``readonly`` for lookups (scan workers), else created if missing."""

    def __init__(self, path: Path, *, readonly: bool = False) -> None:
        self.path = path
        try:
            if readonly:
                self._conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                self._conn = sqlite3.connect(path, check_same_thread=False)
                self._conn.execute("PRAGMA journal_mode=WAL")
                self._conn.executescript(_SCHEMA)
            self._conn.execute("PRAGMA busy_timeout=10000")
            self._conn.execute("SELECT COUNT(*) FROM sets").fetchone()
        except sqlite3.DatabaseError as exc:
            raise UsageError(f"{path}: not a triage hash set database: {exc}") from exc

    def close(self) -> None:
        self._conn.close()

    # -- reads -----------------------------------------------------------------------------
    def sets(self) -> list[HashSet]:
        """Every set, ordered by name and version."""
        rows = self._conn.execute(f"SELECT {_SET_COLUMNS} FROM sets ORDER BY name, version").fetchall()
        return [HashSet(*r) for r in rows]

    def find_set(self, name: str, version: str) -> int | None:
        """The id of set ``name`` at ``version``, or None."""
        row = self._conn.execute("SELECT id FROM sets WHERE name=? AND version=?", (name, version)).fetchone()
        return int(row[0]) if row else None

    def set_ids_with(self, algo: str, key: bytes) -> list[int]:
        """Ids of the sets holding binary digest ``key`` of algorithm ``algo`` (one B-tree probe)."""
        _check_algo(algo)
        return [int(r[0]) for r in self._conn.execute(f"SELECT set_id FROM h_{algo} WHERE hash=?", (key,))]

    # -- changes ---------------------------------------------------------------------------
    def remove(self, name: str, version: str | None = None) -> int:
        """Delete a set (every version unless ``version``); returns how many sets went."""
        where, args = ("name=? AND version=?", (name, version)) if version else ("name=?", (name,))
        ids = [r[0] for r in self._conn.execute(f"SELECT id FROM sets WHERE {where}", args)]
        with self._conn:
            for i in ids:
                self._delete_set(i)
        return len(ids)

    def import_rows(
        self,
        new: NewSet,
        rows: Iterable[tuple[str, bytes]],
        *,
        replace_id: int | None = None,
        finish: Callable[[Mapping[str, int]], int],
    ) -> tuple[int, int]:
        """Add set ``new`` and its ``(algorithm, binary digest)`` rows in one transaction.

        Returns the new set's id and how many rows were read (duplicates included).

        ``replace_id`` (a set of the same name and version) is deleted in the same transaction.
        ``finish(counts)`` is called once the rows are in, with the new hashes per algorithm; it
        returns the number of skipped input lines to record, or raises to roll the import back.
        """
        counts = dict.fromkeys(ALGORITHMS, 0)
        lines = 0
        conn = self._conn
        conn.execute("PRAGMA synchronous=OFF")
        conn.execute("PRAGMA cache_size=-262144")  # 256 MiB: random-key B-tree inserts stay in memory
        try:
            with conn:
                if replace_id is not None:
                    self._delete_set(replace_id)
                cur = conn.execute(
                    "INSERT INTO sets(name, version, category, format, source, source_sha256, imported) "
                    "VALUES (?,?,?,?,?,?,?)",
                    (
                        new.name,
                        new.version,
                        new.category,
                        new.format,
                        new.source,
                        new.source_sha256,
                        new.imported,
                    ),
                )
                set_id = int(cur.lastrowid or 0)
                batches: dict[str, list[tuple[bytes, int]]] = {a: [] for a in ALGORITHMS}
                for algo, key in rows:
                    lines += 1
                    batch = batches[algo]
                    batch.append((key, set_id))
                    if len(batch) >= BATCH:
                        counts[algo] += self._insert(algo, batch)
                        batch.clear()
                for algo, batch in batches.items():
                    counts[algo] += self._insert(algo, batch)
                skipped = finish(counts)
                conn.execute(
                    "UPDATE sets SET md5=?, sha1=?, sha256=?, skipped=? WHERE id=?",
                    (counts["md5"], counts["sha1"], counts["sha256"], skipped, set_id),
                )
        finally:
            conn.execute("PRAGMA synchronous=FULL")
        return set_id, lines

    def _delete_set(self, set_id: int) -> None:
        for algo in ALGORITHMS:
            self._conn.execute(f"DELETE FROM h_{algo} WHERE set_id=?", (set_id,))
        self._conn.execute("DELETE FROM sets WHERE id=?", (set_id,))

    def _insert(self, algo: str, batch: list[tuple[bytes, int]]) -> int:
        if not batch:
            return 0
        before = self._conn.total_changes
        self._conn.executemany(f"INSERT OR IGNORE INTO h_{algo}(hash, set_id) VALUES (?, ?)", batch)
        return self._conn.total_changes - before


def _check_algo(algo: str) -> None:
    if algo not in ALGORITHMS:  # the table name is built from it
        raise ValueError(f"unknown hash algorithm {algo!r}")


# -- NSRL RDSv3 SQLite files (read-only, immutable) ----------------------------------------


def _nsrl_connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
    try:
        cols = {r[1].lower() for r in conn.execute("PRAGMA table_info(FILE)")}
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise UsageError(f"{path}: not a readable SQLite database: {exc}") from exc
    if not {"sha256", "sha1", "md5"} <= cols:
        conn.close()
        raise UsageError(f"{path}: not an NSRL RDSv3 database (no FILE table with sha256, sha1, md5)")
    return conn


def nsrl_version(path: Path) -> str:
    """The newest ``VERSION.version`` of an RDSv3 file, ``unknown`` without one."""
    conn = _nsrl_connect(path)
    try:
        row = conn.execute("SELECT version FROM VERSION ORDER BY rowid DESC LIMIT 1").fetchone()
    except sqlite3.DatabaseError:
        row = None
    finally:
        conn.close()
    return str(row[0]) if row else "unknown"


def nsrl_digests(path: Path) -> Iterator[tuple[Any, Any, Any]]:
    """The distinct ``(sha256, sha1, md5)`` values of an RDSv3 ``FILE`` table, as stored (unchecked).

    A generator: the file is opened when the first row is asked for.
    """
    conn = _nsrl_connect(path)
    try:
        yield from conn.execute("SELECT DISTINCT sha256, sha1, md5 FROM FILE")
    finally:
        conn.close()
