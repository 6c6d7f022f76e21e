"""Triage profiles: ordered lists of high-value artifacts, scanned first.

A profile is a TOML file of ``[[target]]`` tables, each with either ``artifact`` (a
ForensicArtifacts definition name, groups expanded) or ``paths`` (globs inside a file
system: ``*`` within one folder, ``**`` across folders), and a ``why``. Matching is
case-insensitive for Windows profiles. Built-in profiles live beside this module; users
add their own in ``<user config>/triage/profiles/``.
"""

from __future__ import annotations

import os
import re
import threading
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import platformdirs

from triage.errors import UsageError

DATA = Path(__file__).with_name("data")
# ForensicArtifacts path variables, as they appear inside a file system (no drive letter).
VARIABLES = {
    "%%environ_systemroot%%": "/Windows",
    "%%environ_windir%%": "/Windows",
    "%%environ_systemdrive%%": "",
    "%%environ_programfiles%%": "/Program Files",
    "%%environ_programfilesx86%%": "/Program Files (x86)",
    "%%environ_programdata%%": "/ProgramData",
    "%%environ_allusersprofile%%": "/ProgramData",
    "%%environ_allusersappdata%%": "/ProgramData",
    "%%users.homedir%%": "/Users/*",
    "%%users.userprofile%%": "/Users/*",
    "%%users.appdata%%": "/Users/*/AppData/Roaming",
    "%%users.localappdata%%": "/Users/*/AppData/Local",
    "%%users.localappdata_low%%": "/Users/*/AppData/LocalLow",
    "%%users.temp%%": "/Users/*/AppData/Local/Temp",
    "%%users.username%%": "*",
    "%%users.sid%%": "*",
}
_UNIX_HOMES = ("/home/*", "/root", "/Users/*")


@dataclass
class Target:
    """One entry of a profile."""

    label: str
    why: str
    patterns: list[str]
    case_insensitive: bool

    @cached_property
    def regex(self) -> re.Pattern[str]:
        parts = [glob_to_regex(p) for p in self.patterns]
        return re.compile(
            "|".join(f"(?:{p})" for p in parts) or "(?!)", re.IGNORECASE if self.case_insensitive else 0
        )


@dataclass
class Profile:
    name: str
    title: str
    description: str
    os: str
    targets: list[Target] = field(default_factory=list)
    source: str = ""

    def rank(self, path: str) -> int | None:
        """Index of the first target matching ``path`` (lower is more valuable), or None."""
        bare = path.split(":", 1)[0] if ":" in path.rsplit("/", 1)[-1] else path
        for i, t in enumerate(self.targets):
            if t.regex.fullmatch(bare):
                return i
        return None

    def explain(self, path: str) -> Target | None:
        i = self.rank(path)
        return self.targets[i] if i is not None else None


def glob_to_regex(pattern: str) -> str:
    """``**`` any depth, ``*`` within a name, ``?`` one character; everything else literal."""
    out, i = [], 0
    while i < len(pattern):
        c = pattern[i]
        if pattern.startswith("**", i):
            out.append(".*")
            i += 2
            continue
        out.append({"*": "[^/]*", "?": "[^/]"}.get(c, re.escape(c)))
        i += 1
    return "".join(out)


def _artifact_registry() -> Any:
    try:
        import artifacts
        from artifacts import reader, registry
    except ImportError as exc:
        raise UsageError(
            "ForensicArtifacts definitions need the 'artifacts' package (pip install artifacts)"
        ) from exc
    reg = registry.ArtifactDefinitionsRegistry()
    reg.ReadFromDirectory(
        reader.YamlArtifactsReader(), os.path.join(os.path.dirname(artifacts.__file__), "data")
    )
    return reg


_REGISTRY: Any = None


def artifact_paths(name: str, os_name: str, seen: set[str] | None = None) -> list[str]:
    """Expand a ForensicArtifacts definition (groups recursively) into in-file-system globs."""
    global _REGISTRY
    if _REGISTRY is None:
        _REGISTRY = _artifact_registry()
    seen = seen if seen is not None else set()
    if name in seen:
        return []
    seen.add(name)
    definition = _REGISTRY.GetDefinitionByName(name)
    if definition is None:
        raise UsageError(f"unknown ForensicArtifacts definition {name!r}")
    paths: list[str] = []
    for src in definition.sources:
        if src.type_indicator == "ARTIFACT_GROUP":
            for sub in src.names:
                paths += artifact_paths(sub, os_name, seen)
        elif src.type_indicator in ("FILE", "PATH", "DIRECTORY"):
            for p in src.paths or []:
                paths += _expand(p, os_name, src.type_indicator)
    return paths


def _expand(path: str, os_name: str, kind: str) -> list[str]:
    p = path.replace("\\", "/")
    results = [p]
    if "%%users.homedir%%" in p and os_name != "windows":
        results = [p.replace("%%users.homedir%%", home) for home in _UNIX_HOMES]
    out = []
    for r in results:
        for var, value in VARIABLES.items():
            r = r.replace(var, value)
        r = re.sub(r"%%[^%]+%%", "*", r)
        r = re.sub(r"\*\*\d+", "**", r)
        if not r.startswith("/"):
            r = "/" + r
        out.append(r + ("/**" if kind == "DIRECTORY" else ""))
    return out


def load_profile(path: Path) -> Profile:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise UsageError(f"{path}: cannot read profile: {exc}") from exc
    os_name = data.get("os", "any")
    insensitive = bool(data.get("case_insensitive", os_name == "windows"))
    profile = Profile(
        path.stem, data.get("title", path.stem), data.get("description", ""), os_name, source=str(path)
    )
    for i, t in enumerate(data.get("target", []), 1):
        if "artifact" in t:
            patterns = artifact_paths(t["artifact"], os_name)
            label = t["artifact"]
        elif "paths" in t:
            patterns, label = list(t["paths"]), t.get("label", ", ".join(t["paths"][:2]))
        else:
            raise UsageError(f"{path}: target {i} needs 'artifact' or 'paths'")
        profile.targets.append(Target(label, t.get("why", ""), patterns, insensitive))
    return profile


def profile_dirs() -> list[Path]:
    return [DATA, Path(platformdirs.user_config_dir("triage")) / "profiles"]


def available() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for d in profile_dirs():
        if d.is_dir():
            for p in sorted(d.glob("*.toml")):
                found[p.stem] = p
    return found


def get(name: str) -> Profile:
    profiles = available()
    if name not in profiles:
        raise UsageError(f"no profile named {name!r} (available: {', '.join(sorted(profiles))})")
    return load_profile(profiles[name])


def headers() -> list[tuple[str, str, str]]:
    """``(name, title, description)`` of every available profile, read from the TOML headers only
    (expanding ForensicArtifacts definitions takes seconds; that happens when the scan starts)."""
    out = []
    for name, path in available().items():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            out.append((name, f"{name} (unreadable)", f"{path}: {exc}"))
            continue
        desc = str(data.get("description", ""))
        out.append((name, str(data.get("title", name)), f"{desc}\n{data.get('os', 'any')} · {path}".strip()))
    return out


class ProfileOrder:
    """A profile as the scan engine's ``priority`` (its targets first, in order) and ``select``
    (only its targets, for a quick scan). The one ordering ``triage scan --profile NAME [--quick]``
    and the GUI's scan dock use; the profile is loaded on first use unless ``load_now``."""

    def __init__(self, name: str, *, load_now: bool = True) -> None:
        self.name = name
        self._profile: Profile | None = None
        self._lock = threading.Lock()
        if load_now:
            self.profile()  # an unknown name fails here (UsageError), before any work

    def profile(self) -> Profile:
        with self._lock:
            if self._profile is None:
                self._profile = get(self.name)
            return self._profile

    def priority(self, row: Mapping[str, Any]) -> int:
        p = self.profile()
        r = p.rank(row["path"])
        return r if r is not None else len(p.targets)

    def select(self, row: Mapping[str, Any]) -> bool:
        return self.profile().rank(row["path"]) is not None


def apply_order(options: Any, name: str, *, quick: bool = False, load_now: bool = True) -> ProfileOrder:
    """Set a :class:`triage.scan.engine.ScanOptions`' ``priority`` (and with ``quick`` its ``select``)
    from profile ``name``; returns the order."""
    order = ProfileOrder(name, load_now=load_now)
    options.priority = order.priority
    if quick:
        options.select = order.select
    return order
