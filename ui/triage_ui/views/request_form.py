"""The request and sender fields shared by the export wizard and the preservation-request dialog.

One field per cover-sheet entry (request, requesting authority, requested authority or
provider, organisation, examiner), each shown with its own error line so that a missing
required field is named next to it and the dialog stays open with what was typed.

Prefill order: the case's own information (:class:`triage.case.records.CaseInfo`) first, then
what was typed at the last export. The request and the requesting authority are remembered per
case (another case must not inherit a foreign reference); the sender sections (requested
authority, organisation, examiner) for every case. A remembered section's details are used only
together with its own name, so one examiner's telephone is never shown under another's name.
Passwords are never remembered.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel, QLineEdit, QSizePolicy, QVBoxLayout, QWidget

from triage.case.records import CaseInfo
from triage.export.request import REQUIRED

CTX = "RequestForm"
ERROR_STYLE = "color: #c62828"


def tr(text: str) -> str:
    return QCoreApplication.translate(CTX, text)


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 (the name lupdate looks for)
    """Mark ``text`` for translation in ``context``; it is translated where it is shown (:func:`tr`)."""
    return text


@dataclass(frozen=True)
class Field:
    """One line edit: ``key`` is its object name, ``table.name`` the request field it fills."""

    key: str
    table: str
    name: str
    label: str
    placeholder: str = ""


@dataclass(frozen=True)
class Section:
    """A group of fields; ``sender`` sections are remembered for every case, the others per case."""

    table: str
    title: str
    fields: tuple[Field, ...]
    sender: bool = False


def _f(key: str, table: str, name: str, label: str, placeholder: str = "") -> Field:
    return Field(key, table, name, label, placeholder)


REFERENCE = _f(
    "reference",
    "request",
    "reference",
    QT_TRANSLATE_NOOP(CTX, "Request reference"),
    QT_TRANSLATE_NOOP(CTX, "the requesting authority's reference, e.g. MLA-2026-0042"),
)
LEGAL_BASIS = _f(
    "legal_basis",
    "request",
    "legal_basis",
    QT_TRANSLATE_NOOP(CTX, "Legal basis"),
    QT_TRANSLATE_NOOP(CTX, "treaty or instrument and articles, e.g. Budapest Convention art. 31"),
)
CASE_NUMBER = _f("case_number", "request", "case_number", QT_TRANSLATE_NOOP(CTX, "Our case number"))
OFFENCE = _f("offence", "request", "offence", QT_TRANSLATE_NOOP(CTX, "Offence"))
SUMMARY = _f("summary", "request", "summary", QT_TRANSLATE_NOOP(CTX, "Summary of the facts"))
NOTES = _f("notes", "request", "notes", QT_TRANSLATE_NOOP(CTX, "Notes"))


def _authority(prefix: str, table: str, name_label: str) -> tuple[Field, ...]:
    return (
        _f(table, table, "name", name_label),
        _f(f"{prefix}_country", table, "country", QT_TRANSLATE_NOOP(CTX, "Country"), "FR, NL, …"),
        _f(f"{prefix}_address", table, "address", QT_TRANSLATE_NOOP(CTX, "Address")),
        _f(f"{prefix}_contact", table, "contact", QT_TRANSLATE_NOOP(CTX, "Contact person")),
        _f(f"{prefix}_email", table, "email", QT_TRANSLATE_NOOP(CTX, "E-mail")),
        _f(f"{prefix}_phone", table, "phone", QT_TRANSLATE_NOOP(CTX, "Telephone")),
    )


REQUESTING = _authority("requesting", "requesting_authority", QT_TRANSLATE_NOOP(CTX, "Name"))
REQUESTED = _authority("requested", "requested_authority", QT_TRANSLATE_NOOP(CTX, "Name"))
ORGANISATION = (
    _f("organisation", "organisation", "name", QT_TRANSLATE_NOOP(CTX, "Name")),
    _f("organisation_address", "organisation", "address", QT_TRANSLATE_NOOP(CTX, "Address")),
)
EXAMINER = (
    _f("examiner", "examiner", "name", QT_TRANSLATE_NOOP(CTX, "Name")),
    _f("examiner_role", "examiner", "role", QT_TRANSLATE_NOOP(CTX, "Role"), "Digital forensic examiner"),
    _f("examiner_email", "examiner", "email", QT_TRANSLATE_NOOP(CTX, "E-mail")),
    _f("examiner_phone", "examiner", "phone", QT_TRANSLATE_NOOP(CTX, "Telephone")),
)

EXPORT_REQUEST = (
    Section(
        "request", QT_TRANSLATE_NOOP(CTX, "Request"), (REFERENCE, LEGAL_BASIS, CASE_NUMBER, OFFENCE, NOTES)
    ),
    Section("requesting_authority", QT_TRANSLATE_NOOP(CTX, "Requesting authority (who asked)"), REQUESTING),
)
EXPORT_SENDER = (
    Section(
        "requested_authority",
        QT_TRANSLATE_NOOP(CTX, "Requested authority or provider (who answers)"),
        REQUESTED[:3] + REQUESTED[4:5],
        sender=True,
    ),
    Section("organisation", QT_TRANSLATE_NOOP(CTX, "Organisation (your unit)"), ORGANISATION, sender=True),
    Section("examiner", QT_TRANSLATE_NOOP(CTX, "Examiner (you)"), EXAMINER, sender=True),
)
DRAFT = (
    Section("request", QT_TRANSLATE_NOOP(CTX, "Request"), (REFERENCE, OFFENCE, SUMMARY)),
    Section("requesting_authority", QT_TRANSLATE_NOOP(CTX, "Requesting authority (who asks)"), REQUESTING),
)


def export_required() -> set[str]:
    """The keys of the fields the core's request check requires (``triage.export.request.REQUIRED``)."""
    wanted = {tuple(d.split(".")) for d in REQUIRED}
    return {f.key for s in EXPORT_REQUEST + EXPORT_SENDER for f in s.fields if (f.table, f.name) in wanted}


# -- remembering -----------------------------------------------------------------------------------------
def case_key(case_path: Path) -> str:
    return hashlib.sha256(str(Path(case_path).resolve()).encode()).hexdigest()[:16]


def _memory_key(section: Section, case_path: Path) -> str:
    where = "sender" if section.sender else f"case/{case_key(case_path)}"
    return f"export/{where}/{section.table}"


def _load(settings: QSettings, key: str) -> dict[str, str]:
    raw = settings.value(key)
    try:
        data = json.loads(str(raw)) if raw else {}
    except ValueError:
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def prefill(
    sections: Iterable[Section], info: CaseInfo | None, settings: QSettings | None, case_path: Path
) -> dict[str, str]:
    """Initial text per field key: the case's information, then the remembered values."""
    out: dict[str, str] = {}
    for section in sections:
        remembered = _load(settings, _memory_key(section, case_path)) if settings is not None else {}
        ident = section.fields[0] if section.table != "request" else None
        own_name = getattr(info, ident.key, "").strip() if info is not None and ident is not None else ""
        same = ident is None or not own_name or remembered.get(ident.key, "") == own_name
        for f in section.fields:
            value = getattr(info, f.key, "") if info is not None and f.key in CaseInfo.FIELDS else ""
            if not str(value).strip() and same:
                value = remembered.get(f.key, "")
            if str(value).strip():
                out[f.key] = str(value).strip()
    return out


def remember(
    sections: Iterable[Section], values: Mapping[str, str], settings: QSettings | None, case_path: Path
) -> None:
    """Keep what was typed for the next export (sender sections for every case, the rest per case)."""
    if settings is None:
        return
    for section in sections:
        key = _memory_key(section, case_path)
        data = _load(settings, key)  # another dialog may show other fields of the same section
        for f in section.fields:
            if values.get(f.key):
                data[f.key] = values[f.key]
            else:
                data.pop(f.key, None)
        settings.setValue(key, json.dumps(data, sort_keys=True))
    settings.sync()


# -- the widget ------------------------------------------------------------------------------------------
class RequestFields(QWidget):
    """Group boxes of line edits with an error line under each (hidden until a check fails)."""

    def __init__(
        self, sections: Iterable[Section], required: set[str] | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.sections = tuple(sections)
        self.required = set(required or ())
        self.edits: dict[str, QLineEdit] = {}
        self.errors: dict[str, QLabel] = {}
        self.fields: dict[str, Field] = {}
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        for section in self.sections:
            box = QGroupBox(tr(section.title))
            box.setObjectName(f"section_{section.table}")
            form = QFormLayout(box)
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
            for f in section.fields:
                cell = QWidget()
                cl = QVBoxLayout(cell)
                cl.setContentsMargins(0, 0, 0, 0)
                cl.setSpacing(1)
                edit = QLineEdit()
                edit.setObjectName(f.key)
                edit.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)  # never squashed
                if f.placeholder:
                    edit.setPlaceholderText(tr(f.placeholder))
                error = QLabel("")
                error.setObjectName(f"{f.key}_error")
                error.setStyleSheet(ERROR_STYLE)
                error.setWordWrap(True)
                error.hide()
                cl.addWidget(edit)
                cl.addWidget(error)
                edit.textChanged.connect(lambda _t, k=f.key: self.clear_error(k))
                label = tr(f.label) + (" *" if f.key in self.required else "")
                form.addRow(label, cell)
                self.edits[f.key], self.errors[f.key], self.fields[f.key] = edit, error, f
            lay.addWidget(box)
        if self.required:
            note = QLabel(tr("* required for the cover sheet"))
            lay.addWidget(note)
        lay.addStretch(1)

    def focus_first_empty(self) -> None:
        """Put the cursor where typing starts: the first empty required field, else the first empty one."""
        empty = [k for k, e in self.edits.items() if not e.text().strip()]
        first = next((k for k in empty if k in self.required), empty[0] if empty else None)
        if first is not None:
            self.edits[first].setFocus()

    def set_values(self, values: Mapping[str, str]) -> None:
        for key, text in values.items():
            if key in self.edits:
                self.edits[key].setText(text)

    def values(self) -> dict[str, str]:
        """The non-empty fields, by key, with surrounding blanks removed."""
        return {k: e.text().strip() for k, e in self.edits.items() if e.text().strip()}

    def tables(self) -> dict[str, dict[str, Any]]:
        """The request as tables, as :func:`triage.export.request.load_request` reads them."""
        out: dict[str, dict[str, Any]] = {}
        for key, text in self.values().items():
            f = self.fields[key]
            out.setdefault(f.table, {})[f.name] = text
        return out

    def show_error(self, key: str, message: str) -> None:
        self.errors[key].setText(message)
        self.errors[key].show()

    def clear_error(self, key: str) -> None:
        self.errors[key].hide()
        self.errors[key].setText("")

    def check(self) -> list[str]:
        """Name every missing required field or malformed e-mail next to it; the keys in error.

        The first field in error gets the focus; nothing typed is changed."""
        bad: list[str] = []
        values = self.values()
        for key in self.edits:
            if key in self.required and key not in values:
                self.show_error(key, tr("Required: the cover sheet cannot be made without it."))
                bad.append(key)
            elif key.endswith("email") and key in values and "@" not in values[key]:
                self.show_error(key, tr("This is not an e-mail address."))
                bad.append(key)
            else:
                self.clear_error(key)
        if bad:
            self.edits[bad[0]].setFocus()
        return bad
