"""The ``triage`` command line. Each subcommand lives in its own module with a
``register(subparsers)`` function; plugins add more through ``triage_cli_commands``.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
import time
from collections.abc import Sequence

import triage
from triage.errors import TriageError
from triage.logs import setup_logging
from triage.private import private_umask

# Built-in command modules, in help order.
COMMAND_MODULES = [
    "triage.cli.scan",
    "triage.cli.query",
    "triage.cli.info",
    "triage.cli.plugins",
    "triage.cli.hashsets",
    "triage.cli.demo",
    "triage.cli.doctor",
    "triage.cli.timeline",
    "triage.cli.profiles",
    "triage.cli.batch",
    "triage.cli.identifiers",
    "triage.cli.requests",
    "triage.cli.gui",
    "triage.cli.export",
    "triage.cli.rules",
    "triage.cli.mount",
    "triage.cli.case",
    "triage.cli.completeness",
    "triage.cli.report",
    "triage.cli.search",
]

log = logging.getLogger("triage.cli")

EXIT_CODES = """exit codes:
  0    done, nothing to report
  1    done or stopped, with problems recorded: failed or damaged files, errors (triage errors CASE),
       a failed verification, a cancelled scan (continue with --resume)
  2    refused before any work: bad usage, option or input file; the case is missing, damaged,
       of a newer schema, or being written by another process (the message names it)
  3    the evidence cannot be opened or read
  4    storage failed under the run (disk full, read-only destination, I/O error; the message names
       the path and what to do), or an internal error (a bug: the message names the log file)
  130  interrupted (Ctrl-C twice)"""


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser; ``argv`` (default ``sys.argv[1:]``) is read early for ``--plugin-dir`` and
    ``--disable-plugin``, so that every discovered plugin gets its option flags and commands."""
    parser = argparse.ArgumentParser(
        prog="triage",
        description="Forensic triage: inventory, scan and export evidence from seized images.",
        epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"triage {triage.__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="more detail in the log file")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    from triage.cli.scan import add_option_flags, discovery_config

    discovery = discovery_config(sys.argv[1:] if argv is None else argv)
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ImportError as exc:  # an optional command whose dependency is missing
            log.warning("command module %s unavailable: %s", name, exc)
            continue
        module.register(sub)
    if "scan" in sub.choices:
        add_option_flags(sub.choices["scan"], discovery)
    try:
        from triage.scan.registry import Registry

        Registry(discovery).hook.triage_cli_commands(subparsers=sub)
    except Exception as exc:  # a broken plugin must not break the CLI
        log.warning("plugin CLI commands unavailable: %s", exc)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the exit code (see EXIT_CODES)."""
    os.environ.setdefault("TZ", "UTC")
    time.tzset()
    private_umask()  # cases, logs, bundles: 0700/0600 whatever the umask (triage.private)
    parser = build_parser(argv)
    args = parser.parse_args(argv)
    logfile = setup_logging(args.verbose)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except TriageError as exc:
        for line in str(exc).splitlines() or [
            ""
        ]:  # one line per problem (fail-fast validation lists them all)
            print(f"triage: error: {line}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("triage: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:
        from triage.cli.common import explain_failure

        out, case = getattr(args, "out", None), getattr(args, "case", None)
        known = explain_failure(
            exc,
            case=case if isinstance(case, str) else None,
            dest=out if isinstance(out, str) and out != "-" else None,
        )
        if known is not None:  # disk full, read-only destination, damaged case: say where and what to do
            log.error("storage failure", exc_info=exc)
            print(f"triage: error: {known}", file=sys.stderr)
            return known.exit_code
        log.exception("unexpected error")
        where = f"; details in {logfile}" if logfile else ""
        print(f"triage: internal error: {type(exc).__name__}: {exc}{where}", file=sys.stderr)
        return 4
