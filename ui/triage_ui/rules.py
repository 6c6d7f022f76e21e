"""The rule library: YARA rule folders and files the examiner keeps, each enabled or not,
persisted in QSettings. Checking them (compile diagnostics as ``file:line: level: message``) is the
core's rule service, :mod:`triage.rules`, over the YARA plugin's rule library: the UI has no YARA code."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from PySide6.QtCore import QSettings


@dataclass
class RuleSet:
    path: str
    enabled: bool = True


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
