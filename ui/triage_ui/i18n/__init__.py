"""Translations of the workstation: which language, and installing Qt's translators for it.

The catalogues are ``triage_<lang>.ts`` (sources, edited with Qt Linguist or by hand) and the
compiled ``triage_<lang>.qm`` next to this file; both are committed (``make translations``
re-extracts the strings and recompiles). Qt's own ``qtbase_<lang>.qm`` (standard buttons,
file dialogs) comes from the PySide6 installation. Arabic has no catalogue of ours: it is
there to check the right-to-left layout with Qt's own Arabic strings.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import (
    QCoreApplication,
    QLibraryInfo,
    QLocale,
    QSettings,
    Qt,
    QTranslator,
)
from PySide6.QtWidgets import (
    QApplication,
    QBoxLayout,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QWidget,
)

from triage.case.records import ProblemCount

log = logging.getLogger("triage.ui.i18n")


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 (the name lupdate looks for)
    """Mark ``text`` for lupdate under ``context``; translated where it is shown
    (``QCoreApplication.translate(context, text)``). PySide6's own is typed ``-> object``."""
    return text


I18N_DIR = Path(__file__).resolve().parent
SETTINGS_KEY = "ui/language"
#: code → name of the language in that language ("" follows the system locale)
LANGUAGES: dict[str, str] = {
    "": QT_TRANSLATE_NOOP("Language", "System language"),
    "en": "English",
    "fr": "Français",
    "es": "Español",
    "ar": "العربية",
}
CATALOGUES = ("fr", "es")  # languages with a triage_<lang>.qm of our own
CODES = tuple(code for code in LANGUAGES if code)

_installed: list[QTranslator] = []


def translate(context: str, text: str) -> str:
    return QCoreApplication.translate(context, text)


def catalogue(lang: str) -> Path:
    return I18N_DIR / f"triage_{lang}.qm"


def missing_catalogues() -> list[Path]:
    """Compiled catalogues that should ship but are absent or unloadable (the smoke test's check)."""
    missing = []
    for lang in CATALOGUES:
        t = QTranslator()
        if not t.load(str(catalogue(lang))) or t.isEmpty():
            missing.append(catalogue(lang))
    return missing


def choose_language(requested: str | None = None, settings: QSettings | None = None) -> str:
    """``--lang`` first, then the Preferences choice, then the system locale; English for
    languages the workstation has no translation for."""
    code = requested or (str(settings.value(SETTINGS_KEY, "") or "") if settings is not None else "")
    if not code:
        code = QLocale.system().name().split("_")[0]
    return code if code in CODES else "en"


def install(app: QCoreApplication, lang: str) -> list[QTranslator]:
    """Install Qt's and our translators for ``lang`` (removing earlier ones) and set the
    layout direction of the language: right to left for Arabic, docks mirrored."""
    for t in _installed:
        app.removeTranslator(t)
    _installed.clear()
    locale = QLocale(lang)
    QLocale.setDefault(locale)
    if lang != "en":
        qt = QTranslator(app)
        qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        if qt.load(locale, "qtbase", "_", qt_dir):
            app.installTranslator(qt)
            _installed.append(qt)
        else:
            log.warning("Qt's own translation for %s was not found in %s", lang, qt_dir)
        if lang in CATALOGUES:
            ours = QTranslator(app)
            if ours.load(str(catalogue(lang))):
                app.installTranslator(ours)
                _installed.append(ours)
            else:
                log.warning(
                    "the translation %s is missing: the workstation stays in English", catalogue(lang)
                )
    if isinstance(app, QApplication):
        app.setLayoutDirection(
            Qt.LayoutDirection.RightToLeft
            if locale.textDirection() == Qt.LayoutDirection.RightToLeft
            else Qt.LayoutDirection.LeftToRight
        )
    return list(_installed)


def problem_count_text(count: ProblemCount) -> str:
    """``str(ProblemCount)`` ("1 error, 2 warnings") in the interface language."""
    errors = (
        translate("ProblemCount", "1 error")
        if count.errors == 1
        else translate("ProblemCount", "{n} errors").format(n=count.errors)
    )
    warnings = (
        translate("ProblemCount", "1 warning")
        if count.warnings == 1
        else translate("ProblemCount", "{n} warnings").format(n=count.warnings)
    )
    return translate("ProblemCount", "{errors}, {warnings}").format(errors=errors, warnings=warnings)


def language_combo(settings: QSettings) -> QComboBox:
    """The Preferences choice: system language, English, Français, Español, العربية."""
    combo = QComboBox()
    combo.setObjectName("languageCombo")
    for code, name in LANGUAGES.items():
        combo.addItem(translate("Language", name) if not code else name, code)
    current = str(settings.value(SETTINGS_KEY, "") or "")
    combo.setCurrentIndex(max(0, combo.findData(current)))
    return combo


def add_language_choice(dialog: QDialog, settings: QSettings) -> QComboBox:
    """Put the language choice at the top of a Preferences dialog; saved when it is accepted
    and used from the next start (every window is built in one language)."""
    combo = language_combo(settings)
    note = QLabel(translate("Language", "takes effect when the workstation is restarted"))
    row = QWidget()
    lay = QHBoxLayout(row)
    lay.setContentsMargins(0, 0, 0, 0)
    lay.addWidget(combo)
    lay.addWidget(note, 1)
    label = translate("Language", "Language")
    layout = dialog.layout()
    if isinstance(layout, QFormLayout):
        layout.insertRow(0, label, row)
    elif isinstance(layout, QBoxLayout):
        lay.insertWidget(0, QLabel(label))
        layout.insertWidget(0, row)
    dialog.accepted.connect(lambda: settings.setValue(SETTINGS_KEY, combo.currentData() or ""))
    return combo


__all__ = [
    "QT_TRANSLATE_NOOP",
    "CATALOGUES",
    "CODES",
    "LANGUAGES",
    "SETTINGS_KEY",
    "add_language_choice",
    "catalogue",
    "choose_language",
    "install",
    "missing_catalogues",
    "problem_count_text",
    "scan_word",
    "translate",
]

#: the engine's phases and scan statuses, as the status texts show them
SCAN_WORDS = (
    QT_TRANSLATE_NOOP("ScanStatus", "starting"),
    QT_TRANSLATE_NOOP("ScanStatus", "inventory"),
    QT_TRANSLATE_NOOP("ScanStatus", "content"),
    QT_TRANSLATE_NOOP("ScanStatus", "evidence hash"),
    QT_TRANSLATE_NOOP("ScanStatus", "locating damage"),
    QT_TRANSLATE_NOOP("ScanStatus", "finished"),
    QT_TRANSLATE_NOOP("ScanStatus", "completed"),
    QT_TRANSLATE_NOOP("ScanStatus", "cancelled"),
    QT_TRANSLATE_NOOP("ScanStatus", "interrupted"),
    QT_TRANSLATE_NOOP("ScanStatus", "running"),
    QT_TRANSLATE_NOOP("ScanStatus", "paused"),
    QT_TRANSLATE_NOOP("ScanStatus", "failed"),
    QT_TRANSLATE_NOOP("ScanStatus", "idle"),
)


def scan_word(word: str) -> str:
    """A phase or status of the engine ("inventory", "completed" …) in the interface language;
    words without a translation are shown as they are."""
    return translate("ScanStatus", word)
