"""Example triage plugin: the e-mail addresses in each text file."""

from __future__ import annotations

import re

from triage.plugin import Analyzer, AnalyzerContext, FileFilter, Option, hookimpl

__version__ = "0.1.0"

EMAIL = re.compile(rb"[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})*\.[A-Za-z]{2,24}")
OVERLAP = 64 + 1 + 253  # longest address we look for: keep that much of each chunk's tail


class EmailAnalyzer(Analyzer):
    """Collects distinct e-mail addresses, also those split across two chunks."""

    name = "emails"
    version = __version__
    api_version = "2.0"
    description = "e-mail addresses in text files"
    filters = FileFilter(
        mime_types=("text/*", "message/*", "application/json", "application/xml"), max_size=64 * 1024 * 1024
    )
    options = (Option("max_addresses", int, 100, "addresses kept per file"),)

    def start(self, ctx: AnalyzerContext) -> None:
        self.ctx = ctx
        self.found: set[str] = set()
        self.tail = b""

    def update(self, chunk: bytes) -> None:
        data = self.tail + chunk
        for m in EMAIL.finditer(data):
            # an address touching the end may continue in the next chunk: take it then
            if m.end() < len(data) or not chunk:
                self.found.add(m.group().decode("ascii").lower())
        self.tail = data[-OVERLAP:]

    def finish(self) -> None:
        self.update(b"")  # flush the tail
        if not self.found:
            return
        addresses = sorted(self.found)
        limit = int(self.config["max_addresses"])
        self.ctx.set_result("emails", len(addresses))
        self.ctx.add_finding(
            "email-addresses",
            f"{len(addresses)} e-mail address(es)",
            "info",
            {"addresses": addresses[:limit], "count": len(addresses), "truncated": len(addresses) > limit},
        )


@hookimpl
def triage_analyzers() -> list[type[Analyzer]]:
    return [EmailAnalyzer]
