"""The mount's evidence reader, in a confined child process (docs/security.md).

The process that serves FUSE keeps ``/dev/fuse`` and never opens the evidence: a spawned child
opens the image, builds the mounted tree (a walk of each file system, or the case's inventory)
and answers every read through the one content reader (:class:`triage.mount.reader.ContentReader`),
confined by :func:`triage.sandbox.confine` before it reads the first evidence byte (read-only
access to the segments and the case, nothing written, no network, no ``execve``). Requests and
answers travel over a socketpair (``multiprocessing.Pipe``), which stays usable once confined.

Protocol (parent to child): ``(node_id, offset, size)`` answered by ``("ok", bytes)`` or
``("err", errno, message)``; ``"stats"`` answered by the reader's counters; ``None`` ends the child.
"""

from __future__ import annotations

import errno
import multiprocessing as mp
import os
import threading
from dataclasses import dataclass
from typing import Any

from triage.errors import TriageError
from triage.mount.tree import FlatNode, Node, Tree, tree_from_flat, tree_to_flat

_CTX = mp.get_context("spawn")
START_TIMEOUT = 600.0
"""Seconds the child may take to open the image and build the tree (a walk of a large disk)."""


@dataclass(frozen=True)
class MountRequest:
    """What the child opens and shows; picklable (it travels in the spawn)."""

    evidence: str
    partition: int | None = None
    raw: bool = False
    case: str | None = None
    sandbox: bool = True
    """Confine the child (:mod:`triage.sandbox`); False: ``triage mount --no-sandbox``."""


@dataclass(frozen=True)
class Ready:
    """The child's first answer: the tree (flat), the build's summary and warnings, the reader's block."""

    flat: list[FlatNode]
    stats: dict[str, int]
    summary: dict[str, Any]
    warnings: list[str]
    block: int
    confined: tuple[tuple[str, ...], tuple[str, ...]]
    """What :func:`triage.sandbox.confine` applied and what it could not."""


@dataclass(frozen=True)
class Failed:
    """The child could not open the evidence or build the tree: the error to raise in the parent."""

    error: BaseException


def open_confined(request: MountRequest) -> tuple[Any, Tree, Any, Ready]:
    """In the child: resolve the segments, open the case (both before confinement), confine, then
    open the image, build the tree and the content reader. Returns ``(image, tree, reader, ready)``.

    Only :func:`triage.evidence.image.resolve_source` (a stat and the first and last 512 bytes,
    compared with known signatures in Python, no native parser) touches evidence before
    :func:`triage.sandbox.confine`."""
    from triage import sandbox
    from triage.evidence.image import open_image, resolve_source
    from triage.mount.build import build_tree
    from triage.mount.reader import ContentReader

    source = resolve_source(request.evidence)
    case = None
    if request.case is not None:
        from triage.case.store import Case
        from triage.errors import CaseError

        try:
            case = Case.open(request.case, readonly=True)  # a mount never takes the writer lock
        except OSError as exc:
            raise CaseError(f"{request.case}: cannot open case: {exc}") from exc
    policy = (
        sandbox.policy_for([*map(str, source.segments), *([request.case] if request.case else [])])
        if request.sandbox
        else None
    )
    done = sandbox.confine(policy)
    warnings: list[str] = []
    image = open_image(source)
    try:
        tree, summary = build_tree(
            image, partition=request.partition, raw=request.raw, case=case, on_error=warnings.append
        )
    except BaseException:
        image.close()
        raise
    finally:
        if case is not None:
            case.close()
    summary["segments"] = [str(s) for s in image.source.segments]
    reader = ContentReader(image)
    flat, stats = tree_to_flat(tree)
    return (
        image,
        tree,
        reader,
        Ready(flat, stats, summary, warnings, reader.block, (done.applied, done.missing)),
    )


def serve_reads(conn: Any, tree: Tree, reader: Any) -> None:
    """In the child: answer requests until told to stop or the parent goes away."""
    while True:
        try:
            msg = conn.recv()
        except (EOFError, OSError):
            return
        if msg is None:
            return
        if msg == "stats":
            conn.send(dict(reader.stats))
            continue
        node_id, offset, size = msg
        try:
            conn.send(("ok", reader.read(tree.nodes[node_id], offset, size)))
        except OSError as exc:
            conn.send(("err", exc.errno or errno.EIO, exc.strerror or str(exc)))
        except Exception as exc:  # a reader bug: the reading program sees EIO, the mount stays up
            conn.send(("err", errno.EIO, f"{type(exc).__name__}: {exc}"))


def child_main(conn: Any, request: MountRequest, unlocks: dict[str, Any], parent_pid: int) -> None:
    """The child process: open confined, send :class:`Ready` (or :class:`Failed`), serve reads."""
    from triage.evidence import fve
    from triage.scan.worker import init_process

    init_process(parent_pid)
    fve.install(unlocks)
    try:
        image, tree, reader, ready = open_confined(request)
    except BaseException as exc:
        _send_failure(conn, exc)
        os._exit(0)
    conn.send(ready)
    try:
        serve_reads(conn, tree, reader)
    finally:
        reader.close()
        image.close()
    os._exit(0)  # skip interpreter teardown (libtsk/libewf destructors)


def _send_failure(conn: Any, exc: BaseException) -> None:
    try:
        conn.send(Failed(exc))
    except Exception:  # the exception does not pickle: its class and message as a TriageError
        err = TriageError(f"{type(exc).__name__}: {exc}")
        err.exit_code = getattr(exc, "exit_code", 4)
        conn.send(Failed(err))


class ChildReader:
    """The FUSE process's side: the tree the child built and reads forwarded to it.

    Offers what :class:`triage.mount.fusefs.EvidenceOperations` uses of a reader: ``read``,
    ``block``, ``stats`` and ``close``. Thread-safe (one request at a time on the socketpair)."""

    def __init__(self, request: MountRequest, *, target: Any = None) -> None:
        """Start the child and wait until it has built the tree; raises what the child raised.
        ``target`` replaces :func:`child_main` (tests that probe the confined child)."""
        from triage.evidence import fve

        self.request = request
        self._lock = threading.Lock()
        self._conn, child = _CTX.Pipe(duplex=True)  # a socketpair: still usable once confined
        self.process = _CTX.Process(
            target=target or child_main,
            args=(child, request, fve.state(), os.getpid()),
            daemon=True,
            name="triage-mount-reader",
        )
        self.process.start()
        child.close()
        self._stats: dict[str, int] = {}
        self._closed = False
        try:
            if not self._conn.poll(START_TIMEOUT):
                raise TriageError(
                    f"{request.evidence}: the mount's reader did not start within {START_TIMEOUT:g} s"
                )
            msg = self._conn.recv()
        except EOFError:
            self._reap()
            raise TriageError(
                f"{request.evidence}: the mount's reader ended before it was ready (exit code {self.process.exitcode})"
            ) from None
        except BaseException:
            self._reap()
            raise
        if isinstance(msg, Failed):
            self._reap()
            raise msg.error
        assert isinstance(msg, Ready)
        self.ready = msg
        self.tree = tree_from_flat(msg.flat, msg.stats)
        self.summary = msg.summary
        self.block = msg.block
        self.pid = self.process.pid

    def read(self, node: Node, offset: int, size: int) -> bytes:
        """Up to ``size`` bytes of ``node`` at ``offset``, as :meth:`ContentReader.read` gives them.

        Raises:
            OSError: what the child's reader raised (EIO on a read error), or EIO when the child is gone.
        """
        if offset >= node.size or size <= 0:
            return b""
        with self._lock:
            try:
                self._conn.send((node.id, offset, size))
                answer = self._conn.recv()
            except (EOFError, OSError) as exc:
                raise OSError(errno.EIO, f"the mount's reader is gone ({exc or type(exc).__name__})") from exc
        if answer[0] == "ok":
            data: bytes = answer[1]
            return data
        raise OSError(answer[1], answer[2])

    @property
    def stats(self) -> dict[str, int]:
        """The child's reader counters (the last ones it gave once closed)."""
        if self._closed:
            return self._stats
        with self._lock:
            try:
                self._conn.send("stats")
                self._stats = self._conn.recv()
            except (EOFError, OSError):
                pass
        return self._stats

    def close(self) -> None:
        if self._closed:
            return
        self._stats = self.stats
        self._closed = True
        with self._lock:
            try:
                self._conn.send(None)
            except OSError:
                pass
        self._reap()

    def _reap(self) -> None:
        self.process.join(5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join(5)
        self._conn.close()
