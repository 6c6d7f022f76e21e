"""An open case as the GUI holds it: a read-write connection for the examiner's changes
(tags, notes, evidence), a read-only one for the views (refreshed while a scan writes through
its own connection; SQLite WAL), and a cache of open images for content views."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from triage.case.lock import CaseLocked
from triage.case.query import FindingQuery
from triage.case.records import CaseInfo
from triage.case.removal import RemovedEvidence
from triage.case.store import Case
from triage.errors import CaseError, StorageError
from triage.evidence.content import EvidenceCache, FileContent, open_case_file
from triage.evidence.register import register_evidence


class CaseSession:
    """Holds the case's writer lock while open; when another process writes the case (a CLI
    scan) or the case is on read-only media, the session opens read-only: the views work and
    every change raises a :class:`CaseError` that says why (``readonly_reason``)."""

    def __init__(self, path: str | Path, *, create: bool = False, info: CaseInfo | None = None) -> None:
        self.path = Path(path).resolve()
        self._rw: Case | None = None
        self.readonly_reason: str | None = None
        try:
            self._rw = Case.create(self.path, info) if create else Case.open(self.path)
        except (CaseLocked, StorageError) as exc:
            if create:
                raise
            self.readonly_reason = str(exc)
        try:
            self.ro = Case.open(self.path, readonly=True)
        except BaseException:
            if self._rw is not None:
                self._rw.close()
            raise
        self.cache = EvidenceCache()
        if self._rw is not None:
            self._rw.audit("case.opened", {"by": "gui"})

    @property
    def rw(self) -> Case:
        """The read-write connection; raises when the session is read-only."""
        if self._rw is None:
            raise CaseError(f"the case is open read-only: {self.readonly_reason}")
        return self._rw

    def close(self) -> None:
        self.cache.close()
        self.ro.close()
        if self._rw is not None:
            self._rw.close()

    def content(self, file_id: int) -> FileContent:
        """Random access to one file's content, read from the evidence on demand."""
        return open_case_file(self.ro, file_id, self.cache)

    def add_evidence(self, path: str | Path) -> int:
        """Register an image (raw, split, E01 …) after the same check ``triage scan`` runs first
        (:func:`triage.evidence.register.check_evidence`): bad input is refused with its message."""
        return register_evidence(self.rw, path)

    def remove_evidence(self, evidence_id: int) -> RemovedEvidence:
        """Remove an evidence item and everything derived from it (:meth:`Case.remove_evidence`).

        Safe on a worker thread: it writes through its own connection (as a scan does), so the
        examiner's changes on :attr:`rw` never join its transaction. Call :meth:`forget_images`
        on the GUI thread afterwards."""
        self.rw  # noqa: B018 - raises when the session is read-only
        with Case.open(self.path) as case:
            return case.remove_evidence(evidence_id)

    def forget_images(self) -> None:
        """Close the cached images (after evidence was removed: nothing reads them any more)."""
        self.cache.close()

    def set_case_info(self, info: CaseInfo) -> None:
        self.rw.set_case_info(info)

    def tag(self, file_ids: list[int], tag: str) -> None:
        for fid in file_ids:
            self.rw.add_tag(fid, tag)

    def file_findings(self, file_id: int) -> list[dict[str, Any]]:
        return [f.as_row() for f in self.ro.select_findings(FindingQuery(file_id=file_id))]
