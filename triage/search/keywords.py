"""Keyword lists: one term (any ``triage search`` query) or ``/regular expression/`` per line, ``#``
comments and blank lines ignored. A list is checked whole before it runs (``file:line: reason``),
saved in the case under its name, and each of its terms becomes ``keyword`` findings: one per file
(or per partition, for unallocated space) and term, with the hits' offsets.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from triage.case.store import Case
from triage.search import DEFAULT_LIMIT, Hit, search
from triage.search.query import QueryError, compile_regex, parse, split_term

PLUGIN = "search"
KIND = "keyword"
OFFSETS_KEPT = 50
"""Offsets listed per finding (the count is always complete up to the search limit)."""


@dataclass(frozen=True)
class Keyword:
    """One line of a keyword list."""

    line: int
    text: str
    regex: bool

    @classmethod
    def of_line(cls, line: int, term: str) -> Keyword:
        """The keyword a list line holds, checked (``QueryError`` when it cannot run)."""
        text, regex = split_term(term)
        compile_regex(text) if regex else parse(text)
        return cls(line, text, regex)


def read_list(path: Path) -> tuple[list[Keyword], list[str]]:
    """The keywords of a list file, and its problems (``file:line: reason``)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        return [], [f"{path}: cannot read the keyword list: {exc}"]
    out: list[Keyword] = []
    problems: list[str] = []
    for n, raw in enumerate(lines, 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        try:
            kw = Keyword.of_line(n, line)
        except QueryError as exc:
            problems.append(f"{path}:{n}: {exc}")
            continue
        out.append(kw)
    if not out and not problems:
        problems.append(f"{path}: the keyword list has no term")
    return out, problems


def check_file(path: Path) -> list[str]:
    """Problems of a keyword list file (``[]`` when it can run)."""
    return read_list(path)[1]


def run_list(
    case: Case, name: str, keywords: list[Keyword], *, scan_id: int | None = None, limit: int = DEFAULT_LIMIT
) -> int:
    """Save ``keywords`` as ``name`` and record their findings (earlier ones of that list replaced);
    returns how many findings."""
    case.save_search(name, [f"/{k.text}/" if k.regex else k.text for k in keywords])
    case.drop_findings(plugin=PLUGIN, kind=KIND, list_name=name)
    count = 0
    for kw in keywords:
        result = search(case, kw.text, regex=kw.regex, limit=limit)
        groups: dict[tuple[int | None, int | None, int | None], list[Hit]] = defaultdict(list)
        for h in result.hits:
            groups[(h.file_id, h.evidence_id, h.partition)].append(h)
        for (file_id, evidence_id, _), hits in groups.items():
            details: dict[str, Any] = {
                "list": name,
                "line": kw.line,
                "regex": kw.regex,
                "hits": len(hits),
                "truncated": result.truncated,
                "first": [
                    {"offset": h.offset, "source": h.source, "member": h.member, "snippet": h.snippet}
                    for h in hits[:OFFSETS_KEPT]
                ],
            }
            if file_id is None:
                details["path"] = hits[0].path
            case.add_finding(
                plugin=PLUGIN,
                plugin_version="1",
                kind=KIND,
                name=kw.text,
                severity="notable",
                details=details,
                file_id=file_id,
                evidence_id=evidence_id,
                scan_id=scan_id,
            )
            count += 1
    return count


def run_terms(case: Case, name: str, terms: list[str], *, limit: int = DEFAULT_LIMIT) -> int:
    """Save the lines ``terms`` (as a keyword list holds them) as ``name`` and record their findings,
    as :func:`run_list` does; a bad term raises :class:`QueryError` before anything is saved."""
    keywords = [Keyword.of_line(n, t) for n, t in enumerate(terms, 1)]
    return run_list(case, name, keywords, limit=limit)


def run_file(case: Any, path: Path, *, scan_id: int | None = None, name: str | None = None) -> list[str]:
    """Check and run a keyword list file as the saved search ``name`` (its file stem by default);
    returns its problems (nothing runs when there are any)."""
    keywords, problems = read_list(path)
    if problems:
        return problems
    run_list(case, name or path.stem, keywords, scan_id=scan_id)
    return []
