"""The YARA rule library: rule files, folders and precompiled rules, compiled once and cached.

* Files come from paths given by the examiner: a file, or a folder searched recursively for
  ``.yar``, ``.yara``, ``.rule`` and ``.rules`` (and precompiled ``.yarc``). Each source file
  gets its own namespace (its path relative to the library root), so two files may define
  rules with the same name.
* ``include`` is resolved relative to the including file and must stay inside the library root
  (the folder given, or the folder of a file given); anything else is a diagnostic.
* The standard externals (:data:`EXTERNALS`) are defined at compile time; the scanner sets
  them per file.
* Every file is compiled on its own first, so one broken file costs only itself: its errors and
  warnings become :class:`Diagnostic` lines ``file:line: level: message``. The files that compile
  are then compiled together (yara-python) or into one compiler (YARA-X).
* Compiled rules and diagnostics are cached in the user cache folder under the SHA-256 of the
  engine, the externals and every source (includes too).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

SOURCE_SUFFIXES = (".yar", ".yara", ".rule", ".rules")
COMPILED_SUFFIXES = (".yarc",)
ENGINES = ("yara", "yara-x")
MAX_DATA = 64
"""Bytes of matched data kept per string instance."""

EXTERNALS: dict[str, Any] = {
    "filename": "",
    "filepath": "",
    "extension": "",
    "filetype": "",
    "owner": "",
    "filesize": 0,
}
"""Standard externals (LOKI/THOR conventions, which public rule sets such as signature-base use):
``filename`` base name, ``filepath`` full path in the file system, ``extension`` lower case with
its dot (``.exe``), ``filetype`` libmagic description, ``owner`` (empty: not known), ``filesize``."""

_INCLUDE_RE = re.compile(r'^[ \t]*include[ \t]+"((?:[^"\\]|\\.)*)"', re.MULTILINE)
_FILE_LINE_RE = re.compile(r"^(?P<file>.*?)\((?P<line>\d+)\): (?P<msg>.*)$", re.DOTALL)
_LINE_RE = re.compile(r"^line (?P<line>\d+): (?P<msg>.*)$", re.DOTALL)
CACHE_FORMAT = 1


@dataclass(frozen=True)
class Diagnostic:
    """One compiler message, printed on one line as ``file:line: level: message``."""

    file: str
    line: int | None
    message: str
    level: str = "error"

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line is not None else self.file
        text = " ".join(self.message.split())
        return f"{where}: {self.level}: {text}"


@dataclass
class RuleFile:
    """A rule file of the library and what became of it."""

    path: str
    namespace: str
    root: str
    sha256: str = ""
    precompiled: bool = False
    rules: int = 0
    status: str = "pending"  # ok, failed
    includes: list[str] = field(default_factory=list)


@dataclass
class StringHit:
    identifier: str
    offset: int
    length: int
    data: bytes


@dataclass
class RuleMatch:
    """One matching rule with every string instance (offsets relative to the scanned buffer)."""

    namespace: str
    rule: str
    tags: list[str]
    meta: dict[str, Any]
    strings: list[StringHit]


def user_cache_dir() -> Path:
    import platformdirs

    return Path(os.environ.get("TRIAGE_YARA_CACHE") or Path(platformdirs.user_cache_dir("triage")) / "yara")


# -- discovery -------------------------------------------------------------------------------
def discover(paths: Iterable[str | os.PathLike[str]]) -> tuple[list[RuleFile], list[Diagnostic]]:
    """Rule files under ``paths`` in a stable order, and diagnostics for missing or empty paths."""
    files: list[RuleFile] = []
    diags: list[Diagnostic] = []
    used: set[str] = set()
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            diags.append(Diagnostic(str(raw), None, "no such file or directory"))
            continue
        if path.is_dir():
            found = sorted(
                p
                for p in path.rglob("*")
                if p.is_file() and p.suffix.lower() in SOURCE_SUFFIXES + COMPILED_SUFFIXES
            )
            if not found:
                diags.append(
                    Diagnostic(
                        str(raw), None, "no rule files (" + ", ".join(SOURCE_SUFFIXES) + ") in this folder"
                    )
                )
                continue
            root = path
        else:
            found, root = [path], path.parent
        for f in found:
            ns = f.relative_to(root).as_posix()
            base, n = ns, 2
            while ns in used:
                ns, n = f"{base}#{n}", n + 1
            used.add(ns)
            data = f.read_bytes()
            files.append(
                RuleFile(
                    path=str(f),
                    namespace=ns,
                    root=str(root),
                    sha256=hashlib.sha256(data).hexdigest(),
                    precompiled=f.suffix.lower() in COMPILED_SUFFIXES or data[:4] == b"YARA",
                )
            )
    return files, diags


class IncludeResolver:
    """``include_callback`` for yara-python: relative to the including file, confined to the root."""

    def __init__(self, root: str | os.PathLike[str], top: str) -> None:
        self.root = Path(root).resolve()
        self.top = top
        self.names: dict[str, Path] = {}  # names as libyara reports them -> resolved files
        self.problems: list[Diagnostic] = []
        self.used: list[Path] = []

    def resolve(self, requested: str, including: str | None) -> Path | str:
        """The included file, or the reason it may not be included."""
        base = self.names.get(including or "", None) or Path(including or self.top)
        target = (Path(base).parent / requested) if not os.path.isabs(requested) else Path(requested)
        target = Path(os.path.normpath(target.absolute()))
        real = target.resolve()
        if not real.is_relative_to(self.root):
            return f'include "{requested}" resolves outside the rule library root {self.root}'
        if not real.is_file():
            return f'include "{requested}": no such file ({target})'
        return target

    def __call__(self, requested: str, filename: str | None, namespace: str) -> str | None:
        found = self.resolve(requested, filename)
        if isinstance(found, str):
            self.problems.append(Diagnostic(self.display(filename), None, found))
            return None
        self.names[requested] = found
        self.used.append(found)
        return found.read_text(encoding="utf-8", errors="surrogateescape")

    def display(self, name: str | None) -> str:
        if not name:
            return self.top
        return str(self.names.get(name, name))

    def closure(self, path: str) -> list[Path]:
        """Every file ``path`` includes, transitively (found by reading the include lines)."""
        out: list[Path] = []
        todo = [Path(path)]
        while todo:
            cur = todo.pop()
            try:
                text = cur.read_text(encoding="utf-8", errors="surrogateescape")
            except OSError:
                continue
            for req in _INCLUDE_RE.findall(text):
                found = self.resolve(req, str(cur))
                if isinstance(found, Path) and found not in out:
                    out.append(found)
                    todo.append(found)
        return out


def parse_yara_message(
    text: str, default_file: str, resolver: IncludeResolver | None = None, level: str = "error"
) -> Diagnostic:
    """A yara-python error or warning (``file(12): msg`` or ``line 12: msg``) as a diagnostic."""
    m = _FILE_LINE_RE.match(text)
    if m:
        name = m["file"]
        shown = resolver.display(name) if resolver else name
        return Diagnostic(shown, int(m["line"]), m["msg"], level)
    m = _LINE_RE.match(text)
    if m:
        return Diagnostic(default_file, int(m["line"]), m["msg"], level)
    return Diagnostic(default_file, None, text, level)


# -- compiled library ------------------------------------------------------------------------
@dataclass
class CompileReport:
    """What compiling a library gave: files (with status and rule counts) and diagnostics."""

    files: list[RuleFile]
    diagnostics: list[Diagnostic]
    engine: str
    key: str = ""
    cached: bool = False
    seconds: float = 0.0

    @property
    def rules(self) -> int:
        return sum(f.rules for f in self.files if f.status == "ok")

    @property
    def failed(self) -> list[RuleFile]:
        return [f for f in self.files if f.status == "failed"]

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.level == "error"]

    def to_json(self) -> dict[str, Any]:
        return {
            "files": [asdict(f) for f in self.files],
            "diagnostics": [asdict(d) for d in self.diagnostics],
            "engine": self.engine,
            "key": self.key,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CompileReport:
        return cls(
            [RuleFile(**f) for f in data["files"]],
            [Diagnostic(**d) for d in data["diagnostics"]],
            data["engine"],
            data["key"],
            cached=True,
        )


class RuleLibrary:
    """Compiled rules ready to scan, whichever engine; one per worker process."""

    def __init__(self, report: CompileReport, rulesets: list[tuple[Any, RuleFile | None]]) -> None:
        self.report = report
        self.rulesets = rulesets  # (compiled rules, precompiled file or None for the source set)
        self.by_namespace = {f.namespace: f for f in report.files if not f.precompiled}

    @property
    def empty(self) -> bool:
        return not self.rulesets

    def rule_file(self, namespace: str, precompiled: RuleFile | None) -> RuleFile | None:
        return precompiled or self.by_namespace.get(namespace)

    def scan(
        self,
        data: Any,
        externals: dict[str, Any],
        timeout: int,
        fast: bool = False,
        on_warning: Callable[[str], None] | None = None,
    ) -> list[tuple[RuleMatch, RuleFile | None]]:
        """Scan a buffer with every rule set. Raises ``TimeoutError`` when ``timeout`` runs out."""
        out: list[tuple[RuleMatch, RuleFile | None]] = []
        for rules, pre in self.rulesets:
            for m in (_scan_yarax if self.report.engine == "yara-x" else _scan_yara)(
                rules, data, externals, timeout, fast, on_warning
            ):
                out.append((m, self.rule_file(m.namespace, pre)))
        return out


def _scan_yara(
    rules: Any,
    data: Any,
    externals: dict[str, Any],
    timeout: int,
    fast: bool,
    on_warning: Callable[[str], None] | None,
) -> list[RuleMatch]:
    import yara

    def warn(kind: int, msg: Any) -> int:
        if kind == yara.CALLBACK_TOO_MANY_MATCHES and on_warning is not None:
            on_warning(
                f"too many matches for string {msg.string} of rule {msg.namespace}:{msg.rule}; "
                f"YARA stopped recording its matches (the rest of the file was still scanned)"
            )
        return int(yara.CALLBACK_CONTINUE)

    try:
        found = rules.match(
            data=data, externals=externals, timeout=max(1, int(timeout)), fast=fast, warnings_callback=warn
        )
    except yara.TimeoutError as exc:
        raise TimeoutError(str(exc)) from exc
    out = []
    for m in found:
        hits = [
            StringHit(s.identifier, i.offset, i.matched_length, bytes(i.matched_data[:MAX_DATA]))
            for s in m.strings
            for i in s.instances
        ]
        out.append(RuleMatch(m.namespace, m.rule, list(m.tags), dict(m.meta), hits))
    return out


def _scan_yarax(
    rules: Any,
    data: Any,
    externals: dict[str, Any],
    timeout: int,
    fast: bool,
    on_warning: Callable[[str], None] | None,
) -> list[RuleMatch]:
    import yara_x

    scanner = yara_x.Scanner(rules)
    for k, v in externals.items():
        try:
            scanner.set_global(k, v)
        except Exception:  # not declared by precompiled rules
            pass
    scanner.set_timeout(max(1, int(timeout)))
    if fast:
        scanner.fast_scan(True)
    try:
        res = scanner.scan(bytes(data) if not isinstance(data, bytes) else data)
    except yara_x.TimeoutError as exc:
        raise TimeoutError(str(exc)) from exc
    view = memoryview(data)
    out = []
    for r in res.matching_rules:
        hits = [
            StringHit(
                p.identifier, x.offset, x.length, bytes(view[x.offset : x.offset + min(x.length, MAX_DATA)])
            )
            for p in r.patterns
            for x in p.matches
        ]
        out.append(RuleMatch(r.namespace, r.identifier, list(r.tags), dict(r.metadata), hits))
    return out


def engine_version(engine: str) -> str:
    if engine == "yara-x":
        import yara_x

        return str(getattr(yara_x, "__version__", "") or _dist_version("yara-x"))
    import yara

    return f"{yara.YARA_VERSION} (yara-python {yara.__version__})"


def _dist_version(name: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return "?"


def library_key(files: Sequence[RuleFile], engine: str) -> str:
    """SHA-256 over the engine, the externals and every source (with what it includes)."""
    h = hashlib.sha256(f"{CACHE_FORMAT}|{engine}|{engine_version(engine)}|{sorted(EXTERNALS)}".encode())
    for f in files:
        h.update(f"\0{f.namespace}\0{f.path}\0{f.sha256}".encode())
        if not f.precompiled:
            for inc in IncludeResolver(f.root, f.path).closure(f.path):
                h.update(b"\0inc\0" + str(inc).encode() + b"\0" + hashlib.sha256(inc.read_bytes()).digest())
    return h.hexdigest()


def load_library(
    paths: Iterable[str | os.PathLike[str]],
    engine: str = "yara",
    use_cache: bool = True,
    cache_dir: Path | None = None,
) -> RuleLibrary:
    """Discover, compile (or load from the cache) and return the library for ``paths``."""
    if engine not in ENGINES:
        raise ValueError(f"unknown YARA engine {engine!r} (choose {', '.join(ENGINES)})")
    t0 = time.perf_counter()
    files, diags = discover(paths)
    sources = [f for f in files if not f.precompiled]
    key = library_key(files, engine)
    cache = (cache_dir or user_cache_dir()) if use_cache else None
    rulesets: list[tuple[Any, RuleFile | None]] = []
    report: CompileReport | None = None
    if cache is not None and sources:
        report, compiled = _cache_get(cache, key, engine)
        if compiled is not None:
            rulesets.append((compiled, None))
    if report is None:
        report = CompileReport(files, diags, engine, key)
        compiled = (
            (_compile_yarax if engine == "yara-x" else _compile_yara)(sources, report) if sources else None
        )
        if compiled is not None:
            rulesets.append((compiled, None))
            if cache is not None:
                _cache_put(cache, key, engine, compiled, report)
    for f in report.files:
        if f.precompiled:
            loaded = _load_precompiled(f, engine, report)
            if loaded is not None:
                rulesets.append((loaded, f))
    report.seconds = time.perf_counter() - t0
    return RuleLibrary(report, rulesets)


def compile_single(rf: RuleFile, engine: str) -> RuleLibrary:
    """One rule file compiled alone (its library root kept for includes), to time it on its own."""
    copy = RuleFile(rf.path, rf.namespace, rf.root, rf.sha256)
    report = CompileReport([copy], [], engine)
    compiled = (_compile_yarax if engine == "yara-x" else _compile_yara)([copy], report)
    return RuleLibrary(report, [(compiled, None)] if compiled is not None else [])


def _load_precompiled(f: RuleFile, engine: str, report: CompileReport) -> Any:
    try:
        if engine == "yara-x":
            import yara_x

            with open(f.path, "rb") as fh:
                rules = yara_x.Rules.deserialize_from(fh)
        else:
            import yara

            rules = yara.load(filepath=f.path)
    except Exception as exc:
        f.status = "failed"
        report.diagnostics.append(
            Diagnostic(f.path, None, f"cannot load precompiled rules with {engine}: {exc}")
        )
        return None
    f.status = "ok"
    f.rules = sum(1 for _ in rules) if engine == "yara" else 0
    return rules


def _compile_yara(sources: list[RuleFile], report: CompileReport) -> Any:
    import yara

    good: list[RuleFile] = []
    for f in sources:
        resolver = IncludeResolver(f.root, f.path)
        try:
            rules = yara.compile(
                filepath=f.path, externals=EXTERNALS, include_callback=resolver, error_on_warning=False
            )
        except yara.SyntaxError as exc:
            f.status = "failed"
            diag = parse_yara_message(str(exc), f.path, resolver)
            if resolver.problems and "include resource" in diag.message:
                problem = resolver.problems[-1]
                diag = Diagnostic(diag.file, diag.line, problem.message)
            report.diagnostics.append(diag)
            continue
        except yara.Error as exc:
            f.status = "failed"
            report.diagnostics.append(Diagnostic(f.path, None, str(exc)))
            continue
        for w in rules.warnings:
            report.diagnostics.append(parse_yara_message(w, f.path, resolver, level="warning"))
        f.status, f.rules = "ok", sum(1 for _ in rules)
        f.includes = [str(p) for p in resolver.used]
        good.append(f)
    if not good:
        return None
    try:
        return yara.compile(
            filepaths={f.namespace: f.path for f in good},
            externals=EXTERNALS,
            include_callback=_MultiResolver(good),
            error_on_warning=False,
        )
    except yara.Error as exc:  # files that compile alone but not together: say so, keep none
        for f in good:
            f.status = "failed"
        report.diagnostics.append(
            Diagnostic(good[0].root, None, f"the rule files compile one by one but not together: {exc}")
        )
        return None


class _MultiResolver:
    """Include resolution for a combined compile: each namespace resolves against its own file."""

    def __init__(self, files: list[RuleFile]) -> None:
        self.resolvers = {f.namespace: IncludeResolver(f.root, f.path) for f in files}

    def __call__(self, requested: str, filename: str | None, namespace: str) -> str | None:
        return self.resolvers[namespace](requested, filename, namespace)


def _compile_yarax(sources: list[RuleFile], report: CompileReport) -> Any:
    import yara_x

    def build(files: list[RuleFile], record: bool) -> Any:
        compiler = yara_x.Compiler()
        for k, v in EXTERNALS.items():
            compiler.define_global(k, v)
        seen_errors = 0
        for f in files:
            compiler.new_namespace(f.namespace)
            resolver = IncludeResolver(f.root, f.path)
            failed = False
            for path, text in _expand_includes(Path(f.path), resolver):
                undecodable = not_utf8(text, str(path))
                if undecodable is not None:  # YARA-X takes str source only: say where, skip the file
                    failed = True
                    if record:
                        report.diagnostics.append(undecodable)
                    continue
                try:
                    compiler.add_source(text, origin=str(path))
                except yara_x.CompileError:
                    failed = True
            errs = compiler.errors()[seen_errors:]
            seen_errors += len(errs)
            if record:
                for d in resolver.problems:
                    report.diagnostics.append(d)
                for e in errs:
                    label = (e.get("labels") or [{}])[0]
                    report.diagnostics.append(
                        Diagnostic(
                            label.get("code_origin") or f.path,
                            e.get("line"),
                            f"{e.get('code')}: {e.get('title')}",
                        )
                    )
                f.status = "failed" if (failed or resolver.problems) else "ok"
        if record:
            for w in compiler.warnings():
                label = (w.get("labels") or [{}])[0]
                report.diagnostics.append(
                    Diagnostic(
                        label.get("code_origin") or "?",
                        w.get("line"),
                        f"{w.get('code')}: {w.get('title')}",
                        "warning",
                    )
                )
        return compiler.build()

    rules = build(sources, record=True)
    good = [f for f in sources if f.status == "ok"]
    if len(good) != len(sources):
        rules = build(good, record=False) if good else None
    if rules is not None:
        counts: dict[str, int] = {}
        for r in _yarax_rules(rules):
            counts[r] = counts.get(r, 0) + 1
        for f in good:
            f.rules = counts.get(f.namespace, 0)
    return rules


def not_utf8(text: str, path: str) -> Diagnostic | None:
    """Where source read with ``surrogateescape`` holds bytes that are not UTF-8 (YARA-X cannot take them)."""
    m = re.search("[\udc80-\udcff]", text)
    if m is None:
        return None
    line = text.count("\n", 0, m.start()) + 1
    column = m.start() - (text.rfind("\n", 0, m.start()) + 1) + 1
    byte = ord(m[0]) - 0xDC00
    return Diagnostic(
        path,
        line,
        f"byte 0x{byte:02x} at column {column} is not UTF-8; YARA-X reads UTF-8 source "
        f'only: write the bytes as escapes ("\\x{byte:02x}") or a hex string '
        f"({{ {byte:02x} }})",
    )


def _yarax_rules(rules: Any) -> list[str]:
    """Namespaces of every rule in a YARA-X rule set (empty when the binding cannot list them)."""
    try:
        return [r.namespace for r in rules]
    except TypeError:
        return []


def _expand_includes(path: Path, resolver: IncludeResolver) -> list[tuple[Path, str]]:
    """``path`` and what it includes, depth first, each with its include lines blanked (same line numbers)."""
    out: list[tuple[Path, str]] = []
    seen: set[Path] = set()

    def visit(p: Path) -> None:
        if p in seen:
            return
        seen.add(p)
        text = p.read_text(encoding="utf-8", errors="surrogateescape")
        for m in _INCLUDE_RE.finditer(text):
            found = resolver.resolve(m[1], str(p))
            line = text.count("\n", 0, m.start(1)) + 1
            if isinstance(found, str):
                resolver.problems.append(Diagnostic(str(p), line, found))
            else:
                visit(found)
        out.append((p, _INCLUDE_RE.sub("", text)))

    visit(path)
    return out


# -- cache -----------------------------------------------------------------------------------
def _cache_get(cache: Path, key: str, engine: str) -> tuple[CompileReport | None, Any]:
    meta, blob = cache / f"{key}.json", cache / f"{key}.bin"
    if not meta.is_file():
        return None, None
    try:
        report = CompileReport.from_json(json.loads(meta.read_text()))
        if not blob.is_file():
            return report, None
        if engine == "yara-x":
            import yara_x

            with open(blob, "rb") as fh:
                return report, yara_x.Rules.deserialize_from(fh)
        import yara

        return report, yara.load(filepath=str(blob))
    except Exception:  # a damaged cache entry is recompiled
        return None, None


def _cache_put(cache: Path, key: str, engine: str, compiled: Any, report: CompileReport) -> None:
    try:
        cache.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=cache, delete=False, suffix=".tmp") as fh:
            if engine == "yara-x":
                compiled.serialize_into(fh)
            else:
                fh.close()
                compiled.save(fh.name)
        os.replace(fh.name, cache / f"{key}.bin")
        tmp = cache / f"{key}.json.{os.getpid()}.tmp"
        tmp.write_text(json.dumps(report.to_json()))
        os.replace(tmp, cache / f"{key}.json")
    except OSError:  # no cache is not an error: the rules are compiled again next time
        pass
