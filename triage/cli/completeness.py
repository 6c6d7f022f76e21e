"""``triage completeness CASE [--json|--csv]``: the completeness ledger, what was not fully examined."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict

from triage.case.completeness import ledger, ledger_csv
from triage.cli.common import open_case
from triage.errors import UsageError
from triage.format import human_bytes


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "completeness", help="what was not fully examined, per evidence item, with totals (the ledger)"
    )
    p.add_argument("case", help="case folder")
    p.add_argument(
        "--evidence", type=int, action="append", default=None, help="only this evidence id (repeatable)"
    )
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="entries and totals as one JSON object")
    out.add_argument("--csv", action="store_true", help="data/completeness.csv of a bundle")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    case = open_case(args.case)
    known = {int(e["id"]) for e in case.evidence()}
    unknown = sorted(set(args.evidence or ()) - known)
    if unknown:
        raise UsageError(f"--evidence {unknown[0]}: no such evidence item in {args.case} (see 'triage info')")
    book = ledger(case, args.evidence)
    if args.csv:
        sys.stdout.write(ledger_csv(book))
        return 0
    if args.json:
        doc = {
            "complete": book.complete,
            "entries": [{**asdict(e), "kind": e.kind.value} for e in book.entries],
            "totals": [{"kind": t.kind.value, "count": t.count, "size": t.size} for t in book.totals()],
        }
        sys.stdout.write(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
        return 0
    if book.complete:
        print("complete: every evidence item was fully examined")
        return 0
    for e in book.entries:
        where = " ".join(
            x
            for x in (
                e.evidence or "(every evidence item)",
                f"partition {e.partition}" if e.partition is not None else "",
                e.path or "",
            )
            if x
        )
        size = "size unknown" if e.size is None else human_bytes(e.size)
        print(f"{e.kind.value:17} {size:>10}  {where}: {e.reason} [{e.source}]")
    print("totals:")
    for t in book.totals():
        print(f"  {t.kind.value:17} {t.count:6} entries  {human_bytes(t.size)} ({t.size} bytes)")
    return 0
