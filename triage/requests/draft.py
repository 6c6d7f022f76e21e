"""Draft requests per provider or jurisdiction, as JSON (for case-management systems) and DOCX
(for editing), in the instrument chosen by :mod:`triage.requests.instruments` (Budapest art. 29,
EPOC-PR / EPOC, Second Additional Protocol arts. 6 and 7, UN Convention preservation) and in
one language (labels from ``triage/data/locale/<lang>/requests.po``; user content is never
translated).

Data minimisation: a draft holds only its own group's identifiers; each occurrence's context
is the identifier itself unless ``include_context`` is set, and then every other identifier
found in the same file is redacted from it; identifiers that are not publicly routable
(:func:`~triage.requests.instruments.publicly_routable`) never become a request and are listed
in the summary as "no provider: not publicly routable".

Art. 29(2) lists what a Budapest preservation request must say, and its draft follows it:
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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import triage
from triage.errors import UsageError
from triage.format import iso
from triage.i18n import translator
from triage.identifiers import Group, Occurrence, grouped, occurrences
from triage.requests.instruments import NOT_ROUTABLE, Choice, Parties, choose, publicly_routable
from triage.requests.providers import ProviderMap, default_map

if TYPE_CHECKING:
    from triage.case.store import Case

PLACEHOLDER = "[to be completed]"
SCHEMA = "triage.preservation-request/2"
REDACTED = "[redacted]"
TEMPLATE = "Council of Europe Convention on Cybercrime (ETS 185), art. 29(2): request for expedited preservation (T-CY template)"
PRESERVATION_DAYS = 60

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
    "Please preserve the data for at least 60 days (art. 29(7)) and do not notify the user."
)
_FOLLOW_UP = {
    "budapest-art29": _MLA,
    "uncc-preservation": "The requesting State intends to submit a request for mutual legal assistance for the "
    "search, seizure or disclosure of the data. Please preserve the data and do not notify the user.",
    "epoc-pr": "The issuing authority intends to issue a subsequent request for production of the data "
    "(Regulation (EU) 2023/1543, art. 11).",
    "epoc": "Competent authority to which the data are to be transferred: [to be completed].",
    "sap-art7": "This order is issued under the Second Additional Protocol to the Convention on Cybercrime.",
    "sap-art6": "This request is issued under the Second Additional Protocol to the Convention on Cybercrime.",
}
_CHANNELS = {
    "state": "24/7 point of contact (Convention art. 35) of the requested Party, or the provider directly "
    "where its law allows",
    "provider": "directly to the provider's designated establishment or legal representative",
    "registrar": "directly to the entity providing domain name registration services",
}


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


def redact_context(context: str, own: Iterable[str], others: Iterable[str]) -> str:
    """``context`` with every identifier of ``others`` (except ``own``) replaced by ``[redacted]``,
    including one cut off at either edge of the context window (at least 4 characters of it)."""
    keep = {v for v in own if v}
    out = context
    for v in sorted({v for v in others if v and v not in keep}, key=len, reverse=True):
        if len(v) < 4 or any(v in k for k in keep):
            continue
        out = out.replace(v, REDACTED)
        for n in range(len(v) - 1, 3, -1):  # a suffix of v at the start of the window
            if out.startswith(v[-n:]):
                out = REDACTED + out[n:]
                break
        for n in range(len(v) - 1, 3, -1):  # a prefix of v at the end of the window
            if out.endswith(v[:n]):
                out = out[:-n] + REDACTED
                break
    return out


def build_draft(
    group: Group,
    occs: Sequence[Occurrence],
    request: dict[str, Any],
    pm: ProviderMap,
    case_label: str = "",
    *,
    choice: Choice | None = None,
    language: str = "en",
    include_context: bool = False,
    file_identifiers: dict[int, set[str]] | None = None,
) -> dict[str, Any]:
    """The draft of one group as a JSON-ready dict.

    ``file_identifiers``: per file id, the as-written and normalised values of every identifier
    found in it (what :func:`redact_context` removes from an included context).
    """
    if choice is None:
        choice = choose(requesting=None, requested=None, provider=None, kinds=(), parties=Parties(), pm=pm)
    inst = choice.instrument
    t = translator(language, "requests")
    p = pm.provider(group.provider) if group.provider else None
    kinds = sorted(group.kinds)
    if inst.categories:
        categories = [t(c) for c in inst.categories]
    elif p is not None:
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
                        "context": (
                            redact_context(
                                o.context,
                                (o.value, o.normalised),
                                (file_identifiers or {}).get(o.file_id, ()),
                            )
                            if include_context
                            else o.value
                        ),
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
        "channel": t(_CHANNELS[inst.addressee]),
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
                "eu_services": p.eu_services,
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
        "language": language,
        "title": t(inst.title),
        "template": f"{inst.legal_basis}: {t(inst.title)}",
        "instrument": {
            **choice.to_dict(),
            "title": t(inst.title),
            "legal_basis": inst.legal_basis,
            "purpose": inst.purpose,
            "field_list_source": inst.field_list_source,
            "field_list_verified": inst.verified,
            "sections": [{"key": k, "label": t(label)} for k, label in inst.sections],
            "deadlines": [t(d) for d in inst.deadlines],
        },
        "status": t("DRAFT - to be completed, checked and signed by the requesting authority"),
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
            "context_included": include_context,
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
        "necessity": t(_NECESSITY),
        "mla_intent": t(_FOLLOW_UP[inst.id]),
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


@dataclass(frozen=True)
class NoRequest:
    """An identifier that gets no draft, and why."""

    kind: str
    identifier: str
    reason: str


@dataclass
class DraftResult:
    """What :func:`draft_requests` wrote: the files, one (group, instrument) per draft, and the
    identifiers left out (``no provider: not publicly routable``)."""

    paths: list[Path] = field(default_factory=list)
    drafts: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[NoRequest] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        return {
            "drafts": self.drafts,
            "no_request": [
                {"kind": s.kind, "identifier": s.identifier, "reason": s.reason} for s in self.skipped
            ],
        }


def _routable_group(g: Group) -> tuple[Group, list[NoRequest]]:
    keep, dropped = [], []
    for i in g.identifiers:
        if publicly_routable(i.kind, i.normalised, i.details):
            keep.append(i)
        else:
            dropped.append(NoRequest(i.kind, i.normalised, NOT_ROUTABLE))
    if not dropped:
        return g, []
    kinds: dict[str, int] = {}
    for i in keep:
        kinds[i.kind] = kinds.get(i.kind, 0) + 1
    ids = sorted({f for i in keep for f in i.file_ids})
    return (
        Group(
            g.key,
            g.label,
            g.provider,
            g.provider_name,
            g.legal_name,
            g.jurisdiction,
            g.note,
            kinds,
            keep,
            sum(i.count for i in keep),
            g.first_seen,
            g.last_seen,
            ids,
        ),
        dropped,
    )


def draft_requests(
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
    requesting_state: str | None = None,
    requested_state: str | None = None,
    instrument: str | None = None,
    purpose: str = "preservation",
    language: str = "en",
    include_context: bool = False,
    parties: Parties | None = None,
) -> DraftResult:
    """Write one draft per selected group into ``out`` (see the module docstring).

    ``requesting_state`` defaults to the request's ``requesting_authority.country``;
    ``requested_state`` to the group's jurisdiction (the provider's seat, the phone or IBAN
    country). ``with_crypto`` adds every virtual-currency address of the case to each
    provider's draft (for exchanges: "tell us whether your customers used these addresses").

    Raises:
        UsageError: nothing matches ``provider``, or only identifiers that are not publicly routable.
    """
    from triage.requests.instruments import parse_state

    pm = pm or default_map()
    parties = parties or Parties.load()
    request = request or {}
    ra = request.get("requesting_authority")
    if requesting_state is None and isinstance(ra, dict) and ra.get("country"):
        requesting_state = parse_state(str(ra["country"]), "requesting_authority.country")
    result = DraftResult()
    groups = select_groups(case, provider, kind, pm)
    if file_ids is not None:
        keep = set(file_ids)
        groups = [g for g in groups if keep & set(g.file_ids)]
    routable = []
    for g in groups:
        g2, dropped = _routable_group(g)
        result.skipped += dropped
        if g2.identifiers:
            routable.append(g2)
    if not routable:
        raise UsageError(
            f"no identifiers for provider {provider!r} in this case"
            + (f" ({len(result.skipped)} {NOT_ROUTABLE})" if result.skipped else "")
            + (" (see 'triage identifiers CASE')" if provider else "")
        )
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    every = occurrences(case, None, None, pm, file_ids)
    in_file: dict[int, set[str]] = {}
    for o in every:
        in_file.setdefault(o.file_id, set()).update((o.value, o.normalised))
    crypto = [o for o in every if o.kind == "crypto"] if with_crypto else []
    for g in routable:
        wanted = {(i.kind, i.normalised) for i in g.identifiers}
        occs = [
            o
            for o in every
            if o.attribution.group == g.key
            and (o.kind, o.normalised) in wanted
            and (kind is None or o.kind == kind)
        ]
        if with_crypto and g.provider is not None:
            occs = occs + [o for o in crypto if o not in occs]
            g = _merge(g, crypto)
        prov = pm.provider(g.provider) if g.provider else None
        choice = choose(
            requesting=requesting_state,
            requested=requested_state or g.jurisdiction,
            provider=prov,
            kinds=sorted(g.kinds),
            parties=parties,
            pm=pm,
            purpose=purpose,
            override=instrument,
        )
        draft = build_draft(
            g,
            occs,
            request,
            pm,
            case_label=str(Path(case.path).name),
            choice=choice,
            language=language,
            include_context=include_context,
            file_identifiers=in_file,
        )
        stem = f"{choice.instrument.stem}-{slug(g.key)}"
        files = []
        if "json" in formats:
            path = out / f"{stem}.json"
            path.write_text(
                json.dumps(draft, indent=2, ensure_ascii=False, sort_keys=False) + "\n", encoding="utf-8"
            )
            files.append(path)
        if "docx" in formats:
            from triage.requests.docx_render import write_docx

            path = out / f"{stem}.docx"
            write_docx(draft, path)
            files.append(path)
        result.paths += files
        result.drafts.append({"group": g.key, **choice.to_dict(), "files": [p.name for p in files]})
    return result


def write_drafts(case: Case, out: str | Path, **options: Any) -> list[Path]:
    """:func:`draft_requests`, returning only the written paths."""
    return draft_requests(case, out, **options).paths


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
