"""YARA in triage versus the reference pipeline, in the same run, on the shared benchmark image.

    .venv/bin/python bench/yara_vs_cli.py [--min-files 50000 --min-bytes 2e9] [--rules DIR] [--workers 2]

1. ``triage scan IMG --analyzers yara --yara-rules RULES --workers N`` (YARA alone: no hashes,
   no libmagic, so ``filetype`` is "" as with the CLI);
2. ``tsk_recover -e IMG DIR`` then ``yara -C rules.yarc -r -p N -s DIR`` (the same standard
   externals defined with ``-d``);
3. the same triage scan with ``--yara-engine yara-x`` when yara-x is installed.

Rules are compiled before timing on both sides (triage's cache, ``yarac``); compile times are
printed separately. Prints the ratio triage / (tsk_recover + yara); target <= 1.0.
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

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from _images import benchmark_image  # noqa: E402

TRIAGE = [sys.executable, "-m", "triage"]
DEFAULT_RULES = HERE.parent / ".." / "shared" / "testdata" / "yara" / "signature-base"
EXTERNALS = ["filename=", "filepath=", "extension=", "filetype=", "owner=", "filesize=0"]


def timed(cmd: list[str], **kw: object) -> tuple[float, subprocess.CompletedProcess[str]]:
    t0 = time.monotonic()
    proc = subprocess.run(cmd, capture_output=True, text=True, errors="replace", **kw)  # type: ignore[call-overload]
    return time.monotonic() - t0, proc


def triage_scan(image: Path, rules: Path, workers: int, engine: str, work: Path) -> tuple[float, int]:
    case = work / f"case-{engine}"
    t, proc = timed(
        [
            *TRIAGE,
            "scan",
            str(image),
            "--case",
            str(case),
            "--analyzers",
            "yara",
            "--yara-rules",
            str(rules),
            "--yara-engine",
            engine,
            "--workers",
            str(workers),
            "--json",
        ]
    )
    if proc.returncode not in (0, 1):
        raise SystemExit(f"triage scan failed: {proc.stderr[-2000:]}")
    out = subprocess.run(
        [*TRIAGE, "findings", str(case), "--json", "--plugin", "yara"],
        capture_output=True,
        text=True,
        check=True,
    )
    return t, len(out.stdout.splitlines())


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--min-files", type=int, default=50000)
    ap.add_argument("--min-bytes", type=float, default=2e9)
    ap.add_argument("--rules", type=Path, default=DEFAULT_RULES)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--no-yarax", action="store_true", help="skip the YARA-X comparison run")
    args = ap.parse_args()
    for tool in ("tsk_recover", "yara", "yarac"):
        if not shutil.which(tool):
            raise SystemExit(f"{tool} is not installed")
    if not args.rules.is_dir():
        raise SystemExit(f"{args.rules}: rule folder not found")
    image = benchmark_image(args.min_files, args.min_bytes)
    info = (
        json.loads(image.with_suffix(image.suffix + ".json").read_text())
        if image.with_suffix(image.suffix + ".json").exists()
        else {}
    )
    results: dict[str, object] = {
        "image": str(image),
        "image_files": info.get("files"),
        "image_bytes": info.get("bytes"),
        "rules": str(args.rules.resolve()),
        "workers": args.workers,
    }
    with tempfile.TemporaryDirectory(prefix="yara-bench-") as tmp:
        work = Path(tmp)
        os.environ["TRIAGE_YARA_CACHE"] = str(work / "cache")
        t, proc = timed([*TRIAGE, "rules", "check", "--no-warnings", str(args.rules)])
        results["triage_compile_s"] = round(t, 2)
        results["triage_rules_check"] = (
            proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else proc.stderr
        )
        files = sorted(p for p in args.rules.rglob("*") if p.suffix in (".yar", ".yara"))
        compiled = work / "rules.yarc"
        cmd = [
            "yarac",
            *sum((["-d", e] for e in EXTERNALS), []),
            *[f"{p.relative_to(args.rules).as_posix()}:{p}" for p in files],
            str(compiled),
        ]
        t, proc = timed(cmd)
        if proc.returncode != 0:
            raise SystemExit(f"yarac failed: {proc.stderr[-2000:]}")
        results["yarac_compile_s"] = round(t, 2)

        t_triage, n_triage = triage_scan(image, args.rules, args.workers, "yara", work)
        out = work / "recovered"
        t_rec, proc = timed(["tsk_recover", "-e", str(image), str(out)])
        if proc.returncode != 0:
            raise SystemExit(f"tsk_recover failed: {proc.stderr[-2000:]}")
        t_yara, proc = timed(
            [
                "yara",
                "-C",
                str(compiled),
                "-r",
                "-p",
                str(args.workers),
                *sum((["-d", e] for e in EXTERNALS), []),
                str(out),
            ]
        )
        cli_matches = sum(1 for line in proc.stdout.splitlines() if line and not line.startswith("0x"))
        results.update(
            {
                "triage_yara_s": round(t_triage, 1),
                "triage_findings": n_triage,
                "tsk_recover_s": round(t_rec, 1),
                "yara_cli_s": round(t_yara, 1),
                "yara_cli_matches": cli_matches,
                "ratio": round(t_triage / (t_rec + t_yara), 3),
            }
        )
        try:
            if args.no_yarax:
                raise ImportError("skipped (--no-yarax)")
            import yara_x  # noqa: F401

            shutil.rmtree(work / "cache", ignore_errors=True)
            t, _ = timed([*TRIAGE, "rules", "check", "--no-warnings", "--engine", "yara-x", str(args.rules)])
            results["yarax_compile_s"] = round(t, 2)
            t_x, n_x = triage_scan(image, args.rules, args.workers, "yara-x", work)
            results.update(
                {
                    "triage_yarax_s": round(t_x, 1),
                    "triage_yarax_findings": n_x,
                    "yarax_vs_yara": round(t_x / t_triage, 3),
                }
            )
        except ImportError as exc:
            results["triage_yarax_s"] = str(exc) if args.no_yarax else "yara-x not installed"
    print(json.dumps(results, indent=2))
    print(f"ratio triage/(tsk_recover -e + yara -r -p {args.workers}) = {results['ratio']} (target <= 1.0)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
