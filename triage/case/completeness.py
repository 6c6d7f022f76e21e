"""The completeness ledger: per evidence item, everything that was not fully examined.

An absent finding is only evidence of absence where the ledger is empty. The ledger is derived
from what the case already records, plus the explicit entries of :meth:`Case.record_gap`:

- files whose content failed to read or that lie on damaged media (``files.status``);
- partitions without a recognised file system;
- explicit gaps: encrypted volumes without a key, limits, truncated extraction, …

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

_FILE_STATUS_KIND = {"failed": GapKind.FAILED, "damaged": GapKind.DAMAGED}


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
        return Ledger(tuple(e for e in self.entries if e.evidence_id == evidence_id))

    @property
    def complete(self) -> bool:
        return not self.entries


CSV_COLUMNS = ("evidence_id", "evidence", "partition", "path", "kind", "reason", "size", "source")


def ledger(case: Case, evidence_ids: Iterable[int] | None = None) -> Ledger:
    """The ledger of ``evidence_ids`` (default: every evidence item of the case)."""
    items = case.evidence()
    wanted = set(evidence_ids) if evidence_ids is not None else {int(e["id"]) for e in items}
    names = {int(e["id"]): str(e["path"]) for e in items}
    entries: list[LedgerEntry] = []
    for ev in sorted(wanted):
        parts = {int(p["id"]): p for p in case.partitions(ev)}
        for p in parts.values():
            if p["fs_type"] is None:
                reason = str(p["error"] or "no recognised file system")
                entries.append(
                    LedgerEntry(
                        ev,
                        names.get(ev),
                        GapKind.NO_FILESYSTEM,
                        reason,
                        int(p["length"]),
                        "layout",
                        int(p["idx"]),
                    )
                )
        for f in case.each_file(FileQuery(evidence_id=ev, status=tuple(_FILE_STATUS_KIND))):
            part = parts.get(f.partition_id)
            entries.append(
                LedgerEntry(
                    ev,
                    names.get(ev),
                    _FILE_STATUS_KIND[f.status],
                    f.error or f.status,
                    f.size,
                    "scan",
                    int(part["idx"]) if part else None,
                    f.path,
                    f.id,
                )
            )
        for g in case.gaps(evidence_id=ev):
            part = parts.get(g.partition_id) if g.partition_id is not None else None
            entries.append(
                LedgerEntry(
                    ev,
                    names.get(ev),
                    g.kind,
                    g.reason,
                    g.size,
                    g.source,
                    int(part["idx"]) if part else None,
                    g.path,
                    g.file_id,
                )
            )
    return Ledger(tuple(entries))


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
