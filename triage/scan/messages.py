"""The messages between the scan scheduler and a worker process, as typed frozen dataclasses.

Every message travels over the worker's pipe (pickled). The parent sends :class:`InventoryRequest`,
:class:`TaskRequest` or :class:`Stop`; the worker answers with the others. Nothing positional.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from triage.case.store import FileResult


# -- parent -> worker ------------------------------------------------------------------------
@dataclass(frozen=True)
class InventoryRequest:
    """Walk the layout and every file system of ``source`` from partition ``start_index`` on."""

    source: dict[str, Any]
    start_index: int
    only: tuple[int, ...] = ()
    """When given, walk only these partitions (volumes unlocked on ``--resume``)."""
    carve: bool = False
    """Also carve each file system's unallocated space after its walk (``--carve``, :mod:`triage.carve`)."""


@dataclass(frozen=True)
class TaskRequest:
    """Scan the content of ``rows`` (pending file rows of one evidence item)."""

    task_id: int
    source: dict[str, Any]
    rows: list[dict[str, Any]]


@dataclass(frozen=True)
class Stop:
    """Leave the serve loop and exit."""


# -- worker -> parent: inventory -------------------------------------------------------------
@dataclass(frozen=True)
class InventoryFailed:
    """The image or its layout cannot be read (the evidence is not scanned); ``reason`` names the image."""

    reason: str


@dataclass(frozen=True)
class Layout:
    """The volume layout, sent once before any entries."""

    volume_system: str
    partitions: list[dict[str, Any]]
    size: int
    metadata: dict[str, Any] | None = None


@dataclass(frozen=True)
class Entries:
    """A batch of inventory rows of partition ``partition``."""

    partition: int
    rows: list[dict[str, Any]]


@dataclass(frozen=True)
class PartitionDone:
    """The walk of one partition is over, with the problems it met."""

    partition: int
    errors: list[str] = field(default_factory=list)
    carve: dict[str, Any] | None = None
    """What carving its unallocated space did (:class:`triage.carve.carver.CarveStats`); None: not asked."""


@dataclass(frozen=True)
class InventoryDone:
    """Every partition was walked."""


# -- worker -> parent: content pass ----------------------------------------------------------
@dataclass(frozen=True)
class Results:
    """Results of some files of task ``task_id``; ``done``: the task is over (the last batch)."""

    task_id: int
    results: list[FileResult]
    analyzer_seconds: dict[str, float]
    done: bool = False


@dataclass(frozen=True)
class SetupError:
    """An analyzer's ``setup()`` failed in this worker: it is left out there, and the problem recorded."""

    analyzer: str
    message: str


ToWorker = InventoryRequest | TaskRequest | Stop
FromWorker = InventoryFailed | Layout | Entries | PartitionDone | InventoryDone | Results | SetupError

__all__ = [
    "Entries",
    "FromWorker",
    "InventoryDone",
    "InventoryFailed",
    "InventoryRequest",
    "Layout",
    "PartitionDone",
    "Results",
    "SetupError",
    "Stop",
    "TaskRequest",
    "ToWorker",
]
