"""Read-only access to seized images: formats, volume systems, file systems, entries."""

from triage.evidence.image import EvidenceSource, ImageInfo, open_image, resolve_source
from triage.evidence.volumes import PartitionInfo, list_partitions, open_filesystem
from triage.evidence.walk import Entry, walk_filesystem

__all__ = [
    "Entry",
    "EvidenceSource",
    "ImageInfo",
    "PartitionInfo",
    "list_partitions",
    "open_filesystem",
    "open_image",
    "resolve_source",
    "walk_filesystem",
]
