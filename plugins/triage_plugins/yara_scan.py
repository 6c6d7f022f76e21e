"""YARA over every file's content in the single scan pass, plus (optionally) unallocated space.

Files up to ``max_in_memory`` bytes are scanned whole, once, in ``finish()``. Larger files are
scanned in overlapping windows as their chunks arrive; offsets are always absolute within the
file, a match found twice in an overlap is reported once, and the finding says ``windowed``.
Timeouts, windowed scans, truncated string lists and rule files left out of the scan are all
recorded in the case (``triage errors``). ``timeout`` is one budget per file; a rule that
exceeds it is isolated (:mod:`triage_plugins.yara_isolate`) and named, in an error and in the
file's ``yara_incomplete`` list (``"*"``: every rule, after the offset the error gives), and the
other rules keep their matches. After the scan, per-rule-file cost is measured on
the slowest files and written to the audit log (``triage rules stats CASE``).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from triage.plugin import (
    Analyzer,
    AnalyzerContext,
    CaseView,
    IsolatedError,
    Option,
    PostScanCase,
    PostScanContext,
    hookimpl,
    open_evidence_cache,
    open_file_content,
    unallocated_runs,
)
from triage_plugins.yara_isolate import SlowUnit, Unit, scan_unit, top_units
from triage_plugins.yara_rules import (
    ENGINES,
    MAX_DATA,
    RuleFile,
    RuleLibrary,
    RuleMatch,
    StringHit,
    compile_single,
    load_library,
)

__version__ = "1.0.0"
MiB = 1 << 20
DEFAULTS_NOTE = "scanned in windows"
GRACE = 1.0
"""Seconds past twice the timeout in which the units an isolation did not reach are still scanned
(each with the engines' minimum timeout of 1 s, until one of them times out): cheap rules take
milliseconds, so a slow rule found late does not cost the matches of the rules after it."""


class Merged:
    """Matches of one rule across windows, strings deduplicated by (identifier, absolute offset)."""

    def __init__(self, match: RuleMatch, rule_file: RuleFile | None) -> None:
        self.match = match
        self.rule_file = rule_file
        self.strings: dict[tuple[str, int], StringHit] = {}

    def add(self, hits: list[StringHit], base: int) -> None:
        for h in hits:
            key = (h.identifier, base + h.offset)
            old = self.strings.get(key)
            if old is None or h.length > old.length:  # a match cut by a window end is found whole in the next
                self.strings[key] = StringHit(h.identifier, base + h.offset, h.length, h.data)


class WindowScanner:
    """Accumulates bytes and scans them whole (``window=None``) or in overlapping windows.

    ``timeout`` is one budget for the whole file, across its windows and rule sets. When a scan
    runs out of it, the rule set is split into smaller units (see :mod:`triage_plugins.yara_isolate`)
    and the same bytes are scanned again with each, within a second budget of the same length:
    slow units are dropped (``slow``), every other rule keeps its matches, and the file's YARA work
    ends by twice ``timeout`` (plus at most :data:`GRACE` for the units a late slow rule left).
    """

    def __init__(
        self,
        library: RuleLibrary,
        externals: dict[str, Any],
        *,
        window: int | None,
        overlap: int,
        timeout: float,
        fast: bool = False,
        on_warning: Callable[[str], None] | None = None,
    ) -> None:
        self.library = library
        self.externals = externals
        self.window = window
        self.overlap = min(overlap, (window or 0) // 2) if window else 0
        self.t0 = time.monotonic()
        self.deadline = self.t0 + timeout
        self.timeout = timeout
        self.quantum = max(1, int(timeout // 3))  # seconds one unit may take once isolating
        # YARA-X counts whole seconds on a heartbeat: its timeout k fires in (k-1, k], so 1 s more
        self.slack = 1 if library.report.engine == "yara-x" else 0
        self.probe = 1  # the first, shortest try of each unit (a unit that cannot be split gets a second)
        self.isolating = False
        self.grace_spent = False
        self.units: list[Unit] = top_units(library)
        self.slow: list[SlowUnit] = []
        self.unevaluated: list[tuple[Unit, int, int]] = []  # the second budget ran out before these units ran
        self.fast = fast
        self.on_warning = on_warning
        self.buf = bytearray()
        self.base = 0
        self.scanned_to = 0
        self.windows = 0
        self.merged: dict[tuple[str, str], Merged] = {}

    def feed(self, chunk: bytes) -> None:
        self.buf += chunk
        if self.window is None:
            return
        while len(self.buf) >= self.window:
            self._scan(self.window)
            drop = self.window - self.overlap
            del self.buf[:drop]
            self.base += drop

    def close(self) -> None:
        end = self.base + len(self.buf)
        if self.windows == 0 or end > self.scanned_to:
            self._scan(len(self.buf))
        self.buf = bytearray()

    @property
    def incomplete(self) -> list[str]:
        """``namespace:rule`` (or a label) of every rule whose matches are missing somewhere in the file."""
        out: list[str] = []
        for u in [s.unit for s in self.slow] + [u for u, _, _ in self.unevaluated]:
            for name in u.rule_names or [u.label]:
                if name not in out:
                    out.append(name)
        return out

    def _scan(self, n: int) -> None:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError(f"no time left for the window at offset {self.base}")
        kept: list[Unit] = []
        end = self.base + n
        with memoryview(self.buf) as mv, mv[:n] as view:
            if self.isolating:
                self._isolate(self.units, view, end, kept)
            else:
                for i, unit in enumerate(self.units):
                    seconds = max(1, round(self.deadline - time.monotonic()))
                    if self._run(unit, view, seconds):
                        kept.append(unit)
                        continue
                    self.isolating = True  # the first budget is spent: isolate within the second
                    self.deadline = self.t0 + 2 * self.timeout
                    parts = unit.parts()
                    if parts:
                        self._isolate(parts, view, end, kept)
                    else:
                        self.slow.append(SlowUnit(unit, self.base, end, seconds))
                    self._isolate(self.units[i + 1 :], view, end, kept)
                    break
        self.units = kept
        self.scanned_to = end
        self.windows += 1

    def _run(self, unit: Unit, view: memoryview, seconds: int) -> bool:
        """Scan ``view`` with one unit and merge its matches; False when it timed out."""
        try:
            found = scan_unit(
                self.library.report.engine, unit, view, self.externals, seconds, self.fast, self.on_warning
            )
        except TimeoutError:
            return False
        for m in found:
            key = (m.namespace, m.rule)
            if key not in self.merged:
                self.merged[key] = Merged(m, self.library.rule_file(m.namespace, unit.precompiled))
            self.merged[key].add(m.strings, self.base)
        return True

    def _probe_seconds(self) -> tuple[int, bool] | None:
        """Timeout of one probe while isolating and whether it runs in the grace (None: no time left)."""
        left = self.deadline - time.monotonic()
        if left >= 0.5:
            return max(1, min(self.probe, round(left))), False
        if left > -GRACE and not self.grace_spent:
            return 1, True
        return None

    def _isolate(self, units: list[Unit], view: memoryview, end: int, kept: list[Unit]) -> None:
        """Each unit once at the shortest timeout (cheap ones finish), then the ones that timed out:
        split and isolated again, or, when they cannot be split, given the rest of a quantum."""
        suspects: list[tuple[Unit, int]] = []
        for unit in units:
            probe = self._probe_seconds()
            if probe is None:
                self.unevaluated.append((unit, self.base, end))
                continue
            seconds, in_grace = probe
            if self._run(unit, view, seconds):
                kept.append(unit)
            else:
                self.grace_spent = self.grace_spent or in_grace  # one timeout in the grace ends it
                suspects.append((unit, seconds))
        for unit, seconds in suspects:
            parts = unit.parts()
            if parts:
                self._isolate(parts, view, end, kept)
                continue
            left = self.deadline - time.monotonic()
            more = max(1, min(self.quantum + self.slack, round(left)))
            if left >= 0.5 and more > seconds and self._run(unit, view, more):
                kept.append(unit)
                continue
            self.slow.append(SlowUnit(unit, self.base, end, max(seconds, more) if left >= 0.5 else seconds))


def finding_details(merged: Merged, *, windowed: bool, max_strings: int, engine: str) -> dict[str, Any]:
    """The details of a YARA finding (the keys ``triage findings --json`` prints)."""
    m, rf = merged.match, merged.rule_file
    hits = sorted(merged.strings.values(), key=lambda h: (h.offset, h.identifier))
    out: dict[str, Any] = {
        "rule": m.rule,
        "namespace": m.namespace,
        "tags": list(m.tags),
        "meta": m.meta,
        "rule_file": rf.path if rf else None,
        "rule_file_sha256": rf.sha256 if rf else None,
        "strings": [
            {
                "identifier": h.identifier,
                "offset": h.offset,
                "length": h.length,
                "data_hex": h.data[:MAX_DATA].hex(),
            }
            for h in hits[:max_strings]
        ],
        "windowed": windowed,
        "engine": engine,
    }
    if len(hits) > max_strings:
        out["strings_total"] = len(hits)
        out["strings_truncated"] = True
    return out


def externals_for(path: str, name: str, size: int, description: str | None) -> dict[str, Any]:
    """The standard externals of one file (see :data:`triage_plugins.yara_rules.EXTERNALS`)."""
    base = name.rsplit(":", 1)[0] if ":" in name else name
    ext = ("." + base.rsplit(".", 1)[1].lower()) if "." in base.strip(".") else ""
    return {
        "filename": name,
        "filepath": path,
        "extension": ext,
        "filetype": description or "",
        "owner": "",
        "filesize": size,
    }


class YaraAnalyzer(Analyzer):
    """YARA rules over each file's content (deleted files and data streams included)."""

    name = "yara"
    version = __version__
    api_version = "2.0"
    description = "YARA rules over every file's content; windows for large files; optional unallocated space"
    # No ``requires = ("filetype",)``: libmagic costs about as much per file as YARA itself. The
    # ``filetype`` external is the libmagic description whenever the filetype analyzer runs (every
    # default scan: it is phase 0, so the type is known before YARA starts), and "" with --analyzers yara.
    options = (
        Option(
            "rules",
            list,
            [],
            "YARA rule files or folders (.yar .yara .rule .rules, precompiled .yarc), comma separated",
        ),
        Option("engine", str, "yara", "yara (yara-python) or yara-x", choices=ENGINES),
        Option(
            "max_in_memory", int, 256 * MiB, "files up to this size are scanned whole; larger ones in windows"
        ),
        Option("window", int, 0, "window size for larger files (0: max_in_memory)"),
        Option(
            "overlap",
            int,
            1 * MiB,
            "bytes shared by consecutive windows (longest match found across a boundary)",
        ),
        Option(
            "timeout",
            int,
            60,
            "seconds per file (and per unallocated run), across windows and rule sets; "
            "slow rules are then isolated within as much again",
        ),
        Option("fast", bool, False, "fast mode: only the first match of each string"),
        Option(
            "max_strings", int, 1000, "string matches stored per finding (the total is recorded when cut)"
        ),
        Option(
            "unallocated", bool, False, "also scan each partition's unallocated space (after the file pass)"
        ),
        Option(
            "profile_seconds",
            float,
            10.0,
            "after the scan, seconds spent timing each rule file on the slowest files",
        ),
        Option(
            "skip_broken",
            bool,
            False,
            "scan with the rule files that compile and record the others as errors "
            "(default: a rule file that does not compile stops the scan before it starts)",
        ),
    )

    @classmethod
    def check_options(cls, options: Mapping[str, Any]) -> list[str]:
        """Compile the rules (the result is cached for the workers): every error, as ``file:line: reason``.

        A missing path always stops the scan; a rule file that does not compile stops it unless
        ``skip_broken`` is set, and then only when no rule compiles at all.
        """
        problems = [
            f"yara.{k}: must be at least {low}, not {options[k]}"
            for k, low in (
                ("max_in_memory", 1),
                ("window", 0),
                ("overlap", 0),
                ("timeout", 1),
                ("max_strings", 0),
            )
            if k in options and options[k] < low
        ]
        if problems or not options.get("rules"):
            return problems
        try:
            library = load_library(options["rules"], options["engine"])
        except ImportError as exc:
            return [
                f"yara.engine: {options['engine']} is not installed ({exc}); "
                f"try: pip install 'triage-workstation[yarax]'"
            ]
        report = library.report
        missing = [
            d for d in report.errors if d.line is None and not any(f.path == d.file for f in report.files)
        ]
        if missing or (report.errors and not options.get("skip_broken")) or library.empty:
            return [str(d) for d in (report.errors or [])] or [
                f"yara.rules: no YARA rules compiled from {', '.join(options['rules'])}"
            ]
        return []

    def setup(self) -> None:
        self.library: RuleLibrary | None = None
        if not self.config["rules"]:
            self.needs_content = False  # type: ignore[misc]  # nothing to do: the worker then feeds us no chunks
            return
        self.library = load_library(self.config["rules"], self.config["engine"])
        if self.library.empty:
            errs = "; ".join(str(d) for d in self.library.report.errors[:3])
            raise RuntimeError(f"no YARA rules compiled from {', '.join(self.config['rules'])}: {errs}")
        self.max_in_memory = int(self.config["max_in_memory"])
        self.window_size = int(self.config["window"]) or self.max_in_memory
        self.time_budget = 2 * float(self.config["timeout"]) + 10.0  # type: ignore[misc]  # see WindowScanner
        self.scanner: WindowScanner | None = None

    def start(self, ctx: AnalyzerContext) -> None:
        self.scanner = None
        if self.library is None:
            return
        self.ctx = ctx
        f = ctx.file
        self.t0 = time.perf_counter()
        self.failed = False
        self.warnings: list[str] = []
        self.windowed = f.size > self.max_in_memory
        self.scanner = WindowScanner(
            self.library,
            externals_for(f.path, f.name, f.size, f.description),
            window=self.window_size if self.windowed else None,
            overlap=int(self.config["overlap"]),
            timeout=float(self.config["timeout"]),
            fast=bool(self.config["fast"]),
            on_warning=self._warn,
        )
        if not self.windowed and f.size:
            self.scanner.buf = bytearray()

    def _warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)

    def update(self, chunk: bytes) -> None:
        if self.scanner is None or self.failed:
            return
        if not self.windowed and len(self.scanner.buf) + len(chunk) > self.max_in_memory:
            self.windowed = True  # more content than the recorded size said
            self.scanner.window = self.window_size
            self.scanner.overlap = min(int(self.config["overlap"]), self.window_size // 2)
        try:
            self.scanner.feed(chunk)
        except TimeoutError:
            self._timed_out()

    def _timed_out(self) -> None:
        assert self.scanner is not None
        self.failed = True
        done = self.scanner.scanned_to
        limit = (
            f"{self.config['timeout']} s"
            if not self.scanner.isolating
            else f"twice its {self.config['timeout']} s timeout (slow rules were being isolated)"
        )
        self.ctx.error(
            f"YARA time limit reached after {limit}; scanned {done} of {self.ctx.file.size} bytes "
            f"completely, matches of every rule after offset {done} are missing"
        )
        self.scanner.buf = bytearray()

    def finish(self) -> None:
        sc = self.scanner
        if sc is None:
            return
        if not self.failed:
            try:
                sc.close()
            except TimeoutError:
                self._timed_out()
        if self.windowed:
            self.ctx.warning(
                f"{DEFAULTS_NOTE}: {sc.windows} windows of {self.window_size} bytes overlapping by {sc.overlap} bytes "
                f"(file larger than max_in_memory {self.max_in_memory}); conditions on filesize, on offsets beyond a "
                f"window and on string counts across windows may differ from a whole-file scan"
            )
            self.ctx.set_result("yara_windows", sc.windows)
        for w in self.warnings:
            self.ctx.warning(w)
        self._report_incomplete(sc)
        max_strings = int(self.config["max_strings"])
        for merged in sorted(sc.merged.values(), key=lambda m: (m.match.namespace, m.match.rule)):
            details = finding_details(
                merged, windowed=self.windowed, max_strings=max_strings, engine=self.config["engine"]
            )
            if details.get("strings_truncated"):
                self.ctx.warning(
                    f"rule {merged.match.rule}: {details['strings_total']} string matches, "
                    f"the first {max_strings} are stored (option yara.max_strings)"
                )
            self.ctx.add_finding("yara", merged.match.rule, "alert", details)
        self.ctx.set_result("yara_seconds", round(time.perf_counter() - self.t0, 6))
        self.scanner = None

    def _report_incomplete(self, sc: WindowScanner) -> None:
        """Name every rule that timed out (or was not run in time): errors, and ``yara_incomplete``."""
        for slow in sc.slow:
            self.ctx.error(slow.describe(sc.timeout))
        for unit, start, end in sc.unevaluated:
            names = unit.rule_names
            what = (
                f"{unit.label} ({', '.join(names[:10])}{' …' if len(names) > 10 else ''})"
                if names
                else unit.label
            )
            self.ctx.error(
                f"YARA {what} not run on bytes {start}-{end}: the file's YARA time limit "
                f"(twice the {sc.timeout:g} s timeout) was used up isolating slow rules"
            )
        if sc.slow or sc.unevaluated or self.failed:
            self.ctx.set_result("yara_incomplete", sc.incomplete or ["*"])


@hookimpl
def triage_analyzers() -> list[type[Analyzer]]:
    return [YaraAnalyzer]


# -- after the scan ------------------------------------------------------------------------------
POST_SCAN_TIMEOUT: float | None = None
"""Seconds the post-scan work may take in its child process (None: no limit; unallocated space of a
large image takes long, and it can be cancelled with the scan)."""


def scan_options(context: PostScanContext) -> dict[str, Any] | None:
    """The YARA options of a scan (defaults filled in), or None when YARA did not run with rules."""
    if "yara" not in context.analyzers:
        return None
    opts = context.options_of("yara", YaraAnalyzer.options)
    return opts if opts["rules"] else None


@hookimpl
def triage_scan_finished(context: PostScanContext) -> None:
    """Rule report, unallocated space and rule cost, in a child process (it compiles rules and reads
    evidence through libtsk: in the GUI, this hook runs in the GUI's process)."""
    opts = scan_options(context)
    if opts is None:
        return
    try:
        context.run_isolated(
            post_scan_work, context.scan_id, list(context.evidence_ids), opts, timeout=POST_SCAN_TIMEOUT
        )
    except IsolatedError as exc:
        context.case.add_error("plugin:yara", f"post-scan work stopped: {exc}", scan_id=context.scan_id)


def post_scan_work(case: PostScanCase, scan_id: int, evidence_ids: list[int], opts: dict[str, Any]) -> None:
    """The post-scan work itself (run in the child by :meth:`PostScanContext.run_isolated`)."""
    try:
        lib = load_library(opts["rules"], opts["engine"])
    except Exception as exc:
        case.add_error("plugin:yara", f"cannot load the rule library after the scan: {exc}", scan_id=scan_id)
        return
    report = lib.report
    for d in report.errors:
        case.add_error("plugin:yara", f"rule file left out of the scan: {d}", scan_id=scan_id)
    case.audit(
        "yara.rules",
        {
            "scan_id": scan_id,
            "engine": report.engine,
            "key": report.key,
            "files": len(report.files),
            "rules": report.rules,
            "failed_files": [f.path for f in report.failed],
            "warnings": sum(1 for d in report.diagnostics if d.level == "warning"),
        },
    )
    if opts["unallocated"] and not lib.empty:
        scan_unallocated(case, scan_id, evidence_ids, lib, opts)
    try:
        case.audit("yara.cost", measure_cost(case, scan_id, evidence_ids, lib, opts))
    except Exception as exc:
        case.add_warning(
            "plugin:yara", f"rule cost not measured: {type(exc).__name__}: {exc}", scan_id=scan_id
        )


def measure_cost(
    case: CaseView,
    scan_id: int,
    evidence_ids: list[int],
    lib: RuleLibrary,
    opts: dict[str, Any],
    top: int = 5,
) -> dict[str, Any]:
    """Slowest files of the scan, and the time of each rule file on them (within ``profile_seconds``)."""
    ranked = case.files_ranked_by("yara_seconds", evidence_ids, 20)
    slowest = [
        {"file_id": f.file_id, "path": f.path, "size": f.size, "seconds": f.value} for f in ranked.files
    ]
    # their slow rules are named already: not timed again
    timed_out = {f.file_id for f in ranked.files if f.attributes.get("yara_incomplete") is not None}
    out: dict[str, Any] = {
        "scan_id": scan_id,
        "engine": lib.report.engine,
        "files_scanned": ranked.count,
        "yara_seconds": round(ranked.total, 3),
        "slowest_files": slowest,
        "rule_files": [],
        "profiled_files": [],
        "profile_complete": False,
    }
    budget = float(opts.get("profile_seconds") or 0)
    if budget <= 0 or not slowest:
        return out
    t_end = time.monotonic() + budget
    cache = open_evidence_cache()
    buffers: list[tuple[dict[str, Any], bytes]] = []
    try:
        for s in [s for s in slowest if s["file_id"] not in timed_out][:top]:
            content = open_file_content(case, s["file_id"], cache)
            n = min(s["size"], int(opts["max_in_memory"]), 16 * MiB)
            buffers.append((s, content.read(0, n)))
    finally:
        cache.close()
    out["profiled_files"] = [{"path": s["path"], "bytes": len(b)} for s, b in buffers]
    out["timed_out_files"] = [s["path"] for s in slowest if s["file_id"] in timed_out]
    per_file: list[dict[str, Any]] = []
    complete = True
    for rf in lib.report.files:
        if rf.status != "ok" or rf.precompiled:
            continue
        if time.monotonic() > t_end:
            complete = False
            break
        single = compile_single(rf, lib.report.engine)
        t0 = time.perf_counter()
        timeouts = 0
        for s, data in buffers:
            left = t_end - time.monotonic()  # within profile_seconds (and the scan's own timeout) per call
            if left < 0.5:
                complete = False
                break
            try:
                single.scan(
                    data,
                    externals_for(s["path"], Path(s["path"]).name, s["size"], None),
                    timeout=max(1, min(int(opts["timeout"]), round(left))),
                )
            except TimeoutError:
                timeouts += 1
        entry: dict[str, Any] = {"rule_file": rf.path, "seconds": round(time.perf_counter() - t0, 6)}
        if timeouts:
            entry["timed_out"] = timeouts
        per_file.append(entry)
    per_file.sort(key=lambda d: -d["seconds"])
    out["rule_files"] = per_file[:50]
    out["rule_files_timed"] = len(per_file)
    out["profile_complete"] = complete
    return out


# -- unallocated space ---------------------------------------------------------------------------
def open_unallocated(
    case: PostScanCase,
    cache: Any,
    ev: dict[str, Any],
    part: dict[str, Any],
    scan_id: int,
    source: str,
    verb: str,
    as_gap: bool = False,
) -> tuple[int, list[tuple[int, int]], Any] | None:
    """(block size, unallocated runs, image) of one partition, or None with the reason recorded as an
    error ("unallocated space of partition N not VERB: …"), or as a ``not-scanned`` ledger entry with
    ``as_gap``; shared by YARA (asked for: an error) and the text index (on by default: a gap)."""
    try:
        if (part.get("volume") or {}).get("layer"):
            raise ValueError(
                "the unallocated space of a shadow copy or an APFS volume is not read (blkls reads the "
                "live volume, and cannot read APFS)"
            )
        bs = int(cache.filesystem(ev, part["offset"]).info.block_size)
        runs = unallocated_runs(ev, part["offset"])
        return bs, runs, cache.image(ev).img
    except Exception as exc:
        reason = f"unallocated space of partition {part['idx']} not {verb}: {exc}"
        where = {"scan_id": scan_id, "evidence_id": ev["id"], "partition_id": part["id"]}
        if as_gap:
            case.add_gap("not-scanned", reason, source=source, **where)
        else:
            case.add_error(source, reason, **where)
        return None


def scan_unallocated(
    case: PostScanCase, scan_id: int, evidence_ids: list[int], lib: RuleLibrary, opts: dict[str, Any]
) -> None:
    """Scan every unallocated run of each file system in overlapping windows; findings without a file.

    String offsets are absolute offsets in the image (``dd skip=OFFSET``). Matches spanning two
    separate runs are not reported (they would join bytes that were never adjacent on disk).
    """
    window = int(opts["window"]) or int(opts["max_in_memory"])
    cache = open_evidence_cache()
    try:
        for ev in [e for i in evidence_ids for e in case.evidence(i)]:
            for part in case.partitions(ev["id"]):
                if not part["fs_type"]:
                    continue
                label = f"<unallocated: partition {part['idx']}>"
                opened = open_unallocated(case, cache, ev, part, scan_id, "plugin:yara", "scanned")
                if opened is None:
                    continue
                bs, runs, img = opened
                found = 0
                for first, count in runs:
                    start, length = part["offset"] + first * bs, count * bs
                    warnings: list[str] = []
                    sc = WindowScanner(
                        lib,
                        externals_for(label, label, length, None),
                        window=window,
                        overlap=int(opts["overlap"]),
                        timeout=float(opts["timeout"]),
                        fast=bool(opts["fast"]),
                        on_warning=warnings.append,
                    )
                    try:
                        pos = 0
                        while pos < length:
                            n = min(MiB, length - pos)
                            sc.feed(img.read(start + pos, n))
                            pos += n
                        sc.close()
                    except TimeoutError:
                        case.add_error(
                            "plugin:yara",
                            f"YARA timed out on unallocated run at image offset {start} "
                            f"({length} bytes) of partition {part['idx']}",
                            scan_id=scan_id,
                            evidence_id=ev["id"],
                            partition_id=part["id"],
                        )
                    except OSError as exc:
                        case.add_error(
                            "plugin:yara",
                            f"read error in unallocated run at image offset {start}: {exc}",
                            scan_id=scan_id,
                            evidence_id=ev["id"],
                            partition_id=part["id"],
                        )
                    for w in warnings:
                        case.add_warning(
                            "plugin:yara",
                            f"unallocated run at {start}: {w}",
                            scan_id=scan_id,
                            evidence_id=ev["id"],
                            partition_id=part["id"],
                        )
                    for slow in sc.slow:  # offsets in the run; the rule's matches there are missing
                        case.add_error(
                            "plugin:yara",
                            f"unallocated run at image offset {start}: {slow.describe(sc.timeout)}",
                            scan_id=scan_id,
                            evidence_id=ev["id"],
                            partition_id=part["id"],
                        )
                    for unit, a, b in sc.unevaluated:
                        case.add_error(
                            "plugin:yara",
                            f"unallocated run at image offset {start}: YARA {unit.label} "
                            f"not run on bytes {a}-{b} of the run (time limit used up isolating slow rules)",
                            scan_id=scan_id,
                            evidence_id=ev["id"],
                            partition_id=part["id"],
                        )
                    for merged in sc.merged.values():
                        d = finding_details(
                            merged,
                            windowed=sc.windows > 1,
                            max_strings=int(opts["max_strings"]),
                            engine=opts["engine"],
                        )
                        for s in d["strings"]:
                            s["offset"] += start
                        d.update(
                            {
                                "path": label,
                                "partition": part["idx"],
                                "inode": None,
                                "unallocated": True,
                                "offset": start,
                                "run_length": length,
                                "block": first,
                                "offset_base": "image",
                            }
                        )
                        case.add_finding(
                            plugin="yara",
                            plugin_version=__version__,
                            kind="yara",
                            name=merged.match.rule,
                            severity="alert",
                            details=d,
                            evidence_id=ev["id"],
                            scan_id=scan_id,
                        )
                        found += 1
                case.audit(
                    "yara.unallocated",
                    {
                        "scan_id": scan_id,
                        "evidence_id": ev["id"],
                        "partition": part["idx"],
                        "runs": len(runs),
                        "bytes": sum(c for _, c in runs) * bs,
                        "findings": found,
                    },
                )
    finally:
        cache.close()
