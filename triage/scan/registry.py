"""Plugin discovery: entry points (group ``triage.plugins``, built-ins included), a user
plugin folder, and ``--plugin-dir`` folders. A plugin that fails to load is listed as
failed with its reason; everything else still runs.

``TRIAGE_DISABLE_PLUGIN_AUTOLOAD`` (any non-empty value) stops third-party entry points and
the user plugin folder from loading; the built-in analyzers and ``--plugin-dir`` still load.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import importlib.util
import inspect
import os
import re
import sys
import traceback
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import platformdirs
import pluggy

from triage.plugin import (
    API_VERSION,
    PROJECT,
    Analyzer,
    FileFilter,
    Hookspecs,
    Option,
    PostScanContext,
    api_compatible,
    api_legacy,
    hookspec,
    legacy_warning,
)
from triage.scan.context import COLUMN_OWNERS, ENGINE_KEYS, KeyOwners

ENTRY_POINT_GROUP = "triage.plugins"
BUILTIN_DIST = "triage-workstation"
AUTOLOAD_ENV = "TRIAGE_DISABLE_PLUGIN_AUTOLOAD"


@dataclass
class PluginRecord:
    """What ``triage plugins list`` shows for one plugin."""

    name: str
    version: str
    origin: str
    status: str  # loaded | failed | disabled
    error: str | None = None
    analyzers: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    """Every problem found in the plugin's declarations, one line each (``error`` is the first)."""
    warnings: list[str] = field(default_factory=list)
    """Non-fatal notes, such as the 1.x API deprecation (shown by ``triage plugins list``/``check``)."""


def user_plugin_dir() -> Path:
    return Path(platformdirs.user_data_dir("triage")) / "plugins"


@dataclass
class PluginConfig:
    """How to discover plugins; picklable, so worker processes rebuild the same registry.

    ``entry_points=False`` loads no third-party entry point (built-ins still load unless
    ``builtins=False``); ``modules`` are importable module names registered as plugins
    (``"name=package.module"`` to choose the plugin name), which is how tests register a
    plugin that is not installed.
    """

    plugin_dirs: list[str] = field(default_factory=list)
    disabled: list[str] = field(default_factory=list)
    include_user_dir: bool = True
    entry_points: bool = True
    builtins: bool = True
    modules: list[str] = field(default_factory=list)


class Registry:
    """The pluggy manager plus what was discovered."""

    def __init__(self, config: PluginConfig | None = None) -> None:
        self.config = config or PluginConfig()
        self.pm = pluggy.PluginManager(PROJECT)
        self.pm.add_hookspecs(Hookspecs)
        self.pm.add_hookspecs(LegacyHookspecs)
        self.records: list[PluginRecord] = []
        self._analyzers: dict[str, tuple[type[Analyzer], PluginRecord]] = {}
        self.disabled_analyzers: set[str] = set()
        """Analyzers left out because ``--disable-plugin`` named them."""
        self._load()

    # -- discovery -------------------------------------------------------------------------
    def _load(self) -> None:
        disabled = set(self.config.disabled)
        autoload = not os.environ.get(AUTOLOAD_ENV)
        # built-ins first: their analyzer names and result keys are never taken by a third party
        for ep in sorted(
            importlib.metadata.entry_points(group=ENTRY_POINT_GROUP),
            key=lambda e: (not e.dist or e.dist.name != BUILTIN_DIST, e.name),
        ):
            dist = ep.dist.name if ep.dist else "?"
            version = ep.dist.version if ep.dist else "?"
            builtin = dist == BUILTIN_DIST
            if (builtin and not self.config.builtins) or (not builtin and not self.config.entry_points):
                continue
            if not autoload and not builtin:
                self.records.append(
                    PluginRecord(
                        ep.name, version, f"{dist} (entry point)", "disabled", f"{AUTOLOAD_ENV} is set"
                    )
                )
                continue
            self._register(
                ep.name, version, f"{dist} (entry point)", disabled, lambda ep=ep: _load_entry_point(ep)
            )
        for spec in self.config.modules:
            name, _, modname = spec.rpartition("=")
            modname = modname.strip()
            name = name.strip() or modname.rsplit(".", 1)[-1]
            self._register(
                name,
                "?",
                f"{modname} (module)",
                disabled,
                lambda modname=modname: importlib.import_module(modname),
            )
        dirs = [Path(d) for d in self.config.plugin_dirs]
        if self.config.include_user_dir and autoload:
            dirs.append(user_plugin_dir())
        elif self.config.include_user_dir:
            for path in sorted(_plugin_files(user_plugin_dir())):
                self.records.append(
                    PluginRecord(
                        path.stem if path.suffix == ".py" else path.name,
                        "?",
                        str(path),
                        "disabled",
                        f"{AUTOLOAD_ENV} is set",
                    )
                )
        for d in dirs:
            for path in sorted(_plugin_files(d)):
                name = path.stem if path.suffix == ".py" else path.name
                self._register(name, "?", str(path), disabled, lambda path=path: _import_path(path))
        self._check_requirements()

    def register_plugin(
        self, plugin: Any, name: str, version: str = "?", origin: str = "registered"
    ) -> PluginRecord:
        """Register an already imported plugin object (module, class or instance) in this process only.

        Worker processes do not see it: to scan with it, list its module in ``PluginConfig.modules``.
        """
        self._register(name, version, origin, set(self.config.disabled), lambda: plugin)
        self._check_requirements()
        return next(r for r in reversed(self.records) if r.name == name)

    def load_path(self, path: str | os.PathLike[str]) -> PluginRecord:
        """Load one plugin module (``.py``) or package folder in this process, as ``--plugin-dir`` would."""
        p = Path(path).absolute()
        name = p.stem if p.suffix == ".py" else p.name
        self._register(name, "?", str(p), set(self.config.disabled), lambda: _import_path(p))
        self._check_requirements()
        return next(r for r in reversed(self.records) if r.name == name)

    def _check_requirements(self) -> None:
        """An analyzer whose required analyzers are not loaded cannot run: mark it failed."""
        changed = True
        while changed:
            changed = False
            for name, (cls, record) in list(self._analyzers.items()):
                missing = [
                    r
                    for r in cls.requires
                    if r not in self._analyzers or self._analyzers[r][0].phase > cls.phase
                ]
                if missing:
                    del self._analyzers[name]
                    record.analyzers.remove(name)
                    record.status = "failed"
                    record.error = f"analyzer {name} requires {', '.join(missing)}, which is not loaded (or runs in a later phase)"
                    changed = True

    def _register(self, name: str, version: str, origin: str, disabled: set[str], load: Any) -> None:
        if name in disabled or any(r.name == name and r.status == "loaded" for r in self.records):
            status = "disabled" if name in disabled else "failed"
            reason = (
                "disabled by --disable-plugin"
                if name in disabled
                else "a plugin with this name is already loaded"
            )
            self.records.append(PluginRecord(name, version, origin, status, reason))
            return
        try:
            module = load()
            version = version if version != "?" else str(getattr(module, "__version__", "?"))
            self.pm.register(module, name=name)
            unknown = [h.name for h in self.pm.get_hookcallers(module) or [] if h.spec is None]
            if unknown:
                raise pluggy.PluginValidationError(
                    module,
                    f"unknown hook(s) {', '.join(sorted(unknown))}; known: "
                    f"{', '.join(n for n in dir(Hookspecs) if n.startswith('triage_'))}",
                )
            legacy_hooks = sorted(
                h.name for h in self.pm.get_hookcallers(module) or [] if hasattr(LegacyHookspecs, h.name)
            )
            classes = [
                c
                for batch in self.pm.subset_hook_caller(
                    "triage_analyzers", remove_plugins=[p for p in self.pm.get_plugins() if p is not module]
                )()
                for c in (batch or [])
            ]
        except BaseException as exc:  # a broken plugin (even one calling sys.exit) must not stop the others
            if isinstance(exc, KeyboardInterrupt):
                raise
            self._unregister(name)
            tb = traceback.format_exception_only(type(exc), exc)[-1].strip()
            self.records.append(PluginRecord(name, version, origin, "failed", tb))
            return
        record = PluginRecord(name, version, origin, "loaded")
        problems: list[str] = []
        accepted: list[type[Analyzer]] = []
        for cls in classes:
            found = declaration_problems(cls)
            if not found:
                found = self._conflicts(cls, accepted)
            problems += found
            if not found:
                accepted.append(cls)
        if problems:  # a malformed declaration disables the whole plugin, with every reason
            self._unregister(name)
            record.status, record.error, record.problems = "failed", problems[0], problems
            self.records.append(record)
            return
        if legacy_hooks or any(api_legacy(c.api_version) for c in accepted):  # the 1.x adapter: loads, warns
            record.warnings.append(legacy_warning(name))
        record.warnings += [
            f"hook {h} was removed in plugin API 2.0 and is never called" for h in legacy_hooks
        ]
        for cls in accepted:
            if cls.name in disabled:
                self.disabled_analyzers.add(cls.name)
                continue
            self._analyzers[cls.name] = (cls, record)
            record.analyzers.append(cls.name)
        self.records.append(record)

    def _conflicts(self, cls: type[Analyzer], siblings: list[type[Analyzer]]) -> list[str]:
        """A well-formed analyzer whose name or result keys are already someone else's."""
        taken = self._analyzers.get(cls.name)
        if taken is not None:
            return [
                f"{source_line(cls, 'name')}analyzer name {cls.name!r} is already taken by plugin {taken[1].name}"
            ]
        if any(c.name == cls.name for c in siblings):
            return [f"{source_line(cls, 'name')}analyzer name {cls.name!r} is declared twice by this plugin"]
        owners = KeyOwners([c for c, _ in self._analyzers.values()] + siblings)
        return [
            f"{source_line(cls, 'result_keys')}analyzer {cls.name!r}: result_keys: {key!r} is already owned by "
            f"analyzer {owner}"
            for key in cls.result_keys
            if (owner := owners.owner(key)) not in (None, cls.name)
        ]

    def _unregister(self, name: str) -> None:
        plugin = self.pm.get_plugin(name)
        if plugin is not None:
            self.pm.unregister(plugin)

    # -- queries ---------------------------------------------------------------------------
    def analyzer_classes(self, names: Iterable[str] | None = None) -> list[type[Analyzer]]:
        """Analyzers in run order: phase, then requirements first, then name.

        Restricted to ``names`` (plus what they ``require``) when given; an unknown name raises
        :class:`KeyError`.
        """
        wanted = set(names) if names is not None else None
        if wanted is not None:
            missing = wanted - set(self._analyzers)
            if missing:
                raise KeyError(", ".join(sorted(missing)))
            todo = list(wanted)
            while todo:
                for req in self._analyzers[todo.pop()][0].requires:
                    if req not in wanted:
                        wanted.add(req)
                        todo.append(req)
        classes = [c for n, (c, _) in self._analyzers.items() if wanted is None or n in wanted]
        return sorted(classes, key=lambda c: (c.phase, self._depth(c.name), c.name))

    def scan_names(self, names: Iterable[str] | None) -> list[str] | None:
        """The analyzers a scan asked for ``names`` runs, as names for :meth:`analyzer_classes`:
        None (no ``--analyzers``) gives every loaded analyzer that is not opt-in; ``+NAME,…`` gives
        those plus the named ones; anything else is returned as given."""
        if names is None:
            return [n for n, (c, _) in self._analyzers.items() if not c.opt_in]
        given = list(names)
        if given and all(n.startswith("+") for n in given):
            defaults = [n for n, (c, _) in self._analyzers.items() if not c.opt_in]
            return defaults + [n[1:] for n in given if n[1:] not in defaults]
        return given

    def scan_classes(self, names: Iterable[str] | None) -> list[type[Analyzer]]:
        """:meth:`analyzer_classes` of :meth:`scan_names`: what a scan asked for ``names`` runs."""
        return self.analyzer_classes(self.scan_names(names))

    def _depth(self, name: str, seen: frozenset[str] = frozenset()) -> int:
        cls = self._analyzers[name][0]
        if name in seen:
            return 0
        return max(
            (1 + self._depth(r, seen | {name}) for r in cls.requires if r in self._analyzers), default=0
        )

    def analyzer_plugin(self, analyzer: str) -> PluginRecord:
        return self._analyzers[analyzer][1]

    def names(self) -> list[str]:
        """Every name ``--disable-plugin`` and ``findings --plugin`` take: plugin and analyzer names."""
        found = {r.name for r in self.records} | self.disabled_analyzers
        found |= {a for r in self.records for a in r.analyzers}
        return sorted(found)

    def unknown_disabled(self) -> list[str]:
        """One line per ``--disable-plugin`` name that names no plugin or analyzer, listing the valid names."""
        valid = self.names()
        return [
            f"--disable-plugin {n}: no plugin or analyzer of this name (valid: {', '.join(valid) or 'none'})"
            for n in self.config.disabled
            if n not in valid
        ]

    def analyzers_of(self, name: str) -> list[str]:
        """The analyzers a plugin or analyzer name stands for (a plugin name: all of its analyzers)."""
        if name in self._analyzers:
            return [name]
        return sorted({a for r in self.records if r.name == name for a in r.analyzers})

    def versions(self) -> dict[str, str]:
        """Plugin name → version, for the scan-run record."""
        return {r.name: r.version for r in self.records if r.status == "loaded"}

    @property
    def hook(self) -> Any:
        return self.pm.hook


def post_scan_context(case: Any, scan_id: int) -> PostScanContext:
    """The :class:`PostScanContext` of a completed scan, from its recorded settings."""
    scan = next((s for s in case.scans() if s["id"] == scan_id), None)
    settings = (scan or {}).get("settings") or {}
    wanted = {str(Path(p).resolve()) for p in settings.get("evidence", [])}
    return PostScanContext(
        case=case,
        scan_id=scan_id,
        analyzers=tuple(settings.get("analyzers") or ()),
        options={k: dict(v) for k, v in (settings.get("options") or {}).items()},
        evidence_ids=tuple(int(e["id"]) for e in case.evidence() if e["path"] in wanted),
    )


def call_scan_finished(registry: Registry, case: Any, scan_id: int) -> None:
    """Call every ``triage_scan_finished`` hook of a completed scan; a hook that raises is an error of
    the scan (the one place both scan back ends call the hook)."""
    try:
        context = post_scan_context(case, scan_id)
        registry.hook.triage_scan_finished(case=context.case, scan_id=scan_id, context=context)
    except Exception as exc:
        case.add_error("plugin", f"scan_finished hook raised {type(exc).__name__}: {exc}", scan_id=scan_id)


class LegacyHookspecs:
    """The 1.x adapter's hooks: removed from API 2.0 and never called, still accepted from a 1.x plugin."""

    @hookspec
    def triage_options(self) -> list[Option]:  # type: ignore[empty-body]
        """Never called (removed in 2.0)."""

    @hookspec
    def triage_case_opened(self, case: Any) -> None:
        """Never called (removed in 2.0)."""


NAME_RE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
"""Analyzer and option names: they become CLI flags (``--name-option``) and ``--set name.option`` keys."""
RESERVED_NAMES = frozenset({"engine", "plugin", "file", "partition", "evidence", "triage"})
"""Error sources and record keys of the core: no analyzer may take these names."""
OPTION_TYPES = (str, int, float, bool, list)


def declaration_problems(cls: Any) -> list[str]:
    """Every problem with one analyzer class's declarations, one line each (``[]``: loadable).

    The one check behind loading (a bad declaration fails the plugin) and ``triage plugins check``.
    """
    if not (isinstance(cls, type) and issubclass(cls, Analyzer)):
        return [f"{cls!r} is not an Analyzer subclass"]
    name = cls.name
    label = f"analyzer {name!r}" if isinstance(name, str) and name else cls.__name__
    out: list[str] = []

    def bad(what: str, attr: str | None = None) -> None:
        out.append(f"{source_line(cls, attr)}{label}: {what}")

    if not isinstance(name, str) or not name:
        bad('has no name (set the class attribute name = "...")', "name")
    elif not NAME_RE.match(name):
        bad("name must be lower-case letters, digits and _ (starting with a letter, at most 40)", "name")
    elif name in RESERVED_NAMES:
        bad(f"name {name!r} is reserved by triage", "name")
    api = cls.api_version
    if not isinstance(api, str):
        bad(f'api_version must be a string such as "1.1", not {type(api).__name__} {api!r}', "api_version")
    elif not api_compatible(api) and not api_legacy(api):
        bad(f"needs plugin API {api}, this is {API_VERSION}", "api_version")
    for attr, types in (
        ("version", str),
        ("description", str),
        ("needs_content", bool),
    ):
        value = getattr(cls, attr)
        if not isinstance(value, types):
            bad(f"{attr} must be a {types.__name__}, not {type(value).__name__} {value!r}", attr)
    if not isinstance(cls.phase, int) or isinstance(cls.phase, bool) or cls.phase < 0:
        bad(f"phase must be an int >= 0, not {cls.phase!r}", "phase")
    budget = cls.time_budget
    if not isinstance(budget, int | float) or isinstance(budget, bool) or not budget > 0:
        bad(f"time_budget must be a number of seconds > 0, not {budget!r}", "time_budget")
    for attr in ("requires", "result_keys"):
        value = getattr(cls, attr)
        if not isinstance(value, tuple | list) or not all(isinstance(v, str) and v for v in value):
            bad(f"{attr} must be a tuple of names, not {value!r}", attr)
    if isinstance(cls.result_keys, tuple | list):
        for key in cls.result_keys:
            if key in ENGINE_KEYS or (key in COLUMN_OWNERS and COLUMN_OWNERS[key] != name):
                bad(f"result_keys: {key!r} belongs to {COLUMN_OWNERS.get(key, 'the engine')}", "result_keys")
    if not isinstance(cls.filters, FileFilter):
        bad(f"filters must be a FileFilter, not {type(cls.filters).__name__}", "filters")
    else:
        out += [f"{source_line(cls, 'filters')}{label}: filters: {p}" for p in _filter_problems(cls.filters)]
    if not isinstance(cls.options, tuple | list):
        bad(f"options must be a tuple of Option, not {type(cls.options).__name__}", "options")
    else:
        seen: set[str] = set()
        for opt in cls.options:
            for p in _option_problems(opt):
                bad(p, "options")
            if isinstance(opt, Option):
                if opt.name in seen:
                    bad(f"option {opt.name!r} is declared twice", "options")
                seen.add(opt.name)
    if not isinstance(inspect.getattr_static(cls, "check_options", None), classmethod | staticmethod):
        bad("check_options must be a classmethod (it runs before any analyzer is made)", "check_options")
    return out


def source_line(cls: type, attr: str | None = None) -> str:
    """``file:line: `` of ``attr``'s assignment in the class body (else of the class), or ``""``."""
    try:
        lines, start = inspect.getsourcelines(cls)
        path = inspect.getsourcefile(cls)
    except (OSError, TypeError):
        return ""
    line = start
    if attr:
        pattern = re.compile(rf"^\s+(def\s+)?{re.escape(attr)}\b\s*[:=(]")
        line = next((start + i for i, text in enumerate(lines) if pattern.match(text)), start)
    return f"{path}:{line}: "


def _option_problems(opt: Any) -> list[str]:
    if not isinstance(opt, Option):
        return [f"options: {opt!r} is not an Option"]
    where = f"option {opt.name!r}"
    if not isinstance(opt.name, str) or not NAME_RE.match(opt.name):
        return [f"{where}: name must be lower-case letters, digits and _ (starting with a letter)"]
    if opt.type not in OPTION_TYPES:
        return [f"{where}: type must be one of str, int, float, bool, list, not {opt.type!r}"]
    if not isinstance(opt.help, str):
        return [f"{where}: help must be a string"]
    if opt.choices is not None and (
        isinstance(opt.choices, str) or not isinstance(opt.choices, tuple | list) or not opt.choices
    ):
        return [f"{where}: choices must be a non-empty tuple, not {opt.choices!r}"]
    try:
        opt.check(opt.default)
    except ValueError as exc:
        return [f"{where}: default {opt.default!r}: {exc}"]
    return []


def _filter_problems(f: FileFilter) -> list[str]:
    out = []
    for attr in ("name_patterns", "mime_types", "path_patterns"):
        value = getattr(f, attr)
        if not isinstance(value, tuple | list) or not all(isinstance(v, str) for v in value):
            out.append(f"{attr} must be a tuple of strings, not {value!r}")
    for attr in ("min_size", "max_size"):
        value = getattr(f, attr)
        if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 0):
            out.append(f"{attr} must be None or an int >= 0, not {value!r}")
    if f.deleted is not None and not isinstance(f.deleted, bool):
        out.append(f"deleted must be None, True or False, not {f.deleted!r}")
    return out


def _plugin_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return [
        p
        for p in folder.iterdir()
        if (p.suffix == ".py" and not p.name.startswith("_")) or (p.is_dir() and (p / "__init__.py").exists())
    ]


def _load_entry_point(ep: importlib.metadata.EntryPoint) -> Any:
    """The module an entry point names; one naming a class or another object is refused (its hooks
    would never be found, and the plugin would load with no analyzers)."""
    target = ep.load()
    if not inspect.ismodule(target):
        kind = "a class" if inspect.isclass(target) else f"a {type(target).__name__}"
        raise TypeError(
            f"entry point {ep.name} = {ep.value!r} names {kind}, not a module: point it at the module "
            f"that holds the @hookimpl functions ({ep.value.split(':', 1)[0]!r})"
        )
    return target


def _import_path(path: Path) -> Any:
    name = f"triage_userplugin_{path.stem}"
    target = path / "__init__.py" if path.is_dir() else path
    spec = importlib.util.spec_from_file_location(
        name, target, submodule_search_locations=[str(path)] if path.is_dir() else None
    )
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot import {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module
