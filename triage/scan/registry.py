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
import os
import sys
import traceback
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import platformdirs
import pluggy

from triage.plugin import PROJECT, Analyzer, Hookspecs, api_compatible

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
        self.records: list[PluginRecord] = []
        self._analyzers: dict[str, tuple[type[Analyzer], PluginRecord]] = {}
        self._load()

    # -- discovery -------------------------------------------------------------------------
    def _load(self) -> None:
        disabled = set(self.config.disabled)
        autoload = not os.environ.get(AUTOLOAD_ENV)
        for ep in sorted(importlib.metadata.entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
            dist = ep.dist.name if ep.dist else "?"
            version = ep.dist.version if ep.dist else "?"
            builtin = dist == BUILTIN_DIST
            if (builtin and not self.config.builtins) or (not builtin and not self.config.entry_points):
                continue
            if not autoload and not builtin:
                self.records.append(PluginRecord(ep.name, version, f"{dist} (entry point)", "disabled",
                                                 f"{AUTOLOAD_ENV} is set"))
                continue
            self._register(ep.name, version, f"{dist} (entry point)", disabled, lambda ep=ep: ep.load())
        for spec in self.config.modules:
            name, _, modname = spec.rpartition("=")
            modname = modname.strip()
            name = name.strip() or modname.rsplit(".", 1)[-1]
            self._register(name, "?", f"{modname} (module)", disabled,
                           lambda modname=modname: importlib.import_module(modname))
        dirs = [Path(d) for d in self.config.plugin_dirs]
        if self.config.include_user_dir and autoload:
            dirs.append(user_plugin_dir())
        elif self.config.include_user_dir:
            for path in sorted(_plugin_files(user_plugin_dir())):
                self.records.append(PluginRecord(path.stem if path.suffix == ".py" else path.name, "?", str(path),
                                                 "disabled", f"{AUTOLOAD_ENV} is set"))
        for d in dirs:
            for path in sorted(_plugin_files(d)):
                name = path.stem if path.suffix == ".py" else path.name
                self._register(name, "?", str(path), disabled, lambda path=path: _import_path(path))
        self._check_requirements()

    def register_plugin(self, plugin: Any, name: str, version: str = "?", origin: str = "registered") -> PluginRecord:
        """Register an already imported plugin object (module, class or instance) in this process only.

        Worker processes do not see it: to scan with it, list its module in ``PluginConfig.modules``.
        """
        self._register(name, version, origin, set(self.config.disabled), lambda: plugin)
        self._check_requirements()
        return next(r for r in reversed(self.records) if r.name == name)

    def _check_requirements(self) -> None:
        """An analyzer whose required analyzers are not loaded cannot run: mark it failed."""
        changed = True
        while changed:
            changed = False
            for name, (cls, record) in list(self._analyzers.items()):
                missing = [r for r in cls.requires if r not in self._analyzers
                           or self._analyzers[r][0].phase > cls.phase]
                if missing:
                    del self._analyzers[name]
                    record.analyzers.remove(name)
                    record.status = "failed"
                    record.error = f"analyzer {name} requires {', '.join(missing)}, which is not loaded (or runs in a later phase)"
                    changed = True

    def _register(self, name: str, version: str, origin: str, disabled: set[str], load: Any) -> None:
        if name in disabled or any(r.name == name and r.status == "loaded" for r in self.records):
            status = "disabled" if name in disabled else "failed"
            reason = "disabled by --disable-plugin" if name in disabled else "a plugin with this name is already loaded"
            self.records.append(PluginRecord(name, version, origin, status, reason))
            return
        try:
            module = load()
            version = version if version != "?" else str(getattr(module, "__version__", "?"))
            self.pm.register(module, name=name)
            unknown = [h.name for h in self.pm.get_hookcallers(module) or [] if h.spec is None]
            if unknown:
                raise pluggy.PluginValidationError(
                    module, f"unknown hook(s) {', '.join(sorted(unknown))}; known: "
                            f"{', '.join(n for n in dir(Hookspecs) if n.startswith('triage_'))}")
            classes = [c for batch in self.pm.subset_hook_caller("triage_analyzers", remove_plugins=[
                p for p in self.pm.get_plugins() if p is not module])() for c in (batch or [])]
        except BaseException as exc:  # a broken plugin (even one calling sys.exit) must not stop the others
            if isinstance(exc, KeyboardInterrupt):
                raise
            self._unregister(name)
            tb = traceback.format_exception_only(type(exc), exc)[-1].strip()
            self.records.append(PluginRecord(name, version, origin, "failed", tb))
            return
        record = PluginRecord(name, version, origin, "loaded")
        for cls in classes:
            problem = _check_analyzer(cls)
            if problem is None and cls.name in self._analyzers:
                problem = f"analyzer name {cls.name!r} is already taken by plugin {self._analyzers[cls.name][1].name}"
            if problem:
                record.status = "failed"
                record.error = problem
                continue
            if cls.name in disabled:
                continue
            self._analyzers[cls.name] = (cls, record)
            record.analyzers.append(cls.name)
        self.records.append(record)

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

    def _depth(self, name: str, seen: frozenset[str] = frozenset()) -> int:
        cls = self._analyzers[name][0]
        if name in seen:
            return 0
        return max((1 + self._depth(r, seen | {name}) for r in cls.requires if r in self._analyzers), default=0)

    def analyzer_plugin(self, analyzer: str) -> PluginRecord:
        return self._analyzers[analyzer][1]

    def versions(self) -> dict[str, str]:
        """Plugin name → version, for the scan-run record."""
        return {r.name: r.version for r in self.records if r.status == "loaded"}

    @property
    def hook(self) -> Any:
        return self.pm.hook


def _check_analyzer(cls: Any) -> str | None:
    if not (isinstance(cls, type) and issubclass(cls, Analyzer)):
        return f"{cls!r} is not an Analyzer subclass"
    if not cls.name:
        return f"{cls.__name__} has no name"
    if not api_compatible(cls.api_version):
        return f"analyzer {cls.name} needs plugin API {cls.api_version}, this is {importlib.import_module('triage.plugin').API_VERSION}"
    return None


def _plugin_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return [p for p in folder.iterdir()
            if (p.suffix == ".py" and not p.name.startswith("_")) or (p.is_dir() and (p / "__init__.py").exists())]


def _import_path(path: Path) -> Any:
    name = f"triage_userplugin_{path.stem}"
    target = path / "__init__.py" if path.is_dir() else path
    spec = importlib.util.spec_from_file_location(name, target,
                                                  submodule_search_locations=[str(path)] if path.is_dir() else None)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot import {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module
