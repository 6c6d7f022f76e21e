"""``triage report CASE --out DIR [--format html,pdf] [--language en,fr,…]``: the examination report."""

from __future__ import annotations

import argparse
from pathlib import Path

from triage.case.store import DB_NAME
from triage.cli.common import storage_errors
from triage.errors import CaseError
from triage.i18n import parse_languages
from triage.report import FORMATS, ReportOptions, parse_formats, write_report


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "report",
        help="examination report (HTML and PDF): case, evidence, method, tagged items, timeline, completeness",
    )
    p.add_argument("case", help="case folder")
    p.add_argument("--out", required=True, help="folder for report-<lang>.html and report-<lang>.pdf")
    p.add_argument(
        "--format", default=",".join(FORMATS), help="html, pdf or both, comma separated (default: both)"
    )
    p.add_argument(
        "--language",
        default="en",
        help="one document per language: ar, zh, en, fr, ru, es, comma separated (default: en)",
    )
    p.add_argument(
        "--no-thumbnails", action="store_true", help="do not decode pictures the gallery has not cached"
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    options = ReportOptions(
        out=Path(args.out),
        formats=parse_formats(args.format),
        languages=parse_languages(args.language),
        thumbnails=not args.no_thumbnails,
    )
    options.check()
    if not (Path(args.case) / DB_NAME).is_file():
        raise CaseError(f"{args.case}: not a case folder (no {DB_NAME})")
    with storage_errors(case=args.case, dest=args.out, doing="write the report", target="destination"):
        for path in write_report(args.case, options):
            print(path)
    return 0
