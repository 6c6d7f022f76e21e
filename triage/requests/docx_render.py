"""Render a draft preservation request (see :mod:`triage.requests.draft`) as an editable DOCX.

Written with python-docx; the archive is then rewritten with fixed member times and core
properties so the same draft always gives the same bytes.
"""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from docx import Document

_FIXED = (1980, 1, 1, 0, 0, 0)


def _pairs(doc: Any, rows: list[tuple[str, Any]]) -> None:
    table = doc.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, value in rows:
        cells = table.add_row().cells
        cells[0].text = label
        cells[1].text = ", ".join(map(str, value)) if isinstance(value, list) else str(value)


def render(draft: dict[str, Any]) -> Any:
    """The python-docx ``Document`` of a draft."""
    doc = Document()
    doc.core_properties.title = "Request for expedited preservation of stored computer data"
    doc.core_properties.author = "triage"
    doc.core_properties.created = datetime(2000, 1, 1, tzinfo=UTC)
    doc.core_properties.modified = datetime(2000, 1, 1, tzinfo=UTC)
    doc.core_properties.last_modified_by = "triage"
    doc.core_properties.revision = 1
    doc.add_heading("Request for expedited preservation of stored computer data", level=0)
    doc.add_paragraph(draft["template"])
    doc.add_paragraph(draft["status"]).runs[0].bold = True
    _pairs(doc, [("Date", draft["date"]), ("Reference", draft["reference"]), ("Case", draft["case"])])

    a = draft["addressee"]
    doc.add_heading("Addressee (custodian of the data, art. 29(2)(d))", level=1)
    _pairs(
        doc,
        [
            ("Group", a["label"]),
            ("Provider", a.get("name")),
            ("Legal entity", a.get("legal_name")),
            ("Seat", a.get("seat", "")),
            ("Jurisdiction", f"{a['jurisdiction']} {a['country']}"),
            ("Budapest Convention", a["budapest_convention"]),
            ("Law-enforcement portal", a.get("le_portal", "")),
            ("How to send", a.get("le_contact", "")),
            ("Channel", a["channel"]),
            ("Note", a.get("custodian_note", "")),
        ],
    )

    doc.add_heading("(a) Requesting authority", level=1)
    _pairs(doc, [(k.replace("_", " ").capitalize(), v) for k, v in draft["requesting_authority"].items()])

    doc.add_heading("(b) Offence and summary of the facts", level=1)
    o = draft["offence"]
    _pairs(doc, [("Offence", o["offence"]), ("Legal provisions", o["legal_provisions"])])
    doc.add_paragraph(str(o["summary_of_facts"]))

    d = draft["data_to_preserve"]
    doc.add_heading("(c) Stored computer data to be preserved", level=1)
    doc.add_heading("Identifiers", level=2)
    table = doc.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    for cell, text in zip(
        table.rows[0].cells, ("Kind", "Identifier", "Details", "Found in (file, offset)"), strict=True
    ):
        cell.text = text
    for ident in d["identifiers"]:
        cells = table.add_row().cells
        cells[0].text = ident["kind"]
        cells[1].text = ident["identifier"]
        cells[2].text = "; ".join(
            f"{k}: {ident[k]}"
            for k in (
                "currency",
                "address_type",
                "country",
                "line_type",
                "original_carrier",
                "checksum",
                "scope",
            )
            if k in ident
        )
        cells[3].text = "\n".join(f"{f['path']} @ {f['offset']} ({f['encoding']})" for f in ident["found_in"])
    doc.add_heading("Data categories", level=2)
    for c in d["data_categories"]:
        doc.add_paragraph(c, style="List Bullet")
    if d["requested_categories"] != "[to be completed]":
        doc.add_paragraph("Requested: " + ", ".join(map(str, d["requested_categories"])))
    doc.add_heading("Time range", level=2)
    tr = d["time_range"]
    req = tr["requested"]
    seen = tr["identifiers_seen"]
    _pairs(
        doc,
        [
            ("Requested period", f"{req.get('start')} to {req.get('end')}"),
            ("Identifiers seen", f"{seen['from']} to {seen['to']}"),
            ("Basis", seen["basis"]),
        ],
    )
    doc.add_heading("Relationship to the offence", level=2)
    doc.add_paragraph(d["relationship_to_offence"])

    doc.add_heading("(e) Necessity of preservation", level=1)
    doc.add_paragraph(draft["necessity"])
    doc.add_heading("(f) Mutual legal assistance request to follow", level=1)
    doc.add_paragraph(draft["mla_intent"])

    doc.add_heading("Evidence: source files", level=1)
    table = doc.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ("Image / partition", "Path", "SHA-256"), strict=True):
        cell.text = text
    for f in draft["evidence"]:
        cells = table.add_row().cells
        cells[0].text = f"{f['evidence']} / {f['partition']}"
        cells[1].text = f["path"] + (" (deleted)" if f["deleted"] else "")
        cells[2].text = f["sha256"] or "(not hashed)"
    doc.add_paragraph(
        f"Prepared with {draft['tool']['name']} {draft['tool']['version']}; provider data "
        f"version {draft['provider_data']['version']}."
    )
    doc.add_paragraph("Signature: [to be completed]")
    return doc


def write_docx(draft: dict[str, Any], path: Path) -> None:
    """Write the DOCX with fixed archive member times (reproducible bytes)."""
    buf = io.BytesIO()
    render(draft).save(buf)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(buf.getvalue())) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=_FIXED)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    Path(path).write_bytes(out.getvalue())
