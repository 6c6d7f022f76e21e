"""The public plugin API of triage (semantic version :data:`API_VERSION`).

A plugin is a module (or object) with pluggy hook implementations marked with
:data:`hookimpl`. The per-file hot path does not go through hooks: a plugin registers
:class:`Analyzer` classes, and the engine feeds every analyzer the same chunks of each
file's content in one pass. Analyzers write only through their :class:`AnalyzerContext`.

Example::

    from triage.plugin import Analyzer, AnalyzerContext, hookimpl

    class Greeter(Analyzer):
        name = "greeter"
        version = "1.0.0"

        def start(self, ctx: AnalyzerContext) -> None:
            self.ctx = ctx

        def update(self, chunk: bytes) -> None:
            if b"hello" in chunk:
                self.ctx.add_finding("greeting", "hello")

    @hookimpl
    def triage_analyzers() -> list[type[Analyzer]]:
        return [Greeter]
"""

from __future__ import annotations

import argparse
import fnmatch
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar, Protocol

import pluggy

API_VERSION = "2.2.0"
"""Version of this API (semver). Analyzers declare what they need in ``api_version``:
``"2"`` (any 2.x) or ``"2.0"`` (2.0 or newer 2.x). 2.0 typed the post-scan hooks
(:class:`CaseView`) and removed ``Analyzer.process_safe``, ``FileInfo.extra`` and the never-called
``triage_options``/``triage_case_opened`` hooks. 2.1 added :class:`PostScanContext` (with
:meth:`PostScanContext.run_isolated`), :meth:`Analyzer.wants_more` and
:meth:`AnalyzerContext.read_at`. 2.2 added the full-text index: :class:`TextPiece`,
:meth:`AnalyzerContext.add_text`, :meth:`AnalyzerContext.read_slack`, :meth:`AnalyzerContext.record_gap`
and :meth:`PostScanCase.add_text`/:meth:`PostScanCase.clear_text`. 1.x analyzers (1.0 to 1.2) still load through an
adapter, with a deprecation warning, until :data:`LEGACY_API_END` (see docs/plugins.md)."""

LEGACY_API = "1.2"
"""The newest 1.x API the adapter accepts: an analyzer declaring ``"1"``, ``"1.1"`` or ``"1.2"`` loads."""
LEGACY_API_END = "2027-12-31"
"""Last day a 1.x plugin is supported; after it the adapter is removed."""

SEVERITIES = ("info", "notable", "alert")
"""Finding severities, from least to most urgent: ``alert`` asks the examiner to look now."""

PROJECT = "triage"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


@dataclass(frozen=True)
class Option:
    """A typed analyzer option; it becomes a CLI flag ``--<analyzer>-<name>`` and a GUI form field."""

    name: str
    type: type[Any]
    default: Any
    help: str = ""
    choices: Sequence[Any] | None = None

    def parse(self, text: str) -> Any:
        """Convert a command-line string to this option's type and :meth:`check` it (``ValueError``)."""
        value: Any
        if self.type is bool:
            word = text.strip().lower()
            if word not in _TRUE + _FALSE:
                raise ValueError(f"{text!r} is not a yes/no value (use true or false)")
            value = word in _TRUE
        elif self.type is list:
            value = [t for t in (s.strip() for s in text.split(",")) if t]
        else:
            try:
                value = self.type(text.strip() if self.type in (int, float) else text)
            except (TypeError, ValueError) as exc:
                raise ValueError(f"{text!r} is not a valid {self.type.__name__}") from exc
        return self.check(value)

    def check(self, value: Any) -> Any:
        """``value`` if it has this option's type and is within its choices (each item, for a list);
        a ``ValueError`` with a one-line reason otherwise. Ints are accepted for float options."""
        if self.type is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if self.type is list and isinstance(value, tuple):
            value = list(value)
        if not isinstance(value, self.type) or (self.type is int and isinstance(value, bool)):
            raise ValueError(f"expected {self.type.__name__}, not {type(value).__name__} {value!r}")
        if self.choices is not None:
            items = value if self.type is list else [value]
            bad = [v for v in items if v not in self.choices]
            if bad:
                raise ValueError(
                    f"{', '.join(repr(v) for v in bad)} is not one of {', '.join(map(str, self.choices))}"
                )
        return value


_TRUE = ("1", "true", "yes", "on")
_FALSE = ("0", "false", "no", "off")


@dataclass(frozen=True)
class FileFilter:
    """Which files an analyzer wants; an empty field means "any", and all given fields must match.

    Patterns are case-insensitive shell globs (``*.kdbx``); ``path_patterns`` match the full
    path inside the file system (``/Users/*/AppData/*``); ``mime_types`` may be globs too
    (``text/*``); ``deleted`` is ``True`` for deleted files only, ``False`` for allocated only.
    """

    name_patterns: tuple[str, ...] = ()
    mime_types: tuple[str, ...] = ()
    min_size: int | None = None
    max_size: int | None = None
    path_patterns: tuple[str, ...] = ()
    deleted: bool | None = None

    def accepts_metadata(self, info: FileInfo) -> bool:
        """Name, path, size and deletion tests, decided before any content is read."""
        if self.min_size is not None and info.size < self.min_size:
            return False
        if self.max_size is not None and info.size > self.max_size:
            return False
        if self.deleted is not None and info.deleted != self.deleted:
            return False
        if self.path_patterns and not _glob_any(info.path, self.path_patterns):
            return False
        return not self.name_patterns or _glob_any(info.name, self.name_patterns)

    def accepts_type(self, info: FileInfo) -> bool:
        """MIME test, decided once the file type is known (after the first chunk)."""
        if not self.mime_types:
            return True
        mime = info.mime or ""
        return any(fnmatch.fnmatchcase(mime, p) for p in self.mime_types)


TEXT_SOURCES = ("text", "strings", "slack", "unallocated")
"""Where indexed text comes from (API 2.2): text extracted from a document, raw strings of a file's
content, raw strings of its slack (after the end of its content), raw strings of unallocated space."""

GAP_KINDS = (
    "failed",
    "damaged",
    "timed-out",
    "skipped-by-limit",
    "encrypted",
    "no-filesystem",
    "plugin-failure",
    "not-scanned",
    "truncated",
)
"""The completeness-ledger kinds :meth:`AnalyzerContext.record_gap` takes (API 2.2)."""


@dataclass(frozen=True)
class TextPiece:
    """A piece of text for the case's full-text index (API 2.2; see docs/search.md).

    ``source`` is one of :data:`TEXT_SOURCES`. For ``text``, ``base`` is the character offset of
    ``text`` in the text extracted from ``member`` (``None``: the whole file; else a part such as
    ``word/document.xml``, ``page 3`` or ``table messages``). For raw strings (``strings``, ``slack``,
    ``unallocated``) ``text`` is the strings joined by ``\\n`` and ``spans`` maps them back to bytes:
    one ``(position in text, byte offset, width)`` per string, width 1 (ASCII) or 2 (UTF-16LE), so
    the character at ``position + k`` is at byte ``offset + k * width``. Byte offsets are in the
    file's content (``icat``; slack continues past the end, as ``icat -s`` gives it) or, for
    unallocated space, in the volume (``blkcat``).
    """

    source: str
    text: str
    base: int = 0
    member: str | None = None
    spans: tuple[tuple[int, int, int], ...] = ()


@dataclass
class FileInfo:
    """What an analyzer knows about the file it is fed. ``mime``/``description`` fill in after chunk one."""

    file_id: int
    path: str
    name: str
    size: int
    deleted: bool
    partition: int
    inode: int | None = None
    stream: str | None = None
    mtime: int | None = None
    mime: str | None = None
    description: str | None = None

    @property
    def extension(self) -> str:
        """Lower-case extension without the dot (``""`` when there is none)."""
        base = self.name.rsplit(":", 1)[0] if self.stream else self.name
        return base.rsplit(".", 1)[1].lower() if "." in base.strip(".") else ""


def _glob_any(text: str, patterns: Sequence[str]) -> bool:
    low = text.lower()
    return any(fnmatch.fnmatchcase(low, p.lower()) for p in patterns)


class AnalyzerContext(Protocol):
    """How an analyzer reports. It never touches the case store."""

    file: FileInfo
    options: Mapping[str, Any]

    @property
    def results(self) -> Mapping[str, Any]:
        """Read-only view of what analyzers recorded for this file so far (``sha256``, ``mime``, …).

        In ``finish()`` it holds every result of the analyzers named in ``requires``.
        """

    def set_result(self, key: str, value: Any) -> None:
        """Record a per-file value under a key this analyzer owns: its namespace (``name``,
        ``name_*``), its ``result_keys``, or a key no one owns. The core's columns (``md5``,
        ``mime``, ``status``, sizes, times …) and other analyzers' keys are refused as a recorded
        error on the file; the value already there is kept (see docs/plugins.md)."""

    def add_finding(
        self, kind: str, name: str, severity: str = "info", details: Mapping[str, Any] | None = None
    ) -> None:
        """Record a finding about this file; the plugin name and version are added for you.

        ``severity`` is one of :data:`SEVERITIES` (another value refuses the finding, as a recorded
        error); ``details`` are JSON values, kept nested as given."""

    def warning(self, message: str) -> None:
        """Record a non-fatal problem (for example "scanned only the first 256 MiB")."""

    def error(self, message: str) -> None:
        """Record that this analyzer could not complete on this file."""

    def add_extra_file(self, name: str, data: bytes) -> str:
        """Store a derived file in the case; returns its path relative to the case folder."""

    def read_at(self, offset: int, n: int) -> bytes:
        """Up to ``n`` bytes of this file's content from ``offset`` (fewer at the end; ``b""`` past it),
        read through the core's one content reader (:mod:`triage.evidence.content`), for random-access
        analyzers (a footer, a directory at an offset). Independent of the chunks ``update`` gets;
        a read error raises ``OSError`` (API 2.1)."""

    def add_text(self, piece: TextPiece) -> None:
        """Give a :class:`TextPiece` of this file to the case's full-text index; it is stored with the
        file's results, in the same transaction (API 2.2). A malformed piece is a recorded error."""

    def read_slack(self, limit: int) -> bytes:
        """The file's slack: up to ``limit`` bytes after the end of its content, to the end of its last
        allocated block (``icat -s`` minus ``icat``); ``b""`` for resident or slack-less files. It
        continues at byte ``file.size`` of the content (API 2.2; a read error raises ``OSError``)."""

    def record_gap(self, kind: str, reason: str, size: int | None = None) -> None:
        """Record a completeness-ledger entry for this file (a kind of :data:`GAP_KINDS`, say
        ``"truncated"`` for text extraction cut off at a limit; ``size``: the bytes not examined).
        API 2.2."""


class Analyzer:
    """Base class for analyzers: one instance per worker process, reused file after file.

    Lifecycle: ``setup()`` once per process, then for each accepted file ``start(ctx)``,
    ``update(chunk)`` for every chunk in order, ``finish()``; ``teardown()`` at the end.
    """

    name: ClassVar[str] = ""
    version: ClassVar[str] = "0.0.0"
    api_version: ClassVar[str] = "1"
    description: ClassVar[str] = ""
    options: ClassVar[tuple[Option, ...]] = ()
    filters: ClassVar[FileFilter] = FileFilter()
    phase: ClassVar[int] = 1
    """0 for analyzers that must see chunk one before others are chosen (file type)."""
    needs_content: ClassVar[bool] = True
    """False for analyzers that only look at metadata; ``update`` is then never called."""
    time_budget: ClassVar[float] = 60.0
    """Seconds per file; going over is recorded as a warning on the file."""
    requires: ClassVar[tuple[str, ...]] = ()
    """Analyzers whose per-file results this one reads through ``ctx.results`` (for example
    ``("hashes",)``). They are run whenever this one runs, and their ``finish()`` comes first."""
    opt_in: ClassVar[bool] = False
    """Left out of a scan that names no analyzers; chosen by name or with ``--analyzers +NAME``
    (the defaults plus it). For analyzers whose cost an examiner should choose (API 2.2)."""
    result_keys: ClassVar[tuple[str, ...]] = ()
    """Result keys this analyzer owns besides its own namespace (its ``name`` and ``name_*``), for
    example ``("high_entropy",)``. No other analyzer may write them (API 1.2)."""

    @classmethod
    def check_options(cls, options: Mapping[str, Any]) -> list[str]:
        """Problems with these option values (defaults merged, each already of its declared type),
        one line each: ``file:line: reason`` for a file, ``option: reason`` otherwise. ``[]`` if fine.

        Called once, before any evidence is opened and before any case is created: a problem stops
        the scan with exit 2. Check what ``setup()`` would refuse (rule files that do not compile, a
        database that does not open). May also raise ``ValueError`` with one problem (API 1.2).
        """
        return []

    def __init__(self, options: Mapping[str, Any] | None = None) -> None:
        merged = {o.name: o.default for o in self.options}
        merged.update(options or {})
        self.config: dict[str, Any] = merged

    def setup(self) -> None:
        """Prepare expensive state once per process (compile rules, open databases)."""

    def start(self, ctx: AnalyzerContext) -> None:
        """Begin a file."""

    def update(self, chunk: bytes) -> None:
        """Consume the next chunk of the file's content."""

    def wants_more(self) -> bool:
        """Asked after each ``update``: ``False`` when this analyzer needs no more chunks of this file
        (a header-only analyzer, after its header). It then gets no more ``update`` calls for this
        file, and still gets ``finish()``. When no analyzer wants more, the engine stops reading the
        file (the ``hashes`` analyzer always wants the whole file). API 2.1."""
        return True

    def finish(self) -> None:
        """End the file: report results through the context given to ``start``."""

    def teardown(self) -> None:
        """Release what ``setup`` acquired."""


class CaseView(Protocol):
    """The read-only part of a case that the post-scan and bundle hooks receive (API 2.0).

    :class:`triage.case.store.Case` satisfies it structurally; rows are plain dicts as ``Case`` returns them.
    """

    @property
    def path(self) -> Path:
        """The case folder."""

    def scans(self) -> list[dict[str, Any]]:
        """Every scan, oldest first (``id``, ``settings``, ``status`` …)."""

    def evidence(self, evidence_id: int | None = None) -> list[dict[str, Any]]:
        """The evidence sources of the case (``id``, ``path`` …), or the one with ``evidence_id``."""

    def partitions(self, evidence_id: int | None = None) -> list[dict[str, Any]]:
        """The partitions (``id``, ``idx``, ``offset``, ``fs_type`` …) of one evidence, or of all (API 2.1)."""

    def files_ranked_by(self, key: str, evidence_ids: Sequence[int], limit: int = 20) -> Any:
        """Files of these evidence sources with a numeric result ``key`` (``yara_seconds``), highest
        first: a :class:`triage.case.records.RankedFiles` (``files``, ``count``, ``total``). API 2.1."""


class PostScanCase(CaseView, Protocol):
    """What ``triage_scan_finished`` may do besides reading: record problems, findings and audit events."""

    def add_error(self, source: str, message: str, **where: Any) -> None:
        """Record an error (``scan_id=``, ``evidence_id=``, ``partition_id=``): a result is missing or
        wrong (it counts in the scan's exit code)."""

    def add_warning(self, source: str, message: str, **where: Any) -> None:
        """Record a warning: the results are complete, but the examiner should know this."""

    def add_finding(
        self,
        *,
        plugin: str,
        plugin_version: str,
        kind: str,
        name: str,
        severity: str = "info",
        details: dict[str, Any] | None = None,
        file_id: int | None = None,
        evidence_id: int | None = None,
        scan_id: int | None = None,
    ) -> None:
        """Record a finding, with or without a file (unallocated space: ``file_id=None``). API 2.1."""

    def add_text(
        self, pieces: Sequence[TextPiece], *, evidence_id: int, partition_id: int | None = None
    ) -> None:
        """Add text without a file (unallocated space) to the full-text index. API 2.2."""

    def add_gap(self, kind: str, reason: str, *, source: str, **where: Any) -> None:
        """Record a completeness-ledger entry (a kind of :data:`GAP_KINDS`; ``scan_id=``,
        ``evidence_id=``, ``partition_id=``, ``size=``), for what was not examined. API 2.2."""

    def clear_text(self, *, evidence_id: int, partition_id: int | None, source: str) -> None:
        """Drop the index's text of ``source`` without a file for this partition (before indexing it
        again, so that a resumed or repeated scan adds no duplicates). API 2.2."""

    def audit(self, action: str, details: dict[str, Any] | None = None, who: str | None = None) -> None:
        """Append one event to the case's audit log."""


@dataclass(frozen=True)
class PostScanContext:
    """What ``triage_scan_finished(context)`` is told about the scan that just completed (API 2.1).

    ``options`` are the analyzers' options as the scan was given them (defaults not merged);
    ``evidence_ids`` the evidence sources this scan covered. Work that touches evidence (libtsk,
    image reads) or native code that may crash runs through :meth:`run_isolated`, in a child process:
    the GUI calls this hook in its own process.
    """

    case: PostScanCase
    scan_id: int
    analyzers: tuple[str, ...]
    options: Mapping[str, Mapping[str, Any]]
    evidence_ids: tuple[int, ...]

    def options_of(self, analyzer: str, declared: Sequence[Option] = ()) -> dict[str, Any]:
        """One analyzer's options in this scan, the ``declared`` defaults filled in."""
        out = {o.name: o.default for o in declared}
        out.update(self.options.get(analyzer, {}))
        return out

    def run_isolated(self, fn: Callable[..., Any], *args: Any, timeout: float | None = None) -> Any:
        """``fn(case, *args)`` in a child process; returns what it returns (a picklable value).

        ``fn`` must be a module-level function of an importable module; ``case`` is a
        :class:`PostScanCase` whose reads come from the case opened read-only in the child and whose
        writes (``add_error``, ``add_warning``, ``add_finding``, ``audit``) are made by this process as
        they arrive, so what the child recorded before a crash is kept. A crash, an exception in the
        child or going over ``timeout`` seconds raises :class:`IsolatedError` with the reason.
        """
        from triage.scan.isolated import run_isolated

        return run_isolated(self.case, fn, args, timeout=timeout)


class IsolatedError(RuntimeError):
    """Work run by :meth:`PostScanContext.run_isolated` did not finish: the message says why."""


class Hookspecs:
    """Hook specifications; plugins implement any subset with :data:`hookimpl`."""

    @hookspec
    def triage_analyzers(self) -> list[type[Analyzer]]:  # type: ignore[empty-body]
        """Return the analyzer classes this plugin provides."""

    @hookspec
    def triage_scan_finished(self, case: PostScanCase, scan_id: int, context: PostScanContext) -> None:
        """A scan completed: post-process across files. Take ``context`` (API 2.1; ``case`` and
        ``scan_id`` are ``context.case`` and ``context.scan_id``, kept for 2.0 implementations)."""

    @hookspec
    def triage_bundle_contribute(  # type: ignore[empty-body]
        self, case: CaseView, bundle_data: Path, selection: Sequence[int]
    ) -> list[Path]:
        """Add files under ``bundle_data`` (the bag's ``data/``) and return their paths."""

    @hookspec
    def triage_cli_commands(self, subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
        """Add subcommands; set ``func=callable(args) -> int`` as the parser default."""


def api_legacy(required: str) -> bool:
    """True when ``required`` is a 1.x API (up to :data:`LEGACY_API`) that loads through the adapter."""
    try:
        need = [int(p) for p in required.strip().split(".")[:2]]
    except ValueError:
        return False
    return need[0] == 1 and (len(need) < 2 or need[1] <= int(LEGACY_API.split(".")[1]))


def legacy_warning(plugin: str) -> str:
    """The deprecation line recorded for a plugin that targets the 1.x API."""
    return (
        f"plugin {plugin} targets plugin API 1.x; support ends {LEGACY_API_END}, port it to "
        f"{API_VERSION.split('.')[0]}.0 (see docs/plugins.md)"
    )


def api_compatible(required: str) -> bool:
    """True when an analyzer that needs API ``required`` (``"1"``, ``"1.1"``, ``"1.1.0"``) can run here.

    Same major version, and at least the required minor version (semver).
    """
    try:
        need = [int(p) for p in required.strip().split(".")[:2]]
        have = [int(p) for p in API_VERSION.split(".")[:2]]
    except ValueError:
        return False
    if need[0] != have[0]:
        return False
    return len(need) < 2 or need[1] <= have[1]


# -- services offered to plugins (API 2.0) --------------------------------------------------------
# Thin, typed entry points into the core, so that plugins (built-ins included) import nothing but
# this module. Each delegates to the core lazily: importing triage.plugin stays cheap, and the core
# never imports a plugin.


class HashSetLookup(Protocol):
    """An open, read-only hash set database (see :func:`open_hash_sets`)."""

    def sets(self) -> Sequence[Any]:
        """The imported sets (name, version, category …)."""

    def lookup(
        self, *, md5: str | None = None, sha1: str | None = None, sha256: str | None = None
    ) -> Sequence[Any]:
        """One hit per set holding any of the hex digests (``set``, ``category``, ``algorithms``, ``to_json()``)."""

    def close(self) -> None:
        """Release the database."""


def default_hash_sets_path() -> Path:
    """The hash set database used when none is named ($TRIAGE_HASHSETS_DB or the user data folder)."""
    from triage.hashsets import default_db_path

    return default_db_path()


def open_hash_sets(path: str | Path | None = None) -> HashSetLookup:
    """Open a hash set database read-only (the default one when ``path`` is None); ``OSError``/``sqlite3``
    errors propagate with the reason."""
    from triage.hashsets import HashDB

    return HashDB(Path(path) if path else default_hash_sets_path(), readonly=True)


def identifier_providers() -> Any:
    """The provider map (built-in plus user data) that attributes an identifier to a service provider:
    ``.attribute(kind, normalised, details).to_dict()``."""
    from triage.requests.providers import default_map

    return default_map()


def contribute_preservation_drafts(case: Any, bundle_data: Path, selection: Sequence[int]) -> list[Path]:
    """Write the drafts marked with ``triage requests draft --attach`` under ``bundle_data``."""
    from triage.requests.attach import contribute

    return contribute(case, bundle_data, selection)


def open_evidence_cache() -> Any:
    """A cache of open images and file systems for content reads (close it when done)."""
    from triage.evidence.content import EvidenceCache

    return EvidenceCache()


def unallocated_runs(evidence: Mapping[str, Any], offset: int) -> list[tuple[int, int]]:
    """Runs ``(first block, count)`` of the unallocated blocks of the file system at byte
    ``offset`` of a case's evidence row: the core's one owner of that question
    (:mod:`triage.evidence.unallocated`, libtsk's block walk). Raises RuntimeError when it cannot tell."""
    from triage.evidence.unallocated import unallocated_runs as runs

    return runs(dict(evidence), offset)


def open_file_content(case: Any, file_id: int, cache: Any = None) -> Any:
    """Random access (``read(offset, n)``, ``chunks()``, ``size``) to one file of a case, through the
    core's content reader (:mod:`triage.evidence.content`)."""
    from triage.evidence.content import open_case_file

    return open_case_file(case, file_id, cache)


def run_keyword_list(
    case: Any, path: str | Path, *, scan_id: int | None = None, check_only: bool = False
) -> list[str]:
    """Check a keyword list (one term, or ``/regex/``, per line; ``#`` comments) and, unless
    ``check_only``, run it on ``case`` as the saved search named after the file: each hit becomes a
    ``keyword`` finding. Returns the list's problems, ``file:line: reason`` (API 2.2)."""
    from triage.search.keywords import check_file, run_file

    if check_only or case is None:
        return check_file(Path(path))
    return run_file(case, Path(path), scan_id=scan_id)
