"""The per-file context analyzers report through; it fills a :class:`FileResult`."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

from triage.case.records import FileProblem, GapKind, Severity
from triage.case.store import FileResult
from triage.case.textindex import piece_problem
from triage.errors import EvidenceError
from triage.plugin import SEVERITIES, Analyzer, FileInfo, TextPiece

COLUMN_OWNERS: dict[str, str] = {
    "md5": "hashes",
    "sha1": "hashes",
    "sha256": "hashes",
    "mime": "filetype",
    "description": "filetype",
    "ext_mismatch": "filetype",
}
"""The core's result columns and the built-in analyzer that alone may write each."""
COLUMN_KEYS = frozenset(COLUMN_OWNERS)
ENGINE = "engine"
ENGINE_KEYS = frozenset(
    {
        "id",
        "evidence",
        "evidence_id",
        "partition",
        "partition_id",
        "partition_offset",
        "parent_path",
        "path",
        "name",
        "name_raw",
        "inode",
        "attr_type",
        "attr_id",
        "stream",
        "type",
        "size",
        "deleted",
        "orphan",
        "realloc",
        "mtime",
        "atime",
        "ctime",
        "crtime",
        "fn_mtime",
        "fn_atime",
        "fn_ctime",
        "fn_crtime",
        "mode",
        "uid",
        "gid",
        "name_type",
        "link",
        "status",
        "error",
        "attributes",
        "damage",
        "damaged",
        "content_bytes",
    }
)
"""Keys of the inventory and of the engine's own per-file values: no analyzer writes them."""


class KeyOwners:
    """Who may write which result key: the one place the worker asks (see docs/plugins.md).

    The engine owns :data:`ENGINE_KEYS`; the built-ins own :data:`COLUMN_OWNERS`; every analyzer
    owns its namespace (a key equal to its name or starting with ``name_``, the longest name wins)
    and the ``result_keys`` it declares. Any other key belongs to the first analyzer that writes it
    on a file.
    """

    def __init__(self, analyzers: Iterable[type[Analyzer]] = ()) -> None:
        classes = list(analyzers)
        self.declared: dict[str, str] = dict(COLUMN_OWNERS)
        for cls in classes:
            for key in cls.result_keys:
                self.declared.setdefault(key, cls.name)
        self.names = sorted({cls.name for cls in classes}, key=len, reverse=True)

    def owner(self, key: str) -> str | None:
        """The analyzer (or ``"engine"``) that owns ``key``; ``None`` when nobody does."""
        if key in ENGINE_KEYS:
            return ENGINE
        if key in self.declared:
            return self.declared[key]
        return next((n for n in self.names if key == n or key.startswith(n + "_")), None)

    def refusal(self, key: Any, writer: str, claimed: Mapping[str, str]) -> str | None:
        """Why ``writer`` may not set ``key`` on this file (``claimed``: key → first writer), or ``None``."""
        if not isinstance(key, str) or not key:
            return f"set_result({key!r}) refused: a result key is a non-empty string"
        owner = self.owner(key) or claimed.get(key)
        if owner is None or owner == writer:
            return None
        if owner == ENGINE:
            whose = "a core column written by the engine only"
        elif key in COLUMN_OWNERS:
            whose = f"a core column owned by the {owner} analyzer"
        elif key in claimed and self.owner(key) is None:
            whose = f"already set on this file by the {owner} analyzer"
        else:
            whose = f"owned by the {owner} analyzer"
        return f"set_result({key!r}) refused: {key!r} is {whose}; this value was not recorded"


class FileContext:
    """Implements :class:`triage.plugin.AnalyzerContext` for one analyzer on one file."""

    def __init__(
        self,
        file: FileInfo,
        result: FileResult,
        plugin: str,
        version: str,
        options: Mapping[str, Any],
        extra_dir: Path | None,
        owners: KeyOwners | None = None,
        claimed: dict[str, str] | None = None,
        reader: Callable[[int, int], bytes] | None = None,
        slack: Callable[[int], bytes] | None = None,
    ) -> None:
        self.file = file
        self.options = options
        self._result = result
        self._plugin = plugin
        self._version = version
        self._extra_dir = extra_dir
        self._owners = owners or KeyOwners()
        self._claimed = claimed if claimed is not None else {}
        self._reader = reader
        self._slack = slack

    @property
    def results(self) -> Mapping[str, Any]:
        """Read-only view of this file's results so far (columns and attributes)."""
        return MappingProxyType({**self._result.attributes, **self._result.columns})

    def set_result(self, key: str, value: Any) -> None:
        refused = self._owners.refusal(key, self._plugin, self._claimed)
        if refused is not None:
            self._result.errors.append(FileProblem(self._plugin, refused))
            return
        self._claimed.setdefault(key, self._plugin)
        if key in COLUMN_KEYS:
            self._result.columns[key] = value
            if key in ("mime", "description"):
                setattr(self.file, key, value)
        else:
            self._result.attributes[key] = value

    def add_finding(
        self, kind: str, name: str, severity: str = "info", details: Mapping[str, Any] | None = None
    ) -> None:
        problem = _finding_problem(kind, name, severity, details)
        if problem is not None:
            self._result.errors.append(
                FileProblem(self._plugin, f"add_finding({kind!r}, {name!r}) refused: {problem}")
            )
            return
        kept = dict(details or {})
        for where in _not_json(kept, "details"):
            self._result.errors.append(
                FileProblem(
                    self._plugin,
                    f"finding {kind}/{name}: {where} is not a JSON value; stored as its text",
                    Severity.WARNING,
                )
            )
        self._result.findings.append(
            {
                "plugin": self._plugin,
                "plugin_version": self._version,
                "kind": kind,
                "name": name,
                "severity": severity,
                "details": kept,
            }
        )

    def warning(self, message: str) -> None:
        self._result.errors.append(FileProblem(self._plugin, message, Severity.WARNING))

    def error(self, message: str) -> None:
        self._result.errors.append(FileProblem(self._plugin, message))

    def read_at(self, offset: int, n: int) -> bytes:
        if self._reader is None:
            raise OSError("read_at: this file's content cannot be read here")
        if (
            isinstance(offset, bool)
            or not isinstance(offset, int)
            or not isinstance(n, int)
            or offset < 0
            or n < 0
        ):
            raise ValueError(f"read_at({offset!r}, {n!r}): offset and n are whole numbers >= 0")
        size = self.file.size
        if n == 0 or offset >= size:
            return b""
        try:
            return self._reader(offset, min(n, size - offset))
        except EvidenceError as exc:
            raise OSError(f"read error at offset {offset}: {exc}") from exc

    def add_text(self, piece: TextPiece) -> None:
        problem = piece_problem(piece)
        if problem is not None:
            self._result.errors.append(FileProblem(self._plugin, f"add_text refused: {problem}"))
            return
        self._result.text.append(piece)

    def read_slack(self, limit: int) -> bytes:
        if self._slack is None or self.file.size <= 0:
            return b""
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 0:
            raise ValueError(f"read_slack({limit!r}): limit is a whole number >= 0")
        try:
            return self._slack(limit)
        except EvidenceError as exc:
            raise OSError(f"slack read error: {exc}") from exc

    def record_gap(self, kind: str, reason: str, size: int | None = None) -> None:
        try:
            GapKind(kind)
        except ValueError:
            self._result.errors.append(
                FileProblem(self._plugin, f"record_gap refused: {kind!r} is not a gap kind")
            )
            return
        self._result.gaps.append((kind, str(reason), self._plugin, size))

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


def _finding_problem(kind: Any, name: Any, severity: Any, details: Any) -> str | None:
    if not isinstance(kind, str) or not kind:
        return "kind must be a non-empty string"
    if not isinstance(name, str):
        return "name must be a string"
    if severity not in SEVERITIES:
        return f"severity {severity!r} is not one of {', '.join(SEVERITIES)}"
    if details is not None and not isinstance(details, Mapping):
        return f"details must be a mapping, not {type(details).__name__}"
    return None


def _not_json(value: Any, where: str) -> list[str]:
    """Paths (``details.strings[0].data``) of values that JSON cannot hold as they are."""
    if value is None or isinstance(value, str | bool | int | float):
        return []
    if isinstance(value, Mapping):
        out = [f"{where} key {k!r}" for k in value if not isinstance(k, str)]
        for k, v in value.items():
            out += _not_json(v, f"{where}.{k}")
        return out
    if isinstance(value, list | tuple):
        return [p for i, v in enumerate(value) for p in _not_json(v, f"{where}[{i}]")]
    return [f"{where} ({type(value).__name__})"]
