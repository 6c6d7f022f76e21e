"""How much longer an engine scan takes with the identifier analyzer on.

Scans the shared benchmark image (``bench/_images.py``: real files from ``/usr/lib`` and
``/usr/share/doc``) with every built-in analyzer except ``identifiers``, then with all of
them, alternating the order over ``--rounds`` rounds, and prints wall-clock times, the
overhead (target: at most 25 %), the analyzer's own CPU seconds as the engine measured
them, and how many identifiers it found.

    .venv/bin/python bench/identifiers_overhead.py                              # 50,000 files, 2 GB
    .venv/bin/python bench/identifiers_overhead.py --min-files 12000 --min-bytes 3e8 --rounds 2
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _images import benchmark_image, describe  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
TRIAGE = [sys.executable, "-m", "triage"]


def analyzers() -> list[str]:
    """Every analyzer the installed plugins provide (the engine's default set)."""
    from triage.scan.registry import Registry

    return sorted(c.name for c in Registry().analyzer_classes())


def scan(image: Path, names: list[str], workers: int) -> dict[str, object]:
    case = Path(tempfile.mkdtemp(prefix="ident-bench-")) / "case"
    t0 = time.perf_counter()
    subprocess.run(
        [
            *TRIAGE,
            "scan",
            str(image),
            "--case",
            str(case),
            "--workers",
            str(workers),
            "--analyzers",
            ",".join(names),
        ],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    seconds = time.perf_counter() - t0
    from triage.case.query import FindingQuery
    from triage.case.store import Case

    with Case.open(case, readonly=True) as c:
        stats = c.scans()[-1]["stats"]
        stats = json.loads(stats) if isinstance(stats, str) else stats
        found = c.count_findings(FindingQuery(kind="identifier"))
    shutil.rmtree(case.parent)
    return {"seconds": seconds, "stats": stats, "identifiers": found}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--min-files", type=int, default=50000)
    ap.add_argument("--min-bytes", type=float, default=2e9)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args()
    image = benchmark_image(args.min_files, args.min_bytes)
    info = describe(image)
    all_names = analyzers()
    without = [n for n in all_names if n != "identifiers"]
    print(
        f"image {image.name}: {info.get('files')} files, {int(info.get('bytes', 0)) / 1e6:.0f} MB; "
        f"analyzers {','.join(all_names)}"
    )
    off: list[float] = []
    on: list[float] = []
    cpu_off: list[float] = []
    spent: dict[str, float] = {}
    found = 0
    for r in range(args.rounds):
        order = [("off", without), ("on", all_names)] if r % 2 == 0 else [("on", all_names), ("off", without)]
        for label, names in order:
            res = scan(image, names, args.workers)
            secs = float(res["seconds"])  # type: ignore[arg-type]
            stats = res["stats"] if isinstance(res["stats"], dict) else {}
            analyzer = {k: float(v) for k, v in stats.get("analyzer_seconds", {}).items()}
            if label == "on":
                on.append(secs)
                spent, found = analyzer, int(res["identifiers"])  # type: ignore[call-overload]
            else:
                off.append(secs)
                cpu_off.append(sum(analyzer.values()))
            print(
                f"round {r + 1} identifiers {label:3}: {secs:.1f} s (analyzers {sum(analyzer.values()):.1f} CPU-s"
                + (f", identifiers {analyzer.get('identifiers', 0):.1f} CPU-s)" if label == "on" else ")"),
                flush=True,
            )
    best_off, best_on = min(off), min(on)
    mean_off, mean_on = sum(off) / len(off), sum(on) / len(on)
    ident = spent.get("identifiers", 0.0)
    print(
        f"wall clock, best of {args.rounds}: without {best_off:.1f} s, with {best_on:.1f} s: "
        f"{100 * (best_on / best_off - 1):+.1f} %"
    )
    print(
        f"wall clock, mean of {args.rounds}: without {mean_off:.1f} s, with {mean_on:.1f} s: "
        f"{100 * (mean_on / mean_off - 1):+.1f} %"
    )
    print("analyzer CPU seconds (with): " + ", ".join(f"{k} {v:.1f}" for k, v in sorted(spent.items())))
    # The analyzer's own CPU time spread over the workers, against the best wall time without it:
    # what the overhead is once other jobs on the machine are taken out.
    print(
        f"identifiers CPU {ident:.1f} s / {args.workers} workers = {ident / args.workers:.1f} s "
        f"= {100 * ident / args.workers / best_off:.1f} % of the best scan without it"
    )
    print(f"identifiers recorded: {found}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
