"""Search a case's full-text index (docs/search.md): the one public entry point for the CLI, the GUI
and keyword lists. ``search(case, query)`` for words, phrases, prefixes, fuzzy words and boolean
queries (ranked by BM25), ``search(case, pattern, regex=True)`` for a regular expression over every
indexed piece (raw strings, slack, unallocated space and document text).

Each :class:`Hit` says where: the file (``file_id``, ``path``, ``inode``; ``None`` for unallocated
space), ``source`` (``text``, ``strings``, ``slack``, ``unallocated``) and ``offset``: for raw strings
the exact byte offset in the file's content (slack: past its end, as ``icat -s`` gives it) or, for
unallocated space, in the volume (``blkcat``); for ``text`` the character offset in the text
extracted from ``member``.
"""

from __future__ import annotations

import bisect
import dataclasses
import re
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from triage.case.store import Case
from triage.case.textindex import PieceRow
from triage.errors import UsageError
from triage.search.query import QueryError, compile_regex, levenshtein, locator, parse, split_term

__all__ = ["Hit", "QueryError", "SearchResult", "run_saved", "saved_searches", "search", "search_case"]

SNIPPET = 40
"""Characters of context each side of a hit in its snippet."""
DEFAULT_LIMIT = 1000


@dataclass(frozen=True)
class Hit:
    """One occurrence of a query in the index."""

    path: str
    inode: int | None
    offset: int
    length: int
    snippet: str
    source: str
    file_id: int | None
    evidence_id: int | None
    partition: int | None
    member: str | None
    deleted: bool
    score: float
    match: str

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class SearchResult:
    """Hits, best first, and whether ``limit`` cut them off."""

    hits: tuple[Hit, ...]
    truncated: bool
    seconds: float
    indexed: bool = True
    """False: the case has no full-text index (no scan ran ``text``), so no hits means nothing."""


def _expander(case: Case) -> Any:
    def expand(word: str, edits: int) -> list[str]:
        head = word[:2]
        high = head[:-1] + chr(ord(head[-1]) + 1) if head else "\U0010ffff"
        return [t for t in case.text_vocabulary(head, high) if levenshtein(word, t, edits) <= edits]

    return expand


def _where(row: PieceRow, pos: int, length: int) -> tuple[int, int]:
    """(offset, length) of the characters ``pos .. pos + length`` of a piece (see :class:`Hit`)."""
    if row.source == "text" or not row.spans:
        return row.base + pos, length
    starts = [s[0] for s in row.spans]
    i = max(0, bisect.bisect_right(starts, pos) - 1)
    at, offset, width = row.spans[i]
    return offset + (pos - at) * width, length * width


def _snippet(text: str, a: int, b: int, one_string: bool = False) -> str:
    """Context of ``text[a:b]``, marked ``[...]``; raw strings keep to their own string (line)."""
    left = max(0, a - SNIPPET)
    right = min(len(text), b + SNIPPET)
    if one_string:
        left = max(left, text.rfind("\n", 0, a) + 1)
        nl = text.find("\n", b)
        right = min(right, nl if nl >= 0 else len(text))
    out = (
        ("…" if left else "")
        + text[left:a]
        + "["
        + text[a:b]
        + "]"
        + text[b:right]
        + ("…" if right < len(text) else "")
    )
    return re.sub(r"\s+", " ", out)


def _hit(row: PieceRow, pos: int, end: int, score: float) -> Hit:
    offset, length = _where(row, pos, end - pos)
    return Hit(
        path=row.path if row.path is not None else f"<unallocated: partition {row.partition}>",
        inode=row.inode,
        offset=offset,
        length=length,
        snippet=_snippet(row.text, pos, end, bool(row.spans)),
        source=row.source,
        file_id=row.file_id,
        evidence_id=row.evidence_id,
        partition=row.partition,
        member=row.member,
        deleted=row.deleted,
        score=score,
        match=row.text[pos:end],
    )


def _hits(row: PieceRow, rx: re.Pattern[str], score: float) -> Iterator[Hit]:
    for m in rx.finditer(row.text):
        if m.end() == m.start():
            continue
        if row.spans and "\n" in m.group():
            continue  # a match across two strings joins bytes that are not adjacent
        yield _hit(row, m.start(), m.end(), score)


def search(case: Case, query: str, *, regex: bool = False, limit: int = DEFAULT_LIMIT) -> SearchResult:
    """Hits of ``query`` (or of the regular expression, with ``regex``), best first, at most ``limit``.

    Raises :class:`QueryError` (a :class:`triage.errors.UsageError`) for a malformed query.
    """
    t0 = time.perf_counter()
    hits: list[Hit] = []
    if regex:
        rx = compile_regex(query)
        for page in case.text_pages():
            # one search over the whole page first: most pages hold no match and cost one C call
            if rx.search("\x00".join(text for _, text in page)) is None:
                continue
            ids = [i for i, text in page if rx.search(text)]
            for row in case.text_pieces_by_id(ids):
                for h in _hits(row, rx, 0.0):
                    hits.append(h)
                    if len(hits) > limit:
                        return SearchResult(tuple(hits[:limit]), True, time.perf_counter() - t0)
        return SearchResult(tuple(hits), False, time.perf_counter() - t0)
    parsed = parse(query, _expander(case))
    loc = locator(parsed.terms)
    try:
        rows = case.text_match(parsed.fts, limit + 1)
    except UsageError as exc:
        raise QueryError(f"query {query!r}: {exc}") from None
    for row in rows:
        before = len(hits)
        hits.extend(_hits(row, loc, -row.rank))
        if len(hits) == before:  # matched by the index (e.g. diacritics folded) but not located
            hits.append(_hit(row, 0, 0, -row.rank))
        if len(hits) > limit:
            return SearchResult(tuple(hits[:limit]), True, time.perf_counter() - t0)
    return SearchResult(tuple(hits), len(rows) > limit, time.perf_counter() - t0)


def search_case(
    path: str | Path, query: str, *, regex: bool = False, limit: int = DEFAULT_LIMIT
) -> SearchResult:
    """:func:`search` on the case folder ``path``, opened read-only for this call only (for a
    background thread: a case connection belongs to the thread that opened it)."""
    with Case.open(path, readonly=True) as case:
        return _indexed(case, search(case, query, regex=regex, limit=limit))


def _indexed(case: Case, result: SearchResult) -> SearchResult:
    if result.hits or case.count_text_pieces():
        return result
    return dataclasses.replace(result, indexed=False)


def saved_searches(path: str | Path) -> dict[str, list[str]]:
    """The case's saved keyword lists (``/…/`` marks a regular expression)."""
    with Case.open(path, readonly=True) as case:
        return case.saved_searches()


def run_saved(path: str | Path, terms: list[str], *, limit: int = DEFAULT_LIMIT) -> SearchResult:
    """Every term of a saved list (``/…/``: a regular expression), hits in list order."""
    t0 = time.perf_counter()
    hits: list[Hit] = []
    truncated = False
    with Case.open(path, readonly=True) as case:
        for t in terms:
            text, rx = split_term(t)
            r = search(case, text, regex=rx, limit=limit)
            hits += r.hits
            truncated = truncated or r.truncated
        return _indexed(case, SearchResult(tuple(hits), truncated, time.perf_counter() - t0))
