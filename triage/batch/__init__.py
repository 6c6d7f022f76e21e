"""Headless batches over many images: one case and scan per image, on the local process
pool or a Dask cluster, resumable, with a summary and an events log."""

from triage.batch.inputs import BatchInput, ExportPolicy, ImageJob, discover
from triage.batch.outcome import ImageOutcome
from triage.batch.runner import BatchOptions, BatchResult, BatchRunner, parse_cluster

__all__ = [
    "BatchInput",
    "BatchOptions",
    "BatchResult",
    "BatchRunner",
    "ExportPolicy",
    "ImageJob",
    "ImageOutcome",
    "discover",
    "parse_cluster",
]
