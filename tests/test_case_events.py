"""The case store's event aggregation (triage/case/events.py, what the GUI timeline draws) on
scanned fixture images: its span, histogram buckets and event rows equal the core's
(:func:`triage.timeline.events`) under every filter, and its times are exactly the non-zero
times of ``fls -r -m /`` (NTFS ``$FILE_NAME`` lines and alternate data streams included)."""

from __future__ import annotations

import os
import subprocess
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import fixtures as images
import pytest
from conftest import require_tools
from fixtures import BuiltImage, ToolMissing

from triage import timeline
from triage.case.events import EventQuery, bucket_width
from triage.case.query import FileQuery
from triage.case.store import Case
from triage.scan.engine import ScanEngine, ScanOptions

TSK411_ZERO_FILETIME = 3373865674  # see tests/test_timeline.py: Debian's fls misreads a zero FILETIME

BUILDERS: dict[str, Callable[[Path], BuiltImage]] = {
    "ext4": images.build_ext4,
    "fat16": lambda d: images.build_fat(d, 16),
    "ntfs": images.build_ntfs,
}


@pytest.fixture(scope="module", params=list(BUILDERS))
def scanned(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, BuiltImage]:
    d = tmp_path_factory.mktemp(request.param)
    try:
        img = BUILDERS[request.param](d / "img")
    except ToolMissing as exc:
        pytest.skip(str(exc))
    with Case.create(d / "case") as case:
        assert (
            ScanEngine(case, [img.path], ScanOptions(workers=1, analyzers=["hashes"])).run().status
            == "completed"
        )
    return d / "case", img


def _fls_times(image: Path) -> Counter[int]:
    """Every non-zero time of every line of ``fls -r -m /``: the independent count of events."""
    out = subprocess.run(
        ["fls", "-r", "-m", "/", str(image)],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "TZ": "UTC"},
    ).stdout
    times: Counter[int] = Counter()
    for line in out.splitlines():
        for t in (int(x) for x in line.split("|")[7:11]):
            if t and t != TSK411_ZERO_FILETIME:
                times[t] += 1
    return times


def _core(
    case: Case, macb: str = "macb", keep: Callable[[timeline.Event], bool] = lambda e: True
) -> list[timeline.Event]:
    return [e for e in timeline.events(case) if e.macb in macb and keep(e)]


def test_event_times_are_fls_times(scanned: tuple[Path, BuiltImage]) -> None:
    require_tools("fls")
    case_dir, img = scanned
    with Case.open(case_dir, readonly=True) as case:
        q = case.event_query(EventQuery())
        span = case.event_span(q)
        assert span is not None
        rows = case.event_rows(q, *span)
        bins = case.event_histogram(q, *span, 120)
    fls = _fls_times(img.path)
    assert Counter(r.time for r in rows) == fls
    assert sum(b.count for b in bins) == sum(fls.values()) > 0
    assert span == (min(fls), max(fls))


@pytest.mark.parametrize(
    ("macb", "files"),
    [
        ("macb", FileQuery()),
        ("m", FileQuery()),
        ("ab", FileQuery(deleted=False)),
        ("macb", FileQuery(deleted=True)),
    ],
)
def test_span_buckets_and_rows_equal_the_core(
    scanned: tuple[Path, BuiltImage], macb: str, files: FileQuery
) -> None:
    case_dir, _img = scanned
    with Case.open(case_dir, readonly=True) as case:
        keep = (
            (lambda e: True)
            if files.deleted is None
            else (lambda e: bool(e.file["deleted"]) == files.deleted)
        )
        core = _core(case, macb, keep)
        q = case.event_query(EventQuery(files, macb))
        span = case.event_span(q)
        if not core:
            assert span is None
            return
        assert span == (core[0].timestamp, core[-1].timestamp)
        assert [(b.start, b.end, b.count) for b in case.event_histogram(q, *span, 100)] == timeline.histogram(
            core, 100
        )
        got = [(r.time, r.macb, r.source, r.file_id) for r in case.event_rows(q, *span)]
        assert got == [(e.timestamp, e.macb, e.source, e.file["id"]) for e in core]
        # a zoomed range: the buckets count exactly the core's events inside it
        lo = core[len(core) // 3].timestamp
        hi = max(lo + 119, core[(2 * len(core)) // 3].timestamp)
        bins = case.event_histogram(q, lo, hi, 120)
        width = bucket_width(lo, hi, 120)
        assert all(b.end - b.start + 1 == width for b in bins) and bins[0].start == lo
        for b in bins:
            assert b.count == len([e for e in core if b.start <= e.timestamp <= min(b.end, hi)])
        assert case.event_count(q, lo, hi) == len([e for e in core if lo <= e.timestamp <= hi])
        assert len(case.event_rows(q, *span, limit=3)) == min(3, len(core))


def test_fn_times_once_per_entry_and_narrowing(scanned: tuple[Path, BuiltImage]) -> None:
    """NTFS: the alternate data stream rows share their entry's $FILE_NAME times, which count
    once; other file systems have none, and the narrowed query drops those passes."""
    case_dir, img = scanned
    with Case.open(case_dir, readonly=True) as case:
        q = EventQuery()
        narrowed = case.event_query(q)
        rows = case.event_rows(narrowed, *(case.event_span(narrowed) or (0, 0)))
        fn = [r for r in rows if r.source == "$FN"]
        if img.kind != "ntfs":
            assert narrowed.fn is False and not fn
            return
        assert narrowed.fn is True and fn
        streams = [r for r in case.iter_files() if r["stream"]]
        assert streams, "the NTFS fixture has alternate data streams"
        stream_ids = {r["id"] for r in streams}
        assert not any(r.file_id in stream_ids for r in fn)  # counted on the entry's first row only
