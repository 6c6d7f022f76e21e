"""Benchmark: the full-text index engine (SQLite FTS5 against tantivy) and search latency on a large
case (docs/benchmarks.md, "Search").

Synthetic documents: ``--docs`` pieces of 30 words drawn (Zipf-like) from a 50,000-word vocabulary,
plus five planted rare words in ten pieces each. Measured for each engine: build time, size on
disk, the latency of a rare word, a common word, a phrase and a prefix query (median of 20). For
FTS5 the index is a real case's (``triage.case`` schema 5, queried through ``triage.search``),
so the word and regex latencies are what ``triage search`` does, minus process start-up.

    .venv/bin/python bench/search_index.py --docs 200000            # engine comparison
    .venv/bin/python bench/search_index.py --docs 1000000 --no-tantivy   # a 1,000,000-file case
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from triage.case import textindex
from triage.case.store import Case
from triage.plugin import TextPiece
from triage.search import search

PLANTED = ("zqplantedalpha", "zqplantedbravo", "zqplantedcharlie", "zqplanteddelta", "zqplantedecho")


def documents(n: int, seed: int = 1) -> list[str]:
    rng = random.Random(seed)
    vocab = [
        "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(3, 10)))
        for _ in range(50_000)
    ]
    weights = [1 / (i + 1) for i in range(len(vocab))]
    docs = []
    for _ in range(n):
        docs.append(" ".join(rng.choices(vocab, weights, k=30)))
    for j, w in enumerate(PLANTED):
        for k in range(10):
            i = (j * 7919 + k * 104729) % n
            docs[i] += f" {w}"
    return docs


def median_ms(fn, runs: int = 20) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return round(statistics.median(times), 2)


def size_of(path: Path) -> int:
    return (
        sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
        if path.is_dir()
        else path.stat().st_size
    )


def bench_fts5(docs: list[str], work: Path) -> dict[str, object]:
    case = Case.create(work / "case")
    t0 = time.perf_counter()
    with case._conn:  # the bench fills the index as store_results does, without files rows
        for i in range(0, len(docs), 10_000):
            textindex.put_pieces(
                case._conn,
                [TextPiece("text", d) for d in docs[i : i + 10_000]],
                file_id=None,
                evidence_id=None,
                partition_id=None,
            )
    build = time.perf_counter() - t0
    case.close()
    case = Case.open(work / "case", readonly=True)
    common = docs[0].split()[0]
    out = {
        "build_s": round(build, 1),
        "size_mb": round(size_of(work / "case" / "case.sqlite") / 1e6, 1),
        "rare_word_ms": median_ms(lambda: search(case, PLANTED[0])),
        "common_word_ms_limit_1000": median_ms(lambda: search(case, common)),
        "phrase_ms": median_ms(lambda: search(case, f'"{docs[3].split()[4]} {docs[3].split()[5]}"')),
        "prefix_ms": median_ms(lambda: search(case, PLANTED[1][:9] + "*")),
        "fuzzy_ms": median_ms(lambda: search(case, PLANTED[2][:-1] + "x~"), 5),
        "regex_ms": median_ms(lambda: search(case, r"zqplanted(alpha|bravo)\b", regex=True), 3),
        "rare_word_hits": len(search(case, PLANTED[0]).hits),
    }
    case.close()
    return out


def bench_tantivy(docs: list[str], work: Path) -> dict[str, object]:
    import tantivy

    sb = tantivy.SchemaBuilder()
    sb.add_text_field("text", stored=True)
    sb.add_integer_field("id", stored=True, indexed=True)
    schema = sb.build()
    path = work / "tantivy"
    path.mkdir()
    index = tantivy.Index(schema, path=str(path))
    t0 = time.perf_counter()
    writer = index.writer(heap_size=256_000_000, num_threads=1)
    for i, d in enumerate(docs):
        writer.add_document(tantivy.Document(id=i, text=d))
    writer.commit()
    writer.wait_merging_threads()
    build = time.perf_counter() - t0
    index.reload()
    searcher = index.searcher()
    common = docs[0].split()[0]

    def q(text: str) -> None:
        _ = searcher.search(index.parse_query(text, ["text"]), 1000).hits

    return {
        "build_s": round(build, 1),
        "size_mb": round(size_of(path) / 1e6, 1),
        "rare_word_ms": median_ms(lambda: q(PLANTED[0])),
        "common_word_ms_limit_1000": median_ms(lambda: q(common)),
        "phrase_ms": median_ms(lambda: q(f'"{docs[3].split()[4]} {docs[3].split()[5]}"')),
        "prefix_ms": median_ms(lambda: q(PLANTED[1][:9] + "*")),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=200_000)
    ap.add_argument("--no-tantivy", action="store_true")
    args = ap.parse_args()
    docs = documents(args.docs)
    work = Path(tempfile.mkdtemp(prefix="search-index-bench-"))
    try:
        out: dict[str, object] = {"docs": args.docs, "text_mb": round(sum(map(len, docs)) / 1e6, 1)}
        out["fts5"] = bench_fts5(docs, work)
        if not args.no_tantivy:
            out["tantivy"] = bench_tantivy(docs, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
