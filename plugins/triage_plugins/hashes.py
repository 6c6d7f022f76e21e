"""Cryptographic hashes of every file's content (MD5, SHA-1, SHA-256 by default)."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from triage.plugin import Analyzer, AnalyzerContext, Option, hookimpl

DEFAULT_ALGORITHMS = ["md5", "sha1", "sha256"]
SUPPORTED = ("md5", "sha1", "sha256", "sha512", "sha3_256", "blake2b")


class HashAnalyzer(Analyzer):
    """Feeds each chunk to every configured hashlib algorithm."""

    name = "hashes"
    version = "1.0.0"
    api_version = "2.0"
    result_keys = SUPPORTED
    description = "MD5, SHA-1 and SHA-256 (configurable) of each file's content"
    options = (
        Option("algorithms", list, DEFAULT_ALGORITHMS, "hash algorithms, comma separated", choices=SUPPORTED),
    )

    @classmethod
    def check_options(cls, options: Mapping[str, Any]) -> list[str]:
        algorithms = options["algorithms"]
        if not algorithms:
            return ["hashes.algorithms: no hash algorithm given (choose from " + ", ".join(SUPPORTED) + ")"]
        if len(set(algorithms)) != len(algorithms):
            return [f"hashes.algorithms: an algorithm is named twice ({', '.join(algorithms)})"]
        return []

    def setup(self) -> None:
        algorithms = self.config["algorithms"]
        unknown = [a for a in algorithms if a not in SUPPORTED]
        if unknown:
            raise ValueError(
                f"unsupported hash algorithm(s): {', '.join(unknown)}; use {', '.join(SUPPORTED)}"
            )
        self._algorithms = list(algorithms)

    def start(self, ctx: AnalyzerContext) -> None:
        self._ctx = ctx
        self._hashers: list[Any] = [hashlib.new(a) for a in self._algorithms]

    def update(self, chunk: bytes) -> None:
        for h in self._hashers:
            h.update(chunk)

    def finish(self) -> None:
        for name, h in zip(self._algorithms, self._hashers, strict=True):
            self._ctx.set_result(name, h.hexdigest())


@hookimpl
def triage_analyzers() -> list[type[Analyzer]]:
    return [HashAnalyzer]
