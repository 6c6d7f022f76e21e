"""Decryption overhead: scan a LUKS2 (aes-xts-plain64) image and the same plaintext ext4, alternating.

    PYTHONPATH=.:plugins python bench/decrypt_overhead.py [--size-mb 1024] [--rounds 2]

Builds (cached in ``$TRIAGE_BENCH_CACHE`` or ``<tmp>/triage-bench``) an ext4 of ``--size-mb`` filled
with files of this machine (``mke2fs -d``, see ``_images.py``) and a LUKS2 volume holding it (real
cryptsetup header, data encrypted in Python like the test fixtures). Then, in one run:

1. ``triage scan`` of the plaintext and of the LUKS2 image, alternating ``--rounds`` times
   (``--analyzers hashes --no-evidence-hash``, fresh cases; the order flips every round); the ratio
   of the medians of wall seconds (target <= 1.3), and of CPU seconds of each scan's process tree
   (user + system, ``RUSAGE_CHILDREN``), which a machine shared with other jobs disturbs less;
2. raw decryption MB/s: our reader (bulk XTS, :func:`triage.evidence.luks2.decrypt_xts`) over the
   whole volume, against a plain ``cryptography`` AES-XTS loop (one decryptor per 512-byte sector,
   :func:`~triage.evidence.luks2.decrypt_xts_reference`) over the first 64 MiB.

Prints one JSON object; docs/benchmarks.md records the numbers.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent / "tests")]

from _images import cache_dir  # noqa: E402
from fixtures.luks import PASSPHRASE, VOLUME_KEY, luks2_from  # noqa: E402


def _plain_image(size_mb: int) -> Path:
    """An ext4 of ``size_mb`` MiB about 80 % full of files from /usr (cached)."""
    out = cache_dir() / f"decrypt-plain-{size_mb}.ext4"
    if out.exists():
        return out
    budget = size_mb * (1 << 20) * 8 // 10
    stage = Path(tempfile.mkdtemp(prefix="decrypt-src-"))
    used = 0
    for root, _, files in os.walk("/usr/lib"):
        for name in sorted(files):
            src = Path(root) / name
            if src.is_symlink() or not src.is_file():
                continue
            size = src.stat().st_size
            if used + size > budget:
                break
            dest = stage / src.relative_to("/usr")
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, dest)
            used += size
        if used >= budget * 0.98:
            break
    tmp = out.with_suffix(".tmp")
    subprocess.run(
        ["mke2fs", "-q", "-F", "-t", "ext4", "-b", "4096", "-d", str(stage), str(tmp), f"{size_mb}M"],
        check=True,
    )
    shutil.rmtree(stage)
    tmp.rename(out)
    return out


def _luks_image(plain: Path) -> Path:
    out = plain.with_suffix(".luks2")
    if not out.exists():
        tmp = out.with_suffix(".tmp")
        luks2_from(plain, tmp)
        tmp.rename(out)
    return out


def _scan(image: Path, *extra: str) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + system of the scan's whole process tree) of one scan."""
    case = Path(tempfile.mkdtemp(prefix="decrypt-case-"))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "triage", "scan", str(image), "--case", str(case / "c"), "--analyzers", "hashes",
         "--no-evidence-hash", "--json", *extra],
        capture_output=True, text=True,
    )  # fmt: skip
    seconds = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    shutil.rmtree(case)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"scan of {image} failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return seconds, cpu


def _raw_rates(luks: Path) -> dict[str, float]:
    from triage.evidence.image import open_image
    from triage.evidence.luks2 import Luks2Volume, decrypt_xts_reference

    image = open_image(luks)
    vol = Luks2Volume.unlock(image.read, 0, image.size, image.size, PASSPHRASE.encode(), str(luks))
    t = time.perf_counter()
    pos = 0
    while pos < vol.available:
        pos += len(vol.read_at(pos, 1 << 20))
    ours = vol.available / (time.perf_counter() - t) / 1e6
    sample = image.read(1 << 20, 64 << 20)
    t = time.perf_counter()
    decrypt_xts_reference(VOLUME_KEY, sample, 0, 512)
    reference = len(sample) / (time.perf_counter() - t) / 1e6
    image.close()
    return {"ours_MBps": round(ours, 1), "cryptography_loop_MBps": round(reference, 1)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size-mb", type=int, default=1024)
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args()
    plain = _plain_image(args.size_mb)
    luks = _luks_image(plain)
    plain_s: list[float] = []
    luks_s: list[float] = []
    plain_cpu: list[float] = []
    luks_cpu: list[float] = []
    load = [os.getloadavg()]
    for i in range(args.rounds):  # alternate, and flip the order every round
        sides = [("plain", plain, ()), ("luks2", luks, ("--unlock", f"password:{PASSPHRASE}"))]
        for name, image, extra in sides if i % 2 == 0 else sides[::-1]:
            wall, cpu = _scan(image, *extra)
            (plain_s if name == "plain" else luks_s).append(wall)
            (plain_cpu if name == "plain" else luks_cpu).append(cpu)
        load.append(os.getloadavg())
    result = {
        "size_mb": args.size_mb,
        "plain_scan_s": [round(x, 2) for x in plain_s],
        "luks2_scan_s": [round(x, 2) for x in luks_s],
        "ratio": round(statistics.median(luks_s) / statistics.median(plain_s), 3),
        "ratios_per_round": [round(b / a, 3) for a, b in zip(plain_s, luks_s, strict=True)],
        "plain_cpu_s": [round(x, 2) for x in plain_cpu],
        "luks2_cpu_s": [round(x, 2) for x in luks_cpu],
        "cpu_ratio": round(statistics.median(luks_cpu) / statistics.median(plain_cpu), 3),
        "target": 1.3,
        "load_average_per_round": [[round(x, 2) for x in la] for la in load],
        **_raw_rates(luks),
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
