"""The query language of ``triage search`` (docs/search.md), parsed into an FTS5 expression and the
patterns that find each hit's place in the matching text.

Syntax: words (``alice``), phrases (``"alice smith"``), prefixes (``ali*``), fuzzy words (``alice~``
or ``alice~2``: at most 1 or 2 edits, sharing the first two letters), ``AND`` (the default between
terms), ``OR``, ``NOT`` and parentheses. Case and diacritics are ignored. A malformed query raises
:class:`QueryError` with the reason.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from triage.errors import UsageError


class QueryError(UsageError):
    """A query or keyword that cannot be searched: the message says why."""


@dataclass(frozen=True)
class Term:
    """One searchable unit: a word, a phrase (several words), a prefix or a fuzzy word."""

    words: tuple[str, ...]
    prefix: bool = False
    fuzzy: int = 0


@dataclass(frozen=True)
class Parsed:
    """A query as FTS5 sees it, and the positive terms whose occurrences are the hits."""

    fts: str
    terms: tuple[Term, ...]


_TOKEN = re.compile(r'\s*(?:(?P<quote>"[^"]*"?)|(?P<op>[()])|(?P<word>[^\s()"]+))')
_WORD = re.compile(r"\w+", re.UNICODE)


def _words(text: str) -> tuple[str, ...]:
    return tuple(w.lower() for w in _WORD.findall(text))


def parse(query: str, expand: Callable[[str, int], list[str]] | None = None) -> Parsed:
    """Parse ``query``; ``expand(word, edits)`` lists the indexed terms a fuzzy word stands for."""
    if not query.strip():
        raise QueryError("empty query")
    out: list[str] = []
    terms: list[Term] = []
    depth = 0
    expect_term = True  # after an operator or "(" (or at the start) a term must follow
    negate = False
    pos = 0
    while pos < len(query):
        m = _TOKEN.match(query, pos)
        if m is None or m.end() == pos:
            if query[pos:].strip():
                raise QueryError(f"cannot read the query from {query[pos:]!r}")
            break
        pos = m.end()
        if m.group("quote") is not None:
            q = m.group("quote")
            if len(q) < 2 or not q.endswith('"'):
                raise QueryError("a phrase is not closed: a double quote is missing")
            words = _words(q[1:-1])
            if not words:
                raise QueryError(f"phrase {q} has no word in it")
            if not expect_term:
                out.append("AND")
            out.append('"' + " ".join(words) + '"')
            if not negate:
                terms.append(Term(words))
            expect_term, negate = False, False
            continue
        op = m.group("op")
        if op == "(":
            if not expect_term:
                out.append("AND")
            out.append("(")
            depth += 1
            expect_term = True
            continue
        if op == ")":
            if expect_term or depth == 0:
                raise QueryError("a parenthesis closes nothing, or an operator has nothing after it")
            depth -= 1
            out.append(")")
            continue
        word = m.group("word")
        if word in ("AND", "OR", "NOT"):
            if word == "NOT":
                if not out or out[-1] in ("(", "AND", "OR"):
                    raise QueryError("NOT needs a term before it (write: a NOT b)")
                out.append("NOT")
                negate = True
            else:
                if expect_term:
                    raise QueryError(f"{word} needs a term on each side")
                out.append(word)
            expect_term = True
            continue
        fuzzy = 0
        fm = re.fullmatch(r"(.+?)~([12]?)", word)
        if fm:
            word, fuzzy = fm.group(1), int(fm.group(2) or 1)
        prefix = word.endswith("*")
        words = _words(word.rstrip("*"))
        if not words:
            raise QueryError(f"{word!r} has no letter or digit to search for")
        if not expect_term:
            out.append("AND")
        if fuzzy and len(words) == 1 and expand is not None:
            alts = expand(words[0], fuzzy) or [words[0]]
            out.append("(" + " OR ".join(f'"{a}"' for a in alts) + ")")
            if not negate:
                terms += [Term((a,)) for a in alts]
        else:
            out.append('"' + " ".join(words) + '"' + (" *" if prefix else ""))
            if not negate:
                terms.append(Term(words, prefix=prefix))
        expect_term, negate = False, False
    if expect_term:
        raise QueryError("the query ends with an operator")
    if depth:
        raise QueryError("a parenthesis is not closed")
    if not terms:
        raise QueryError("the query has no term to find (only NOT terms)")
    return Parsed(" ".join(out), tuple(terms))


def locator(terms: tuple[Term, ...]) -> re.Pattern[str]:
    """A pattern matching any term's occurrences in text as the tokenizer splits it."""
    alts = []
    for t in terms:
        body = r"\W+".join(re.escape(w) for w in t.words)
        alts.append(rf"(?<!\w){body}" + (r"\w*" if t.prefix else r"(?!\w)"))
    return re.compile("|".join(alts), re.IGNORECASE)


def levenshtein(a: str, b: str, most: int) -> int:
    """Edit distance of ``a`` and ``b``, or ``most + 1`` once it is sure to exceed ``most``."""
    if abs(len(a) - len(b)) > most:
        return most + 1
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        if min(cur) > most:
            return most + 1
        prev = cur
    return prev[-1]


def split_term(line: str) -> tuple[str, bool]:
    """A keyword-list line as ``(text, is_regex)``: ``/…/`` marks a regular expression."""
    regex = len(line) > 2 and line.startswith("/") and line.endswith("/")
    return (line[1:-1] if regex else line), regex


def compile_regex(pattern: str) -> re.Pattern[str]:
    """A regular expression (Python syntax) for ``--regex``; :class:`QueryError` if it does not compile
    or matches the empty string."""
    try:
        rx = re.compile(pattern)
    except re.error as exc:
        raise QueryError(f"regular expression {pattern!r}: {exc}") from None
    if rx.fullmatch(""):
        raise QueryError(f"regular expression {pattern!r} matches the empty string")
    return rx
