"""Evidence integrity in the case: whole-evidence hashes, damaged ranges and damaged files.

Tables (schema v2): ``evidence_hashes`` (one row per image: computed hashes, how far the
pass got, its resumable state, the verdict against the stored hashes), ``damage`` (media
ranges that could not be read as acquired) and ``files.damage`` (JSON list of the hits on
one file). A file whose content lies in a damaged range gets status ``damaged`` once its
content pass is done: it is never pending again (``--resume`` leaves it), and its hashes
are those of the data as read, not the acquired data.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from triage.case.store import Case, utc_now
from triage.evidence.integrity import DamagedRange

if TYPE_CHECKING:
    from triage.case.store import Case

SOURCE = "evidence"
EXTENT_SOURCE = "evidence:extent"
"""Errors about a short image (partitions or file systems past its end) carry this source."""


def evidence_hash(case: Case, evidence_id: int) -> dict[str, Any] | None:
    """The ``evidence_hashes`` row of one image (without the state blob), or None."""
    row = case._conn.execute("SELECT * FROM evidence_hashes WHERE evidence_id=?", (evidence_id,)).fetchone()
    if row is None:
        return None
    out = dict(row)
    out["resumable"] = out.pop("state") is not None
    return out


def hash_state(case: Case, evidence_id: int) -> tuple[int, bytes | None, str | None]:
    """``(bytes_hashed, state, finished)`` to continue from."""
    row = case._conn.execute(
        "SELECT bytes_hashed, state, finished FROM evidence_hashes WHERE evidence_id=?", (evidence_id,)
    ).fetchone()
    return (0, None, None) if row is None else (int(row[0]), row[1], row[2])


def file_damage(case: Case, file_id: int) -> list[dict[str, Any]] | None:
    """``files.damage`` of one file: the damaged media ranges in its content (None: none known)."""
    row = case._conn.execute("SELECT damage FROM files WHERE id=?", (file_id,)).fetchone()
    hits: list[dict[str, Any]] | None = json.loads(row[0]) if row and row[0] else None
    return hits


def damage_ranges(case: Case, evidence_id: int | None = None) -> list[dict[str, Any]]:
    sql = (
        "SELECT * FROM damage"
        + (" WHERE evidence_id=?" if evidence_id is not None else "")
        + " ORDER BY evidence_id, start"
    )
    return [dict(r) for r in case._conn.execute(sql, (evidence_id,) if evidence_id is not None else ())]


def save_progress(
    case: Case,
    evidence_id: int,
    bytes_hashed: int,
    state: bytes | None,
    damage: Iterable[DamagedRange],
    scan_id: int,
    evidence_path: str,
) -> None:
    """Store how far the pass got and the damaged ranges it met before that, in one transaction."""
    now = utc_now()
    with case._conn:
        for d in damage:
            case._conn.execute(
                "INSERT INTO damage(evidence_id, start, length, reason) VALUES (?,?,?,?)",
                (evidence_id, d.start, d.length, d.reason),
            )
            case._conn.execute(
                "INSERT INTO errors(scan_id, evidence_id, source, message, created) VALUES (?,?,?,?,?)",
                (
                    scan_id,
                    evidence_id,
                    SOURCE,
                    f"{evidence_path}: damaged media bytes {d.start}-"
                    f"{d.start + d.length - 1} ({d.reason}); readers of the media get other data there",
                    now,
                ),
            )
        case._conn.execute(
            "INSERT INTO evidence_hashes(evidence_id, bytes_hashed, state) VALUES (?,?,?) "
            "ON CONFLICT(evidence_id) DO UPDATE SET bytes_hashed=excluded.bytes_hashed, state=excluded.state",
            (evidence_id, bytes_hashed, state),
        )


def restart(case: Case, evidence_id: int) -> None:
    """Forget a pass that cannot be continued (its damaged ranges go with it)."""
    with case._conn:
        case._conn.execute("DELETE FROM damage WHERE evidence_id=?", (evidence_id,))
        case._conn.execute("DELETE FROM evidence_hashes WHERE evidence_id=?", (evidence_id,))


def finish(case: Case, evidence_id: int, hashes: dict[str, str], verified: str, bytes_hashed: int) -> None:
    with case._conn:
        case._conn.execute(
            "INSERT INTO evidence_hashes(evidence_id, md5, sha1, sha256, bytes_hashed, state, verified, finished) "
            "VALUES (?,?,?,?,?,NULL,?,?) ON CONFLICT(evidence_id) DO UPDATE SET md5=excluded.md5, "
            "sha1=excluded.sha1, sha256=excluded.sha256, bytes_hashed=excluded.bytes_hashed, state=NULL, "
            "verified=excluded.verified, finished=excluded.finished",
            (evidence_id, hashes["md5"], hashes["sha1"], hashes["sha256"], bytes_hashed, verified, utc_now()),
        )


def record_file_damage(
    case: Case, evidence_id: int, hits: list[tuple[int, list[dict[str, Any]]]], scan_id: int
) -> None:
    """Attach each file's hits (``files.damage``), record one error per file, mark finished files damaged."""
    now = utc_now()
    with case._conn:
        for file_id, file_hits in hits:
            case._conn.execute(
                "UPDATE files SET damage=? WHERE id=?", (json.dumps(file_hits, sort_keys=True), file_id)
            )
            for h in file_hits:
                case._conn.execute(
                    "INSERT INTO errors(scan_id, evidence_id, file_id, source, message, created) VALUES (?,?,?,?,?,?)",
                    (
                        scan_id,
                        evidence_id,
                        file_id,
                        SOURCE,
                        f"damaged: content bytes {h['file_offset']}-{h['file_offset'] + h['file_length'] - 1} lie in "
                        f"damaged media bytes {h['start']}-{h['start'] + h['length'] - 1} ({h['reason']}); the content "
                        f"read and its hashes are not the acquired data",
                        now,
                    ),
                )
    mark_damaged(case, evidence_id)


def mark_damaged(case: Case, evidence_id: int) -> int:
    """Files with damage whose content pass is done become ``damaged``; returns how many are."""
    with case._conn:
        case._conn.execute(
            "UPDATE files SET status='damaged' WHERE evidence_id=? AND damage IS NOT NULL AND status='done'",
            (evidence_id,),
        )
    return int(
        case._conn.execute(
            "SELECT COUNT(*) FROM files WHERE evidence_id=? AND status='damaged'", (evidence_id,)
        ).fetchone()[0]
    )


def reset(case: Case, evidence_id: int) -> None:
    """``--rescan``: hash the evidence and locate damage again."""
    with case._conn:
        case._conn.execute("DELETE FROM damage WHERE evidence_id=?", (evidence_id,))
        case._conn.execute("DELETE FROM evidence_hashes WHERE evidence_id=?", (evidence_id,))
        case._conn.execute("UPDATE files SET damage=NULL WHERE evidence_id=?", (evidence_id,))


def problems(case: Case, evidence_ids: Iterable[int] | None = None) -> list[str]:
    """Every integrity problem the case knows of these images, one line each (for summaries)."""
    out: list[str] = []
    for ev in case.evidence():
        if evidence_ids is not None and ev["id"] not in set(evidence_ids):
            continue
        row = evidence_hash(case, ev["id"])
        if row and row["verified"] == "failed":
            out.append(f"{ev['path']}: the media hashes differ from those stored in the image")
        for er in case._conn.execute(
            "SELECT DISTINCT message FROM errors WHERE evidence_id=? AND source=? ORDER BY message",
            (ev["id"], EXTENT_SOURCE),
        ):
            out.append(er[0])
        for d in damage_ranges(case, ev["id"]):
            out.append(
                f"{ev['path']}: damaged media bytes {d['start']}-{d['start'] + d['length'] - 1} "
                f"({d['reason']})"
            )
        for r in case._conn.execute(
            "SELECT path, damage FROM files WHERE evidence_id=? AND damage IS NOT NULL ORDER BY id",
            (ev["id"],),
        ):
            spans = ", ".join(
                f"bytes {h['file_offset']}-{h['file_offset'] + h['file_length'] - 1}"
                for h in json.loads(r["damage"])
            )
            out.append(f"damaged file: {r['path']} ({spans})")
    return out


def image_integrity(case: Case, ev: dict[str, Any]) -> dict[str, Any]:
    """An image's hashes for the bundle: ``hashes`` (computed by the scan when it finished, else the stored
    ones) go into CASE and DFXML; the cover sheet shows stored, computed, verdict and damaged ranges."""
    stored = {k: ev[k] for k in ("md5", "sha1", "sha256") if ev.get(k)}
    row = evidence_hash(case, ev["id"])
    computed = {k: row[k] for k in ("md5", "sha1", "sha256")} if row and row.get("finished") else {}
    verdict = {
        "passed": "computed hashes match the stored hashes",
        "failed": "computed hashes DIFFER from the stored hashes",
        "none": "the image stores no hashes to compare with",
    }.get((row or {}).get("verified") or "", "not verified")
    damage = [
        f"media bytes {d['start']}-{d['start'] + d['length'] - 1}: {d['reason']}"
        for d in damage_ranges(case, ev["id"])
    ]
    return {
        "hashes": computed or stored,
        "acquisition_hashes": stored,
        "evidence_hashes": computed,
        "verification": verdict,
        "damage": damage,
    }


def damage_note(damage: Any) -> str:
    """The inventory/CASE note of a file whose content lies in damaged media."""
    hits = json.loads(damage) if isinstance(damage, str) else damage
    spans = ", ".join(f"{h['file_offset']}-{h['file_offset'] + h['file_length'] - 1}" for h in hits)
    return (
        f"DAMAGED: content bytes {spans} lie in damaged evidence media (see the cover sheet); the copy and its "
        f"hashes are of the data as read, not as acquired"
    )


@dataclass(frozen=True)
class FsPartition:
    """A partition that holds a file system, as the damage locator needs it."""

    id: int
    offset: int
    length: int
    fs_type: str


@dataclass(frozen=True)
class ContentFile:
    """A regular file with a metadata address: its content can be placed on the media."""

    id: int
    inode: int
    attr_type: int | None
    attr_id: int | None
    size: int


class DamageInputs:
    """The case read through its own read-only connection (a worker process beside the writer)."""

    def __init__(self, db_path: str) -> None:
        self._conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        self._conn.row_factory = sqlite3.Row

    def fs_partitions(self, evidence_id: int) -> list[FsPartition]:
        rows = self._conn.execute(
            "SELECT id, offset, length, fs_type FROM partitions WHERE evidence_id=? AND "
            "fs_type IS NOT NULL ORDER BY idx",
            (evidence_id,),
        )
        return [FsPartition(r["id"], r["offset"], r["length"], str(r["fs_type"])) for r in rows]

    def content_files(self, partition_id: int) -> Iterator[ContentFile]:
        rows = self._conn.execute(
            "SELECT id, inode, attr_type, attr_id, size FROM files WHERE partition_id=? AND "
            "type='r' AND inode IS NOT NULL ORDER BY id",
            (partition_id,),
        )
        for r in rows:
            yield ContentFile(int(r["id"]), int(r["inode"]), r["attr_type"], r["attr_id"], int(r["size"]))

    def close(self) -> None:
        self._conn.close()
