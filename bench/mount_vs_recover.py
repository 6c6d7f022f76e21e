"""Benchmark: read every file of an image through ``triage mount`` vs ``tsk_recover -e`` + tar.

    .venv/bin/python bench/mount_vs_recover.py [--image IMG] [--small]

Uses the shared benchmark image (``bench/_images.py``: ext4, >= 2 GB of real files) unless
``--image`` is given; ``--small`` (or a missing ``_images.py``) builds a smaller ext4 from
``/usr/share/doc`` instead, and the output says so.

Each side is read with ``tar cf - . | wc -c``, never ``tar cf /dev/null``: GNU tar notices
``/dev/null`` as its archive and then skips reading file contents, which would time nothing.
Before measuring, the image file is read once so both sides start with it in the page cache
(the comparison is between the software stacks, not the disk). Prints one JSON line and a
Markdown table row set.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))


def small_image(workdir: Path) -> Path:
    """An ext4 of /usr/share/doc (a few hundred MB at most), when the shared image is not wanted."""
    img = workdir / "doc-ext4.img"
    size_kb = int(
        subprocess.run(
            ["du", "-sk", "/usr/share/doc"], capture_output=True, text=True, check=True
        ).stdout.split()[0]
    )
    subprocess.run(
        [
            "mke2fs",
            "-q",
            "-F",
            "-t",
            "ext4",
            "-b",
            "4096",
            "-d",
            "/usr/share/doc",
            str(img),
            f"{int(size_kb * 1.6) + 65536}k",
        ],
        check=True,
        capture_output=True,
    )
    return img


def tar_read(folder: Path) -> tuple[float, int, str]:
    """Seconds, bytes of tar stream, and tar's warnings for ``tar cf - . | wc -c`` in ``folder``."""
    t0 = time.perf_counter()
    proc = subprocess.run(
        ["bash", "-o", "pipefail", "-c", "tar cf - . | wc -c"], cwd=folder, capture_output=True, text=True
    )
    seconds = time.perf_counter() - t0
    return seconds, int(proc.stdout.strip() or 0), proc.stderr.strip()


def content_bytes(folder: Path) -> tuple[int, int]:
    """(regular files, bytes) under ``folder`` as stat shows them (symlinks not followed)."""
    files = total = 0
    for root, _dirs, names in os.walk(folder):
        for name in names:
            st = os.lstat(os.path.join(root, name))
            if not os.path.islink(os.path.join(root, name)):
                files += 1
                total += st.st_size
    return files, total


def warm(path: Path) -> None:
    with open(path, "rb") as fh:
        while fh.read(8 << 20):
            pass


def run(image: Path, workdir: Path, note: str) -> dict[str, object]:
    from triage.mount import start_mount

    warm(image)
    result: dict[str, object] = {"image": str(image), "image_bytes": image.stat().st_size, "note": note}
    mp = workdir / "mnt"
    mp.mkdir()
    t0 = time.perf_counter()
    handle = start_mount(image, mp, timeout=3600)
    result["mount_ready_s"] = round(time.perf_counter() - t0, 2)
    try:
        part = next(p for p in sorted(mp.iterdir()) if p.is_dir())
        files, total = content_bytes(part)
        cold = tar_read(part)
        warm_pass = tar_read(part)
        result.update(
            mount_files=files,
            mount_bytes=total,
            mount_tar_s=round(cold[0], 2),
            mount_tar_stream=cold[1],
            mount_MBps=round(total / cold[0] / 1e6, 1),
            mount_warm_tar_s=round(warm_pass[0], 2),
            mount_warm_MBps=round(total / warm_pass[0] / 1e6, 1),
            mount_tar_warnings=len(cold[2].splitlines()),
        )
    finally:
        handle.unmount()
    out = workdir / "recovered"
    t0 = time.perf_counter()
    rec = subprocess.run(["tsk_recover", "-e", str(image), str(out)], capture_output=True, text=True)
    recover_s = time.perf_counter() - t0
    files, total = content_bytes(out)
    tar = tar_read(out)
    result.update(
        recover_rc=rec.returncode,
        recover_s=round(recover_s, 2),
        recover_files=files,
        recover_bytes=total,
        recover_MBps=round(total / recover_s / 1e6, 1),
        recover_tar_s=round(tar[0], 2),
        recover_tar_MBps=round(total / tar[0] / 1e6, 1),
        recover_plus_tar_MBps=round(total / (recover_s + tar[0]) / 1e6, 1),
    )
    return result


def table(r: dict[str, object]) -> str:
    mb = int(r["mount_bytes"]) / 1e6  # type: ignore[call-overload]
    rb = int(r["recover_bytes"]) / 1e6  # type: ignore[call-overload]
    return "\n".join(
        [
            "| path to the file contents | files | MB | seconds | MB/s |",
            "| --- | ---: | ---: | ---: | ---: |",
            f"| `triage mount` ready (tree built) | | | {r['mount_ready_s']} | |",
            f"| `tar cf - . \\| wc -c` over the mount (first pass) | {r['mount_files']} | {mb:.0f} | "
            f"{r['mount_tar_s']} | {r['mount_MBps']} |",
            f"| same, second pass (kernel page cache) | {r['mount_files']} | {mb:.0f} | {r['mount_warm_tar_s']} | "
            f"{r['mount_warm_MBps']} |",
            f"| `tsk_recover -e` (extract to disk) | {r['recover_files']} | {rb:.0f} | {r['recover_s']} | "
            f"{r['recover_MBps']} |",
            f"| `tar cf - . \\| wc -c` over the extracted copy | {r['recover_files']} | {rb:.0f} | "
            f"{r['recover_tar_s']} | {r['recover_tar_MBps']} |",
            f"| `tsk_recover -e` + tar, end to end | {r['recover_files']} | {rb:.0f} | "
            f"{round(float(r['recover_s']) + float(r['recover_tar_s']), 2)} | {r['recover_plus_tar_MBps']} |",  # type: ignore[arg-type]
        ]
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--image", type=Path, help="raw/E01 image to use instead of the shared benchmark image")
    ap.add_argument("--small", action="store_true", help="build a small ext4 of /usr/share/doc instead")
    args = ap.parse_args()
    if shutil.which("tsk_recover") is None:
        print("tsk_recover not found (install sleuthkit)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="mount-bench-") as tmp:
        workdir = Path(tmp)
        if args.image:
            image, note = args.image, "given image"
        elif args.small or not (REPO / "bench" / "_images.py").exists():
            image, note = (
                small_image(workdir),
                "small ext4 of /usr/share/doc (shared benchmark image not used)",
            )
        else:
            from _images import benchmark_image, describe

            image = benchmark_image()
            note = f"shared benchmark image ({describe(image)['files']} files)"
        result = run(image, workdir, note)
    print(json.dumps(result))
    print(table(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
