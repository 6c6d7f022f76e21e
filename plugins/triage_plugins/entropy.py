"""Shannon entropy of each file's content, computed in the same pass, and a flag for
high-entropy content whose type libmagic does not know (probably encrypted or compressed).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from triage.plugin import Analyzer, AnalyzerContext, Option, hookimpl

UNKNOWN_TYPES = frozenset({"", "application/octet-stream", "data"})
_ZEROS = np.zeros(256, dtype=np.int64)
_ZEROS.flags.writeable = False


def shannon_entropy(counts: np.ndarray) -> float:
    """Bits per byte (0 … 8) of a 256-bin byte histogram."""
    total = int(counts.sum())
    if total == 0:
        return 0.0
    p = counts[counts > 0] / total
    return float(-(p * np.log2(p)).sum()) + 0.0


PAIRS_FROM = 128 << 10
"""Chunks at least this long are counted two bytes at a time (see :func:`byte_counts`)."""


def byte_counts(chunk: bytes) -> np.ndarray:
    """The 256-bin histogram of ``chunk`` (int64), exactly ``np.bincount`` of its bytes.

    ``np.bincount`` widens its input to 8-byte integers, so a 1 MiB chunk costs an 8 MiB temporary.
    From :data:`PAIRS_FROM` bytes on, the chunk is read as 16-bit pairs instead (half the elements):
    the 65,536-bin histogram of pairs folded into the two bytes of each pair gives the same integer
    counts several times faster (docs/benchmarks.md); below it the fixed cost of the 65,536 bins wins.
    """
    data = np.frombuffer(chunk, dtype=np.uint8)
    if len(data) < PAIRS_FROM:
        direct: np.ndarray = np.bincount(data, minlength=256)
        return direct
    even = len(data) & ~1
    pairs = np.bincount(data[:even].view(np.uint16), minlength=65536).reshape(256, 256)
    counts: np.ndarray = pairs.sum(axis=0) + pairs.sum(axis=1)  # each pair counts its high and low byte
    if even < len(data):
        counts[data[-1]] += 1
    return counts


class EntropyAnalyzer(Analyzer):
    """Byte histogram over every chunk; entropy and the high-entropy flag at the end."""

    name = "entropy"
    version = "1.0.0"
    api_version = "2.0"
    result_keys = ("high_entropy",)
    description = "Shannon entropy (bits/byte); flags high-entropy files of unknown type"
    requires = ("filetype",)
    options = (
        Option(
            "threshold", float, 7.5, "entropy (bits per byte) at or above which unknown content is flagged"
        ),
        Option("min_size", int, 4096, "smallest file (bytes) that can be flagged; small samples look random"),
    )

    @classmethod
    def check_options(cls, options: Mapping[str, Any]) -> list[str]:
        problems = []
        if not 0.0 < options["threshold"] <= 8.0:
            problems.append(f"entropy.threshold: must be in (0, 8] bits per byte, not {options['threshold']}")
        if options["min_size"] < 0:
            problems.append(f"entropy.min_size: must be at least 0, not {options['min_size']}")
        return problems

    def setup(self) -> None:
        self._threshold = float(self.config["threshold"])
        self._min_size = int(self.config["min_size"])
        if not 0.0 < self._threshold <= 8.0:
            raise ValueError(f"threshold must be in (0, 8], not {self._threshold}")

    def start(self, ctx: AnalyzerContext) -> None:
        self._ctx = ctx
        self._counts = _ZEROS  # replaced (not added to) by the first chunk's histogram: one array less a file

    def update(self, chunk: bytes) -> None:
        if chunk:
            counts = byte_counts(chunk)
            if self._counts is _ZEROS:
                self._counts = counts
            else:
                self._counts += counts

    def finish(self) -> None:
        ctx = self._ctx
        size = int(self._counts.sum())
        value = round(shannon_entropy(self._counts), 4)
        ctx.set_result("entropy", value)
        mime = ctx.file.mime or ""
        if size >= self._min_size and value >= self._threshold and mime in UNKNOWN_TYPES:
            ctx.set_result("high_entropy", True)
            ctx.add_finding(
                "high-entropy",
                f"entropy {value:.2f} bits/byte, unknown type",
                "notable",
                {
                    "entropy": value,
                    "threshold": self._threshold,
                    "mime": mime or None,
                    "bytes": size,
                    "hint": "probably encrypted (container, wiped or ransomed file) or compressed",
                },
            )


@hookimpl
def triage_analyzers() -> list[type[Analyzer]]:
    return [EntropyAnalyzer]
