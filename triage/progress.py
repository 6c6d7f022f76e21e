"""The one progress/cancel protocol of long work: scan, export, batch (and the coming index and report).

Long work takes an ``on_progress`` callback (:class:`ProgressCallback`) that it calls with a frozen
:class:`Progress` record, and a ``cancel`` token (:class:`CancelToken`, usually a :class:`Cancel`)
that it polls between units of work. Cancelling is a request: the work finishes the unit in hand,
stores or discards it as its own rules say (a scan keeps what is done and is recorded as
``cancelled``; an export leaves nothing at its target and records ``export.cancelled``), then
returns or raises. The CLI's progress lines and the GUI's progress bars read only these records.
Callbacks run on the worker's thread: a GUI relays them to its own thread (a Qt signal).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Protocol

TASKS = ("scan", "export", "batch", "index", "report")
UNITS = ("files", "bytes", "images")


@dataclass(frozen=True)
class Progress:
    """How far one task is: ``done`` of ``total`` ``unit`` (``total`` None while unknown)."""

    task: str
    """One of :data:`TASKS`."""
    done: int
    total: int | None
    unit: str = "files"
    message: str = ""
    """What is in hand (a file's path, an image's name, a phase), or empty."""

    @property
    def fraction(self) -> float:
        """0.0 … 1.0 (0.0 while the total is unknown)."""
        if not self.total:
            return 0.0
        return min(1.0, max(0.0, self.done / self.total))

    def text(self) -> str:
        """One line: ``export 3/10 files: /Users/ana/notes.txt``."""
        count = f"{self.done}/{self.total}" if self.total is not None else f"{self.done}"
        return f"{self.task} {count} {self.unit}" + (f": {self.message}" if self.message else "")


class ProgressCallback(Protocol):
    """What long work calls with each :class:`Progress` (often, cheaply: throttle in the consumer)."""

    def __call__(self, progress: Progress, /) -> None: ...


class CancelToken(Protocol):
    """What long work polls; a :class:`threading.Event` is one too."""

    def is_set(self) -> bool: ...


class Cancel:
    """A cancel token any thread (or a signal handler) may set; Event-like (``set``/``is_set``/``wait``)."""

    def __init__(self) -> None:
        self._event = threading.Event()
        self.reason = ""

    def cancel(self, reason: str = "") -> None:
        """Ask the work to stop after the unit in hand; the first reason given is kept."""
        if not self._event.is_set():
            self.reason = reason
        self._event.set()

    def set(self) -> None:
        self.cancel()

    def is_set(self) -> bool:
        return self._event.is_set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def wait(self, timeout: float | None = None) -> bool:
        return self._event.wait(timeout)
