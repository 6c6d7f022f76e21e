"""Provider and jurisdiction mapping for identifiers (pure logic, shared by core and plugin).

The curated data ships with the built-in plugins (``triage_plugins/data/providers.toml``);
it is located without importing the plugin package. A user file of the same layout in the
user config folder (``~/.config/triage/providers.toml`` on Linux) is merged over it: a
``[[provider]]`` with a known ``id`` replaces the fields it gives, a new ``id`` is added.
"""

from __future__ import annotations

import importlib.util
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import platformdirs

from triage.errors import UsageError

_PROVIDER_KEYS = {
    "id",
    "name",
    "legal_name",
    "country",
    "seat",
    "le_portal",
    "le_contact",
    "services",
    "domains",
    "exchange",
    "notes",
    "eu_services",
}


def builtin_path() -> Path | None:
    """``triage_plugins/data/providers.toml``, found without importing the plugin package."""
    spec = importlib.util.find_spec("triage_plugins")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(list(spec.submodule_search_locations)[0]) / "data" / "providers.toml"
    return path if path.is_file() else None


def user_path() -> Path:
    """The user's extension file (it need not exist)."""
    return Path(platformdirs.user_config_dir("triage")) / "providers.toml"


@dataclass(frozen=True)
class Provider:
    """A service provider and where to send a request."""

    id: str
    name: str
    legal_name: str
    country: str
    seat: str = ""
    le_portal: str = ""
    le_contact: str = ""
    services: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()
    exchange: bool = False
    notes: str = ""
    eu_services: bool = False
    """Offers its services in the European Union (an EPOC / EPOC-PR can be addressed to it)."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "legal_name": self.legal_name,
            "country": self.country,
            "seat": self.seat,
            "le_portal": self.le_portal,
            "le_contact": self.le_contact,
            "services": list(self.services),
            "exchange": self.exchange,
            "notes": self.notes,
            "eu_services": self.eu_services,
        }


@dataclass(frozen=True)
class Attribution:
    """Where an identifier belongs: a provider, or a group without one (currency, country, domain)."""

    group: str
    """Stable group key: the provider id, or ``currency:Bitcoin``, ``phone:GB``, ``domain:example.org`` …"""
    label: str
    provider: Provider | None = None
    jurisdiction: str | None = None
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "group": self.group,
            "label": self.label,
            "provider": self.provider.id if self.provider else None,
            "provider_name": self.provider.name if self.provider else None,
            "legal_name": self.provider.legal_name if self.provider else None,
            "jurisdiction": self.jurisdiction,
        }


@dataclass
class ProviderMap:
    """The merged provider data and the lookup over it."""

    providers: dict[str, Provider] = field(default_factory=dict)
    currencies: dict[str, dict[str, str]] = field(default_factory=dict)
    kinds: dict[str, dict[str, str]] = field(default_factory=dict)
    countries: dict[str, dict[str, str]] = field(default_factory=dict)
    version: str = "none"
    sources: list[str] = field(default_factory=list)
    _by_domain: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, paths: Sequence[Path] | None = None) -> ProviderMap:
        """Built-in data, then the user file, then ``paths`` (later files win).

        Raises:
            UsageError: a file is not valid TOML or a provider lacks a required field.
        """
        files = [p for p in (builtin_path(), user_path()) if p is not None and p.is_file()]
        files += [Path(p) for p in paths or ()]
        pm = cls()
        raw: dict[str, dict[str, Any]] = {}
        versions = []
        for path in files:
            try:
                data = tomllib.loads(path.read_text(encoding="utf-8"))
            except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
                raise UsageError(f"{path}: cannot read provider data: {exc}") from exc
            pm.sources.append(str(path))
            versions.append(str(data.get("version", "unversioned")))
            for n, p in enumerate(data.get("provider", []), 1):
                if not isinstance(p, dict) or not p.get("id"):
                    raise UsageError(f"{path}: provider #{n} has no id")
                unknown = set(p) - _PROVIDER_KEYS
                if unknown:
                    raise UsageError(
                        f"{path}: provider {p['id']}: unknown key(s) {', '.join(sorted(unknown))}"
                    )
                raw.setdefault(str(p["id"]), {}).update(p)
            for c in data.get("currency", []):
                pm.currencies.setdefault(str(c["name"]), {}).update({k: str(v) for k, v in c.items()})
            for k in data.get("kind", []):
                pm.kinds.setdefault(str(k["kind"]), {}).update({a: str(v) for a, v in k.items()})
            for c in data.get("country", []):
                pm.countries.setdefault(str(c["code"]).upper(), {}).update({a: str(v) for a, v in c.items()})
        for pid, p in raw.items():
            missing = [k for k in ("name", "legal_name", "country") if not p.get(k)]
            if missing:
                raise UsageError(f"provider {pid}: missing {', '.join(missing)}")
            prov = Provider(
                id=pid,
                name=str(p["name"]),
                legal_name=str(p["legal_name"]),
                country=str(p["country"]).upper(),
                seat=str(p.get("seat", "")),
                le_portal=str(p.get("le_portal", "")),
                le_contact=str(p.get("le_contact", "")),
                services=tuple(p.get("services", ())),
                domains=tuple(d.lower().strip(".") for d in p.get("domains", ())),
                exchange=bool(p.get("exchange", False)),
                notes=str(p.get("notes", "")),
                eu_services=bool(p.get("eu_services", False)),
            )
            pm.providers[pid] = prov
            for d in prov.domains:
                pm._by_domain[d] = pid
        pm.version = "+".join(versions) if versions else "none"
        return pm

    def provider(self, key: str) -> Provider | None:
        """A provider by id or (case-insensitive) name."""
        if key in self.providers:
            return self.providers[key]
        low = key.casefold()
        return next((p for p in self.providers.values() if low in (p.id.casefold(), p.name.casefold())), None)

    def for_host(self, host: str) -> Provider | None:
        """The provider of a host name: its longest listed parent domain."""
        labels = host.lower().strip(".").split(".")
        for i in range(len(labels) - 1):
            pid = self._by_domain.get(".".join(labels[i:]))
            if pid is not None:
                return self.providers[pid]
        return None

    def attribute(self, kind: str, normalised: str, details: Mapping[str, Any]) -> Attribution:
        """Where one identifier belongs."""
        if kind in ("email", "url", "domain"):
            host = str(details.get("host") or details.get("domain") or normalised.rpartition("@")[2])
            prov = self.for_host(host)
            if prov is not None:
                return Attribution(
                    prov.id, f"{prov.name} ({prov.legal_name}, {prov.country})", prov, prov.country
                )
            if details.get("ip"):
                return self._kind("ip", {"scope": "address in a URL"}, "ip:url")
            dom = str(details.get("registrable_domain") or host)
            return self._kind("domain", {"domain": dom}, f"domain:{dom}")
        if kind == "crypto":
            cur = str(details.get("currency", "unknown"))
            c = self.currencies.get(cur, {})
            return Attribution(
                f"currency:{cur}", c.get("label", f"virtual currency ({cur})"), None, None, c.get("note", "")
            )
        if kind in ("phone", "iban"):
            country = str(details.get("country") or "??").upper()
            return self._kind(kind, {"country": country}, f"{kind}:{country}", country)
        if kind == "ip":
            scope = str(details.get("scope", "global"))
            return self._kind("ip", {"scope": "public" if scope == "global" else scope}, f"ip:{scope}")
        return Attribution(f"{kind}:other", kind)

    def _kind(
        self, kind: str, values: dict[str, str], group: str, jurisdiction: str | None = None
    ) -> Attribution:
        k = self.kinds.get(kind, {})
        label = k.get("label", f"{kind} ({{}})").format_map(_Default(values))
        return Attribution(group, label, None, jurisdiction, k.get("note", ""))

    def country(self, code: str | None) -> dict[str, str]:
        """What the data says about a country (``name``, ``budapest``); empty when unknown."""
        return dict(self.countries.get((code or "").upper(), {}))


class _Default(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "?"


@lru_cache(maxsize=1)
def default_map() -> ProviderMap:
    """The built-in plus user data, loaded once per process."""
    return ProviderMap.load()
