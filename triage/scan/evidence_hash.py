"""The whole-evidence hash of a scan, in its own process next to the file workers.

The child (:func:`hasher_main`) reads the evidence stream once, sequentially
(:func:`triage.evidence.integrity.hash_evidence`), and sends its progress (bytes, the
resumable hash state, damaged ranges found) over a pipe; the parent's reader thread keeps
the latest of it in memory and the engine stores it in the case when it is free to write,
so a killed scan resumes the hash where it was last stored. After the hash, the child
checks the image's extents (short images) and, when asked, maps damaged ranges to the
files whose data lies there (:func:`triage.evidence.damage.locate_damage`): libtsk runs
in the child, never in the parent.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import threading
import time
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any

from triage.evidence.image import EvidenceSource
from triage.evidence.integrity import DamagedRange

_CTX = mp.get_context("spawn")


@dataclass
class HashProgress:
    """What the parent knows of the child's pass (updated by the reader thread)."""

    bytes_hashed: int = 0
    media_size: int = 0
    state: bytes | None = None
    damage: list[DamagedRange] = field(default_factory=list)
    """Damaged ranges not yet stored in the case."""
    hashes: dict[str, str] | None = None
    notes: list[str] = field(default_factory=list)
    extent_errors: list[str] | None = None
    located: list[tuple[int, list[dict[str, Any]]]] | None = None
    error: str | None = None
    stopped: bool = False


class EvidenceHasher:
    """Parent side: start the child, follow it, stop it."""

    def __init__(self, source: EvidenceSource, start: int, state: bytes | None) -> None:
        self.progress = HashProgress(bytes_hashed=start, state=state)
        self.lock = threading.Lock()
        self._conn, child = _CTX.Pipe(duplex=True)
        self.process = _CTX.Process(
            target=hasher_main,
            args=(child, source.to_json(), start, state, os.getpid()),
            daemon=True,
            name="triage-evidence-hash",
        )
        self.process.start()
        child.close()
        self._reader = threading.Thread(target=self._read, name="evidence-hash-reader", daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while True:
            try:
                msg = self._conn.recv()
            except (EOFError, OSError):
                with self.lock:
                    if (
                        self.progress.hashes is None
                        and not self.progress.stopped
                        and self.progress.error is None
                    ):
                        code = self.process.exitcode if not self.process.is_alive() else None
                        self.progress.error = f"evidence hash process ended early (exit code {code})"
                return
            kind = msg[0]
            with self.lock:
                p = self.progress
                if kind == "progress":
                    p.bytes_hashed, p.media_size, p.state = msg[1], msg[2], msg[3]
                    p.damage.extend(DamagedRange(**d) for d in msg[4])
                elif kind == "hashed":
                    p.bytes_hashed, p.media_size, p.state, p.hashes, p.notes = (
                        msg[1],
                        msg[2],
                        msg[3],
                        msg[4],
                        msg[5],
                    )
                elif kind == "stopped":
                    p.stopped = True
                elif kind == "extents":
                    p.extent_errors = msg[1]
                elif kind == "located":
                    p.located = msg[1]
                elif kind == "failed":
                    p.error = msg[1]

    def take_damage(self) -> tuple[int, bytes | None, list[DamagedRange]]:
        """The latest (bytes_hashed, state) and the damaged ranges found since the last call."""
        with self.lock:
            new, self.progress.damage = self.progress.damage, []
            return self.progress.bytes_hashed, self.progress.state, new

    @property
    def done(self) -> bool:
        with self.lock:
            p = self.progress
            return p.error is not None or (p.hashes is not None and p.extent_errors is not None)

    def locate(
        self, db_path: str, evidence_id: int, ranges: list[DamagedRange], timeout: float
    ) -> list[tuple[int, list[dict[str, Any]]]] | None:
        """Ask the child which files hold ``ranges``; None if it cannot answer in ``timeout`` s."""
        self._conn.send(("locate", db_path, evidence_id, [r.to_json() for r in ranges]))
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if self.progress.located is not None or self.progress.error is not None:
                    return self.progress.located
            if not self.process.is_alive() and not self._reader.is_alive():
                break
            time.sleep(0.05)
        return None

    def stop(self) -> None:
        """Stop the pass at its next progress point (the state is kept) and end the child."""
        try:
            self._conn.send(("stop",))
        except (OSError, BrokenPipeError):
            pass
        self.process.join(timeout=10)
        if self.process.is_alive():
            self.process.kill()
            self.process.join(timeout=5)
        self._reader.join(timeout=5)
        self._conn.close()


def hasher_main(
    conn: Connection, source_json: dict[str, Any], start: int, state: bytes | None, parent_pid: int
) -> None:
    """The child: hash, report extents, then answer ``locate`` requests until ``stop``."""
    from triage.scan.worker import init_process

    init_process(parent_pid)
    try:
        _serve(conn, EvidenceSource.from_json(source_json), start, state)
    except (EOFError, BrokenPipeError, ConnectionResetError):
        pass
    os._exit(0)


def _serve(conn: Connection, source: EvidenceSource, start: int, state: bytes | None) -> None:
    from triage.evidence.image import open_image
    from triage.evidence.integrity import extent_problems, hash_evidence

    stop = False

    def should_stop() -> bool:
        nonlocal stop
        while not stop and conn.poll():
            if conn.recv()[0] == "stop":
                stop = True
        return stop

    size = 0

    def progress(done: int, st: bytes | None, new: list[DamagedRange]) -> None:
        conn.send(("progress", done, size, st, [d.to_json() for d in new]))

    try:
        image = open_image(source)
        size = image.size
        image.close()
        outcome = hash_evidence(
            source, start=start, state=state, on_progress=progress, should_stop=should_stop
        )
    except Exception as exc:
        conn.send(("failed", f"hashing the evidence stopped: {type(exc).__name__}: {exc}"))
        return
    if not outcome.finished:
        conn.send(("stopped",))
        return
    conn.send(("progress", outcome.bytes_hashed, outcome.media_size, outcome.state, []))
    conn.send(
        ("hashed", outcome.bytes_hashed, outcome.media_size, outcome.state, outcome.hashes, outcome.notes)
    )
    try:
        image = open_image(source)
        try:
            problems = extent_problems(image)
        finally:
            image.close()
    except Exception as exc:
        problems = [f"the image's extents could not be checked: {type(exc).__name__}: {exc}"]
    conn.send(("extents", problems))
    while True:
        msg = conn.recv()
        if msg[0] == "stop":
            return
        if msg[0] == "locate":
            from triage.evidence.damage import locate_damage

            _, db_path, evidence_id, ranges = msg
            try:
                hits = locate_damage(source, db_path, evidence_id, [DamagedRange(**r) for r in ranges])
            except Exception as exc:
                conn.send(("failed", f"locating damaged files stopped: {type(exc).__name__}: {exc}"))
                continue
            conn.send(("located", hits))
