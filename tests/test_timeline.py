"""The timeline agrees with The Sleuth Kit line for line: ``mactime -b`` over our body file prints
exactly what it prints over ``fls -r -m /`` on the same file system, NTFS ``($FILE_NAME)`` lines and
``(deleted-realloc)`` labels included; and the timestomping signs (triage/timestomp.py)."""

from __future__ import annotations

import csv
import difflib
import gzip
import io
import json
import os
import shutil
import subprocess
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import fixtures as images
import pytest
from conftest import require_tools, run_triage
from fixtures import BuiltImage, ToolMissing

from triage.case.store import Case
from triage.timestomp import SI_CRTIME_BEFORE_FN, SI_CRTIME_WHOLE_SECOND, timestomp_codes, timestomp_signs

# TSK 4.11's nt2unixtime() has no check for a zero FILETIME: (0 - 116444736000000000) wraps in uint64,
# and the quotient truncated to uint32 is 3373865674 (2076-11-29). mkntfs leaves the $SI times of $MFT
# zero, so Debian's fls prints that value; pytsk3 (TSK 4.15) and triage report 0 ("no time").
# Exactly that value, in a time column, is read as 0; nothing else in the reference is changed.
TSK411_ZERO_FILETIME = "3373865674"


def _fls_body(image: Path, offset_sectors: int = 0) -> str:
    cmd = ["fls", "-r", "-m", "/", *(["-o", str(offset_sectors)] if offset_sectors else []), str(image)]
    out = subprocess.run(
        cmd, capture_output=True, text=True, check=True, env={**os.environ, "TZ": "UTC"}
    ).stdout
    lines = []
    for line in out.splitlines():
        f = line.split("|")
        f[7:11] = ["0" if t == TSK411_ZERO_FILETIME else t for t in f[7:11]]
        lines.append("|".join(f))
    return "\n".join(lines) + "\n"


def _mactime(body: str, *date_range: str) -> list[str]:
    proc = subprocess.run(
        ["mactime", "-b", "-", "-d", "-y", "-z", "UTC", *date_range],
        input=body,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "TZ": "UTC"},
    )
    lines = proc.stdout.splitlines()
    assert lines and lines[0].startswith("Date,Size,Type,Mode,UID,GID,Meta,File Name"), proc.stdout[:200]
    return lines


def _scan(image: Path, case: Path) -> None:
    proc = run_triage("scan", str(image), "--case", str(case), "--analyzers", "hashes", timeout=600)
    assert proc.returncode == 0, proc.stderr


def _our_body(case: Path, partition: int | None = None) -> str:
    """Our body file; with ``partition``, that partition's lines without their ``/pN`` prefix."""
    proc = run_triage("timeline", str(case), "--format", "body")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    if partition is not None:
        tag = f"/p{partition}/"
        lines = [
            f"{md5}|/{rest[len(tag) :]}"
            for md5, rest in (ln.split("|", 1) for ln in lines)
            if rest.startswith(tag)
        ]
    return "\n".join(lines) + "\n"


def _assert_line_for_line(ours: str, reference: str) -> list[str]:
    """mactime's output over both is identical, line for line; so are the body files apart from
    the MD5 column (fls -m leaves it 0, ours carries the real MD5; mactime does not print it)."""
    expected, got = _mactime(reference), _mactime(ours)
    diff = "\n".join(
        difflib.unified_diff(expected, got, "fls -m | mactime", "triage | mactime", lineterm="", n=1)
    )
    assert got == expected, diff[:4000]
    dated = [ln for ln in expected[1:] if ln[:4] > "1970"]  # mactime writes 0000-00-00 for some zero times
    if dated:  # and with a date range (mactime's own filter): the first day's events
        day = date.fromisoformat(dated[0][:10])
        span = f"{day}..{day + timedelta(days=1)}"  # mactime ends a range at the start of its last day
        one_day = _mactime(ours, span)
        assert one_day == _mactime(reference, span) and 1 < len(one_day) <= len(expected)
    ref_lines = [ln.split("|", 1)[1] for ln in reference.splitlines()]
    our_lines = [ln.split("|", 1)[1] for ln in ours.splitlines()]
    assert our_lines == ref_lines, "\n".join(
        difflib.unified_diff(ref_lines, our_lines, "fls -m", "triage", lineterm="")
    )[:4000]
    return got


BUILDERS: dict[str, Callable[[Path], BuiltImage]] = {
    "ext4": images.build_ext4,
    "fat16": lambda d: images.build_fat(d, 16),
    "ntfs": images.build_ntfs,
    "ext4-realloc": images.build_ext4_realloc,
    "ntfs-stomped": images.build_ntfs_timestomped,
}


def _build(kind: str, tmp_path: Path) -> BuiltImage:
    try:
        return BUILDERS[kind](tmp_path / "img")
    except ToolMissing as exc:
        pytest.skip(str(exc))


@pytest.mark.parametrize("kind", list(BUILDERS))
def test_mactime_on_our_body_equals_fls_m_line_for_line(kind: str, tmp_path: Path) -> None:
    require_tools("fls", "mactime")
    img = _build(kind, tmp_path)
    case = tmp_path / "case"
    _scan(img.path, case)
    rows = _assert_line_for_line(_our_body(case), _fls_body(img.path))
    names = [r[7] for r in csv.reader(rows[1:])]
    if kind != "ext4-realloc":
        assert any(n.endswith("(deleted)") for n in names) or kind == "ntfs-stomped", (
            "deleted files must be on it"
        )
    if kind.startswith("ntfs"):
        assert sum(" ($FILE_NAME)" in n for n in names) >= 2, "the $FILE_NAME times must be on it"
    if kind == "ext4-realloc":
        old, new = img.metadata["realloc_old"], img.metadata["realloc_new"]
        assert f"{old} (deleted-realloc)" in names and new in names
        assert not any(n.startswith(old) and n.endswith("(deleted)") for n in names)


@pytest.mark.parametrize(
    ("image", "offsets"),
    [
        ("test.ntfs.dd.E01", [0]),
        ("imageformat_mmls_1.E01", [128, 55424]),
        ("ntfs-lastaccess.raw.gz", [128]),
    ],
)
def test_shared_ntfs_images_line_for_line(
    image: str, offsets: list[int], shared_testdata: Path, tmp_path: Path
) -> None:
    require_tools("fls", "mactime")
    src = shared_testdata / "images" / image
    if not src.exists():
        pytest.skip(f"{src} not present")
    if image.endswith(".gz"):
        path = tmp_path / image[:-3]
        with gzip.open(src) as fin, open(path, "wb") as fout:
            shutil.copyfileobj(fin, fout)
    else:
        path = src
    case = tmp_path / "case"
    _scan(path, case)
    with Case.open(case, readonly=True) as c:
        parts = {int(p["offset"]) // 512: int(p["idx"]) for p in c.partitions()}
        multi = len(parts) > 1
        assert not [r["path"] for r in c.iter_files() if timestomp_codes(r)], (
            "no timestomping signs on these images"
        )
    for off in offsets:
        rows = _assert_line_for_line(_our_body(case, parts[off] if multi else None), _fls_body(path, off))
        fn_rows = [r for r in rows if " ($FILE_NAME)" in r]  # every name has one; some times are 0
        assert len(fn_rows) >= 10, f"{image} o{off}: $FILE_NAME lines missing"


def _rows_by_path(case: Path) -> dict[str, dict[str, Any]]:
    with Case.open(case, readonly=True) as c:
        return {r["path"]: r for r in c.iter_files()}


def test_timestomped_file_is_flagged(tmp_path: Path) -> None:
    img = _build("ntfs-stomped", tmp_path)
    case = tmp_path / "case"
    _scan(img.path, case)
    rows = _rows_by_path(case)
    stomped, honest = rows[img.metadata["stomped"]], rows["/honest.txt"]
    assert stomped["crtime"] == images.STOMPED_TIME and stomped["crtime_ns"] == 0
    assert stomped["fn_crtime"] > images.STOMPED_TIME and stomped["fn_crtime_ns"]
    assert timestomp_codes(stomped) == (SI_CRTIME_BEFORE_FN, SI_CRTIME_WHOLE_SECOND)
    assert timestomp_codes(honest) == ()
    assert honest["crtime"] == honest["fn_crtime"] and honest["crtime_ns"] == honest["fn_crtime_ns"]
    # mactime with a date range: the same lines from both, here only the stomped $SI times
    in_2015 = _mactime(_our_body(case), "2015-05-31..2015-06-02")
    assert in_2015 == _mactime(_fls_body(img.path), "2015-05-31..2015-06-02")
    assert [r[2:] for r in csv.reader(in_2015[1:])] == [
        [
            "macb",
            "r/rrwxrwxrwx",
            "48",
            "0",
            f"{stomped['inode']}-128-{stomped['attr_id']}",
            img.metadata["stomped"],
        ]
    ]
    # Two $FILE_NAME attributes (long + DOS 8.3): the long one's, as fls reports it (TSK skips DOS names)
    for long_name in filter(None, [img.metadata["dos_name_file"]]):
        fls_line = next(ln for ln in _fls_body(img.path).splitlines() if f"|{long_name} ($FILE_NAME)|" in ln)
        r = rows[long_name]
        assert fls_line.split("|")[2] == f"{r['inode']}-48-{r['fn_attr_id']}"
        assert fls_line.split("|")[6] == str(r["fn_size"]) == str(66 + 2 * len(long_name.lstrip("/")))
        assert timestomp_codes(r) == ()
    # The exports carry the signs and the $FN events with their own source
    events = [
        json.loads(x) for x in run_triage("timeline", str(case), "--format", "jsonl").stdout.splitlines()
    ]
    mine = [e for e in events if e["path"] == img.metadata["stomped"]]
    assert {e["source"] for e in mine} == {"$SI", "$FN"}
    assert all(e["timestomp"] == [SI_CRTIME_BEFORE_FN, SI_CRTIME_WHOLE_SECOND] for e in mine)
    fn = [e for e in mine if e["source"] == "$FN"]
    assert len(fn) == 4 and all(e["timestamp_desc"].endswith("($FILE_NAME)") for e in fn)
    assert {e["inode"] for e in fn} == {f"{stomped['inode']}-48-{stomped['fn_attr_id']}"}
    listed = {
        r["path"]: r for r in map(json.loads, run_triage("files", str(case), "--json").stdout.splitlines())
    }
    assert listed[img.metadata["stomped"]]["timestomp"] == [SI_CRTIME_BEFORE_FN, SI_CRTIME_WHOLE_SECOND]
    assert listed[img.metadata["stomped"]]["crtime"] == "2015-06-01T00:00:00Z"
    assert listed[img.metadata["stomped"]]["fn_crtime"] > "2020" and listed["/honest.txt"]["timestomp"] == []
    rows_csv = list(csv.DictReader(io.StringIO(run_triage("timeline", str(case), "--format", "csv").stdout)))
    assert {r["timestomp"] for r in rows_csv if r["path"] == "/honest.txt"} == {""}
    assert {r["source"] for r in rows_csv if r["path"] == "/honest.txt"} == {"$SI", "$FN"}


def _row(**kw: Any) -> dict[str, Any]:
    return {"crtime": 1000, "crtime_ns": 5, "fn_crtime": 1000, "fn_crtime_ns": 5, **kw}


@pytest.mark.parametrize(
    ("row", "codes"),
    [
        (_row(), ()),
        (_row(crtime=999), (SI_CRTIME_BEFORE_FN,)),
        (_row(crtime_ns=4), (SI_CRTIME_BEFORE_FN,)),  # to the 100 ns when both are known
        (_row(crtime=1001, crtime_ns=0), (SI_CRTIME_WHOLE_SECOND,)),
        (_row(crtime=999, crtime_ns=0), (SI_CRTIME_BEFORE_FN, SI_CRTIME_WHOLE_SECOND)),
        (_row(crtime_ns=0, fn_crtime_ns=0), ()),  # both whole seconds: nothing to compare
        (_row(crtime_ns=None, fn_crtime_ns=None, crtime=999), (SI_CRTIME_BEFORE_FN,)),  # seconds only
        (_row(crtime_ns=None, crtime=1000, fn_crtime_ns=9), ()),
        (_row(fn_crtime=None, fn_crtime_ns=None), ()),  # no $FILE_NAME (not NTFS)
        (_row(crtime=None), ()),
        (_row(crtime=2000), ()),  # $SI later than $FN: normal after a copy back over, not a sign
    ],
)
def test_timestomp_rules(row: dict[str, Any], codes: tuple[str, ...]) -> None:
    assert timestomp_codes(row) == codes
    assert all(s.text for s in timestomp_signs(row))


def test_realloc_label_in_exports_and_files(tmp_path: Path) -> None:
    img = _build("ext4-realloc", tmp_path)
    case = tmp_path / "case"
    _scan(img.path, case)
    old, new = img.metadata["realloc_old"], img.metadata["realloc_new"]
    rows = _rows_by_path(case)
    assert rows[old]["deleted"] == 1 and rows[old]["realloc"] == 1  # deleted keeps its meaning
    assert rows[new]["deleted"] == 0 and rows[new]["realloc"] == 0
    for other in img.deleted:
        assert rows[other]["realloc"] == (1 if other == old else 0)
    events = [
        json.loads(x) for x in run_triage("timeline", str(case), "--format", "jsonl").stdout.splitlines()
    ]
    old_events = [e for e in events if e["path"] == old]
    assert old_events and all(e["deleted"] and e["deletion"] == "deleted-realloc" for e in old_events)
    assert all(e["message"].endswith(f"{old} (deleted-realloc)") for e in old_events)
    deleted_only = run_triage("timeline", str(case), "--format", "body", "--deleted-only").stdout
    assert f"|{old} (deleted-realloc)|" in deleted_only
    # triage files, text and JSON
    listed = {
        r["path"]: r for r in map(json.loads, run_triage("files", str(case), "--json").stdout.splitlines())
    }
    assert listed[old]["deleted"] is True and listed[old]["deletion"] == "deleted-realloc"
    assert {listed[p]["deletion"] for p in img.files} == {""}
    text = run_triage("files", str(case)).stdout.splitlines()
    assert [ln.split()[0] for ln in text if ln.endswith(f" {old} (deleted-realloc)")] == ["*"]
    # the export's inventory: artifacts.csv, DFXML (fiwalk's alloc_name/alloc_inode) and the CASE graph
    keys, out = tmp_path / "keys", tmp_path / "out"
    out.mkdir()
    assert (
        run_triage("keys", "new", "--out", str(keys), "--name", "self", "--cn", "T Examiner").returncode == 0
    )
    proc = run_triage(
        "export",
        str(case),
        "--out",
        str(out / "B"),
        "--select",
        "all",
        "--request",
        str(Path(__file__).resolve().parents[1] / "examples" / "request.toml"),
        "--sign-key",
        str(keys / "self.key.pem"),
        "--sign-cert",
        str(keys / "self.cert.pem"),
    )
    assert proc.returncode == 0, proc.stderr
    inv = out / "B" / "data" / "inventory"
    arts = {r["original_path"]: r for r in csv.DictReader(io.StringIO((inv / "artifacts.csv").read_text()))}
    assert arts[old]["deleted"] == "1" and arts[old]["deletion"] == "deleted-realloc"
    assert arts[new]["deleted"] == "0" and arts[new]["deletion"] == ""
    dfxml = (inv / "source.dfxml").read_text()
    block = dfxml[dfxml.index(f"<filename>{old.lstrip('/')}</filename>") :]
    block = block[: block.index("</fileobject>")]
    assert (
        "<alloc>0</alloc>" in block
        and "<alloc_name>0</alloc_name>" in block
        and "<alloc_inode>1</alloc_inode>" in block
    )
    graph = (out / "B" / "data" / "case" / "bundle.jsonld").read_text()
    assert '"uco-observable:allocationStatus": "deleted-realloc"' in graph


def test_csv_and_timesketch_jsonl(tmp_path: Path) -> None:
    try:
        img = images.build_ext4(tmp_path / "img")
    except ToolMissing as exc:
        pytest.skip(str(exc))
    case = tmp_path / "case"
    assert run_triage("scan", str(img.path), "--case", str(case)).returncode == 0
    lines = run_triage("timeline", str(case), "--format", "jsonl", "--with-findings").stdout.splitlines()
    events = [json.loads(x) for x in lines]
    assert events, "no events"
    for e in events:
        assert {"message", "datetime", "timestamp_desc"} <= e.keys()
        assert e["source"] == ""  # ext4 has one set of times
    stamps = [e["timestamp"] for e in events]
    assert stamps == sorted(stamps)
    deleted = [e for e in events if e["deleted"]]
    assert {e["path"] for e in deleted} >= set(img.deleted)
    assert {e["deletion"] for e in deleted} == {"deleted"}
    rows = list(csv.DictReader(io.StringIO(run_triage("timeline", str(case), "--format", "csv").stdout)))
    assert len(rows) == len(events)
    assert rows[0]["datetime"].endswith("Z")
    bad = run_triage("timeline", str(case), "--format", "csv", "--start", "yesterday")
    assert bad.returncode == 2 and "ISO 8601" in bad.stderr
