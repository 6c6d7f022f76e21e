"""A minimal YARA analyzer for GUI tests, used only while the built-in ``yara`` analyzer is
not installed. Real yara-python; matches reported with identifier, offset and data."""

from __future__ import annotations

from pathlib import Path

import yara

from triage.plugin import Analyzer, Option, hookimpl

__version__ = "0.0.1"


class FallbackYara(Analyzer):
    name = "yara"
    version = "0.0.1"
    description = "YARA rules over each file (test fallback)"
    options = (Option("rules", list, [], "rule files or folders"),)

    def setup(self) -> None:
        files: dict[str, str] = {}
        for p in self.config["rules"]:
            path = Path(p)
            for f in [path] if path.is_file() else sorted(path.rglob("*.yar")):
                files[f.stem] = str(f)
        self._rules = yara.compile(filepaths=files) if files else None

    def start(self, ctx) -> None:  # type: ignore[no-untyped-def]
        self._ctx = ctx
        self._buf = bytearray()

    def update(self, chunk: bytes) -> None:
        self._buf += chunk

    def finish(self) -> None:
        if self._rules is None:
            return
        for m in self._rules.match(data=bytes(self._buf)):
            strings = [
                {
                    "identifier": s.identifier,
                    "offset": i.offset,
                    "data": i.matched_data.decode("latin-1"),
                    "length": i.matched_length,
                }
                for s in m.strings
                for i in s.instances
            ]
            self._ctx.add_finding(
                "yara",
                m.rule,
                "alert",
                {"rule": m.rule, "namespace": m.namespace, "tags": list(m.tags), "strings": strings},
            )


@hookimpl
def triage_analyzers() -> list[type[Analyzer]]:
    return [FallbackYara]
