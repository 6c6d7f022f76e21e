"""The examination report laid out in one language as a :class:`triage.document.Document`.

Every label goes through the ``report`` catalogue (:func:`triage.i18n.translator`); what the case
recorded (names, paths, notes, hashes, findings, the ledger's reasons) is shown as recorded.
Numbers of bytes are plain integers so that they can be compared with other tools' output.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

from triage.case.completeness import Ledger, LedgerEntry
from triage.case.records import GapKind
from triage.document import Block, Column, Document, Heading, Image, KeyValues, PageBreak, Paragraph, Table
from triage.format import iso
from triage.i18n import Labels, translator
from triage.report.content import EvidenceItem, ReportData, TaggedItem

KIND_LABELS = {
    GapKind.FAILED: "Failed",
    GapKind.DAMAGED: "Damaged",
    GapKind.TIMED_OUT: "Timed out",
    GapKind.SKIPPED_BY_LIMIT: "Skipped by a limit",
    GapKind.ENCRYPTED: "Encrypted",
    GapKind.NO_FILESYSTEM: "No recognised file system",
    GapKind.PLUGIN_FAILURE: "Plugin failure",
    GapKind.NOT_SCANNED: "Not scanned",
    GapKind.TRUNCATED: "Truncated",
}
VERDICT_LABELS = {
    "passed": "Verified: the computed hashes match the hashes stored at acquisition",
    "failed": "FAILED: the computed hashes differ from the hashes stored at acquisition",
    "none": "Not verifiable: the image stores no acquisition hashes",
    "not verified": "Not verified: the whole-image hash was not computed",
}
ALGORITHMS = {"md5": "MD5", "sha1": "SHA-1", "sha256": "SHA-256"}
MACB_LABELS = {"M": "Modified (M)", "A": "Accessed (A)", "C": "Changed (C)", "B": "Born (B)"}
DETAILS_MAX = 300
"""Characters of a finding's details shown (the bundle and ``triage findings --json`` have all)."""


def report_document(data: ReportData, lang: str) -> Document:
    """The report in ``lang`` (one of :data:`triage.i18n.LANGUAGES`)."""
    t = translator(lang, "report")
    blocks: list[Block] = []
    blocks += _case(data, t)
    blocks += _evidence(data, t)
    blocks += _method(data, t)
    blocks += _tagged(data, t)
    blocks += _timeline(data, t)
    blocks += _ledger(data, t)
    who = data.info
    return Document(
        title=t("Examination report"),
        lang=lang,
        blocks=tuple(blocks),
        created=datetime.strptime(data.generated, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC),
        subtitle=" · ".join(
            x
            for x in (
                who.case_number,
                who.examiner
                + (f" ({who.organisation})" if who.organisation and who.examiner else who.organisation),
                data.generated,
            )
            if x
        ),
        footer=" · ".join(x for x in (t("Examination report"), who.case_number) if x),
        author=who.examiner,
        subject=t("Examination report"),
        page_label=t("Page {page} of {pages}"),
        contents_label=t("Contents"),
        languages=(lang,),
    )


def _kv(rows: list[tuple[str, str]]) -> KeyValues:
    return KeyValues(tuple((k, v) for k, v in rows if v != ""))


def _case(d: ReportData, t: Labels) -> list[Block]:
    i = d.info
    book = d.ledger
    if book.complete:
        summary = t("The completeness ledger is empty: every evidence item was fully examined.")
    else:
        summary = t(
            "The completeness ledger lists {count} entries ({size} bytes) that were not fully examined: "
            "an absent finding there is not proof of absence.",
            count=len(book.entries),
            size=book.total_size,
        )
    return [
        Heading(t("Case and examiner"), 1),
        _kv(
            [
                (t("Case number"), i.case_number),
                (t("Examiner"), i.examiner),
                (t("Organisation"), i.organisation),
                (t("Examiner e-mail"), i.examiner_email),
                (t("Requesting authority"), i.requesting_authority),
                (t("Requested authority"), i.requested_authority),
                (t("Case folder"), d.case_path),
                (t("Report made (UTC)"), d.generated),
                (t("Made with"), f"triage {d.tool_version}"),
                (
                    t("Recorded problems"),
                    t(
                        "{errors} errors, {warnings} warnings",
                        errors=d.problems.errors,
                        warnings=d.problems.warnings,
                    ),
                ),
            ]
        ),
        Paragraph(
            t(
                "{evidence} evidence items, {tagged} tagged items.",
                evidence=len(d.evidence),
                tagged=len(d.tagged),
            )
        ),
        Paragraph(summary),
    ]


def _evidence(d: ReportData, t: Labels) -> list[Block]:
    out: list[Block] = [Heading(t("Evidence items"), 1)]
    for e in d.evidence:
        out += _evidence_item(e, t)
    return out


def _evidence_item(e: EvidenceItem, t: Labels) -> list[Block]:
    rows = [
        (t("Path"), e.path),
        (t("Format"), e.format),
        (t("Size (bytes)"), str(e.size)),
    ]
    rows += [
        (t("Whole-image {algorithm} (computed)", algorithm=ALGORITHMS.get(a, a.upper())), h)
        for a, h in e.hashes
    ]
    rows += [
        (t("{algorithm} stored at acquisition", algorithm=ALGORITHMS.get(a, a.upper())), h)
        for a, h in e.acquisition_hashes
    ]
    rows.append((t("Verification"), t(VERDICT_LABELS[e.verification])))
    rows += [(t("Damaged media"), x) for x in e.damage]
    parts = Table(
        (
            Column(t("Partition"), 0.6, "right"),
            Column(t("File system"), 1.2),
            Column(t("Offset (bytes)"), 1.0, "right"),
            Column(t("Length (bytes)"), 1.0, "right"),
        ),
        tuple((str(i), fs or t("none recognised"), str(o), str(n)) for i, fs, o, n in e.partitions),
    )
    return [Heading(t("Evidence {id}: {name}", id=e.id, name=e.path.rsplit("/", 1)[-1]), 2), _kv(rows), parts]


def _method(d: ReportData, t: Labels) -> list[Block]:
    m = d.method
    out: list[Block] = [Heading(t("Method"), 1), Heading(t("Scans"), 2)]
    for s in m.scans:
        out.append(
            _kv(
                [
                    (t("Scan"), str(s.id)),
                    (t("Started (UTC)"), s.started),
                    (t("Finished (UTC)"), s.finished or ""),
                    (t("Status"), s.status),
                    (t("Analyzers"), ", ".join(f"{n} {v}" for n, v in s.analyzers)),
                    (t("Analyzer options"), s.options if s.options != "{}" else t("defaults")),
                ]
            )
        )
    out.append(Heading(t("Rule sets"), 2))
    if m.rule_sets:
        out.append(
            Table((Column(t("Rule file"), 1.5, mono=True), Column(t("SHA-256"), 2.0, mono=True)), m.rule_sets)
        )
    else:
        out.append(Paragraph(t("No rule files were given: only the built-in rules ran.")))
    out.append(Heading(t("Hash sets"), 2))
    if m.hash_sets:
        out.append(
            Table(
                (
                    Column(t("Hash set"), 1.0),
                    Column(t("Version"), 0.6),
                    Column(t("Category"), 0.6),
                    Column(t("Source SHA-256"), 2.2, mono=True),
                ),
                tuple((h.name, h.version, h.category, h.source_sha256) for h in m.hash_sets),
            )
        )
    out.append(Paragraph(t("Hash set database: {where}", where=m.hash_sets_note)))
    out.append(Heading(t("Tools and libraries"), 2))
    out.append(_kv(list(m.libraries)))
    return out


def _tagged(d: ReportData, t: Labels) -> list[Block]:
    out: list[Block] = [PageBreak(), Heading(t("Tagged items"), 1)]
    if not d.tagged:
        out.append(Paragraph(t("No item was tagged.")))
    for item in d.tagged:
        out += _tagged_item(item, t)
    return out


def _tagged_item(it: TaggedItem, t: Labels) -> list[Block]:
    out: list[Block] = [Heading(it.path, 2)]
    if it.thumbnail is not None and it.thumbnail.png is not None:
        out.append(Image(it.thumbnail.png, width_mm=40.0, caption=t("Thumbnail of {path}", path=it.path)))
    rows = [
        (t("Evidence"), it.evidence),
        (t("Partition"), str(it.partition)),
        (t("Size (bytes)"), str(it.size)),
        (
            t("Deleted"),
            t("yes, name reused (deleted-realloc)")
            if it.deleted == "deleted-realloc"
            else t("yes")
            if it.deleted
            else "",
        ),
        (t("Content"), t("read completely") if it.status == "done" else it.status),
        ("SHA-256", it.sha256 or ""),
        ("SHA-1", it.sha1 or ""),
        ("MD5", it.md5 or ""),
        (t("Type (MIME)"), it.mime or ""),
        (t("Tags"), ", ".join(it.tags)),
    ]
    rows += [(t(MACB_LABELS[letter]), iso(when) or "") for letter, when in it.times]
    rows += [(t("Note"), n) for n in it.notes]
    out.append(_kv(rows))
    if it.findings:
        out.append(
            Table(
                (
                    Column(t("Analyzer"), 0.8),
                    Column(t("Finding"), 1.2),
                    Column(t("Severity"), 0.6),
                    Column(t("Details"), 2.4, mono=True),
                ),
                tuple(
                    (
                        f"{f.plugin} {f.plugin_version}",
                        f"{f.kind}: {f.name}",
                        str(f.severity),
                        _details(f.details),
                    )
                    for f in it.findings
                ),
            )
        )
    return out


def _details(details: object) -> str:
    text = json.dumps(details, sort_keys=True, ensure_ascii=False)
    return text if len(text) <= DETAILS_MAX else text[: DETAILS_MAX - 1] + "…"


def _timeline(d: ReportData, t: Labels) -> list[Block]:
    out: list[Block] = [Heading(t("Timeline of tagged items"), 1)]
    if not d.timeline:
        return [*out, Paragraph(t("No times recorded for tagged items."))]
    out.append(
        Paragraph(
            t("File-system times in UTC, oldest first: M modified, A accessed, C metadata changed, B born.")
        )
    )
    out.append(
        Table(
            (
                Column(t("Time (UTC)"), 1.1, mono=True),
                Column("MACB", 0.5, mono=True),
                Column(t("File"), 2.6, mono=True),
            ),
            tuple((iso(e.when) or "", e.macb, e.path) for e in d.timeline),
        )
    )
    return out


def _ledger(d: ReportData, t: Labels) -> list[Block]:
    names = {e.id: e.path.rsplit("/", 1)[-1] for e in d.evidence}
    return [PageBreak(), *ledger_blocks(d.ledger, names, t)]


def ledger_blocks(book: Ledger, evidence_names: dict[int, str], t: Labels, level: int = 1) -> list[Block]:
    """The completeness ledger as blocks: a heading at ``level``, what it means, one table per
    evidence item (``evidence_names``: id → name, in order) and one for the scan-wide entries, then
    the totals. ``t``: labels of the ``report`` domain (a :class:`triage.document.Labels` for
    several languages). The report and the cover sheet both show the ledger with it."""
    out: list[Block] = [
        Heading(t("Completeness ledger"), level),
        Paragraph(
            t(
                "Everything that was not fully examined, per evidence item, with its reason and size. "
                "An absent finding is evidence of absence only for what is not listed here. "
                "The same entries are in data/completeness.csv of a bundle."
            )
        ),
    ]
    if book.complete:
        return [*out, Paragraph(t("Every evidence item was fully examined."))]
    groups: list[tuple[str, tuple[LedgerEntry, ...]]] = []
    for eid, name in evidence_names.items():
        mine = tuple(x for x in book.entries if x.evidence_id == eid)
        if mine:
            groups.append((t("Evidence {id}: {name}", id=eid, name=name), mine))
    scan_wide = tuple(x for x in book.entries if x.evidence_id is None)
    if scan_wide:
        groups.append((t("Every evidence item of the scan"), scan_wide))
    header = (
        Column(t("Kind"), 0.9),
        Column(t("Where"), 1.3, mono=True),
        Column(t("Reason"), 2.4),
        Column(t("Size (bytes)"), 0.8, "right"),
        Column(t("Source"), 0.7),
    )
    sub = min(level + 1, 3)
    for title, entries in groups:
        rows = []
        for x in entries:
            where = " ".join(
                s
                for s in (t("partition {n}", n=x.partition) if x.partition is not None else "", x.path or "")
                if s
            )
            size = t("unknown") if x.size is None else str(x.size)
            rows.append((t(KIND_LABELS[x.kind]), where, x.reason, size, x.source))
        out += [Heading(title, sub), Table(header, tuple(rows))]
    out.append(Heading(t("Totals"), sub))
    out.append(
        Table(
            (
                Column(t("Kind"), 2.0),
                Column(t("Entries"), 0.8, "right"),
                Column(t("Size (bytes)"), 1.2, "right"),
            ),
            tuple((t(KIND_LABELS[x.kind]), str(x.count), str(x.size)) for x in book.totals())
            + ((t("All kinds"), str(len(book.entries)), str(book.total_size)),),
        )
    )
    return out
