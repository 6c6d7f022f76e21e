"""Identifiers found in a case, and their grouping by provider and jurisdiction.

The ``identifiers`` analyzer records one finding (kind ``identifier``) per distinct
identifier and file. This module reads them back, attributes each to a provider with the
*current* provider data (so a corrected or extended data file applies to old scans), and
groups them for the identifiers view, the CLI and draft preservation requests::

    from triage.identifiers import grouped
    for g in grouped(case, kind="email"):
        print(g.label, g.jurisdiction, g.count, g.first_seen, g.last_seen, g.file_ids)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from triage.case.query import FileQuery, FindingQuery
from triage.case.records import Finding
from triage.format import iso
from triage.requests.providers import Attribution, ProviderMap, default_map

if TYPE_CHECKING:
    from triage.case.store import Case

KINDS = ("email", "url", "domain", "ip", "phone", "iban", "crypto")
_TIME_COLUMNS = ("mtime", "atime", "ctime", "crtime")


@dataclass
class Occurrence:
    """One identifier in one file (with every recorded offset)."""

    kind: str
    value: str
    normalised: str
    file_id: int
    path: str
    sha256: str | None
    deleted: bool
    partition: int | None
    evidence: str | None
    offset: int
    encoding: str
    context: str
    count: int
    offsets: list[dict[str, Any]]
    times: dict[str, int | None]
    details: dict[str, Any]
    attribution: Attribution

    def to_dict(self) -> dict[str, Any]:
        skip = {
            "identifier_kind",
            "value",
            "normalised",
            "offset",
            "encoding",
            "context",
            "count",
            "occurrences",
            "group",
            "label",
            "provider",
            "provider_name",
            "legal_name",
            "jurisdiction",
            "length",
        }
        return {
            "kind": self.kind,
            "value": self.value,
            "normalised": self.normalised,
            "file_id": self.file_id,
            "path": self.path,
            "sha256": self.sha256,
            "deleted": self.deleted,
            "partition": self.partition,
            "evidence": self.evidence,
            "offset": self.offset,
            "encoding": self.encoding,
            "context": self.context,
            "count": self.count,
            "offsets": self.offsets,
            **self.attribution.to_dict(),
            "details": {k: v for k, v in self.details.items() if k not in skip},
        }


@dataclass
class IdentifierSummary:
    """One distinct identifier within a group."""

    kind: str
    normalised: str
    value: str
    count: int = 0
    file_ids: list[int] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)


@dataclass
class Group:
    """Identifiers that one provider (or one currency, country or domain) holds data about."""

    key: str
    label: str
    provider: str | None
    provider_name: str | None
    legal_name: str | None
    jurisdiction: str | None
    note: str
    kinds: dict[str, int] = field(default_factory=dict)
    identifiers: list[IdentifierSummary] = field(default_factory=list)
    occurrences: int = 0
    first_seen: int | None = None
    """Earliest file time (m/a/c/cr) of the files the identifiers were found in (epoch seconds UTC)."""
    last_seen: int | None = None
    file_ids: list[int] = field(default_factory=list)

    @property
    def count(self) -> int:
        """Distinct identifiers in the group."""
        return len(self.identifiers)

    def to_dict(self) -> dict[str, Any]:
        return {
            "group": self.key,
            "label": self.label,
            "provider": self.provider,
            "provider_name": self.provider_name,
            "legal_name": self.legal_name,
            "jurisdiction": self.jurisdiction,
            "count": self.count,
            "occurrences": self.occurrences,
            "kinds": self.kinds,
            "first_seen": iso(self.first_seen),
            "last_seen": iso(self.last_seen),
            "file_ids": self.file_ids,
            "note": self.note,
            "identifiers": [
                {
                    "kind": i.kind,
                    "identifier": i.normalised,
                    "value": i.value,
                    "count": i.count,
                    "file_ids": i.file_ids,
                }
                for i in self.identifiers
            ],
        }


def occurrences(
    case: Case,
    kind: str | None = None,
    provider: str | None = None,
    providers: ProviderMap | None = None,
    file_ids: Sequence[int] | None = None,
) -> list[Occurrence]:
    """Every identifier found in ``case`` (one entry per identifier and file), in file then offset order.

    ``kind`` is one of :data:`KINDS`; ``provider`` matches a group (see :func:`matches`).
    """
    pm = providers or default_map()
    found = case.select_findings(
        FindingQuery(
            kind="identifier",
            plugin="identifiers",
            file_ids=None if file_ids is None else tuple(int(i) for i in file_ids),
        )
    )
    if kind is not None:
        found = [fnd for fnd in found if fnd.details.get("identifier_kind") == kind]
    ids = tuple(sorted({fnd.file_id for fnd in found if fnd.file_id is not None}))
    files = {rec.id: rec for rec in case.select_files(FileQuery(ids=ids))} if ids else {}

    def order(fnd: Finding) -> tuple[Any, ...]:  # as SQL's ORDER BY file_id, details.offset, id (NULL first)
        offset = fnd.details.get("offset")
        return (fnd.file_id is not None, fnd.file_id or 0, offset is not None, offset or 0, fnd.id)

    out = []
    for fnd in sorted(found, key=order):
        d = dict(fnd.details)
        k = str(d.get("identifier_kind", "?"))
        attr = pm.attribute(k, fnd.name, d)
        if provider is not None and not matches(attr, provider):
            continue
        rec = files.get(fnd.file_id) if fnd.file_id is not None else None
        out.append(
            Occurrence(
                kind=k,
                value=str(d.get("value", fnd.name)),
                normalised=fnd.name,
                file_id=fnd.file_id,  # type: ignore[arg-type]  # per-file analyzer: never None in practice
                path=rec.path if rec else None,  # type: ignore[arg-type]
                sha256=rec.sha256 if rec else None,
                deleted=rec.deleted if rec else False,
                partition=rec.location.partition if rec else None,
                evidence=rec.evidence_path if rec else None,
                offset=int(d.get("offset", -1)),
                encoding=str(d.get("encoding", "")),
                context=str(d.get("context", "")),
                count=int(d.get("count", 1)),
                offsets=list(d.get("occurrences", [])),
                times={c: getattr(rec, c) if rec else None for c in _TIME_COLUMNS},
                details=d,
                attribution=attr,
            )
        )
    return out


def matches(attr: Attribution, wanted: str) -> bool:
    """Whether a ``--provider`` value names this group: provider id or name, group key
    (``currency:Bitcoin``, ``phone:GB``, ``domain:example.org``), or ``country:CC`` for the jurisdiction."""
    w = wanted.strip().casefold()
    if w.startswith(("country:", "jurisdiction:")):
        return (attr.jurisdiction or "").casefold() == w.split(":", 1)[1]
    names = {attr.group.casefold(), attr.label.casefold()}
    if attr.provider is not None:
        names |= {
            attr.provider.id.casefold(),
            attr.provider.name.casefold(),
            attr.provider.legal_name.casefold(),
        }
    return w in names


def grouped(
    case: Case, kind: str | None = None, provider: str | None = None, providers: ProviderMap | None = None
) -> list[Group]:
    """Identifiers grouped by provider (or currency / country / domain), largest groups first.

    Each group has counts, the first and last file times seen (over the source files'
    m/a/c/cr times) and the source file ids, for a click-through to the files.
    """
    groups: dict[str, Group] = {}
    summaries: dict[tuple[str, str, str], IdentifierSummary] = {}
    for o in occurrences(case, kind, provider, providers):
        a = o.attribution
        g = groups.get(a.group)
        if g is None:
            p = a.provider
            g = groups[a.group] = Group(
                a.group,
                a.label,
                p.id if p else None,
                p.name if p else None,
                p.legal_name if p else None,
                a.jurisdiction,
                a.note,
            )
        key = (a.group, o.kind, o.normalised)
        s = summaries.get(key)
        if s is None:
            s = summaries[key] = IdentifierSummary(o.kind, o.normalised, o.value, details=_summary_details(o))
            g.identifiers.append(s)
            g.kinds[o.kind] = g.kinds.get(o.kind, 0) + 1
        s.count += o.count
        if o.file_id not in s.file_ids:
            s.file_ids.append(o.file_id)
        g.occurrences += o.count
        if o.file_id not in g.file_ids:
            g.file_ids.append(o.file_id)
        times = [t for t in o.times.values() if t]
        if times:
            g.first_seen = min(times) if g.first_seen is None else min(g.first_seen, min(times))
            g.last_seen = max(times) if g.last_seen is None else max(g.last_seen, max(times))
    out = list(groups.values())
    for g in out:
        g.identifiers.sort(key=lambda i: (i.kind, i.normalised))
    out.sort(key=lambda g: (g.provider is None, -g.count, g.key))
    return out


def _summary_details(o: Occurrence) -> dict[str, Any]:
    keep = (
        "currency",
        "address_type",
        "country",
        "line_type",
        "registrable_domain",
        "host",
        "domain",
        "version",
        "scope",
        "checksum",
        "original_carrier",
    )
    return {k: o.details[k] for k in keep if k in o.details}
