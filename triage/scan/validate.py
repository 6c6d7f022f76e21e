"""Fail fast: everything a scan is asked to do is checked before any evidence is opened and
before any case is created or changed. The CLI (``triage scan``), ``triage batch`` (each image's
options) and the GUI's scan dock all call :func:`validate_scan`; nothing else decides.

Checked, in order: the scan's own settings, the analyzer names, every option's name, type and
choices (:meth:`triage.plugin.Option.check`), then each analyzer that will run checks its own
values through :meth:`triage.plugin.Analyzer.check_options` (the YARA plugin compiles its rules
there). A problem is one line, ``file:line: reason`` or ``option: reason``; any problem raises
:class:`OptionError` (exit 2).
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import Any

from triage.errors import UsageError
from triage.scan.registry import Registry


class OptionError(UsageError):
    """Invalid scan input: one line per problem (exit 2)."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


def unknown_analyzer(name: str, registry: Registry) -> str:
    """Why ``name`` cannot run: not installed, disabled, or its plugin failed (with the reason)."""
    failed = [r for r in registry.records if r.status != "loaded" and r.name == name]
    if failed:
        state = "failed to load" if failed[0].status == "failed" else "is disabled"
        return (
            f"unknown analyzer: {name} (plugin {name} {state}: {failed[0].error}; see 'triage plugins list')"
        )
    known = ", ".join(sorted(c.name for c in registry.analyzer_classes())) or "none"
    broken = [r.name for r in registry.records if r.status == "failed"]
    extra = f"; plugins that failed to load: {', '.join(broken)}" if broken else ""
    return f"unknown analyzer: {name} (loaded: {known}{extra}; see 'triage plugins list')"


def check_options(
    registry: Registry, analyzers: Sequence[str] | None, options: Mapping[str, Mapping[str, Any]]
) -> tuple[dict[str, dict[str, Any]], list[str]]:
    """Typed option values per analyzer (as given, checked) and the problems found."""
    problems: list[str] = []
    classes = {c.name: c for c in registry.analyzer_classes()}
    if analyzers is not None:
        given = [a[1:] if a.startswith("+") else a for a in analyzers]
        problems += [f"--analyzers: {unknown_analyzer(a, registry)}" for a in given if a not in classes]
    checked: dict[str, dict[str, Any]] = {}
    for analyzer, values in options.items():
        cls = classes.get(analyzer)
        if cls is None:
            problems.append(f"{analyzer}: {unknown_analyzer(analyzer, registry)}")
            continue
        declared = {o.name: o for o in cls.options}
        for key, value in values.items():
            opt = declared.get(key)
            if opt is None:
                names = ", ".join(declared) or "none"
                problems.append(f"{analyzer}.{key}: {analyzer} has no option {key!r} (options: {names})")
                continue
            try:
                checked.setdefault(analyzer, {})[key] = opt.check(value)
            except ValueError as exc:
                problems.append(f"{analyzer}.{key}: {exc}")
    if problems:
        return checked, problems
    running = registry.scan_classes(analyzers)
    for cls in running:
        config = {o.name: o.default for o in cls.options} | checked.get(cls.name, {})
        try:
            found = list(cls.check_options(config))
        except ValueError as exc:
            found = [str(exc)]
        except Exception as exc:  # a broken check is a broken plugin: say which, do not start
            found = [f"analyzer {cls.name}: check_options raised {type(exc).__name__}: {exc}"]
        problems += [" ".join(str(p).split()) for p in found]
    return checked, problems


def validate_scan(options: Any, registry: Registry | None = None, evidence: Sequence[Any] = ()) -> Registry:
    """Check a :class:`triage.scan.engine.ScanOptions`; raise :class:`OptionError` with every problem.

    Call it first: before the case is created or opened and before any evidence is opened. Then
    each ``evidence`` path is checked (:func:`triage.evidence.register.check_evidence`: it exists, is a
    readable non-empty file, its segment set is complete, it opens and holds a partition table or a
    file system), raising its usage or evidence error.
    Returns the registry it used (built from ``options.plugins`` when not given).
    """
    problems: list[str] = []
    if not isinstance(options.workers, int) or options.workers < 1:
        problems.append(f"--workers: must be at least 1, not {options.workers!r}")
    if not options.file_timeout > 0:
        problems.append(f"--file-timeout: must be more than 0 seconds, not {options.file_timeout!r}")
    if options.resume and options.rescan:
        problems.append("--resume and --rescan exclude each other")
    problems += [
        f"--plugin-dir {d}: no such folder" for d in options.plugins.plugin_dirs if not os.path.isdir(d)
    ]
    registry = registry or Registry(options.plugins)
    problems += registry.unknown_disabled()
    _, found = check_options(registry, options.analyzers, options.options)
    problems += found
    if problems:
        raise OptionError(problems)
    if evidence:
        from triage.evidence.register import check_evidence

        for path in evidence:
            check_evidence(path)
    return registry


def validate_resume(case_dir: Any, options: Any, registry: Registry | None = None) -> None:
    """``--resume`` runs the interrupted scan's analyzers and options: check them again (rule files may
    have changed since) by reading the case read-only, before the case's writer lock is taken, so a
    refused resume changes no byte of the case. A missing case is left to the caller."""
    from pathlib import Path

    from triage.case.store import DB_NAME, Case

    if not options.resume or not (Path(case_dir) / DB_NAME).is_file():
        return
    from triage.case.lock import live_writer

    if live_writer(Path(case_dir)) is not None:
        return  # the writer lock refuses this run, naming the holder: that is the message to give
    with Case.open(case_dir, readonly=True, snapshot=True) as case:
        scans = case.scans()
    prior = scans[-1]["settings"] if scans else None
    if not prior:
        return
    check_resumed(
        registry or Registry(options.plugins),
        prior.get("analyzers", options.analyzers),
        prior.get("options", options.options),
    )


def check_resumed(registry: Registry, analyzers: Any, analyzer_options: Any) -> None:
    """The interrupted scan's analyzers and options, checked again (rule files may have changed since)."""
    _, problems = check_options(registry, analyzers, analyzer_options)
    if problems:
        raise OptionError([f"--resume (options of the interrupted scan): {p}" for p in problems])
