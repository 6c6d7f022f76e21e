"""What the examination report says, gathered from the case: typed, frozen, language-free.

:func:`gather` reads the case once (through :mod:`triage.case` only); :mod:`triage.report.document`
lays it out in one language. User content (names, paths, notes, findings) is kept as recorded.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import triage
from triage.case.completeness import Ledger, ledger
from triage.case.integrity import image_integrity
from triage.case.query import FindingQuery
from triage.case.records import CaseInfo, Finding, ProblemCount, Thumbnail
from triage.case.store import Case, utc_now
from triage.versions import library_versions

MACB = (("mtime", "M"), ("atime", "A"), ("ctime", "C"), ("crtime", "B"))
"""The four file-system times and their MACB letters (modified, accessed, changed, born)."""


@dataclass(frozen=True)
class EvidenceItem:
    id: int
    path: str
    format: str
    size: int
    hashes: tuple[tuple[str, str], ...]  # algorithm, hex: computed by the scan, else stored
    acquisition_hashes: tuple[tuple[str, str], ...]
    verification: str  # passed | failed | none | not verified (image_integrity's wording key)
    verification_text: str
    damage: tuple[str, ...]
    partitions: tuple[tuple[int, str, int, int], ...]  # index, file system ('' none), offset, length


@dataclass(frozen=True)
class ScanRun:
    id: int
    started: str
    finished: str | None
    status: str
    analyzers: tuple[tuple[str, str], ...]  # name, version
    options: str  # the scan's analyzer options as compact JSON ("{}": defaults)


@dataclass(frozen=True)
class HashSetInfo:
    name: str
    version: str
    category: str
    source_sha256: str


@dataclass(frozen=True)
class Method:
    scans: tuple[ScanRun, ...]
    rule_sets: tuple[tuple[str, str], ...]  # path, SHA-256
    hash_sets: tuple[HashSetInfo, ...]
    hash_sets_note: str  # where the list came from, or why it is empty
    libraries: tuple[tuple[str, str], ...]  # name, version


@dataclass(frozen=True)
class TaggedItem:
    file_id: int
    evidence: str
    partition: int
    path: str
    size: int
    deleted: str
    md5: str | None
    sha1: str | None
    sha256: str | None
    mime: str | None
    status: str
    tags: tuple[str, ...]
    notes: tuple[str, ...]
    times: tuple[tuple[str, int], ...]  # MACB letter, Unix seconds (UTC)
    findings: tuple[Finding, ...]
    thumbnail: Thumbnail | None


@dataclass(frozen=True)
class TimelineEvent:
    when: int
    macb: str
    file_id: int
    path: str


@dataclass(frozen=True)
class ReportData:
    case_path: str
    info: CaseInfo
    generated: str
    tool_version: str
    evidence: tuple[EvidenceItem, ...]
    method: Method
    tagged: tuple[TaggedItem, ...]
    timeline: tuple[TimelineEvent, ...]
    ledger: Ledger
    problems: ProblemCount


_VERDICTS = {
    "computed hashes match the stored hashes": "passed",
    "computed hashes DIFFER from the stored hashes": "failed",
    "the image stores no hashes to compare with": "none",
}


def gather(case: Case, *, thumbnails: dict[int, Thumbnail] | None = None) -> ReportData:
    """Everything the report shows. ``thumbnails``: pictures of tagged files already made (the
    writer makes missing ones through the thumbnail service); otherwise the case's cache."""
    evidence = tuple(_evidence(case, ev) for ev in case.evidence())
    names = {e.id: e.path for e in evidence}
    tag_rows = case.tags()
    ids = sorted({int(t["file_id"]) for t in tag_rows})
    thumbs = thumbnails if thumbnails is not None else case.thumbnails(ids)
    found: dict[int, list[Finding]] = {}
    if ids:
        for f in case.select_findings(FindingQuery(file_ids=tuple(ids))):
            if f.file_id is not None:
                found.setdefault(f.file_id, []).append(f)
    tagged = []
    for fid in ids:
        rec = case.file_record(fid)
        if rec is None:
            continue
        times = tuple((letter, int(v)) for col, letter in MACB if (v := getattr(rec, col)) is not None)
        thumb = thumbs.get(fid)
        tagged.append(
            TaggedItem(
                file_id=fid,
                evidence=names.get(rec.evidence_id, rec.evidence_path),
                partition=rec.location.partition,
                path=rec.path,
                size=rec.size,
                deleted=rec.deletion_label,
                md5=rec.md5,
                sha1=rec.sha1,
                sha256=rec.sha256,
                mime=rec.mime,
                status=rec.status,
                tags=tuple(str(t["tag"]) for t in tag_rows if int(t["file_id"]) == fid),
                notes=tuple(str(n["text"]) for n in case.notes(fid)),
                times=times,
                findings=tuple(found.get(fid, ())),
                thumbnail=thumb if thumb is not None and thumb.ok else None,
            )
        )
    timeline = tuple(
        sorted(
            (TimelineEvent(when, letter, t.file_id, t.path) for t in tagged for letter, when in t.times),
            key=lambda e: (e.when, e.path, "MACB".index(e.macb)),
        )
    )
    return ReportData(
        case_path=str(case.path),
        info=case.case_info(),
        generated=utc_now(),
        tool_version=triage.__version__,
        evidence=evidence,
        method=_method(case),
        tagged=tuple(tagged),
        timeline=_merge_macb(timeline),
        ledger=ledger(case),
        problems=case.count_problems(),
    )


def _merge_macb(events: tuple[TimelineEvent, ...]) -> tuple[TimelineEvent, ...]:
    """One row per file and second, its letters joined in MACB order (``M.CB``), as mactime does."""
    out: list[TimelineEvent] = []
    for e in events:
        if out and out[-1].when == e.when and out[-1].file_id == e.file_id:
            letters = set(out[-1].macb) | {e.macb}
            out[-1] = TimelineEvent(
                e.when, "".join(c if c in letters else "." for c in "MACB"), e.file_id, e.path
            )
        else:
            out.append(
                TimelineEvent(e.when, "".join(c if c == e.macb else "." for c in "MACB"), e.file_id, e.path)
            )
    return tuple(out)


def _evidence(case: Case, ev: dict[str, Any]) -> EvidenceItem:
    integ = image_integrity(case, ev)
    order = ("md5", "sha1", "sha256")
    return EvidenceItem(
        id=int(ev["id"]),
        path=str(ev["path"]),
        format=str(ev["format"]),
        size=int(ev["size"]),
        hashes=tuple((a, integ["hashes"][a]) for a in order if integ["hashes"].get(a)),
        acquisition_hashes=tuple(
            (a, integ["acquisition_hashes"][a]) for a in order if integ["acquisition_hashes"].get(a)
        ),
        verification=_VERDICTS.get(integ["verification"], "not verified"),
        verification_text=str(integ["verification"]),
        damage=tuple(integ["damage"]),
        partitions=tuple(
            (int(p["idx"]), str(p["fs_type"] or ""), int(p["offset"]), int(p["length"]))
            for p in case.partitions(int(ev["id"]))
        ),
    )


def _method(case: Case) -> Method:
    scans = case.scans()
    runs = []
    for s in scans:
        versions = s.get("versions") or {}
        settings = s.get("settings") or {}
        analyzers = versions.get("analyzers") or {}
        runs.append(
            ScanRun(
                id=int(s["id"]),
                started=str(s["started"]),
                finished=s.get("finished"),
                status=str(s["status"]),
                analyzers=tuple((str(k), str(v)) for k, v in sorted(analyzers.items())),
                options=json.dumps(settings.get("options") or {}, sort_keys=True, ensure_ascii=False),
            )
        )
    # imported here: the exporter pulls in pyHanko and fpdf2 (about a second), and every ``triage``
    # command imports this module while it builds its parser
    from triage.export.exporter import rule_set_digests

    hash_sets, note = _hash_sets(scans)
    return Method(
        scans=tuple(runs),
        rule_sets=tuple(sorted(rule_set_digests(scans).items())),
        hash_sets=hash_sets,
        hash_sets_note=note,
        libraries=tuple(sorted(library_versions().items())),
    )


def _hash_sets(scans: list[dict[str, Any]]) -> tuple[tuple[HashSetInfo, ...], str]:
    """The hash sets in the database the known-files analyzer consulted (its ``db`` option or
    the default), as they are now; empty with the reason when there is none."""
    from triage.errors import TriageError
    from triage.hashsets import HashDB, default_db_path

    used = [s for s in scans if "knownfiles" in ((s.get("settings") or {}).get("analyzers") or [])]
    if not used:
        return (), "knownfiles did not run"
    db = ((used[-1].get("settings") or {}).get("options") or {}).get("knownfiles", {}).get("db") or ""
    path = Path(db) if db else default_db_path()
    if not path.is_file():
        return (), f"no hash set database at {path}"
    try:
        with HashDB(path, readonly=True) as hdb:
            sets = hdb.sets()
    except (TriageError, OSError) as exc:
        return (), f"{path}: {exc}"
    return (
        tuple(HashSetInfo(s.name, s.version, s.category, s.source_sha256) for s in sets),
        str(path),
    )
