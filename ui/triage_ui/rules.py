"""The rule library: YARA rule folders and files the examiner keeps, each enabled or not,
persisted in QSettings, with compile diagnostics as ``file:line: message``."""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from pathlib import Path

from PySide6.QtCore import QSettings

RULE_SUFFIXES = {".yar", ".yara", ".rule", ".rules"}
_LOCATION = re.compile(r"^(?P<file>.*)\((?P<line>\d+)\): (?P<msg>.*)$")


@dataclass
class RuleSet:
    path: str
    enabled: bool = True


@dataclass
class Diagnostic:
    file: str
    line: int | None
    message: str
    level: str = "error"  # error | warning

    def __str__(self) -> str:
        return (
            f"{self.file}:{self.line}: {self.level}: {self.message}"
            if self.line
            else f"{self.file}: {self.level}: {self.message}"
        )


def rule_files(path: str | Path) -> list[Path]:
    p = Path(path)
    if p.is_file():
        return [p]
    if p.is_dir():
        return sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in RULE_SUFFIXES)
    return []


def check_rules(path: str | Path) -> list[Diagnostic]:
    """Compile every rule file of a set on its own; returns errors and warnings with locations."""
    import yara

    out: list[Diagnostic] = []
    files = rule_files(path)
    if not files:
        return [Diagnostic(str(path), None, "no rule files (.yar, .yara) found")]
    for f in files:
        try:
            rules = yara.compile(filepath=str(f), error_on_warning=False)
            del rules
        except yara.SyntaxError as exc:
            out.append(_diag(str(exc), str(f), "error"))
        except yara.Error as exc:
            out.append(Diagnostic(str(f), None, str(exc)))
        try:
            yara.compile(filepath=str(f), error_on_warning=True)
        except yara.WarningError as exc:
            out.append(_diag(str(exc), str(f), "warning"))
        except yara.Error:
            pass
    return out


def _diag(text: str, default_file: str, level: str) -> Diagnostic:
    first = text.strip().splitlines()[0] if text.strip() else text
    m = _LOCATION.match(first)
    if m:
        return Diagnostic(m["file"], int(m["line"]), m["msg"], level)
    m2 = re.match(r"line (\d+): (.*)", first)
    if m2:
        return Diagnostic(default_file, int(m2[1]), m2[2], level)
    return Diagnostic(default_file, None, first, level)


class RuleLibrary:
    """Rule sets in QSettings under ``rules/sets``."""

    KEY = "rules/sets"

    def __init__(self, settings: QSettings | None = None) -> None:
        self.settings = settings or QSettings()
        raw = self.settings.value(self.KEY, "[]")
        try:
            self.sets = [RuleSet(**d) for d in json.loads(str(raw))]
        except (ValueError, TypeError):
            self.sets = []

    def save(self) -> None:
        self.settings.setValue(self.KEY, json.dumps([asdict(s) for s in self.sets]))

    def add(self, path: str | Path) -> RuleSet:
        p = str(Path(path).resolve())
        for s in self.sets:
            if s.path == p:
                return s
        rs = RuleSet(p)
        self.sets.append(rs)
        self.save()
        return rs

    def remove(self, path: str) -> None:
        self.sets = [s for s in self.sets if s.path != path]
        self.save()

    def set_enabled(self, path: str, enabled: bool) -> None:
        for s in self.sets:
            if s.path == path:
                s.enabled = enabled
        self.save()

    def enabled_paths(self) -> list[str]:
        return [s.path for s in self.sets if s.enabled]
