"""The scan status that the CLI progress bar and the GUI scan dock both read."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class ScanStatus:
    """A snapshot of a running scan."""

    phase: str = "starting"  # starting | inventory | content | finished | cancelled | paused
    evidence: str = ""
    files_done: int = 0
    files_total: int = 0
    bytes_done: int = 0
    bytes_total: int = 0
    elapsed: float = 0.0
    errors: int = 0
    findings: int = 0
    current_files: list[str] = field(default_factory=list)
    analyzer_seconds: dict[str, float] = field(default_factory=dict)
    paused: bool = False

    @property
    def rate(self) -> float:
        """Bytes per second so far."""
        return self.bytes_done / self.elapsed if self.elapsed > 0 else 0.0

    @property
    def eta(self) -> float | None:
        """Seconds left, or None while unknown."""
        if self.rate <= 0:
            return None
        return max(0.0, (self.bytes_total - self.bytes_done) / self.rate)

    @property
    def fraction(self) -> float:
        if self.bytes_total > 0:
            return min(1.0, self.bytes_done / self.bytes_total)
        return self.files_done / self.files_total if self.files_total else 0.0
