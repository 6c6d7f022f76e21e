"""Identifier analyzer: e-mail addresses, URLs, IP addresses, phone numbers, IBANs and
virtual-currency addresses in file content, read as ASCII/UTF-8 and UTF-16LE text.

It runs in the engine's single pass. Chunks arrive in order; the last ``CARRY`` bytes of
each are scanned again with the next one, and a hit is accepted by the window its *end*
falls in, so an identifier straddling a chunk boundary is found exactly once, at its
absolute offset. Only validated identifiers are reported (see :mod:`ident_extract`).

One finding per distinct identifier and file (kind ``identifier``, name = the normalised
value); its details hold the first occurrence (``offset``, ``encoding``, ``context``: ±64
bytes as escaped text), up to ``max_occurrences`` offsets and the total ``count``, plus the
provider and jurisdiction known at scan time. Caps are recorded as warnings.

The plugin also implements ``triage_bundle_contribute``: drafts marked for attachment with
``triage requests draft CASE --attach`` are written under ``data/preservation/`` of a bundle.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from triage.plugin import (
    Analyzer,
    AnalyzerContext,
    Option,
    contribute_preservation_drafts,
    hookimpl,
    identifier_providers,
)
from triage_plugins.ident_extract import KINDS, MAX_LEN, ExtractOptions, Hit, extract, psl

CARRY = 2 * MAX_LEN + 256
"""Bytes of the previous chunk scanned again with the next one (longer than any identifier)."""
GUARD = 80
"""A hit ending this close to a chunk's end waits for the next chunk (it may go on, and the
context after it is not there yet)."""
CONTEXT = 64

# Compressed containers and media: identifiers in their payload are not clear text, so by
# default only the first chunk (headers, Exif, ID3 …) is read for them.
COMPRESSED = re.compile(
    r"^(image/(jpeg|png|gif|webp|heic|heif|avif|jp2|jxl)|video/.*|audio/(mpeg|ogg|aac|flac|mp4|x-m4a|opus|webm)|font/(woff|woff2)|"
    r"application/(zip|gzip|x-gzip|x-xz|x-bzip2|x-7z-compressed|x-rar|vnd\.rar|zstd|x-lzma|"
    r"x-lzip|java-archive|vnd\.android\.package-archive|x-iso9660-image|"
    r"vnd\.openxmlformats-officedocument\..*|vnd\.oasis\.opendocument\..*|epub\+zip|x-apple-diskimage))$"
)

_U16_CLASS = bytes(112 if 32 <= i <= 126 else 122 if i == 0 else 46 for i in range(256))  # p / z / .
_U16_RUN = re.compile(rb"pzpzpzpzpzpz[pz]*")  # six or more UTF-16LE printable characters


_UNPRINTABLE = re.compile(rb"[^\x20-\x5b\x5d-\x7e]")  # everything but printable ASCII, and the backslash
_UNPRINTABLE16 = re.compile(r"[^\x20-\x5b\x5d-\x7e]")


def _escape(data: bytes) -> str:
    """Printable ASCII as is; every other byte (and the backslash) as ``\\xNN``."""
    return _UNPRINTABLE.sub(lambda m: b"\\x%02x" % m[0][0], data).decode("ascii")


def _escape16(data: bytes) -> str:
    """UTF-16LE: printable ASCII characters as is, every other code unit as ``\\uNNNN``."""
    text = data[: len(data) - len(data) % 2].decode("utf-16le", "surrogatepass")
    return _UNPRINTABLE16.sub(lambda m: f"\\u{ord(m[0]):04x}", text)


def _utf16_runs(buf: bytes) -> list[tuple[int, int]]:
    """``(start, end)`` of every run of six or more printable UTF-16LE characters."""
    cls = buf.translate(_U16_CLASS)
    runs: list[tuple[int, int]] = []
    pos = 0
    while True:
        m = _U16_RUN.search(cls, pos)
        if m is None:
            return runs
        g = m.group()
        breaks = [j for j in (g.find(b"pp"), g.find(b"zz")) if j >= 0]
        if breaks:
            j = min(breaks)
            end = m.start() + (j if j % 2 == 0 else j + 1)
        else:
            end = m.start() + len(g) - len(g) % 2
        if end - m.start() >= 12:
            runs.append((m.start(), end))
        pos = max(end, m.start() + 1)


class IdentifierAnalyzer(Analyzer):
    """Finds identifiers that point to data held by service providers (for preservation requests)."""

    name = "identifiers"
    version = "1.0.0"
    api_version = "2.0"
    description = (
        "E-mail, URL, IP, phone (E.164), IBAN and virtual-currency addresses, checksum-validated, "
        "in ASCII/UTF-8 and UTF-16LE text"
    )
    time_budget = 120.0
    options = (
        Option(
            "kinds",
            list,
            [k for k in KINDS if k != "domain"],
            "kinds to look for (email,url,domain,ip,phone,iban,crypto); 'domain' = bare host names, noisy",
            choices=tuple(KINDS),
        ),
        Option(
            "max_identifiers",
            int,
            2000,
            "distinct identifiers recorded per file (a warning says when reached)",
        ),
        Option("max_occurrences", int, 50, "offsets recorded per identifier and file (all are counted)"),
        Option("phone_region", str, "", "also accept national phone numbers of this region (e.g. GB)"),
        Option("ip_private", bool, True, "report private (RFC 1918 / ULA) addresses too"),
        Option(
            "eth_unchecked",
            bool,
            True,
            "report single-case Ethereum addresses (no EIP-55 checksum to verify)",
        ),
        Option("utf16", bool, True, "also read UTF-16LE text"),
        Option(
            "scan_compressed", bool, False, "read all of compressed/media files, not only their first chunk"
        ),
    )

    def setup(self) -> None:
        psl()
        kinds = frozenset(self.config["kinds"])
        unknown = kinds - set(KINDS)
        if unknown:
            raise ValueError(f"unknown identifier kind(s): {', '.join(sorted(unknown))}")
        self.opts = ExtractOptions(
            kinds=kinds,
            phone_region=(self.config["phone_region"] or None),
            ip_private=bool(self.config["ip_private"]),
            eth_unchecked=bool(self.config["eth_unchecked"]),
        )
        try:
            self.providers: Any = identifier_providers()
        except Exception:  # attribution is recomputed at query time; a bad user file must not stop the scan
            self.providers = None

    def start(self, ctx: AnalyzerContext) -> None:
        self.ctx = ctx
        self.size = ctx.file.size
        self.pos = 0
        self.carry = b""
        self.accepted = 0  # absolute offset: hits ending at or before it were judged already
        self.final_done = False
        self.found: dict[tuple[str, str], dict[str, Any]] = {}
        self.capped = False
        self.head_only = not self.config["scan_compressed"] and bool(COMPRESSED.match(ctx.file.mime or ""))

    def update(self, chunk: bytes) -> None:
        if self.head_only and self.pos > 0:
            self.pos += len(chunk)
            return
        buf = self.carry + chunk
        base = self.pos - len(self.carry)
        self.pos += len(chunk)
        final = self.pos >= self.size or (self.head_only and self.pos > 0)
        self._scan(buf, base, final)
        self.carry = b"" if final else buf[-CARRY:]
        self.final_done = final

    def finish(self) -> None:
        if not self.final_done and self.carry:  # content ended before the recorded size
            self._scan(self.carry, self.pos - len(self.carry), True)
        for rec in self.found.values():
            self.ctx.add_finding("identifier", rec["normalised"], "info", rec)
        if self.head_only and self.size > (1 << 20):
            self.ctx.set_result("identifiers_scope", "first chunk only (compressed or media type)")
        self.ctx.set_result("identifiers", len(self.found))

    # -- scanning --------------------------------------------------------------------------
    def _scan(self, buf: bytes, base: int, final: bool) -> None:
        limit = len(buf) if final else len(buf) - GUARD
        first = base == 0
        for h in extract(buf, self.opts, first=first):
            if h.end <= limit and base + h.end > self.accepted:
                self._record(h, base + h.start, "utf-8", buf, h.start, h.end)
        if self.config["utf16"] and b"\x00" in buf:
            for rs, re_ in _utf16_runs(buf):
                text = buf[rs:re_:2]
                for h in extract(text, self.opts, first=rs > 0 or first):
                    s, e = rs + 2 * h.start, rs + 2 * h.end
                    if e <= limit and base + e > self.accepted:
                        self._record(h, base + s, "utf-16le", buf, s, e)
        self.accepted = base + limit

    def _record(self, h: Hit, offset: int, encoding: str, buf: bytes, s: int, e: int) -> None:
        key = (h.kind, h.normalised)
        rec = self.found.get(key)
        if rec is None:
            if len(self.found) >= self.config["max_identifiers"]:
                if not self.capped:
                    self.capped = True
                    self.ctx.warning(
                        f"identifiers: more than {self.config['max_identifiers']} distinct identifiers; "
                        f"the rest of this file was not recorded (raise identifiers.max_identifiers)"
                    )
                return
            lo, hi = max(0, s - CONTEXT), e + CONTEXT
            if encoding == "utf-16le":
                lo += (s - lo) % 2
                context = _escape16(buf[lo:hi])
            else:
                context = _escape(buf[lo:hi])
            rec = {
                **h.details,
                "identifier_kind": h.kind,
                "value": h.value,
                "normalised": h.normalised,
                "offset": offset,
                "encoding": encoding,
                "length": e - s,
                "context": context,
                "count": 0,
                "occurrences": [],
            }
            if self.providers is not None:
                rec.update(self.providers.attribute(h.kind, h.normalised, h.details).to_dict())
            self.found[key] = rec
        rec["count"] += 1
        if len(rec["occurrences"]) < self.config["max_occurrences"]:
            rec["occurrences"].append({"offset": offset, "encoding": encoding})
        elif rec["count"] == self.config["max_occurrences"] + 1:
            rec["occurrences_truncated"] = True


@hookimpl
def triage_analyzers() -> list[type[Analyzer]]:
    return [IdentifierAnalyzer]


@hookimpl
def triage_bundle_contribute(case: Any, bundle_data: Path, selection: Sequence[int]) -> list[Path]:
    """Write the drafts marked with ``triage requests draft --attach`` under ``data/preservation/``."""
    return contribute_preservation_drafts(case, bundle_data, selection)
