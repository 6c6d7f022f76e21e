"""``triage timeline``: MACB events of a case as body file, CSV or Timesketch JSON lines."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime

from triage.cli.common import open_case
from triage.errors import UsageError
from triage.timeline import bodyfile, events, to_csv, to_jsonl


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("timeline", help="file-system MACB timeline (body file, CSV, Timesketch JSONL)")
    p.add_argument("case", help="case folder")
    p.add_argument(
        "--format",
        choices=("body", "csv", "jsonl"),
        default="body",
        help="body: for mactime -b; csv; jsonl: for Timesketch import",
    )
    p.add_argument("--out", default="-", help="output file (default: standard output)")
    p.add_argument("--deleted-only", action="store_true", help="only deleted entries")
    p.add_argument("--with-findings", action="store_true", help="overlay the findings of each file")
    p.add_argument("--start", default=None, help="ISO date/time (UTC) of the first event")
    p.add_argument("--end", default=None, help="ISO date/time (UTC) of the last event")
    p.set_defaults(func=run)


def _ts(text: str | None, flag: str) -> int | None:
    if text is None:
        return None
    try:
        dt = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise UsageError(f"{flag} {text!r}: not an ISO 8601 date/time") from exc
    return int((dt if dt.tzinfo else dt.replace(tzinfo=UTC)).timestamp())


def run(args: argparse.Namespace) -> int:
    case = open_case(args.case)
    start, end = _ts(args.start, "--start"), _ts(args.end, "--end")
    out = sys.stdout if args.out == "-" else open(args.out, "w", encoding="utf-8", newline="")
    try:
        if args.format == "body":
            if start is not None or end is not None:
                raise UsageError("--start/--end apply to csv and jsonl; mactime -b has its own date range")
            for line in bodyfile(case, args.deleted_only):
                out.write(line + "\n")
        else:
            evts = events(
                case, deleted_only=args.deleted_only, start=start, end=end, with_findings=args.with_findings
            )
            if args.format == "csv":
                out.write(to_csv(evts))
            else:
                for line in to_jsonl(evts):
                    out.write(line + "\n")
    finally:
        if out is not sys.stdout:
            out.close()
    return 0
