"""Evidence registration: the one check that a path is a disk image, and adding it to a case.

``triage scan`` (through :func:`triage.scan.validate.validate_scan`, before the case folder is
created) and the GUI's *Add evidence* both call :func:`check_evidence`, so both refuse the same
input with the same one-line message, before anything is created or changed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from triage.errors import EvidenceError
from triage.evidence.image import EvidenceSource, open_image, resolve_source
from triage.evidence.volumes import read_layout

if TYPE_CHECKING:
    from triage.case.store import Case

NOT_A_DISK_IMAGE = "not a disk image: no partition table or file system recognised"


@dataclass(frozen=True)
class CheckedEvidence:
    """An image that opened and holds a partition table or a file system we recognise."""

    source: EvidenceSource
    size: int
    metadata: dict[str, Any] = field(default_factory=dict)


def check_evidence(path: str | os.PathLike[str] | EvidenceSource) -> CheckedEvidence:
    """Resolve, open and probe ``path`` read-only; raise the error a scan would stop on.

    Raises:
        UsageError: not a file (missing, a folder, a FIFO …), see :func:`resolve_source`.
        EvidenceError: empty, unreadable, truncated, or no partition table or file system in it.
    """
    source = path if isinstance(path, EvidenceSource) else resolve_source(path)
    image = open_image(source)
    try:
        try:
            layout = read_layout(image)
        except Exception as exc:
            raise EvidenceError(
                f"{source.path}: cannot read its volume layout: {' '.join(str(exc).split())}"
            ) from exc
        if layout.volume_system == "none" and not any(p.fs_type or p.encryption for p in layout.partitions):
            raise EvidenceError(f"{source.path}: {NOT_A_DISK_IMAGE}")
        return CheckedEvidence(source, image.size, dict(image.metadata))
    finally:
        image.close()


def register_evidence(
    case: Case, path: str | os.PathLike[str] | EvidenceSource, *, probe: bool = True
) -> int:
    """:func:`check_evidence`, then add the image to ``case``; returns its evidence id.

    ``probe=False`` (the scan engine) only opens the image, failing early with a clear message:
    its layout is read in a worker process, which records a bad one as this evidence's problem.
    """
    if probe:
        ev = check_evidence(path)
    else:
        source = path if isinstance(path, EvidenceSource) else resolve_source(path)
        image = open_image(source)
        try:
            ev = CheckedEvidence(source, image.size, dict(image.metadata))
        finally:
            image.close()
    return case.add_evidence(
        str(ev.source.path.resolve()),
        ev.source.format,
        [str(p.resolve()) for p in ev.source.segments],
        ev.size,
        ev.metadata,
    )
