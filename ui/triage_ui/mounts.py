"""Read-only FUSE mounts of evidence items (:mod:`triage.mount`), served by child processes.

The GUI starts a mount in a background job (``start_mount`` returns once the mount is
ready, or raises the same one-line error the command line prints), remembers it per evidence
item, and unmounts everything when the case closes or the application exits.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Signal

from triage.errors import UsageError
from triage_ui.jobs import Job

log = logging.getLogger("triage.ui.mounts")


class MountManager(QObject):
    mounted = Signal(int, str)  # evidence id, mount point
    failed = Signal(int, object)  # evidence id, exception
    unmounted = Signal(int, str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.handles: dict[int, Any] = {}  # evidence id → triage.mount.MountProcess
        self.jobs: dict[int, Job] = {}

    @staticmethod
    def problem() -> str | None:
        """Why FUSE cannot be used here (with what to install), or None."""
        try:
            from triage.mount import fuse_problem
        except ImportError as exc:  # pragma: no cover - the core always ships it
            return QCoreApplication.translate(
                "MountManager", "mounting is not available in this installation: {error}"
            ).format(error=exc)
        return fuse_problem()

    def mountpoint(self, evidence_id: int) -> Path | None:
        h = self.handles.get(evidence_id)
        return Path(h.mountpoint) if h is not None and h.alive() else None

    def busy(self, evidence_id: int) -> bool:
        return evidence_id in self.jobs

    def mount(
        self, evidence_id: int, evidence_path: str, mountpoint: str | Path, case_path: Path | None = None
    ) -> Job:
        """Check the request here (clear errors at once), then mount in a background job."""
        from triage.mount import FuseUnavailable, check_mountpoint, start_mount

        if self.mountpoint(evidence_id) is not None:
            raise UsageError(
                self.tr("this evidence is already mounted at {mountpoint}").format(
                    mountpoint=self.mountpoint(evidence_id)
                )
            )
        if evidence_id in self.jobs:
            raise UsageError(self.tr("this evidence is being mounted"))
        problem = self.problem()
        if problem:
            raise FuseUnavailable(problem)
        mp = check_mountpoint(mountpoint)
        job = Job(lambda: start_mount(evidence_path, mp, case=case_path, timeout=300.0), "mount", self)
        self.jobs[evidence_id] = job

        def done(handle: Any) -> None:
            self.jobs.pop(evidence_id, None)
            self.handles[evidence_id] = handle
            log.info("mounted evidence %s at %s (pid %s)", evidence_id, mp, handle.pid)
            self.mounted.emit(evidence_id, str(mp))

        def failed(exc: BaseException) -> None:
            self.jobs.pop(evidence_id, None)
            self.failed.emit(evidence_id, exc)

        job.finished.connect(done)
        job.errored.connect(failed)
        return job.start()

    def unmount(self, evidence_id: int) -> int:
        """Unmount and wait for the serving process; returns its exit code."""
        h = self.handles.pop(evidence_id, None)
        if h is None:
            raise UsageError(self.tr("this evidence is not mounted"))
        code = int(h.unmount())
        self.unmounted.emit(evidence_id, str(h.mountpoint))
        return code

    def unmount_all(self) -> list[str]:
        """Wait for mounts being started, then unmount everything; returns problems (one line each)."""
        for eid, job in list(self.jobs.items()):  # no event loop here: collect the handles directly
            job.finished.disconnect()
            job.errored.disconnect()
            if job.wait(310_000):
                handle, _error = job.outcome()
                if handle is not None:
                    self.handles[eid] = handle
            self.jobs.pop(eid, None)
        problems = []
        for eid in list(self.handles):
            try:
                self.unmount(eid)
            except Exception as exc:  # keep unmounting the others
                problems.append(f"{exc}")
                log.warning("unmount of evidence %s failed: %s", eid, exc)
        return problems


def partition_folder(mountpoint: Path, index: int, offset: int) -> Path | None:
    """The mount's folder (or raw file) of the partition at ``offset`` (``p<index>_<offset>_…``)."""
    prefix = f"p{index}_{offset}_"
    try:
        names = sorted(os.listdir(mountpoint))
    except OSError:
        return None
    return next((mountpoint / n for n in names if n.startswith(prefix)), None)
