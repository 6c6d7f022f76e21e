"""The scan status that the CLI progress bar and the GUI scan dock both read."""

from __future__ import annotations

from dataclasses import dataclass, field

from triage.progress import Progress

FILE_COST_BYTES = 256 << 10
"""What one file costs beyond its bytes (open, libmagic, one row), in bytes of hashing: the ETA
counts ``bytes + files × FILE_COST_BYTES`` so images of many small files get a sane estimate."""


@dataclass
class ScanStatus:
    """A snapshot of a running scan.

    ``files_done``/``bytes_done`` include what earlier runs stored (``--resume``);
    ``files_resumed``/``bytes_resumed`` say how much of it was already there, so rates and
    the ETA measure this run only.
    """

    phase: str = (
        "starting"  # starting | inventory | content | evidence hash | locating damage | finished | cancelled
    )
    evidence: str = ""
    files_done: int = 0
    files_total: int = 0
    bytes_done: int = 0
    bytes_total: int = 0
    elapsed: float = 0.0
    errors: int = 0
    warnings: int = 0
    findings: int = 0
    current_files: list[str] = field(default_factory=list)
    analyzer_seconds: dict[str, float] = field(default_factory=dict)
    """CPU seconds each analyzer spent, summed over worker processes."""
    paused: bool = False
    files_resumed: int = 0
    bytes_resumed: int = 0
    content_seconds: float = 0.0
    """Seconds since the content pass of the current image began."""
    evidence_hash_done: int = 0
    evidence_hash_total: int = 0
    """Bytes of the current image's whole-evidence hash done, of its media size (runs next to the file pass)."""

    @property
    def rate(self) -> float:
        """Bytes per second in this run's content pass."""
        if self.content_seconds <= 0:
            return 0.0
        return max(0, self.bytes_done - self.bytes_resumed) / self.content_seconds

    @property
    def files_rate(self) -> float:
        """Files per second in this run's content pass."""
        if self.content_seconds <= 0:
            return 0.0
        return max(0, self.files_done - self.files_resumed) / self.content_seconds

    @property
    def eta(self) -> float | None:
        """Seconds left in the content pass, or None while unknown."""
        done = (self.bytes_done - self.bytes_resumed) + (
            self.files_done - self.files_resumed
        ) * FILE_COST_BYTES
        if self.content_seconds <= 0 or done <= 0:
            return None
        left = (self.bytes_total - self.bytes_done) + (self.files_total - self.files_done) * FILE_COST_BYTES
        return max(0.0, left * self.content_seconds / done)

    @property
    def fraction(self) -> float:
        return self.progress().fraction

    def progress(self) -> Progress:
        """This moment as the one progress record (:mod:`triage.progress`): bytes of the content pass
        (files while no size is known); while inventorying, the entries found so far (total unknown)."""
        if self.phase in ("starting", "inventory") and self.bytes_total <= 0:
            return Progress("scan", self.files_total, None, "files", f"{self.phase} {self.evidence}".strip())
        message = f"{self.phase}: {self.files_done}/{self.files_total} files"
        if self.bytes_total > 0:
            return Progress("scan", self.bytes_done, self.bytes_total, "bytes", message)
        return Progress("scan", self.files_done, self.files_total, "files", message)
