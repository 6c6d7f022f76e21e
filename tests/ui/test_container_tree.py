"""The evidence tree opens containers like folders (issue 20 item 3): the demo image's
holiday.jpg (a JPEG with a zip appended) and Downloads/archive.zip expand to their members
(``ARCHIVE//member``), which are marked as members in the tree and the file table; a partition
with carved entries has a virtual "Carved" node listing them. The oracle for the members is
``unzip -l`` of the container's bytes, read from the image by ``icat``."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from casedb import one, sql
from PySide6.QtCore import QModelIndex, Qt
from triage_ui.main_window import MainWindow
from triage_ui.models import EvidenceTreeModel
from triage_ui.models.files import COLUMNS

from triage.case.store import Case

pytestmark = pytest.mark.gui


def child(model: EvidenceTreeModel, parent: QModelIndex, text: str) -> QModelIndex:
    model.fetchMore(parent)
    for r in range(model.rowCount(parent)):
        index = model.index(r, 0, parent)
        if str(index.data()).split("  [")[0] == text or str(index.data()).startswith(text):
            return index
    raise AssertionError(
        f"{text!r} not under {parent.data()!r}: {[model.index(r, 0, parent).data() for r in range(model.rowCount(parent))]}"
    )


def unzip_names(demo_image: Path, case_dir: Path, path: str) -> list[str]:
    """The regular members ``unzip -Z1`` lists in the container's bytes (icat from the image)."""
    for tool in ("icat", "unzip"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} not installed")
    row = one(
        case_dir,
        "SELECT f.inode, p.offset FROM files f JOIN partitions p ON p.id=f.partition_id WHERE f.path=?",
        (path,),
    )
    data = subprocess.run(
        ["icat", "-o", str(row["offset"] // 512), str(demo_image), str(row["inode"])],
        capture_output=True,
        check=True,
    ).stdout
    tmp = case_dir.parent / "container.zip"
    tmp.write_bytes(data)
    names = subprocess.run(["unzip", "-Z1", str(tmp)], capture_output=True, text=True).stdout.split()
    return sorted(n for n in names if not n.endswith("/"))


@pytest.fixture
def case_copy(tmp_path: Path, scanned_demo: Path) -> Path:
    """The scanned demo case plus one carved entry in the first partition (as a carver would add it)."""
    case = tmp_path / "case"
    shutil.copytree(scanned_demo, case)
    cols = [r["name"] for r in sql(case, "PRAGMA table_info(files)") if r["name"] != "id"]
    picked = ", ".join(
        {
            "path": "'/$Carved/carved-0001.jpg'",
            "parent_path": "'/$Carved'",
            "name": "'carved-0001.jpg'",
            "origin": "'carved'",
            "container_id": "NULL",
            "member_path": "NULL",
            "extent": "'[[8192, 639]]'",
        }.get(c, c)
        for c in cols
    )
    sql(
        case,
        f"INSERT INTO files({', '.join(cols)}) SELECT {picked} FROM files WHERE path='/DCIM/100CANON/IMG_0002.JPG'",
    )
    return case


def test_tree_model_lists_members_under_their_container(
    qtmodeltester, case_copy: Path, demo_image: Path
) -> None:
    with Case.open(case_copy, readonly=True) as case:
        model = EvidenceTreeModel(case)
        ev = model.index(0, 0)
        model.fetchMore(ev)
        fat = next(
            model.index(r, 0, ev)
            for r in range(model.rowCount(ev))
            if "fat16" in model.index(r, 0, ev).data()
        )
        ext4 = next(
            model.index(r, 0, ev) for r in range(model.rowCount(ev)) if "ext4" in model.index(r, 0, ev).data()
        )
        holiday = child(model, child(model, fat, "Pictures"), "holiday.jpg")
        assert holiday.data() == "holiday.jpg  [zip container]"
        assert model.node(holiday).kind == "container" and model.hasChildren(holiday)
        model.fetchMore(holiday)
        members = [model.index(r, 0, holiday) for r in range(model.rowCount(holiday))]
        assert sorted(m.data() for m in members) == unzip_names(
            demo_image, case_copy, "/Pictures/holiday.jpg"
        )
        for m in members:
            node = model.node(m)
            assert node.kind == "file" and node.data["origin"] == "member" and not model.hasChildren(m)
            assert node.data["path"] == f"/Pictures/holiday.jpg//{m.data()}"
            assert "member " + m.data() in m.data(Qt.ItemDataRole.ToolTipRole)
        # a folder inside an archive is a folder node, its files are members under it
        downloads = child(model, child(model, child(model, ext4, "home"), "alice"), "Downloads")
        archive = child(model, downloads, "archive.zip")
        data = child(model, archive, "data")
        assert model.node(data).kind == "folder" and model.node(data).data["origin"] == "member"
        values = child(model, data, "values.csv")
        assert model.node(values).data["path"] == "/home/alice/Downloads/archive.zip//data/values.csv"
        listed = sorted(
            ["data/" + model.index(r, 0, data).data() for r in range(model.rowCount(data))]
            + [
                model.index(r, 0, archive).data()
                for r in range(model.rowCount(archive))
                if model.node(model.index(r, 0, archive)).kind == "file"
            ]
        )
        assert listed == unzip_names(demo_image, case_copy, "/home/alice/Downloads/archive.zip")
        # the carved entry sits under the partition's virtual Carved node, not in a folder
        carved = child(model, fat, "Carved (1)")
        assert model.node(carved).kind == "carved"
        model.fetchMore(carved)
        assert [model.index(r, 0, carved).data() for r in range(model.rowCount(carved))] == [
            "carved-0001.jpg"
        ]
        assert all(model.node(model.index(r, 0, ext4)).kind != "carved" for r in range(model.rowCount(ext4)))
        qtmodeltester.check(model)


def test_clicking_a_container_lists_its_members_marked_in_the_table(
    qtbot, settings, case_copy: Path, demo_image: Path
) -> None:
    win = MainWindow(settings)
    qtbot.addWidget(win)
    win.show()
    win.open_case(case_copy)
    model, tree = win.tree_model, win.tree
    ev = model.index(0, 0)
    model.fetchMore(ev)
    fat = next(
        model.index(r, 0, ev) for r in range(model.rowCount(ev)) if "fat16" in model.index(r, 0, ev).data()
    )
    holiday = child(model, child(model, fat, "Pictures"), "holiday.jpg")
    tree.expand(holiday.parent())
    tree.scrollTo(holiday)
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=tree.visualRect(holiday).center())
    fm = win.file_model
    qtbot.waitUntil(lambda: fm.rowCount() == 2, timeout=5000)
    kind = [k for k, _, _ in COLUMNS].index("type")
    rows = {fm.row_dict(r)["name"]: r for r in range(fm.rowCount())}
    assert sorted(rows) == unzip_names(demo_image, case_copy, "/Pictures/holiday.jpg")
    for name, r in rows.items():
        assert fm.index(r, kind).data() == "file (member)", name
        assert fm.index(r, 0).data(Qt.ItemDataRole.DecorationRole) is not None
    # a member in the tree is the current file when clicked
    tree.expand(holiday)
    qtbot.waitUntil(lambda: model.rowCount(holiday) == 2, timeout=5000)
    member = model.index(0, 0, holiday)
    tree.scrollTo(member)
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=tree.visualRect(member).center())
    assert win.detail.file_id == model.node(member).data["id"]
    # the Carved node lists the carved entry, marked carved
    carved = child(model, fat, "Carved (1)")
    tree.scrollTo(carved)
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=tree.visualRect(carved).center())
    qtbot.waitUntil(lambda: fm.rowCount() == 1, timeout=5000)
    assert fm.row_dict(0)["name"] == "carved-0001.jpg" and fm.index(0, kind).data() == "file (carved)"
