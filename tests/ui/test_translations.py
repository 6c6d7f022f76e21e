"""Translations: complete French and Spanish catalogues compiled from the current sources, the
workstation really shown in French and Spanish (Qt's standard buttons too), and a right-to-left
layout with mirrored docks in Arabic."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.ui.xdisplay import xdotool

pytestmark = pytest.mark.gui


@pytest.fixture
def lang(qapp) -> Iterator[object]:
    """``lang("fr")`` installs a language for one test; English and left-to-right come back after."""
    from triage_ui import i18n

    yield lambda code: i18n.install(qapp, code)
    i18n.install(qapp, "en")


def _window(qtbot, settings):
    from triage_ui.main_window import MainWindow

    win = MainWindow(settings)
    qtbot.addWidget(win)
    return win


def _texts(win) -> dict[str, object]:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QDialogButtonBox

    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel | QDialogButtonBox.StandardButton.Ok)
    return {
        "menus": [a.text() for a in win.menuBar().actions()],
        "new": win.act_new.text(),
        "add": win.act_add.text(),
        "docks": [
            d.windowTitle()
            for d in (
                win.left_dock,
                win.findings_dock,
                win.scan_dock_widget,
                win.problems_dock,
                win.timeline_dock,
            )
        ],
        "start": win.scan_dock.start_btn.text(),
        "status": win.status_label.text(),
        "header": win.file_model.headerData(0, Qt.Orientation.Horizontal),
        "detail_tab": win.detail.tabText(0),
        "qt_cancel": box.button(QDialogButtonBox.StandardButton.Cancel).text(),
    }


@pytest.mark.parametrize("code", ["fr", "es"])
def test_every_source_string_is_translated(code: str) -> None:
    from triage_ui.i18n.check import messages, ts_path

    msgs = messages(ts_path(code))
    assert len(msgs) > 250, "the catalogue lost its strings"
    missing = [f"[{m.context}] {m.source!r}" for m in msgs if not m.finished]
    assert not missing, f"{len(missing)} string(s) without a {code} translation:\n" + "\n".join(missing)


def test_catalogues_hold_exactly_the_strings_of_the_sources() -> None:
    """A string added (or changed) in the UI without ``make translations`` fails here."""
    from triage_ui.i18n.check import extracted, messages, ts_path

    found = extracted()
    assert len(found) > 250
    for code in ("fr", "es"):
        have = {(m.context, m.source) for m in messages(ts_path(code))}
        assert len(have) == len(found), (code, sorted(found ^ have)[:20])
        assert have == found, f"{code}: run make translations; differences: {sorted(found ^ have)[:20]}"


@pytest.mark.parametrize("code", ["fr", "es"])
def test_committed_qm_is_compiled_from_the_current_ts(code: str) -> None:
    from triage_ui.i18n import catalogue
    from triage_ui.i18n.check import compiled, ts_path

    qm = catalogue(code)
    assert qm.is_file(), f"{qm} missing: run make translations"
    assert qm.read_bytes() == compiled(ts_path(code)), f"{qm.name} is stale: run make translations"


def test_english_by_default(qtbot, settings, lang) -> None:
    lang("en")
    texts = _texts(_window(qtbot, settings))
    assert texts["menus"] == ["&Case", "&Edit", "&View", "&Scan", "&Tools", "&Help"]
    assert texts["docks"][0] == "Evidence" and texts["qt_cancel"] == "Cancel"


def test_the_workstation_in_french(qtbot, settings, lang) -> None:
    installed = lang("fr")
    assert len(installed) == 2  # Qt's own and ours
    win = _window(qtbot, settings)
    texts = _texts(win)
    assert texts["menus"] == ["&Dossier", "&Édition", "&Affichage", "A&nalyse", "&Outils", "Aid&e"]
    assert texts["new"] == "&Nouveau dossier…"
    assert texts["add"] == "Ajouter un élément de &preuve…"
    assert texts["docks"] == ["Éléments de preuve", "Constatations", "Analyse", "Problèmes", "Chronologie"]
    assert texts["start"] == "Démarrer"
    assert texts["status"] == "Aucun dossier ouvert"
    assert texts["header"] == "Nom"
    assert texts["detail_tab"] == "Métadonnées"
    assert texts["qt_cancel"] == "Annuler"  # qtbase_fr: Qt's standard buttons follow
    # the dock objects keep their English names: saved layouts survive a change of language
    assert win.left_dock.objectName() == "dock_evidence"
    view_menu = win.menuBar().actions()[2].menu()
    assert "Constatations" in [a.text() for a in view_menu.actions()]


def test_the_workstation_in_spanish(qtbot, settings, lang) -> None:
    lang("es")
    texts = _texts(_window(qtbot, settings))
    assert texts["menus"] == ["&Caso", "&Editar", "&Ver", "&Análisis", "&Herramientas", "Ay&uda"]
    assert texts["new"] == "&Nuevo caso…"
    assert texts["add"] == "Añadir &evidencia…"
    assert texts["docks"] == ["Evidencias", "Hallazgos", "Análisis", "Problemas", "Cronología"]
    assert texts["start"] == "Iniciar"
    assert texts["status"] == "Ningún caso abierto"
    assert texts["header"] == "Nombre"
    assert texts["qt_cancel"] == "Cancelar"


def test_french_status_texts_of_an_open_case(qtbot, settings, lang, tmp_path) -> None:
    """Texts built at run time (counts, scan words) are translated too."""
    from triage_ui import i18n
    from triage_ui.session import CaseSession

    from triage.case.records import ProblemCount

    lang("fr")
    assert i18n.problem_count_text(ProblemCount(1, 2)) == "1 erreur, 2 avertissements"
    assert i18n.scan_word("completed") == "terminée"
    win = _window(qtbot, settings)
    win.set_session(CaseSession(tmp_path / "case", create=True))
    assert (
        win.status_label.text().startswith("Dossier ") and "0 élément(s) de preuve" in win.status_label.text()
    )
    assert win.file_model.scope_label == "Tous les fichiers"
    win.set_session(None)


def test_arabic_is_right_to_left_with_mirrored_docks(qtbot, settings, lang, qapp) -> None:
    from PySide6.QtCore import Qt

    lang("ar")
    assert qapp.layoutDirection() == Qt.LayoutDirection.RightToLeft
    win = _window(qtbot, settings)
    assert win.layoutDirection() == Qt.LayoutDirection.RightToLeft
    win.resize(1366, 768)
    win.show()
    qtbot.waitExposed(win)
    qtbot.waitUntil(lambda: win.left_dock.width() > 0 and win.centralWidget().width() > 0)
    middle = win.width() / 2
    left, right = win.left_dock.geometry(), win.findings_dock.geometry()
    assert win.dockWidgetArea(win.left_dock) == Qt.DockWidgetArea.RightDockWidgetArea  # mirrored
    assert left.center().x() > middle, f"the 'left' dock should be on the right in RTL: {left}"
    assert right.center().x() < middle, f"the 'right' docks should be on the left in RTL: {right}"
    assert win.centralWidget().geometry().left() < left.left()
    assert [a.text() for a in win.menuBar().actions()][0] == "&Case"  # no Arabic catalogue of ours


def test_left_to_right_again_after_arabic(qtbot, settings, lang, qapp) -> None:
    from PySide6.QtCore import Qt

    lang("ar")
    lang("en")
    assert qapp.layoutDirection() == Qt.LayoutDirection.LeftToRight
    win = _window(qtbot, settings)
    win.resize(1366, 768)
    win.show()
    qtbot.waitExposed(win)
    assert win.left_dock.geometry().center().x() < win.width() / 2


def test_language_choice_order(settings) -> None:
    from triage_ui.i18n import SETTINGS_KEY, choose_language

    settings.setValue(SETTINGS_KEY, "es")
    assert choose_language("fr", settings) == "fr"  # --lang wins
    assert choose_language(None, settings) == "es"  # then Preferences
    settings.setValue(SETTINGS_KEY, "xx")
    assert choose_language(None, settings) == "en"  # a language without translation: English


def test_preferences_store_the_language(qtbot, settings) -> None:
    from triage_ui.i18n import SETTINGS_KEY

    win = _window(qtbot, settings)
    dlg = win.preferences()
    from PySide6.QtWidgets import QComboBox

    combo = dlg.findChild(QComboBox, "languageCombo")
    assert combo is not None, "Preferences has no language choice"
    names = [combo.itemText(i) for i in range(combo.count())]
    assert names[1:] == ["English", "Français", "Español", "العربية"]
    combo.setCurrentIndex(combo.findData("fr"))
    dlg.save()
    assert settings.value(SETTINGS_KEY) == "fr"
    dlg.close()


def test_bad_lang_option_fails_before_any_work(capsys) -> None:
    from triage.cli import main

    with pytest.raises(SystemExit) as exc:
        main(["gui", "--lang", "xx"])
    assert exc.value.code == 2
    assert "--lang" in capsys.readouterr().err


def test_gui_lang_options_are_the_languages_of_the_ui() -> None:
    """``triage gui --lang`` lists its choices without importing Qt; they must be i18n.CODES."""
    import argparse

    from triage_ui.i18n import CODES

    from triage.cli import gui

    parser = argparse.ArgumentParser()
    gui.register(parser.add_subparsers())
    action = next(a for a in parser._subparsers._group_actions[0].choices["gui"]._actions if a.dest == "lang")  # type: ignore[union-attr]
    assert tuple(action.choices) == CODES


def test_shipped_catalogues_load() -> None:
    from triage_ui.i18n import missing_catalogues

    assert missing_catalogues() == []


def test_lang_option_reaches_the_translators(qtbot, settings, lang, monkeypatch) -> None:
    """``triage-gui --lang fr`` → ``run(lang="fr")`` → ``create_app`` installs the French translators."""
    from triage_ui import app as app_module

    seen: dict[str, object] = {}
    monkeypatch.setattr(app_module, "run", lambda case, **kw: seen.update(kw) or 0)
    assert app_module.main(["--lang", "fr"]) == 0
    assert seen["lang"] == "fr"
    app_module.create_app(lang="fr")
    assert _texts(_window(qtbot, settings))["menus"][0] == "&Dossier"
    app_module.create_app(lang="en")
    assert _texts(_window(qtbot, settings))["menus"][0] == "&Case"


@pytest.mark.parametrize(("code", "words"), [("fr", "lecture seule"), ("es", "solo lectura")])
def test_triage_gui_lang_on_a_real_display(code: str, words: str, tmp_path, xserver: str) -> None:
    """``triage gui CASE --lang fr`` as a user starts it, on Xvfb/xcb: the case is held by another
    writer (this test), so the window title carries the translated read-only note."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    from triage.case.store import Case

    exe = Path(sys.executable).with_name("triage")
    if not exe.is_file():
        pytest.skip(f"{exe} is not installed (pip install -e .)")
    display = xserver
    env = {
        **os.environ,
        "DISPLAY": display,
        "QT_QPA_PLATFORM": "xcb",
        "HOME": str(tmp_path),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "TRIAGE_LOG_DIR": str(tmp_path / "logs"),
    }
    with Case.create(tmp_path / "case"):  # holds the writer lock while the GUI opens the case
        gui = subprocess.Popen(
            [str(exe), "gui", str(tmp_path / "case"), "--lang", code],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            found = xdotool(display, "search", "--sync", "--onlyvisible", "--name", words)
            assert found, f"no window titled with “{words}”"
        finally:
            gui.kill()
            gui.communicate(timeout=30)
