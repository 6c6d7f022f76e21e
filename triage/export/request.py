"""Request metadata: the mutual legal assistance request a bundle answers.

Read from a TOML file (see ``examples/request.toml``), a mapping (the GUI wizard sends flat
keys such as ``reference`` and ``requesting_authority``) and CLI overrides. A missing
required field raises :class:`UsageError` naming the field (``request.legal_basis``).
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from triage.errors import UsageError

REQUIRED = ("request.reference", "request.legal_basis", "requesting_authority.name", "examiner.name")

_REQUEST_KEYS = {
    "reference",
    "date",
    "status",
    "legal_basis",
    "case_number",
    "court_case_number",
    "prosecutor_reference",
    "offence",
    "summary",
    "data_categories",
    "time_range",
    "confidentiality",
    "use_limitations",
    "languages",
    "notes",
}
_AUTHORITY_KEYS = {
    "name",
    "country",
    "contact",
    "email",
    "phone",
    "address",
    "timezone",
    "channel",
    "reference",
}
_EXAMINER_KEYS = {"name", "given_name", "family_name", "role", "email", "phone", "organisation"}
_ORG_KEYS = {"name", "address", "email", "phone", "country"}
_EXHIBIT_KEYS = {"number", "evidence", "description", "root"}
_TABLES = {"request", "requesting_authority", "requested_authority", "examiner", "organisation", "exhibits"}
# Flat keys the GUI wizard and the batch runner may send, mapped onto the tables.
_FLAT = {
    "reference": ("request", "reference"),
    "legal_basis": ("request", "legal_basis"),
    "case_number": ("request", "case_number"),
    "notes": ("request", "notes"),
    "requesting_country": ("requesting_authority", "country"),
    "organisation": ("organisation", "name"),
    "organization": ("organisation", "name"),
}


@dataclass
class Exhibit:
    number: str
    evidence: str = ""  # image file name, path or evidence id this exhibit is; "" = every image
    description: str = ""
    root: str = ""


@dataclass
class Request:
    """Everything the cover sheet, bag-info and CASE graph say about the request."""

    request: dict[str, Any]
    requesting_authority: dict[str, str]
    requested_authority: dict[str, str] = field(default_factory=dict)
    examiner: dict[str, str] = field(default_factory=dict)
    organisation: dict[str, str] = field(default_factory=dict)
    exhibits: list[Exhibit] = field(default_factory=list)

    @property
    def reference(self) -> str:
        return str(self.request["reference"])

    @property
    def legal_basis(self) -> str:
        return str(self.request["legal_basis"])

    def exhibit_for(self, evidence: Mapping[str, Any], index: int) -> Exhibit:
        """The exhibit of one image: matched by id, file name or path; else ``E<n>`` of the reference."""
        name = Path(str(evidence["path"])).name
        for ex in self.exhibits:
            if ex.evidence in (str(evidence["id"]), name, str(evidence["path"])):
                return ex
        if len(self.exhibits) == 1 and not self.exhibits[0].evidence:
            return self.exhibits[0]
        return Exhibit(
            number=f"{self.reference}-E{index}", evidence=name, description="(no exhibit number given)"
        )

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def load_request(
    source: Request | Mapping[str, Any] | str | Path | None, overrides: Mapping[str, Any] | None = None
) -> Request:
    """A validated :class:`Request` from a TOML path, a mapping or a Request, plus overrides.

    ``overrides`` uses dotted keys (``{"request.reference": "X", "examiner.name": "Y"}``).
    """
    if isinstance(source, Request):
        data: dict[str, Any] = source.to_dict()
    elif source is None:
        data = {}
    elif isinstance(source, str | Path):
        path = Path(source)
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise UsageError(f"{path}: cannot read the request file: {exc.strerror or exc}") from exc
        except tomllib.TOMLDecodeError as exc:
            raise UsageError(f"{path}: not valid TOML: {exc}") from exc
    else:
        data = _unflatten(source)
    data = {k: (dict(v) if isinstance(v, Mapping) else v) for k, v in data.items()}
    for key, value in (overrides or {}).items():
        if value in (None, ""):
            continue
        table, _, name = key.partition(".")
        if table == "exhibits":
            data["exhibits"] = [{"number": str(value)}]
        else:
            data.setdefault(table, {})[name] = value
    return _validate(data)


def _unflatten(flat: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in flat.items():
        if key in _TABLES:
            if isinstance(value, str) and key != "exhibits":
                out.setdefault(key, {})["name"] = value  # "requesting_authority": "Prosecutor, X"
            elif isinstance(value, Mapping):
                out.setdefault(key, {}).update(value)
            else:
                out[key] = value
        elif key in _FLAT:
            table, name = _FLAT[key]
            out.setdefault(table, {})[name] = value
        elif key in _REQUEST_KEYS:
            out.setdefault("request", {})[key] = value
        else:
            raise UsageError(f"request: unknown field {key!r}")
    return out


def _validate(data: dict[str, Any]) -> Request:
    for key in data:
        if key not in _TABLES:
            raise UsageError(f"request: unknown table or field {key!r} (known: {', '.join(sorted(_TABLES))})")
    tables: dict[str, dict[str, Any]] = {}
    for table, known in (
        ("request", _REQUEST_KEYS),
        ("requesting_authority", _AUTHORITY_KEYS),
        ("requested_authority", _AUTHORITY_KEYS),
        ("examiner", _EXAMINER_KEYS),
        ("organisation", _ORG_KEYS),
    ):
        value = data.get(table, {})
        if not isinstance(value, Mapping):
            raise UsageError(f"request: [{table}] must be a table")
        for key in value:
            if key not in known:
                raise UsageError(f"request: unknown field {table}.{key}")
        tables[table] = {k: _plain(v, f"{table}.{k}") for k, v in value.items()}
    for dotted in REQUIRED:
        table, name = dotted.split(".")
        value = tables[table].get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            raise UsageError(f"request: missing required field {dotted}")
    req = tables["request"]
    for key in ("data_categories", "languages"):
        if key in req and (not isinstance(req[key], list) or not all(isinstance(v, str) for v in req[key])):
            raise UsageError(f"request: request.{key} must be a list of strings")
    if "time_range" in req:
        tr = req["time_range"]
        if not isinstance(tr, Mapping) or not set(tr) <= {"start", "end"}:
            raise UsageError("request: request.time_range must be a table with start and end")
    exhibits = []
    raw = data.get("exhibits", [])
    if not isinstance(raw, list):
        raise UsageError("request: exhibits must be an array of tables ([[exhibits]])")
    for i, ex in enumerate(raw, 1):
        if not isinstance(ex, Mapping):
            raise UsageError(f"request: exhibits[{i}] must be a table")
        unknown = set(ex) - _EXHIBIT_KEYS
        if unknown:
            raise UsageError(f"request: unknown field exhibits[{i}].{sorted(unknown)[0]}")
        if not str(ex.get("number", "")).strip():
            raise UsageError(f"request: missing required field exhibits[{i}].number")
        exhibits.append(Exhibit(**{k: str(v) for k, v in ex.items()}))
    return Request(
        request=req,
        requesting_authority=tables["requesting_authority"],
        requested_authority=tables["requested_authority"],
        examiner=tables["examiner"],
        organisation=tables["organisation"],
        exhibits=exhibits,
    )


def _plain(value: Any, where: str) -> Any:
    """TOML dates and times become ISO strings (the JSON and CASE outputs want text)."""
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {k: _plain(v, f"{where}.{k}") for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v, where) for v in value]
    if isinstance(value, str | int | float | bool):
        return value
    raise UsageError(f"request: {where} has an unsupported value")
