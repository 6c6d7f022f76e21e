"""The per-file context analyzers report through; it fills a :class:`FileResult`."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

from triage.case.store import FileResult
from triage.plugin import FileInfo

COLUMN_KEYS = frozenset({"md5", "sha1", "sha256", "mime", "description", "ext_mismatch"})


class FileContext:
    """Implements :class:`triage.plugin.AnalyzerContext` for one analyzer on one file."""

    def __init__(self, file: FileInfo, result: FileResult, plugin: str, version: str,
                 options: Mapping[str, Any], extra_dir: Path | None) -> None:
        self.file = file
        self.options = options
        self._result = result
        self._plugin = plugin
        self._version = version
        self._extra_dir = extra_dir

    @property
    def results(self) -> Mapping[str, Any]:
        """Read-only view of this file's results so far (columns and attributes)."""
        return MappingProxyType({**self._result.attributes, **self._result.columns})

    def set_result(self, key: str, value: Any) -> None:
        if key in COLUMN_KEYS:
            self._result.columns[key] = value
            if key in ("mime", "description"):
                setattr(self.file, key, value)
        else:
            self._result.attributes[key] = value

    def add_finding(self, kind: str, name: str, severity: str = "info",
                    details: Mapping[str, Any] | None = None) -> None:
        self._result.findings.append({
            "plugin": self._plugin, "plugin_version": self._version, "kind": kind, "name": name,
            "severity": severity, "details": dict(details or {}),
        })

    def warning(self, message: str) -> None:
        self._result.errors.append((self._plugin, f"warning: {message}"))

    def error(self, message: str) -> None:
        self._result.errors.append((self._plugin, message))

    def add_extra_file(self, name: str, data: bytes) -> str:
        if self._extra_dir is None:
            raise RuntimeError("this scan keeps no extra files")
        digest = hashlib.sha256(data).hexdigest()[:16]
        safe = "".join(c if c.isalnum() or c in "._-" else "_" for c in name)[:80]
        rel = Path("extra") / self._plugin / f"{self.file.file_id}-{digest}-{safe}"
        target = self._extra_dir.parent / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        return str(rel)
