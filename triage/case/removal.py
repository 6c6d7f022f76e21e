"""Removing one evidence item from a case, with everything derived from it.

Which rows are "derived" is read from the schema itself (``PRAGMA foreign_key_list``): every
table holding a foreign key to ``evidence``, ``partitions`` or ``files`` (and, transitively, to
those tables' dependants) loses the rows that point at the item. A table added later with a
foreign key is covered without a change here. Rows are deleted in one transaction together
with the ``evidence.removed`` audit event, so a case never holds half of an item; the
append-only audit log keeps the act (and every earlier event about the item). Analyzers' extra
files of the removed files (``extra/<plugin>/<file id>-…``) are deleted after the commit.

The image itself is never touched: evidence is read-only.
"""

from __future__ import annotations

import json
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from triage.errors import CaseError, UsageError

if TYPE_CHECKING:
    from triage.case.store import Case

KEPT = ("audit", "meta", "scans")
"""Tables never pruned: the audit log is append-only, scans describe runs over the whole case."""


@dataclass(frozen=True)
class RemovedEvidence:
    """What :meth:`Case.remove_evidence` removed: the item and the rows per table."""

    evidence_id: int
    path: str
    sha256: str | None
    rows: dict[str, int]
    extra_files: int


@dataclass(frozen=True)
class LiveMount:
    """A mount of the evidence served now (from the audit log's ``evidence.mounted`` events)."""

    mountpoint: str
    pid: int


def _dependants(conn: sqlite3.Connection) -> dict[str, list[tuple[str, str, str]]]:
    """parent table → [(child table, child column, parent column)] from the schema's foreign keys."""
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    out: dict[str, list[tuple[str, str, str]]] = {}
    for table in tables:
        for fk in conn.execute(f"PRAGMA foreign_key_list({_ident(table)})"):
            # columns: id, seq, table, from, to, on_update, on_delete, match
            out.setdefault(str(fk[2]), []).append((table, str(fk[3]), str(fk[4] or "id")))
    return out


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _delete(
    conn: sqlite3.Connection,
    deps: dict[str, list[tuple[str, str, str]]],
    table: str,
    where: str,
    args: tuple[Any, ...],
    counts: dict[str, int],
    depth: int = 0,
) -> None:
    """Delete ``table``'s rows matching ``where``, their dependants first (children before parents)."""
    if depth > 8:  # the schema has no cycles; a deeper chain would be a schema bug
        raise CaseError(f"foreign keys nest deeper than 8 tables below {table}")
    for child, column, parent_column in deps.get(table, []):
        if child in KEPT or child == table:
            continue
        sub = f"{_ident(column)} IN (SELECT {_ident(parent_column)} FROM {_ident(table)} WHERE {where})"
        _delete(conn, deps, child, sub, args, counts, depth + 1)
    cur = conn.execute(f"DELETE FROM {_ident(table)} WHERE {where}", args)
    counts[table] = counts.get(table, 0) + max(cur.rowcount, 0)


def live_mounts(case: Case, evidence_path: str) -> list[LiveMount]:
    """Mounts of ``evidence_path`` whose serving process still runs and whose folder is mounted."""
    open_: dict[tuple[str, int], LiveMount] = {}
    for row in case._conn.execute(
        "SELECT action, details FROM audit WHERE action IN ('evidence.mounted', 'evidence.unmounted') "
        "ORDER BY id"
    ):
        d = json.loads(row[1] or "{}")
        if not d.get("evidence") or os.path.realpath(str(d["evidence"])) != os.path.realpath(evidence_path):
            continue  # the mount may name the image by a relative or linked path
        key = (str(d.get("mountpoint", "")), int(d.get("pid") or 0))
        if row[0] == "evidence.mounted":
            open_[key] = LiveMount(*key)
        else:
            for k in [k for k in open_ if k[0] == key[0]]:
                open_.pop(k)
    return [m for m in open_.values() if _alive(m.pid) and os.path.ismount(m.mountpoint)]


def _alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_evidence(case: Case, evidence_id: int) -> RemovedEvidence:
    """Remove one evidence item and every row derived from it; see the module docstring.

    Raises:
        UsageError: no such evidence item.
        CaseError: the case is read-only, a scan is running, or the item is mounted.
    """
    if case.readonly:
        raise CaseError(f"{case.path}: the case is open read-only; cannot remove evidence")
    rows = case.evidence(evidence_id)
    if not rows:
        known = ", ".join(str(e["id"]) for e in case.evidence()) or "none"
        raise UsageError(f"{case.path}: no evidence with id {evidence_id} (evidence ids: {known})")
    ev = rows[0]
    running = [int(r[0]) for r in case._conn.execute("SELECT id FROM scans WHERE status='running'")]
    if running:
        raise CaseError(
            f"{case.path}: scan {running[0]} is running; cancel it or let it finish before removing evidence"
        )
    mounts = live_mounts(case, str(ev["path"]))
    if mounts:
        raise CaseError(
            f"{ev['path']}: mounted at {mounts[0].mountpoint} (pid {mounts[0].pid}); "
            f"unmount it before removing the evidence"
        )
    computed = case._conn.execute(
        "SELECT sha256, md5 FROM evidence_hashes WHERE evidence_id=?", (evidence_id,)
    ).fetchone()
    file_ids = {
        int(r[0]) for r in case._conn.execute("SELECT id FROM files WHERE evidence_id=?", (evidence_id,))
    }
    counts: dict[str, int] = {}
    details: dict[str, Any] = {
        "evidence_id": evidence_id,
        "path": ev["path"],
        "format": ev["format"],
        "size": ev["size"],
        "added": ev["added"],
        "stored_sha256": ev.get("sha256"),
        "stored_md5": ev.get("md5"),
        "computed_sha256": computed[0] if computed else None,
        "computed_md5": computed[1] if computed else None,
    }
    conn = case._conn
    try:
        with conn:
            _delete(conn, _dependants(conn), "evidence", "id=?", (evidence_id,), counts)
            details["removed"] = {t: n for t, n in sorted(counts.items()) if n}
            case.audit_in_transaction("evidence.removed", details)
    except sqlite3.Error as exc:
        from triage.case.store import database_error

        raise database_error(exc, case.path, f"remove evidence {evidence_id}") from exc
    extra = _remove_extra_files(case.path / "extra", file_ids)
    sha = details["computed_sha256"] or details["stored_sha256"]
    return RemovedEvidence(evidence_id, str(ev["path"]), sha, dict(details["removed"]), extra)


def _remove_extra_files(extra: Path, file_ids: set[int]) -> int:
    """Delete ``extra/<plugin>/<file id>-…`` files of the removed files; returns how many."""
    if not file_ids or not extra.is_dir():
        return 0
    n = 0
    for plugin_dir in extra.iterdir():
        if not plugin_dir.is_dir():
            continue
        for f in plugin_dir.iterdir():
            head = f.name.split("-", 1)[0]
            if head.isdigit() and int(head) in file_ids and f.is_file():
                f.unlink()
                n += 1
    return n
