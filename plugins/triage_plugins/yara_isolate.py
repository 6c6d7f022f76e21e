"""When a YARA scan times out: find the slow rules, keep every other rule's matches.

Neither engine keeps partial results: libyara's ``yr_scanner_scan_mem`` and YARA-X's
``Scanner.scan`` evaluate the conditions only after the whole string search, and a timeout
(``ERROR_SCAN_TIMEOUT``, ``ScanError::Timeout``) discards everything, even the matches of rules
whose conditions were already true. Nor can one rule of a compiled set be switched off
(yara-python does not expose ``yr_rule_disable``; YARA-X has no equivalent). So a timed-out rule
set is split into smaller compiled *units* and the buffer is scanned again with each:

* the combined source set splits into one unit per rule file;
* a rule file splits into one unit per rule (the file's ``import`` lines, plus the rules it
  references, compiled with it), unless it includes other files, declares a ``global`` rule
  or its text cannot be cut safely -- then the file is the smallest unit;
* a precompiled ``.yarc`` file is one unit.

A unit that times out again is split again; a unit that cannot be split and times out is
*slow*: it is named in the file's errors and left out of the rest of that file. Units are
compiled once per worker process and cached on the library.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from triage_plugins.yara_rules import EXTERNALS, RuleFile, RuleLibrary, _scan_yara, _scan_yarax

_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass
class Unit:
    """Compiled rules scanned together, and how to split them when they time out."""

    rules: Any
    precompiled: RuleFile | None
    namespace: str | None  # None: several namespaces (the combined source set)
    names: tuple[str, ...]  # rule identifiers (empty when not known)
    label: str
    split: Any = None  # () -> list[Unit], or None when this unit is the smallest
    children: list[Unit] | None = field(default=None, repr=False)

    def parts(self) -> list[Unit]:
        """The smaller units, compiled on first use (empty: cannot be split)."""
        if self.children is None:
            try:
                self.children = list(self.split()) if self.split is not None else []
            except Exception:  # a unit that will not split is reported whole
                self.children = []
        return self.children

    @property
    def rule_names(self) -> list[str]:
        """``namespace:rule`` of every rule of this unit (as far as known; the bare name when the
        namespace is not: yara-python does not say it for precompiled rules)."""
        return [f"{self.namespace}:{n}" if self.namespace else n for n in self.names]


def top_units(library: RuleLibrary) -> list[Unit]:
    """One unit per compiled rule set of ``library`` (cached on the library)."""
    cached = getattr(library, "_isolation_units", None)
    if cached is not None:
        return list(cached)
    engine = library.report.engine
    out: list[Unit] = []
    for rules, pre in library.rulesets:
        if pre is not None:
            names, namespace = _listing(rules)
            out.append(Unit(rules, pre, namespace, names, f"precompiled rule file {pre.path}"))
            continue
        files = [f for f in library.report.files if not f.precompiled and f.status == "ok"]
        if len(files) == 1:
            out.append(file_unit(rules, files[0], engine))
        else:
            out.append(
                Unit(
                    rules,
                    None,
                    None,
                    (),
                    f"{len(files)} rule files",
                    split=lambda files=files: [_compile_file(f, engine) for f in files],
                )
            )
    library._isolation_units = out  # type: ignore[attr-defined]
    return list(out)


def _listing(rules: Any) -> tuple[tuple[str, ...], str | None]:
    """Rule identifiers of a compiled set and its one namespace (None: several, or not said:
    yara-python's ``Rule`` has no namespace). One pass: yara-python's ``Rules`` iterator is shared."""
    names: list[str] = []
    spaces: set[str | None] = set()
    try:
        for r in rules:
            names.append(str(r.identifier))
            spaces.add(getattr(r, "namespace", None))
    except Exception:
        return (), None
    only = spaces.pop() if len(spaces) == 1 else None
    return tuple(names), only


def _compile_file(f: RuleFile, engine: str) -> Unit:
    from triage_plugins.yara_rules import compile_single

    single = compile_single(f, engine)
    if single.empty:
        raise RuntimeError(f"{f.path} does not compile alone")
    return file_unit(single.rulesets[0][0], f, engine)


def file_unit(rules: Any, f: RuleFile, engine: str) -> Unit:
    """The unit of one rule file, split into its rules on demand."""
    try:
        text = open(f.path, encoding="utf-8", errors="surrogateescape").read()
    except OSError:
        text = ""
    parsed = split_rules(text)
    names = tuple(n for n, _, _ in parsed[1]) if parsed else ()

    def split() -> list[Unit]:
        if parsed is None or len(parsed[1]) < 2:
            return []
        preamble, chunks = parsed
        bodies = {n: body for n, body, _ in chunks}
        order = {n: k for k, (n, _, _) in enumerate(chunks)}
        out = []
        for name, _, _ in chunks:
            deps = _closure(name, bodies)  # compiled in file order: a rule is defined before its use
            source = preamble + "\n" + "\n".join(bodies[d] for d in sorted(deps, key=order.__getitem__))
            out.append(
                Unit(
                    compile_source(f.namespace, source, engine, f.path),
                    None,
                    f.namespace,
                    tuple(deps),
                    f"rule {f.namespace}:{name}",
                )
            )
        return out

    return Unit(
        rules,
        None,
        f.namespace,
        names,
        f"rule file {f.path}",
        split=split if parsed is not None and len(parsed[1]) > 1 else None,
    )


def _closure(name: str, bodies: dict[str, str]) -> list[str]:
    """``name`` first, then every rule of the same file it references, transitively."""
    out = [name]
    i = 0
    while i < len(out):
        for w in _WORD.findall(_condition(bodies[out[i]])):
            if w in bodies and w not in out:
                out.append(w)
        i += 1
    return out


def _condition(body: str) -> str:
    cut = body.rfind("condition:")
    return body[cut:] if cut >= 0 else body


def compile_source(namespace: str, source: str, engine: str, origin: str) -> Any:
    """Compile one unit's source text in ``namespace`` with the standard externals."""
    if engine == "yara-x":
        import yara_x

        compiler = yara_x.Compiler()
        for k, v in EXTERNALS.items():
            compiler.define_global(k, v)
        compiler.new_namespace(namespace)
        compiler.add_source(source, origin=origin)
        return compiler.build()
    import yara

    return yara.compile(sources={namespace: source}, externals=EXTERNALS, error_on_warning=False)


# -- cutting a rule file into its rules ---------------------------------------------------------
_TOP_WORD = re.compile(
    r"\s*(?:(import|include)\s*\"|((?:(?:private|global)\s+)*)rule\s+([A-Za-z_][A-Za-z0-9_]*))"
)


def split_rules(text: str) -> tuple[str, list[tuple[str, str, int]]] | None:
    """``(import lines, [(rule name, rule text, offset)])`` of a rule file, or None when the file
    cannot be cut safely (``include``, ``global`` rules, or text this reader does not follow)."""
    imports: list[str] = []
    rules: list[tuple[str, str, int]] = []
    i, n = 0, len(text)
    while True:
        j = _skip_space(text, i)
        if j is None:
            return None
        i = j
        if i >= n:
            break
        m = _TOP_WORD.match(text, i)
        if m is None:
            return None
        if m[1] == "include":
            return None
        if m[1] == "import":
            end = text.find('"', m.end())
            if end < 0:
                return None
            imports.append(text[i : end + 1].strip())
            i = end + 1
            continue
        if "global" in (m[2] or ""):
            return None
        start, name = i, m[3]
        brace = text.find("{", m.end())
        if brace < 0 or not re.fullmatch(r"\s*(?::[\sA-Za-z0-9_]*)?", text[m.end() : brace]):
            return None
        stop = _body_end(text, brace)
        if stop is None:
            return None
        rules.append((name, text[start:stop].strip(), start))
        i = stop
    if len({r[0] for r in rules}) != len(rules):
        return None
    return "\n".join(imports), rules


def _skip_space(text: str, i: int) -> int | None:
    n = len(text)
    while i < n:
        if text[i].isspace():
            i += 1
        elif text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j + 1
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            if j < 0:
                return None
            i = j + 2
        else:
            break
    return i


def _body_end(text: str, i: int) -> int | None:
    """Offset just after the ``}`` closing the rule body that opens at ``text[i] == '{'``."""
    depth, n = 0, len(text)
    prev = ""  # last significant token: decides whether "/" opens a regular expression
    while i < n:
        c = text[i]
        if c in " \t\r\n":
            i += 1
            continue
        if text.startswith("//", i) or text.startswith("/*", i):
            j = _skip_space(text, i)
            if j is None:
                return None
            i = j
            continue
        if c == '"':
            j = i + 1
            while j < n and text[j] != '"':
                if text[j] == "\n":
                    return None
                j += 2 if text[j] == "\\" else 1
            if j >= n:
                return None
            i, prev = j + 1, '"'
            continue
        if c == "/" and (prev in ("=", "(", ",", "matches")):
            j = i + 1
            while j < n and text[j] != "/":
                if text[j] == "\n":
                    return None
                j += 2 if text[j] == "\\" else 1
            if j >= n:
                return None
            i, prev = j + 1, "/"
            continue
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                return i + 1
        m = _WORD.match(text, i)
        if m:
            prev, i = m[0], m.end()
            continue
        prev = c
        i += 1
    return None


# -- scanning with a deadline -------------------------------------------------------------------
@dataclass(frozen=True)
class SlowUnit:
    """A unit that timed out on its own: its matches in ``[start, end)`` of the file are missing."""

    unit: Unit
    start: int
    end: int
    seconds: int

    def describe(self, timeout: float) -> str:
        names = self.unit.rule_names
        what = (
            f"rule {names[0]}"
            if len(names) == 1
            else f"{self.unit.label} ({len(names)} rules: {', '.join(names[:10])}{' …' if len(names) > 10 else ''})"
            if names
            else self.unit.label
        )
        return (
            f"YARA {what} timed out (yara.timeout {timeout:g} s; {self.seconds} s for its own last scan) "
            f"on bytes {self.start}-{self.end}: its matches there are missing; the other rules' matches are kept"
        )


def scan_unit(
    engine: str, unit: Unit, data: Any, externals: dict[str, Any], timeout: int, fast: bool, on_warning: Any
) -> list[Any]:
    """One unit over ``data``: the :class:`~triage_plugins.yara_rules.RuleMatch` list; raises ``TimeoutError``."""
    return (_scan_yarax if engine == "yara-x" else _scan_yara)(
        unit.rules, data, externals, timeout, fast, on_warning
    )
