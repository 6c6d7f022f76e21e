"""The YARA rule library as a core service: the CLI (``triage rules``) and the GUI's rule library
dialog check rules through here, with the one rule library there is, the built-in YARA plugin's
(``triage_plugins.yara_rules``): the same discovery, include resolution, engines and diagnostics
as a scan. It is reached by name when called, so the core does not depend on the plugins at import
time (see the import contracts in pyproject.toml).
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Iterable
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from triage.errors import UsageError

LIBRARY_MODULE = "triage_plugins.yara_rules"


def rule_library() -> ModuleType:
    """The rule library module; a :class:`UsageError` (exit 2) when the YARA plugin is not installed."""
    try:
        return importlib.import_module(LIBRARY_MODULE)
    except ImportError as exc:
        raise UsageError(f"the YARA plugin is not installed: {exc}") from exc


def load_library(
    paths: Iterable[str | os.PathLike[str]], engine: str = "yara", *, use_cache: bool = True
) -> Any:
    """Discover and compile the rule files under ``paths`` as a scan would (a ``RuleLibrary``: its
    ``report`` lists files and diagnostics). A missing engine raises ``ImportError``."""
    return rule_library().load_library(list(paths), engine, use_cache=use_cache)


@dataclass(frozen=True)
class RuleCheck:
    """What compiling one rule set gave: its rule files, and every diagnostic (``file``, ``line``,
    ``message``, ``level`` error|warning; ``str()`` is ``file:line: level: message``)."""

    path: str
    files: tuple[str, ...]
    diagnostics: tuple[Any, ...]

    @property
    def errors(self) -> int:
        return sum(1 for d in self.diagnostics if d.level == "error")

    @property
    def warnings(self) -> int:
        return sum(1 for d in self.diagnostics if d.level == "warning")


def check_rules(path: str | os.PathLike[str], engine: str = "yara") -> RuleCheck:
    """Compile the rule set at ``path`` (a file or a folder) without the compile cache, each file on
    its own, so one broken file does not hide the others' problems."""
    report = load_library([path], engine, use_cache=False).report
    return RuleCheck(str(path), tuple(f.path for f in report.files), tuple(report.diagnostics))


def rule_files(path: str | os.PathLike[str]) -> list[str]:
    """The rule files a scan would use from ``path`` (none when it is missing or holds none)."""
    files, _ = rule_library().discover([path])
    return [f.path for f in files]
