"""The batch: one case and one scan per image, on the local process pool or a Dask cluster,
with a state file for ``--resume``, an events log and a summary.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import triage
from triage import sandbox
from triage.batch.export import make_bundle
from triage.batch.inputs import BatchInput, ImageJob
from triage.batch.outcome import ImageOutcome, read_outcome, write_summary
from triage.batch.progress import BatchProgress, ImageProgress, RelayProgress
from triage.batch.security import check_cluster, cluster_security
from triage.batch.state import EVENTS_NAME, STATE_NAME, BatchState, EventLog
from triage.case.store import Case, utc_now
from triage.errors import TriageError, UsageError
from triage.evidence import fve
from triage.progress import Cancel, ProgressCallback
from triage.scan.engine import ScanEngine, ScanOptions
from triage.scan.registry import PluginConfig, Registry
from triage.scan.status import ScanStatus
from triage.scan.validate import OptionError, validate_scan

FINISHED = ("done", "partial")


@dataclass
class BatchOptions:
    """How to run a batch."""

    out: Path
    cluster: str = field(default_factory=lambda: f"local:{os.cpu_count() or 1}")
    resume: bool = False
    analyzers: list[str] | None = None
    options: dict[str, dict[str, Any]] = field(default_factory=dict)
    plugins: PluginConfig = field(default_factory=PluginConfig)
    task_files: int = 500
    task_bytes: int = 256 << 20
    security: Any = None
    """``distributed.security.Security`` for ``tls://`` schedulers (None: Dask's configuration)."""
    insecure: bool = False
    """Allow plain ``tcp://`` to a scheduler off this machine (recorded in the summary and each case)."""
    sandbox: bool = True
    """Confine the processes and task threads that parse evidence (:mod:`triage.sandbox`)."""


@dataclass
class BatchResult:
    summary: dict[str, Any]
    text: str
    exit_code: int


def parse_cluster(text: str) -> tuple[str, int | str]:
    """``local:N`` → ``("local", N)``; ``tcp://…``/``tls://…`` → ``("dask", address)``."""
    if text == "local":
        return "local", os.cpu_count() or 1
    if text.startswith("local:"):
        try:
            n = int(text[6:])
        except ValueError:
            n = 0
        if n < 1:
            raise UsageError(f"--cluster {text}: expected local:N with N ≥ 1 worker processes")
        return "local", n
    if text.startswith(("tcp://", "tls://")) and len(text) > 6:
        return "dask", text
    raise UsageError(f"--cluster {text}: expected local:N, tcp://HOST:PORT or tls://HOST:PORT")


class BatchRunner:
    """Runs a discovered batch. ``cancel()`` may be called from another thread (or a signal)."""

    def __init__(
        self,
        batch: BatchInput,
        options: BatchOptions,
        progress: BatchProgress | None = None,
        *,
        cancel: Cancel | None = None,
        on_progress: ProgressCallback | None = None,
    ) -> None:
        """``progress`` is a display (:func:`triage.batch.progress.make_progress`); ``on_progress`` gets
        the batch as :class:`triage.progress.Progress` records; ``cancel`` is a token another thread may
        set (the same as :meth:`cancel`)."""
        self.batch = batch
        self.options = options
        self.kind, self.target = parse_cluster(options.cluster)
        if self.kind == "dask":
            check_cluster(str(self.target), options.security, options.insecure)
        self.progress = progress or BatchProgress()
        if on_progress is not None:
            self.progress = RelayProgress(self.progress, on_progress)
        self.out = options.out
        self.cases_dir = self.out / "cases"
        self.images: dict[str, ImageProgress] = {j.name: ImageProgress() for j in batch.jobs}
        self.outcomes: dict[str, ImageOutcome] = {
            j.name: ImageOutcome(
                name=j.name, image=str(j.path), case=str(self.cases_dir / j.name), exhibit=j.exhibit
            )
            for j in batch.jobs
        }
        self._cancel = cancel if cancel is not None else Cancel()
        self._engine: ScanEngine | None = None
        self.registry = Registry(options.plugins)
        self.job_options = {j.name: self._job_options(j) for j in batch.jobs}
        self.validate()

    def validate(self) -> None:
        """Fail fast (exit 2, nothing created): every image's options and rule sets, through the same
        :func:`triage.scan.validate.validate_scan` as ``triage scan``; each distinct set is checked once."""
        problems: list[str] = []
        seen: dict[str, list[str]] = {}
        for job in self.batch.jobs:
            key = json.dumps(self.job_options[job.name], sort_keys=True, default=str)
            if key not in seen:
                try:
                    validate_scan(
                        ScanOptions(
                            analyzers=self.options.analyzers,
                            options=self.job_options[job.name],
                            workers=1,
                            plugins=self.options.plugins,
                        ),
                        self.registry,
                    )
                    seen[key] = []
                except OptionError as exc:
                    seen[key] = exc.problems
            problems += [p if len(self.batch.jobs) == 1 else f"{job.name}: {p}" for p in seen[key]]
        if problems:
            raise OptionError(list(dict.fromkeys(problems)))

    def cancel(self) -> None:
        self._cancel.set()
        if self._engine is not None:
            self._engine.cancel()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    # -- per-image analyzer options ----------------------------------------------------------
    def _job_options(self, job: ImageJob) -> dict[str, dict[str, Any]]:
        opts = {k: dict(v) for k, v in self.options.options.items()}
        classes = {c.name: c for c in self.registry.analyzer_classes()}
        if job.rules:
            yara = classes.get("yara")
            opt = next((o.name for o in (yara.options if yara else ()) if "rule" in o.name), None)
            if yara is None or opt is None:
                raise UsageError(
                    f"{job.name}: the manifest names rule sets but no YARA analyzer with a rules option "
                    f"is installed (see 'triage plugins list')"
                )
            opts.setdefault("yara", {})[opt] = list(job.rules)
        if job.hashsets:
            if "knownfiles" not in classes:
                raise UsageError(
                    f"{job.name}: the manifest names hash sets but the knownfiles analyzer is not loaded"
                )
            if len(job.hashsets) > 1:
                raise UsageError(
                    f"{job.name}: one hash-set database per image (import several sets into one with "
                    f"'triage hashsets import')"
                )
            opts.setdefault("knownfiles", {})["db"] = job.hashsets[0]
        return opts

    # -- running -----------------------------------------------------------------------------
    def run(self) -> BatchResult:
        self.out.mkdir(parents=True, exist_ok=True)
        state_path = self.out / STATE_NAME
        state = BatchState.load(state_path)
        if state is not None and not self.options.resume:
            raise UsageError(
                f"{self.out}: already holds a batch; continue it with --resume or choose another --out"
            )
        if state is None and self.options.resume:
            raise UsageError(f"{self.out}: no batch to resume (no {STATE_NAME})")
        if state is not None:
            for job in self.batch.jobs:
                old = state.image(job.name).get("image")
                if old and old != str(job.path):
                    raise UsageError(f"--resume: {job.name} was {old} in this batch, now {job.path}")
        else:
            state = BatchState.new(
                state_path,
                {
                    "cluster": self.options.cluster,
                    "analyzers": self.options.analyzers,
                    "options": self.options.options,
                    "task_files": self.options.task_files,
                    "task_bytes": self.options.task_bytes,
                },
            )
        self.state = state
        self.cases_dir.mkdir(exist_ok=True)
        self.events = EventLog(self.out / EVENTS_NAME)
        started = utc_now()
        t0 = time.monotonic()
        state.data["runs"].append(
            {
                "started": started,
                "cluster": self.options.cluster,
                "resume": self.options.resume,
                "pid": os.getpid(),
            }
        )
        state.save()
        self.events.emit(
            "batch_started",
            cluster=self.options.cluster,
            resume=self.options.resume,
            images=[j.name for j in self.batch.jobs],
            out=str(self.out),
            triage=triage.__version__,
        )
        for item in self.batch.damaged:
            self.events.emit("file_damaged", **item)
        for item in self.batch.ignored:
            self.events.emit("file_ignored", **item)
        todo: list[ImageJob] = []
        for job in self.batch.jobs:
            prior = state.image(job.name)
            if prior.get("status") in FINISHED and (self.cases_dir / job.name).is_dir():
                with Case.open(self.cases_dir / job.name, readonly=True) as case:
                    self._finish_outcome(
                        job, case, prior.get("evidence_id"), prior.get("failure"), record=False
                    )
                self.outcomes[job.name].bundle = prior.get("bundle")
                self.outcomes[job.name].seconds = prior.get("seconds", 0.0)
                self.images[job.name].phase = "skipped"
                self.events.emit(
                    "image_skipped", image=job.name, reason=f"finished in an earlier run ({prior['status']})"
                )
                continue
            state.set_image(
                job.name, status="pending", image=str(job.path), case=str(self.cases_dir / job.name)
            )
            todo.append(job)
        failure: str | None = None
        if self.kind != "local" and any(job.unlock for job in todo):
            raise UsageError("unlock in a manifest needs the local back end (keys are not sent to a cluster)")
        try:
            if self.kind == "local":
                for job in todo:
                    if self.cancelled:
                        break
                    self._run_local(job, int(self.target))
            else:
                from triage.batch.dask_driver import DaskDriver

                DaskDriver(self, str(self.target)).run(todo)
        except TriageError:
            raise
        except Exception as exc:  # lost scheduler, broken cluster: the batch stops, the cases stay resumable
            lines = str(exc).strip().splitlines()
            failure = f"{type(exc).__name__}: {lines[0] if lines else ''}".rstrip(": ")
            self.events.emit("batch_failed", reason=failure)
        finally:
            self.progress.update(self.images, force=True)
            self.progress.close()
        for job in todo:
            o = self.outcomes[job.name]
            if o.status == "pending":
                o.status, o.reason = "interrupted", failure or "the batch stopped before this image"
        outcomes = [self.outcomes[j.name] for j in self.batch.jobs]
        meta = {
            "batch": {
                "out": str(self.out),
                "cluster": self.options.cluster,
                "started": started,
                "finished": utc_now(),
                "seconds": round(time.monotonic() - t0, 3),
                "resume": self.options.resume,
                "cancelled": self.cancelled,
                "error": failure,
                "triage": triage.__version__,
                "cluster_security": cluster_security(self.options.cluster, self.options.insecure)
                if self.kind == "dask"
                else "local",
                "sandbox": sandbox.describe(self.options.sandbox),
            }
        }
        summary, text = write_summary(self.out, meta, outcomes, self.batch.ignored, self.batch.damaged)
        self.events.emit("batch_finished", exit_code=summary["exit_code"], totals=summary["totals"])
        self.events.close()
        return BatchResult(summary, text, summary["exit_code"])

    # -- local process pool ------------------------------------------------------------------
    def _run_local(self, job: ImageJob, workers: int) -> None:
        name = job.name
        t0 = time.monotonic()
        self.events.emit("image_started", image=name, path=str(job.path), engine="local", workers=workers)
        self.state.set_image(name, status="running")
        case = self.open_case(job)
        if case is None:
            return
        try:
            existing = [e for e in case.evidence() if e["path"] == str(job.path.resolve())]
            opts = ScanOptions(
                analyzers=self.options.analyzers,
                options=self.job_options[name],
                workers=workers,
                plugins=self.options.plugins,
                resume=bool(existing),
                task_files=min(
                    self.options.task_files, ScanOptions.task_files
                ),  # --task-files caps both back ends
                sandbox=self.options.sandbox,
            )
            prog = self.images[name]

            def on_status(s: ScanStatus) -> None:
                prog.phase = s.phase if s.phase in ("inventory", "content") else prog.phase
                prog.files_done, prog.files_total = s.files_done, s.files_total
                prog.bytes_done, prog.bytes_total = s.bytes_done, s.bytes_total
                self.progress.update(self.images)

            failure: str | None = None
            evidence_id: int | None = None
            try:
                if job.unlock:  # a wrong key fails this image (with why), not the batch
                    fve.audit_unlocks(case, fve.unlock_paths([str(job.path)], job.unlock))
                self._engine = ScanEngine(case, [job.path], opts, on_status=on_status, cancel=self._cancel)
                if self.cancelled:
                    self._engine.cancel()
                summary = self._engine.run()
                if summary.evidence_errors:
                    failure = "; ".join(summary.evidence_errors)
            except TriageError as exc:
                failure = str(exc)
            finally:
                self._engine = None
            found = [e for e in case.evidence() if e["path"] == str(job.path.resolve())]
            evidence_id = int(found[0]["id"]) if found else None
            self.outcomes[name].seconds = round(time.monotonic() - t0, 3)
            self._finish_outcome(job, case, evidence_id, failure)
        finally:
            case.close()

    def open_case(self, job: ImageJob) -> Case | None:
        """The image's case, or None when it cannot be opened (the image is then failed, with why)."""
        try:
            return Case.open_or_create(self.cases_dir / job.name)
        except TriageError as exc:
            out = self.outcomes[job.name]
            out.status, out.reason = "failed", str(exc)
            self.images[job.name].phase = "failed"
            self.state.set_image(job.name, status="failed", failure=str(exc), finished=utc_now())
            self.events.emit("image_failed", image=job.name, status="failed", reason=str(exc))
            return None

    # -- shared end of an image --------------------------------------------------------------
    def _finish_outcome(
        self, job: ImageJob, case: Case, evidence_id: int | None, failure: str | None, record: bool = True
    ) -> ImageOutcome:
        out = read_outcome(self.outcomes[job.name], case, evidence_id, failure)
        prog = self.images[job.name]
        prog.phase = out.status
        prog.files_done, prog.files_total = out.files_done + out.files_failed, out.files
        if not record:
            return out
        if out.status in FINISHED and job.export is not None:
            out.bundle = make_bundle(case, job.export, self.out / "bundles" / job.name, job.exhibit)
            self.events.emit(
                "bundle_" + out.bundle["status"],
                image=job.name,
                **{k: v for k, v in out.bundle.items() if k != "status"},
            )
        self.state.set_image(
            job.name,
            status=out.status,
            evidence_id=evidence_id,
            failure=failure,
            bundle=out.bundle,
            seconds=out.seconds,
            finished=utc_now(),
        )
        event = {"done": "image_finished", "partial": "image_finished", "failed": "image_failed"}.get(
            out.status, "image_interrupted"
        )
        self.events.emit(
            event,
            image=job.name,
            status=out.status,
            reason=out.reason,
            problems=out.problems,
            files=out.files,
            files_failed=out.files_failed,
            findings=out.findings,
            seconds=out.seconds,
        )
        self.progress.update(self.images, force=True)
        return out
