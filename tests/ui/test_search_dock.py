"""The Search dock on a real scanned case (ext4 search-oracle image, text analyzer on): typing
finds a planted word, a document-text hit opens the document's *extracted* text with the word
selected, and a search saved from the dock becomes a keyword list with its findings."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from triage_ui.main_window import MainWindow

from triage.case.store import Case
from triage.scan.engine import ScanEngine, ScanOptions


@pytest.fixture(scope="module")
def search_case(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    from fixtures import ToolMissing
    from fixtures.search import build
    from test_search import text_plugin_config

    d = tmp_path_factory.mktemp("search-dock")
    try:
        image = build(d, "ext4", seed=41)
    except ToolMissing as exc:
        pytest.skip(str(exc))
    with Case.create(d / "case") as case:
        options = ScanOptions(
            workers=1, plugins=text_plugin_config(), evidence_hash=False, analyzers=["+text"]
        )
        assert ScanEngine(case, [image.path], options).run().status == "completed"
    return d / "case", image.words


def _window(qtbot, settings: QSettings, case_dir: Path) -> MainWindow:
    win = MainWindow(settings)
    qtbot.addWidget(win)
    win.open_case(case_dir)
    win.show()
    return win


def test_document_hit_shows_the_extracted_text(qtbot, settings: QSettings, search_case) -> None:
    case_dir, words = search_case
    win = _window(qtbot, settings, case_dir)
    panel = win.search
    qtbot.keyClicks(panel.edit, words["docx"])
    qtbot.waitUntil(lambda: panel.tree.topLevelItemCount() > 0, timeout=10_000)
    assert panel.status.text().startswith("Hits: 1 ")
    item = panel.tree.topLevelItem(0)
    assert item.text(0) == "/docs/report.docx" and item.text(1) == "text"
    panel.tree.itemActivated.emit(item, 0)
    detail = win.detail
    assert detail.currentIndex() == detail.text_tab
    assert detail.text.textCursor().selectedText() == words["docx"]
    assert "PK\x03\x04" not in detail.text.toPlainText()  # the words, not the zip's bytes
    assert detail.text_label.text().startswith("extracted text of word/document.xml, character ")


def test_saved_search_becomes_a_keyword_list(qtbot, settings: QSettings, search_case) -> None:
    case_dir, words = search_case
    win = _window(qtbot, settings, case_dir)
    panel = win.search
    assert not panel.save_btn.isEnabled()
    panel.edit.setText(words["plain"])
    assert panel.save_btn.isEnabled() and panel.current_term() == words["plain"]
    win.save_search(panel.current_term(), name="planted")
    panel.regex.setChecked(True)
    panel.edit.setText(words["pdf"][:6] + "[a-z]+")
    win.save_search(panel.current_term(), name="planted")
    with Case.open(case_dir, readonly=True) as case:
        assert case.saved_searches() == {"planted": [words["plain"], f"/{words['pdf'][:6]}[a-z]+/"]}
        found = {(f["path"], f["name"]) for f in case.findings("fi.plugin = ?", ("search",))}
    assert ("/notes/plain.txt", words["plain"]) in found
    assert ("/docs/paper.pdf", words["pdf"][:6] + "[a-z]+") in found
    assert [panel.saved.itemText(i) for i in range(panel.saved.count())][1:] == ["planted (terms: 2)"]
