"""Request instruments (Budapest art. 29, EU EPOC-PR / EPOC, Second Additional Protocol arts. 6
and 7, UN Convention preservation) and the choice between them from the requesting and
requested States and the provider.

Each :class:`Instrument` says where its field list comes from (``field_list_source``) and
whether that text was read (``verified``); docs/identifiers.md, "Request instruments", cites
every article and annex with where it was checked. Party lists are data
(``triage/data/parties.toml``, each with its source and date), not code.
"""

from __future__ import annotations

import ipaddress
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from triage.errors import UsageError
from triage.requests.providers import Provider, ProviderMap

NOT_ROUTABLE = "no provider: not publicly routable"


@dataclass(frozen=True)
class Instrument:
    """One request form: its sections (label msgids, in order), deadlines and data categories."""

    id: str
    title: str
    legal_basis: str
    purpose: str  # preservation | production | disclosure
    addressee: str  # provider | state | registrar
    sections: tuple[tuple[str, str], ...]
    """(content key, label msgid); content keys: authority, addressee, offence, data, necessity,
    follow_up, statement, deadlines, evidence."""
    deadlines: tuple[str, ...]
    categories: tuple[str, ...]
    field_list_source: str
    verified: bool

    @property
    def stem(self) -> str:
        """File-name prefix: preservation instruments keep ``preservation-``."""
        return "preservation" if self.purpose == "preservation" else self.id


_ART29 = Instrument(
    id="budapest-art29",
    title="Request for expedited preservation of stored computer data",
    legal_basis="Convention on Cybercrime (ETS 185), art. 29(2); art. 30 for traffic data",
    purpose="preservation",
    addressee="state",
    sections=(
        ("addressee", "(d) Custodian of the data or location of the computer system"),
        ("authority", "(a) Authority seeking the preservation"),
        ("offence", "(b) Offence and brief summary of the related facts"),
        ("data", "(c) Stored computer data to be preserved and its relationship to the offence"),
        ("necessity", "(e) Necessity of the preservation"),
        ("follow_up", "(f) Mutual legal assistance request to follow"),
        ("deadlines", "Time limits"),
        ("evidence", "Evidence: source files"),
    ),
    deadlines=(
        "Preservation for a period of not less than sixty days (art. 29(7)).",
        "Where the preserved traffic data show that another State's provider took part in the "
        "transmission, expedited disclosure of enough traffic data to identify it (art. 30).",
    ),
    categories=(),
    field_list_source="Convention on Cybercrime (ETS 185), art. 29(2)(a)-(f)",
    verified=True,
)

_EPOC_PR = Instrument(
    id="epoc-pr",
    title="European Preservation Order Certificate (EPOC-PR)",
    legal_basis="Regulation (EU) 2023/1543, arts. 6 and 11, Annex II",
    purpose="preservation",
    addressee="provider",
    sections=(
        ("authority", "Section A: Issuing/validating authority"),
        ("addressee", "Section B: Addressee"),
        ("offence", "Offence and grounds for the order"),
        ("data", "Data to be preserved"),
        ("deadlines", "Time limits"),
        ("follow_up", "Subsequent request for production"),
        ("evidence", "Evidence: source files"),
    ),
    deadlines=(
        "Preserve the data without undue delay after receipt (art. 11(1)).",
        "The obligation to preserve ceases after 60 days unless the issuing authority confirms, with "
        "the form in Annex V, that a subsequent request for production has been issued (art. 11(1)).",
        "The issuing authority may extend preservation by a further 30 days with the form in Annex VI "
        "(art. 11(1)).",
    ),
    categories=(
        "subscriber data",
        "data requested for the sole purpose of identifying the user",
        "traffic data",
        "content data",
    ),
    field_list_source="Regulation (EU) 2023/1543, Annex II: introductory text and Sections A and B "
    "read; the further sections of the official form were not read and must be completed on the form itself",
    verified=False,
)

_EPOC = Instrument(
    id="epoc",
    title="European Production Order Certificate (EPOC)",
    legal_basis="Regulation (EU) 2023/1543, arts. 5 and 10, Annex I",
    purpose="production",
    addressee="provider",
    sections=(
        ("authority", "Section A: Issuing/validating authority"),
        ("addressee", "Section B: Addressee"),
        ("deadlines", "Section C (deadlines)"),
        ("offence", "Offence and grounds for the order"),
        ("data", "Data to be produced"),
        ("follow_up", "Section L, point (a) (authority to which the data are to be transmitted)"),
        ("evidence", "Evidence: source files"),
    ),
    deadlines=(
        "Transmit the data at the latest within 10 days of receipt of the EPOC (art. 10(2) and (3)).",
        "In emergency cases: without undue delay, at the latest within 8 hours of receipt (art. 10(4)).",
        "On receipt, act expeditiously to preserve the data requested (Annex I, introductory text).",
    ),
    categories=_EPOC_PR.categories,
    field_list_source="Regulation (EU) 2023/1543, Annex I: introductory text and Sections A, B, C "
    "and L(a) read; the further sections of the official form were not read and must be completed "
    "on the form itself",
    verified=False,
)

_SAP7 = Instrument(
    id="sap-art7",
    title="Order for the disclosure of subscriber information",
    legal_basis="Second Additional Protocol to the Convention on Cybercrime (CETS 224), art. 7",
    purpose="disclosure",
    addressee="provider",
    sections=(
        ("authority", "Issuing authority and date of issue"),
        ("statement", "Statement that the order is issued under the Second Additional Protocol"),
        ("addressee", "Service provider to be served"),
        ("offence", "Offence that is the subject of the investigation or proceeding"),
        ("data", "Subscriber information sought"),
        ("deadlines", "Time frame and manner of disclosure"),
        ("evidence", "Evidence: source files"),
    ),
    deadlines=("Time frame and manner of disclosure: [to be completed] (art. 7(4)).",),
    categories=("subscriber information",),
    field_list_source="Second Additional Protocol (CETS 224), art. 7(3) and (4), as known from the "
    "published text; the text could not be re-read on 2026-12-02: verify the field list",
    verified=False,
)

_SAP6 = Instrument(
    id="sap-art6",
    title="Request for domain name registration information",
    legal_basis="Second Additional Protocol to the Convention on Cybercrime (CETS 224), art. 6",
    purpose="disclosure",
    addressee="registrar",
    sections=(
        ("authority", "Date of the request, identity and contact details of the competent authority"),
        ("data", "Domain name and the information sought"),
        ("statement", "Statement that the request is issued under the Second Additional Protocol"),
        ("deadlines", "Time frame and manner of disclosure"),
        ("addressee", "Entity providing domain name registration services"),
        ("evidence", "Evidence: source files"),
    ),
    deadlines=("Time frame and manner of disclosure: [to be completed] (art. 6(3)).",),
    categories=("information for identifying or contacting the registrant of a domain name",),
    field_list_source="Second Additional Protocol (CETS 224), art. 6(1) and 6(3)(a)-(b), read in the "
    "Council of Europe draft of April 2021 as published by ICANN; the rest of art. 6(3) was not read: verify",
    verified=False,
)

_UNCC = Instrument(
    id="uncc-preservation",
    title="Request for expedited preservation of stored electronic data",
    legal_basis="United Nations Convention against Cybercrime (General Assembly, 24 December 2024), "
    "article on international cooperation for the expedited preservation of stored electronic data "
    "[article number not verified]",
    purpose="preservation",
    addressee="state",
    sections=_ART29.sections,
    deadlines=("Time limits: [to be completed from the Convention's text].",),
    categories=(),
    field_list_source="field list from the Convention on Cybercrime (ETS 185), art. 29(2); the UN "
    "Convention's own text could not be read on 2026-12-02: verify the article number and field list",
    verified=False,
)

INSTRUMENTS: dict[str, Instrument] = {i.id: i for i in (_EPOC_PR, _EPOC, _SAP6, _SAP7, _ART29, _UNCC)}


@dataclass(frozen=True)
class PartyList:
    title: str
    source: str
    as_of: str
    members: frozenset[str]


@dataclass
class Parties:
    """The party lists (``eu``, ``protocol2``, ``uncc``, extra ``budapest``) and their sources."""

    lists: dict[str, PartyList] = field(default_factory=dict)
    sources: list[str] = field(default_factory=list)

    @classmethod
    def load(cls, paths: Sequence[str | Path] = ()) -> Parties:
        """The built-in lists, then ``paths`` (a list named there replaces the built-in one).

        Raises:
            UsageError: a file cannot be read, or a member is not an ISO 3166 alpha-2 code.
        """
        out = cls()
        builtin = resources.files("triage.data") / "parties.toml"
        items: list[tuple[str, str]] = [("triage/data/parties.toml", builtin.read_text(encoding="utf-8"))]
        for p in paths:
            try:
                items.append((str(p), Path(p).read_text(encoding="utf-8")))
            except (OSError, UnicodeDecodeError) as exc:
                raise UsageError(f"{p}: cannot read party lists: {exc}") from exc
        for name, text in items:
            try:
                data = tomllib.loads(text)
            except tomllib.TOMLDecodeError as exc:
                raise UsageError(f"{name}: cannot read party lists: {exc}") from exc
            out.sources.append(f"{name} (version {data.get('version', 'unversioned')})")
            for key in ("eu", "protocol2", "uncc", "budapest"):
                table = data.get(key)
                if not isinstance(table, dict):
                    continue
                members = [str(m).upper() for m in table.get("members", [])]
                for m in members:
                    if not check_state(m):
                        raise UsageError(f"{name}: [{key}] member {m!r} is not an ISO 3166 alpha-2 code")
                out.lists[key] = PartyList(
                    str(table.get("title", key)),
                    str(table.get("source", name)),
                    str(table.get("as_of", "")),
                    frozenset(members),
                )
        return out

    def member(self, key: str, state: str | None) -> bool:
        lst = self.lists.get(key)
        return bool(state) and lst is not None and state in lst.members

    def budapest(self, state: str | None, pm: ProviderMap) -> bool:
        """Party to ETS 185: the provider data's ``[[country]] budapest``, plus a ``budapest`` list."""
        if not state:
            return False
        return pm.country(state).get("budapest") == "party" or self.member("budapest", state)

    def to_dict(self) -> dict[str, Any]:
        return {
            k: {"title": v.title, "source": v.source, "as_of": v.as_of, "members": sorted(v.members)}
            for k, v in sorted(self.lists.items())
        }


def check_state(code: str) -> bool:
    """An ISO 3166-1 alpha-2 code as phonenumbers knows the regions (``001`` and the like excluded)."""
    import phonenumbers

    return len(code) == 2 and code.isalpha() and code.upper() in phonenumbers.SUPPORTED_REGIONS


def parse_state(value: str | None, option: str) -> str | None:
    """``de`` -> ``DE``; anything not an ISO 3166 alpha-2 code is a usage error naming the option."""
    if value is None or not value.strip():
        return None
    code = value.strip().upper()
    if not check_state(code):
        raise UsageError(f"{option}: {value!r} is not an ISO 3166-1 alpha-2 country code (e.g. DE, IE, US)")
    return code


def offers_services_in_eu(p: Provider | None, parties: Parties) -> bool:
    """A provider established in a bound Member State, or one the data says offers services in the EU."""
    if p is None:
        return False
    return p.eu_services or parties.member("eu", p.country)


@dataclass(frozen=True)
class Choice:
    """The chosen instrument and why (the rule, in words, for the draft and the summary)."""

    instrument: Instrument
    rule: str
    requesting_state: str | None
    requested_state: str | None
    override: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.instrument.id,
            "rule": self.rule,
            "override": self.override,
            "requesting_state": self.requesting_state,
            "requested_state": self.requested_state,
        }


def choose(
    *,
    requesting: str | None,
    requested: str | None,
    provider: Provider | None,
    kinds: Sequence[str],
    parties: Parties,
    pm: ProviderMap,
    purpose: str = "preservation",
    override: str | None = None,
) -> Choice:
    """The instrument for one draft (the table in docs/identifiers.md, first rule that applies).

    1. override given: that instrument;
    2. requesting State bound by Reg. 2023/1543 and a provider offering services in the EU:
       EPOC-PR (preservation) or EPOC (production);
    3. both States Parties to the Second Additional Protocol: art. 6 for a domain without a
       provider (to the registrar or registry), art. 7 for a provider (subscriber information);
    4. both States Parties to the Budapest Convention: art. 29;
    5. both States Parties to the UN Convention: its preservation article;
    6. otherwise art. 29, marked "[check]" (no treaty relation found in the data).
    """
    if override is not None:
        if override not in INSTRUMENTS:
            raise UsageError(
                f"--instrument: unknown instrument {override!r} (choose from {', '.join(INSTRUMENTS)})"
            )
        return Choice(
            INSTRUMENTS[override], "chosen by the examiner (--instrument)", requesting, requested, True
        )
    if requesting is None:
        return Choice(
            _ART29, "requesting State not given (--from): art. 29 assumed [check]", requesting, requested
        )
    if parties.member("eu", requesting) and offers_services_in_eu(provider, parties):
        inst = _EPOC if purpose == "production" else _EPOC_PR
        return Choice(
            inst,
            f"{requesting} is bound by Regulation (EU) 2023/1543 and the provider offers services in the Union",
            requesting,
            requested,
        )
    if parties.member("protocol2", requesting) and parties.member("protocol2", requested):
        if provider is None and "domain" in kinds:
            return Choice(
                _SAP6,
                f"{requesting} and {requested} are Parties to CETS 224; domain name",
                requesting,
                requested,
            )
        if provider is not None:
            return Choice(
                _SAP7, f"{requesting} and {requested} are Parties to CETS 224", requesting, requested
            )
    if parties.budapest(requesting, pm) and parties.budapest(requested, pm):
        return Choice(_ART29, f"{requesting} and {requested} are Parties to ETS 185", requesting, requested)
    if parties.member("uncc", requesting) and parties.member("uncc", requested):
        return Choice(
            _UNCC,
            f"{requesting} and {requested} are Parties to the UN Convention against Cybercrime",
            requesting,
            requested,
        )
    return Choice(
        _ART29,
        f"no treaty relation between {requesting} and {requested or '?'} in the party data: art. 29 "
        "assumed [check the applicable mutual legal assistance treaty]",
        requesting,
        requested,
    )


def publicly_routable(kind: str, normalised: str, details: Mapping[str, Any]) -> bool:
    """Whether a request can be made for this identifier: IP addresses (also as a URL's host)
    must be global (``ipaddress``'s ``is_global``: no private, reserved, loopback, link-local,
    CGNAT 100.64/10 or documentation range)."""
    host: str | None = None
    if kind == "ip":
        host = normalised
    elif kind == "url" and details.get("ip"):
        host = urlsplit(normalised).hostname or str(details.get("host", ""))
    if host is None:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_global
    except ValueError:
        return True
