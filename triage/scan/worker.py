"""Worker processes: each opens the evidence itself and runs every analyzer over each
file's content in one pass of chunked reads. Nothing here writes to the case.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from triage.case.records import FileProblem, Severity
from triage.case.store import FileResult
from triage.containers.expand import HEAD, Budget, Expander, Limits
from triage.evidence.content import ContentError, EvidenceCache
from triage.evidence.image import EvidenceSource, ImageInfo, open_image
from triage.evidence.register import NOT_A_DISK_IMAGE
from triage.evidence.volumes import VolumeLayout, open_filesystem, read_layout, unallocated_bytes
from triage.evidence.walk import walk_filesystem
from triage.plugin import Analyzer, FileInfo
from triage.sandbox import Policy, confine
from triage.scan.context import FileContext, KeyOwners
from triage.scan.messages import (
    Entries,
    InventoryDone,
    InventoryFailed,
    InventoryRequest,
    Layout,
    PartitionDone,
    Results,
    SetupError,
    Stop,
    TaskRequest,
    ToWorker,
)
from triage.scan.registry import PluginConfig, Registry

CHUNK_SIZE = 1 << 20
INVENTORY_BATCH = 2000


@dataclass
class WorkerConfig:
    """Everything a worker needs to rebuild the parent's analyzers; picklable."""

    plugins: PluginConfig
    analyzers: list[str]
    options: dict[str, dict[str, Any]] = field(default_factory=dict)
    extra_dir: str | None = None
    chunk_size: int = CHUNK_SIZE
    unlocks: dict[str, dict[int, Any]] = field(default_factory=dict)
    """Encrypted volumes unlocked in the parent (:func:`triage.evidence.fve.state`); secrets travel
    only inside the spawn pickle."""
    sandbox: Policy | None = None
    """What the worker may still do once confined (:mod:`triage.sandbox`); None: ``--no-sandbox``."""
    containers: Limits = field(default_factory=Limits)
    """Container expansion and its limits (:mod:`triage.containers`)."""


METHODS = ("start", "update", "finish")
"""Analyzer methods, numbered from 1 in the worker's slot (0: the engine itself is reading)."""
SLOT_SIZE = 4
"""The shared slot: file id, ``monotonic_ns`` its reading started, analyzer number (1-based, in
``WorkerConfig.analyzers``; 0: none) and method number (:data:`METHODS`, 1-based) running now."""
SKIP_KEY = "skip_analyzers"
"""Key of a task row naming analyzers not to run on it (``{name: recorded error}``): set by the
parent when that analyzer hung or crashed its worker on this file (see ``ScanEngine._requeue``)."""


def slot_activity(slot: Any, analyzers: list[str]) -> tuple[str, str] | None:
    """``(analyzer, method)`` a slot says runs now (or ran when its worker died); None: no file, or
    the engine's own reading. ``analyzers`` is the worker's ``WorkerConfig.analyzers``."""
    if slot is None or not slot[0]:
        return None
    number, method = int(slot[2]), int(slot[3])
    if not 0 < number <= len(analyzers) or not 0 < method <= len(METHODS):
        return None
    return analyzers[number - 1], METHODS[method - 1]


def slot_marks(slot: Any) -> tuple[Callable[[dict[str, Any]], None], Callable[[dict[str, Any]], None]]:
    """The ``before``/``after`` callbacks of :func:`triage.scan.scheduler.scan_rows` that name the
    file being read in ``slot`` (and when its reading started)."""

    def reading(row: dict[str, Any]) -> None:
        if slot is not None:
            slot[1] = time.monotonic_ns()
            slot[0] = row["id"]

    def read(row: dict[str, Any]) -> None:
        if slot is not None:
            slot[0] = 0

    return reading, read


RESULT_BATCH = 32
RESULT_SECONDS = 0.5
_PR_SET_PDEATHSIG = 1


def init_process(parent_pid: int | None = None) -> None:
    """Common start-up for every child: UTC times, Ctrl-C handled by the parent only, and
    death with the parent (a SIGKILLed scan leaves no worker behind)."""
    os.environ["TZ"] = "UTC"
    time.tzset()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if parent_pid is not None:
        die_with_parent(parent_pid)


def die_with_parent(parent_pid: int) -> None:
    """Exit when ``parent_pid`` dies: ``PR_SET_PDEATHSIG`` on Linux, a watchdog thread elsewhere."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent_pid:  # the parent died before prctl took effect
        os._exit(1)

    def watch() -> None:
        while True:
            time.sleep(1.0)
            if os.getppid() != parent_pid:
                os._exit(1)

    threading.Thread(target=watch, name="parent-watchdog", daemon=True).start()


class ContentScanner:
    """Holds the open evidence and analyzers of one process."""

    def __init__(self, config: WorkerConfig) -> None:
        self.config = config
        registry = Registry(config.plugins)
        self.analyzers: list[Analyzer] = []
        self.versions: dict[str, str] = {}
        self.setup_errors: list[tuple[str, str]] = []
        self.owners = KeyOwners(registry.analyzer_classes())
        for cls in registry.scan_classes(config.analyzers):
            try:
                inst = cls(config.options.get(cls.name, {}))
                inst.setup()
            except Exception as exc:
                self.setup_errors.append((cls.name, f"setup failed: {_one_line(exc)}"))
                continue
            self.analyzers.append(inst)
            self.versions[cls.name] = cls.version
        self.cache = EvidenceCache()  # the one reader's bounded LRU of images and file systems
        self.analyzer_seconds: dict[str, float] = {a.name: 0.0 for a in self.analyzers}
        self.slot: Any = None  # the pool's shared slot: which analyzer method runs now (set by _serve)
        self._numbers = {name: i + 1 for i, name in enumerate(config.analyzers)}
        self.expander = Expander(config.containers)

    def scan_file(
        self,
        source: EvidenceSource,
        row: dict[str, Any],
        member: Any = None,
        depth: int = 0,
        budget: Budget | None = None,
    ) -> FileResult:
        """Run every analyzer over one file's content, then open it if it is a container.

        ``member`` is the content of a container member (:mod:`triage.containers`, at ``depth``
        inside the file-system container whose ``budget`` it shares); None: the file's own."""
        result = FileResult(file_id=row["id"])
        info = FileInfo(
            file_id=row["id"],
            path=row["path"],
            name=row["name"],
            size=row["size"],
            deleted=bool(row["deleted"]),
            partition=row["partition"],
            inode=row["inode"],
            stream=row["stream"],
            mtime=row.get("mtime"),
        )
        extra = Path(self.config.extra_dir) if self.config.extra_dir else None
        for a in self.analyzers:  # per-file time; an analyzer that raised earlier must not carry it over
            a._triage_file_seconds = 0.0  # type: ignore[attr-defined]
        skip: dict[str, str] = row.get(SKIP_KEY) or {}
        for name, message in skip.items():  # it hung or crashed a worker on this file: the others still run
            result.errors.append(FileProblem(name, message))
        candidates = [a for a in self.analyzers if a.filters.accepts_metadata(info) and a.name not in skip]
        early = [a for a in candidates if a.phase == 0]
        late = [a for a in candidates if a.phase != 0]
        active: list[Analyzer] = []
        contexts: dict[str, FileContext] = {}
        claimed: dict[str, str] = {}  # result key -> the analyzer that wrote it first on this file

        opened: list[Any] = [] if member is None else [member]  # opened once phase-0 analyzers have started
        head = b""  # the first bytes, to recognise a container

        def content() -> Any:
            if not opened and row.get("origin") == "carved":  # its extent, through the same reader
                opened.append(
                    self.cache.open_extent(
                        source, row["partition_offset"], _extent(row["extent"]), row["path"]
                    )
                )
            if not opened:
                opened.append(
                    self.cache.open_file(
                        source,
                        row["partition_offset"],
                        row["inode"],
                        row["attr_type"],
                        row["attr_id"],
                        row["size"],
                        layer=row.get("partition_layer") or "",
                    )
                )
            return opened[0]

        def read(offset: int, n: int) -> bytes:
            """Chunks and ctx.read_at both go through the one content reader (opened on first use)."""
            data: bytes = content().read(offset, n)
            return data

        def slack(limit: int) -> bytes:
            """The bytes after the content's end (API 2.2), read once, after the content."""
            data: bytes = content().slack(limit)
            return data

        def begin(a: Analyzer) -> bool:
            ctx = FileContext(
                info, result, a.name, a.version, a.config, extra, self.owners, claimed, read, slack
            )
            contexts[a.name] = ctx
            return self._call(a, result, "start", ctx)

        active = [a for a in early if begin(a)]  # phase 0 starts before the engine opens the file
        try:
            content()
        except ContentError as exc:
            result.status = "failed"
            what = f"inode {row['inode']}" if row.get("inode") is not None else "carved extent"
            result.error = f"cannot open file ({what}): {exc.detail}"
            return result
        size = row["size"]
        feeding = {a.name for a in candidates if a.needs_content}  # still want chunks (Analyzer.wants_more)

        def feed(a: Analyzer, chunk: bytes) -> bool:
            """Give ``a`` the chunk if it still wants chunks; False when it raised (it is then dropped)."""
            if not a.needs_content or a.name not in feeding:
                return True
            if not self._call(a, result, "update", chunk):
                return False
            try:
                more = a.wants_more()
            except Exception as exc:
                result.errors.append(
                    FileProblem(a.name, f"wants_more raised {type(exc).__name__}: {_one_line(exc)}")
                )
                return False
            if not more:
                feeding.discard(a.name)
            return True

        offset = 0
        first = True
        read_error: str | None = None
        while first or offset < size:
            if not first and not any(a.name in feeding for a in active):
                break  # no analyzer wants more of this file (hashes always does): stop reading it
            want = min(self.config.chunk_size, size - offset)
            chunk = b""
            if want > 0:
                try:
                    chunk = read(offset, want)
                except ContentError as exc:
                    read_error = f"read error at offset {offset}: {exc.detail}"
                    break
                if not chunk:  # sparse or uninitialised tail: libtsk (and icat) stop here
                    result.attributes["content_bytes"] = offset
                    result.errors.append(
                        FileProblem(
                            "engine",
                            f"content ends after {offset} of {size} bytes "
                            f"(sparse or uninitialised data; icat gives the same)",
                            Severity.WARNING,
                        )
                    )
                    size = offset
            active = [a for a in active if feed(a, chunk)]
            if first:
                first = False
                head = chunk[:HEAD]
                late_now = [a for a in late if a.filters.accepts_type(info) and begin(a)]
                active += [a for a in late_now if feed(a, chunk)]
            offset += len(chunk)
        if read_error is not None:
            result.status = "failed"
            result.error = read_error
            for key in ("md5", "sha1", "sha256"):
                result.columns.pop(key, None)
            return result
        for a in active:
            self._call(a, result, "finish")
        for a in active:
            spent = getattr(a, "_triage_file_seconds", 0.0)
            if spent > a.time_budget:
                result.errors.append(
                    FileProblem(
                        a.name,
                        f"over its time budget ({spent:.1f} s > {a.time_budget:g} s)",
                        Severity.WARNING,
                    )
                )
            a._triage_file_seconds = 0.0  # type: ignore[attr-defined]
        self.expander.expand(
            row,
            head,
            content(),
            result,
            depth,
            budget,
            lambda r, c, b: self.scan_file(source, r, c, depth + 1, b),
        )
        return result

    def _call(self, a: Analyzer, result: FileResult, method: str, *args: Any) -> bool:
        t0 = time.perf_counter()
        slot = self.slot
        if slot is not None:
            slot[2], slot[3] = self._numbers.get(a.name, 0), METHODS.index(method) + 1
        try:
            getattr(a, method)(*args)
            ok = True
        except Exception as exc:
            result.errors.append(
                FileProblem(a.name, f"{method} raised {type(exc).__name__}: {_one_line(exc)}")
            )
            ok = False
        finally:
            if slot is not None:
                slot[2] = slot[3] = 0
        dt = time.perf_counter() - t0
        self.analyzer_seconds[a.name] = self.analyzer_seconds.get(a.name, 0.0) + dt
        a._triage_file_seconds = getattr(a, "_triage_file_seconds", 0.0) + dt  # type: ignore[attr-defined]
        return ok


def worker_main(conn: Any, config: WorkerConfig, slot: Any = None, parent_pid: int | None = None) -> None:
    """Serve tasks over ``conn`` until told to stop or the parent goes away.

    ``slot`` (shared ``int64[2]``) holds the id of the file being read and when its reading
    started (``time.monotonic_ns``): the parent reads it to blame the right file when this
    process dies and to stop a file that takes too long, so results can travel in batches.
    """
    init_process(parent_pid)
    code = 0
    profile = _profiler()
    try:
        _serve(conn, config, slot)
    except (EOFError, BrokenPipeError, ConnectionResetError):
        pass  # the parent is gone or closed the pipe: nothing to report to anyone
    except BaseException:  # an engine bug: the parent records "exited with code 70" for the task's file
        code = 70
    if profile is not None:
        profile.disable()
        profile.dump_stats(os.path.join(os.environ[PROFILE_ENV], f"worker-{os.getpid()}.prof"))
    os._exit(code)  # skip interpreter teardown (libtsk/libmagic destructors): the parent has what it needs


PROFILE_ENV = "TRIAGE_PROFILE_DIR"
"""When set (benchmarks only: ``bench/scan_profile.py``), each worker runs under cProfile and
writes ``worker-PID.prof`` into that folder when told to stop."""


def _profiler() -> Any:
    if not os.environ.get(PROFILE_ENV):
        return None
    import cProfile

    profile = cProfile.Profile()
    profile.enable()
    return profile


def _serve(conn: Any, config: WorkerConfig, slot: Any) -> None:
    from triage.evidence import fve

    fve.install(config.unlocks)
    scanner: ContentScanner | None = None
    confined = config.sandbox is None
    told = False  # setup errors go with the first task's answer
    while True:
        msg: ToWorker = conn.recv()
        if isinstance(msg, Stop):
            return
        if not confined:
            # plugins load (and libraries find themselves) before the worker is confined, and it is
            # confined before it reads the first evidence byte: on its first request, so that a worker
            # that never gets one (a small image) does no more work than an unconfined one
            scanner = ContentScanner(config)
            confine(config.sandbox)
            confined = True
        if isinstance(msg, InventoryRequest):
            run_inventory(conn, EvidenceSource.from_json(msg.source), msg.start_index, msg.only, msg.carve)
        elif isinstance(msg, TaskRequest):
            if scanner is None:
                scanner = ContentScanner(config)
            if not told:
                told = True
                scanner.slot = slot if slot is not None and len(slot) >= SLOT_SIZE else None
                for name, err in scanner.setup_errors:
                    conn.send(SetupError(name, err))
            run_task(conn, scanner, msg.task_id, EvidenceSource.from_json(msg.source), msg.rows, slot)


def run_task(
    conn: Any,
    scanner: ContentScanner,
    task_id: int,
    source: EvidenceSource,
    rows: list[dict[str, Any]],
    slot: Any = None,
) -> None:
    """Scan ``rows``; send results in small batches, the last one marked ``done``."""
    from triage.scan.scheduler import scan_rows

    reading, read = slot_marks(slot)  # the shared slot names the file being read
    batch: list[FileResult] = []
    last = time.monotonic()
    for res in scan_rows(scanner, source, rows, reading, read):
        batch.append(res)
        if len(batch) >= RESULT_BATCH or time.monotonic() - last >= RESULT_SECONDS:
            conn.send(Results(task_id, batch, dict(scanner.analyzer_seconds)))
            batch, last = [], time.monotonic()
    conn.send(Results(task_id, batch, dict(scanner.analyzer_seconds), done=True))


# -- inventory: the one owner of reading a layout and walking a file system, for both back ends ------
class LayoutError(Exception):
    """The image cannot be inventoried; ``str()`` is the one-line reason, naming the image.

    ``stage`` is ``open`` or ``layout``; ``image`` (not a disk image only) is the open image, for
    its size and metadata, closed already."""

    def __init__(self, reason: str, stage: str, image: ImageInfo | None = None) -> None:
        super().__init__(reason)
        self.stage = stage
        self.image = image


def open_layout(source: EvidenceSource) -> tuple[ImageInfo, VolumeLayout]:
    """Open ``source`` and read its volume layout with each file system's unallocated bytes (the
    caller closes the image); :class:`LayoutError`
    when it cannot be opened or read, or holds no partition table or file system we recognise."""
    try:
        image = open_image(source)
    except Exception as exc:
        text = str(exc)
        raise LayoutError(
            text if text.startswith(str(source.path)) else f"{source.path}: {_one_line(exc)}", "open"
        ) from exc
    try:
        layout = read_layout(image)
    except Exception as exc:
        image.close()
        raise LayoutError(f"{source.path}: {_one_line(exc)}", "layout") from exc
    if layout.volume_system == "none" and not any(p.fs_type or p.encryption for p in layout.partitions):
        image.close()
        raise LayoutError(f"{source.path}: {NOT_A_DISK_IMAGE}", "layout", image)
    for part in layout.partitions:  # the completeness ledger's "unallocated space not scanned"
        if part.layer and part.fs_type is not None:
            part.unallocated_error = (
                "not counted for an APFS volume (blkls cannot read APFS)"
                if part.layer.startswith("apfs")
                else "not counted for a shadow copy (blkls reads the live volume)"
            )
        elif part.fs_type is not None and part.block_size:
            try:
                part.unallocated = unallocated_bytes(source, part.offset, part.block_size)
            except (RuntimeError, OSError) as exc:
                part.unallocated_error = _one_line(exc)
    return image, layout


def walk_rows(
    image: ImageInfo, offset: int, fs_type: str, errors: list[str], layer: str = ""
) -> Iterator[dict[str, Any]]:
    """Inventory rows of the file system at ``offset`` (of volume layer ``layer``: a shadow copy);
    problems met (a walk that stops early included) are appended to ``errors``."""
    try:
        fs = open_filesystem(image, offset, layer)
        if layer.startswith("apfs"):  # libfsapfs: no libtsk FS_Info
            from triage.evidence import apfs

            for entry in apfs.walk(fs, on_error=errors.append):
                yield entry.to_row()
            return
        for entry in walk_filesystem(fs, is_ntfs=fs_type.startswith("ntfs"), on_error=errors.append):
            yield entry.to_row()
    except Exception as exc:
        errors.append(f"file system walk stopped: {_one_line(exc)}")


def run_inventory(
    conn: Any, source: EvidenceSource, start_index: int, only: tuple[int, ...] = (), carve: bool = False
) -> None:
    """Send the layout, then every entry of each partition from ``start_index`` on (of ``only``, if
    given); with ``carve``, each partition's carved files after its walk."""
    try:
        image, layout = open_layout(source)
    except LayoutError as exc:
        conn.send(InventoryFailed(str(exc)))
        return
    conn.send(
        Layout(layout.volume_system, [p.to_json() for p in layout.partitions], image.size, image.metadata)
    )
    for part in layout.partitions:
        if part.index < start_index or part.fs_type is None or (only and part.index not in only):
            continue
        errors: list[str] = []
        batch: list[dict[str, Any]] = []
        for row in walk_rows(image, part.offset, part.fs_type, errors, part.layer):
            batch.append(row)
            if len(batch) >= INVENTORY_BATCH:
                conn.send(Entries(part.index, batch))
                batch = []
        if batch:
            conn.send(Entries(part.index, batch))
        stats = carve_rows(conn, source, image, part) if carve else None
        conn.send(PartitionDone(part.index, errors, stats))
    conn.send(InventoryDone())


def carve_rows(conn: Any, source: EvidenceSource, image: ImageInfo, part: Any) -> dict[str, Any]:
    """Carve one partition's unallocated space (:mod:`triage.carve`) and send the carved rows;
    returns what it did, with ``error`` set when its unallocated blocks could not be listed."""
    from triage.carve.carver import CarveStats, carve_partition
    from triage.evidence.unallocated import unallocated_runs

    if part.encryption is not None:
        return CarveStats(part.index, error="encrypted volume: its unallocated space is not carved").to_json()
    if part.layer:  # blkls lists the live volume's blocks and cannot read APFS
        what = "an APFS volume" if part.layer.startswith("apfs") else "a shadow copy"
        return CarveStats(part.index, error=f"{what}: its unallocated space is not carved").to_json()
    try:
        runs = unallocated_runs(source, part.offset)
        block_size = int(part.block_size or 0)
        if block_size <= 0:
            raise RuntimeError("block size unknown")
    except (RuntimeError, OSError) as exc:
        return CarveStats(part.index, error=_one_line(exc)).to_json()
    base = part.offset
    try:
        rows, stats = carve_partition(lambda o, n: image.read(base + o, n), runs, block_size, part.index)
    except OSError as exc:
        return CarveStats(part.index, error=f"read error: {_one_line(exc)}").to_json()
    except Exception as exc:  # a carver bug must not cost the partition's inventory
        return CarveStats(
            part.index, error=f"carver failed: {type(exc).__name__}: {_one_line(exc)}"
        ).to_json()
    for i in range(0, len(rows), INVENTORY_BATCH):
        conn.send(Entries(part.index, rows[i : i + INVENTORY_BATCH]))
    return stats.to_json()


def _extent(value: Any) -> list[tuple[int, int]]:
    runs = json.loads(value) if isinstance(value, str) else value
    return [(int(o), int(n)) for o, n in runs or ()]


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[-1].strip() if text else type(exc).__name__
