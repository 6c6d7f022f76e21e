"""The cover sheet (transfer annex) as JSON and PDF, and the bundle's README.txt.

Both hold case data only (the PDF's creation date is the case's as-of time), so they are
byte-reproducible like the rest of ``data/``.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from fpdf import FPDF

FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"))


def cover_json(cover: dict[str, Any]) -> str:
    return json.dumps(cover, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def _flatten(prefix: str, value: Any) -> list[tuple[str, str]]:
    if isinstance(value, dict):
        out: list[tuple[str, str]] = []
        for k, v in value.items():
            out += _flatten(f"{prefix}.{k}" if prefix else k, v)
        return out
    if isinstance(value, list):
        if all(not isinstance(v, dict | list) for v in value):
            return [(prefix, ", ".join(str(v) for v in value))]
        out = []
        for i, v in enumerate(value, 1):
            out += _flatten(f"{prefix}[{i}]", v)
        return out
    return [(prefix, "" if value is None else str(value))]


def cover_pdf(cover: dict[str, Any], as_of: datetime) -> bytes:
    """A plain A4 cover sheet: every field of the JSON, grouped by section."""
    pdf = FPDF(format="A4")
    pdf.set_creation_date(as_of)
    pdf.set_title(f"Evidence transfer cover sheet {cover['request']['reference']}")
    pdf.set_creator(cover["tool"]["name"] + " " + cover["tool"]["version"])
    pdf.set_producer("fpdf2")
    family = "Helvetica"
    for d in FONT_DIRS:
        if (d / "DejaVuSans.ttf").is_file() and (d / "DejaVuSans-Bold.ttf").is_file():
            pdf.add_font("DejaVu", "", str(d / "DejaVuSans.ttf"))
            pdf.add_font("DejaVu", "B", str(d / "DejaVuSans-Bold.ttf"))
            family = "DejaVu"
            break

    def clean(s: str) -> str:
        s = "".join(c if c.isprintable() else "\ufffd" for c in s)
        return s if family == "DejaVu" else s.encode("latin-1", "replace").decode("latin-1")

    pdf.set_auto_page_break(True, margin=15)
    pdf.add_page()
    pdf.set_font(family, "B", 15)
    pdf.multi_cell(
        0,
        8,
        clean(f"Evidence transfer cover sheet - request {cover['request']['reference']}"),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_font(family, "", 9)
    pdf.multi_cell(0, 5, clean(cover["notice"]), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    for section, value in cover.items():
        if section == "notice":
            continue
        pdf.set_font(family, "B", 11)
        pdf.multi_cell(0, 7, clean(section.replace("_", " ").capitalize()), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(family, "", 9)
        for key, text in _flatten("", value):
            pdf.multi_cell(0, 5, clean(f"{key}: {text}" if key else text), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)
    return bytes(pdf.output())


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
        "  data/cover-sheet/                cover sheet (PDF and JSON)",
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
        "TIMES are UTC. The custody log's lines each carry the SHA-256 of the line before;",
        "export-log.jsonl continues the chain from the custody log's last line.",
        "",
        f"Confidentiality: {cover['request'].get('confidentiality', '')}",
        f"Limits on use: {cover['request'].get('use_limitations', '')}",
        "",
    ]
    return "\n".join(lines)
