"""The scan engine: inventory each image, then one content pass over every file, in
worker processes, with the parent as the single writer to the case.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import triage
from triage.case.store import Case, FileResult
from triage.errors import EvidenceError, UsageError
from triage.evidence.image import EvidenceSource, resolve_source
from triage.scan.pool import WorkerHandle, WorkerPool
from triage.scan.registry import PluginConfig, Registry
from triage.scan.status import ScanStatus
from triage.scan.worker import WorkerConfig

FLUSH_FILES = 500
FLUSH_SECONDS = 1.0


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

    @property
    def exit_code(self) -> int:
        if self.status != "completed":
            return 1
        return 1 if (self.failed_files or self.errors or self.evidence_errors) else 0


class ScanEngine:
    """Runs one scan; ``cancel()``/``pause()`` may be called from another thread."""

    def __init__(self, case: Case, evidence: list[str | Path], options: ScanOptions | None = None,
                 on_status: Callable[[ScanStatus], None] | None = None) -> None:
        self.case = case
        self.options = options or ScanOptions()
        self.sources = [resolve_source(p) for p in evidence]
        self.on_status = on_status
        self.status = ScanStatus()
        self._cancel = threading.Event()
        self._pause = threading.Event()
        self._last_emit = 0.0
        self._t0 = time.monotonic()
        self._worker_seconds: dict[str, float] = {}

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
        try:
            analyzers = [c.name for c in registry.analyzer_classes(self.options.analyzers)]
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
        }
        versions = {"triage": triage.__version__, "python": sys.version.split()[0], "plugins": registry.versions(),
                    "analyzers": {c.name: c.version for c in registry.analyzer_classes(analyzers)},
                    **_library_versions()}
        evidence_ids = [self._register(s) for s in self.sources]
        scan_id = self.case.start_scan(settings, versions)
        for rec in registry.records:
            if rec.status == "failed":
                self.case.add_error(f"plugin:{rec.name}", f"plugin failed to load: {rec.error}", scan_id=scan_id)
        config = WorkerConfig(plugins=self.options.plugins, analyzers=analyzers, options=self.options.options,
                              extra_dir=str(self.case.path / "extra"))
        pool = WorkerPool(self.options.workers, config)
        evidence_errors: list[str] = []
        counters = {"files": 0, "bytes": 0, "failed": 0, "errors": 0, "findings": 0}
        try:
            for source, evidence_id in zip(self.sources, evidence_ids, strict=True):
                if self.cancelled:
                    break
                self.status.evidence = str(source.path)
                if not self.case.evidence(evidence_id)[0]["inventory_done"]:
                    err = self._inventory(pool, source, evidence_id, scan_id)
                    if err:
                        evidence_errors.append(err)
                        continue
                self._content(pool, source, evidence_id, scan_id, counters)
        finally:
            pool.close()
        status = "cancelled" if self.cancelled else "completed"
        errors = self.case.count_files("f.status='failed'")
        err_rows = len(self.case.errors("er.scan_id=? AND er.message NOT LIKE 'warning:%'", (scan_id,)))
        part_errors = [p for p in self.case.partitions() if p["error"] and p["fs_type"]]
        summary = ScanSummary(scan_id, status, counters["files"], counters["bytes"], errors, err_rows + len(part_errors),
                              counters["findings"], evidence_errors, time.monotonic() - self._t0)
        stats = {k: v for k, v in asdict(summary).items() if k not in ("scan_id", "status")}
        stats["analyzer_seconds"] = self.status.analyzer_seconds
        self.case.finish_scan(scan_id, status, stats)
        if status == "completed":
            try:
                registry.hook.triage_scan_finished(case=self.case, scan_id=scan_id)
            except Exception as exc:
                self.case.add_error("plugin", f"scan_finished hook raised {type(exc).__name__}: {exc}", scan_id=scan_id)
        self.status.phase = status if status != "completed" else "finished"
        self._emit(force=True)
        return summary

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
            elif not self.options.resume and existing[0]["inventory_done"]:
                raise UsageError(
                    f"{source.path}: already in this case; use --resume to finish an interrupted scan "
                    f"or --rescan to scan it again"
                )
            return evidence_id
        from triage.evidence.image import open_image

        image = open_image(source)  # fail early, with a clear message, before any work
        size, metadata = image.size, image.metadata
        image.close()
        return self.case.add_evidence(path, source.format, [str(p.resolve()) for p in source.segments], size, metadata)

    # -- inventory -------------------------------------------------------------------------
    def _inventory(self, pool: WorkerPool, source: EvidenceSource, evidence_id: int, scan_id: int) -> str | None:
        """Walk every partition in a worker; a crash costs one partition. Returns an evidence error."""
        self.status.phase = "inventory"
        self._emit(force=True)
        conn = self.case.conn
        start_index = 0
        part_ids: dict[int, int] = {}
        layout_done = False
        while True:
            worker = pool.workers[0]
            pool.send(worker, "inventory", ("inventory", source.to_json(), start_index))
            current: int | None = None
            finished = False
            while not finished:
                messages, dead = pool.poll(0.2)
                for _, msg in messages:
                    kind = msg[0]
                    if kind == "inventory_failed":
                        self.case.abort_inventory()
                        worker.task = None
                        self.case.add_error("inventory", f"{source.path}: {msg[1]}", scan_id=scan_id, evidence_id=evidence_id)
                        return f"{source.path}: {msg[1]}"
                    if kind == "layout" and not layout_done:
                        part_ids = self.case.begin_inventory(evidence_id, msg[1], msg[2])
                        layout_done = True
                    elif kind == "entries":
                        current = msg[1]
                        self.case.insert_entries(evidence_id, part_ids[current], msg[2])
                        self.status.files_total += len(msg[2])
                        self._emit()
                    elif kind == "partition_done":
                        for text in msg[2]:
                            self.case.add_error("inventory", text, scan_id=scan_id, evidence_id=evidence_id,
                                                partition_id=part_ids[msg[1]], commit=False)
                        current = None
                    elif kind == "inventory_done":
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
                    crashed = _next_fs_index(conn, evidence_id, start_index) if current is None else crashed
                    self.case.drop_partition_entries(
                        part_ids[crashed], f"file system walk crashed ({reason}); entries of this partition are missing")
                    start_index = crashed + 1
                    break
            else:
                pool.workers[0].task = None
                break
        self.case.finish_inventory(evidence_id)
        self.case.audit("evidence.inventoried", {"evidence_id": evidence_id, "files": self.case.count_files(
            "f.evidence_id=?", (evidence_id,))})
        return None

    # -- content pass ----------------------------------------------------------------------
    def _content(self, pool: WorkerPool, source: EvidenceSource, evidence_id: int, scan_id: int,
                 counters: dict[str, int]) -> None:
        self.status.phase = "content"
        done = self.case.conn.execute(
            "SELECT COUNT(*), COALESCE(SUM(size),0) FROM files WHERE evidence_id=? AND type='r' AND status!='pending'",
            (evidence_id,)).fetchone()
        pending = self.case.pending_files(evidence_id)
        if self.options.select is not None:
            pending = [r for r in pending if self.options.select(r)]
        if self.options.priority is not None:
            pending.sort(key=self.options.priority)
        self.status.files_total = done[0] + len(pending)
        self.status.files_done = done[0]
        self.status.bytes_total = done[1] + sum(r["size"] for r in pending)
        self.status.bytes_done = done[1]
        queue: deque[list[dict[str, Any]]] = deque(_batches(pending, self.options.task_files, self.options.task_bytes))
        del pending
        attempts: dict[int, int] = {}
        buffer: list[FileResult] = []
        last_flush = time.monotonic()
        source_json = source.to_json()
        current: dict[int, str] = {}

        def flush() -> None:
            nonlocal last_flush
            if buffer:
                self.case.store_results(scan_id, evidence_id, buffer)
                buffer.clear()
            last_flush = time.monotonic()

        while queue or pool.busy():
            if not self.cancelled and not self._pause.is_set():
                for w in pool.idle():
                    if not queue:
                        break
                    task = queue.popleft()
                    pool.send(w, {"rows": task, "done": set()}, ("task", id(task), source_json, task))
            messages, dead = pool.poll(0.2)
            for w, msg in messages:
                kind = msg[0]
                if kind == "begin":
                    w.current = msg[2]
                    row = next((r for r in w.task["rows"] if r["id"] == msg[2]), None)
                    current[id(w)] = row["path"] if row else "?"
                elif kind == "result":
                    res: FileResult = msg[2]
                    w.task["done"].add(res.file_id)
                    w.current = None
                    buffer.append(res)
                    row = next(r for r in w.task["rows"] if r["id"] == res.file_id)
                    self._count(res, row, counters)
                    for name, secs in msg[3].items():
                        self._worker_seconds[f"{name}@{w.process.pid}"] = secs
                elif kind == "task_done":
                    w.task = None
                    current.pop(id(w), None)
                elif kind == "setup_error":
                    self.case.add_error(f"plugin:{msg[1]}", msg[2], scan_id=scan_id)
            now = time.monotonic()
            for w in pool.busy():
                if w not in dead and now - w.last_seen > self.options.file_timeout:
                    dead.append(w)
            for w in dead:
                reason = pool.exit_reason(w) if not w.process.is_alive() else (
                    f"no progress for {self.options.file_timeout:.0f} s; worker stopped")
                self._requeue(w, reason, attempts, queue, buffer, counters)
                current.pop(id(w), None)
                pool.replace(w)
            self.status.current_files = list(current.values())
            self.status.analyzer_seconds = _sum_seconds(self._worker_seconds)
            if len(buffer) >= FLUSH_FILES or now - last_flush >= FLUSH_SECONDS:
                flush()
            self._emit()
        flush()

    def _requeue(self, w: WorkerHandle, reason: str, attempts: dict[int, int], queue: deque[list[dict[str, Any]]],
                 buffer: list[FileResult], counters: dict[str, int]) -> None:
        """A worker died: retry its unfinished files once; a file that kills two workers is failed."""
        rows = [r for r in w.task["rows"] if r["id"] not in w.task["done"]]
        w.task = None
        if not rows:
            return
        culprit = w.current if w.current is not None else rows[0]["id"]
        attempts[culprit] = attempts.get(culprit, 0) + 1
        if attempts[culprit] >= 2:
            bad = next(r for r in rows if r["id"] == culprit)
            res = FileResult(file_id=culprit, status="failed", error=f"{reason} while reading this file (twice)")
            res.errors.append(("engine", res.error or reason))
            buffer.append(res)
            self._count(res, bad, counters)
            rows = [r for r in rows if r["id"] != culprit]
        elif len(rows) > 1:
            # split: the suspect alone, the rest as another task
            suspect = [r for r in rows if r["id"] == culprit]
            others = [r for r in rows if r["id"] != culprit]
            queue.appendleft(others)
            rows = suspect
        if rows:
            queue.appendleft(rows)

    def _count(self, res: FileResult, row: dict[str, Any], counters: dict[str, int]) -> None:
        counters["files"] += 1
        counters["bytes"] += row["size"]
        counters["findings"] += len(res.findings)
        counters["errors"] += sum(1 for _, m in res.errors if not m.startswith("warning:"))
        if res.status == "failed":
            counters["failed"] += 1
        self.status.files_done += 1
        self.status.bytes_done += row["size"]
        self.status.findings += len(res.findings)
        self.status.errors += len(res.errors) + (1 if res.status == "failed" else 0)

    def _emit(self, force: bool = False) -> None:
        now = time.monotonic()
        self.status.elapsed = now - self._t0
        if self.on_status is None or (not force and now - self._last_emit < 0.1):
            return
        self._last_emit = now
        self.on_status(self.status)


def _next_fs_index(conn: Any, evidence_id: int, start: int) -> int:
    row = conn.execute("SELECT MIN(idx) FROM partitions WHERE evidence_id=? AND idx>=? AND fs_type IS NOT NULL",
                       (evidence_id, start)).fetchone()
    return int(row[0]) if row and row[0] is not None else start


def _batches(rows: list[dict[str, Any]], max_files: int, max_bytes: int) -> list[list[dict[str, Any]]]:
    out: list[list[dict[str, Any]]] = []
    cur: list[dict[str, Any]] = []
    size = 0
    for r in rows:
        if cur and (len(cur) >= max_files or size + r["size"] > max_bytes):
            out.append(cur)
            cur, size = [], 0
        cur.append(r)
        size += r["size"]
    if cur:
        out.append(cur)
    return out


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
    return out


__all__ = ["EvidenceError", "ScanEngine", "ScanOptions", "ScanSummary"]
