"""Draft preservation requests (Budapest Convention art. 29(2), T-CY template) per provider
or jurisdiction, as JSON (for case-management systems) and DOCX (for editing).

Art. 29(2) lists what a preservation request must say; the draft follows it:
(a) the authority seeking preservation; (b) the offence and a brief summary of the facts;
(c) the data to be preserved and its relationship to the offence; (d) what identifies the
custodian or the location of the data; (e) why preservation is necessary; (f) that an MLA
request will follow. Request metadata comes from the same TOML file as ``triage export
--request`` (``examples/request.toml``); what it lacks is written as ``[to be completed]``.

Drafts are reproducible: the same case, selection and request give byte-identical files
(no "now" timestamps; the DOCX archive has fixed member times).
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import triage
from triage.errors import UsageError
from triage.format import iso
from triage.identifiers import Group, Occurrence, grouped, occurrences
from triage.requests.providers import ProviderMap, default_map

if TYPE_CHECKING:
    from triage.case.store import Case

PLACEHOLDER = "[to be completed]"
SCHEMA = "triage.preservation-request/1"
TEMPLATE = "Council of Europe Convention on Cybercrime (ETS 185), art. 29(2): request for expedited preservation (T-CY template)"
PRESERVATION_DAYS = 90

_CATEGORIES = {
    "provider": [
        "subscriber information: registration data, names, addresses, telephone numbers and e-mail addresses on file, account creation date and IP address",
        "traffic data: log-in and log-out records with IP addresses, source ports and time stamps (UTC)",
        "stored content associated with the identifiers (messages, files, posts), for preservation only",
    ],
    "exchange": [
        "customer due diligence (KYC) records of the customers linked to the identifiers",
        "deposit and withdrawal records, including for the listed virtual-currency addresses",
        "log-in records with IP addresses and device identifiers",
    ],
    "crypto": [
        "customer due diligence (KYC) records of any customer who deposited to or withdrew to the listed addresses",
        "transaction records involving the listed addresses",
    ],
    "phone": ["subscriber information of the numbers", "traffic data: call detail records and location data"],
    "iban": ["account holder and authorised persons", "account statements and transaction records"],
    "ip": [
        "subscriber to whom the address was assigned at the times listed (with source ports where NAT is used)"
    ],
    "domain": ["registrant and hosting customer records", "server logs relating to the identifiers"],
}
_NECESSITY = (
    "Stored computer data held by the provider is volatile and may be deleted in the ordinary course of "
    "business or by the account holder. Preservation is needed until the mutual legal assistance request "
    "below can be transmitted."
)
_MLA = (
    "The requesting authority intends to submit a request for mutual assistance for the search or similar "
    "access, seizure or similar securing, or disclosure of the data (Convention on Cybercrime, art. 29(2)(f)). "
    f"Please preserve the data for at least {PRESERVATION_DAYS} days (art. 29(7)) and do not notify the user."
)


def load_request(path: str | Path | None) -> dict[str, Any]:
    """The request metadata tables of an ``--request`` TOML file (``{}`` when no file is given).

    Raises:
        UsageError: the file cannot be read or is not valid TOML.
    """
    if path is None:
        return {}
    p = Path(path)
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise UsageError(f"{p}: cannot read request metadata: {exc}") from exc
    return dict(_plain(data))


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%SZ") if value.tzinfo else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def _get(req: dict[str, Any], table: str, key: str) -> Any:
    value = req.get(table, {}).get(key) if isinstance(req.get(table), dict) else None
    return PLACEHOLDER if value in (None, "", []) else value


def slug(text: str) -> str:
    """A safe file-name part for a group key (``currency:Bitcoin`` -> ``currency-bitcoin``)."""
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-") or "group"


def build_draft(
    group: Group, occs: Sequence[Occurrence], request: dict[str, Any], pm: ProviderMap, case_label: str = ""
) -> dict[str, Any]:
    """The draft of one group as a JSON-ready dict."""
    p = pm.provider(group.provider) if group.provider else None
    kinds = sorted(group.kinds)
    if p is not None:
        categories = list(_CATEGORIES["exchange" if p.exchange else "provider"])
    else:
        categories = [c for k in kinds for c in _CATEGORIES.get(k, [])]
    requested = (
        request.get("request", {}).get("data_categories")
        if isinstance(request.get("request"), dict)
        else None
    )
    country = pm.country(group.jurisdiction)
    files: dict[int, dict[str, Any]] = {}
    for o in occs:
        files.setdefault(
            o.file_id,
            {
                "file_id": o.file_id,
                "evidence": o.evidence,
                "partition": o.partition,
                "path": o.path,
                "deleted": o.deleted,
                "sha256": o.sha256,
            },
        )
    req_range = (
        request.get("request", {}).get("time_range") if isinstance(request.get("request"), dict) else None
    )
    seen = {
        "from": iso(group.first_seen),
        "to": iso(group.last_seen),
        "basis": "earliest and latest file times (modified, accessed, changed, created; UTC) of the files "
        "the identifiers were found in",
    }
    identifiers = []
    for s in group.identifiers:
        found = [o for o in occs if o.kind == s.kind and o.normalised == s.normalised]
        identifiers.append(
            {
                "kind": s.kind,
                "identifier": s.normalised,
                "as_found": s.value,
                "occurrences": s.count,
                **{
                    k: v
                    for k, v in s.details.items()
                    if k
                    in (
                        "currency",
                        "address_type",
                        "country",
                        "line_type",
                        "original_carrier",
                        "checksum",
                        "scope",
                    )
                },
                "found_in": [
                    {
                        "file_id": o.file_id,
                        "path": o.path,
                        "sha256": o.sha256,
                        "offset": o.offset,
                        "encoding": o.encoding,
                        "context": o.context,
                    }
                    for o in found
                ],
            }
        )
    addressee: dict[str, Any] = {
        "group": group.key,
        "label": group.label,
        "jurisdiction": group.jurisdiction or PLACEHOLDER,
        "country": country.get("name", PLACEHOLDER) if group.jurisdiction else PLACEHOLDER,
        "budapest_convention": country.get("budapest", "[check the treaty office]"),
        "channel": "24/7 point of contact (Convention art. 35) of the requested Party, or the provider directly where its law allows",
    }
    if p is not None:
        addressee.update(
            {
                "provider": p.id,
                "name": p.name,
                "legal_name": p.legal_name,
                "seat": p.seat,
                "le_portal": p.le_portal,
                "le_contact": p.le_contact,
                "services": list(p.services),
            }
        )
    else:
        addressee.update(
            {"provider": None, "name": PLACEHOLDER, "legal_name": PLACEHOLDER, "custodian_note": group.note}
        )
    ra = (
        request.get("requesting_authority", {})
        if isinstance(request.get("requesting_authority"), dict)
        else {}
    )
    return {
        "schema": SCHEMA,
        "template": TEMPLATE,
        "status": "DRAFT - to be completed, checked and signed by the requesting authority",
        "date": PLACEHOLDER,
        "reference": _get(request, "request", "reference"),
        "case": case_label,
        "addressee": addressee,
        "requesting_authority": {
            k: (ra.get(k) or PLACEHOLDER)
            for k in ("name", "country", "contact", "email", "phone", "address", "reference")
        },
        "offence": {
            "offence": _get(request, "request", "offence"),
            "legal_provisions": _get(request, "request", "legal_provisions"),
            "summary_of_facts": _get(request, "request", "summary"),
        },
        "data_to_preserve": {
            "identifiers": identifiers,
            "data_categories": categories,
            "requested_categories": requested or PLACEHOLDER,
            "time_range": {
                "requested": req_range or {"start": seen["from"] or PLACEHOLDER, "end": PLACEHOLDER},
                "identifiers_seen": seen,
            },
            "relationship_to_offence": (
                "The identifiers were found on media seized in the investigation, in the files listed under "
                "'evidence' (paths inside the forensic images, SHA-256 of each file). " + PLACEHOLDER
            ),
        },
        "custodian": group.label if p is None else f"{p.legal_name}, {p.seat}",
        "necessity": _NECESSITY,
        "mla_intent": _MLA,
        "evidence": sorted(files.values(), key=lambda f: f["file_id"]),
        "provider_data": {"version": pm.version},
        "tool": {"name": "triage", "version": triage.__version__},
    }


def select_groups(
    case: Case, provider: str | None = None, kind: str | None = None, pm: ProviderMap | None = None
) -> list[Group]:
    """The groups a draft is made for; ``provider="all"`` (or None) means every group."""
    wanted = None if provider in (None, "all") else provider
    return grouped(case, kind=kind, provider=wanted, providers=pm)


def write_drafts(
    case: Case,
    out: str | Path,
    *,
    provider: str | None = None,
    kind: str | None = None,
    request: dict[str, Any] | None = None,
    with_crypto: bool = False,
    formats: Sequence[str] = ("json", "docx"),
    pm: ProviderMap | None = None,
    file_ids: Sequence[int] | None = None,
) -> list[Path]:
    """Write one draft per selected group into ``out``; returns the written paths.

    ``with_crypto`` adds every virtual-currency address of the case to each provider's draft
    (for exchanges: "tell us whether your customers used these addresses").

    Raises:
        UsageError: nothing matches ``provider``.
    """
    pm = pm or default_map()
    groups = select_groups(case, provider, kind, pm)
    if file_ids is not None:
        keep = set(file_ids)
        groups = [g for g in groups if keep & set(g.file_ids)]
    if not groups:
        raise UsageError(
            f"no identifiers for provider {provider!r} in this case"
            + (" (see 'triage identifiers CASE')" if provider else "")
        )
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    crypto = occurrences(case, "crypto", providers=pm, file_ids=file_ids) if with_crypto else []
    for g in groups:
        occs = occurrences(case, kind, None, pm, file_ids)
        occs = [o for o in occs if o.attribution.group == g.key]
        if with_crypto and g.provider is not None:
            occs = occs + [o for o in crypto if o not in occs]
            g = _merge(g, crypto)
        draft = build_draft(g, occs, request or {}, pm, case_label=str(Path(case.path).name))
        stem = f"preservation-{slug(g.key)}"
        if "json" in formats:
            path = out / f"{stem}.json"
            path.write_text(
                json.dumps(draft, indent=2, ensure_ascii=False, sort_keys=False) + "\n", encoding="utf-8"
            )
            written.append(path)
        if "docx" in formats:
            from triage.requests.docx_render import write_docx

            path = out / f"{stem}.docx"
            write_docx(draft, path)
            written.append(path)
    return written


def _merge(group: Group, crypto: Sequence[Occurrence]) -> Group:
    from triage.identifiers import IdentifierSummary

    g = Group(
        group.key,
        group.label,
        group.provider,
        group.provider_name,
        group.legal_name,
        group.jurisdiction,
        group.note,
        dict(group.kinds),
        list(group.identifiers),
        group.occurrences,
        group.first_seen,
        group.last_seen,
        list(group.file_ids),
    )
    have = {(i.kind, i.normalised) for i in g.identifiers}
    for o in crypto:
        if (o.kind, o.normalised) in have:
            continue
        have.add((o.kind, o.normalised))
        g.identifiers.append(
            IdentifierSummary(
                o.kind,
                o.normalised,
                o.value,
                o.count,
                [o.file_id],
                {k: o.details[k] for k in ("currency", "address_type") if k in o.details},
            )
        )
        g.kinds["crypto"] = g.kinds.get("crypto", 0) + 1
        if o.file_id not in g.file_ids:
            g.file_ids.append(o.file_id)
    return g
