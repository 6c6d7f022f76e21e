"""The typed case query API (triage.case.query) against a real scanned ext4 image and fls."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import require_tools
from oracle import fls, fls_path

from triage.case.query import FileQuery, PageKey, sort_value

ROOT = Path(__file__).resolve().parents[1]


def test_deleted_query_equals_fls(scan_image, ext4_image) -> None:
    require_tools("fls")
    case = scan_image(ext4_image, analyzers=[]).case
    records = case.select_files(FileQuery(deleted=True))
    assert records, "the ext4 fixture has deleted files"
    offset = records[0].partition_offset // 512
    expected = {(e.path, e.inode) for e in fls(Path(ext4_image.path), offset) if e.deleted}
    assert {(fls_path(r.path), r.inode) for r in records} == expected
    assert case.count(FileQuery(deleted=True)) == len(records)
    assert all(r.deleted for r in records)
    everything = case.count()
    assert case.count(FileQuery(deleted=False)) + len(records) == everything


def test_keyset_paging_returns_every_row_once_in_order(scan_image, ext4_image) -> None:
    case = scan_image(ext4_image, analyzers=[]).case
    everyone = case.select_files()
    for order in ("name", "size", "mtime", "id"):
        for descending in (False, True):
            seen, after = [], None
            while page := case.select_files(order=order, descending=descending, after=after, limit=3):
                seen.extend(page)
                after = PageKey.of(page[-1], order)
            assert sorted(r.id for r in seen) == sorted(r.id for r in everyone)
            assert len({r.id for r in seen}) == len(seen)
            keys = [(sort_value(r, order), r.id) for r in seen]
            assert keys == sorted(keys, reverse=descending)


def test_scopes_and_facets(scan_image, ext4_image) -> None:
    case = scan_image(ext4_image, analyzers=[]).case
    some = case.select_files(FileQuery(types=("r",)), limit=2)
    ids = tuple(r.id for r in some)
    assert [r.id for r in case.select_files(FileQuery.scope("ids", ids))] == sorted(ids)
    assert case.file_record(ids[0]) == some[0]
    name = some[0].name[1:3]
    assert all(name.lower() in r.name.lower() for r in case.select_files(FileQuery.scope("name", name)))
    status = dict(case.file_facets("status"))
    assert sum(status.values()) == case.count()


# Files that still speak SQL outside triage/case/, each owned by another helper of issue 16 until
# the coordinator's merge; the coordinator empties this list.
ALLOWED = {
    "plugins/triage_plugins/yara_scan.py",  # measure_cost: helper "api2" converts it
}
# SQL keywords as words, so names such as SELECTIONS or DELETED_DIR do not count.
_SQL = re.compile(r"\b(SELECT|INSERT|UPDATE|DELETE)\b")


def test_sql_only_in_triage_case() -> None:
    offenders = []
    for top in ("triage", "ui", "plugins"):
        for path in sorted((ROOT / top).rglob("*.py")):
            rel = path.relative_to(ROOT).as_posix()
            if rel.startswith("triage/case/") or rel in ALLOWED:
                continue
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if _SQL.search(line):
                    offenders.append(f"{rel}:{n}: {line.strip()}")
    assert not offenders, "SQL outside triage/case/:\n" + "\n".join(offenders)
