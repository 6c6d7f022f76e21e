"""The scan engine: inventory each image, then one content pass over every file, in
worker processes, with the parent as the single writer to the case.
"""

from __future__ import annotations

import itertools
import os
import shutil
import sys
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import triage
from triage import sandbox
from triage.case.integrity import problems as integrity_problems
from triage.case.integrity import reset as reset_integrity
from triage.case.records import GapKind, Severity
from triage.case.store import Case, FileResult
from triage.containers.expand import Limits
from triage.errors import EvidenceError, UsageError
from triage.evidence import fve
from triage.evidence.image import EvidenceSource, resolve_source
from triage.plugin import PostScanCase
from triage.progress import Cancel, ProgressCallback
from triage.scan.integrity_pass import IntegrityPass
from triage.scan.messages import (
    Entries,
    InventoryDone,
    InventoryFailed,
    InventoryRequest,
    Layout,
    PartitionDone,
    Results,
    SetupError,
    TaskRequest,
)
from triage.scan.pool import WorkerHandle, WorkerPool
from triage.scan.registry import PluginConfig, Registry, call_scan_finished, user_plugin_dir
from triage.scan.scheduler import CrashPolicy, pending_rows, plan_batches, selected_rows
from triage.scan.status import ScanStatus
from triage.scan.worker import WorkerConfig

FLUSH_FILES = 500
FLUSH_SECONDS = 1.0
STARTUP_TIMEOUT = 120.0
SCRATCH = ".scratch"
"""The case's sub-folder holding each confined worker's temporary folder (removed after the scan)."""


@dataclass
class ScanOptions:
    """What to run and how."""

    analyzers: list[str] | None = None
    options: dict[str, dict[str, Any]] = field(default_factory=dict)
    workers: int = field(default_factory=lambda: os.cpu_count() or 1)
    plugins: PluginConfig = field(default_factory=PluginConfig)
    resume: bool = False
    rescan: bool = False
    file_timeout: float = 600.0
    task_files: int = 64
    task_bytes: int = 32 << 20
    priority: Callable[[dict[str, Any]], int] | None = None
    """Rank of a pending file (lower first), e.g. a triage profile: first findings arrive sooner."""
    select: Callable[[dict[str, Any]], bool] | None = None
    """Only these files are scanned now (``--quick``); the others stay pending for a later scan."""
    evidence_hash: bool = True
    """Hash the whole evidence stream next to the file pass (and locate damaged chunks); off only for benchmarks."""
    sandbox: bool = True
    """Confine the worker processes (:mod:`triage.sandbox`); False: ``--no-sandbox``, recorded."""
    containers: Limits = field(default_factory=Limits)
    """Open containers (archives, mail) and scan their members, within these limits (:mod:`triage.containers`)."""
    carve: bool = False
    """Carve files out of each file system's unallocated space at inventory time (``--carve``,
    :mod:`triage.carve`): each becomes an ``origin='carved'`` entry that every analyzer reads."""


@dataclass
class ScanSummary:
    """The outcome of one scan run."""

    scan_id: int
    status: str
    files: int
    bytes: int
    failed_files: int
    errors: int
    findings: int
    evidence_errors: list[str]
    seconds: float
    integrity: list[str] = field(default_factory=list)
    """Integrity problems of the evidence the case knows (damaged ranges and files, hash mismatch, short image)."""
    warnings: int = 0
    """Warnings recorded by this scan (results complete, but the examiner should know)."""
    sandbox: str = ""
    """What confined the parsers (:func:`triage.sandbox.describe`)."""

    @property
    def exit_code(self) -> int:
        if self.status != "completed":
            return 1
        return 1 if (self.failed_files or self.errors or self.evidence_errors or self.integrity) else 0


class ScanEngine:
    """Runs one scan; ``cancel()``/``pause()`` may be called from another thread."""

    def __init__(
        self,
        case: Case,
        evidence: list[str | Path],
        options: ScanOptions | None = None,
        on_status: Callable[[ScanStatus], None] | None = None,
        *,
        cancel: Cancel | None = None,
        on_progress: ProgressCallback | None = None,
    ) -> None:
        """``on_status`` gets the scan's detailed :class:`ScanStatus`; ``on_progress`` the same moments
        as :class:`triage.progress.Progress` records; ``cancel`` is a token another thread may set
        (the same as calling :meth:`cancel`)."""
        self.case = case
        self.options = options or ScanOptions()
        self.sources = [resolve_source(p) for p in evidence]
        self.on_status = on_status
        self.status = ScanStatus()
        self._cancel = cancel if cancel is not None else Cancel()
        self.on_progress = on_progress
        self._pause = threading.Event()
        self._last_emit = 0.0
        self._t0 = time.monotonic()
        self._worker_seconds: dict[str, float] = {}
        self._content_t0 = time.monotonic()
        self._integrity: IntegrityPass | None = None
        self._carve_stats: list[dict[str, Any]] = []

    # -- control ---------------------------------------------------------------------------
    def cancel(self) -> None:
        """Stop handing out work; finish what is in flight and store it."""
        self._cancel.set()

    def pause(self) -> None:
        self._pause.set()
        self.status.paused = True

    def unpause(self) -> None:
        self._pause.clear()
        self.status.paused = False

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    # -- running ---------------------------------------------------------------------------
    def run(self) -> ScanSummary:
        registry = Registry(self.options.plugins)
        prior = self._resume_settings()
        if prior is not None:
            self.options.analyzers = prior.get("analyzers", self.options.analyzers)
            self.options.options = prior.get("options", self.options.options)
            if "containers" in prior:  # a resumed scan opens containers as the scan it resumes did
                self.options.containers = Limits(**prior["containers"])
            self.options.carve = bool(prior.get("carve", self.options.carve))
            from triage.scan.validate import check_resumed

            check_resumed(registry, self.options.analyzers, self.options.options)  # before the case changes
        try:
            analyzers = [c.name for c in registry.scan_classes(self.options.analyzers)]
        except KeyError as exc:
            raise UsageError(f"unknown analyzer: {exc.args[0]} (see 'triage plugins list')") from exc
        settings = {
            "analyzers": analyzers,
            "options": self.options.options,
            "workers": self.options.workers,
            "evidence": [str(s.path) for s in self.sources],
            "resume": self.options.resume,
            "plugin_dirs": self.options.plugins.plugin_dirs,
            "disabled_plugins": self.options.plugins.disabled,
            "sandbox": sandbox.recorded(self._sandboxed),
            "containers": asdict(self.options.containers),
            "carve": self.options.carve,
        }
        versions = {
            "triage": triage.__version__,
            "python": sys.version.split()[0],
            "plugins": registry.versions(),
            "analyzers": {c.name: c.version for c in registry.analyzer_classes(analyzers)},
            **_library_versions(),
        }
        evidence_ids = [self._register(s) for s in self.sources]
        scan_id = self.case.start_scan(settings, versions)
        for rec in registry.records:
            if rec.status == "failed":
                self.case.add_error(
                    f"plugin:{rec.name}", f"plugin failed to load: {rec.error}", scan_id=scan_id
                )
        config = WorkerConfig(
            plugins=self.options.plugins,
            analyzers=analyzers,
            options=self.options.options,
            extra_dir=str(self.case.extra_dir),
            unlocks=fve.state(),
            sandbox=self._policy(),
            containers=self.options.containers,
        )
        sandbox.record(self.case, self._sandboxed, scan_id)
        pool = WorkerPool(self.options.workers, config)
        evidence_errors: list[str] = []
        counters = {"files": 0, "bytes": 0, "failed": 0, "errors": 0, "findings": 0}
        inventory_seconds = 0.0  # the walks and their inserts (bench/scale.py reads it)
        try:
            for source, evidence_id in zip(self.sources, evidence_ids, strict=True):
                if self.cancelled:
                    break
                self.status.evidence = str(source.path)
                self._integrity = self._start_integrity(source, evidence_id, scan_id)
                if not self.case.evidence(evidence_id)[0]["inventory_done"]:
                    t_inventory = time.monotonic()
                    err = self._inventory(pool, source, evidence_id, scan_id)
                    inventory_seconds += time.monotonic() - t_inventory
                    if err:
                        evidence_errors.append(err)
                        self._end_integrity(finish=False)
                        continue
                else:
                    if self.options.carve and not self._carved(evidence_id):
                        self.case.add_warning(
                            "carve",
                            f"{source.path}: --carve carves when the evidence is inventoried; it was "
                            "inventoried without it (add the evidence to a new case to carve it)",
                            scan_id=scan_id,
                            evidence_id=evidence_id,
                        )
                    self._inventory_unlocked(pool, source, evidence_id, scan_id)
                self._content(pool, source, evidence_id, scan_id, counters)
                self._end_integrity(finish=self.options.select is None)  # --quick: the hash ends on --resume
        except BaseException as exc:
            self._abandon(scan_id, exc)
            raise
        finally:
            self._end_integrity(finish=False)
            pool.close()
            shutil.rmtree(self.case.path / SCRATCH, ignore_errors=True)
        status = "cancelled" if self.cancelled else "completed"
        errors = self.case.count_failed_files()
        err_rows = self.case.count_problems(scan_id=scan_id).errors
        part_errors = [p for p in self.case.partitions() if p["error"] and p["fs_type"]]
        locked = [
            g for g in self.case.gaps() if g.kind == GapKind.ENCRYPTED and g.evidence_id in evidence_ids
        ]
        summary = ScanSummary(
            scan_id,
            status,
            counters["files"],
            counters["bytes"],
            errors,
            err_rows + len(part_errors) + len(locked),
            counters["findings"],
            evidence_errors,
            time.monotonic() - self._t0,
            integrity_problems(self.case, evidence_ids),
            sandbox=sandbox.describe(self._sandboxed),
        )
        stats = {
            k: v for k, v in asdict(summary).items() if k not in ("scan_id", "status", "integrity", "sandbox")
        }
        stats["analyzer_seconds"] = self.status.analyzer_seconds
        stats["inventory_seconds"] = round(inventory_seconds, 3)
        if self.options.carve:
            stats["carve"] = self._carve_stats  # per partition: bytes examined, files carved, seconds
        self.case.finish_scan(scan_id, status, stats)
        if status == "completed":
            post_scan_case: PostScanCase = self.case  # Case satisfies the typed hook argument (mypy)
            call_scan_finished(registry, post_scan_case, scan_id)
            # errors the hooks recorded (rule files left out, unallocated-space failures) count in the exit code
            summary.errors += self.case.count_problems(scan_id=scan_id).errors - err_rows
        summary.warnings = self.case.count_problems(scan_id=scan_id).warnings
        self.status.phase = status if status != "completed" else "finished"
        self._emit(force=True)
        return summary

    @property
    def _sandboxed(self) -> bool:
        """The workers are confined unless ``--no-sandbox`` (the frozen app too: its bundle is in the
        read policy, :func:`triage.sandbox.frozen_paths`)."""
        return bool(self.options.sandbox)

    def _policy(self) -> sandbox.Policy | None:
        """What the workers may read and write once confined: the evidence, plugins, option paths."""
        if not self._sandboxed:
            return None
        plugins = self.options.plugins
        dirs = list(plugins.plugin_dirs) + ([str(user_plugin_dir())] if plugins.include_user_dir else [])
        policy = sandbox.evidence_policy(
            [str(p) for s in self.sources for p in (s.path, *s.segments)],
            dirs,
            self.options.options,
            write=[self.case.extra_dir],
            scratch=self.case.path / SCRATCH,
        )
        # the inventory counts each file system's unallocated blocks with blkls (the ledger): the
        # Sleuth Kit's tools may run, confined like the worker; nothing else may be executed
        return replace(policy, execute=sandbox.tools())

    def _abandon(self, scan_id: int, exc: BaseException) -> None:
        """The run stopped on an exception: its scan row reads ``interrupted``, with why (best effort:
        on a full disk the row stays ``running`` and readers show it ``interrupted`` once the lock is gone)."""
        try:
            if self.case.in_transaction:  # a partial inventory is never kept
                self.case.abort_inventory()
            self.case.finish_scan(scan_id, "interrupted", {"error": f"{type(exc).__name__}: {exc}"})
        except Exception:
            pass

    def _start_integrity(
        self, source: EvidenceSource, evidence_id: int, scan_id: int
    ) -> IntegrityPass | None:
        """The whole-evidence hash of one image, started before its inventory (it runs in its own process)."""
        if not self.options.evidence_hash:
            return None
        integrity = IntegrityPass(self.case, source, evidence_id, scan_id)
        integrity.start(self.status)
        return integrity

    def _end_integrity(self, finish: bool) -> None:
        """Wait for the evidence hash and record what it found (``finish``), or stop it keeping its state."""
        integrity, self._integrity = self._integrity, None
        if integrity is None:
            return
        try:
            if finish:
                integrity.finish(self.status, lambda: self._emit(), lambda: self.cancelled)
        finally:
            integrity.close()

    def _resume_settings(self) -> dict[str, Any] | None:
        if not self.options.resume:
            return None
        scans = self.case.scans()
        return scans[-1]["settings"] if scans else None

    def _register(self, source: EvidenceSource) -> int:
        path = str(source.path.resolve())
        existing = [e for e in self.case.evidence() if e["path"] == path]
        if existing:
            evidence_id = int(existing[0]["id"])
            if self.options.rescan:
                self.case.reset_results(evidence_id)
                reset_integrity(self.case, evidence_id)
            elif not self.options.resume and existing[0]["inventory_done"]:
                raise UsageError(
                    f"{source.path}: already in this case; use --resume to finish an interrupted scan "
                    f"or --rescan to scan it again"
                )
            return evidence_id
        from triage.evidence.register import register_evidence

        return register_evidence(self.case, source, probe=False)  # opens it: fails early, before any work

    # -- inventory -------------------------------------------------------------------------
    def _inventory(
        self, pool: WorkerPool, source: EvidenceSource, evidence_id: int, scan_id: int
    ) -> str | None:
        """Walk every partition in a worker; a crash costs one partition. Returns an evidence error."""
        self.status.phase = "inventory"
        self._emit(force=True)
        start_index = 0
        part_ids: dict[int, int] = {}
        layout_done = False
        while True:
            worker = pool.workers[0]
            pool.send(
                worker, "inventory", InventoryRequest(source.to_json(), start_index, carve=self.options.carve)
            )
            current: int | None = None
            finished = False
            while not finished:
                if self.cancelled:  # nothing of a partial inventory is kept; --resume walks again
                    self.case.abort_inventory()
                    pool.replace(worker)
                    return None
                messages, dead = pool.poll(0.2)
                for _, msg in messages:
                    if isinstance(msg, InventoryFailed):
                        self.case.abort_inventory()
                        worker.task = None
                        self.case.add_error("inventory", msg.reason, scan_id=scan_id, evidence_id=evidence_id)
                        return msg.reason
                    if isinstance(msg, Layout) and not layout_done:
                        part_ids = self.case.begin_inventory(evidence_id, msg.volume_system, msg.partitions)
                        self._record_locked(msg.partitions, part_ids, evidence_id, scan_id)
                        layout_done = True
                    elif isinstance(msg, Entries):
                        current = msg.partition
                        self.case.insert_entries(evidence_id, part_ids[current], msg.rows)
                        self.status.files_total += len(msg.rows)
                        self._emit()
                    elif isinstance(msg, PartitionDone):
                        for text in msg.errors:
                            self.case.add_error(
                                "inventory",
                                text,
                                scan_id=scan_id,
                                evidence_id=evidence_id,
                                partition_id=part_ids[msg.partition],
                                commit=False,
                            )
                        if msg.carve is not None:
                            self._record_carve(msg.carve, evidence_id, part_ids[msg.partition], scan_id)
                        current = None
                    elif isinstance(msg, InventoryDone):
                        finished = True
                if dead and not finished:
                    reason = pool.exit_reason(worker)
                    pool.replace(worker)
                    if not layout_done:
                        self.case.abort_inventory()
                        msg_text = f"{source.path}: reading the volume layout crashed: {reason}"
                        self.case.add_error("inventory", msg_text, scan_id=scan_id, evidence_id=evidence_id)
                        return msg_text
                    crashed = current if current is not None else start_index
                    crashed = (
                        self.case.next_fs_index(evidence_id, start_index) if current is None else crashed
                    )
                    self.case.drop_partition_entries(
                        part_ids[crashed],
                        f"file system walk crashed ({reason}); entries of this partition are missing",
                    )
                    start_index = crashed + 1
                    break
            else:
                pool.workers[0].task = None
                break
        self.case.finish_inventory(evidence_id)
        self.case.audit(
            "evidence.inventoried",
            {"evidence_id": evidence_id, "files": self.case.count_evidence_files(evidence_id)},
        )
        return None

    def _carved(self, evidence_id: int) -> bool:
        return any(
            e.action == "evidence.carved" and e.details.get("evidence_id") == evidence_id
            for e in self.case.audit_log()
        )

    def _record_carve(self, stats: dict[str, Any], evidence_id: int, partition_id: int, scan_id: int) -> None:
        """What carving one partition did: in the audit log (with the inventory: the completeness
        ledger reads it) and the scan's stats; a partition whose unallocated space could not be
        carved becomes a ``not-scanned`` ledger entry saying why."""
        self._carve_stats.append({"evidence_id": evidence_id, **stats})
        self.case.audit_in_transaction(
            "evidence.carved", {"evidence_id": evidence_id, "partition_id": partition_id, **stats}
        )
        if stats.get("error"):
            self.case.record_gap(
                GapKind.NOT_SCANNED,
                f"unallocated space of partition {stats['partition']} not carved: {stats['error']}",
                source="carve",
                size=None,
                scan_id=scan_id,
                evidence_id=evidence_id,
                partition_id=partition_id,
                commit=False,
            )

    def _record_locked(
        self, partitions: list[dict[str, Any]], part_ids: dict[int, int], evidence_id: int, scan_id: int
    ) -> None:
        """Each encrypted volume left locked becomes an ``encrypted`` gap in the completeness ledger."""
        for p in partitions:
            found = p.get("shadow_copies") or []
            if found and "error" in found[0]:  # VSS header, but the stores cannot be listed
                # (each store that lists is a partition of its own, walked like any other)
                self.case.record_gap(
                    GapKind.NOT_SCANNED,
                    f"volume shadow copies of the {p.get('fs_type')} volume at byte {p['offset']}: "
                    f"{found[0]['error']}: not walked (docs/formats.md)",
                    source="inventory",
                    size=None,
                    scan_id=scan_id,
                    evidence_id=evidence_id,
                    partition_id=part_ids[p["index"]],
                    commit=False,
                )
            enc = p.get("encryption")
            if enc and not enc.get("unlocked"):
                kinds = ", ".join(pr["kind"] for pr in enc["protectors"]) or "protectors unknown"
                self.case.record_gap(
                    GapKind.ENCRYPTED,
                    f"{enc['description']} at byte {p['offset']} is locked (protectors: {kinds}); "
                    f"unlock it with --resume --unlock {p['index']}=TYPE:VALUE",
                    source="inventory",
                    size=int(p["length"]),
                    scan_id=scan_id,
                    evidence_id=evidence_id,
                    partition_id=part_ids[p["index"]],
                    commit=False,
                )

    def _inventory_unlocked(
        self, pool: WorkerPool, source: EvidenceSource, evidence_id: int, scan_id: int
    ) -> None:
        """On ``--resume --unlock``: walk the volumes left locked before and now unlocked, only those;
        the partitions inventoried already are not walked again."""
        from triage.evidence import fve

        parts = {int(p["id"]): p for p in self.case.partitions(evidence_id)}
        gaps = [g for g in self.case.gaps(evidence_id=evidence_id) if g.kind == GapKind.ENCRYPTED]
        todo = {
            int(parts[g.partition_id]["idx"]): g.partition_id
            for g in gaps
            if g.partition_id in parts and fve.resolved(source.path, int(parts[g.partition_id]["offset"]))
        }
        if not todo:
            return
        self.status.phase = "inventory"
        self._emit(force=True)
        worker = pool.workers[0]
        pool.send(worker, "inventory", InventoryRequest(source.to_json(), 0, tuple(sorted(todo))))
        errors: dict[int, list[str]] = {}
        while True:
            messages, dead = pool.poll(0.2)
            done = False
            for _, msg in messages:
                if isinstance(msg, InventoryFailed):
                    self.case.abort_inventory()
                    self.case.add_error("inventory", msg.reason, scan_id=scan_id, evidence_id=evidence_id)
                    worker.task = None
                    return
                if isinstance(msg, Layout):
                    for p in msg.partitions:
                        if p["index"] in todo:
                            self.case.reopen_partition(
                                todo[p["index"]],
                                p.get("fs_type"),
                                p.get("block_size"),
                                p.get("error"),
                                p.get("encryption"),
                            )
                elif isinstance(msg, Entries):
                    self.case.insert_entries(evidence_id, todo[msg.partition], msg.rows)
                    self.status.files_total += len(msg.rows)
                elif isinstance(msg, PartitionDone):
                    errors[msg.partition] = msg.errors
                elif isinstance(msg, InventoryDone):
                    done = True
            if done:
                break
            if dead:
                self.case.abort_inventory()
                pool.replace(worker)
                text = f"{source.path}: walking the unlocked volumes crashed: {pool.exit_reason(worker)}"
                self.case.add_error("inventory", text, scan_id=scan_id, evidence_id=evidence_id)
                return
        worker.task = None
        for index, texts in errors.items():
            for text in texts:
                self.case.add_error(
                    "inventory",
                    text,
                    scan_id=scan_id,
                    evidence_id=evidence_id,
                    partition_id=todo[index],
                    commit=False,
                )
        for partition_id in todo.values():
            self.case.resolve_gaps(partition_id, GapKind.ENCRYPTED)
        self.case.finish_inventory(evidence_id)
        self.case.audit(
            "evidence.inventoried",
            {
                "evidence_id": evidence_id,
                "partitions": sorted(todo),
                "files": self.case.count_evidence_files(evidence_id),
            },
        )

    # -- content pass ----------------------------------------------------------------------
    def _content(
        self,
        pool: WorkerPool,
        source: EvidenceSource,
        evidence_id: int,
        scan_id: int,
        counters: dict[str, int],
    ) -> None:
        """Hand out tasks to idle workers, store results in batches, requeue what a dead worker held.

        Pending rows are read page by page (memory stays bounded on millions of files); at most
        one task per worker is in flight.
        """
        self.status.phase = "content"
        self._set_totals(evidence_id)
        tasks = plan_batches(
            selected_rows(self.case, evidence_id, self.options.select, self.options.priority),
            self.options.task_files,
            self.options.task_bytes,
        )
        retry: deque[list[dict[str, Any]]] = deque()
        exhausted = False
        policy = CrashPolicy()
        buffer: list[FileResult] = []
        last_flush = time.monotonic()
        source_json = source.to_json()
        task_ids = itertools.count(1)

        def flush() -> None:
            nonlocal last_flush
            if buffer:
                self.case.store_results(scan_id, evidence_id, buffer)
                buffer.clear()
            last_flush = time.monotonic()

        def take(w: WorkerHandle, results: list[FileResult]) -> None:
            for res in results:
                row = w.task["rows"].pop(res.file_id, None)
                if row is None:
                    continue
                buffer.append(res)
                self._count(res, row, counters)

        while True:
            if not self.cancelled and not self._pause.is_set():
                for w in pool.idle():
                    task = retry.popleft() if retry else (None if exhausted else next(tasks, None))
                    if task is None:
                        exhausted = True
                        break
                    pool.send(
                        w,
                        {"rows": {r["id"]: r for r in task}},
                        TaskRequest(next(task_ids), source_json, task),
                    )
            # write after handing out the next tasks, not before: a worker that finished its task
            # then waits for a message, not for SQLite (issue 18's profile)
            if len(buffer) >= FLUSH_FILES or time.monotonic() - last_flush >= FLUSH_SECONDS:
                flush()
            if not pool.busy() and (self.cancelled or (exhausted and not retry)):
                break
            messages, dead = pool.poll(0.2)
            for w, msg in messages:
                if isinstance(msg, Results) and w.task is not None:
                    take(w, msg.results)
                    for name, secs in msg.analyzer_seconds.items():
                        self._worker_seconds[f"{name}@{w.process.pid}"] = secs
                    if msg.done:
                        w.task = None
                elif isinstance(msg, SetupError):
                    self.case.add_error(f"plugin:{msg.analyzer}", msg.message, scan_id=scan_id)
            for w in pool.busy():
                if w in dead:
                    continue
                if w.current:
                    stuck, limit = w.current_seconds(), self.options.file_timeout
                else:  # starting up (imports, analyzer setup) or between files: a generous bound
                    stuck, limit = (
                        time.monotonic() - w.last_seen,
                        max(STARTUP_TIMEOUT, self.options.file_timeout),
                    )
                if stuck > limit:
                    dead.append(w)
            for w in dead:
                if w.task is None:
                    pool.replace(w)
                    continue
                culprit = w.current
                activity = pool.activity(w)
                hung = w.process.is_alive()
                reason = (
                    pool.exit_reason(w)
                    if not hung
                    else (
                        f"still reading after {self.options.file_timeout:g} s (file timeout); worker stopped"
                        if culprit
                        else "worker process stopped responding"
                    )
                )
                pool.replace(w)  # kills a stuck worker first; the slot of the old one stays readable
                self._requeue(
                    w,
                    culprit,
                    reason,
                    policy,
                    retry,
                    buffer,
                    counters,
                    activity=activity,
                    hung=hung and culprit is not None,
                )
            self.status.current_files = [
                str(w.task["rows"][cur]["path"])
                for w in pool.busy()  # read the slot once:
                if (cur := w.current) is not None and cur in w.task["rows"]
            ]  # it changes under us
            self.status.analyzer_seconds = _sum_seconds(self._worker_seconds)
            self.status.content_seconds = time.monotonic() - self._content_t0
            if self._integrity is not None:
                self._integrity.tick(self.status)
            self._emit()
        flush()

    def _set_totals(self, evidence_id: int) -> None:
        done = self.case.content_done(evidence_id)
        if self.options.select is None:
            todo = self.case.content_pending(evidence_id)
        else:
            selected = [r["size"] for r in pending_rows(self.case, evidence_id) if self.options.select(r)]
            todo = (len(selected), sum(selected))
        self.status.files_total = done[0] + todo[0]
        self.status.files_done = self.status.files_resumed = done[0]
        self.status.bytes_total = done[1] + todo[1]
        self.status.bytes_done = self.status.bytes_resumed = done[1]
        self._content_t0 = time.monotonic()
        self.status.content_seconds = 0.0

    def _requeue(
        self,
        w: WorkerHandle,
        culprit: int | None,
        reason: str,
        policy: CrashPolicy,
        retry: deque[list[dict[str, Any]]],
        buffer: list[FileResult],
        counters: dict[str, int],
        activity: tuple[str, str] | None = None,
        hung: bool = False,
    ) -> None:
        """A worker died: carry out :meth:`CrashPolicy.after_death` on its unfinished files."""
        rows = list(w.task["rows"].values())
        w.task = None
        decision = policy.after_death(rows, culprit, reason, activity, hung)
        retry.extendleft(reversed(decision.retry))
        if decision.failed is not None:
            buffer.append(decision.failed)
            self._count(
                decision.failed, next(r for r in rows if r["id"] == decision.failed.file_id), counters
            )

    def _count(self, res: FileResult, row: dict[str, Any], counters: dict[str, int]) -> None:
        counters["files"] += 1
        counters["bytes"] += row["size"]
        counters["findings"] += len(res.findings)
        warnings = sum(1 for p in res.errors if p.severity is Severity.WARNING)
        counters["errors"] += len(res.errors) - warnings
        if res.status == "failed":
            counters["failed"] += 1
        self.status.files_done += 1
        self.status.bytes_done += row["size"]
        self.status.findings += len(res.findings)
        self.status.errors += len(res.errors) - warnings + (1 if res.status == "failed" else 0)
        self.status.warnings += warnings

    def _emit(self, force: bool = False) -> None:
        now = time.monotonic()
        self.status.elapsed = now - self._t0
        if (self.on_status is None and self.on_progress is None) or (
            not force and now - self._last_emit < 0.1
        ):
            return
        self._last_emit = now
        if self.on_status is not None:
            self.on_status(self.status)
        if self.on_progress is not None:
            self.on_progress(self.status.progress())


def _sum_seconds(raw: dict[str, float]) -> dict[str, float]:
    """Per-analyzer seconds summed over worker processes (keys ``name@pid``)."""
    totals: dict[str, float] = {}
    for key, secs in raw.items():
        name = key.split("@", 1)[0]
        totals[name] = totals.get(name, 0.0) + secs
    return totals


def _library_versions() -> dict[str, str]:
    out: dict[str, str] = {}
    try:
        import pytsk3

        out["tsk"] = pytsk3.TSK_VERSION_STR
    except ImportError:
        pass
    try:
        import pyewf

        out["libewf"] = pyewf.get_version()
    except ImportError:
        pass
    out.update(fve.library_versions())
    return out


__all__ = ["EvidenceError", "ScanEngine", "ScanOptions", "ScanSummary"]
