"""A pool of spawned worker processes with crash isolation.

Each worker has its own pipe; the parent waits on the pipes and on the process
sentinels, so a worker that dies in native code is noticed at once and costs only the
file it was reading.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import time
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from typing import Any

from triage.scan.messages import FromWorker, Stop, ToWorker
from triage.scan.worker import SLOT_SIZE, WorkerConfig, slot_activity, worker_main

_CTX = mp.get_context("spawn")


@dataclass
class WorkerHandle:
    """One child process and what it is doing."""

    process: Any
    conn: Connection
    slot: Any = None
    """Shared ``int64[4]``: id of the file being read (0: none), ``monotonic_ns`` when it started, and
    the analyzer and method running now (see :data:`triage.scan.worker.SLOT_SIZE`)."""
    task: Any = None
    last_seen: float = field(default_factory=time.monotonic)

    @property
    def current(self) -> int | None:
        """The file this worker is reading now (from shared memory, no message needed)."""
        value = int(self.slot[0]) if self.slot is not None else 0
        return value or None

    def current_seconds(self) -> float:
        """How long the current file has been read, 0 when none."""
        if self.slot is None or not self.slot[0]:
            return 0.0
        return max(0.0, (time.monotonic_ns() - int(self.slot[1])) / 1e9)


class WorkerPool:
    """Start, feed, watch and replace worker processes."""

    def __init__(self, size: int, config: WorkerConfig) -> None:
        self.config = config
        self.workers: list[WorkerHandle] = [self._spawn() for _ in range(max(1, size))]

    def _spawn(self) -> WorkerHandle:
        parent, child = _CTX.Pipe(duplex=True)
        slot = _CTX.RawArray("q", SLOT_SIZE)
        proc = _CTX.Process(target=worker_main, args=(child, self.config, slot, os.getpid()), daemon=True)
        proc.start()
        child.close()
        return WorkerHandle(proc, parent, slot)

    def idle(self) -> list[WorkerHandle]:
        return [w for w in self.workers if w.task is None]

    def busy(self) -> list[WorkerHandle]:
        return [w for w in self.workers if w.task is not None]

    def send(self, worker: WorkerHandle, task: Any, message: ToWorker) -> None:
        worker.task = task
        worker.slot[0] = 0
        worker.last_seen = time.monotonic()
        worker.conn.send(message)

    def poll(self, timeout: float) -> tuple[list[tuple[WorkerHandle, FromWorker]], list[WorkerHandle]]:
        """Wait for messages; return ``(messages, dead_workers)``."""
        busy = self.busy()
        if not busy:
            time.sleep(min(timeout, 0.05))
            return [], []
        waitables: list[Any] = [w.conn for w in busy] + [w.process.sentinel for w in busy]
        ready = wait(waitables, timeout)
        messages: list[tuple[WorkerHandle, FromWorker]] = []
        dead: list[WorkerHandle] = []
        for w in busy:
            try:
                while w.conn.poll():
                    messages.append((w, w.conn.recv()))
                    w.last_seen = time.monotonic()
            except (EOFError, OSError):
                pass
            if w.process.sentinel in ready or not w.process.is_alive():
                w.process.join(timeout=1)
                if not w.process.is_alive():
                    dead.append(w)
        return messages, dead

    def activity(self, worker: WorkerHandle) -> tuple[str, str] | None:
        """``(analyzer, method)`` the worker is running now (or was, when it died); None: the engine's own reading."""
        return slot_activity(worker.slot, self.config.analyzers)

    def replace(self, worker: WorkerHandle) -> WorkerHandle:
        """Drop a dead (or killed) worker and start a fresh one in its place."""
        if worker.process.is_alive():
            worker.process.kill()
            worker.process.join(timeout=5)
        worker.conn.close()
        fresh = self._spawn()
        self.workers[self.workers.index(worker)] = fresh
        return fresh

    def close(self) -> None:
        for w in self.workers:
            try:
                w.conn.send(Stop())
            except (OSError, BrokenPipeError):
                pass
        deadline = time.monotonic() + 5
        for w in self.workers:
            w.process.join(timeout=max(0.1, deadline - time.monotonic()))
            if w.process.is_alive():
                w.process.kill()
                w.process.join(timeout=2)
            w.conn.close()

    def exit_reason(self, worker: WorkerHandle) -> str:
        code = worker.process.exitcode
        if code is None:
            return "worker process stopped responding"
        if code < 0:
            import signal

            try:
                name = signal.Signals(-code).name
            except ValueError:
                name = f"signal {-code}"
            return f"worker process died ({name})"
        return f"worker process exited with code {code}"
