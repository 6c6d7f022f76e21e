"""Functions that run on Dask workers. They read the evidence from its path (shared storage)
and return plain data; nothing here writes to a case. The per-file work is the local
engine's own :meth:`ContentScanner.scan_file`, so both engines give the same results.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar

from triage.case.store import FileResult
from triage.evidence.image import EvidenceSource, open_image
from triage.sandbox import Policy, confine, evidence_policy
from triage.scan.scheduler import scan_rows
from triage.scan.worker import (
    SLOT_SIZE,
    ContentScanner,
    LayoutError,
    WorkerConfig,
    open_layout,
    slot_activity,
    slot_marks,
    walk_rows,
)

MAX_SCANNERS = 4
T = TypeVar("T")
_local = threading.local()  # libtsk objects are never shared between threads


def _utc() -> None:
    if os.environ.get("TZ") != "UTC":
        os.environ["TZ"] = "UTC"
        time.tzset()


def confined(policy: Policy | None, fn: Callable[..., T], *args: Any) -> T:
    """``fn(*args)`` in a fresh thread confined by ``policy`` (:mod:`triage.sandbox`, this thread
    only: the Dask worker keeps its network); None runs it here, unconfined (``--no-sandbox``)."""
    if policy is None:
        return fn(*args)
    box: dict[str, Any] = {}

    def body() -> None:
        try:
            confine(replace(policy, whole_process=False))
            box["value"] = fn(*args)
        except BaseException as exc:  # re-raised in the task's own thread
            box["error"] = exc

    thread = threading.Thread(target=body, name="triage-confined", daemon=True)
    thread.start()
    thread.join()
    if "error" in box:
        raise box["error"]
    value: T = box["value"]
    return value


def _source_policy(source: EvidenceSource, sandbox: bool) -> Policy | None:
    return evidence_policy([source.path, *source.segments], whole_process=False) if sandbox else None


def layout_task(source_json: dict[str, Any], sandbox: bool = True) -> dict[str, Any]:
    """Open the image and read its volume layout; ``{"error": …}`` when it cannot be read."""
    _utc()
    source = EvidenceSource.from_json(source_json)
    return confined(_source_policy(source, sandbox), _layout, source)


def _layout(source: EvidenceSource) -> dict[str, Any]:
    try:
        image, layout = open_layout(source)
    except LayoutError as exc:
        failed: dict[str, Any] = {"error": str(exc), "stage": exc.stage}
        if exc.image is not None:  # not a disk image: it is registered with its size, as a local scan does
            failed.update(size=exc.image.size, metadata=exc.image.metadata)
        return failed
    image.close()
    return {
        "volume_system": layout.volume_system,
        "partitions": [p.to_json() for p in layout.partitions],
        "size": image.size,
        "metadata": image.metadata,
    }


def walk_task(source_json: dict[str, Any], offset: int, fs_type: str, sandbox: bool = True) -> dict[str, Any]:
    """Every inventory entry of one file system, with the walk's errors (as the local engine)."""
    _utc()
    source = EvidenceSource.from_json(source_json)
    return confined(_source_policy(source, sandbox), _walk, source, offset, fs_type)


def _walk(source: EvidenceSource, offset: int, fs_type: str) -> dict[str, Any]:
    image = open_image(source)
    errors: list[str] = []
    try:
        rows = list(walk_rows(image, offset, fs_type, errors))
    finally:
        image.close()
    return {"entries": rows, "errors": errors}


class TraceSlot:
    """A worker slot (:data:`triage.scan.worker.SLOT_SIZE`) whose file and analyzer method are
    published to the scheduler (a Dask ``Variable``) at each change, before the work goes on: when
    this worker dies, the client reads who was running, as the local engine reads its shared slot.
    Used for a suspect file tried alone (one round trip per analyzer call)."""

    def __init__(self, name: str) -> None:
        from distributed import Variable, get_client

        self._var = Variable(name, client=get_client())  # type: ignore[no-untyped-call]
        self._values = [0] * SLOT_SIZE

    def __len__(self) -> int:
        return SLOT_SIZE

    def __getitem__(self, index: int) -> int:
        return self._values[index]

    def __setitem__(self, index: int, value: int) -> None:
        self._values[index] = value
        if index in (0, 3):  # the file (set after its start time) or the method (set after the analyzer)
            v = self._values
            self._var.set([v[0], v[2], v[3]])  # type: ignore[no-untyped-call]


def read_trace(name: str, client: Any, analyzers: list[str]) -> tuple[int, tuple[str, str] | None] | None:
    """What a :class:`TraceSlot` last published: ``(file id, (analyzer, method) or None)``; None when
    the task died before naming a file. The variable is deleted."""
    from distributed import Variable

    var = Variable(name, client=client)  # type: ignore[no-untyped-call]
    try:
        published = var.get(timeout=5)  # type: ignore[no-untyped-call]
    except Exception:
        return None
    finally:
        try:
            var.delete()  # type: ignore[no-untyped-call]
        except Exception:
            pass
    slot = [published[0], 0, published[1], published[2]]
    return (int(slot[0]), slot_activity(slot, analyzers)) if slot[0] else None


def scan_task(
    config: WorkerConfig, source_json: dict[str, Any], rows: list[dict[str, Any]], trace: str | None = None
) -> dict[str, Any]:
    """Scan ``rows`` with this worker's cached scanner; returns results, extra files and timings.

    Extra files analyzers write go to a worker-local folder and travel back as bytes, so
    the case folder need not be reachable from the workers. ``trace``: publish the slot under
    this name (:class:`TraceSlot`).
    """
    _utc()
    scanner, extra_root = _scanner(config)
    source = EvidenceSource.from_json(source_json)
    before = dict(scanner.analyzer_seconds)
    t0 = time.perf_counter()
    slot = TraceSlot(trace) if trace is not None else None
    scanner.slot = slot
    policy = None
    if config.sandbox is not None:  # the client's policy (evidence, plugins) plus this worker's scratch
        extra_root.mkdir(parents=True, exist_ok=True)
        policy = replace(config.sandbox, write=(*config.sandbox.write, str(extra_root)), scratch=None)
    try:
        results: list[FileResult] = confined(
            policy, lambda: list(scan_rows(scanner, source, rows, *slot_marks(slot)))
        )
    finally:
        scanner.slot = None
    extra: dict[str, bytes] = {}
    if extra_root.is_dir():
        for path in sorted(p for p in extra_root.rglob("*") if p.is_file()):
            extra[path.relative_to(extra_root.parent).as_posix()] = path.read_bytes()
        shutil.rmtree(extra_root, ignore_errors=True)
    seconds = {k: v - before.get(k, 0.0) for k, v in scanner.analyzer_seconds.items()}
    return {
        "results": results,
        "extra": extra,
        "setup_errors": list(scanner.setup_errors),
        "versions": dict(scanner.versions),
        "analyzer_seconds": seconds,
        "host": _host(),
        "seconds": round(time.perf_counter() - t0, 3),
    }


def _scanner(config: WorkerConfig) -> tuple[ContentScanner, Path]:
    cache: OrderedDict[str, tuple[ContentScanner, Path]] | None = getattr(_local, "scanners", None)
    if cache is None:
        cache = _local.scanners = OrderedDict()
    key = repr(
        (
            config.plugins,
            config.analyzers,
            sorted(config.options.items(), key=lambda kv: kv[0]),
            config.chunk_size,
        )
    )
    if key in cache:
        cache.move_to_end(key)
        return cache[key]
    tmp = Path(tempfile.mkdtemp(prefix="triage-batch-"))
    local = WorkerConfig(
        plugins=config.plugins,
        analyzers=config.analyzers,
        options=config.options,
        extra_dir=str(tmp / "extra"),
        chunk_size=config.chunk_size,
        sandbox=config.sandbox,
        containers=config.containers,
    )
    cache[key] = (ContentScanner(local), tmp / "extra")
    while len(cache) > MAX_SCANNERS:
        _, (old, old_extra) = cache.popitem(last=False)
        shutil.rmtree(old_extra.parent, ignore_errors=True)
        del old
    return cache[key]


def _host() -> str:
    try:
        from distributed import get_worker

        return str(get_worker().address)
    except (ImportError, ValueError):
        return f"pid {os.getpid()}"
