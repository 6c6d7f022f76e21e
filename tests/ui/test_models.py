"""Every model passes Qt's model tester, and shows the case's real values."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt
from triage_ui.models import DictTableModel, EvidenceTreeModel, FileTableModel, FindingsModel, ViewsModel
from triage_ui.models.files import COLUMNS, PAGE

from triage.case.query import FileQuery
from triage.case.store import Case

pytestmark = pytest.mark.gui


def _fill(case: Case, n: int) -> None:
    """n synthetic rows in one partition (through the store's inventory API)."""
    ev = case.add_evidence("/nonexistent/synthetic.raw", "raw", ["/nonexistent/synthetic.raw"], 1 << 20)
    parts = case.begin_inventory(
        ev, "dos", [{"index": 0, "offset": 0, "length": 1 << 20, "description": "x", "fs_type": "ext4"}]
    )
    rows = [
        {
            "parent_path": "/",
            "path": f"/f{i:05d}",
            "name": f"f{(i * 7919) % n:05d}.txt",
            "inode": i + 10,
            "attr_type": None,
            "attr_id": None,
            "stream": None,
            "type": "r",
            "size": (i * 37) % 1000,
            "deleted": i % 10 == 0,
            "orphan": False,
            "mtime": None if i % 3 == 0 else 1_600_000_000 + i,
            "atime": None,
            "ctime": None,
            "crtime": None,
        }
        for i in range(n)
    ]
    case.insert_entries(ev, parts[0], rows)
    case.finish_inventory(ev)


def test_file_model_pages_lazily_and_sorts_across_pages(qtmodeltester, tmp_path: Path) -> None:
    n = PAGE * 2 + 37
    with Case.create(tmp_path / "c") as case:
        _fill(case, n)
    case = Case.open(tmp_path / "c", readonly=True)
    checked = FileTableModel(case)
    assert checked.rowCount() == PAGE and checked.canFetchMore(QModelIndex())
    qtmodeltester.check(checked)
    model = FileTableModel(case)
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
    assert model.rowCount() == n
    ids = [model.row_dict(r)["id"] for r in range(n)]
    assert ids == sorted(ids)
    # sort by size descending, then mtime ascending (NULLs first): equal to Python's order over all rows
    for col, order in (
        ("size", Qt.SortOrder.DescendingOrder),
        ("mtime", Qt.SortOrder.AscendingOrder),
        ("name", Qt.SortOrder.AscendingOrder),
    ):
        model.sort([c[0] for c in COLUMNS].index(col), order)
        assert model.rowCount() == PAGE
        while model.canFetchMore(QModelIndex()):
            model.fetchMore(QModelIndex())
        got = [(model.row_dict(r)[col], model.row_dict(r)["id"]) for r in range(n)]
        rows = list(case.iter_files())
        desc = order == Qt.SortOrder.DescendingOrder
        sentinel = -1 if col in ("size", "mtime") else ""
        want = sorted(
            ((r[col], r["id"]) for r in rows),
            key=lambda t: (sentinel if t[0] is None else t[0], t[1]),
            reverse=desc,
        )
        assert got == want, col
    # deleted scope + name filter
    model.sort(-1)
    model.set_query(FileQuery(deleted=True))
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
    assert model.rowCount() == len([i for i in range(n) if i % 10 == 0])
    assert model.index(0, 0).data(Qt.ItemDataRole.FontRole).italic()
    checked.sort(0, Qt.SortOrder.DescendingOrder)
    qtmodeltester.check(checked)


def test_evidence_tree_lazy(qtmodeltester, scanned_demo: Path) -> None:
    case = Case.open(scanned_demo, readonly=True)
    model = EvidenceTreeModel(case)
    assert model.rowCount() == 1
    ev = model.index(0, 0)
    assert model.rowCount(ev) == 0 and model.canFetchMore(ev)  # nothing loaded before expanding
    model.fetchMore(ev)
    parts = [model.index(r, 0, ev) for r in range(model.rowCount(ev))]
    fs = [p.data() for p in parts if "fat16" in p.data() or "ext4" in p.data()]
    assert len(fs) == 2
    ext4 = next(p for p in parts if "ext4" in p.data())
    model.fetchMore(ext4)
    top = sorted(model.index(r, 0, ext4).data() for r in range(model.rowCount(ext4)))
    assert {"home", "var", "lost+found"} <= set(top)
    qtmodeltester.check(model)


def test_findings_model_groups(qtmodeltester, scanned_demo: Path) -> None:
    case = Case.open(scanned_demo, readonly=True)
    model = FindingsModel(case)
    groups = model.groups()
    assert groups[0] == "Type mismatch: .jpg is application/zip"
    if len(groups) > 1:  # the identifiers analyzer is installed: its findings come after, one group each
        assert sorted(groups[1:]) == [
            "Identifier: +442079460000",
            "Identifier: 10.0.0.5",
            "Identifier: 1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2",
            "Identifier: someone@gmail.com",
        ]
    g = model.index(0, 0)
    assert model.index(0, 0, g).data() == "/Pictures/holiday.jpg"
    assert model.index(0, 2, g).data().startswith("mime=application/zip")
    qtmodeltester.check(model)


def test_views_and_dict_models(qtmodeltester, scanned_demo: Path) -> None:
    case = Case.open(scanned_demo, readonly=True)
    views = ViewsModel(case)
    labels = [views.index(r, 0).data() for r in range(views.rowCount())]
    assert labels[:2] == ["All files", "Deleted files"]
    by_type = views.index(labels.index("By type"), 0)
    types = [views.index(r, 0, by_type).data() for r in range(views.rowCount(by_type))]
    assert "application/pdf (2)" in types
    deleted = views.scope(views.index(1, 0))
    assert deleted is not None and views.scope(by_type) is None
    files = FileTableModel(case)
    assert deleted[0] == FileQuery(deleted=True) and deleted[1] == "Deleted files"
    files.set_query(deleted[0])
    names = sorted(files.index(r, 0).data() for r in range(files.rowCount()))
    assert names == [
        "Deleted Meeting Minutes.txt",
        "Old Draft Letter.txt",
        "plans.txt",
        "resignation draft.txt",
    ]
    qtmodeltester.check(views)
    flipped: list[tuple[int, bool]] = []
    table = DictTableModel(
        [("on", "On"), ("path", "Path")],
        [{"on": True, "path": "/a"}],
        check_key="on",
        on_check=lambda r, c: flipped.append((r, c)),
    )
    qtmodeltester.check(table)
    assert table.setData(table.index(0, 0), Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole)
    assert flipped == [(0, False)] and table.rows[0]["on"] is False


def test_match_ranges_reads_yara_hex() -> None:
    """The YARA analyzer stores matched bytes as ``data_hex``: the preview shows those bytes."""
    from triage_ui.models.findings import match_ranges

    details = {
        "strings": [
            {"identifier": "$a", "offset": 10, "length": 4, "data_hex": b"evil".hex()},
            {"identifier": "$b", "offset": 2, "length": 2, "data_hex": "zz"},
        ]
    }
    assert match_ranges(details) == [(2, 2, "$b", ""), (10, 4, "$a", "evil")]
