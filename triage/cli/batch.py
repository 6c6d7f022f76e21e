"""``triage batch``: a case and a scan for every image of a folder, glob or manifest."""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
from pathlib import Path
from typing import Any

from triage.case import lock as writer_lock
from triage.errors import UsageError


def register(sub: argparse._SubParsersAction) -> None:
    from triage.cli.scan import add_plugin_arguments, add_sandbox_argument

    p = sub.add_parser(
        "batch",
        help="scan many images: one case each, locally or on a Dask cluster",
        description="Scan every image of a folder (E01 and split-raw sets count once), a glob or a manifest "
        "(CSV or TOML with exhibit, case name, rule sets, hash sets and export policy). Each image gets "
        "a case under OUT/cases/NAME; OUT holds summary.json, summary.txt, events.jsonl and the state "
        "for --resume. Exit code 0 when every image is done without problems, 1 otherwise.",
    )
    p.add_argument("input", nargs="+", help="folder, glob (quoted), image file, or manifest (.csv/.toml)")
    p.add_argument("--out", required=True, help="batch folder (cases, summary, events)")
    p.add_argument(
        "--cluster",
        default=f"local:{os.cpu_count() or 1}",
        help="local:N (N worker processes here, default: cores) or tcp://HOST:8786 / tls://HOST:8786 "
        "(a Dask scheduler; workers read the evidence from the same paths)",
    )
    p.add_argument(
        "--resume",
        action="store_true",
        help="continue an interrupted batch: finished images are kept, unfinished ones continue",
    )
    p.add_argument("--analyzers", default=None, help="run only these analyzers, comma separated")
    p.add_argument("--hash", default=None, help="hash algorithms, comma separated (default md5,sha1,sha256)")
    p.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="ANALYZER.OPTION=VALUE",
        help="set an analyzer option for every image (repeatable)",
    )
    p.add_argument("--task-files", type=int, default=500, help="files per Dask task (default 500)")
    p.add_argument(
        "--task-mib", type=int, default=256, help="MiB of file content per Dask task (default 256)"
    )
    p.add_argument(
        "--progress",
        choices=("auto", "rich", "plain", "none"),
        default="auto",
        help="progress display (auto: bars on a terminal, lines otherwise)",
    )
    p.add_argument("--json", action="store_true", help="print summary.json instead of the table")
    p.add_argument("--tls-ca-file", default=None, help="CA certificate for a tls:// scheduler")
    p.add_argument("--tls-cert", default=None, help="client certificate for a tls:// scheduler")
    p.add_argument("--tls-key", default=None, help="client key for a tls:// scheduler")
    p.add_argument(
        "--insecure",
        action="store_true",
        help="allow plain tcp:// to a scheduler on another machine: no encryption, no authentication "
        "(recorded in the summary and in each case)",
    )
    add_sandbox_argument(p)
    add_plugin_arguments(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from triage.batch import BatchOptions, BatchRunner, discover
    from triage.batch.progress import make_progress
    from triage.cli.scan import collect_options, plugin_config
    from triage.scan.registry import Registry

    if args.task_files < 1 or args.task_mib < 1:
        raise UsageError("--task-files and --task-mib must be at least 1")
    pcfg = plugin_config(args)
    registry = Registry(pcfg)
    unknown = registry.unknown_disabled()
    if unknown:
        raise UsageError(unknown[0])
    security = _security(args)
    options = BatchOptions(
        out=Path(args.out).absolute(),
        cluster=args.cluster,
        resume=args.resume,
        analyzers=[a.strip() for a in args.analyzers.split(",") if a.strip()] if args.analyzers else None,
        options=collect_options(args, registry),
        plugins=pcfg,
        task_files=args.task_files,
        task_bytes=args.task_mib << 20,
        security=security,
        insecure=args.insecure,
        sandbox=not args.no_sandbox,
    )
    try:
        registry.scan_classes(options.analyzers)
    except KeyError as exc:
        raise UsageError(f"unknown analyzer: {exc.args[0]} (see 'triage plugins list')") from exc
    batch = discover(args.input)
    progress = make_progress("none" if args.json and args.progress == "auto" else args.progress)
    runner = BatchRunner(batch, options, progress)
    previous = signal.getsignal(signal.SIGINT)

    def on_interrupt(signum: int, frame: Any) -> None:
        if runner.cancelled:
            raise KeyboardInterrupt
        print(
            "\ntriage: stopping after the work in progress (Ctrl-C again to abort); continue with --resume",
            file=sys.stderr,
        )
        runner.cancel()

    out_lock = _lock_out(options.out)
    signal.signal(signal.SIGINT, on_interrupt)
    try:
        result = runner.run()
    finally:
        signal.signal(signal.SIGINT, previous)
        writer_lock.release(out_lock)
    if args.json:
        print(json.dumps(result.summary, indent=2, default=str))
    else:
        sys.stdout.write(result.text)
        print(f"summary: {options.out / 'summary.json'}; events: {options.out / 'events.jsonl'}")
    return result.exit_code


def _lock_out(out: Path) -> writer_lock.WriterLock:
    """One batch per output folder: a second one is refused at once (exit 2), naming the first."""
    from triage.cli.common import storage_errors

    with storage_errors(dest=out, doing="create the batch folder", target="destination"):
        out.mkdir(parents=True, exist_ok=True)
        return writer_lock.acquire(out, what="the batch folder")


def _security(args: argparse.Namespace) -> Any:
    given = [args.tls_ca_file, args.tls_cert, args.tls_key]
    if not any(given):
        return None
    if not all(given):
        raise UsageError("--tls-ca-file, --tls-cert and --tls-key go together")
    if not args.cluster.startswith("tls://"):
        raise UsageError("TLS options need a tls:// scheduler address")
    from distributed.security import Security

    return Security(
        tls_ca_file=args.tls_ca_file,
        tls_client_cert=args.tls_cert,
        tls_client_key=args.tls_key,
        require_encryption=True,
    )
