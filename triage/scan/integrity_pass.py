"""The scan's side of the evidence hash: start it with the inventory, store its progress
while the file pass runs, and when both are done record hashes, verdict, short-image
errors and damaged files. The engine (single writer) calls these from its own loops.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from triage.case import integrity as store
from triage.case.store import Case
from triage.evidence.image import EvidenceSource
from triage.evidence.integrity import DamagedRange, compare_stored
from triage.evidence.resumable import restore
from triage.scan.evidence_hash import EvidenceHasher
from triage.scan.status import ScanStatus

SAVE_SECONDS = 2.0
LOCATE_TIMEOUT = 3600.0


class IntegrityPass:
    """One image's evidence hash within one scan."""

    def __init__(self, case: Case, source: EvidenceSource, evidence_id: int, scan_id: int) -> None:
        self.case, self.source, self.evidence_id, self.scan_id = case, source, evidence_id, scan_id
        self.hasher: EvidenceHasher | None = None
        self._saved = 0.0
        self.resumed_from = 0
        self.path = str(source.path)

    def start(self, status: ScanStatus) -> None:
        """Spawn the hash process, continuing a stored pass (unless it is finished)."""
        done, state, finished = store.hash_state(self.case, self.evidence_id)
        size = int(self.case.evidence(self.evidence_id)[0]["size"])
        status.evidence_hash_total = size
        if finished:
            status.evidence_hash_done = size
            return
        if done and restore(state) is None:  # nothing trustworthy to continue from
            store.restart(self.case, self.evidence_id)
            done, state = 0, None
        status.evidence_hash_done = done
        self.resumed_from = done
        self.hasher = EvidenceHasher(self.source, done, state)

    def tick(self, status: ScanStatus, force: bool = False) -> None:
        """Store the latest progress (at most every few seconds) and show it in ``status``."""
        if self.hasher is None:
            return
        with self.hasher.lock:
            status.evidence_hash_done = self.hasher.progress.bytes_hashed
        if not force and time.monotonic() - self._saved < SAVE_SECONDS:
            return
        self._saved = time.monotonic()
        done, state, new = self.hasher.take_damage()
        store.save_progress(self.case, self.evidence_id, done, state, new, self.scan_id, self.path)

    def finish(self, status: ScanStatus, emit: Callable[[], None], cancelled: Callable[[], bool]) -> None:
        """Wait for the hash, then store everything it found; on cancel, keep the state and stop."""
        if self.hasher is None:
            store.mark_damaged(self.case, self.evidence_id)
            return
        hasher = self.hasher
        if not hasher.done:
            status.phase = "evidence hash"
        while not hasher.done and not cancelled():
            self.tick(status)
            emit()
            time.sleep(0.1)
        if cancelled() and not hasher.done:
            self.close()
            return
        self.tick(status, force=True)
        p = hasher.progress
        if p.error is not None:
            self._error(store.SOURCE, f"{self.path}: {p.error}")
            self.close()
            return
        for note in p.notes:
            self.case.add_warning(
                store.SOURCE, f"{self.path}: {note}", scan_id=self.scan_id, evidence_id=self.evidence_id
            )
        for problem in p.extent_errors or []:
            self._error(store.EXTENT_SOURCE, f"{self.path}: {problem}")
        assert p.hashes is not None
        ev = self.case.evidence(self.evidence_id)[0]
        stored = {a: ev[a] for a in ("md5", "sha1", "sha256") if ev.get(a)}
        verdict, checks = compare_stored(stored, p.hashes)
        for alg, ok in sorted(checks.items()):
            if not ok:
                self._error(
                    store.SOURCE,
                    f"{self.path}: computed {alg.upper()} {p.hashes[alg]} differs from "
                    f"the {alg.upper()} stored in the image ({stored[alg]})",
                )
        ranges = [_range(d) for d in store.damage_ranges(self.case, self.evidence_id)]
        if ranges:
            status.phase = "locating damage"
            emit()
            hits = hasher.locate(
                str(self.case.path / "case.sqlite"), self.evidence_id, ranges, LOCATE_TIMEOUT
            )
            if hits is None:
                self._error(
                    store.SOURCE,
                    f"{self.path}: the files in the damaged ranges could not be "
                    f"found ({hasher.progress.error or 'no answer'})",
                )
                self.close()
                return
            store.record_file_damage(self.case, self.evidence_id, hits, self.scan_id)
        store.finish(self.case, self.evidence_id, p.hashes, verdict, p.bytes_hashed)
        self.case.audit(
            "evidence.hashed",
            {
                "evidence_id": self.evidence_id,
                "path": self.path,
                **p.hashes,
                "stored": stored,
                "verified": verdict,
                "damaged_ranges": len(ranges),
                "resumed_from": self.resumed_from,
            },
        )
        store.mark_damaged(self.case, self.evidence_id)
        self.close()

    def _error(self, source: str, message: str) -> None:
        self.case.add_error(source, message, scan_id=self.scan_id, evidence_id=self.evidence_id)

    def close(self) -> None:
        """Stop the child (after storing its latest state)."""
        if self.hasher is None:
            return
        hasher, self.hasher = self.hasher, None
        hasher.stop()
        done, state, new = hasher.take_damage()
        if hasher.progress.hashes is None or new:
            store.save_progress(self.case, self.evidence_id, done, state, new, self.scan_id, self.path)


def _range(row: dict[str, Any]) -> DamagedRange:
    return DamagedRange(int(row["start"]), int(row["length"]), str(row["reason"]))
