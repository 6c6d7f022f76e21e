"""The gallery on the demo image: exactly the demo's pictures (oracle: mmls, fls, icat and
``file --mime-type``), thumbnails equal to Pillow's on icat output, one selection with the file
table and the detail pane, tagging, EXIF in Metadata, the case cache, a damaged JPEG's visible
reason, and the evidence unchanged."""

from __future__ import annotations

import hashlib
import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageChops
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from triage_ui.main_window import MainWindow
from triage_ui.models.gallery import ErrorRole, FileIdRole

from triage.media.decode import MAX_EDGE
from triage.testing.images.base import SECTOR, require_tools, tsk_cat, tsk_list

pytestmark = pytest.mark.gui


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _oracle(image: Path) -> dict[str, bytes]:
    """Path -> icat bytes of every regular file (deleted too) that `file` calls image/*, over the
    file systems mmls lists."""
    require_tools("mmls", "fls", "icat", "file")
    mmls = subprocess.run(["mmls", str(image)], capture_output=True, text=True, check=True).stdout
    starts = [int(m[1]) for m in re.finditer(r"^\d+:\s+\d+:\d+\s+(\d+)\s", mmls, re.M)]
    out: dict[str, bytes] = {}
    for start in starts:
        for entry in tsk_list(image, start * SECTOR):
            if not entry.type.endswith("/r"):
                continue
            data = tsk_cat(image, entry.addr, start * SECTOR)
            mime = subprocess.run(
                ["file", "--mime-type", "-b", "-"], input=data, capture_output=True, check=True
            ).stdout.decode()
            if mime.strip().startswith("image/"):
                out[entry.path] = data
    return out


def _window(qtbot, settings, case: Path) -> MainWindow:
    win = MainWindow(settings)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    qtbot.waitExposed(win)
    with qtbot.waitActive(win):
        win.activateWindow()
    win.open_case(case)
    return win


def _all_thumbnails_in(qtbot, win: MainWindow) -> None:
    """Scroll to each picture in turn (only what is on screen is asked for) until it has its thumbnail."""
    model = win.gallery.model
    qtbot.waitUntil(lambda: model.rowCount() > 0, timeout=10_000)
    for row, fid in enumerate(model.file_ids()):
        win.gallery.view.scrollTo(model.index(row, 0))
        qtbot.waitUntil(lambda fid=fid: model.has_thumbnail(fid) or bool(model.error(fid)), timeout=30_000)


def _png_of(pixmap) -> Image.Image:
    buf = QBuffer()
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    pixmap.save(buf, "PNG")
    return Image.open(io.BytesIO(bytes(QByteArray(buf.data()))))


def _click(qtbot, win: MainWindow, row: int, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    view = win.gallery.view
    idx = win.gallery.model.index(row, 0)
    view.scrollTo(idx)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, modifier, view.visualRect(idx).center())


def test_the_gallery_shows_the_demo_pictures(
    qtbot, settings, tmp_path: Path, scanned_demo: Path, demo_image: Path
) -> None:
    before = _sha256(demo_image)
    oracle = _oracle(demo_image)
    assert {"/DCIM/100CANON/IMG_0001.JPG", "/home/alice/Pictures/cat.png"} <= set(oracle)
    assert "/Pictures/holiday.jpg" not in oracle  # its name lies: it is a ZIP
    shutil.copytree(scanned_demo, tmp_path / "case")
    win = _window(qtbot, settings, tmp_path / "case")
    win.table.setFocus()
    qtbot.keyClick(win.table, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)  # View → Show gallery
    assert win.file_tabs.currentWidget() is win.gallery
    _all_thumbnails_in(qtbot, win)
    model = win.gallery.model
    paths = {model.record(r).path: model.record(r) for r in range(model.rowCount())}
    assert set(paths) == set(oracle)
    assert "5 pictures" in win.gallery.status.text()

    # each thumbnail is Pillow's thumbnail of icat's bytes
    for path, data in oracle.items():
        rec = paths[path]
        row = model.row_of(rec.id)
        assert row is not None
        tile = _png_of(
            model.data(model.index(row, 0), Qt.ItemDataRole.DecorationRole).pixmap(MAX_EDGE, MAX_EDGE)
        )
        expected = Image.open(io.BytesIO(data))
        expected.thumbnail((MAX_EDGE, MAX_EDGE))
        assert tile.size == (MAX_EDGE, MAX_EDGE)
        w, h = expected.size
        left, top = (MAX_EDGE - w) // 2, (MAX_EDGE - h) // 2
        assert tile.getbbox() == (left, top, left + w, top + h), path  # the picture, centred
        got = tile.crop((left, top, left + w, top + h))
        diff = ImageChops.difference(got.convert("RGB"), expected.convert("RGB")).getextrema()
        assert max(hi for _lo, hi in diff) <= 2, (path, diff)

    # a click selects the picture everywhere: the table and the detail pane
    first = model.row_of(paths["/DCIM/100CANON/IMG_0001.JPG"].id)
    assert first is not None
    _click(qtbot, win, first)
    fid = paths["/DCIM/100CANON/IMG_0001.JPG"].id
    assert win.detail.file_id == fid
    table_ids = [win.file_model.row_dict(i.row())["id"] for i in win.table.selectionModel().selectedRows()]
    assert table_ids == [fid]
    # EXIF in Metadata (the demo's EXIF is written byte by byte by the fixture, not by Pillow)
    meta = win.detail.meta.toPlainText()
    assert "Canon" in meta and "EOS 80D" in meta and "2023:11:12 09:30:00" in meta
    assert "51.500700, -0.124600" in meta

    # Enter opens the current picture in the detail pane and selects it in the table too
    other = model.row_of(paths["/home/alice/Pictures/cat.png"].id)
    assert other is not None
    win.gallery.view.setFocus()
    win.gallery.view.setCurrentIndex(model.index(other, 0))
    qtbot.keyClick(win.gallery.view, Qt.Key.Key_Return)
    cat = paths["/home/alice/Pictures/cat.png"].id
    assert win.detail.file_id == cat
    assert [win.file_model.row_dict(i.row())["id"] for i in win.table.selectionModel().selectedRows()] == [
        cat
    ]

    # extended selection: ctrl-click adds; the tag action tags the gallery's selection
    _click(qtbot, win, first, Qt.KeyboardModifier.ControlModifier)
    chosen = sorted(int(i.data(FileIdRole)) for i in win.gallery.view.selectionModel().selectedIndexes())
    assert chosen == sorted([fid, cat])
    assert win.selected_file_ids() == sorted([fid, cat])
    assert win.tag_selected("gallery-pick") == 2
    session = win.session
    assert session is not None
    assert sorted(t["file_id"] for t in session.ro.tags() if t["tag"] == "gallery-pick") == sorted([fid, cat])

    # cached: the case opened again shows every thumbnail without one decode
    assert win.gallery.loader is not None
    assert win.gallery.loader.decoded == len(oracle)
    win.open_case(tmp_path / "case")
    win.show_gallery()
    _all_thumbnails_in(qtbot, win)
    assert win.gallery.loader is not None and win.gallery.loader.decoded == 0
    win.close()
    assert _sha256(demo_image) == before


def test_the_gallery_follows_the_view(qtbot, settings, tmp_path: Path, scanned_demo: Path) -> None:
    shutil.copytree(scanned_demo, tmp_path / "case")
    win = _window(qtbot, settings, tmp_path / "case")
    win.show_gallery()
    qtbot.waitUntil(lambda: win.gallery.model.rowCount() == 5, timeout=10_000)
    win.filter_edit.setText("IMG_")  # the name filter narrows the table and the gallery alike
    assert sorted(win.gallery.model.record(r).name for r in range(win.gallery.model.rowCount())) == [
        "IMG_0001.JPG",
        "IMG_0002.JPG",
    ]
    win.filter_edit.clear()
    assert win.gallery.model.rowCount() == 5
    win.close_case()
    assert win.gallery.model.rowCount() == 0 and win.gallery.loader is None


def test_a_damaged_picture_shows_its_reason(qtbot, settings, tmp_path: Path) -> None:
    from triage.case.store import Case
    from triage.scan.engine import ScanEngine, ScanOptions
    from triage.testing.images.ext4 import make_ext4
    from triage.testing.images.formats import sample_jpeg

    good = sample_jpeg(64, 48, seed=3)
    img = make_ext4(tmp_path / "p.img", {"/ok.jpg": good, "/cut.jpg": good[: len(good) // 2]}, size=2 << 20)
    before = _sha256(img.path)
    with Case.create(tmp_path / "case") as case:
        assert ScanEngine(case, [img.path], ScanOptions(workers=1)).run().status == "completed"
    win = _window(qtbot, settings, tmp_path / "case")
    win.show_gallery()
    _all_thumbnails_in(qtbot, win)
    model = win.gallery.model
    rows = {model.record(r).name: model.index(r, 0) for r in range(model.rowCount())}
    assert set(rows) == {"ok.jpg", "cut.jpg"}
    assert rows["ok.jpg"].data(ErrorRole) is None
    reason = rows["cut.jpg"].data(ErrorRole)
    assert reason and "truncated" in reason.lower()
    tip = rows["cut.jpg"].data(Qt.ItemDataRole.ToolTipRole)
    assert "/cut.jpg" in tip and "No thumbnail" in tip and reason in tip
    assert rows["cut.jpg"].data(Qt.ItemDataRole.DecorationRole).cacheKey() == model.broken.cacheKey()
    session = win.session
    assert session is not None
    win.problems.refresh()
    assert any("cut.jpg" in p.message and p.source == "thumbnail" for p in session.ro.select_problems())
    win.close()
    assert _sha256(img.path) == before


def test_only_the_pictures_on_screen_are_decoded(qtbot, settings, tmp_path: Path) -> None:
    from triage.case.store import Case
    from triage.scan.engine import ScanEngine, ScanOptions
    from triage.testing.images.ext4 import make_ext4
    from triage.testing.images.formats import sample_png

    tree = {f"/p/{i:03d}.png": sample_png(24, 16, seed=i) for i in range(60)}
    img = make_ext4(tmp_path / "many.img", tree, size=4 << 20)
    with Case.create(tmp_path / "case") as case:
        assert ScanEngine(case, [img.path], ScanOptions(workers=1)).run().status == "completed"
    win = _window(qtbot, settings, tmp_path / "case")
    win.show_gallery()
    gallery, model = win.gallery, win.gallery.model
    qtbot.waitUntil(lambda: model.rowCount() == 60, timeout=10_000)
    on_screen = gallery.visible_rows()
    assert 0 < len(on_screen) < 60
    qtbot.waitUntil(lambda: all(model.has_thumbnail(model.file_ids()[r]) for r in on_screen), timeout=30_000)
    qtbot.wait(300)  # nothing else is asked for while the view stands still
    assert gallery.loader is not None
    assert (
        gallery.loader.decoded == sum(model.has_thumbnail(i) for i in model.file_ids()) <= len(on_screen) + 8
    )
    gallery.view.scrollToBottom()
    qtbot.waitUntil(lambda: model.has_thumbnail(model.file_ids()[-1]), timeout=30_000)
    assert not model.has_thumbnail(model.file_ids()[len(on_screen) + 8])  # the middle was skipped over
    win.close()


def test_a_read_only_case_shows_thumbnails_without_writing(
    qtbot, settings, tmp_path: Path, scanned_demo: Path
) -> None:
    import sys
    import time

    from triage.case.store import Case

    shutil.copytree(scanned_demo, tmp_path / "case")
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; from triage.case.lock import acquire; "
            "acquire(Path(sys.argv[1])); print('held', flush=True); time.sleep(120)",
            str(tmp_path / "case"),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        win = _window(qtbot, settings, tmp_path / "case")
        assert win.session is not None and win.session.readonly_reason  # another process writes it
        win.show_gallery()
        _all_thumbnails_in(qtbot, win)
        model = win.gallery.model
        assert model.rowCount() == 5 and all(model.has_thumbnail(i) for i in model.file_ids())
        ids = model.file_ids()
        win.close()
    finally:
        holder.kill()
        holder.wait(10)
    time.sleep(0.1)
    with Case.open(tmp_path / "case", readonly=True) as case:
        assert case.thumbnails(ids) == {}  # kept in memory for the session, nothing written
