"""``triage scan``: inventory and scan evidence into a case."""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import time
from collections.abc import Sequence
from typing import Any

from triage.case.query import FileQuery
from triage.case.records import ProblemCount
from triage.case.store import Case
from triage.cli.common import writer_case
from triage.cli.unlock import add_unlock_argument, audit_unlocks, parse_specs, unlock_paths
from triage.errors import UsageError
from triage.format import human_bytes
from triage.scan.engine import ScanEngine, ScanOptions
from triage.scan.registry import PluginConfig, Registry
from triage.scan.status import ScanStatus
from triage.scan.validate import OptionError, unknown_analyzer, validate_resume, validate_scan


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "scan",
        help="inventory and scan images into a case",
        description="Inventory every file (allocated, deleted, orphan, data streams) and run every "
        "analyzer over each file's content in one pass.",
    )
    p.add_argument(
        "evidence", nargs="+", help="image files (raw, split raw first segment, E01 first segment …)"
    )
    p.add_argument("--case", required=True, help="case folder (created when missing)")
    p.add_argument("--hash", default=None, help="hash algorithms, comma separated (default md5,sha1,sha256)")
    p.add_argument(
        "--analyzers",
        default=None,
        help="run only these analyzers, comma separated; +NAME,… runs the defaults plus opt-in analyzers "
        "(+text: the full-text index)",
    )
    p.add_argument(
        "--workers", type=int, default=os.cpu_count() or 1, help="worker processes (default: cores)"
    )
    add_unlock_argument(p)
    p.add_argument(
        "--resume", action="store_true", help="finish an interrupted scan without redoing stored work"
    )
    p.add_argument(
        "--rescan", action="store_true", help="forget earlier results for these images and scan again"
    )
    p.add_argument(
        "--profile", default=None, help="scan this triage profile's artifacts first (see 'triage profiles')"
    )
    p.add_argument(
        "--quick",
        action="store_true",
        help="with --profile: scan only the profile's artifacts; the rest stays pending for a later --resume",
    )
    p.add_argument(
        "--verify",
        action="store_true",
        help="kept for compatibility: every scan now hashes the whole evidence (MD5, SHA-1, SHA-256) "
        "next to the file pass and checks it against the hashes an E01 stores",
    )
    p.add_argument(
        "--carve",
        action="store_true",
        help="also carve files (JPEG, PNG, GIF, PDF, ZIP/Office, SQLite, MP4) out of each file system's "
        "unallocated space at inventory time; each becomes a $Carved entry every analyzer reads "
        "(costs a read of all unallocated space; docs/carving.md)",
    )
    p.add_argument("--no-evidence-hash", action="store_true", help=argparse.SUPPRESS)  # benchmarks only
    add_sandbox_argument(p)
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    p.add_argument(
        "--file-timeout",
        type=float,
        default=600.0,
        help="seconds a worker may spend on one file before it is stopped and the file recorded as failed",
    )
    add_plugin_arguments(p)
    p.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="ANALYZER.OPTION=VALUE",
        help="set an analyzer option (repeatable)",
    )
    p.set_defaults(func=run)


def add_sandbox_argument(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--no-sandbox",
        action="store_true",
        help="do not confine the processes that parse evidence (recorded in the case as a warning)",
    )


def add_plugin_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--plugin-dir", action="append", default=[], help="also load plugins from this folder")
    p.add_argument(
        "--disable-plugin", action="append", default=[], metavar="NAME", help="do not load this plugin"
    )


def plugin_config(args: argparse.Namespace) -> PluginConfig:
    return PluginConfig(
        plugin_dirs=[os.path.abspath(d) for d in args.plugin_dir], disabled=list(args.disable_plugin)
    )


def discovery_config(argv: Sequence[str]) -> PluginConfig:
    """The plugin discovery a command line asks for (its ``--plugin-dir`` and ``--disable-plugin``),
    read before the parser is built, so that ``--plugin-dir`` plugins get their option flags too."""
    early = argparse.ArgumentParser(add_help=False)
    add_plugin_arguments(early)
    known, _ = early.parse_known_args(list(argv))
    return plugin_config(known)


def add_option_flags(p: argparse.ArgumentParser, config: PluginConfig | None = None) -> None:
    """``--<analyzer>-<option>`` for every option of every analyzer discovered with ``config``."""
    try:
        classes = Registry(config or PluginConfig()).analyzer_classes()
    except Exception:  # a broken plugin must not break the CLI: its load problem is shown by the scan
        classes = []
    for cls in classes:
        for opt in cls.options:
            flag: dict[str, Any] = (
                {"nargs": "?", "const": "true"} if opt.type is bool else {}
            )  # --yara-unallocated alone means true
            try:
                p.add_argument(
                    f"--{cls.name}-{opt.name}".replace("_", "-"),
                    dest=f"opt__{cls.name}__{opt.name}",
                    default=None,
                    help=f"{opt.help} (default {opt.default})",
                    **flag,
                )
            except argparse.ArgumentError:  # the flag is taken (a scan flag): --set still reaches it
                continue


def collect_options(args: argparse.Namespace, registry: Registry) -> dict[str, dict[str, Any]]:
    """Analyzer options from ``--ANALYZER-OPTION``, ``--set`` and ``--hash``, parsed to their types.

    Raises :class:`OptionError` naming the flag as given (``--hash: 'md4' is not one of …``).
    """
    classes = {c.name: c for c in registry.analyzer_classes()}
    out: dict[str, dict[str, Any]] = {}
    problems: list[str] = []

    def put(analyzer: str, option: str, text: str, flag: str) -> None:
        cls = classes.get(analyzer)
        if cls is None:
            problems.append(f"{flag}: {unknown_analyzer(analyzer, registry)}")
            return
        decl = next((o for o in cls.options if o.name == option), None)
        if decl is None:
            names = ", ".join(o.name for o in cls.options) or "none"
            problems.append(f"{flag}: {analyzer} has no option {option!r} (options: {names})")
            return
        try:
            out.setdefault(analyzer, {})[option] = decl.parse(text)
        except ValueError as exc:
            problems.append(f"{flag}: {exc}")

    for key, value in vars(args).items():
        if key.startswith("opt__") and value is not None:
            _, analyzer, option = key.split("__", 2)
            put(analyzer, option, value, f"--{analyzer}-{option}".replace("_", "-"))
    for item in args.set:
        if "=" not in item or "." not in item.split("=", 1)[0]:
            problems.append(f"--set {item}: expected ANALYZER.OPTION=VALUE")
            continue
        left, value = item.split("=", 1)
        analyzer, option = left.split(".", 1)
        put(analyzer, option, value, f"--set {left}")
    if args.hash is not None:
        put("hashes", "algorithms", args.hash, "--hash")
    if problems:
        raise OptionError(problems)
    return out


def run(args: argparse.Namespace) -> int:
    options = scan_options(args)
    validate_resume(args.case, options)
    unlocked = unlock_paths(args.evidence, parse_specs(args))  # a wrong key fails here, before any work
    case = writer_case(args.case, create=True)
    audit_unlocks(case, unlocked)
    reporter = make_reporter(quiet=args.json)
    engine = ScanEngine(case, args.evidence, options, on_status=reporter.update)
    previous = signal.getsignal(signal.SIGINT)

    def on_interrupt(signum: int, frame: Any) -> None:
        if engine.cancelled:
            raise KeyboardInterrupt
        print(
            "\ntriage: stopping after the files in progress (Ctrl-C again to abort); resume with --resume",
            file=sys.stderr,
        )
        engine.cancel()

    signal.signal(signal.SIGINT, on_interrupt)
    try:
        summary = engine.run()
    finally:
        signal.signal(signal.SIGINT, previous)
        reporter.close()
    result = {
        "case": str(case.path),
        "scan_id": summary.scan_id,
        "status": summary.status,
        "files": summary.files,
        "bytes": summary.bytes,
        "failed_files": summary.failed_files,
        "errors": summary.errors,
        "warnings": summary.warnings,
        "findings": summary.findings,
        "evidence_errors": summary.evidence_errors,
        "seconds": round(summary.seconds, 3),
        "integrity": summary.integrity,
        "sandbox": summary.sandbox,
    }
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(
            f"{summary.status}: {summary.files} files, {human_bytes(summary.bytes)} in {summary.seconds:.1f} s; "
            f"{summary.findings} findings, {summary.failed_files} failed files, "
            f"{ProblemCount(summary.errors, summary.warnings)} recorded"
        )
        if not summary.sandbox.startswith("sandbox: on"):  # disabled, or a layer this kernel lacks
            print(f"  {summary.sandbox}", file=sys.stderr)
        for err in summary.evidence_errors:
            print(f"  evidence error: {err}", file=sys.stderr)
        _print_evidence_hashes(case)
        for line in summary.integrity[:INTEGRITY_LINES]:
            print(f"  {line}", file=sys.stderr)
        if len(summary.integrity) > INTEGRITY_LINES:
            print(f"  … {len(summary.integrity) - INTEGRITY_LINES} more integrity problems", file=sys.stderr)
        if summary.failed_files or summary.errors or summary.integrity:
            print(f"  see: triage errors {case.path}", file=sys.stderr)
        left = case.count(FileQuery(status=("pending",)))
        if left and summary.status == "completed":
            print(
                f"  {left} files not scanned yet (quick profile scan); finish with --resume", file=sys.stderr
            )
        if summary.status == "cancelled":
            print(
                f"  resume with: triage scan {' '.join(args.evidence)} --case {case.path} --resume",
                file=sys.stderr,
            )
    if summary.evidence_errors and not summary.files:
        return 3
    return summary.exit_code


def scan_options(args: argparse.Namespace) -> ScanOptions:
    """The scan's options from the command line, validated (:func:`validate_scan`): call before any
    case or evidence is touched. Invalid input raises :class:`OptionError` (exit 2)."""
    if args.quick and not args.profile:
        raise UsageError("--quick: needs --profile NAME")
    pcfg = plugin_config(args)
    registry = Registry(pcfg)
    options = ScanOptions(
        analyzers=[a.strip() for a in args.analyzers.split(",") if a.strip()] if args.analyzers else None,
        options=collect_options(args, registry),
        workers=args.workers,
        plugins=pcfg,
        resume=args.resume,
        rescan=args.rescan,
        file_timeout=args.file_timeout,
        evidence_hash=not args.no_evidence_hash,
        sandbox=not args.no_sandbox,
        carve=bool(getattr(args, "carve", False)),
    )
    validate_scan(options, registry, evidence=args.evidence)
    if args.profile:
        from triage import profiles

        profiles.apply_order(options, args.profile, quick=args.quick)
    return options


INTEGRITY_LINES = 50


def _print_evidence_hashes(case: Case) -> None:
    """One line per image: its SHA-256 and the verdict against the hashes the image stores."""
    from triage.case.integrity import evidence_hash

    for ev in case.evidence():
        row = evidence_hash(case, ev["id"])
        if not row or not row["finished"]:
            continue
        verdict = {
            "passed": "stored hashes verified",
            "failed": "VERIFICATION FAILED against the stored hashes",
            "none": "the image stores no hashes",
        }.get(row["verified"], row["verified"])
        print(
            f"  {ev['path']}: evidence SHA-256 {row['sha256']}, MD5 {row['md5']} ({verdict})", file=sys.stderr
        )


class _Reporter:
    def update(self, status: ScanStatus) -> None: ...

    def close(self) -> None: ...


class PlainReporter(_Reporter):
    """A status line every few seconds, for logs and pipes."""

    def __init__(self) -> None:
        self._last = 0.0

    def update(self, s: ScanStatus) -> None:
        now = time.monotonic()
        if now - self._last < 2.0 and s.phase not in ("finished", "cancelled"):
            return
        self._last = now
        if s.phase == "inventory":
            print(f"[inventory] {s.evidence}: {s.files_total} entries so far", file=sys.stderr, flush=True)
            return
        eta = f", ETA {s.eta:.0f} s" if s.eta is not None and s.phase == "content" else ""
        print(
            f"[{s.phase}] {s.files_done}/{s.files_total} files, {human_bytes(s.bytes_done)}/"
            f"{human_bytes(s.bytes_total)}, {human_bytes(s.rate)}/s{eta}{_evidence_hash_text(s)}",
            file=sys.stderr,
            flush=True,
        )


class RichReporter(_Reporter):
    """A rich progress bar: files, bytes, rate and ETA."""

    def __init__(self) -> None:
        from rich.progress import (
            BarColumn,
            DownloadColumn,
            Progress,
            TextColumn,
            TimeRemainingColumn,
            TransferSpeedColumn,
        )

        self._progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            DownloadColumn(binary_units=True),
            TransferSpeedColumn(),
            TextColumn("{task.fields[files]}"),
            TimeRemainingColumn(),
            transient=False,
        )
        self._progress.start()
        self._task = self._progress.add_task("starting", total=None, files="")

    def update(self, s: ScanStatus) -> None:
        self._progress.update(
            self._task,
            description=s.phase,
            total=s.bytes_total or None,
            completed=s.bytes_done,
            files=f"{s.files_done}/{s.files_total} files{_evidence_hash_text(s)}",
        )

    def close(self) -> None:
        self._progress.stop()


def _evidence_hash_text(s: ScanStatus) -> str:
    """The evidence hash's progress while it runs (the summary lines say how it ended)."""
    if not s.evidence_hash_total or s.phase in ("finished", "cancelled"):
        return ""
    return f", evidence hash {100 * s.evidence_hash_done // s.evidence_hash_total}%"


def make_reporter(quiet: bool) -> _Reporter:
    if quiet:
        return _Reporter()
    return RichReporter() if sys.stderr.isatty() else PlainReporter()
