"""Interesting-file rules: name/path globs or regular expressions, MIME types, libmagic
descriptions, header bytes, size range and deleted-or-not, from TOML (or YAML) rule files.

A rule matches when every criterion it gives matches (a list matches when any item does)::

    version = "2024.1"            # rule-set version, recorded with every hit

    [[rule]]
    id = "keepass"                # required, unique
    category = "password-database"
    description = "KeePass database"
    severity = "notable"          # info | notable | alert
    names = ["*.kdbx", "*.kdb"]   # globs on the file name, case-insensitive
    paths = ["*/Users/*"]         # globs on the full path ("*" crosses "/")
    name_regex = ["^wallet.*"]    # regular expressions (search, case-insensitive)
    path_regex = []
    mime = ["application/x-keepass2"]   # globs on the libmagic MIME type
    description_regex = ["LUKS"]        # on libmagic's description
    magic = ["03d9a29a67fb4bb5"]        # hex bytes at magic_offset (default 0)
    magic_offset = 0
    min_size = 0
    max_size = 1073741824
    deleted = true                # only deleted files (false: only allocated ones)

The default set ships as ``triage_plugins/data/interesting.toml``.
"""

from __future__ import annotations

import fnmatch
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from triage.plugin import SEVERITIES, Analyzer, AnalyzerContext, FileInfo, Option, hookimpl

_LIST_KEYS = ("names", "paths", "name_regex", "path_regex", "mime", "description_regex", "magic")
_KEYS = {
    "id",
    "category",
    "description",
    "severity",
    "magic_offset",
    "min_size",
    "max_size",
    "deleted",
    *_LIST_KEYS,
}


@dataclass(frozen=True)
class Rule:
    """One compiled rule."""

    id: str
    category: str
    description: str
    severity: str
    ruleset: str
    ruleset_version: str
    names: tuple[str, ...] = ()
    paths: tuple[str, ...] = ()
    name_regex: tuple[re.Pattern[str], ...] = ()
    path_regex: tuple[re.Pattern[str], ...] = ()
    mime: tuple[str, ...] = ()
    description_regex: tuple[re.Pattern[str], ...] = ()
    magic: tuple[bytes, ...] = ()
    magic_offset: int = 0
    min_size: int | None = None
    max_size: int | None = None
    deleted: bool | None = None

    @property
    def head_bytes(self) -> int:
        return self.magic_offset + max((len(m) for m in self.magic), default=0)

    def __post_init__(self) -> None:
        # Each glob list as one compiled alternation of fnmatch.translate: the same answer as
        # any(fnmatch.fnmatchcase(x, p) for p in patterns), in one regex call (docs/benchmarks.md).
        for attr in ("names", "paths", "mime"):
            pats: tuple[str, ...] = getattr(self, attr)
            rx = re.compile("|".join(fnmatch.translate(p) for p in pats)) if pats else None
            object.__setattr__(self, f"_{attr}_rx", rx)

    def matches(self, info: FileInfo, head: bytes) -> list[str]:
        """The criteria that matched, or ``[]`` when the rule does not match."""
        return self.match_lowered(info, head, info.name.lower(), info.path.lower())

    def match_lowered(self, info: FileInfo, head: bytes, name: str, path: str) -> list[str]:
        """:meth:`matches` with the lower-cased name and path computed once per file by the caller;
        stops at the first criterion that fails (a rule matches only when all of them do)."""
        checks: list[str] = []
        if self.min_size is not None or self.max_size is not None:
            if not (
                (self.min_size is None or info.size >= self.min_size)
                and (self.max_size is None or info.size <= self.max_size)
            ):
                return []
            checks.append("size")
        if self.deleted is not None:
            if info.deleted != self.deleted:
                return []
            checks.append("deleted")
        if self.names:
            if self._names_rx.match(name) is None:  # type: ignore[attr-defined]
                return []
            checks.append("name")
        if self.paths:
            if self._paths_rx.match(path) is None:  # type: ignore[attr-defined]
                return []
            checks.append("path")
        if self.name_regex:
            if not any(r.search(info.name) for r in self.name_regex):
                return []
            checks.append("name_regex")
        if self.path_regex:
            if not any(r.search(info.path) for r in self.path_regex):
                return []
            checks.append("path_regex")
        if self.mime:
            if self._mime_rx.match((info.mime or "").lower()) is None:  # type: ignore[attr-defined]
                return []
            checks.append("mime")
        if self.description_regex:
            if not any(r.search(info.description or "") for r in self.description_regex):
                return []
            checks.append("description")
        if self.magic:
            at = self.magic_offset
            if not any(head[at : at + len(m)] == m for m in self.magic):
                return []
            checks.append("magic")
        return checks


def _as_list(value: Any, key: str, where: str) -> list[str]:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
        raise ValueError(f"{where}: {key} must be a string or a list of strings")
    return items


def parse_rules(data: dict[str, Any], source: str) -> list[Rule]:
    """Compile the rules of one parsed rule file; errors name the file and the rule."""
    version = str(data.get("version", "unversioned"))
    raw = data.get("rule", data.get("rules", []))
    if not isinstance(raw, list):
        raise ValueError(f"{source}: 'rule' must be an array of tables ([[rule]])")
    rules: list[Rule] = []
    seen: set[str] = set()
    for n, r in enumerate(raw, 1):
        where = f"{source}: rule {r.get('id', f'#{n}') if isinstance(r, dict) else f'#{n}'}"
        if not isinstance(r, dict) or not r.get("id"):
            raise ValueError(f"{where}: every rule needs an 'id'")
        unknown = set(r) - _KEYS
        if unknown:
            raise ValueError(
                f"{where}: unknown key(s) {', '.join(sorted(unknown))}; allowed: {', '.join(sorted(_KEYS))}"
            )
        if r["id"] in seen:
            raise ValueError(f"{where}: duplicate id")
        seen.add(r["id"])
        if not any(k in r for k in (*_LIST_KEYS, "min_size", "max_size")):
            raise ValueError(
                f"{where}: a rule needs at least one of names, paths, regexes, mime, magic or size"
            )
        severity = r.get("severity", "notable")
        if severity not in SEVERITIES:
            raise ValueError(f"{where}: severity must be one of {', '.join(SEVERITIES)}")
        lists = {k: _as_list(r.get(k, []), k, where) for k in _LIST_KEYS}
        try:
            regex = {
                k: tuple(re.compile(x, re.IGNORECASE) for x in lists[k])
                for k in ("name_regex", "path_regex", "description_regex")
            }
            magic = tuple(bytes.fromhex(m) for m in lists["magic"])
        except (re.error, ValueError) as exc:
            raise ValueError(f"{where}: {exc}") from exc
        deleted = r.get("deleted")
        if deleted is not None and not isinstance(deleted, bool):
            raise ValueError(f"{where}: deleted must be true or false")
        rules.append(
            Rule(
                id=str(r["id"]),
                category=str(r.get("category", "interesting")),
                description=str(r.get("description", r["id"])),
                severity=severity,
                ruleset=source,
                ruleset_version=version,
                names=tuple(p.lower() for p in lists["names"]),
                paths=tuple(p.lower() for p in lists["paths"]),
                mime=tuple(m.lower() for m in lists["mime"]),
                magic=magic,
                magic_offset=int(r.get("magic_offset", 0)),
                min_size=r.get("min_size"),
                max_size=r.get("max_size"),
                deleted=deleted,
                **regex,
            )
        )
    return rules


def load_rules(path: str | Path) -> list[Rule]:
    """Read a ``.toml`` (or, with PyYAML installed, ``.yaml``/``.yml``) rule file."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise ValueError(f"{p}: cannot read rule file: {exc.strerror}") from exc
    try:
        if p.suffix.lower() in (".yaml", ".yml"):
            import yaml  # optional

            data = yaml.safe_load(text) or {}
        else:
            data = tomllib.loads(text)
    except ImportError as exc:
        raise ValueError(f"{p}: YAML rule files need PyYAML (pip install pyyaml)") from exc
    except Exception as exc:  # tomllib.TOMLDecodeError, yaml.YAMLError
        at = re.search(r"at line (\d+)|line (\d+)", str(exc))
        where = f"{p}:{at[1] or at[2]}" if at else str(p)
        raise ValueError(f"{where}: {' '.join(str(exc).split())}") from exc
    if not isinstance(data, dict):
        raise ValueError(f"{p}: expected a table with 'version' and [[rule]] entries")
    try:
        return parse_rules(data, p.name)
    except ValueError as exc:  # "name: rule ID: reason" -> "path:line: rule ID: reason" (the line of its id)
        rest = str(exc).removeprefix(f"{p.name}: ")
        m = re.match(r"rule (\S+):", rest)
        at = (
            re.search(rf"^\s*(?:-\s*)?id\s*[=:]\s*[\"']?{re.escape(m[1])}[\"']?\s*$", text, re.MULTILINE)
            if m
            else None
        )
        line = f":{text.count(chr(10), 0, at.start()) + 1}" if at else ""
        raise ValueError(f"{p}{line}: {rest}") from exc


def default_rules() -> list[Rule]:
    """The shipped rule set (``data/interesting.toml``)."""
    text = resources.files("triage_plugins").joinpath("data/interesting.toml").read_text(encoding="utf-8")
    return parse_rules(tomllib.loads(text), "interesting.toml")


class InterestingFilesAnalyzer(Analyzer):
    """Applies the rules to each file's metadata, type and first bytes."""

    name = "interesting"
    version = "1.0.0"
    api_version = "2.0"
    description = (
        "interesting-file rules: containers, password stores, wallets, browser and mail data, disk images"
    )
    requires = ("filetype",)
    options = (
        Option("rules", list, [], "extra rule files (TOML or YAML), comma separated"),
        Option("defaults", bool, True, "also use the shipped rule set"),
    )

    @classmethod
    def check_options(cls, options: Mapping[str, Any]) -> list[str]:
        """Every rule file parses, each rule is valid (severity, regexes, keys), ids are unique."""
        try:
            cls._load(options)
        except ValueError as exc:
            return [str(exc)]
        return []

    @staticmethod
    def _load(options: Mapping[str, Any]) -> list[Rule]:
        rules = default_rules() if options["defaults"] else []
        for path in options["rules"]:
            rules += load_rules(path)
        ids = [r.id for r in rules]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"interesting.rules: duplicate rule id(s) across rule files: {', '.join(dupes)}")
        return rules

    def setup(self) -> None:
        rules = self._load(self.config)
        self._rules = rules
        self._head_bytes = max((r.head_bytes for r in rules), default=0)

    def start(self, ctx: AnalyzerContext) -> None:
        self._ctx = ctx
        self._head = b""

    def update(self, chunk: bytes) -> None:
        if len(self._head) < self._head_bytes:
            self._head += bytes(chunk[: self._head_bytes - len(self._head)])

    def finish(self) -> None:
        hits = []
        info = self._ctx.file
        name, path = info.name.lower(), info.path.lower()
        for rule in self._rules:
            matched = rule.match_lowered(info, self._head, name, path)
            if not matched:
                continue
            hits.append(rule.id)
            self._ctx.add_finding(
                "interesting",
                rule.description,
                rule.severity,
                {
                    "rule": rule.id,
                    "category": rule.category,
                    "matched": matched,
                    "ruleset": rule.ruleset,
                    "ruleset_version": rule.ruleset_version,
                    "deleted": self._ctx.file.deleted,
                },
            )
        if hits:
            self._ctx.set_result("interesting", hits)


@hookimpl
def triage_analyzers() -> list[type[Analyzer]]:
    return [InterestingFilesAnalyzer]
