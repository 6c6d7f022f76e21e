"""The batch on a Dask cluster. The client is the single writer of every case: workers read
the evidence (from the same path on shared storage) and return inventory entries and
:class:`FileResult` lists; each task's results are committed with the files' statuses,
and only for files still ``pending``, so a task that Dask reruns after a worker died is
stored once. A task Dask gives up on (``KilledWorker``) is split until the file that kills
workers is alone, and that file is recorded as failed with the reason.
"""

from __future__ import annotations

import sys
import time
import uuid
from collections import deque
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import triage
from triage import sandbox
from triage.batch import tasks
from triage.batch.inputs import ImageJob
from triage.batch.security import cluster_security, insecure_warning
from triage.case.store import Case, FileResult
from triage.evidence.image import EvidenceSource
from triage.scan.engine import _library_versions
from triage.scan.integrity_pass import IntegrityPass
from triage.scan.registry import call_scan_finished
from triage.scan.scheduler import CrashPolicy, pending_rows, plan_batches
from triage.scan.status import ScanStatus
from triage.scan.worker import WorkerConfig

if TYPE_CHECKING:
    from distributed import Future

    from triage.batch.runner import BatchRunner

MAX_OPEN_IMAGES = 4
MONITOR_SECONDS = 1.0


@dataclass
class ImageRun:
    """One image's progress through layout → partition walks → content tasks."""

    job: ImageJob
    case: Case
    source: EvidenceSource
    config: WorkerConfig
    versions: dict[str, str]
    settings: dict[str, Any]
    t0: float = field(default_factory=time.monotonic)
    phase: str = "layout"
    evidence_id: int | None = None
    scan_id: int | None = None
    part_ids: dict[int, int] = field(default_factory=dict)
    walks: list[int] = field(default_factory=list)
    walked: dict[int, tuple[str, Any]] = field(default_factory=dict)
    queue: deque[list[dict[str, Any]]] = field(default_factory=deque)
    inflight: int = 0
    pending_suspects: int = 0
    failure: str | None = None
    setup_errors: set[tuple[str, str]] = field(default_factory=set)
    analyzer_seconds: dict[str, float] = field(default_factory=dict)
    counters: dict[str, int] = field(
        default_factory=lambda: {"files": 0, "bytes": 0, "failed": 0, "findings": 0}
    )
    integrity: IntegrityPass | None = None
    """The whole-evidence hash, run by the client beside the cluster's file pass (as a local scan does)."""
    hash_status: ScanStatus = field(default_factory=ScanStatus)


class DaskDriver:
    """Feeds every image's tasks to the cluster and writes the results into the cases."""

    def __init__(self, runner: BatchRunner, address: str) -> None:
        self.r = runner
        self.address = address
        self.futures: dict[str, tuple[Future, str, ImageRun, Any]] = {}
        self._removed: deque[dict[str, Any]] = deque()
        self.suspects: deque[tuple[ImageRun, list[dict[str, Any]]]] = deque()
        self.traces: dict[str, str] = {}
        """Future key of a suspect's traced task → the name its slot is published under."""
        self.workers: set[str] = set()
        self.policy = CrashPolicy()
        self.slots = 1
        self._last_monitor = 0.0

    # -- main loop -------------------------------------------------------------------------
    def run(self, jobs: list[ImageJob]) -> None:
        from distributed import Client

        kw: dict[str, Any] = {"timeout": 30, "set_as_default": False}
        if self.r.options.security is not None:
            kw["security"] = self.r.options.security
        client = Client(self.address, **kw)
        self.client = client
        try:
            client.subscribe_topic("all", self._on_scheduler_event)
            with client.as_current():
                self._loop(jobs)
        finally:
            for fut, *_ in self.futures.values():
                fut.cancel()
            client.close(timeout=10)

    def _loop(self, jobs: list[ImageJob]) -> None:
        self._monitor(force=True)
        self.r.events.emit(
            "cluster_connected",
            scheduler=self.address,
            workers=sorted(self.workers),
            threads=self.slots,
            dashboard=_dashboard(self.client),
        )
        waiting = deque(jobs)
        active: list[ImageRun] = []
        while waiting or active:
            if self.r.cancelled:
                waiting.clear()
            while (
                waiting
                and len(active) < MAX_OPEN_IMAGES
                and (not active or sum(len(a.queue) for a in active) < 2 * self.slots)
            ):
                run = self._start(waiting.popleft())
                if run is not None:
                    active.append(run)
            self._submit(active)
            self._wait()
            for key in [k for k, v in self.futures.items() if v[0].done()]:
                fut, kind, run, payload = self.futures.pop(key)
                self._handle(fut, kind, run, payload, self.traces.pop(key, None))
            self._monitor()
            for run in active:
                if (
                    run.integrity is not None and run.phase == "content"
                ):  # never inside the inventory transaction
                    run.integrity.tick(run.hash_status)
            for run in [a for a in active if self._finished(a)]:
                active.remove(run)
                self._finish(run)
            self.r.progress.update(self.r.images)

    def _wait(self) -> None:
        from distributed import wait

        if not self.futures:
            time.sleep(0.05)
            return
        try:
            wait([f for f, *_ in self.futures.values()], timeout=0.5, return_when="FIRST_COMPLETED")
        except TimeoutError:
            pass

    def _submit(self, active: list[ImageRun]) -> None:
        """Hand out content tasks, round robin over images, keeping every worker thread fed."""
        if self.r.cancelled:
            return
        scans = sum(1 for _, k, *_ in self.futures.values() if k in ("scan", "isolated"))
        if self.suspects:  # a file Dask blamed for a worker's death is tried again alone on the cluster
            if not scans:
                run, rows = self.suspects.popleft()
                if run.failure is None:
                    trace = f"triage-trace-{uuid.uuid4().hex}"
                    key = self._task(
                        "isolated", run, rows, tasks.scan_task, run.config, _json(run.source), rows, trace
                    )
                    self.traces[key] = trace
            return
        limit = 2 * self.slots
        while scans < limit:
            scans += 1
            ready = [a for a in active if a.queue and a.failure is None and a.phase == "content"]
            if not ready:
                return
            run = min(ready, key=lambda a: a.inflight)
            rows = run.queue.popleft()
            self._task("scan", run, rows, tasks.scan_task, run.config, _json(run.source), rows)

    def _task(self, kind: str, run: ImageRun, payload: Any, fn: Any, *args: Any) -> str:
        key = f"triage-{kind}-{run.job.name}-{uuid.uuid4().hex[:12]}"
        fut = self.client.submit(fn, *args, key=key, pure=False)
        self.futures[key] = (fut, kind, run, payload)
        run.inflight += 1
        return key

    # -- one image -------------------------------------------------------------------------
    def _start(self, job: ImageJob) -> ImageRun | None:
        r = self.r
        case = r.open_case(job)
        if case is None:
            return None
        analyzers = [c.name for c in r.registry.scan_classes(r.options.analyzers)]
        options = r.job_options[job.name]
        settings = {
            "analyzers": analyzers,
            "options": options,
            "workers": self.slots,
            "evidence": [str(job.source.path)],
            "resume": r.options.resume,
            "plugin_dirs": r.options.plugins.plugin_dirs,
            "disabled_plugins": r.options.plugins.disabled,
            "cluster": self.address,
            "cluster_security": cluster_security(self.address, r.options.insecure),
            "batch": str(r.out),
            "sandbox": sandbox.recorded(r.options.sandbox),
        }
        versions = {c.name: c.version for c in r.registry.analyzer_classes(analyzers)}
        source = EvidenceSource(
            job.source.path.resolve(), job.source.format, tuple(p.resolve() for p in job.source.segments)
        )
        config = WorkerConfig(
            plugins=r.options.plugins,
            analyzers=analyzers,
            options=options,
            extra_dir=str(case.path / "extra"),
            sandbox=sandbox.evidence_policy(
                [source.path, *source.segments], r.options.plugins.plugin_dirs, options, whole_process=False
            )
            if r.options.sandbox
            else None,
        )
        run = ImageRun(job, case, source, config, versions, settings)
        r.events.emit(
            "image_started", image=job.name, path=str(job.path), engine="dask", scheduler=self.address
        )
        r.state.set_image(job.name, status="running")
        existing = [e for e in case.evidence() if e["path"] == str(source.path)]
        r.images[job.name].phase = "inventory"
        if existing and existing[0]["inventory_done"]:
            run.evidence_id = int(existing[0]["id"])
            self._begin_scan(run)
            self._content(run)
        else:
            self._task("layout", run, None, tasks.layout_task, _json(source), r.options.sandbox)
        return run

    def _begin_scan(self, run: ImageRun) -> None:
        r = self.r
        versions = {
            "triage": triage.__version__,
            "python": sys.version.split()[0],
            "plugins": r.registry.versions(),
            "analyzers": run.versions,
            **_library_versions(),
        }
        run.scan_id = run.case.start_scan(run.settings, versions)
        sandbox.record(run.case, r.options.sandbox, run.scan_id)
        if r.options.insecure:
            run.case.add_warning("cluster", insecure_warning(self.address), scan_id=run.scan_id)
        for rec in r.registry.records:
            if rec.status == "failed":
                run.case.add_error(
                    f"plugin:{rec.name}", f"plugin failed to load: {rec.error}", scan_id=run.scan_id
                )
        if run.failure is None and run.evidence_id is not None:
            run.integrity = IntegrityPass(run.case, run.source, run.evidence_id, run.scan_id)
            run.integrity.start(run.hash_status)

    def _handle(self, fut: Future, kind: str, run: ImageRun, payload: Any, trace: str | None = None) -> None:
        run.inflight -= 1
        error: BaseException | None = None
        result: Any = None
        if fut.status == "error":
            error = fut.exception()
        elif fut.status == "cancelled":
            error = RuntimeError("the task was cancelled by the scheduler")
        else:
            try:
                result = fut.result()
            except Exception as exc:
                error = exc
        if kind == "layout":
            self._on_layout(run, result, error)
        elif kind == "walk":
            run.walked[payload] = ("crash", _reason(error)) if error else ("ok", result)
            self._absorb_walks(run)
        else:
            self._on_scan(run, payload, result, error, kind, trace)

    def _on_layout(self, run: ImageRun, result: dict[str, Any] | None, error: BaseException | None) -> None:
        case, src = run.case, run.source
        if error is not None:
            run.failure = f"{src.path}: reading the volume layout crashed: {_reason(error)}"
            return
        assert result is not None
        if "size" in result:
            run.evidence_id = case.add_evidence(
                str(src.path),
                src.format,
                [str(p) for p in src.segments],
                result["size"],
                result.get("metadata"),
            )
        if "error" in result:
            run.failure = result["error"]
            if run.evidence_id is not None:
                self._begin_scan(run)
                case.add_error("inventory", result["error"], scan_id=run.scan_id, evidence_id=run.evidence_id)
            return
        assert run.evidence_id is not None
        self._begin_scan(run)
        run.phase = "inventory"
        run.part_ids = case.begin_inventory(run.evidence_id, result["volume_system"], result["partitions"])
        run.walks = [p["index"] for p in result["partitions"] if p.get("fs_type")]
        for p in result["partitions"]:
            if p.get("fs_type"):
                self._task(
                    "walk",
                    run,
                    p["index"],
                    tasks.walk_task,
                    _json(src),
                    p["offset"],
                    p["fs_type"],
                    self.r.options.sandbox,
                )
        self._absorb_walks(run)

    def _absorb_walks(self, run: ImageRun) -> None:
        """Insert walked partitions in index order (ids as the local engine gives them)."""
        case = run.case
        assert run.evidence_id is not None
        while run.walks and run.walks[0] in run.walked:
            index = run.walks.pop(0)
            status, data = run.walked.pop(index)
            pid = run.part_ids[index]
            if status == "crash":
                case.drop_partition_entries(
                    pid, f"file system walk crashed ({data}); entries of this partition are missing"
                )
                self.r.events.emit("partition_failed", image=run.job.name, partition=index, reason=data)
                continue
            for i in range(0, len(data["entries"]), 2000):
                case.insert_entries(run.evidence_id, pid, data["entries"][i : i + 2000])
            for text in data["errors"]:
                case.add_error(
                    "inventory",
                    text,
                    scan_id=run.scan_id,
                    evidence_id=run.evidence_id,
                    partition_id=pid,
                    commit=False,
                )
            self.r.images[run.job.name].files_total += len(data["entries"])
        if not run.walks and run.phase == "inventory":
            case.finish_inventory(run.evidence_id)
            files = case.count_evidence_files(run.evidence_id)
            case.audit("evidence.inventoried", {"evidence_id": run.evidence_id, "files": files})
            self.r.events.emit("inventory_finished", image=run.job.name, entries=files)
            self._content(run)

    def _content(self, run: ImageRun) -> None:
        assert run.evidence_id is not None
        run.phase = "content"
        q = run.case.content_done(run.evidence_id)
        pending = list(pending_rows(run.case, run.evidence_id))
        run.queue = deque(plan_batches(pending, self.r.options.task_files, self.r.options.task_bytes))
        prog = self.r.images[run.job.name]
        prog.phase = "content"
        prog.files_done, prog.bytes_done = int(q[0]), int(q[1])
        prog.files_total = prog.files_done + len(pending)
        prog.bytes_total = prog.bytes_done + sum(r["size"] for r in pending)
        self.r.events.emit(
            "content_started",
            image=run.job.name,
            pending=len(pending),
            done=prog.files_done,
            tasks=len(run.queue),
        )

    def _on_scan(
        self,
        run: ImageRun,
        rows: list[dict[str, Any]],
        result: dict[str, Any] | None,
        error: BaseException | None,
        kind: str = "scan",
        trace: str | None = None,
    ) -> None:
        name = run.job.name
        if kind == "isolated":
            run.pending_suspects -= 1
        traced = tasks.read_trace(trace, self.client, run.config.analyzers) if trace is not None else None
        if run.failure is not None:
            return
        if error is not None:
            if not _is_killed(error):
                run.failure = (
                    f"a scan task failed on the cluster: {_reason(error)} (files left pending; --resume)"
                )
                return
            activity = traced[1] if traced is not None and traced[0] == rows[0]["id"] else None
            decision = self.policy.after_killed_task(
                rows, _reason(error), alone=kind == "isolated", activity=activity
            )
            if decision.isolate is not None:
                # Dask blames every task on a dying worker: only a file that kills workers while
                # alone on the cluster fails.
                run.pending_suspects += 1
                self.suspects.append((run, decision.isolate))
                self.r.events.emit("file_suspected", image=name, path=rows[0]["path"], reason=_reason(error))
            elif decision.retry and kind == "isolated":  # scanned again without the analyzer that was running
                run.queue.extendleft(reversed(decision.retry))
                self.r.events.emit(
                    "analyzer_left_out",
                    image=name,
                    path=rows[0]["path"],
                    analyzer=activity[0] if activity else None,
                    reason=_reason(error),
                )
            elif decision.retry:
                run.queue.extendleft(reversed(decision.retry))
                self.r.events.emit(
                    "task_split",
                    image=name,
                    files=len(rows),
                    parts=len(decision.retry),
                    reason=_reason(error),
                )
            elif decision.failed is not None:
                self._store(run, rows, [decision.failed])
                self.r.events.emit(
                    "file_failed", image=name, path=rows[0]["path"], reason=decision.failed.error
                )
            return
        assert result is not None
        got = result["versions"]
        setup_failed = {n for n, _ in result["setup_errors"]}
        wrong = {k: got.get(k) for k, v in run.versions.items() if k not in setup_failed and got.get(k) != v}
        if wrong:
            run.failure = (
                f"worker {result['host']} runs other analyzer versions ({wrong}) than this client "
                f"({ {k: run.versions[k] for k in wrong} }); install the same triage and plugins on "
                f"every worker (files left pending; --resume)"
            )
            return
        for item in result["setup_errors"]:
            if tuple(item) not in run.setup_errors:
                run.setup_errors.add(tuple(item))
                run.case.add_error(f"plugin:{item[0]}", item[1], scan_id=run.scan_id)
        for rel, data in result["extra"].items():
            target = run.case.path / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        for k, v in result["analyzer_seconds"].items():
            run.analyzer_seconds[k] = run.analyzer_seconds.get(k, 0.0) + v
        self._store(run, rows, result["results"])
        self.r.events.emit(
            "task_finished", image=name, files=len(rows), worker=result["host"], seconds=result.get("seconds")
        )

    def _store(self, run: ImageRun, rows: list[dict[str, Any]], results: list[FileResult]) -> None:
        """Commit results of files still pending (a rerun task's duplicates are dropped)."""
        pending = run.case.still_pending([r.file_id for r in results])
        keep = [r for r in results if r.file_id in pending]
        if len(keep) < len(results):
            self.r.events.emit(
                "results_dropped", image=run.job.name, files=len(results) - len(keep), reason="already stored"
            )
        assert run.scan_id is not None and run.evidence_id is not None
        run.case.store_results(run.scan_id, run.evidence_id, keep)
        sizes = {r["id"]: r["size"] for r in rows}
        prog = self.r.images[run.job.name]
        for res in keep:
            run.counters["files"] += 1
            run.counters["bytes"] += sizes.get(res.file_id, 0)
            run.counters["findings"] += len(res.findings)
            run.counters["failed"] += res.status == "failed"
            prog.files_done += 1
            prog.bytes_done += sizes.get(res.file_id, 0)

    def _finished(self, run: ImageRun) -> bool:
        if run.inflight or (run.pending_suspects and run.failure is None and not self.r.cancelled):
            return False
        if run.failure is not None or self.r.cancelled:
            return True
        return run.phase == "content" and not run.queue

    def _finish(self, run: ImageRun) -> None:
        case = run.case
        try:
            if run.phase == "inventory":
                case.abort_inventory()
            if run.integrity is not None:
                if run.failure is None and not self.r.cancelled and run.phase == "content":
                    run.integrity.finish(run.hash_status, lambda: None, lambda: self.r.cancelled)
                run.integrity.close()
            if run.scan_id is not None:
                status = (
                    "completed"
                    if run.failure is None and not self.r.cancelled and run.phase == "content"
                    else "cancelled"
                    if self.r.cancelled
                    else "failed"
                )
                stats = {
                    **run.counters,
                    "analyzer_seconds": run.analyzer_seconds,
                    "cluster": self.address,
                    "seconds": time.monotonic() - run.t0,
                }
                case.finish_scan(run.scan_id, status, stats)
                if status == "completed":
                    call_scan_finished(self.r.registry, case, run.scan_id)
            self.r.outcomes[run.job.name].seconds = round(time.monotonic() - run.t0, 3)
            self.r._finish_outcome(run.job, case, run.evidence_id, run.failure)
        finally:
            case.close()

    # -- watching the cluster --------------------------------------------------------------
    def _on_scheduler_event(self, event: Any) -> None:
        """Called in the client's event-loop thread for every scheduler ``all`` event."""
        _, msg = event if isinstance(event, tuple) and len(event) == 2 else (None, event)
        if isinstance(msg, dict) and msg.get("action") == "remove-worker":
            self._removed.append(msg)

    def _monitor(self, force: bool = False) -> None:
        """Report lost workers and the tasks Dask reschedules from them; track the cluster's threads."""
        while self._removed:
            msg = self._removed.popleft()
            addr = str(msg.get("worker"))
            keys = [k for k in msg.get("processing-tasks", ()) if k in self.futures]
            self.r.events.emit(
                "worker_lost", worker=addr, tasks=len(keys), expected=bool(msg.get("expected"))
            )
            for key in sorted(keys):
                _, kind, run, payload = self.futures[key]
                self.r.events.emit(
                    "task_rescheduled",
                    image=run.job.name,
                    task=key,
                    kind=kind,
                    worker=addr,
                    files=len(payload) if kind in ("scan", "isolated") else None,
                )
        now = time.monotonic()
        if not force and now - self._last_monitor < MONITOR_SECONDS:
            return
        self._last_monitor = now
        info = self.client.scheduler_info(n_workers=-1)
        workers = info.get("workers", {})
        current = set(workers)
        self.slots = max(1, sum(int(w.get("nthreads", 1)) for w in workers.values()))
        if not force:
            for addr in sorted(current - self.workers):
                self.r.events.emit("worker_joined", worker=addr)
        self.workers = current


def _dashboard(client: Any) -> str | None:
    try:
        return str(client.dashboard_link)
    except Exception:
        return None


def _json(source: EvidenceSource) -> dict[str, Any]:
    return source.to_json()


def _is_killed(exc: BaseException) -> bool:
    from distributed.scheduler import KilledWorker

    return isinstance(exc, KilledWorker)


def _reason(exc: BaseException | None) -> str:
    if exc is None:
        return "unknown"
    if _is_killed(exc):
        return "the Dask workers running it died every time it was tried (KilledWorker)"
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[-1] if text else ''}".rstrip(": ")


__all__ = ["DaskDriver"]
