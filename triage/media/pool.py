"""Decoder child processes: Pillow parses hostile pictures here, never in the caller's process.

A :class:`DecoderPool` keeps up to ``size`` spawned children (started on first use). Each job is
sent over a pipe; the parent waits on the pipe and the child's sentinel with a deadline. A child
that dies (a crash in a native decoder) or overruns :data:`TIMEOUT` is killed and replaced, and
the job fails with a :class:`DecodeFailed` that says so. Each child's address space is capped
(:data:`MEMORY_LIMIT`), and Pillow's pixel limit refuses decompression bombs before decoding.

Not thread-safe: one pool per thread (the gallery's worker has one, the detail pane another).
The scan's :class:`triage.scan.pool.WorkerPool` is the same idea for the scan's own protocol.
"""

from __future__ import annotations

import multiprocessing as mp
import signal
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any

_CTX = mp.get_context("spawn")
TIMEOUT = 15.0
"""Seconds one picture may take to decode before its child is killed."""
MEMORY_LIMIT = 1 << 30
"""Bytes of address space a decoder child may use (``RLIMIT_AS``)."""


class DecodeFailed(Exception):
    """No result for this picture; the message is the reason, one line, for the examiner."""


def _child_main(conn: Connection, memory_limit: int) -> None:
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (memory_limit, memory_limit))
    except (ImportError, ValueError, OSError):
        pass
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when a child stops
    from triage.media import decode
    from triage.sandbox import Policy, confine

    confine(Policy(memory=memory_limit))  # it gets the picture's bytes over its pipe: no file, no network

    ops: dict[str, Callable[..., Any]] = {"thumbnail": decode.make_thumbnail, "exif": decode.picture_exif}
    while True:
        try:
            msg = conn.recv()
        except (EOFError, OSError):
            return
        if msg is None:
            return
        op, data, args = msg
        try:
            conn.send(("ok", ops[op](data, *args)))
        except decode.DecodeError as exc:
            conn.send(("error", str(exc)))
        except MemoryError:
            conn.send(("error", "not decoded: the picture needs more memory than the decoder may use"))
        except Exception as exc:
            conn.send(("error", f"cannot decode the picture: {type(exc).__name__}: {exc}"))


@dataclass
class _Child:
    process: Any
    conn: Connection


@dataclass(frozen=True)
class Job:
    """One decoding: ``op`` (``thumbnail`` or ``exif``), the picture's bytes, extra arguments."""

    op: str
    data: bytes
    args: tuple[Any, ...] = ()


class DecoderPool:
    """Up to ``size`` decoder children; :meth:`run` decodes jobs in them, in parallel."""

    def __init__(self, size: int = 2, timeout: float = TIMEOUT, memory_limit: int = MEMORY_LIMIT) -> None:
        self.size = max(1, size)
        self.timeout = timeout
        self.memory_limit = memory_limit
        self._idle: list[_Child] = []
        self.spawned = 0
        """Children started so far (a test's way to see a crash replaced one)."""

    def _spawn(self) -> _Child:
        parent, child = _CTX.Pipe(duplex=True)
        proc = _CTX.Process(
            target=_child_main, args=(child, self.memory_limit), daemon=True, name="triage-decoder"
        )
        proc.start()
        child.close()
        self.spawned += 1
        return _Child(proc, parent)

    @staticmethod
    def _kill(child: _Child) -> None:
        if child.process.is_alive():
            child.process.kill()
        child.process.join(timeout=5)
        child.conn.close()

    def run(self, jobs: Sequence[Job]) -> list[Any]:
        """Each job's result, or the :class:`DecodeFailed` that says why there is none, in order."""
        results: list[Any] = [None] * len(jobs)
        todo = list(range(len(jobs)))[::-1]
        busy: dict[int, tuple[_Child, float]] = {}
        while todo or busy:
            while todo and len(busy) < self.size:
                i = todo.pop()
                child = self._idle.pop() if self._idle else self._spawn()
                try:
                    child.conn.send((jobs[i].op, jobs[i].data, jobs[i].args))
                except (OSError, ValueError):
                    results[i] = DecodeFailed(self._died(child))
                    self._kill(child)
                    continue
                busy[i] = (child, time.monotonic() + self.timeout)
            if not busy:
                continue
            deadline = min(d for _c, d in busy.values())
            waitables: list[Any] = [child.conn for child, _d in busy.values()]
            waitables += [c.process.sentinel for c, _d in busy.values()]
            ready = wait(waitables, max(0.0, deadline - time.monotonic()))
            now = time.monotonic()
            for i, (child, due) in list(busy.items()):
                if child.conn in ready:
                    try:
                        status, value = child.conn.recv()
                    except (EOFError, OSError):
                        results[i] = DecodeFailed(self._died(child))
                        self._kill(child)
                    else:
                        results[i] = value if status == "ok" else DecodeFailed(str(value))
                        self._idle.append(child)
                    del busy[i]
                elif child.process.sentinel in ready:
                    results[i] = DecodeFailed(self._died(child))
                    self._kill(child)
                    del busy[i]
                elif now >= due:
                    self._kill(child)
                    results[i] = DecodeFailed(
                        f"not decoded: took longer than {self.timeout:g} s (the decoder process was stopped)"
                    )
                    del busy[i]
        return results

    def call(self, op: str, data: bytes, *args: Any) -> Any:
        """One job's result; raises :class:`DecodeFailed`."""
        result = self.run([Job(op, data, args)])[0]
        if isinstance(result, DecodeFailed):
            raise result
        return result

    def _died(self, child: _Child) -> str:
        child.process.join(timeout=2)
        code = child.process.exitcode
        if code is not None and code < 0:
            try:
                how = signal.Signals(-code).name
            except ValueError:
                how = f"signal {-code}"
        else:
            how = f"exit code {code}"
        return f"not decoded: the decoder process died on this picture ({how})"

    def close(self) -> None:
        """Stop the idle children (busy ones do not exist between calls)."""
        for child in self._idle:
            try:
                child.conn.send(None)
            except (OSError, ValueError):
                pass
        for child in self._idle:
            child.process.join(timeout=2)
            self._kill(child)
        self._idle = []

    def __enter__(self) -> DecoderPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
