"""The full-text index's analyzer: extracted text, raw strings and slack of every file, in the one
scan pass; unallocated space's strings and the keyword list after it (docs/search.md).

Per file: every chunk goes to the strings collector (ASCII and UTF-16LE runs with their byte
offsets); a document whose format has an extractor (:mod:`triage_plugins.text_formats`) is kept in
memory up to ``max_bytes`` and its text extracted in ``finish()`` within ``seconds``; the slack after
the content is read once (``ctx.read_slack``) for its strings. Whatever a limit cuts off is a
completeness-ledger entry on the file (``truncated``, ``timed-out``, ``encrypted``), and so is a
document that does not parse (``failed``; its raw strings are still indexed).
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from typing import Any

from triage.plugin import (
    Analyzer,
    AnalyzerContext,
    IsolatedError,
    Option,
    PostScanCase,
    PostScanContext,
    TextPiece,
    hookimpl,
    open_evidence_cache,
    run_keyword_list,
)
from triage_plugins.text_formats import EncryptedError, choose
from triage_plugins.text_strings import PIECE_CHARS, StringsCollector

__version__ = "1.0.0"
MiB = 1024 * 1024


class _TimeUp(Exception):
    pass


def _alarm(signum: int, frame: Any) -> None:
    raise _TimeUp


def text_pieces(member: str | None, text: str, start: int = 0) -> Iterator[TextPiece]:
    """``text`` of ``member`` cut into pieces of at most :data:`PIECE_CHARS` characters, at spaces."""
    pos = 0
    while pos < len(text):
        end = min(len(text), pos + PIECE_CHARS)
        if end < len(text):
            space = text.rfind(" ", pos + PIECE_CHARS // 2, end)
            end = space + 1 if space > 0 else end
        yield TextPiece("text", text[pos:end], base=start + pos, member=member)
        pos = end


class TextAnalyzer(Analyzer):
    """Text and raw strings of every file for the case's full-text index."""

    name = "text"
    version = __version__
    api_version = "2.2"
    description = "full-text index: document text, raw strings (ASCII, UTF-16LE) and slack of every file"
    time_budget = 300.0
    opt_in = True  # triples the case and the scan time on binaries: chosen with --analyzers +text
    options = (
        Option("strings", bool, True, "index the raw strings of every file's content"),
        Option("slack", bool, True, "index the raw strings of every file's slack"),
        Option("min_length", int, 5, "shortest raw string indexed (characters)"),
        Option("max_bytes", int, 64 * MiB, "bytes of a document its text extractor reads"),
        Option("max_chars", int, 32 * MiB, "characters indexed per file and source"),
        Option("seconds", float, 30.0, "time limit of a document's text extraction"),
        Option("unallocated", bool, True, "index the raw strings of unallocated space after the file pass"),
        Option("keywords", str, "", "keyword list (one term or /regex/ per line) run after the scan"),
    )

    @classmethod
    def check_options(cls, options: Any) -> list[str]:
        problems = []
        if int(options["min_length"]) < 3:
            problems.append("text.min_length: at least 3")
        if options["keywords"]:
            problems += run_keyword_list(None, options["keywords"], check_only=True)
        return problems

    def start(self, ctx: AnalyzerContext) -> None:
        self.ctx = ctx
        cfg = self.config
        self.strings = (
            StringsCollector("strings", min_length=int(cfg["min_length"]), max_chars=int(cfg["max_chars"]))
            if cfg["strings"]
            else None
        )
        self.chosen: Any = None
        self.first = True
        self.buffer: list[bytes] = []
        self.buffered = 0
        self.cut = 0

    def update(self, chunk: bytes) -> None:
        if self.first:
            self.first = False
            self.chosen = choose(self.ctx.file.mime, self.ctx.file.extension, chunk[:64])
        if self.strings is not None:
            self.strings.feed(chunk)
        if self.chosen is not None:
            room = int(self.config["max_bytes"]) - self.buffered
            if room > 0:
                self.buffer.append(chunk[:room])
                self.buffered += min(room, len(chunk))
            self.cut += max(0, len(chunk) - max(room, 0))

    def finish(self) -> None:
        if self.strings is not None:
            self._add(self.strings.close(), "raw strings", self.strings.dropped_bytes)
        if self.config["slack"]:
            self._slack()
        if self.chosen is not None:
            self._extract()

    def _add(self, pieces: list[TextPiece], what: str, dropped: int) -> None:
        for p in pieces:
            self.ctx.add_text(p)
        if dropped:
            self.ctx.record_gap(
                "truncated",
                f"{what}: only the first {self.config['max_chars']} characters were indexed",
                dropped,
            )

    def _slack(self) -> None:
        try:
            data = self.ctx.read_slack(4 * MiB)
        except OSError as exc:
            self.ctx.record_gap("not-scanned", f"slack not indexed: {exc}", None)
            return
        if data:
            c = StringsCollector("slack", min_length=int(self.config["min_length"]), start=self.ctx.file.size)
            c.feed(data)
            self._add(c.close(), "slack strings", c.dropped_bytes)

    def _extract(self) -> None:
        ctx = self.ctx
        fmt, extractor = self.chosen
        data = b"".join(self.buffer)
        self.buffer = []
        seconds = float(self.config["seconds"])
        limit = int(self.config["max_chars"])
        timer = threading.current_thread() is threading.main_thread() and seconds > 0
        old: Any = None
        if timer:
            old = signal.signal(signal.SIGALRM, _alarm)
            signal.setitimer(signal.ITIMER_REAL, seconds)
        chars = 0
        try:
            for member, text in extractor(data, int(self.config["max_bytes"])):
                if chars + len(text) > limit:
                    ctx.record_gap(
                        "truncated", f"{fmt} text: only the first {limit} characters were indexed", None
                    )
                    text = text[: max(0, limit - chars)]
                chars += len(text)
                for p in text_pieces(member, text):
                    ctx.add_text(p)
                if chars >= limit:
                    break
        except _TimeUp:
            ctx.record_gap("timed-out", f"{fmt} text extraction stopped after {seconds:g} s", None)
        except EncryptedError as exc:
            ctx.record_gap("encrypted", f"{fmt}: {exc}; its text was not extracted", len(data))
        except Exception as exc:  # a damaged or hostile document: its raw strings are still indexed
            ctx.record_gap(
                "failed", f"{fmt} text not extracted: {type(exc).__name__}: {str(exc)[:200]}", len(data)
            )
        finally:
            if timer:
                signal.setitimer(signal.ITIMER_REAL, 0)
                signal.signal(signal.SIGALRM, old)
        if self.cut:
            ctx.record_gap(
                "truncated",
                f"{fmt} text: only the first {self.config['max_bytes']} bytes were given to the extractor",
                self.cut,
            )
        ctx.set_result("text_format", fmt)
        ctx.set_result("text_chars", chars)


@hookimpl
def triage_analyzers() -> list[type[Analyzer]]:
    return [TextAnalyzer]


# -- after the scan: unallocated space, then the keyword list --------------------------------------
@hookimpl
def triage_scan_finished(context: PostScanContext) -> None:
    if "text" not in context.analyzers:
        return
    opts = context.options_of("text", TextAnalyzer.options)
    if opts["unallocated"]:
        try:
            context.run_isolated(index_unallocated, context.scan_id, list(context.evidence_ids), opts)
        except IsolatedError as exc:
            context.case.add_error(
                "plugin:text", f"unallocated space not indexed: {exc}", scan_id=context.scan_id
            )
    if opts["keywords"]:
        for problem in run_keyword_list(context.case, opts["keywords"], scan_id=context.scan_id):
            context.case.add_error("plugin:text", f"keyword list not run: {problem}", scan_id=context.scan_id)


def index_unallocated(
    case: PostScanCase, scan_id: int, evidence_ids: list[int], opts: dict[str, Any]
) -> None:
    """Raw strings of each file system's unallocated blocks, one sequential read of each run.

    Offsets are byte offsets in the volume (the partition: ``blkcat`` block * block size + offset in
    it). A partition's earlier unallocated text is dropped first, so running again adds no duplicates.
    """
    from triage_plugins.yara_scan import open_unallocated

    cache = open_evidence_cache()
    try:
        for ev in [e for i in evidence_ids for e in case.evidence(i)]:
            for part in case.partitions(ev["id"]):
                if not part["fs_type"]:
                    continue
                where = {"evidence_id": ev["id"], "partition_id": part["id"]}
                opened = open_unallocated(
                    case, cache, ev, part, scan_id, "plugin:text", "indexed", as_gap=True
                )
                if opened is None:
                    continue
                bs, runs, img = opened
                case.clear_text(source="unallocated", **where)
                for first, count in runs:
                    start, length = first * bs, count * bs
                    c = StringsCollector("unallocated", min_length=int(opts["min_length"]), start=start)
                    pos = 0
                    try:
                        while pos < length:
                            n = min(MiB, length - pos)
                            c.feed(img.read(part["offset"] + start + pos, n))
                            pos += n
                            if len(c.pieces) >= 16:
                                case.add_text(list(c.take()), **where)
                    except OSError as exc:
                        case.add_error(
                            "plugin:text",
                            f"read error in unallocated run at volume offset {start + pos}: {exc}",
                            scan_id=scan_id,
                            **where,
                        )
                    c.close()
                    case.add_text(list(c.take()), **where)
    finally:
        cache.close()
