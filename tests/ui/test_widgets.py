"""Widgets and polish: hex view, text decoding, scan control, rule diagnostics, about box,
error dialogs, window state, and the ``triage gui`` command."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from triage_ui.main_window import MainWindow
from triage_ui.views.detail import detect_encoding
from triage_ui.views.dialogs import library_versions
from triage_ui.views.hexview import MAX_BLOCKS, BlockCache, HexView

from triage.errors import EvidenceError
from triage.rules import check_rules

pytestmark = pytest.mark.gui


class Source:
    def __init__(self, data: bytes) -> None:
        self.data, self.size, self.reads = data, len(data), []

    def read(self, offset: int, length: int) -> bytes:
        self.reads.append((offset, length))
        return self.data[offset : offset + length]


def test_block_cache_reads_bounded_blocks() -> None:
    src = Source(bytes(range(256)) * 40_000)  # ~10 MiB
    cache = BlockCache(src)
    assert cache.read(70_000, 10) == src.data[70_000:70_010]
    assert src.reads == [(65536, 65536)]
    for i in range(MAX_BLOCKS + 5):
        cache.read(i * 65536, 1)
    assert len(cache._blocks) == MAX_BLOCKS
    assert max(n for _, n in src.reads) == 65536


def test_hex_view_match_navigation(qtbot) -> None:
    data = b"x" * 5000 + b"NIGHTJAR" + b"y" * 90_000 + b"NIGHTJAR" + b"z" * 10
    view = HexView()
    qtbot.addWidget(view)
    view.resize(700, 300)
    view.show()
    view.set_source(Source(data), [(5000, 8), (95_008, 8)])
    with qtbot.waitSignal(view.currentMatchChanged):
        view.next_match()
    assert view.current_match() == (5000, 8) and view.read(5000, 8) == b"NIGHTJAR"
    view.next_match()
    assert view.current_match() == (95_008, 8)
    assert view.top_offset() <= 95_008 < view.top_offset() + 16 * 30
    view.previous_match()
    assert view.current_match() == (5000, 8)
    view.grab()  # paints without error


def test_detect_encoding() -> None:
    text = "Grüße aus München — ünïcödé"
    assert detect_encoding(text.encode("utf-8")) == "utf-8"
    assert detect_encoding(text.encode("utf-16-le")) == "utf-16-le"
    assert detect_encoding("\ufeff".encode("utf-8") + b"abc") == "utf-8-sig"
    assert detect_encoding(text.encode("utf-16")) == "utf-16"
    latin = ("Le cœur de l'été, déjà là. " * 20).encode("cp1252")
    assert latin.decode(detect_encoding(latin)) == latin.decode("cp1252")


def test_rule_diagnostics_have_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "good.yar").write_text('rule a { strings: $a = "x" condition: $a }\n')
    (tmp_path / "bad.yar").write_text('rule b {\n  strings: $a = "x"\n  condition: $c }\n')
    diags = check_rules(tmp_path).diagnostics
    errors = [d for d in diags if d.level == "error"]
    assert len(errors) == 1
    assert errors[0].file.endswith("bad.yar") and errors[0].line == 3
    assert str(errors[0]).startswith(f"{tmp_path / 'bad.yar'}:3: error:")


def test_about_versions_match_the_libraries() -> None:
    import pytsk3
    import yara
    from PySide6.QtCore import qVersion

    v = library_versions()
    assert v["The Sleuth Kit"] == pytsk3.TSK_VERSION_STR
    assert v["YARA"].startswith(yara.YARA_VERSION)
    assert v["Qt"] == qVersion()
    assert v["libmagic"][0].isdigit()


def test_errors_are_one_line_and_logged(qtbot, settings: QSettings, tmp_path: Path, caplog) -> None:
    win = MainWindow(settings)
    qtbot.addWidget(win)
    win._guard(lambda: win.open_case(tmp_path / "nope"))
    assert win.errors.last is not None and "not a case folder" in win.errors.last
    assert "Traceback" not in win.errors.last
    win._guard(lambda: (_ for _ in ()).throw(RuntimeError("boom")))
    assert win.errors.last.startswith("Unexpected error (RuntimeError: boom)")
    assert "\n" not in win.errors.last
    assert any(r.exc_info for r in caplog.records if "boom" in str(r.exc_info))
    win.new_case(tmp_path / "case")
    empty = tmp_path / "empty.dd"
    empty.write_bytes(b"")
    with pytest.raises(EvidenceError):
        win.add_evidence([empty])
    win._guard(lambda: win.add_evidence([empty]))
    assert win.errors.last == f"{empty}: empty file, not a disk image"


def test_window_state_and_recent_cases_persist(qtbot, settings: QSettings, tmp_path: Path) -> None:
    win = MainWindow(settings)
    qtbot.addWidget(win)
    win.show()
    win.move(40, 30)
    win.resize(701, 503)
    qtbot.waitExposed(win)
    geometry = win.geometry()
    win.new_case(tmp_path / "case")
    win.scan_dock_widget.hide()
    win.close()
    again = MainWindow(settings)
    qtbot.addWidget(again)
    again.show()
    assert settings.value("window/geometry") is not None
    # the offscreen screen is 800×600, so only what fits on it can come back exactly
    assert (again.geometry().y(), again.geometry().height()) == (geometry.y(), geometry.height())
    assert again.recent_cases() == [str((tmp_path / "case").resolve())]
    assert again.scan_dock_widget.isHidden()


def test_cancel_then_resume(qtbot, settings: QSettings, tmp_path: Path, demo_image: Path) -> None:
    win = MainWindow(settings)
    qtbot.addWidget(win)
    win.new_case(tmp_path / "case")
    win.add_evidence([demo_image])
    with qtbot.waitSignal(win.scan_dock.scanFinished, timeout=120_000) as first:
        win.scan_dock.start()
        win.scan_dock.cancel()
    assert first.args[0].status == "cancelled"
    with qtbot.waitSignal(win.scan_dock.scanFinished, timeout=120_000) as second:
        win.scan_dock.start(resume=True)
    assert second.args[0].status == "completed"
    assert win.session is not None
    assert win.session.ro.count_files("f.status='pending'") == 0
    assert [s["status"] for s in win.session.ro.scans()] == ["cancelled", "completed"]
    win.close()


def test_hash_algorithms_form_gives_a_list(qtbot) -> None:
    from triage_ui.views.scan_dock import ScanDock

    dock = ScanDock()
    qtbot.addWidget(dock)
    dock.set_option("hashes", "algorithms", ["md5", "sha256"])
    assert dock.options()["hashes"]["algorithms"] == ["md5", "sha256"]


def test_gui_command_keeps_qt_out_of_the_core() -> None:
    code = (
        "import sys, triage.cli as c; p = c.build_parser(); "
        "a = p.parse_args(['gui', '--demo']); assert a.demo and a.func; "
        "assert not [m for m in sys.modules if m.startswith('PySide6')], 'Qt imported'; print('ok')"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and out.stdout.strip() == "ok", out.stderr


def test_demo_case_is_created_scanned_once_and_reopened(
    qtbot, settings: QSettings, tmp_path: Path, demo_image: Path
) -> None:
    from triage_ui.app import open_demo

    win = MainWindow(settings)
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.scan_dock.scanFinished, timeout=120_000) as done:
        progress = open_demo(win, demo_image, tmp_path / "demo")
        assert progress is not None
    assert done.args[0].status == "completed"
    assert win.file_model.loaded() >= 40 and win.session is not None
    win.close()
    again = MainWindow(settings)
    qtbot.addWidget(again)
    assert open_demo(again, demo_image, tmp_path / "demo") is None  # opened, not scanned again
    assert again.session is not None and len(again.session.ro.scans()) == 1
    again.close()
