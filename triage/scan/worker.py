"""Worker processes: each opens the evidence itself and runs every analyzer over each
file's content in one pass of chunked reads. Nothing here writes to the case.
"""

from __future__ import annotations

import os
import signal
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from triage.case.store import FileResult
from triage.evidence.image import EvidenceSource, ImageInfo, open_image
from triage.evidence.volumes import open_filesystem, read_layout
from triage.evidence.walk import walk_filesystem
from triage.plugin import Analyzer, FileInfo
from triage.scan.context import FileContext
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


def init_process() -> None:
    """Common start-up for every child: UTC times, Ctrl-C handled by the parent only."""
    os.environ["TZ"] = "UTC"
    time.tzset()
    signal.signal(signal.SIGINT, signal.SIG_IGN)


class ContentScanner:
    """Holds the open evidence and analyzers of one process."""

    def __init__(self, config: WorkerConfig) -> None:
        self.config = config
        registry = Registry(config.plugins)
        self.analyzers: list[Analyzer] = []
        self.versions: dict[str, str] = {}
        self.setup_errors: list[tuple[str, str]] = []
        for cls in registry.analyzer_classes(config.analyzers):
            try:
                inst = cls(config.options.get(cls.name, {}))
                inst.setup()
            except Exception as exc:
                self.setup_errors.append((cls.name, f"setup failed: {_one_line(exc)}"))
                continue
            self.analyzers.append(inst)
            self.versions[cls.name] = cls.version
        self._images: dict[str, ImageInfo] = {}
        self._filesystems: dict[tuple[str, int], Any] = {}
        self.analyzer_seconds: dict[str, float] = {a.name: 0.0 for a in self.analyzers}

    def filesystem(self, source: EvidenceSource, offset: int) -> Any:
        key = str(source.path)
        if key not in self._images:
            self._images[key] = open_image(source)
        if (key, offset) not in self._filesystems:
            self._filesystems[(key, offset)] = open_filesystem(self._images[key], offset)
        return self._filesystems[(key, offset)]

    def scan_file(self, source: EvidenceSource, row: dict[str, Any]) -> FileResult:
        result = FileResult(file_id=row["id"])
        info = FileInfo(
            file_id=row["id"], path=row["path"], name=row["name"], size=row["size"], deleted=bool(row["deleted"]),
            partition=row["partition"], inode=row["inode"], stream=row["stream"], mtime=row.get("mtime"),
        )
        extra = Path(self.config.extra_dir) if self.config.extra_dir else None
        for a in self.analyzers:  # per-file time; an analyzer that raised earlier must not carry it over
            a._triage_file_seconds = 0.0  # type: ignore[attr-defined]
        candidates = [a for a in self.analyzers if a.filters.accepts_metadata(info)]
        early = [a for a in candidates if a.phase == 0]
        late = [a for a in candidates if a.phase != 0]
        active: list[Analyzer] = []
        contexts: dict[str, FileContext] = {}

        def begin(a: Analyzer) -> bool:
            ctx = FileContext(info, result, a.name, a.version, a.config, extra)
            contexts[a.name] = ctx
            return self._call(a, result, "start", ctx)

        active = [a for a in early if begin(a)]
        try:
            fs = self.filesystem(source, row["partition_offset"])
            f = fs.open_meta(inode=row["inode"])
        except OSError as exc:
            result.status = "failed"
            result.error = f"cannot open file (inode {row['inode']}): {_one_line(exc)}"
            return result
        size = row["size"]
        offset = 0
        first = True
        read_error: str | None = None
        while first or offset < size:
            want = min(self.config.chunk_size, size - offset)
            chunk = b""
            if want > 0:
                try:
                    if row["attr_type"] is not None:
                        chunk = f.read_random(offset, want, row["attr_type"], row["attr_id"])
                    else:
                        chunk = f.read_random(offset, want)
                except OSError as exc:
                    read_error = f"read error at offset {offset}: {_one_line(exc)}"
                    break
                if not chunk:  # sparse or uninitialised tail: libtsk (and icat) stop here
                    result.attributes["content_bytes"] = offset
                    result.errors.append(("engine", f"warning: content ends after {offset} of {size} bytes "
                                                    f"(sparse or uninitialised data; icat gives the same)"))
                    size = offset
            active = [a for a in active if not a.needs_content or self._call(a, result, "update", chunk)]
            if first:
                first = False
                late_now = [a for a in late if a.filters.accepts_type(info) and begin(a)]
                active += [a for a in late_now if not a.needs_content or self._call(a, result, "update", chunk)]
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
                result.errors.append((a.name, f"warning: over its time budget ({spent:.1f} s > {a.time_budget:g} s)"))
            a._triage_file_seconds = 0.0  # type: ignore[attr-defined]
        return result

    def _call(self, a: Analyzer, result: FileResult, method: str, *args: Any) -> bool:
        t0 = time.perf_counter()
        try:
            getattr(a, method)(*args)
            ok = True
        except Exception as exc:
            result.errors.append((a.name, f"{method} raised {type(exc).__name__}: {_one_line(exc)}"))
            ok = False
        dt = time.perf_counter() - t0
        self.analyzer_seconds[a.name] = self.analyzer_seconds.get(a.name, 0.0) + dt
        a._triage_file_seconds = getattr(a, "_triage_file_seconds", 0.0) + dt  # type: ignore[attr-defined]
        return ok


def worker_main(conn: Any, config: WorkerConfig) -> None:
    """Serve tasks over ``conn`` until told to stop."""
    init_process()
    scanner: ContentScanner | None = None
    while True:
        try:
            msg = conn.recv()
        except EOFError:
            return
        kind = msg[0]
        if kind == "stop":
            return
        if kind == "inventory":
            _, source_json, start_index = msg
            run_inventory(conn, EvidenceSource.from_json(source_json), start_index)
            continue
        if kind == "task":
            _, task_id, source_json, rows = msg
            if scanner is None:
                scanner = ContentScanner(config)
                for name, err in scanner.setup_errors:
                    conn.send(("setup_error", name, err))
            source = EvidenceSource.from_json(source_json)
            for row in rows:
                conn.send(("begin", task_id, row["id"]))
                try:
                    res = scanner.scan_file(source, row)
                except Exception as exc:  # engine bug or libtsk error: cost one file, not the scan
                    res = FileResult(file_id=row["id"], status="failed",
                                     error=f"internal error: {type(exc).__name__}: {_one_line(exc)}")
                    res.errors.append(("engine", traceback.format_exc(limit=3)))
                conn.send(("result", task_id, res, dict(scanner.analyzer_seconds)))
            conn.send(("task_done", task_id))


def run_inventory(conn: Any, source: EvidenceSource, start_index: int) -> None:
    """Send the layout, then every entry of each partition from ``start_index`` on."""
    try:
        image = open_image(source)
        layout = read_layout(image)
    except Exception as exc:
        conn.send(("inventory_failed", _one_line(exc)))
        return
    if layout.volume_system == "none" and not any(p.fs_type for p in layout.partitions):
        conn.send(("inventory_failed", "not a disk image: no partition table or file system recognised"))
        return
    conn.send(("layout", layout.volume_system, [p.to_json() for p in layout.partitions], image.size,
               image.metadata))
    for part in layout.partitions:
        if part.index < start_index or part.fs_type is None:
            continue
        errors: list[str] = []
        batch: list[dict[str, Any]] = []
        try:
            fs = open_filesystem(image, part.offset)
            for entry in walk_filesystem(fs, is_ntfs=part.fs_type.startswith("ntfs"), on_error=errors.append):
                batch.append(entry.to_row())
                if len(batch) >= INVENTORY_BATCH:
                    conn.send(("entries", part.index, batch))
                    batch = []
        except Exception as exc:
            errors.append(f"file system walk stopped: {_one_line(exc)}")
        if batch:
            conn.send(("entries", part.index, batch))
        conn.send(("partition_done", part.index, errors))
    conn.send(("inventory_done",))


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[-1].strip() if text else type(exc).__name__
