"""The case: one folder holding a SQLite database (WAL) and anything analyzers extract.

One process writes (the scan parent or the GUI controller); readers open their own
read-only connections. Every change an examiner makes is recorded in the append-only
audit log.
"""

from __future__ import annotations

import getpass
import json
import os
import socket
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from triage.case import events as _events
from triage.case import lock as writer_lock
from triage.case import query as _q
from triage.case import textindex as _text
from triage.case import thumbnails as _thumbs
from triage.case.query import (
    ALL_FILES,
    ALL_FINDINGS,
    ALL_PROBLEMS,
    FileQuery,
    FileStats,
    FindingQuery,
    PageKey,
    ProblemQuery,
)
from triage.case.records import (
    AuditEvent,
    CaseInfo,
    FileProblem,
    FileRecord,
    Finding,
    Gap,
    GapKind,
    Problem,
    ProblemCount,
    RankedFile,
    RankedFiles,
    Severity,
    Thumbnail,
    check_gap_kind,
    check_severity,
)
from triage.case.schema import MIGRATIONS, SCHEMA_VERSION
from triage.errors import CaseError, StorageError
from triage.plugin import TextPiece
from triage.private import private_dir, private_file

if TYPE_CHECKING:
    from triage.case.removal import RemovedEvidence

DB_NAME = "case.sqlite"
FILE_COLUMNS = (
    "id, evidence_id, partition_id, parent_path, path, name, inode, attr_type, attr_id, stream, type, size, "
    "deleted, orphan, mtime, atime, ctime, crtime, status, md5, sha1, sha256, mime, description, "
    "ext_mismatch, attributes, error, name_raw"
)
# the timeline's columns (deleted-realloc, NTFS $FILE_NAME times; see triage/timeline.py)
FILE_COLUMNS += (
    ", realloc, crtime_ns, fn_mtime, fn_atime, fn_ctime, fn_crtime, fn_crtime_ns, fn_attr_id, fn_size"
)
# derived entries: container members and carved files (schema 7)
FILE_COLUMNS += ", origin, container_id, member_path, extent"


_OPEN: dict[Path, int] = {}
"""Case folders this process has open (any mode), for error messages that must name the case."""


def open_cases() -> list[Path]:
    """The case folders this process has open now."""
    return list(_OPEN)


def database_error(exc: sqlite3.Error, case: Path, doing: str) -> CaseError | StorageError:
    """A one-line error for an SQLite failure on a case, naming the case and what to do."""
    db = case / DB_NAME
    code = getattr(exc, "sqlite_errorcode", None)
    code = None if code is None else code & 0xFF  # the primary result code of an extended one
    text = str(exc)
    if (
        code in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB)
        or "malformed" in text
        or "not a database" in text
    ):
        return CaseError(
            f"{db}: the case database is damaged ({text}); restore the case folder from a copy "
            f"or scan into a new case (triage does not repair a case in place)"
        )
    if (
        code == sqlite3.SQLITE_FULL
        or "disk is full" in text
        or (code == sqlite3.SQLITE_IOERR and _disk_full(case))
    ):
        return StorageError(
            f"{db}: disk full ({text}) while trying to {doing}; {writer_lock.ADVICE['case'][0]}"
        )
    if code == sqlite3.SQLITE_READONLY:
        return StorageError(
            f"{db}: the case is read-only ({text}) while trying to {doing}; {writer_lock.ADVICE['case'][1]}"
        )
    if code == sqlite3.SQLITE_CANTOPEN:
        return CaseError(f"{db}: cannot {doing} ({text}); check that the folder exists and is readable")
    if code == sqlite3.SQLITE_IOERR:
        return StorageError(
            f"{db}: I/O error ({text}) while trying to {doing}; check the storage (dmesg) and run again"
        )
    return CaseError(f"{db}: cannot {doing}: {text}")


def _disk_full(folder: Path) -> bool:
    """SQLite reports some failed writes on a full file system as I/O errors: look at the free space."""
    try:
        st = os.statvfs(folder)
    except OSError:
        return False
    return st.f_bavail * st.f_frsize < (1 << 20)


def utc_now() -> str:
    """The current time as an ISO 8601 UTC string with a ``Z``."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def actor() -> str:
    """Who is acting: ``user@host``."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "unknown"
    return f"{user}@{socket.gethostname()}"


def _volume_json(p: dict[str, Any]) -> str | None:
    """The ``volume`` column: the encrypted volume found there, or a shadow copy's ``layer`` and
    snapshot (store, creation time, identifier)."""
    if p.get("encryption"):
        return json.dumps(p["encryption"], sort_keys=True)
    if p.get("layer"):
        return json.dumps({"layer": p["layer"], **(p.get("snapshot") or {})}, sort_keys=True)
    return None


@dataclass
class FileResult:
    """Everything one scan produced for one file, stored in one transaction."""

    file_id: int
    status: str = "done"
    columns: dict[str, Any] = field(
        default_factory=dict
    )  # md5, sha1, sha256, mime, description, ext_mismatch
    attributes: dict[str, Any] = field(default_factory=dict)
    findings: list[dict[str, Any]] = field(default_factory=list)
    errors: list[FileProblem] = field(default_factory=list)
    error: str | None = None
    text: list[TextPiece] = field(default_factory=list)
    """Pieces for the full-text index (API 2.2), stored with the rest, replacing earlier ones."""
    gaps: list[tuple[str, str, str, int | None]] = field(default_factory=list)
    """Completeness-ledger entries: (kind, reason, source analyzer, bytes not examined)."""
    members: list[MemberResult] = field(default_factory=list)
    """A container's members (:mod:`triage.containers`), stored with it in one transaction."""


@dataclass
class MemberResult:
    """One container member: its inventory row (``origin='member'``; the columns of
    :meth:`Case.insert_entries`) and its results (``file_id`` 0 until it is stored)."""

    entry: dict[str, Any]
    result: FileResult


_RESULT_COLUMNS = ("md5", "sha1", "sha256", "mime", "description", "ext_mismatch")


class Case:
    """A case folder. Use :meth:`create` or :meth:`open`."""

    def __init__(
        self, path: Path, conn: sqlite3.Connection, readonly: bool, lock: writer_lock.WriterLock | None = None
    ) -> None:
        self.path = path
        self._conn = conn
        self.readonly = readonly
        self.lock = lock
        """The writer lock a read-write case holds until :meth:`close` (see ``triage/case/lock.py``)."""
        self._key = path.resolve()
        _OPEN[self._key] = _OPEN.get(self._key, 0) + 1

    # -- opening ---------------------------------------------------------------------------
    @classmethod
    def create(cls, path: str | Path, info: CaseInfo | None = None) -> Case:
        """Create a new case folder (or open it when it already is a case).

        ``info`` (case number, examiner, organisation) is stored before the first audit event,
        so even ``case.created`` names the examiner as its actor.
        """
        p = Path(path)
        if p.exists() and not p.is_dir():
            raise CaseError(f"{p}: exists and is not a folder")
        if p.is_dir() and (p / DB_NAME).exists():
            return cls.open(p)
        if p.is_dir() and any(c.name != writer_lock.LOCK_NAME for c in p.iterdir()):
            raise CaseError(f"{p}: folder is not empty and is not a case")
        try:
            private_dir(p)
            private_file(p / DB_NAME)  # 0600 before SQLite opens it: its -wal and -shm files follow
        except OSError as exc:
            raise writer_lock.storage_error(exc, p, "create the case folder", "new case") from exc
        case = cls._connect(p, readonly=False)
        if info is not None and info != CaseInfo():
            with case._conn:
                case._conn.executemany(
                    "INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)",
                    [(f"info.{n}", str(getattr(info, n)).strip()) for n in CaseInfo.FIELDS],
                )
        case.audit("case.created", {"path": str(p.resolve())})
        return case

    @classmethod
    def open(cls, path: str | Path, *, readonly: bool = False, snapshot: bool = False) -> Case:
        """Open an existing case; upgrade its schema when it is older.

        Read-write takes the case's writer lock (a second writer is refused with
        :class:`~triage.case.lock.CaseLocked`); read-only never writes anything, so a case on
        read-only media opens too. ``snapshot`` (read-only, for one look such as a check before
        the lock is taken) opens ``immutable`` when no journal lies beside the database, so not
        even SQLite's ``-shm``/``-wal`` files are created; it never sees later writes.
        """
        p = Path(path)
        if not (p / DB_NAME).is_file():
            raise CaseError(f"{p}: not a case folder (no {DB_NAME})")
        if snapshot:
            return cls._connect_readonly(p, snapshot=True)
        return cls._connect(p, readonly=readonly)

    @classmethod
    def open_or_create(cls, path: str | Path) -> Case:
        p = Path(path)
        return cls.open(p) if (p / DB_NAME).is_file() else cls.create(p)

    @classmethod
    def _connect(cls, p: Path, readonly: bool) -> Case:
        if readonly:
            return cls._connect_readonly(p)
        lock = writer_lock.acquire(p)
        try:
            db = p / DB_NAME
            try:
                conn = sqlite3.connect(db, check_same_thread=False)
                conn.execute("PRAGMA busy_timeout=10000")
            except sqlite3.Error as exc:
                raise database_error(exc, p, "open the case") from exc
            case = cls(p, conn, False, lock)
        except BaseException:
            writer_lock.release(lock)
            raise
        try:
            version = case._schema_version()  # before anything is written: a foreign database stays as it is
            try:
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute("PRAGMA synchronous=NORMAL")
                conn.execute("PRAGMA foreign_keys=ON")
                conn.row_factory = sqlite3.Row
            except sqlite3.Error as exc:
                raise database_error(exc, p, "open the case") from exc
            case._migrate(version)
            if lock.count == 1:
                case._mark_interrupted()
        except BaseException:
            case.close()
            raise
        return case

    @classmethod
    def _connect_readonly(cls, p: Path, snapshot: bool = False) -> Case:
        """A read-only connection; on read-only media (SQLite cannot create the WAL index there)
        the database is opened ``immutable`` when no journal of unmerged changes lies beside it."""
        db = p / DB_NAME
        uri = f"file:{quote(str(db.resolve()))}?mode=ro"
        if snapshot and not Path(f"{db}-wal").exists():
            uri += "&immutable=1"
        conn: sqlite3.Connection | None = None
        try:
            conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
            conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
        except sqlite3.OperationalError as exc:
            if conn is not None:
                conn.close()
            wal = Path(f"{db}-wal")
            if wal.exists() and wal.stat().st_size > 0:
                raise CaseError(
                    f"{db}: cannot open read-only ({exc}): its journal {wal.name} holds changes not "
                    f"yet merged and the folder cannot be written; copy the case folder to writable "
                    f"storage and open the copy"
                ) from exc
            try:
                conn = sqlite3.connect(uri + "&immutable=1", uri=True, check_same_thread=False)
                conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
            except sqlite3.Error as exc2:
                raise database_error(exc2, p, "open the case read-only") from exc2
        except sqlite3.Error as exc:
            raise database_error(exc, p, "open the case read-only") from exc
        try:
            conn.execute("PRAGMA foreign_keys=ON")
            conn.execute("PRAGMA busy_timeout=10000")
            conn.row_factory = sqlite3.Row
        except sqlite3.Error as exc:
            raise database_error(exc, p, "open the case read-only") from exc
        case = cls(p, conn, True)
        try:
            case._migrate(case._schema_version())
        except BaseException:
            case.close()
            raise
        return case

    def _schema_version(self) -> int:
        """The case's schema version; 0 only for an empty database (a new case)."""
        try:
            has_meta = (
                self._conn.execute(
                    "SELECT 1 FROM sqlite_master WHERE type='table' AND name='meta'"
                ).fetchone()
                is not None
            )
            if has_meta:  # only a database without the meta table is a new one (schema 0)
                row = self._conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
                version = int(row[0]) if row else 0
            else:
                others = self._conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()[0]
                if others:
                    raise CaseError(
                        f"{self.path / DB_NAME}: an SQLite database but not a triage case (no meta "
                        f"table); choose the case folder triage created"
                    )
                version = 0
        except sqlite3.Error as exc:
            raise database_error(exc, self.path, "read the case") from exc
        except ValueError as exc:
            raise CaseError(
                f"{self.path / DB_NAME}: the case database is damaged: bad schema_version "
                f"({exc}); restore the case folder from a copy"
            ) from exc
        return version

    def _migrate(self, version: int) -> None:
        if version > SCHEMA_VERSION:
            raise CaseError(
                f"{self.path}: case schema {version} is newer than this program ({SCHEMA_VERSION})"
            )
        if version == SCHEMA_VERSION:
            return
        if self.readonly:
            raise CaseError(f"{self.path}: case schema {version} needs an upgrade; open it read-write first")
        try:
            with self._conn:
                for step in MIGRATIONS[version:]:
                    for statement in _split_sql(step):
                        self._conn.execute(statement)
                self._conn.execute(
                    "INSERT OR REPLACE INTO meta(key, value) VALUES ('schema_version', ?)",
                    (str(SCHEMA_VERSION),),
                )
        except sqlite3.Error as exc:
            raise database_error(exc, self.path, f"upgrade the case schema from {version}") from exc

    def _mark_interrupted(self) -> None:
        """A new writer holds the lock, so no live process runs a scan still marked ``running``:
        mark those rows ``interrupted`` (and say who left them, when the lock file still tells)."""
        rows = [int(r[0]) for r in self._conn.execute("SELECT id FROM scans WHERE status='running'")]
        if not rows:
            return
        with self._conn:
            self._conn.executemany(
                "UPDATE scans SET status='interrupted' WHERE id=? AND status='running'", [(i,) for i in rows]
            )
        stale = self.lock.stale if self.lock else None
        for scan_id in rows:
            self.audit("scan.interrupted", {"scan_id": scan_id, "holder": stale.to_json() if stale else None})

    def close(self) -> None:
        if getattr(self, "_closed", False):
            return
        self._closed = True
        _OPEN[self._key] = _OPEN.get(self._key, 1) - 1
        if _OPEN[self._key] <= 0:
            _OPEN.pop(self._key, None)
        try:
            self._conn.close()
        finally:
            if self.lock is not None:
                writer_lock.release(self.lock)
                self.lock = None

    def __enter__(self) -> Case:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def extra_dir(self) -> Path:
        """Where analyzers' extra files go."""
        return private_dir(self.path / "extra", parents=False)

    # -- audit -----------------------------------------------------------------------------
    def audit(self, action: str, details: dict[str, Any] | None = None, who: str | None = None) -> None:
        """Append one event to the audit log (committed at once)."""
        with self._conn:
            self._conn.execute(
                "INSERT INTO audit(ts, actor, action, details) VALUES (?, ?, ?, ?)",
                (utc_now(), who or self.actor(), action, json.dumps(details or {}, sort_keys=True)),
            )

    def audit_in_transaction(self, action: str, details: dict[str, Any] | None = None) -> None:
        """Append one audit event inside the caller's open transaction (committed with it)."""
        self._conn.execute(
            "INSERT INTO audit(ts, actor, action, details) VALUES (?, ?, ?, ?)",
            (utc_now(), self.actor(), action, json.dumps(details or {}, sort_keys=True, default=str)),
        )

    # -- case information (meta table) --------------------------------------------------
    def case_info(self) -> CaseInfo:
        """Case number, examiner and organisation as stored in the case (empty when never given)."""
        keys = tuple(f"info.{name}" for name in CaseInfo.FIELDS)
        marks = ",".join("?" * len(keys))
        rows = dict(
            self._conn.execute(f"SELECT key, value FROM meta WHERE key IN ({marks})", keys).fetchall()
        )
        return CaseInfo(**{name: rows.get(f"info.{name}", "") for name in CaseInfo.FIELDS})

    def set_case_info(self, info: CaseInfo) -> None:
        """Store the case information; the change is audited with the fields that changed."""
        before = self.case_info()
        changed = {n: getattr(info, n) for n in CaseInfo.FIELDS if getattr(info, n) != getattr(before, n)}
        if not changed:
            return
        with self._conn:
            self._conn.executemany(
                "INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)",
                [(f"info.{n}", str(v).strip()) for n, v in changed.items()],
            )
        self.audit("case.info", changed)

    def actor(self) -> str:
        """Who acts on this case in the audit log: the case's examiner and the login account."""
        return self.case_info().actor(actor())

    def append_audit(self, action: str, details: dict[str, Any] | None = None) -> None:
        """Append one audit event, also from a read-only case and without the writer lock.

        For readers that must leave a trace while another process may hold the lock (a mount
        started by the GUI): one insert into the append-only log cannot disturb a writer's work,
        and SQLite serialises it with the writer's transactions.
        """
        if not self.readonly:
            self.audit(action, details)
            return
        try:
            conn = sqlite3.connect(self.path / DB_NAME, timeout=10)
            try:
                with conn:
                    conn.execute(
                        "INSERT INTO audit(ts, actor, action, details) VALUES (?, ?, ?, ?)",
                        (utc_now(), self.actor(), action, json.dumps(details or {}, sort_keys=True)),
                    )
            finally:
                conn.close()
        except sqlite3.Error as exc:
            raise database_error(exc, self.path, "append to the audit log") from exc

    def audit_log(self) -> list[AuditEvent]:
        """The audit log, oldest first."""
        return [
            AuditEvent(int(r["id"]), r["ts"], r["actor"], r["action"], json.loads(r["details"] or "{}"))
            for r in self._conn.execute("SELECT id, ts, actor, action, details FROM audit ORDER BY id")
        ]

    # -- evidence and layout ---------------------------------------------------------------
    def add_evidence(
        self, path: str, fmt: str, segments: list[str], size: int, metadata: dict[str, Any] | None = None
    ) -> int:
        """Register an image; adding the same path again returns the existing id."""
        row = self._conn.execute("SELECT id FROM evidence WHERE path=?", (path,)).fetchone()
        if row:
            return int(row[0])
        metadata = metadata or {}
        stored = metadata.get("stored_hashes", {}) if isinstance(metadata.get("stored_hashes"), dict) else {}
        with self._conn:
            cur = self._conn.execute(
                "INSERT INTO evidence(path, format, segments, size, md5, sha1, sha256, metadata, added) "
                "VALUES (?,?,?,?,?,?,?,?,?)",
                (
                    path,
                    fmt,
                    json.dumps(segments),
                    size,
                    stored.get("md5"),
                    stored.get("sha1"),
                    stored.get("sha256"),
                    json.dumps(metadata, sort_keys=True, default=str),
                    utc_now(),
                ),
            )
        evidence_id = int(cur.lastrowid or 0)
        self.audit("evidence.added", {"evidence_id": evidence_id, "path": path, "format": fmt, "size": size})
        return evidence_id

    def remove_evidence(self, evidence_id: int) -> RemovedEvidence:
        """Remove one evidence item and everything derived from it (files, findings, problems,
        tags, notes, thumbnails, hashes, damage …) in one transaction with an ``evidence.removed``
        audit event; refused while a scan runs or the item is mounted (see triage/case/removal.py)."""
        from triage.case.removal import remove_evidence

        return remove_evidence(self, evidence_id)

    def evidence(self, evidence_id: int | None = None) -> list[dict[str, Any]]:
        sql = "SELECT * FROM evidence" + (" WHERE id=?" if evidence_id is not None else "") + " ORDER BY id"
        args = (evidence_id,) if evidence_id is not None else ()
        return [_row(r, json_cols=("segments", "metadata")) for r in self._conn.execute(sql, args)]

    def partitions(self, evidence_id: int | None = None) -> list[dict[str, Any]]:
        sql = "SELECT * FROM partitions" + (" WHERE evidence_id=?" if evidence_id is not None else "")
        args = (evidence_id,) if evidence_id is not None else ()
        rows = self._conn.execute(sql + " ORDER BY evidence_id, idx", args)
        return [_row(r, json_cols=("volume",)) for r in rows]

    # The inventory of one image is written in one transaction: a killed inventory leaves nothing.
    def begin_inventory(
        self, evidence_id: int, volume_system: str, partitions: list[dict[str, Any]]
    ) -> dict[int, int]:
        """Replace the layout of an image (uncommitted); returns partition index → row id."""
        # ledger entries tied to the old layout or to a scan go with it (see reset_results)
        self._conn.execute(
            "DELETE FROM gaps WHERE evidence_id=? AND (scan_id IS NOT NULL OR partition_id IS NOT NULL "
            "OR file_id IS NOT NULL)",
            (evidence_id,),
        )
        self._conn.execute("DELETE FROM files WHERE evidence_id=?", (evidence_id,))
        self._conn.execute("DELETE FROM partitions WHERE evidence_id=?", (evidence_id,))
        self._conn.execute("UPDATE evidence SET volume_system=? WHERE id=?", (volume_system, evidence_id))
        ids: dict[int, int] = {}
        for p in partitions:
            cur = self._conn.execute(
                "INSERT INTO partitions(evidence_id, idx, offset, length, description, slot, fs_type, block_size, "
                "error, unallocated, unallocated_error, volume) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    evidence_id,
                    p["index"],
                    p["offset"],
                    p["length"],
                    p["description"],
                    p.get("slot"),
                    p.get("fs_type"),
                    p.get("block_size"),
                    p.get("error"),
                    p.get("unallocated"),
                    p.get("unallocated_error"),
                    _volume_json(p),
                ),
            )
            ids[p["index"]] = int(cur.lastrowid or 0)
        return ids

    def insert_entries(self, evidence_id: int, partition_id: int, batch: list[dict[str, Any]]) -> None:
        """Add inventory rows (uncommitted, inside the inventory transaction)."""
        self._conn.executemany(
            "INSERT INTO files(evidence_id, partition_id, parent_path, path, name, inode, attr_type, attr_id, "
            "stream, type, size, deleted, orphan, mtime, atime, ctime, crtime, mode, uid, gid, name_type, link, "
            "status, name_raw, realloc, crtime_ns, fn_mtime, fn_atime, fn_ctime, fn_crtime, fn_crtime_ns, "
            "fn_attr_id, fn_size, origin, container_id, member_path, extent) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [
                (
                    evidence_id,
                    partition_id,
                    e["parent_path"],
                    e["path"],
                    e["name"],
                    e["inode"],
                    e["attr_type"],
                    e["attr_id"],
                    e["stream"],
                    e["type"],
                    e["size"],
                    int(e["deleted"]),
                    int(e["orphan"]),
                    e["mtime"],
                    e["atime"],
                    e["ctime"],
                    e["crtime"],
                    e.get("mode"),
                    e.get("uid"),
                    e.get("gid"),
                    e.get("name_type"),
                    e.get("link"),
                    initial_status(e),
                    e.get("name_raw"),
                    *_time_columns(e),
                    e.get("origin", "fs"),
                    e.get("container_id"),
                    e.get("member_path"),
                    json.dumps([list(run) for run in e["extent"]]) if e.get("extent") else None,
                )
                for e in batch
            ],
        )

    def drop_partition_entries(self, partition_id: int, error: str) -> None:
        """Discard a partition's partial inventory (uncommitted) and record why."""
        self._conn.execute("DELETE FROM files WHERE partition_id=?", (partition_id,))
        self._conn.execute("UPDATE partitions SET error=? WHERE id=?", (error, partition_id))

    def reopen_partition(
        self,
        partition_id: int,
        fs_type: str | None,
        block_size: int | None,
        error: str | None,
        volume: dict[str, Any] | None = None,
    ) -> None:
        """A volume unlocked on ``--resume``: its file system and volume chain as now seen
        (uncommitted, before its entries)."""
        self._conn.execute(
            "UPDATE partitions SET fs_type=?, block_size=?, error=?, volume=? WHERE id=?",
            (
                fs_type,
                block_size,
                error,
                json.dumps(volume, sort_keys=True) if volume else None,
                partition_id,
            ),
        )

    def resolve_gaps(self, partition_id: int, kind: GapKind) -> None:
        """Drop the ledger entries of ``kind`` of a partition that is now examined (uncommitted);
        the audit log keeps that it was unlocked."""
        self._conn.execute("DELETE FROM gaps WHERE partition_id=? AND kind=?", (partition_id, kind.value))

    def finish_inventory(self, evidence_id: int) -> None:
        self._conn.execute("UPDATE evidence SET inventory_done=1 WHERE id=?", (evidence_id,))
        self._conn.commit()

    def abort_inventory(self) -> None:
        self._conn.rollback()

    def set_partition_error(self, evidence_id: int, index: int, message: str) -> None:
        with self._conn:
            self._conn.execute(
                "UPDATE partitions SET error=COALESCE(error || '; ', '') || ? WHERE evidence_id=? AND idx=?",
                (message, evidence_id, index),
            )

    # -- scans -----------------------------------------------------------------------------
    def start_scan(self, settings: dict[str, Any], versions: dict[str, Any]) -> int:
        with self._conn:
            cur = self._conn.execute(
                "INSERT INTO scans(started, status, settings, versions) VALUES (?, 'running', ?, ?)",
                (
                    utc_now(),
                    json.dumps(settings, sort_keys=True, default=str),
                    json.dumps(versions, sort_keys=True),
                ),
            )
        scan_id = int(cur.lastrowid or 0)
        self.audit("scan.started", {"scan_id": scan_id, "settings": settings})
        return scan_id

    def finish_scan(self, scan_id: int, status: str, stats: dict[str, Any]) -> None:
        with self._conn:
            self._conn.execute(
                "UPDATE scans SET finished=?, status=?, stats=? WHERE id=?",
                (utc_now(), status, json.dumps(stats, sort_keys=True, default=str), scan_id),
            )
        self.audit("scan.finished", {"scan_id": scan_id, "status": status, **stats})

    def scans(self) -> list[dict[str, Any]]:
        """Every scan, oldest first; a row still ``running`` whose writer is gone reads ``interrupted``."""
        rows = [
            _row(r, json_cols=("settings", "versions", "stats"))
            for r in self._conn.execute("SELECT * FROM scans ORDER BY id")
        ]
        if any(r["status"] == "running" for r in rows) and writer_lock.live_writer(self.path) is None:
            for r in rows:
                if r["status"] == "running":
                    r["status"] = "interrupted"
        return rows

    # -- scan scheduling: the queries of the scan scheduler (triage/scan/scheduler.py) -----------
    _PENDING_SQL = (
        "SELECT f.id, f.path, f.name, f.inode, f.attr_type, f.attr_id, f.size, f.deleted, f.stream, "
        "f.mtime, f.origin, f.extent, p.idx AS partition, p.offset AS partition_offset, p.fs_type, "
        "COALESCE(json_extract(p.volume, '$.layer'), '') AS partition_layer "
        "FROM files f JOIN partitions p ON p.id=f.partition_id "
        "WHERE f.evidence_id=? AND f.status='pending'"
    )

    def pending_page(self, evidence_id: int, after_id: int, limit: int) -> list[dict[str, Any]]:
        """Up to ``limit`` pending task rows of one evidence item with ids above ``after_id``, in id order."""
        sql = self._PENDING_SQL + " AND f.id>? ORDER BY f.id LIMIT ?"
        return [dict(r) for r in self._conn.execute(sql, (evidence_id, after_id, limit))]

    def pending_by_ids(self, evidence_id: int, ids: list[int]) -> dict[int, dict[str, Any]]:
        """The task rows of those ``ids`` (at most 500) that are still pending, by id."""
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        sql = f"{self._PENDING_SQL} AND f.id IN ({marks})"
        return {int(r["id"]): dict(r) for r in self._conn.execute(sql, (evidence_id, *ids))}

    def still_pending(self, file_ids: list[int]) -> set[int]:
        """Which of ``file_ids`` are still ``pending`` (a rerun task's results are stored once)."""
        out: set[int] = set()
        for i in range(0, len(file_ids), 500):
            chunk = file_ids[i : i + 500]
            marks = ",".join("?" * len(chunk))
            sql = f"SELECT id FROM files WHERE id IN ({marks}) AND status='pending'"
            out.update(int(x[0]) for x in self._conn.execute(sql, chunk))
        return out

    def content_done(self, evidence_id: int) -> tuple[int, int]:
        """``(files, bytes)`` of regular files whose content pass is over (not pending, not skipped)."""
        row = self._conn.execute(
            "SELECT COUNT(*), COALESCE(SUM(size),0) FROM files WHERE evidence_id=? AND type='r' "
            "AND status NOT IN ('pending','skipped')",
            (evidence_id,),
        ).fetchone()
        return int(row[0]), int(row[1])

    def content_pending(self, evidence_id: int) -> tuple[int, int]:
        """``(files, bytes)`` still pending for the content pass."""
        row = self._conn.execute(
            "SELECT COUNT(*), COALESCE(SUM(size),0) FROM files WHERE evidence_id=? AND status='pending'",
            (evidence_id,),
        ).fetchone()
        return int(row[0]), int(row[1])

    def count_failed_files(self) -> int:
        """Files whose content pass failed, in the whole case."""
        return int(self._conn.execute("SELECT COUNT(*) FROM files WHERE status='failed'").fetchone()[0])

    def count_evidence_files(self, evidence_id: int) -> int:
        """Inventory entries of one evidence item."""
        sql = "SELECT COUNT(*) FROM files WHERE evidence_id=?"
        return int(self._conn.execute(sql, (evidence_id,)).fetchone()[0])

    def next_fs_index(self, evidence_id: int, start: int) -> int:
        """The first partition index ``>= start`` that holds a file system (``start`` when none)."""
        row = self._conn.execute(
            "SELECT MIN(idx) FROM partitions WHERE evidence_id=? AND idx>=? AND fs_type IS NOT NULL",
            (evidence_id, start),
        ).fetchone()
        return int(row[0]) if row and row[0] is not None else start

    @property
    def in_transaction(self) -> bool:
        """An inventory transaction is open (``abort_inventory`` discards it)."""
        return bool(self._conn.in_transaction)

    def reset_results(self, evidence_id: int) -> None:
        """Forget content results of one evidence item so it can be scanned again (its container
        members, found again by the scan, are removed with their tags and notes); the ledger
        entries a scan recorded for it (``gaps`` with a ``scan_id``) go too, so a rescan records
        them once. Entries recorded outside a scan (by the examiner) stay."""
        with self._conn:
            self._conn.execute("DELETE FROM gaps WHERE evidence_id=? AND scan_id IS NOT NULL", (evidence_id,))
            self._conn.execute(
                "DELETE FROM findings WHERE file_id IN (SELECT id FROM files WHERE evidence_id=?)",
                (evidence_id,),
            )
            self._conn.execute(
                "DELETE FROM errors WHERE file_id IN (SELECT id FROM files WHERE evidence_id=?)",
                (evidence_id,),
            )
            # container members are found again by the rescan: they go with what refers to them
            members = "(SELECT id FROM files WHERE evidence_id=? AND origin='member')"
            for table in ("tags", "notes", "thumbnails", "gaps", "text_pieces"):
                self._conn.execute(f"DELETE FROM {table} WHERE file_id IN {members}", (evidence_id,))
            self._conn.execute("DELETE FROM files WHERE evidence_id=? AND origin='member'", (evidence_id,))
            self._conn.execute(
                "UPDATE files SET status='pending', md5=NULL, sha1=NULL, sha256=NULL, mime=NULL, description=NULL, "
                "ext_mismatch=NULL, attributes=NULL, error=NULL WHERE evidence_id=? AND type='r'",
                (evidence_id,),
            )

    def store_results(self, scan_id: int, evidence_id: int, results: list[FileResult]) -> None:
        """Write a batch of file results, their findings and errors, in one transaction.

        Rows of each table are written with one ``executemany`` per table, in the order of the
        results (the per-row form cost the single writer a statement per row; issue 18). A batch
        with index text, gaps or container members keeps the row-by-row order of its tables (the
        text pieces, the ledger and the members look the file's partition up in ``files``)."""
        if any(r.text or r.gaps or r.members for r in results):
            with self._conn:
                for r in results:
                    self._store_result(scan_id, evidence_id, r)
            return
        with self._conn:
            self._write_results(scan_id, evidence_id, results)

    def _write_results(self, scan_id: int, evidence_id: int, results: list[FileResult]) -> None:
        """The ``files`` updates, findings and errors of ``results``, in the open transaction."""
        updates = []
        findings = []
        errors = []
        for r in results:
            cols = {k: r.columns.get(k) for k in _RESULT_COLUMNS}
            updates.append(
                (
                    r.status,
                    cols["md5"],
                    cols["sha1"],
                    cols["sha256"],
                    cols["mime"],
                    cols["description"],
                    None if cols["ext_mismatch"] is None else int(bool(cols["ext_mismatch"])),
                    json.dumps(r.attributes, sort_keys=True, default=str) if r.attributes else None,
                    r.error,
                    r.file_id,
                )
            )
            for f in r.findings:
                findings.append(
                    (
                        r.file_id,
                        evidence_id,
                        scan_id,
                        f["plugin"],
                        f["plugin_version"],
                        f["kind"],
                        f["name"],
                        f.get("severity", "info"),
                        json.dumps(f.get("details", {}), sort_keys=True, default=str),
                    )
                )
            if r.errors:
                now = utc_now()
                for p in r.errors:
                    errors.append(
                        (
                            scan_id,
                            evidence_id,
                            r.file_id,
                            p.source,
                            p.message,
                            check_severity(p.severity).value,
                            now,
                        )
                    )
        self._conn.executemany(
            "UPDATE files SET status=?, md5=?, sha1=?, sha256=?, mime=?, description=?, ext_mismatch=?, "
            "attributes=?, error=? WHERE id=?",
            updates,
        )
        if findings:
            self._conn.executemany(
                "INSERT INTO findings(file_id, evidence_id, scan_id, plugin, plugin_version, kind, name, "
                "severity, details) VALUES (?,?,?,?,?,?,?,?,?)",
                findings,
            )
        if errors:
            self._conn.executemany(
                "INSERT INTO errors(scan_id, evidence_id, file_id, source, message, severity, created) "
                "VALUES (?,?,?,?,?,?,?)",
                errors,
            )

    def _store_result(self, scan_id: int, evidence_id: int, r: FileResult) -> None:
        """One file's results (in the open transaction), its index text and gaps, then its
        container members'."""
        self._write_results(scan_id, evidence_id, [r])
        if r.text or r.gaps:
            self._store_text_and_gaps(scan_id, evidence_id, r)
        if r.members:
            self._store_members(scan_id, evidence_id, r.file_id, r.members)

    def _store_members(
        self, scan_id: int, evidence_id: int, container_id: int, members: list[MemberResult]
    ) -> None:
        """Insert a container's member rows (``origin='member'``) with their results, depth first:
        a container and its members are written in one transaction, or not at all (``--resume``
        then scans the container again, whole)."""
        part = self._conn.execute("SELECT partition_id FROM files WHERE id=?", (container_id,)).fetchone()
        for m in members:
            entry = {**m.entry, "container_id": container_id, "origin": "member"}
            self.insert_entries(evidence_id, int(part[0]), [entry])
            m.result.file_id = int(self._conn.execute("SELECT last_insert_rowid()").fetchone()[0])
            self._store_result(scan_id, evidence_id, m.result)

    def _store_text_and_gaps(self, scan_id: int, evidence_id: int, r: FileResult) -> None:
        """A file's index pieces (replacing earlier ones) and ledger entries, in the open transaction."""
        part = self._conn.execute("SELECT partition_id FROM files WHERE id=?", (r.file_id,)).fetchone()
        partition_id = part[0] if part else None
        _text.drop_file_pieces(self._conn, r.file_id)
        _text.put_pieces(
            self._conn, r.text, file_id=r.file_id, evidence_id=evidence_id, partition_id=partition_id
        )
        for kind, reason, source, size in r.gaps:
            self.record_gap(
                GapKind(kind),
                reason,
                source=source,
                size=size,
                scan_id=scan_id,
                evidence_id=evidence_id,
                partition_id=partition_id,
                file_id=r.file_id,
                commit=False,
            )

    # -- full-text index (schema 5; triage/case/textindex.py, queries in triage.search) ----------
    def add_text(
        self, pieces: Sequence[TextPiece], *, evidence_id: int, partition_id: int | None = None
    ) -> None:
        """Index text without a file (unallocated space), in one transaction."""
        with self._conn:
            _text.put_pieces(
                self._conn, pieces, file_id=None, evidence_id=evidence_id, partition_id=partition_id
            )

    def clear_text(self, *, evidence_id: int, partition_id: int | None, source: str) -> None:
        """Drop the index's text of ``source`` without a file for one partition."""
        with self._conn:
            _text.drop_volume_pieces(self._conn, evidence_id, partition_id, source)

    def text_match(self, fts_query: str, limit: int) -> list[_text.PieceRow]:
        """Pieces matching an FTS5 query, best first (``sqlite3.OperationalError`` if FTS5 refuses it)."""
        return _text.match(self._conn, fts_query, limit)

    def text_pieces(self) -> Iterator[_text.PieceRow]:
        """Every indexed piece, in id order."""
        return _text.iter_pieces(self._conn)

    def text_pages(self) -> Iterator[list[tuple[int, str]]]:
        """``(id, text)`` of every indexed piece, a page at a time."""
        return _text.text_pages(self._conn)

    def text_pieces_by_id(self, ids: Sequence[int]) -> list[_text.PieceRow]:
        """These indexed pieces, in id order."""
        return _text.pieces_by_id(self._conn, ids)

    def extracted_text(self, file_id: int, member: str | None = None) -> tuple[str, bool]:
        """The text extracted from a file (or its ``member``) for the index, joined from its pieces
        in offset order (character offsets as search hits give them), and whether it is whole
        (False: a piece is missing between two others, or none was stored)."""
        rows = _text.file_text(self._conn, file_id, member)
        parts: list[str] = []
        at, whole = 0, bool(rows)
        for r in rows:
            if r.base > at:
                parts.append(" " * (r.base - at))  # keeps later offsets right
                whole = False
            parts.append(r.text[max(0, at - r.base) :])
            at = max(at, r.base + len(r.text))
        return "".join(parts), whole

    def text_vocabulary(self, low: str, high: str) -> list[str]:
        """Indexed terms between ``low`` (included) and ``high``."""
        return _text.vocabulary(self._conn, low, high)

    def count_text_pieces(self) -> int:
        """How many pieces the full-text index holds."""
        return _text.count_pieces(self._conn)

    def save_search(self, name: str, terms: Sequence[str]) -> None:
        """Keep a keyword list under ``name`` (audited)."""
        _text.save_search(self._conn, name, terms, utc_now())
        self.audit("search.saved", {"name": name, "terms": len(terms)})

    def saved_searches(self) -> dict[str, list[str]]:
        """Every saved keyword list by name."""
        return _text.saved_searches(self._conn)

    def add_problem(
        self,
        severity: Severity,
        source: str,
        message: str,
        *,
        scan_id: int | None = None,
        evidence_id: int | None = None,
        partition_id: int | None = None,
        file_id: int | None = None,
        commit: bool = True,
    ) -> None:
        """Record an error or a warning; a severity that is not a :class:`Severity` is refused
        (ValueError). ``commit=False`` keeps it inside the open transaction (inventory)."""
        level = check_severity(severity)
        self._conn.execute(
            "INSERT INTO errors(scan_id, evidence_id, partition_id, file_id, source, message, severity, created) "
            "VALUES (?,?,?,?,?,?,?,?)",
            (scan_id, evidence_id, partition_id, file_id, source, message, level.value, utc_now()),
        )
        if commit:
            self._conn.commit()

    def record_gap(
        self,
        kind: GapKind,
        reason: str,
        *,
        source: str,
        size: int | None = None,
        scan_id: int | None = None,
        evidence_id: int | None = None,
        partition_id: int | None = None,
        file_id: int | None = None,
        commit: bool = True,
    ) -> None:
        """Record something that was not fully examined and that no other table says: an
        encrypted volume without its key, a container member past a limit, text cut off.
        ``size`` is the bytes not examined, where known. The completeness ledger
        (:mod:`triage.case.completeness`) lists these with what it derives from problems,
        damage and partitions."""
        level = check_gap_kind(kind)
        self._conn.execute(
            "INSERT INTO gaps(scan_id, evidence_id, partition_id, file_id, kind, reason, size, source, created) "
            "VALUES (?,?,?,?,?,?,?,?,?)",
            (scan_id, evidence_id, partition_id, file_id, level.value, reason, size, source, utc_now()),
        )
        if commit:
            self._conn.commit()

    def add_gap(self, kind: str, reason: str, *, source: str, **where: Any) -> None:
        """:meth:`record_gap` with the kind as its text (``"not-scanned"``), for post-scan plugins
        (``PostScanCase.add_gap``, API 2.2); an unknown kind is a ``ValueError``."""
        self.record_gap(GapKind(kind), reason, source=source, **where)

    def gaps(self, *, evidence_id: int | None = None) -> list[Gap]:
        """The explicit ledger entries (:meth:`record_gap`), oldest first, with their file's path."""
        sql = "SELECT g.*, f.path FROM gaps g LEFT JOIN files f ON f.id=g.file_id"
        args: tuple[Any, ...] = ()
        if evidence_id is not None:
            sql, args = sql + " WHERE g.evidence_id=?", (evidence_id,)
        rows = self._conn.execute(sql + " ORDER BY g.id", args)
        return [
            Gap(
                id=r["id"],
                kind=GapKind(r["kind"]),
                reason=r["reason"],
                size=r["size"],
                source=r["source"],
                created=r["created"],
                scan_id=r["scan_id"],
                evidence_id=r["evidence_id"],
                partition_id=r["partition_id"],
                file_id=r["file_id"],
                path=r["path"],
            )
            for r in rows
        ]

    def add_error(self, source: str, message: str, **where: Any) -> None:
        """:meth:`add_problem` with severity error."""
        self.add_problem(Severity.ERROR, source, message, **where)

    def add_warning(self, source: str, message: str, **where: Any) -> None:
        """:meth:`add_problem` with severity warning."""
        self.add_problem(Severity.WARNING, source, message, **where)

    def problems(
        self,
        *,
        severity: Severity | None = None,
        scan_id: int | None = None,
        evidence_id: int | None = None,
    ) -> list[Problem]:
        """Recorded problems, oldest first, optionally only of one severity, scan or evidence
        (a shorthand for :meth:`select_problems`)."""
        return self.select_problems(
            ProblemQuery(
                severity=None if severity is None else check_severity(severity),
                scan_id=scan_id,
                evidence_id=evidence_id,
            )
        )

    def count_problems(self, **where: Any) -> ProblemCount:
        """How many errors and warnings :meth:`problems` would return for the same filters."""
        found = self.problems(**where)
        warnings = sum(1 for p in found if p.severity is Severity.WARNING)
        return ProblemCount(errors=len(found) - warnings, warnings=warnings)

    def add_finding(
        self,
        *,
        plugin: str,
        plugin_version: str,
        kind: str,
        name: str,
        severity: str = "info",
        details: dict[str, Any] | None = None,
        file_id: int | None = None,
        evidence_id: int | None = None,
        scan_id: int | None = None,
    ) -> None:
        """A finding not tied to the per-file pass (post-processing, unallocated space)."""
        with self._conn:
            self._conn.execute(
                "INSERT INTO findings(file_id, evidence_id, scan_id, plugin, plugin_version, kind, name, severity, "
                "details) VALUES (?,?,?,?,?,?,?,?,?)",
                (
                    file_id,
                    evidence_id,
                    scan_id,
                    plugin,
                    plugin_version,
                    kind,
                    name,
                    severity,
                    json.dumps(details or {}, sort_keys=True, default=str),
                ),
            )

    def drop_findings(self, *, plugin: str, kind: str, list_name: str) -> None:
        """Drop the findings of one saved keyword list (before it runs again: no duplicates)."""
        with self._conn:
            self._conn.execute(
                "DELETE FROM findings WHERE plugin=? AND kind=? AND json_extract(details, '$.list')=?",
                (plugin, kind, list_name),
            )

    # -- typed queries (issue 16): FileQuery/FindingQuery/ProblemQuery in, frozen records out ------
    # The where-string methods below (iter_files, count_files, findings with ``where``) are
    # DEPRECATED: no code under triage/, ui/ or plugins/ passes them a condition any more; some
    # tests still do, and they go when those tests are converted. New code uses the typed methods.
    _FILES_FROM = (
        "SELECT f.*, p.idx AS partition, p.offset AS partition_offset, e.path AS evidence, "
        "COALESCE(json_extract(p.volume, '$.layer'), '') AS partition_layer "
        "FROM files f JOIN partitions p ON p.id=f.partition_id JOIN evidence e ON e.id=f.evidence_id "
    )

    def file_record(self, file_id: int) -> FileRecord | None:
        """One file as a record, or None."""
        found = self.select_files(FileQuery(ids=(file_id,)), limit=1)
        return found[0] if found else None

    def select_files(
        self,
        query: FileQuery = ALL_FILES,
        *,
        order: str = "id",
        descending: bool = False,
        after: PageKey | None = None,
        limit: int | None = None,
    ) -> list[FileRecord]:
        """One keyset page of ``query`` sorted by ``order`` then id (``after``: the previous page's
        last :meth:`PageKey.of`); ``limit=None``: every matching file. NULLs sort as the column's
        sentinel (``''`` or ``-1``)."""
        return list(self.each_file(query, order=order, descending=descending, after=after, limit=limit))

    def each_file(
        self,
        query: FileQuery = ALL_FILES,
        *,
        order: str = "id",
        descending: bool = False,
        after: PageKey | None = None,
        limit: int | None = None,
    ) -> Iterator[FileRecord]:
        """Like :meth:`select_files`, streamed (for exports over large cases)."""
        if order not in _q.SORT_COLUMNS:
            raise ValueError(f"cannot sort files by {order!r}")
        where, args = _q.compile_files(query)
        key = "f.id" if order == "id" else f"COALESCE(f.{order}, {_q.SORT_COLUMNS[order]!r})"
        direction, cmp = ("DESC", "<") if descending else ("ASC", ">")
        conds = [where] if where else []
        if after is not None:
            if order == "id":
                conds.insert(0, f"f.id {cmp} ?")
                args = [after.id, *args]
            else:
                conds.insert(0, f"({key}, f.id) {cmp} (?, ?)")
                args = [after.value, after.id, *args]
        order_by = f"f.id {direction}" if order == "id" else f"{key} {direction}, f.id {direction}"
        sql = (
            self._FILES_FROM
            + (f"WHERE {' AND '.join(f'({c})' for c in conds)} " if conds else "")
            + f"ORDER BY {order_by}"
            + (f" LIMIT {int(limit)}" if limit is not None else "")
        )
        for r in self._conn.execute(sql, args):
            yield _q.file_record(dict(r))

    def file_ids(self, query: FileQuery = ALL_FILES) -> list[int]:
        """The ids of the files ``query`` selects, ascending."""
        where, args = _q.compile_files(query)
        sql = "SELECT f.id FROM files f" + (f" WHERE {where}" if where else "") + " ORDER BY f.id"
        return [int(r[0]) for r in self._conn.execute(sql, args)]

    def file_stats(self, query: FileQuery = ALL_FILES) -> FileStats:
        """How many regular, not skipped files ``query`` selects: all, done, failed, pending; their bytes."""
        where, args = _q.compile_files(query)
        row = self._conn.execute(
            "SELECT COUNT(*), SUM(f.status='done'), SUM(f.status='failed'), SUM(f.status='pending'), "
            "COALESCE(SUM(f.size),0) FROM files f WHERE f.type='r' AND f.status!='skipped'"
            + (f" AND {where}" if where else ""),
            args,
        ).fetchone()
        files, done, failed, pending, size = (int(x or 0) for x in row)
        return FileStats(files, done, failed, pending, size)

    def count(self, query: FileQuery = ALL_FILES) -> int:
        """How many files ``query`` selects."""
        where, args = _q.compile_files(query)
        sql = "SELECT COUNT(*) FROM files f" + (f" WHERE {where}" if where else "")
        return int(self._conn.execute(sql, args).fetchone()[0])

    def file_facets(self, kind: str, query: FileQuery = ALL_FILES) -> list[tuple[Any, ...]]:
        """Values to browse by with file counts, within ``query``: ``type`` (mime → n), ``tag``
        (tag → n), ``finding`` (kind, name → n distinct files), ``status`` (status → n)."""
        where, args = _q.compile_files(query)
        within = f" AND f.id IN (SELECT f.id FROM files f WHERE {where})" if where else ""
        sql = {
            "type": "SELECT COALESCE(f.mime, ''), COUNT(*) FROM files f WHERE f.type='r'"
            + within
            + " GROUP BY 1 ORDER BY 1",
            "tag": "SELECT t.tag, COUNT(*) FROM tags t JOIN files f ON f.id=t.file_id WHERE 1=1"
            + within
            + " GROUP BY t.tag ORDER BY t.tag",
            "finding": "SELECT fi.kind, fi.name, COUNT(DISTINCT fi.file_id) FROM findings fi "
            "JOIN files f ON f.id=fi.file_id WHERE 1=1" + within + " GROUP BY fi.kind, fi.name "
            "ORDER BY fi.kind, fi.name",
            "status": "SELECT f.status, COUNT(*) FROM files f WHERE 1=1" + within + " GROUP BY 1 ORDER BY 1",
        }[kind]
        return [tuple(r) for r in self._conn.execute(sql, args)]

    def select_findings(self, query: FindingQuery = ALL_FINDINGS) -> list[Finding]:
        """Findings (by id) with their file's path, location and sha256."""
        where, args = _q.compile_findings(query)
        sql = (
            "SELECT fi.*, f.path, f.inode, f.attr_type, f.attr_id, f.sha256, p.idx AS partition "
            "FROM findings fi LEFT JOIN files f ON f.id=fi.file_id LEFT JOIN partitions p ON p.id=f.partition_id"
            + (f" WHERE {where}" if where else "")
            + " ORDER BY fi.id"
        )
        return [_q.finding_record(dict(r)) for r in self._conn.execute(sql, args)]

    def select_problems(self, query: ProblemQuery = ALL_PROBLEMS) -> list[Problem]:
        """Recorded errors and warnings (by id) with their file's path."""
        where, args = _q.compile_problems(query)
        sql = (
            "SELECT er.*, f.path FROM errors er LEFT JOIN files f ON f.id=er.file_id"
            + (f" WHERE {where}" if where else "")
            + " ORDER BY er.id"
        )
        return [_q.problem_record(dict(r)) for r in self._conn.execute(sql, args)]

    # -- queries ---------------------------------------------------------------------------
    def file(self, file_id: int) -> dict[str, Any] | None:
        r = self._conn.execute(f"SELECT {FILE_COLUMNS} FROM files WHERE id=?", (file_id,)).fetchone()
        return _row(r, json_cols=("attributes",)) if r else None

    def iter_files(
        self, where: str = "", args: tuple[Any, ...] = (), order: str = "id", limit: int | None = None
    ) -> Iterator[dict[str, Any]]:
        """All matching file rows joined with partition index/offset and evidence path."""
        sql = (
            f"SELECT f.*, p.idx AS partition, p.offset AS partition_offset, e.path AS evidence, "
            f"COALESCE(json_extract(p.volume, '$.layer'), '') AS partition_layer "
            f"FROM files f JOIN partitions p ON p.id=f.partition_id JOIN evidence e ON e.id=f.evidence_id "
            f"{('WHERE ' + where) if where else ''} ORDER BY f.{order}"
            + (f" LIMIT {int(limit)}" if limit is not None else "")
        )
        for r in self._conn.execute(sql, args):
            yield _row(r, json_cols=("attributes",))

    def count_files(self, where: str = "", args: tuple[Any, ...] = ()) -> int:
        sql = "SELECT COUNT(*) FROM files f" + (f" WHERE {where}" if where else "")
        return int(self._conn.execute(sql, args).fetchone()[0])

    def children(self, partition_id: int, parent_path: str) -> list[dict[str, Any]]:
        """Entries directly inside one folder of one partition."""
        return list(
            self.iter_files("f.partition_id=? AND f.parent_path=?", (partition_id, parent_path), "name")
        )

    # -- views (GUI): sub-folders, sorted keyset pages, named scopes and facets ---------------
    def folders(self, partition_id: int, parent_path: str) -> list[dict[str, Any]]:
        """Folders (directories and virtual folders) directly inside one folder, by name."""
        return list(
            self.iter_files(
                "f.partition_id=? AND f.parent_path=? AND f.type IN ('d','V')",
                (partition_id, parent_path),
                "name",
            )
        )

    def tree_entries(self, partition_id: int, parent_path: str) -> list[dict[str, Any]]:
        """What the evidence tree shows inside one folder (or container): its folders (directories,
        virtual folders, folders inside an archive) and containers (files with members, which open
        like folders: ``ARCHIVE//member``) by name, then the member files directly inside it when
        it is a container or a folder in one (a file-system folder holds no members: the tree
        shows its files in the table only). Rows in the files table's column shape with
        ``has_members`` (0/1)."""
        here = FileQuery(partition_id=partition_id, parent_path=parent_path)
        folders = self.select_files(replace(here, types=("d", "V")), order="name")
        containers = self.select_files(replace(here, has_members=True), order="name")
        members = self.select_files(replace(here, types=("r",), origin=("member",)), order="name")
        boxes = {r.id for r in containers}
        seen: set[int] = set()
        rows = []
        for group in (folders, containers, members):
            for r in group:
                if r.id not in seen:
                    seen.add(r.id)
                    rows.append({**r.as_row(), "has_members": int(r.id in boxes)})
        return sorted(
            rows, key=lambda r: (not (r["has_members"] or r["type"] != "r"), str(r["name"]), r["id"])
        )

    def carved_entries(self, partition_id: int) -> list[dict[str, Any]]:
        """A partition's carved entries by id (the tree's virtual "Carved" node lists them)."""
        return [r.as_row() for r in self.select_files(FileQuery.scope("carved", partition_id))]

    def count_carved(self, partition_id: int) -> int:
        """How many carved entries a partition has (the tree's "Carved" node shows when any)."""
        return len(self.file_ids(FileQuery.scope("carved", partition_id)))

    def facets(self, kind: str) -> list[tuple[Any, ...]]:
        """Values to browse by, with file counts: ``type`` (mime), ``tag``, ``finding`` (kind, name)."""
        sql = {
            "type": "SELECT COALESCE(mime, ''), COUNT(*) FROM files WHERE type='r' GROUP BY 1 ORDER BY 1",
            "tag": "SELECT tag, COUNT(*) FROM tags GROUP BY tag ORDER BY tag",
            "finding": "SELECT kind, name, COUNT(DISTINCT file_id) FROM findings GROUP BY kind, name ORDER BY kind, name",
        }[kind]
        return [tuple(r) for r in self._conn.execute(sql)]

    def count_findings(self, query: FindingQuery = ALL_FINDINGS) -> int:
        where, args = _q.compile_findings(query)
        sql = "SELECT COUNT(*) FROM findings fi" + (f" WHERE {where}" if where else "")
        return int(self._conn.execute(sql, args).fetchone()[0])

    def findings(self, where: str = "", args: tuple[Any, ...] = ()) -> list[dict[str, Any]]:
        sql = (
            "SELECT fi.*, f.path, f.inode, f.attr_type, f.attr_id, f.sha256, p.idx AS partition "
            "FROM findings fi LEFT JOIN files f ON f.id=fi.file_id LEFT JOIN partitions p ON p.id=f.partition_id"
            + (f" WHERE {where}" if where else "")
            + " ORDER BY fi.id"
        )
        return [_row(r, json_cols=("details",)) for r in self._conn.execute(sql, args)]

    def files_ranked_by(self, key: str, evidence_ids: Sequence[int], limit: int = 20) -> RankedFiles:
        """Files of these evidence sources whose result ``key`` (a per-file attribute such as
        ``yara_seconds``) is set, highest value first, at most ``limit``; with the count and sum over all.

        ``key`` is a result key name (letters, digits, ``_``); another text is a ``ValueError``.
        """
        if not isinstance(key, str) or not key.replace("_", "").isalnum() or not key.isascii():
            raise ValueError(f"not a result key name: {key!r}")
        ids = [int(i) for i in evidence_ids] or [0]
        marks = ",".join("?" * len(ids))
        path = f"$.{key}"
        rows = self._conn.execute(
            f"SELECT id, path, size, json_extract(attributes, ?) AS v, attributes FROM files "
            f"WHERE evidence_id IN ({marks}) AND v IS NOT NULL ORDER BY v DESC, id LIMIT ?",
            (path, *ids, int(limit)),
        ).fetchall()
        total = self._conn.execute(
            f"SELECT COALESCE(SUM(json_extract(attributes, ?)), 0), COUNT(*) FROM files "
            f"WHERE evidence_id IN ({marks}) AND json_extract(attributes, ?) IS NOT NULL",
            (path, *ids, path),
        ).fetchone()
        files = tuple(
            RankedFile(int(r[0]), r[1], int(r[2]), float(r[3]), json.loads(r[4]) if r[4] else {})
            for r in rows
        )
        return RankedFiles(key, files, int(total[1]), float(total[0]))

    def finding_plugins(self) -> list[str]:
        """The distinct plugin (analyzer) names that the findings of this case carry, sorted."""
        return [r[0] for r in self._conn.execute("SELECT DISTINCT plugin FROM findings ORDER BY plugin")]

    # -- tags and notes --------------------------------------------------------------------
    def add_tag(self, file_id: int, tag: str) -> None:
        with self._conn:
            self._conn.execute(
                "INSERT OR IGNORE INTO tags(file_id, tag, created) VALUES (?,?,?)", (file_id, tag, utc_now())
            )
        self.audit("tag.added", {"file_id": file_id, "tag": tag})

    def remove_tag(self, file_id: int, tag: str) -> None:
        with self._conn:
            self._conn.execute("DELETE FROM tags WHERE file_id=? AND tag=?", (file_id, tag))
        self.audit("tag.removed", {"file_id": file_id, "tag": tag})

    def tags(self, file_id: int | None = None) -> list[dict[str, Any]]:
        sql = (
            "SELECT * FROM tags"
            + (" WHERE file_id=?" if file_id is not None else "")
            + " ORDER BY file_id, tag"
        )
        return [dict(r) for r in self._conn.execute(sql, (file_id,) if file_id is not None else ())]

    def add_note(self, file_id: int, text: str) -> None:
        with self._conn:
            self._conn.execute(
                "INSERT INTO notes(file_id, text, created) VALUES (?,?,?)", (file_id, text, utc_now())
            )
        self.audit("note.added", {"file_id": file_id, "text": text})

    def notes(self, file_id: int) -> list[dict[str, Any]]:
        return [
            dict(r) for r in self._conn.execute("SELECT * FROM notes WHERE file_id=? ORDER BY id", (file_id,))
        ]

    # -- timeline events (triage.case.events): aggregated in SQL, never row by row ----------------
    def event_span(self, query: _events.EventQuery = _events.EventQuery()) -> tuple[int, int] | None:  # noqa: B008
        """The first and last MACB event time of ``query``, or None."""
        return _events.event_span(self._conn, query)

    def event_query(self, query: _events.EventQuery) -> _events.EventQuery:
        """``query`` narrowed to this case (no ``$FILE_NAME`` passes without NTFS times): same events."""
        return _events.narrowed(self._conn, query)

    def event_histogram(
        self, query: _events.EventQuery, lo: int, hi: int, buckets: int
    ) -> list[_events.EventBin]:
        """``buckets`` equal buckets of events over ``[lo, hi]`` (SQL GROUP BY)."""
        return _events.event_histogram(self._conn, query, lo, hi, buckets)

    def event_count(self, query: _events.EventQuery, start: int, end: int) -> int:
        return _events.event_count(self._conn, query, start, end)

    def event_rows(
        self, query: _events.EventQuery, start: int, end: int, limit: int | None = None
    ) -> list[_events.EventRow]:
        """The events of ``[start, end]``, oldest first, at most ``limit``."""
        return _events.event_rows(self._conn, query, start, end, limit)

    # -- gallery: pictures and their thumbnails (triage/case/thumbnails.py) -------------------
    def picture_page(
        self,
        query: FileQuery = ALL_FILES,
        *,
        after_id: int = 0,
        limit: int = 500,
    ) -> list[FileRecord]:
        """Picture files (``image/*`` content) of ``query``, by id after ``after_id``."""
        return _thumbs.picture_page(self._conn, self._FILES_FROM, query, after_id, limit)

    def picture_ids(self, query: FileQuery = ALL_FILES) -> list[int]:
        """Ids of every picture file of ``query``, ascending."""
        return _thumbs.picture_ids(self._conn, query)

    def thumbnails(self, file_ids: list[int]) -> dict[int, Thumbnail]:
        """Cached thumbnails (or recorded failures) by file id; files without one are absent."""
        return _thumbs.get_thumbnails(self._conn, file_ids)

    def put_thumbnails(self, thumbs: list[Thumbnail]) -> None:
        """Cache thumbnails (derived data: not audited)."""
        _thumbs.put_thumbnails(self._conn, thumbs)


_TIME_COLUMNS = (
    "crtime_ns",
    "fn_mtime",
    "fn_atime",
    "fn_ctime",
    "fn_crtime",
    "fn_crtime_ns",
    "fn_attr_id",
    "fn_size",
)


def _time_columns(entry: dict[str, Any]) -> tuple[Any, ...]:
    """The timeline's inventory columns: realloc, then the NTFS $FILE_NAME times (see triage/timeline.py)."""
    return (int(bool(entry.get("realloc"))), *(entry.get(k) for k in _TIME_COLUMNS))


def deletion_label(row: Mapping[str, Any]) -> str:
    """``deleted-realloc`` (the name is deleted, its metadata allocated again: the metadata and content
    may belong to another file now), ``deleted`` or ``""``, as ``fls`` labels entries. ``row["deleted"]``
    keeps its meaning (true for both)."""
    if not row.get("deleted"):
        return ""
    return "deleted-realloc" if row.get("realloc") else "deleted"


def initial_status(entry: dict[str, Any]) -> str:
    """Regular files with a metadata address (or a carved file's extent) wait for the content
    pass; the rest need none."""
    addressed = entry["inode"] is not None or (entry.get("origin") == "carved" and bool(entry.get("extent")))
    readable = addressed and entry.get("readable", True)  # address 0 is NTFS's $MFT
    return "pending" if entry["type"] == "r" and readable else "skipped"


def _row(r: sqlite3.Row, json_cols: tuple[str, ...] = ()) -> dict[str, Any]:
    d = dict(r)
    for c in json_cols:
        if c in d and isinstance(d[c], str):
            d[c] = json.loads(d[c])
    return d


def _split_sql(script: str) -> list[str]:
    """Split a schema script into statements (triggers keep their inner semicolons)."""
    out, buf = [], []
    for line in script.strip().splitlines():
        buf.append(line)
        text = "\n".join(buf).strip()
        if text.endswith(";") and sqlite3.complete_statement(text):
            out.append(text)
            buf = []
    return out
