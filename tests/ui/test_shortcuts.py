"""Every keyboard shortcut of the workstation reaches exactly one action."""

from __future__ import annotations

from collections import defaultdict

import pytest

pytestmark = pytest.mark.gui


def test_no_two_actions_share_a_shortcut(qtbot, settings) -> None:
    from PySide6.QtGui import QAction, QKeySequence
    from triage_ui.main_window import MainWindow

    win = MainWindow(settings)
    qtbot.addWidget(win)
    owners: dict[str, list[str]] = defaultdict(list)
    for act in win.findChildren(QAction):
        for seq in act.shortcuts():
            if not seq.isEmpty():
                owners[seq.toString(QKeySequence.SequenceFormat.PortableText)].append(act.text())
    assert owners, "no shortcuts found: the test would pass vacuously"
    assert "F5" in owners and owners["F5"] == ["&Start scan"]
    shared = {key: names for key, names in owners.items() if len(names) > 1}
    assert not shared, f"shortcuts reach more than one action: {shared}"


def test_menu_mnemonics_are_unique_in_each_menu(qtbot, settings) -> None:
    """Alt+<letter> opens one menu, and a letter in an open menu reaches one item."""
    import re

    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QMenu
    from triage_ui.main_window import MainWindow

    win = MainWindow(settings)
    qtbot.addWidget(win)

    def mnemonics(texts: list[str]) -> list[str]:
        return [m.group(1).lower() for t in texts if (m := re.search(r"&([^&])", t))]

    bars = mnemonics([a.text() for a in win.menuBar().actions()])
    assert len(bars) == len(win.menuBar().actions()) and len(set(bars)) == len(bars), bars
    for menu in win.menuBar().findChildren(QMenu):
        letters = mnemonics([a.text() for a in menu.actions() if not a.isSeparator()])
        assert len(set(letters)) == len(letters), (menu.title(), letters)
    assert [a.text() for a in win.findChildren(QAction) if a.shortcut().toString() == "Ctrl+Q"] == ["&Quit"]
