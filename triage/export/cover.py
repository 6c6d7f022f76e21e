"""The cover sheet (transfer annex) as JSON, PDF and HTML, and the bundle's README.txt.

All hold case data only (the PDF's creation date is the case's as-of time), so they are
byte-reproducible like the rest of ``data/``. The PDF and HTML render :func:`cover_document`, a
:class:`triage.document.Document` built from the JSON alone, labelled in the chosen languages.
"""

from __future__ import annotations

import json
import shlex
from collections.abc import Sequence
from datetime import UTC, datetime
from itertools import groupby
from typing import Any

from triage.case.completeness import Ledger
from triage.document import (
    Block,
    Column,
    Document,
    Heading,
    KeyValues,
    Labels,
    PageBreak,
    Paragraph,
    Steps,
    Table,
    labels,
    render_html,
    render_pdf,
)
from triage.export.inventory import utc
from triage.i18n import LANGUAGES, parse_languages


def cover_json(cover: dict[str, Any]) -> str:
    return json.dumps(cover, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


LABELS = "cover"  # the translation domain: triage/data/locale/<lang>/cover.po

#: Custody events in words (the action code is shown for any other event).
ACTIONS = {
    "case.created": "Case created",
    "case.info": "Case details recorded",
    "evidence.added": "Evidence item added to the case (read-only)",
    "evidence.inventoried": "Evidence item inventoried",
    "evidence.mounted": "Evidence item mounted read-only",
    "scan.started": "Examination (scan) started",
    "scan.finished": "Examination (scan) finished",
    "scan.interrupted": "Examination (scan) interrupted",
    "tag.added": "Item tagged",
    "tag.removed": "Tag removed",
    "note.added": "Note added",
    "requests.attach": "Request attached",
}

#: The verification verdicts of :func:`triage.case.integrity.image_integrity` (labels, not user content).
VERDICTS = (
    "computed hashes match the stored hashes",
    "computed hashes DIFFER from the stored hashes",
    "the image stores no hashes to compare with",
    "not verified",
)

SIGNED_COPY = "signatures/cover-sheet.pdf"


def _size(n: int | None) -> str:
    """Bytes exactly, with a readable unit for sizes of a KiB or more (``1,536 (1.5 KiB)``)."""
    if n is None:
        return ""
    text = f"{n:,}"
    for unit, scale in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= scale:
            return f"{text} ({n / scale:.1f} {unit})"
    return text


def _hashes(hashes: Any) -> str:
    if not isinstance(hashes, dict) or not hashes:
        return ""
    return "\n".join(f"{k.upper().replace('SHA', 'SHA-')}: {v}" for k, v in hashes.items())


def _party_rows(L: Labels, authority: dict[str, Any]) -> str:
    return ", ".join(str(authority[k]) for k in ("name", "country", "reference") if authority.get(k))


NOT_PADES = (
    f"not PAdES-signed: no X.509 certificate configured (the cover sheet has no {SIGNED_COPY}; "
    "give --sign-key/--sign-cert to sign it)"
)


def cover_languages(req: Any, value: str | Sequence[str] | None) -> tuple[str, ...]:
    """``--language`` as language codes; by default the request's ``languages`` that triage has
    labels for (English when it names none of them)."""
    if value:
        return parse_languages(value)
    wanted = [str(v).strip().lower() for v in req.request.get("languages", []) or []]
    return tuple(dict.fromkeys(c for c in wanted if c in LANGUAGES)) or ("en",)


def language_warnings(req: Any, value: str | Sequence[str] | None) -> list[str]:
    """The request's languages the cover sheet could not use (no catalogue), when they chose it."""
    if value:
        return []
    unknown = [
        str(v) for v in req.request.get("languages", []) or [] if str(v).strip().lower() not in LANGUAGES
    ]
    if not unknown:
        return []
    return [
        f"cover sheet: no labels in {', '.join(unknown)} (request.languages); written in "
        f"{', '.join(cover_languages(req, None))} (choose with --language: {', '.join(LANGUAGES)})"
    ]


def _details(details: dict[str, Any]) -> str:
    text = ", ".join(f"{k}={v}" for k, v in sorted(details.items()) if v not in (None, "", [], {}))
    return text if len(text) <= 160 else text[:157] + "..."


def extract_command(kind: str, archive: str, member: str) -> str:
    """A shell command that prints the SHA-256 of ``member`` extracted from the container file
    ``archive`` (a bundle path) with a common tool, not ours; or how to get at it where no one-line
    command exists (e-mail). ``member`` is the path the inventory gives (``name~2``: the second
    member of that name, which the tools below do not address)."""
    if not archive:
        return "the container is not in this bundle (metadata only)"
    a, m = shlex.quote(archive), shlex.quote(member)
    if kind == "zip":
        return f"unzip -p {a} {m} | sha256sum"
    if kind in ("7z", "rar"):
        return f"7z x -so {a} {m} | sha256sum"
    if kind == "tar":
        return f"tar -xOf {a} {m} | sha256sum"
    if kind in ("gzip", "bzip2", "xz"):
        tool = {"gzip": "gzip", "bzip2": "bzip2", "xz": "xz"}[kind]
        return f"tar -xOf {a} {m} | sha256sum   (not a tar, one compressed file: {tool} -dc {a} | sha256sum)"
    return (
        f"open {a} with an e-mail program (or ripmime/munpack for EML and MBOX, readpst for PST, "
        f"msgconvert for MSG), save the attachment {member}, then sha256sum it"
    )


def sheet_details(
    artifacts: Sequence[dict[str, Any]],
    events: Sequence[dict[str, Any]],
    book: Ledger,
    tool: dict[str, Any],
    langs: Sequence[str],
) -> dict[str, Any]:
    """The cover sheet's parts beyond the summary: every artifact, the custody log, the versions and
    the completeness ledger (``cover-sheet.json`` holds them, the PDF and HTML render them)."""
    versions: dict[str, str] = {}
    for scan in tool.get("scans", []):
        for name, version in (scan.get("versions") or {}).items():
            versions[str(name)] = str(version)
    return {
        "languages": list(langs),
        "tool": {
            "name": tool["name"],
            "version": tool["version"],
            "settings_sha256": tool["settings_sha256"],
            "rule_sets": dict(tool.get("rule_sets", {})),
            "versions": versions,
        },
        "artifacts": [
            {
                "id": a["id"],
                "exhibit": a["exhibit"].number,
                "path": a["row"]["path"],
                "size": int(a["row"]["size"]),
                "mtime": utc(a["row"].get("mtime")),
                "ctime": utc(a["row"].get("ctime")),
                "sha256": a["hashes"].get("sha256", ""),
                "status": a["note"],
            }
            for a in artifacts
        ],
        "members": [
            {
                "id": a["id"],
                "member_path": a["row"]["member_path"],
                "container": a["container"]["id"],
                "container_bundle_path": a["container"]["bundle_path"],
                "container_kind": a["container"]["kind"],
                "sha256": a["hashes"].get("sha256", ""),
                "check": extract_command(
                    a["container"]["kind"], a["container"]["bundle_path"], a["row"]["member_path"]
                ),
            }
            for a in artifacts
            if a.get("container")
        ],
        "custody_log": [
            {"ts": e["ts"], "actor": e["actor"], "action": e["action"], "details": _details(e["details"])}
            for e in events
        ],
        "completeness": {
            "entries": [
                {
                    "evidence": e.evidence,
                    "kind": str(e.kind.value),
                    "item": e.path or (f"partition {e.partition}" if e.partition is not None else e.source),
                    "reason": e.reason,
                    "size": e.size,
                }
                for e in book.entries
            ],
            "totals": [{"kind": str(t.kind.value), "count": t.count, "size": t.size} for t in book.totals()],
        },
    }


def cover_document(
    sheet: dict[str, Any], langs: Sequence[str], *, signer: dict[str, str] | None = None
) -> Document:
    """The cover sheet as a designed document, from its JSON twin (``sheet``) alone.

    ``signer`` (``Signer.describe()``) adds the signer's name and certificate fingerprint: only the
    signed copy carries it, so that ``data/`` does not depend on who signs."""
    L = labels(langs, LABELS)
    req = sheet["request"]
    summary = sheet["summary"]
    first = L.first
    lw = 0.3 if len(L.langs) == 1 else 0.4  # bilingual labels are longer
    blocks: list[Block] = []
    # -- page 1: the request, who sends what to whom, the evidence, the signer, how to verify
    blocks.append(Heading(L("The request")))
    rows = [
        (L("Reference"), str(req.get("reference", ""))),
        (L("Legal basis"), str(req.get("legal_basis", ""))),
        (L("Date of the request"), str(req.get("date", ""))),
        (L("Case number"), str(req.get("case_number", ""))),
        (L("Court case number"), str(req.get("court_case_number", ""))),
    ]
    tr = req.get("time_range") or {}
    if tr:
        rows.append((L("Time range"), f"{tr.get('start', '')} – {tr.get('end', '')}"))
    rows += [
        (L("Requesting authority"), _party_rows(L, sheet["requesting_authority"])),
        (L("Requested authority"), _party_rows(L, sheet["requested_authority"])),
        (L("Sent by"), str(sheet.get("sent_by", ""))),
        (
            L("Examiner"),
            ", ".join(
                str(sheet["examiner"][k]) for k in ("name", "role", "email") if sheet["examiner"].get(k)
            ),
        ),
        (L("Files sent"), f"{summary['files']:,}"),
        (L("Total size (bytes)"), _size(int(summary["bytes"]))),
        (L("Case state as of (UTC)"), str(summary.get("case_state_as_of", ""))),
    ]
    if summary.get("metadata_only"):
        rows.append((L("Content"), L("metadata only: no file content is included")))
    blocks.append(KeyValues(tuple((k, v) for k, v in rows if v), label_width=lw))
    blocks.append(Heading(L("Evidence items"), 2))
    for ex in sheet["exhibits"]:
        hashes = ex["evidence_hashes"] if isinstance(ex["evidence_hashes"], dict) else {}
        ev_rows = [
            (L("Exhibit"), f"{ex['number']} — {ex['source_media']}"),
            (L("Description"), str(ex.get("description", ""))),
            (L("Format and size"), f"{ex['format']}, {_size(ex['size'])}"),
            (
                L("Whole-image hashes (computed)"),
                _hashes(hashes) or L("not computed (the scan did not finish hashing the evidence)"),
            ),
            (
                L("Hashes stored at acquisition"),
                _hashes(ex["acquisition_hashes"]) or L("none stored in the image"),
            ),
            (
                L("Verification"),
                L(ex["verification"]) if ex["verification"] in VERDICTS else str(ex["verification"]),
            ),
        ]
        if ex.get("damaged_media_ranges"):
            ev_rows.append((L("Damaged media"), "\n".join(ex["damaged_media_ranges"])))
        # the hashes set in a monospaced font, each on one line whatever the label width
        mono = [
            False,
            False,
            False,
            bool(hashes),
            isinstance(ex["acquisition_hashes"], dict) and bool(ex["acquisition_hashes"]),
        ] + [False] * 2
        for is_mono, group in groupby(zip(ev_rows, mono, strict=False), key=lambda rm: rm[1]):
            rows_ = tuple((k, v) for (k, v), _ in group if v)
            blocks.append(KeyValues(rows_, mono_values=is_mono, label_width=lw))
    blocks.append(Heading(L("Signature"), 2))
    if signer and signer.get("type", "").startswith("CMS"):
        blocks.append(
            KeyValues(
                (
                    (L("Signed by"), signer.get("subject", "")),
                    (L("Certificate issuer"), signer.get("issuer", "")),
                ),
                label_width=lw,
            )
        )
        blocks.append(Paragraph(L("Certificate SHA-256 fingerprint"), small=True))
        blocks.append(Paragraph(signer.get("fingerprint", ""), mono=True))
        blocks += L.paragraphs("This PDF carries a PAdES signature made with this certificate.", small=True)
    else:
        blocks += L.paragraphs(
            "This copy is unsigned, so that the bundle's data does not depend on who signs. The signer "
            "and the certificate fingerprint are in bag-info.txt and on the signed copy {path}.",
            small=True,
            path=SIGNED_COPY,
        )
    blocks.append(Heading(L("How to verify"), 2))
    blocks.append(
        Steps(
            (
                (
                    L("Check every file against the manifest (or: bagit.py --validate .)"),
                    "sha256sum -c manifest-sha256.txt",
                ),
                (
                    L("Check the signature over the manifests (X.509, or SSH)"),
                    "openssl cms -verify -binary -inform DER -in signatures/tagmanifest-sha512.txt.p7s "
                    "-content tagmanifest-sha512.txt -CAfile CA.pem -out /dev/null\n"
                    "ssh-keygen -Y verify -f allowed_signers -I PRINCIPAL -n triage-bundle "
                    "-s signatures/tagmanifest-sha512.txt.sig < tagmanifest-sha512.txt",
                ),
                (L("Check this PDF's signature (or open it in a PDF reader)"), f"pdfsig {SIGNED_COPY}"),
            )
        )
    )
    # -- the artifacts
    blocks.append(PageBreak("landscape"))
    blocks.append(Heading(L("Artifacts")))
    blocks.append(
        Table(
            (
                Column(L("Exhibit"), 1.3),
                Column(L("Original path"), 4.5),
                Column(L("Size (bytes)"), 1.3, "right"),
                Column(L("Modified / changed (UTC)"), 2.2),
                Column("SHA-256", 5, mono=True),
                Column(L("Status"), 2.6),
            ),
            tuple(
                (
                    f"{a['id']}\n{a['exhibit']}",
                    a["path"],
                    f"{a['size']:,}",
                    "\n".join(t for t in (a.get("mtime", ""), a.get("ctime", "")) if t),
                    a["sha256"],
                    a["status"] if a["status"] else L("complete"),
                )
                for a in sheet.get("artifacts", [])
            ),
            font_size=7.0,
        )
    )
    # -- custody, versions, completeness
    blocks.append(PageBreak())
    blocks.append(Heading(L("Chain of custody")))
    blocks += L.paragraphs(
        "Every event of the case's audit log, in order (UTC). The hash-chained log is "
        "data/custody/custody-log.jsonl; it has {n} events, the last line's SHA-256 is {head}.",
        small=True,
        n=sheet["custody"]["events"],
        head=sheet["custody"]["last_line_sha256"],
    )
    blocks.append(
        Table(
            (
                Column(L("Time (UTC)"), 2),
                Column(L("Event"), 4),
                Column(L("By"), 2.5),
                Column(L("Details"), 4),
            ),
            tuple(
                (
                    e["ts"],
                    L(ACTIONS[e["action"]]) if e["action"] in ACTIONS else e["action"],
                    e["actor"],
                    e["details"],
                )
                for e in sheet.get("custody_log", [])
            ),
        )
    )
    tool = sheet["tool"]
    blocks.append(Heading(L("Tool and rule versions")))
    vrows = [
        (L("Tool"), f"{tool['name']} {tool['version']}"),
        (L("Settings SHA-256"), tool["settings_sha256"]),
        *((f"{L('Rule set')}: {name}", digest) for name, digest in sorted(tool.get("rule_sets", {}).items())),
        *((name, version) for name, version in sorted(tool.get("versions", {}).items())),
    ]
    blocks.append(KeyValues(tuple(vrows), label_width=lw))
    blocks.append(Heading(L("Completeness")))
    comp = sheet.get("completeness", {})
    entries = comp.get("entries", [])
    if entries:
        blocks += L.paragraphs(
            "What was not fully examined. An absent finding is not proof of absence where this list "
            "names a gap.",
            small=True,
        )
        blocks.append(
            Table(
                (
                    Column(L("Evidence item"), 2),
                    Column(L("Kind"), 1.5),
                    Column(L("Item"), 4),
                    Column(L("Reason"), 4),
                    Column(L("Size (bytes)"), 1.5, "right"),
                ),
                tuple(
                    (
                        e["evidence"] or "",
                        L(e["kind"]),
                        e["item"],
                        e["reason"],
                        "" if e["size"] is None else f"{e['size']:,}",
                    )
                    for e in entries
                ),
            )
        )
        blocks.append(
            Table(
                (
                    Column(L("Kind"), 2),
                    Column(L("Entries"), 1, "right"),
                    Column(L("Size (bytes)"), 2, "right"),
                ),
                tuple((L(t["kind"]), str(t["count"]), f"{t['size']:,}") for t in comp.get("totals", [])),
                caption=L("Totals"),
            )
        )
    else:
        blocks += L.paragraphs(
            "Every selected evidence item was fully examined: the ledger is empty.", small=True
        )
    blocks += (
        L.paragraphs("Confidentiality: {text}", small=True, text=str(req.get("confidentiality", "")))
        if req.get("confidentiality")
        else ()
    )
    blocks += (
        L.paragraphs("Limits on use: {text}", small=True, text=str(req.get("use_limitations", "")))
        if req.get("use_limitations")
        else ()
    )
    return Document(
        title=L("Evidence transfer cover sheet"),
        subtitle=f"{L('Request')} {req.get('reference', '')} · {sheet.get('sent_by', '')}",
        lang=L.lang,
        languages=L.langs,
        blocks=tuple(blocks),
        created=datetime.strptime(summary["case_state_as_of"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC),
        footer=f"{req.get('reference', '')} · {first('Evidence transfer cover sheet')}",
        author=str(sheet["examiner"].get("name", "")),
        subject=f"{req.get('reference', '')}",
        creator=f"{tool['name']} {tool['version']}",
        page_label=first("Page {page} of {pages}", page="{page}", pages="{pages}"),
        contents_label=first("Contents"),
    )


def cover_pdf(
    sheet: dict[str, Any], langs: Sequence[str] = ("en",), signer: dict[str, str] | None = None
) -> bytes:
    """The cover sheet PDF (reproducible: its dates are the case's as-of time)."""
    return render_pdf(cover_document(sheet, langs, signer=signer))


def cover_html(sheet: dict[str, Any], langs: Sequence[str] = ("en",)) -> str:
    return render_html(cover_document(sheet, langs))


def _party(authority: dict[str, Any]) -> str:
    """``name (country)``, as the README names an authority."""
    name, country = str(authority.get("name", "")), str(authority.get("country", ""))
    return f"{name} ({country})" if name and country else name


def _contact(examiner: dict[str, Any]) -> str:
    return ", ".join(str(examiner[k]) for k in ("email", "phone") if examiner.get(k))


def sent_by(cover: dict[str, Any]) -> str:
    """Who sends the bundle: the examiner and their organisation (else the requested authority).

    The README says ``Sent by: <examiner>, <organisation>``; a part not given is left out, never
    replaced by a guess."""
    org = (
        cover["organisation"].get("name")
        or cover["examiner"].get("organisation")
        or cover["requested_authority"].get("name")
        or ""
    )
    name = str(cover["examiner"].get("name", ""))
    return ", ".join(p for p in (name, str(org)) if p)


def _members_text(members: Sequence[dict[str, Any]]) -> list[str]:
    """The README's part on container members: how to extract each from its container, with tools
    that are not ours, and compare its SHA-256."""
    if not members:
        return []
    lines = [
        "CONTAINER MEMBERS",
        "Some files were not read from a file system directly but from inside a container file",
        "(an archive, a compressed file, an e-mail). Each such member is exported with its own bytes",
        "and hashes; its container file is exported too (inventory columns origin = member,",
        "container_artifact_id, member_path; in the CASE graph a Contained_Within relationship from",
        "the member's File to its container's File, with the member path in a PathRelationFacet).",
        "A member of a member chains the same way, up to a file of the file system. To check a member,",
        "extract it from its container with the container's own tool and compare the SHA-256",
        "with the inventory's (from this folder, the bag root):",
    ]
    for m in members:
        lines += [
            f"  {m['id']}: {m['container_kind'] or 'container'} {m['container']}, member path {m['member_path']},",
            f"    sha256 {m['sha256']}",
            f"    {m['check']}",
        ]
    return [*lines, ""]


def readme(cover: dict[str, Any]) -> str:
    """The same text whatever the signature, so that data/ does not depend on the signer."""
    ref = cover["request"]["reference"]
    lines = [
        f"EVIDENCE TRANSFER BUNDLE - request {ref}",
        "=" * 60,
        "",
        f"Requesting authority: {_party(cover['requesting_authority'])}",
        *(
            [f"Requested authority: {_party(cover['requested_authority'])}"]
            if cover["requested_authority"].get("name")
            else []
        ),
        f"Sent by: {sent_by(cover)}",
        *([f"Contact: {contact}"] if (contact := _contact(cover["examiner"])) else []),
        f"Examiner: {', '.join(filter(None, (cover['examiner'].get(k, '') for k in ('name', 'role'))))}",
        f"Files: {cover['summary']['files']} ({cover['summary']['bytes']} bytes)"
        + (" - METADATA ONLY, no file content" if cover["summary"]["metadata_only"] else ""),
        *(
            [
                f"WARNING: {len(cover['summary']['damaged_files'])} file(s) lie in damaged evidence media: "
                f"{', '.join(cover['summary']['damaged_files'])} (see the note column of data/inventory/artifacts.csv)"
            ]
            if cover["summary"].get("damaged_files")
            else []
        ),
        "",
        "This folder is a BagIt 1.0 bag (RFC 8493). Nothing in it needs our software to be checked.",
        "",
        "LAYOUT",
        "  bagit.txt, bag-info.txt          bag declaration; request reference, sender, packaging date",
        "  manifest-sha256/512.txt          hash of every file under data/",
        "  tagmanifest-sha256/512.txt       hash of every tag file (tagmanifest-sha512 also covers sha256)",
        "  export-log.jsonl                 this export's events (real times), chained to the custody log",
        "  data/README.txt                  this file",
        "  data/cover-sheet/                cover sheet (PDF, HTML and JSON; unsigned, names no signer)",
        "  data/case/bundle.jsonld          CASE 1.5.0 / UCO graph",
        "  data/inventory/artifacts.csv     every file: original path and name, name bytes (hex), bundle path,",
        "                                   MD5/SHA-1/SHA-256/SHA-512 (a name that is not valid UTF-8 or holds a",
        "                                   backslash is shown escaped: \\xHH per such byte, \\\\ per backslash)",
        "  data/inventory/left-out.csv      redaction log: selected but left out on purpose, with the reason",
        "  data/inventory/source.dfxml      the same inventory as DFXML",
        "  data/custody/custody-log.jsonl   hash-chained custody events from the case's audit log (UTC)",
        "  data/tool/tool.json              tool, versions, settings, plugin and rule-set versions",
        "  data/artifacts/A0001_<name>      the exported files (original names are in the inventory)",
        "  signatures/                      signature over tagmanifest-sha512.txt (outside the tag manifests)",
        "  signatures/cover-sheet.pdf       the cover sheet naming the signer, PAdES-signed (X.509 signers;",
        "                                   check with pdfsig or any PDF reader)",
        "",
        "HOW TO VERIFY (from this folder, the bag root)",
        "1. Compare the archive's SHA-256 with the covering letter before unpacking",
        "   (sha256sum FILE.tar.age, or Get-FileHash on Windows); decrypt with age.",
        "2. Check the signer's fingerprint through a separate channel, then the signature:",
    ]
    lines += [
        "   CMS (X.509), when signatures/tagmanifest-sha512.txt.p7s is present:",
        "   openssl cms -verify -binary -inform DER -in signatures/tagmanifest-sha512.txt.p7s \\",
        "       -content tagmanifest-sha512.txt -CAfile <CA or signer certificate> -out /dev/null",
        "   openssl x509 -in signatures/signer-cert.pem -noout -fingerprint -sha256",
        "   SSH Ed25519, when signatures/tagmanifest-sha512.txt.sig is present:",
        "   ssh-keygen -Y verify -f <allowed_signers> -I <principal> -n triage-bundle \\",
        "       -s signatures/tagmanifest-sha512.txt.sig < tagmanifest-sha512.txt",
        "   (use an allowed_signers file received separately rather than signatures/allowed_signers;",
        "    ssh-keygen -lf signatures/signer.pub shows the fingerprint)",
        "   The signature covers tagmanifest-sha512.txt, which lists every tag file (including",
        "   tagmanifest-sha256.txt and both payload manifests). A bundle without signatures/ is unsigned.",
    ]
    lines += [
        "3. Check every hash:",
        "   sha512sum -c tagmanifest-sha512.txt",
        "   sha256sum -c manifest-sha256.txt        (or: bagit.py --validate .)",
        "4. Validate the CASE graph: case_validate data/case/bundle.jsonld",
        "   and compare its hashes and the inventory's with the manifests.",
        "5. Optionally re-hash data/artifacts with hashdeep or certutil to match the MD5/SHA-1",
        "   values of the inventory.",
        "",
        *_members_text(cover.get("members") or []),
        "TIMES are UTC. The custody log's lines each carry the SHA-256 of the line before;",
        "export-log.jsonl continues the chain from the custody log's last line.",
        "",
        f"Confidentiality: {cover['request'].get('confidentiality', '')}",
        f"Limits on use: {cover['request'].get('use_limitations', '')}",
        "",
    ]
    return "\n".join(lines)
