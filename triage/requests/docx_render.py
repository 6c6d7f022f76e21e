"""Render a draft request (see :mod:`triage.requests.draft`) as an editable DOCX.

Written with python-docx, in the instrument's section order and the draft's language (labels
from the ``requests`` catalogue; identifiers, paths and request metadata are never translated;
Arabic paragraphs are marked right to left). The archive is then rewritten with fixed member
times and core properties so the same draft always gives the same bytes.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from docx import Document
from docx.oxml import OxmlElement

from triage.i18n import direction, translator

_FIXED = (1980, 1, 1, 0, 0, 0)
#: Every label this module translates (tests check each catalogue has them all).
LABELS = (
    "Group",
    "Provider",
    "Legal entity",
    "Seat",
    "Jurisdiction",
    "Budapest Convention",
    "Law-enforcement portal",
    "How to send",
    "Channel",
    "Note",
    "Name",
    "Country",
    "Contact",
    "E-mail",
    "Telephone",
    "Address",
    "Reference",
    "Offence",
    "Legal provisions",
    "Identifiers",
    "Kind",
    "Identifier",
    "Details",
    "Found in (file, offset)",
    "Context (other identifiers redacted)",
    "Data categories",
    "Requested",
    "Time range",
    "Requested period",
    "Identifiers seen",
    "Basis",
    "Relationship to the offence",
    "Image / partition",
    "Path",
    "SHA-256",
    "deleted",
    "not hashed",
    "Date",
    "Case",
    "Instrument chosen",
    "Field list from",
    "Prepared with",
    "provider data version",
    "Signature",
)
_DETAILS = ("currency", "address_type", "country", "line_type", "original_carrier", "checksum", "scope")


def _rtl(paragraph: Any) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    ppr.append(OxmlElement("w:bidi"))


class _Writer:
    def __init__(self, doc: Any, lang: str) -> None:
        self.doc = doc
        self.t = translator(lang, "requests")
        self.rtl = direction(lang) == "rtl"

    def para(self, text: str, style: str | None = None) -> Any:
        p = self.doc.add_paragraph(text, style=style)
        if self.rtl:
            _rtl(p)
        return p

    def heading(self, text: str, level: int) -> None:
        h = self.doc.add_heading(text, level=level)
        if self.rtl:
            _rtl(h)

    def pairs(self, rows: list[tuple[str, Any]]) -> None:
        table = self.doc.add_table(rows=0, cols=2)
        table.style = "Table Grid"
        if self.rtl:
            tbl_pr = table._tbl.tblPr
            tbl_pr.append(OxmlElement("w:bidiVisual"))
        for label, value in rows:
            cells = table.add_row().cells
            cells[0].text = self.t(label)
            cells[1].text = ", ".join(map(str, value)) if isinstance(value, list) else str(value)

    def grid(self, header: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
        table = self.doc.add_table(rows=1, cols=len(header))
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, header, strict=True):
            cell.text = self.t(text)
        for row in rows:
            for cell, text in zip(table.add_row().cells, row, strict=True):
                cell.text = text


def _addressee(w: _Writer, d: dict[str, Any]) -> None:
    a = d["addressee"]
    w.pairs(
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
        ]
    )


def _authority(w: _Writer, d: dict[str, Any]) -> None:
    ra = d["requesting_authority"]
    labels = {
        "name": "Name",
        "country": "Country",
        "contact": "Contact",
        "email": "E-mail",
        "phone": "Telephone",
        "address": "Address",
        "reference": "Reference",
    }
    w.pairs([(labels.get(k, k), v) for k, v in ra.items()])


def _offence(w: _Writer, d: dict[str, Any]) -> None:
    o = d["offence"]
    w.pairs([("Offence", o["offence"]), ("Legal provisions", o["legal_provisions"])])
    w.para(str(o["summary_of_facts"]))


def _data(w: _Writer, d: dict[str, Any]) -> None:
    data = d["data_to_preserve"]
    w.heading(w.t("Identifiers"), 2)
    w.grid(
        ("Kind", "Identifier", "Details", "Found in (file, offset)"),
        [
            (
                i["kind"],
                i["identifier"],
                "; ".join(f"{k}: {i[k]}" for k in _DETAILS if k in i),
                "\n".join(f"{f['path']} @ {f['offset']} ({f['encoding']})" for f in i["found_in"]),
            )
            for i in data["identifiers"]
        ],
    )
    if data.get("context_included"):
        w.heading(w.t("Context (other identifiers redacted)"), 2)
        for i in data["identifiers"]:
            for f in i["found_in"]:
                w.para(f"{i['identifier']}: {f['context']}")
    w.heading(w.t("Data categories"), 2)
    for c in data["data_categories"]:
        w.para(c, style="List Bullet")
    if data["requested_categories"] != "[to be completed]":
        w.para(w.t("Requested") + ": " + ", ".join(map(str, data["requested_categories"])))
    w.heading(w.t("Time range"), 2)
    req = data["time_range"]["requested"]
    seen = data["time_range"]["identifiers_seen"]
    w.pairs(
        [
            ("Requested period", f"{req.get('start')} - {req.get('end')}"),
            ("Identifiers seen", f"{seen['from']} - {seen['to']}"),
            ("Basis", seen["basis"]),
        ]
    )
    w.heading(w.t("Relationship to the offence"), 2)
    w.para(data["relationship_to_offence"])


def _evidence(w: _Writer, d: dict[str, Any]) -> None:
    w.grid(
        ("Image / partition", "Path", "SHA-256"),
        [
            (
                f"{f['evidence']} / {f['partition']}",
                f["path"] + (" (" + w.t("deleted") + ")" if f["deleted"] else ""),
                f["sha256"] or "(" + w.t("not hashed") + ")",
            )
            for f in d["evidence"]
        ],
    )


def _deadlines(w: _Writer, d: dict[str, Any]) -> None:
    for line in d["instrument"]["deadlines"]:
        w.para(line, style="List Bullet")


_SECTIONS: dict[str, Callable[[_Writer, dict[str, Any]], None]] = {
    "addressee": _addressee,
    "authority": _authority,
    "offence": _offence,
    "data": _data,
    "necessity": lambda w, d: w.para(d["necessity"]),
    "follow_up": lambda w, d: w.para(d["mla_intent"]),
    "statement": lambda w, d: w.para(d["mla_intent"]),
    "deadlines": _deadlines,
    "evidence": _evidence,
}


def render(draft: dict[str, Any]) -> Any:
    """The python-docx ``Document`` of a draft."""
    lang = str(draft.get("language", "en"))
    doc = Document()
    w = _Writer(doc, lang)
    inst = draft["instrument"]
    doc.core_properties.title = draft["title"]
    doc.core_properties.author = "triage"
    doc.core_properties.language = lang
    doc.core_properties.created = datetime(2000, 1, 1, tzinfo=UTC)
    doc.core_properties.modified = datetime(2000, 1, 1, tzinfo=UTC)
    doc.core_properties.last_modified_by = "triage"
    doc.core_properties.revision = 1
    w.heading(draft["title"], 0)
    w.para(inst["legal_basis"])
    w.para(draft["status"]).runs[0].bold = True
    w.pairs(
        [
            ("Date", draft["date"]),
            ("Reference", draft["reference"]),
            ("Case", draft["case"]),
            ("Instrument chosen", inst["rule"]),
            ("Field list from", inst["field_list_source"]),
        ]
    )
    for section in inst["sections"]:
        w.heading(section["label"], 1)
        _SECTIONS[section["key"]](w, draft)
    w.para(
        w.t("Prepared with")
        + f" {draft['tool']['name']} {draft['tool']['version']}; "
        + w.t("provider data version")
        + f" {draft['provider_data']['version']}."
    )
    w.para(w.t("Signature") + ": [to be completed]")
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
