"""``triage search``: query a case's full-text index, or run a keyword list as a saved search."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from triage.case.store import Case
from triage.cli.common import open_case, print_json_line, writer_case
from triage.errors import UsageError
from triage.evidence.names import printable
from triage.search import DEFAULT_LIMIT, search
from triage.search.keywords import read_list, run_list


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "search",
        help="search the case's full-text index (text, raw strings, slack, unallocated space)",
        description='Words, "phrases", prefix*, fuzzy~ (or ~2), AND/OR/NOT and parentheses; '
        "--regex for a regular expression over every indexed string. One line per hit: "
        "path, inode, offset, snippet, source (see docs/search.md for what offset means).",
    )
    p.add_argument("case", help="case folder")
    p.add_argument("query", nargs="?", help="the query (or the regular expression, with --regex)")
    p.add_argument("--regex", action="store_true", help="QUERY is a regular expression (Python syntax)")
    p.add_argument("--json", action="store_true", help="one JSON object per hit")
    p.add_argument("--limit", type=int, default=DEFAULT_LIMIT, help=f"most hits (default {DEFAULT_LIMIT})")
    p.add_argument("--keywords", metavar="FILE", help="a keyword list: one term or /regex/ per line")
    p.add_argument(
        "--save", metavar="NAME", help="save the keyword list as NAME and record its hits as findings"
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.limit < 1:
        raise UsageError("--limit: at least 1")
    if args.keywords:
        if args.query:
            raise UsageError("give a QUERY or --keywords FILE, not both")
        keywords, problems = read_list(Path(args.keywords))
        if problems:
            raise UsageError(problems[0] + (f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""))
        if args.save:
            case = writer_case(args.case)
            try:
                n = run_list(case, args.save, keywords, limit=args.limit)
            finally:
                case.close()
            sys.stdout.write(f"saved search {args.save}: {len(keywords)} term(s), {n} finding(s)\n")
            return 0
        with open_case(args.case) as case:
            _no_index_note(case, args.case)
            for kw in keywords:
                _print(args, search(case, kw.text, regex=kw.regex, limit=args.limit), kw.text)
        return 0
    if args.save:
        raise UsageError("--save needs --keywords FILE")
    if not args.query:
        raise UsageError("give a QUERY (or --keywords FILE)")
    with open_case(args.case) as case:
        _no_index_note(case, args.case)
        _print(args, search(case, args.query, regex=args.regex, limit=args.limit), None)
    return 0


def _no_index_note(case: Case, name: str) -> None:
    """An empty index is not an absence of the words: say so (stderr), so no one reads it as one."""
    if case.count_text_pieces() == 0:
        sys.stderr.write(f"triage: note: {name} has no full-text index: scan it with --analyzers +text\n")


def _print(args: argparse.Namespace, result: object, term: str | None) -> None:
    from triage.search import SearchResult

    assert isinstance(result, SearchResult)
    for h in result.hits:
        if args.json:
            rec = h.to_json()
            if term is not None:
                rec["keyword"] = term
            print_json_line(rec)
        else:
            inode = "-" if h.inode is None else str(h.inode)
            member = f" [{h.member}]" if h.member else ""
            sys.stdout.write(f"{printable(h.path)}\t{inode}\t{h.offset}\t{h.snippet}\t{h.source}{member}\n")
    if result.truncated:
        sys.stderr.write(f"more than {args.limit} hits: only the first {args.limit} are shown (--limit)\n")
