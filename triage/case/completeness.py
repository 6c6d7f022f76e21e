"""The completeness ledger: per evidence item, everything that was not fully examined.

An absent finding is only evidence of absence where the ledger is empty. The ledger is derived
from what the case already records, plus the explicit entries of :meth:`Case.record_gap`:

- evidence whose whole-image hash failed to verify (``evidence_hashes.verified``);
- partitions without a recognised file system, and each file system's unallocated space,
  counted at inventory time (``partitions.unallocated``), unless YARA scanned it or the carver
  examined it (``triage scan --carve``; a partition it could not carve has an entry saying why);
- files whose content failed to read or that lie on damaged media (``files.status``), and
  regular files whose content could not be addressed (``status = skipped``);
- recorded errors, classified by source and message: timeouts (YARA rules, ``--file-timeout``),
  plugin failures (crashes, isolated post-scan failures, plugins that failed to load), engine and
  inventory failures; warnings that say a limit cut a result short (``(option …)``, ``raise …``);
- results that say an analyzer read only part of a file by design (``identifiers_scope``);
- explicit gaps: encrypted volumes without a key, limits, truncated extraction, …

All of it is computed with SQL aggregates (one row per file and kind, not per problem), so a
large case is not walked in Python. Entries without an evidence item (a plugin that failed to
load, a rule file left out) concern every evidence item of that scan.

Each entry names its reason and its size in bytes where known; :meth:`Ledger.totals` sums them per
kind. Rendered by the report, the cover sheet and the bundle (``data/completeness.csv``).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass

from triage.case.query import FileQuery
from triage.case.records import GapKind
from triage.case.store import Case


@dataclass(frozen=True)
class LedgerEntry:
    """One thing not fully examined. ``size``: bytes not (fully) examined, None when unknown."""

    evidence_id: int | None
    evidence: str | None
    kind: GapKind
    reason: str
    size: int | None
    source: str
    partition: int | None = None
    path: str | None = None
    file_id: int | None = None


@dataclass(frozen=True)
class LedgerTotal:
    kind: GapKind
    count: int
    size: int


@dataclass(frozen=True)
class Ledger:
    entries: tuple[LedgerEntry, ...]

    def totals(self) -> tuple[LedgerTotal, ...]:
        """Count and bytes per kind, in :class:`GapKind` order, kinds without entries left out."""
        out = []
        for kind in GapKind:
            mine = [e for e in self.entries if e.kind is kind]
            if mine:
                out.append(LedgerTotal(kind, len(mine), sum(e.size or 0 for e in mine)))
        return tuple(out)

    def for_evidence(self, evidence_id: int) -> Ledger:
        """The entries of one evidence item and those of the whole scan (``evidence_id`` None)."""
        return Ledger(tuple(e for e in self.entries if e.evidence_id in (evidence_id, None)))

    @property
    def total_size(self) -> int:
        return sum(e.size or 0 for e in self.entries)

    @property
    def complete(self) -> bool:
        return not self.entries


CSV_COLUMNS = ("evidence_id", "evidence", "partition", "path", "kind", "reason", "size", "source")

_FILE_STATUS_KIND = {"failed": GapKind.FAILED, "damaged": GapKind.DAMAGED}

_PROBLEM_KIND_SQL = """
CASE
  WHEN lower(e.message) LIKE '%time limit%' OR lower(e.message) LIKE '%timed out%'
    OR lower(e.message) LIKE '%timeout%' OR lower(e.message) LIKE '%ran over%' THEN 'timed-out'
  WHEN e.severity = 'warning' THEN 'truncated'
  WHEN e.source IN ('inventory', 'engine') THEN 'failed'
  WHEN e.source LIKE 'evidence%' THEN 'damaged'
  ELSE 'plugin-failure'
END"""
"""A recorded problem's ledger kind. Warnings count only when they say a limit cut a result short."""

_PROBLEMS_SQL = f"""
SELECT e.evidence_id, e.partition_id, e.file_id, e.source, {_PROBLEM_KIND_SQL} AS kind,
       group_concat(e.message, '; ') AS reason, f.size AS size, f.path AS path
FROM (SELECT DISTINCT evidence_id, partition_id, file_id, source, message, severity FROM errors
      WHERE (severity = 'error' OR message LIKE '%(option %' OR message LIKE '%(raise %')
        AND NOT (source = 'engine' AND file_id IN (SELECT id FROM files WHERE status IN ('failed', 'damaged')))
     ) e
LEFT JOIN files f ON f.id = e.file_id
WHERE {{where}}
GROUP BY e.evidence_id, e.partition_id, e.file_id, e.source, kind
ORDER BY e.evidence_id, e.partition_id, e.file_id, e.source"""
"""One entry per (file, source, kind): a file with three slow YARA rules is one timed-out entry.
Problems repeated by a rescan (evidence-level ones are kept) are counted once (DISTINCT)."""


def ledger(case: Case, evidence_ids: Iterable[int] | None = None) -> Ledger:
    """The ledger of ``evidence_ids`` (default: every evidence item of the case), with the
    scan-wide entries (no evidence item) when every item is asked for or any item was scanned."""
    items = case.evidence()
    wanted = set(evidence_ids) if evidence_ids is not None else {int(e["id"]) for e in items}
    names = {int(e["id"]): str(e["path"]) for e in items}
    entries: list[LedgerEntry] = []
    conn = case._conn
    for ev in sorted(wanted):
        item = next((e for e in items if int(e["id"]) == ev), None)
        if item is None:
            continue
        name = names[ev]
        parts = {int(p["id"]): p for p in case.partitions(ev)}
        idx = {pid: int(p["idx"]) for pid, p in parts.items()}
        verified = conn.execute("SELECT verified FROM evidence_hashes WHERE evidence_id=?", (ev,)).fetchone()
        if verified and verified[0] == "failed":
            entries.append(
                LedgerEntry(
                    ev,
                    name,
                    GapKind.DAMAGED,
                    "whole-image hash differs from the hash stored at acquisition (verification failed)",
                    int(item["size"]),
                    "verification",
                )
            )
        yara_unalloc = _yara_scanned_unallocated(case, name)
        carved = _carved_partitions(case, ev)
        for p in parts.values():
            if p["fs_type"] is None:
                reason = str(p["error"] or "no recognised file system")
                entries.append(
                    LedgerEntry(
                        ev, name, GapKind.NO_FILESYSTEM, reason, int(p["length"]), "layout", int(p["idx"])
                    )
                )
            elif not yara_unalloc and p.get("unallocated") != 0 and int(p["id"]) not in carved:
                size = p.get("unallocated")
                reason = f"unallocated space of the {p['fs_type']} file system not scanned by any analyzer"
                if size is None:
                    why = (
                        p.get("unallocated_error") or "not counted by this case's inventory (rescan to count)"
                    )
                    reason += f" (size unknown: {why})"
                entries.append(
                    LedgerEntry(ev, name, GapKind.NOT_SCANNED, reason, size, "inventory", int(p["idx"]))
                )
        for f in case.each_file(FileQuery(evidence_id=ev, status=tuple(_FILE_STATUS_KIND))):
            entries.append(
                LedgerEntry(
                    ev,
                    name,
                    _FILE_STATUS_KIND[f.status],
                    f.error or f.status,
                    f.size,
                    "scan",
                    idx.get(f.partition_id),
                    f.path,
                    f.id,
                )
            )
        for r in conn.execute(
            "SELECT id, partition_id, path, size FROM files WHERE evidence_id=? AND status='skipped' AND type='r' AND origin!='member' "
            "ORDER BY id",
            (ev,),
        ):
            entries.append(
                LedgerEntry(
                    ev,
                    name,
                    GapKind.NOT_SCANNED,
                    "content not read: the file system gives no metadata address for it",
                    int(r["size"]),
                    "inventory",
                    idx.get(r["partition_id"]),
                    r["path"],
                    int(r["id"]),
                )
            )
        for r in conn.execute(
            "SELECT id, partition_id, path, size, json_extract(attributes, '$.identifiers_scope') AS scope "
            "FROM files WHERE evidence_id=? AND attributes LIKE '%identifiers_scope%' ORDER BY id",
            (ev,),
        ):
            if r["scope"] is None:
                continue
            entries.append(
                LedgerEntry(
                    ev,
                    name,
                    GapKind.SKIPPED_BY_LIMIT,
                    f"identifiers: {r['scope']}; the rest not searched (option identifiers.scan_compressed)",
                    int(r["size"]),
                    "identifiers",
                    idx.get(r["partition_id"]),
                    r["path"],
                    int(r["id"]),
                )
            )
        entries += _problem_entries(case, "e.evidence_id = ?", (ev,), names, idx)
        for g in case.gaps(evidence_id=ev):
            entries.append(
                LedgerEntry(
                    ev,
                    name,
                    g.kind,
                    g.reason,
                    g.size,
                    g.source,
                    idx.get(g.partition_id) if g.partition_id is not None else None,
                    g.path,
                    g.file_id,
                )
            )
    if wanted:
        entries += _problem_entries(case, "e.evidence_id IS NULL", (), names, {})
        entries += [
            LedgerEntry(None, None, g.kind, g.reason, g.size, g.source)
            for g in case.gaps()
            if g.evidence_id is None
        ]
    return Ledger(tuple(entries))


def _problem_entries(
    case: Case, where: str, args: tuple[object, ...], names: dict[int, str], idx: dict[int, int]
) -> list[LedgerEntry]:
    out = []
    for r in case._conn.execute(_PROBLEMS_SQL.format(where=where), args):
        ev = r["evidence_id"]
        out.append(
            LedgerEntry(
                ev,
                names.get(ev) if ev is not None else None,
                GapKind(r["kind"]),
                str(r["reason"]),
                None if r["size"] is None else int(r["size"]),
                str(r["source"]),
                idx.get(r["partition_id"]) if r["partition_id"] is not None else None,
                r["path"],
                r["file_id"],
            )
        )
    return out


def _carved_partitions(case: Case, evidence_id: int) -> set[int]:
    """Partitions whose unallocated space the carver examined at inventory (``triage scan
    --carve``; the ``evidence.carved`` audit events). One it could not carve has its own
    ``not-scanned`` entry saying why (recorded by the scan), so it is in this set too."""
    return {
        int(e.details["partition_id"])
        for e in case.audit_log()
        if e.action == "evidence.carved" and e.details.get("evidence_id") == evidence_id
    }


def _yara_scanned_unallocated(case: Case, evidence_path: str) -> bool:
    """Whether the latest scan of this evidence ran YARA with rules over unallocated space."""
    for scan in reversed(case.scans()):
        settings = scan.get("settings") or {}
        if evidence_path not in (settings.get("evidence") or []):
            continue
        yara = (settings.get("options") or {}).get("yara") or {}
        return (
            "yara" in (settings.get("analyzers") or [])
            and bool(yara.get("unallocated"))
            and bool(yara.get("rules"))
        )
    return False


def ledger_csv(book: Ledger) -> str:
    """``data/completeness.csv``: one row per entry, columns :data:`CSV_COLUMNS`."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for e in book.entries:
        writer.writerow(
            (
                e.evidence_id,
                e.evidence or "",
                "" if e.partition is None else e.partition,
                e.path or "",
                e.kind.value,
                e.reason,
                "" if e.size is None else e.size,
                e.source,
            )
        )
    return buf.getvalue()
