"""Start the workstation: ``triage-gui [CASE] [--demo] [--lang fr]`` or ``triage gui [CASE] [--demo]``.

The interface language is ``--lang``, else the Preferences choice, else the system locale
(:mod:`triage_ui.i18n`).

``triage-gui --smoke-test`` builds the main window (offscreen when there is no display),
runs the event loop briefly and prints ``triage-gui smoke test ok`` with the Qt version: the
check an installed wheel or a frozen app runs without a screen.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import platformdirs
from PySide6.QtCore import QCoreApplication, QSettings, Qt, QTimer, qVersion
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPalette
from PySide6.QtWidgets import QApplication, QProgressDialog

from triage.logs import setup_logging
from triage.private import private_umask
from triage_ui import i18n
from triage_ui.main_window import MainWindow
from triage_ui.qtmessages import QtMessageLog
from triage_ui.resources import ICON, resource_path


def demo_case_dir() -> Path:
    return Path(platformdirs.user_data_dir("triage")) / "demo-case"


def follow_system_palette(app: QApplication) -> None:
    """Use the platform palette; where the platform theme has none (plain X11, offscreen) but the
    system asks for dark, use Fusion with a dark palette."""
    hints = QGuiApplication.styleHints()

    def apply() -> None:
        dark = hints.colorScheme() == Qt.ColorScheme.Dark
        if dark and app.palette().color(QPalette.ColorRole.Window).lightness() > 128:
            app.setStyle("Fusion")
            p = QPalette()
            for role, colour in (
                (QPalette.ColorRole.Window, "#2b2b2b"),
                (QPalette.ColorRole.WindowText, "#e6e6e6"),
                (QPalette.ColorRole.Base, "#1e1e1e"),
                (QPalette.ColorRole.AlternateBase, "#2b2b2b"),
                (QPalette.ColorRole.Text, "#e6e6e6"),
                (QPalette.ColorRole.Button, "#353535"),
                (QPalette.ColorRole.ButtonText, "#e6e6e6"),
                (QPalette.ColorRole.Highlight, "#3d6fb4"),
                (QPalette.ColorRole.HighlightedText, "#ffffff"),
            ):
                p.setColor(role, QColor(colour))
            app.setPalette(p)

    apply()
    hints.colorSchemeChanged.connect(lambda _scheme: apply())


def create_app(argv: Sequence[str] | None = None, lang: str | None = None) -> QApplication:
    """The application, with the translators of ``lang`` (see :func:`triage_ui.i18n.choose_language`)."""
    QCoreApplication.setOrganizationName("triage")
    QCoreApplication.setApplicationName("workstation")
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(list(argv or sys.argv[:1]))
    i18n.install(app, i18n.choose_language(lang, QSettings()))
    app.setApplicationDisplayName("triage")
    app.setWindowIcon(app_icon())
    follow_system_palette(app)
    return app


def app_icon() -> QIcon:
    """The application icon (package data, so installed wheels and frozen apps have it)."""
    return QIcon(str(resource_path(ICON)))


def open_demo(
    window: MainWindow, image: Path | None = None, case_dir: Path | None = None
) -> QProgressDialog | None:
    """Open the demo case, creating and scanning it (with a progress dialog) the first time."""
    from triage.evidence.demo import demo_image

    image = image or demo_image()
    case_dir = case_dir or demo_case_dir()
    fresh = not (case_dir / "case.sqlite").is_file()
    window.new_case(case_dir) if fresh else window.open_case(case_dir)
    assert window.session is not None
    if window.session.ro.evidence() and all(e["inventory_done"] for e in window.session.ro.evidence()):
        return None
    if not window.session.ro.evidence():
        window.add_evidence([image])
    progress = QProgressDialog(
        QCoreApplication.translate("app", "Scanning the demo image…"),
        QCoreApplication.translate("app", "Cancel"),
        0,
        1000,
        window,
    )
    progress.setWindowTitle(QCoreApplication.translate("app", "triage demo"))
    progress.setMinimumDuration(0)
    progress.canceled.connect(window.scan_dock.cancel)
    window.scan_dock.statusChanged.connect(lambda st: progress.setValue(int(st.fraction * 999)))
    window.scan_dock.scanFinished.connect(lambda _s: progress.reset())
    window.scan_dock.scanFailed.connect(lambda _e: progress.reset())
    window.scan_dock.start(resume=bool(window.session.ro.scans()))
    return progress


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="triage-gui", description="The triage workstation.")
    parser.add_argument("case", nargs="?", help="case folder to open")
    parser.add_argument(
        "--demo", action="store_true", help="open (creating and scanning it once) the demo case"
    )
    parser.add_argument(
        "--smoke-test",
        action="store_true",
        help="build the main window (offscreen without a display), print the Qt version and exit",
    )
    add_lang_option(parser)
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(list(argv) if argv is not None else None)
    if args.smoke_test:
        return smoke_test()
    return run(args.case, demo=args.demo, verbose=args.verbose, lang=args.lang)


def add_lang_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--lang",
        choices=i18n.CODES,
        help="interface language (default: the Preferences choice, else the system language)",
    )


def smoke_test(msecs: int = 300) -> int:
    """Start the app, build and show the main window, process events for ``msecs``; 0 when all
    of it worked. Settings go to a temporary file so the user's are never touched."""
    import tempfile

    if not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY") or sys.platform in ("win32", "darwin")
    ):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    try:
        with tempfile.TemporaryDirectory(prefix="triage-smoke-") as tmp:
            app = create_app(lang="en")
            missing = i18n.missing_catalogues()
            if missing:
                raise RuntimeError(f"translations are missing: {', '.join(map(str, missing))}")
            if app.windowIcon().isNull() or app.windowIcon().pixmap(32, 32).isNull():
                raise RuntimeError(f"the application icon cannot be loaded from {resource_path(ICON)}")
            window = MainWindow(QSettings(str(Path(tmp) / "settings.ini"), QSettings.Format.IniFormat))
            window.show()
            QTimer.singleShot(msecs, app.quit)
            app.exec()
            analyzers = len(window.scan_dock.boxes)
            if not analyzers:
                raise RuntimeError("no analyzers were found (the triage.plugins entry points are missing)")
            window.close()
            platform = QGuiApplication.platformName()
            window.deleteLater()
    except Exception as exc:  # the one line an installer check shows
        print(f"triage-gui smoke test FAILED: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    import PySide6

    print(
        f"triage-gui smoke test ok (Qt {qVersion()}, PySide6 {PySide6.__version__}, platform {platform}, "
        f"{analyzers} analyzers)"
    )
    return 0


QUIT_AFTER_SHOWN = "TRIAGE_GUI_QUIT_AFTER_SHOWN"


def quit_when_shown(window: MainWindow, seconds: float) -> QtMessageLog:
    """For CI (``TRIAGE_GUI_QUIT_AFTER_SHOWN=SECONDS``): once the window is on screen (exposed),
    wait ``seconds`` and for a running scan (the demo's) to end, print one line naming the
    platform and close the window. The Qt messages are collected; :func:`run` fails on a bad one."""
    messages = QtMessageLog().install()
    state = {"shown": 0.0}

    def poll() -> None:
        handle = window.windowHandle()
        if not state["shown"]:
            if handle is None or not handle.isExposed():
                QTimer.singleShot(100, poll)
                return
            state["shown"] = time.monotonic()
        if time.monotonic() - state["shown"] < seconds or window.scan_dock.is_running():
            QTimer.singleShot(100, poll)
            return
        size = window.size()
        print(
            f"triage-gui: window shown on platform {QGuiApplication.platformName()} "
            f"({size.width()}x{size.height()}); closing ({QUIT_AFTER_SHOWN})",
            flush=True,
        )
        window.close()

    QTimer.singleShot(0, poll)
    return messages


def run(case: str | None, *, demo: bool = False, verbose: bool = False, lang: str | None = None) -> int:
    private_umask()  # cases, logs, bundles: 0700/0600 whatever the umask (triage.private)
    quit_after = os.environ.get(QUIT_AFTER_SHOWN)
    try:
        seconds = float(quit_after) if quit_after else None
    except ValueError:
        print(
            f"triage-gui: error: {QUIT_AFTER_SHOWN}={quit_after!r} is not a number of seconds",
            file=sys.stderr,
        )
        return 2
    os.environ.setdefault("TZ", "UTC")
    time.tzset()
    setup_logging(verbose)
    app = create_app(lang=lang)
    window = MainWindow()
    sys.excepthook = window.errors.excepthook
    messages = quit_when_shown(window, seconds) if seconds is not None else None
    window.show()
    try:
        if demo:
            window.dialogs["demo"] = open_demo(window)
        elif case:
            window.open_case(case)
    except Exception as exc:
        window.errors.report("triage", exc)
    status = int(app.exec())
    if messages is not None:
        bad = messages.bad()
        if bad:
            print("triage-gui: Qt warned:\n" + "\n".join(bad), file=sys.stderr)
            return status or 1
    return status


if __name__ == "__main__":
    raise SystemExit(main())
