"""YARA over every file's content in the single scan pass, plus (optionally) unallocated space.

Files up to ``max_in_memory`` bytes are scanned whole, once, in ``finish()``. Larger files are
scanned in overlapping windows as their chunks arrive; offsets are always absolute within the
file, a match found twice in an overlap is reported once, and the finding says ``windowed``.
Timeouts, windowed scans, truncated string lists and rule files left out of the scan are all
recorded in the case (``triage errors``). After the scan, per-rule-file cost is measured on
the slowest files and written to the audit log (``triage rules stats CASE``).
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from triage.plugin import Analyzer, AnalyzerContext, Option, hookimpl
from triage_plugins.yara_rules import (
    ENGINES,
    MAX_DATA,
    RuleFile,
    RuleLibrary,
    RuleMatch,
    StringHit,
    load_library,
)

__version__ = "1.0.0"
MiB = 1 << 20
DEFAULTS_NOTE = "scanned in windows"


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
    """Accumulates bytes and scans them whole (``window=None``) or in overlapping windows."""

    def __init__(self, library: RuleLibrary, externals: dict[str, Any], *, window: int | None, overlap: int,
                 timeout: float, fast: bool = False, on_warning: Callable[[str], None] | None = None) -> None:
        self.library = library
        self.externals = externals
        self.window = window
        self.overlap = min(overlap, (window or 0) // 2) if window else 0
        self.deadline = time.monotonic() + timeout
        self.timeout = timeout
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

    def _scan(self, n: int) -> None:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError(f"no time left for the window at offset {self.base}")
        with memoryview(self.buf) as mv, mv[:n] as view:
            found = self.library.scan(view, self.externals, timeout=max(1, round(left)), fast=self.fast,
                                      on_warning=self.on_warning)
        for m, rf in found:
            key = (m.namespace, m.rule)
            if key not in self.merged:
                self.merged[key] = Merged(m, rf)
            self.merged[key].add(m.strings, self.base)
        self.scanned_to = self.base + n
        self.windows += 1


def finding_details(merged: Merged, *, windowed: bool, max_strings: int, engine: str) -> dict[str, Any]:
    """The details of a YARA finding (the keys ``triage findings --json`` prints)."""
    m, rf = merged.match, merged.rule_file
    hits = sorted(merged.strings.values(), key=lambda h: (h.offset, h.identifier))
    out: dict[str, Any] = {
        "rule": m.rule, "namespace": m.namespace, "tags": list(m.tags), "meta": m.meta,
        "rule_file": rf.path if rf else None, "rule_file_sha256": rf.sha256 if rf else None,
        "strings": [{"identifier": h.identifier, "offset": h.offset, "length": h.length,
                     "data_hex": h.data[:MAX_DATA].hex()} for h in hits[:max_strings]],
        "windowed": windowed, "engine": engine,
    }
    if len(hits) > max_strings:
        out["strings_total"] = len(hits)
        out["strings_truncated"] = True
    return out


def externals_for(path: str, name: str, size: int, description: str | None) -> dict[str, Any]:
    """The standard externals of one file (see :data:`triage_plugins.yara_rules.EXTERNALS`)."""
    base = name.rsplit(":", 1)[0] if ":" in name else name
    ext = ("." + base.rsplit(".", 1)[1].lower()) if "." in base.strip(".") else ""
    return {"filename": name, "filepath": path, "extension": ext, "filetype": description or "", "owner": "",
            "filesize": size}


class YaraAnalyzer(Analyzer):
    """YARA rules over each file's content (deleted files and data streams included)."""

    name = "yara"
    version = __version__
    api_version = "1.2"
    description = "YARA rules over every file's content; windows for large files; optional unallocated space"
    # No ``requires = ("filetype",)``: libmagic costs about as much per file as YARA itself. The
    # ``filetype`` external is the libmagic description whenever the filetype analyzer runs (every
    # default scan: it is phase 0, so the type is known before YARA starts), and "" with --analyzers yara.
    options = (
        Option("rules", list, [], "YARA rule files or folders (.yar .yara .rule .rules, precompiled .yarc), comma separated"),
        Option("engine", str, "yara", "yara (yara-python) or yara-x", choices=ENGINES),
        Option("max_in_memory", int, 256 * MiB, "files up to this size are scanned whole; larger ones in windows"),
        Option("window", int, 0, "window size for larger files (0: max_in_memory)"),
        Option("overlap", int, 1 * MiB, "bytes shared by consecutive windows (longest match found across a boundary)"),
        Option("timeout", int, 60, "seconds per file (and per unallocated run)"),
        Option("fast", bool, False, "fast mode: only the first match of each string"),
        Option("max_strings", int, 1000, "string matches stored per finding (the total is recorded when cut)"),
        Option("unallocated", bool, False, "also scan each partition's unallocated space (after the file pass)"),
        Option("profile_seconds", float, 10.0, "after the scan, seconds spent timing each rule file on the slowest files"),
        Option("skip_broken", bool, False, "scan with the rule files that compile and record the others as errors "
                                           "(default: a rule file that does not compile stops the scan before it starts)"),
    )

    @classmethod
    def check_options(cls, options: Mapping[str, Any]) -> list[str]:
        """Compile the rules (the result is cached for the workers): every error, as ``file:line: reason``.

        A missing path always stops the scan; a rule file that does not compile stops it unless
        ``skip_broken`` is set, and then only when no rule compiles at all.
        """
        problems = [f"yara.{k}: must be at least {low}, not {options[k]}"
                    for k, low in (("max_in_memory", 1), ("window", 0), ("overlap", 0), ("timeout", 1),
                                   ("max_strings", 0)) if k in options and options[k] < low]
        if problems or not options.get("rules"):
            return problems
        try:
            library = load_library(options["rules"], options["engine"])
        except ImportError as exc:
            return [f"yara.engine: {options['engine']} is not installed ({exc}); "
                    f"try: pip install 'triage-workstation[yarax]'"]
        report = library.report
        missing = [d for d in report.errors if d.line is None and not any(f.path == d.file for f in report.files)]
        if missing or (report.errors and not options.get("skip_broken")) or library.empty:
            return [str(d) for d in (report.errors or [])] or [
                f"yara.rules: no YARA rules compiled from {', '.join(options['rules'])}"]
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
        self.time_budget = float(self.config["timeout"]) + 10.0  # type: ignore[misc]
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
            self.library, externals_for(f.path, f.name, f.size, f.description),
            window=self.window_size if self.windowed else None, overlap=int(self.config["overlap"]),
            timeout=float(self.config["timeout"]), fast=bool(self.config["fast"]), on_warning=self._warn)
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
        self.ctx.error(f"YARA timed out after {self.config['timeout']} s; scanned {done} of {self.ctx.file.size} bytes "
                       f"completely, matches after offset {done} are missing")
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
                f"window and on string counts across windows may differ from a whole-file scan")
            self.ctx.set_result("yara_windows", sc.windows)
        for w in self.warnings:
            self.ctx.warning(w)
        max_strings = int(self.config["max_strings"])
        for merged in sorted(sc.merged.values(), key=lambda m: (m.match.namespace, m.match.rule)):
            details = finding_details(merged, windowed=self.windowed, max_strings=max_strings,
                                      engine=self.config["engine"])
            if details.get("strings_truncated"):
                self.ctx.warning(f"rule {merged.match.rule}: {details['strings_total']} string matches, "
                                 f"the first {max_strings} are stored (option yara.max_strings)")
            self.ctx.add_finding("yara", merged.match.rule, "alert", details)
        self.ctx.set_result("yara_seconds", round(time.perf_counter() - self.t0, 6))
        self.scanner = None


@hookimpl
def triage_analyzers() -> list[type[Analyzer]]:
    return [YaraAnalyzer]


# -- after the scan ------------------------------------------------------------------------------
def scan_options(case: Any, scan_id: int) -> dict[str, Any] | None:
    """The YARA options of a scan (defaults filled in), or None when YARA did not run with rules."""
    scan = next((s for s in case.scans() if s["id"] == scan_id), None)
    if scan is None or "yara" not in (scan["settings"].get("analyzers") or []):
        return None
    opts = {o.name: o.default for o in YaraAnalyzer.options}
    opts.update((scan["settings"].get("options") or {}).get("yara", {}))
    return opts if opts["rules"] else None


@hookimpl
def triage_scan_finished(case: Any, scan_id: int) -> None:
    opts = scan_options(case, scan_id)
    if opts is None:
        return
    try:
        lib = load_library(opts["rules"], opts["engine"])
    except Exception as exc:
        case.add_error("plugin:yara", f"cannot load the rule library after the scan: {exc}", scan_id=scan_id)
        return
    report = lib.report
    for d in report.errors:
        case.add_error("plugin:yara", f"rule file left out of the scan: {d}", scan_id=scan_id)
    case.audit("yara.rules", {
        "scan_id": scan_id, "engine": report.engine, "key": report.key, "files": len(report.files),
        "rules": report.rules, "failed_files": [f.path for f in report.failed],
        "warnings": sum(1 for d in report.diagnostics if d.level == "warning"),
    })
    if opts["unallocated"] and not lib.empty:
        scan_unallocated(case, scan_id, lib, opts)
    try:
        case.audit("yara.cost", measure_cost(case, scan_id, lib, opts))
    except Exception as exc:
        case.add_error("plugin:yara", f"warning: rule cost not measured: {type(exc).__name__}: {exc}", scan_id=scan_id)


def _evidence_rows(case: Any, scan_id: int) -> list[dict[str, Any]]:
    scan = next(s for s in case.scans() if s["id"] == scan_id)
    wanted = {str(Path(p).resolve()) for p in scan["settings"].get("evidence", [])}
    return [e for e in case.evidence() if e["path"] in wanted]


def measure_cost(case: Any, scan_id: int, lib: RuleLibrary, opts: dict[str, Any], top: int = 5) -> dict[str, Any]:
    """Slowest files of the scan, and the time of each rule file on them (within ``profile_seconds``)."""
    from triage.evidence.content import EvidenceCache, open_case_file

    ids = [e["id"] for e in _evidence_rows(case, scan_id)] or [0]
    marks = ",".join("?" * len(ids))
    rows = case.conn.execute(
        f"SELECT id, path, size, json_extract(attributes, '$.yara_seconds') AS s FROM files "
        f"WHERE evidence_id IN ({marks}) AND s IS NOT NULL ORDER BY s DESC LIMIT 20", ids).fetchall()
    total = case.conn.execute(
        f"SELECT COALESCE(SUM(json_extract(attributes, '$.yara_seconds')), 0), COUNT(*) FROM files "
        f"WHERE evidence_id IN ({marks}) AND json_extract(attributes, '$.yara_seconds') IS NOT NULL", ids).fetchone()
    slowest = [{"file_id": r[0], "path": r[1], "size": r[2], "seconds": r[3]} for r in rows]
    out: dict[str, Any] = {"scan_id": scan_id, "engine": lib.report.engine, "files_scanned": total[1],
                           "yara_seconds": round(total[0], 3), "slowest_files": slowest, "rule_files": [],
                           "profiled_files": [], "profile_complete": False}
    budget = float(opts.get("profile_seconds") or 0)
    if budget <= 0 or not slowest:
        return out
    t_end = time.monotonic() + budget
    cache = EvidenceCache()
    buffers: list[tuple[dict[str, Any], bytes]] = []
    try:
        for s in slowest[:top]:
            content = open_case_file(case, s["file_id"], cache)
            n = min(s["size"], int(opts["max_in_memory"]), 16 * MiB)
            buffers.append((s, content.read(0, n)))
    finally:
        cache.close()
    out["profiled_files"] = [{"path": s["path"], "bytes": len(b)} for s, b in buffers]
    per_file: list[dict[str, Any]] = []
    complete = True
    for rf in lib.report.files:
        if rf.status != "ok" or rf.precompiled:
            continue
        if time.monotonic() > t_end:
            complete = False
            break
        single = _single(rf, lib.report.engine)
        t0 = time.perf_counter()
        for s, data in buffers:
            try:
                single.scan(data, externals_for(s["path"], Path(s["path"]).name, s["size"], None), timeout=10)
            except TimeoutError:
                pass
        per_file.append({"rule_file": rf.path, "seconds": round(time.perf_counter() - t0, 6)})
    per_file.sort(key=lambda d: -d["seconds"])
    out["rule_files"] = per_file[:50]
    out["rule_files_timed"] = len(per_file)
    out["profile_complete"] = complete
    return out


def _single(rf: RuleFile, engine: str) -> RuleLibrary:
    """One rule file compiled alone, keeping its library root for includes."""
    from triage_plugins.yara_rules import CompileReport, _compile_yara, _compile_yarax

    copy = RuleFile(rf.path, rf.namespace, rf.root, rf.sha256)
    report = CompileReport([copy], [], engine)
    compiled = (_compile_yarax if engine == "yara-x" else _compile_yara)([copy], report)
    return RuleLibrary(report, [(compiled, None)] if compiled is not None else [])


# -- unallocated space ---------------------------------------------------------------------------
_IMG_TYPES = {"raw": "raw", "split": "split", "ewf": "ewf"}


def unallocated_runs(evidence: dict[str, Any], offset: int) -> list[tuple[int, int]]:
    """Runs ``(first block, count)`` of unallocated blocks, from TSK's own block walk (``blkls -l``)."""
    itype = _IMG_TYPES.get(evidence["format"])
    if itype is None:
        raise RuntimeError(f"blkls cannot read {evidence['format']} images")
    cmd = ["blkls", "-l", "-i", itype, "-o", str(offset // 512), *evidence["segments"]]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"blkls failed: {proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else proc.returncode}")
    runs: list[tuple[int, int]] = []
    for line in proc.stdout.splitlines():
        addr, _, flag = line.partition("|")
        if flag != "f" or not addr.isdigit():
            continue
        a = int(addr)
        if runs and runs[-1][0] + runs[-1][1] == a:
            runs[-1] = (runs[-1][0], runs[-1][1] + 1)
        else:
            runs.append((a, 1))
    return runs


def scan_unallocated(case: Any, scan_id: int, lib: RuleLibrary, opts: dict[str, Any]) -> None:
    """Scan every unallocated run of each file system in overlapping windows; findings without a file.

    String offsets are absolute offsets in the image (``dd skip=OFFSET``). Matches spanning two
    separate runs are not reported (they would join bytes that were never adjacent on disk).
    """
    from triage.evidence.content import EvidenceCache

    window = int(opts["window"]) or int(opts["max_in_memory"])
    cache = EvidenceCache()
    try:
        for ev in _evidence_rows(case, scan_id):
            for part in case.partitions(ev["id"]):
                if not part["fs_type"]:
                    continue
                label = f"<unallocated: partition {part['idx']}>"
                try:
                    bs = int(cache.filesystem(ev, part["offset"]).info.block_size)
                    runs = unallocated_runs(ev, part["offset"])
                    img = cache.image(ev).img
                except Exception as exc:
                    case.add_error("plugin:yara", f"unallocated space of partition {part['idx']} not scanned: {exc}",
                                   scan_id=scan_id, evidence_id=ev["id"], partition_id=part["id"])
                    continue
                found = 0
                for first, count in runs:
                    start, length = part["offset"] + first * bs, count * bs
                    warnings: list[str] = []
                    sc = WindowScanner(lib, externals_for(label, label, length, None), window=window,
                                       overlap=int(opts["overlap"]), timeout=float(opts["timeout"]),
                                       fast=bool(opts["fast"]), on_warning=warnings.append)
                    try:
                        pos = 0
                        while pos < length:
                            n = min(MiB, length - pos)
                            sc.feed(img.read(start + pos, n))
                            pos += n
                        sc.close()
                    except TimeoutError:
                        case.add_error("plugin:yara", f"YARA timed out on unallocated run at image offset {start} "
                                       f"({length} bytes) of partition {part['idx']}", scan_id=scan_id,
                                       evidence_id=ev["id"], partition_id=part["id"])
                    except OSError as exc:
                        case.add_error("plugin:yara", f"read error in unallocated run at image offset {start}: {exc}",
                                       scan_id=scan_id, evidence_id=ev["id"], partition_id=part["id"])
                    for w in warnings:
                        case.add_error("plugin:yara", f"warning: unallocated run at {start}: {w}", scan_id=scan_id,
                                       evidence_id=ev["id"], partition_id=part["id"])
                    for merged in sc.merged.values():
                        d = finding_details(merged, windowed=sc.windows > 1, max_strings=int(opts["max_strings"]),
                                            engine=opts["engine"])
                        for s in d["strings"]:
                            s["offset"] += start
                        d.update({"path": label, "partition": part["idx"], "inode": None, "unallocated": True,
                                  "offset": start, "run_length": length, "block": first,
                                  "offset_base": "image"})
                        case.add_finding(plugin="yara", plugin_version=__version__, kind="yara", name=merged.match.rule,
                                         severity="alert", details=d, evidence_id=ev["id"], scan_id=scan_id)
                        found += 1
                case.audit("yara.unallocated", {"scan_id": scan_id, "evidence_id": ev["id"], "partition": part["idx"],
                                                "runs": len(runs), "bytes": sum(c for _, c in runs) * bs,
                                                "findings": found})
    finally:
        cache.close()
