"""Batch progress, per image and overall: rich bars on a terminal, plain lines otherwise."""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from typing import Any, TextIO

from triage.format import human_bytes
from triage.progress import Progress, ProgressCallback

FINISHED = ("done", "partial", "failed", "skipped")


@dataclass
class ImageProgress:
    phase: str = "waiting"
    files_done: int = 0
    files_total: int = 0
    bytes_done: int = 0
    bytes_total: int = 0


def overall(images: dict[str, ImageProgress]) -> Progress:
    """The whole batch as one progress record: files of every image, and how many images finished."""
    finished = sum(1 for p in images.values() if p.phase in FINISHED)
    return Progress(
        "batch",
        sum(p.files_done for p in images.values()),
        sum(p.files_total for p in images.values()) or None,
        "files",
        f"{finished}/{len(images)} images",
    )


class BatchProgress:
    """Silent base: the runner calls :meth:`update` with the whole picture."""

    def update(self, images: dict[str, ImageProgress], force: bool = False) -> None: ...

    def close(self) -> None: ...


class PlainProgress(BatchProgress):
    """A line every few seconds, and one whenever an image changes phase."""

    def __init__(self, stream: TextIO | None = None, every: float = 5.0) -> None:
        self.stream = stream or sys.stderr
        self.every = every
        self._last = 0.0
        self._phases: dict[str, str] = {}

    def update(self, images: dict[str, ImageProgress], force: bool = False) -> None:
        changed = [n for n, p in images.items() if self._phases.get(n) != p.phase]
        for n in changed:
            self._phases[n] = images[n].phase
            p = images[n]
            if p.phase != "waiting":
                print(
                    f"[batch] {n}: {p.phase} ({p.files_done}/{p.files_total} files)",
                    file=self.stream,
                    flush=True,
                )
        now = time.monotonic()
        if not force and now - self._last < self.every:
            return
        self._last = now
        whole = overall(images)
        done, total = whole.done, whole.total or 0
        bdone = sum(p.bytes_done for p in images.values())
        finished = sum(1 for p in images.values() if p.phase in FINISHED)
        running = ", ".join(
            f"{n} {p.files_done}/{p.files_total}"
            for n, p in images.items()
            if p.phase in ("inventory", "content")
        )
        print(
            f"[batch] {finished}/{len(images)} images, {done}/{total} files, {human_bytes(bdone)}"
            + (f"; running: {running}" if running else ""),
            file=self.stream,
            flush=True,
        )


class RichProgress(BatchProgress):
    """One bar for the batch (files) and one per image that has started."""

    def __init__(self) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self._p = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[phase]}"),
            TimeElapsedColumn(),
            transient=False,
        )
        self._p.start()
        self._overall = self._p.add_task("[bold]batch", total=None, phase="")
        self._tasks: dict[str, Any] = {}

    def update(self, images: dict[str, ImageProgress], force: bool = False) -> None:
        for name, p in images.items():
            if p.phase == "waiting":
                continue
            if name not in self._tasks:
                self._tasks[name] = self._p.add_task(f"  {name}", total=None, phase=p.phase)
            self._p.update(
                self._tasks[name], total=p.files_total or None, completed=p.files_done, phase=p.phase
            )
        whole = overall(images)
        self._p.update(self._overall, total=whole.total, completed=whole.done, phase=whole.message)

    def close(self) -> None:
        self._p.stop()


class RelayProgress(BatchProgress):
    """A display that also hands each update on as a :class:`triage.progress.Progress` record."""

    def __init__(self, display: BatchProgress, on_progress: ProgressCallback) -> None:
        self.display = display
        self.on_progress = on_progress

    def update(self, images: dict[str, ImageProgress], force: bool = False) -> None:
        self.display.update(images, force)
        self.on_progress(overall(images))

    def close(self) -> None:
        self.display.close()


def make_progress(mode: str) -> BatchProgress:
    """``auto`` (rich on a terminal, else plain), ``rich``, ``plain`` or ``none``."""
    if mode == "none":
        return BatchProgress()
    if mode == "rich" or (mode == "auto" and sys.stderr.isatty()):
        return RichProgress()
    return PlainProgress()
