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
]

log = logging.getLogger("triage.cli")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="triage", description="Forensic triage: inventory, scan and export evidence from seized images.")
    parser.add_argument("--version", action="version", version=f"triage {triage.__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="more detail in the log file")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ImportError as exc:  # an optional command whose dependency is missing
            log.warning("command module %s unavailable: %s", name, exc)
            continue
        module.register(sub)
    try:
        from triage.scan.registry import Registry

        Registry().hook.triage_cli_commands(subparsers=sub)
    except Exception as exc:  # a broken plugin must not break the CLI
        log.warning("plugin CLI commands unavailable: %s", exc)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the exit code (0 ok, 1 per-file errors, 2 usage, 3 evidence)."""
    os.environ.setdefault("TZ", "UTC")
    time.tzset()
    parser = build_parser()
    args = parser.parse_args(argv)
    logfile = setup_logging(args.verbose)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except TriageError as exc:
        for line in str(exc).splitlines() or [""]:  # one line per problem (fail-fast validation lists them all)
            print(f"triage: error: {line}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("triage: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:
        log.exception("unexpected error")
        where = f"; details in {logfile}" if logfile else ""
        print(f"triage: internal error: {type(exc).__name__}: {exc}{where}", file=sys.stderr)
        return 4
