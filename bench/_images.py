"""The shared benchmark image: an ext4 file system holding real files (``/usr/lib`` and
``/usr/share/doc`` of this machine) built with ``mke2fs -d``, cached so every benchmark
(scan vs TSK, YARA, GUI, batch, mount) reuses the same image.

    from _images import benchmark_image     # with bench/ on sys.path
    image = benchmark_image()               # >= 50,000 files, >= 2 GB

The selection is deterministic for a given machine: the smallest files first (ties by path)
until both minimums are met, which gives a realistic mix (mostly small files, some large
libraries). The image and a JSON description (``.json`` beside it: files, bytes, sources,
build time) live in ``$TRIAGE_BENCH_CACHE`` or ``<tmp>/triage-bench``; a lock file keeps
concurrent benchmarks from building it twice.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

SOURCES = ("/usr/lib", "/usr/share/doc")
BLOCK = 4096


def cache_dir() -> Path:
    """Where benchmark images are kept (``$TRIAGE_BENCH_CACHE`` or ``<tmp>/triage-bench``)."""
    d = Path(os.environ.get("TRIAGE_BENCH_CACHE") or Path(tempfile.gettempdir()) / "triage-bench")
    d.mkdir(parents=True, exist_ok=True)
    return d


def _candidates() -> list[tuple[int, str]]:
    """(size, path) of every readable regular file under the sources, symlinks excluded."""
    out: list[tuple[int, str]] = []
    for root in SOURCES:
        for folder, _dirs, names in os.walk(root):
            for name in names:
                p = os.path.join(folder, name)
                try:
                    st = os.lstat(p)
                except OSError:
                    continue
                if not os.path.isfile(p) or os.path.islink(p) or not os.access(p, os.R_OK):
                    continue
                out.append((st.st_size, p))
    out.sort()
    return out


def select_files(min_files: int, min_bytes: float) -> list[tuple[int, str]]:
    """Smallest files first until there are ``min_files`` of them and ``min_bytes`` in all."""
    chosen: list[tuple[int, str]] = []
    total = 0
    for size, path in _candidates():
        if len(chosen) >= min_files and total >= min_bytes:
            break
        chosen.append((size, path))
        total += size
    if len(chosen) < min_files or total < min_bytes:
        raise RuntimeError(
            f"this machine has only {len(chosen)} files / {total / 1e9:.2f} GB under "
            f"{', '.join(SOURCES)}; asked for {min_files} / {min_bytes / 1e9:.2f} GB"
        )
    return chosen


def _build(
    target: Path, min_files: int, min_bytes: float, extra: dict[str, bytes] | None = None
) -> dict[str, object]:
    if shutil.which("mke2fs") is None:
        raise RuntimeError("mke2fs not found (install e2fsprogs)")
    t0 = time.monotonic()
    chosen = select_files(min_files, min_bytes)
    stage = Path(tempfile.mkdtemp(prefix="stage-", dir=target.parent))
    try:
        copied, total, folders = 0, 0, set()
        for _size, path in chosen:
            dest = stage / path.lstrip("/")
            if dest.parent not in folders:
                dest.parent.mkdir(parents=True, exist_ok=True)
                folders.add(dest.parent)
            try:
                shutil.copyfile(path, dest)
            except OSError:
                continue
            copied += 1
            total += dest.stat().st_size
        for rel, data in (extra or {}).items():  # seeded files (e.g. rule hits in profile paths)
            dest = stage / rel.lstrip("/")
            dest.parent.mkdir(parents=True, exist_ok=True)
            folders.add(dest.parent)
            dest.write_bytes(data)
            copied += 1
            total += len(data)
        blocks = sum(-(-s // BLOCK) for s, _ in chosen) + len(folders) * 2 + len(extra or {})
        size = make_ext4(stage, target, files=copied, folders=len(folders), blocks=blocks)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    return {
        "image": str(target),
        "files": copied,
        "bytes": total,
        "folders": len(folders),
        "image_size": size,
        "sources": list(SOURCES),
        "build_seconds": round(time.monotonic() - t0, 1),
        "built": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }


def make_ext4(
    stage: Path, target: Path, *, files: int, folders: int, blocks: int, label: str = "triage-bench"
) -> int:
    """``mke2fs -d stage`` into ``target`` (written as ``.partial``, then renamed); returns its size.

    ``blocks`` is the number of 4 KiB data blocks the tree needs; the file system gets 10 % more,
    an inode per file and folder (plus slack) and room for its metadata and journal.
    """
    inodes = files + folders + 4096
    size = int(blocks * BLOCK * 1.10) + inodes * 256 + (256 << 20)
    tmp = target.with_suffix(".partial")
    tmp.unlink(missing_ok=True)
    subprocess.run(
        [
            "mke2fs",
            "-q",
            "-F",
            "-t",
            "ext4",
            "-b",
            str(BLOCK),
            "-N",
            str(inodes),
            "-L",
            label,
            "-E",
            "root_owner=0:0",
            "-d",
            str(stage),
            str(tmp),
            f"{size // 1024}k",
        ],
        check=True,
        capture_output=True,
    )
    os.replace(tmp, target)
    return size


def describe(image: Path) -> dict[str, object]:
    """The JSON description written beside a cached image."""
    return dict(json.loads(image.with_suffix(".json").read_text()))


def benchmark_image(
    min_files: int = 50000, min_bytes: float = 2e9, extra: dict[str, bytes] | None = None, variant: str = ""
) -> Path:
    """Path of a cached ext4 image with at least ``min_files`` real files and ``min_bytes`` of content.

    Built on first use (a few minutes for the default size), then reused. ``extra`` adds files
    (path → bytes) to the same selection; give such a variant its own ``variant`` name.
    """
    target = cache_dir() / f"usr-ext4-{min_files}-{int(min_bytes)}{'-' + variant if variant else ''}.img"
    return cached_image(target, lambda: _build(target, min_files, min_bytes, extra))


def cached_image(target: Path, build: Callable[[], dict[str, object]]) -> Path:
    """``target``, built by ``build`` (which returns its JSON description) unless already cached.

    A lock file beside it makes a second benchmark wait for the first one's build.
    """
    meta = target.with_suffix(".json")
    with open(target.parent / f"{target.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if target.is_file() and meta.is_file():
            return target
        print(f"building the benchmark image {target} (once; cached) …", file=sys.stderr, flush=True)
        info = build()
        meta.write_text(json.dumps(info, indent=2))
        print(
            f"  {info['files']} files, {int(info['bytes']) / 1e9:.2f} GB in {info['build_seconds']} s",
            file=sys.stderr,
            flush=True,
        )
    return target


if __name__ == "__main__":
    files = int(sys.argv[1]) if len(sys.argv) > 1 else 50000
    gb = float(sys.argv[2]) if len(sys.argv) > 2 else 2e9
    img = benchmark_image(files, gb)
    print(img)
    print(json.dumps(describe(img), indent=2))
