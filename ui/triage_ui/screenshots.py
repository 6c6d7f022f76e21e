"""Screenshots of the workstation on a real X server: ``python -m triage_ui.screenshots DIR``.

For each screen size (1366x768 and 1920x1080 unless ``--sizes`` says otherwise) it starts an
Xvfb server and runs itself on it with the xcb platform (not offscreen): a demo case is built
in a temporary folder (demo image, a YARA rule matching the NIGHTJAR marker) and scanned
through the scan dock, the window fills the screen, and the X screen itself is grabbed
(``QScreen.grabWindow(0)``: the root window, dialogs included) into ``DIR/<size>/``: the main
window with a finding selected, the gallery (when the workstation has one), the timeline, the
Problems view, the export wizard, and the main window in French (at the first size).

Any Qt warning about shortcuts, plugins or bindings (:mod:`triage_ui.qtmessages`) fails the run.
"""

from __future__ import annotations

import argparse
import inspect
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, cast

SIZES = ("1366x768", "1920x1080")
RULE = 'rule Nightjar_Project { strings: $m = "CONFIDENTIAL-PROJECT-NIGHTJAR" condition: $m }\n'
FRENCH = "fr"


# -- the driver: one Xvfb per size ------------------------------------------------------------
def start_xvfb(size: str) -> tuple[subprocess.Popen[bytes], str]:
    """An Xvfb server with one ``size`` screen; returns it and its display name (``:N``)."""
    if shutil.which("Xvfb") is None:
        raise SystemExit("screenshots: Xvfb is needed (the README's apt line installs it)")
    read, write = os.pipe()
    proc = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", f"{size}x24", "-nolisten", "tcp"],
        pass_fds=(write,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    with os.fdopen(read) as f:
        number = f.readline().strip()
    if not number:
        proc.kill()
        raise SystemExit("screenshots: Xvfb did not start")
    return proc, f":{number}"


def drive(out: Path, sizes: list[str]) -> int:
    status = 0
    for i, size in enumerate(sizes):
        xvfb, display = start_xvfb(size)
        try:
            env = {**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb", "TZ": "UTC"}
            env.pop("WAYLAND_DISPLAY", None)
            runs: list[list[str]] = [[]] + ([["--lang", FRENCH]] if i == 0 else [])
            for extra in runs:
                cmd = [sys.executable, "-m", "triage_ui.screenshots", "--child", str(out / size), *extra]
                rc = subprocess.run(cmd, env=env, timeout=600).returncode
                if rc:
                    print(f"screenshots: {size} {' '.join(extra)} failed (exit {rc})", file=sys.stderr)
                    status = 1
        finally:
            xvfb.terminate()
            xvfb.wait(10)
    return status


# -- the child: one size, one language, on the X server in $DISPLAY ---------------------------
def _settle(ms: int = 400) -> None:
    from PySide6.QtTest import QTest

    QTest.qWait(ms)


def _wait(signal: Any, timeout_ms: int = 120_000) -> None:
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    signal.connect(loop.quit)
    QTimer.singleShot(timeout_ms, loop.quit)
    loop.exec()


def _shot(path: Path) -> None:
    """The whole X screen, as the examiner sees it."""
    from PySide6.QtGui import QGuiApplication

    _settle()
    screen = QGuiApplication.primaryScreen()
    if not screen.grabWindow(0).save(str(path)):
        raise SystemExit(f"screenshots: cannot write {path}")
    print(path)


def _use_language(lang: str) -> None:
    """French (or another language) for this process: Qt's default locale and the environment's
    (the system language the workstation falls back on); ``create_app(lang=…)`` when it takes one."""
    from PySide6.QtCore import QLocale

    os.environ["LANGUAGE"] = os.environ["LANG"] = f"{lang}_{lang.upper()}.UTF-8"
    QLocale.setDefault(QLocale(lang))


def _show_gallery(win: Any) -> Any | None:
    """Switch the file pane to its gallery tab, when this workstation has one; the tabs."""
    gallery, tabs = getattr(win, "gallery", None), getattr(win, "file_tabs", None)
    if gallery is None or tabs is None:
        return None
    tabs.setCurrentWidget(gallery)
    return tabs


def _wait_for_thumbnails(gallery: Any, timeout_s: float = 30) -> None:
    """Until every picture on screen has its thumbnail (they decode in child processes)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        _settle(200)
        rows = gallery.visible_rows()
        if rows and not gallery.model.missing(rows):
            return
    print("screenshots: the gallery's thumbnails were not all decoded in time", file=sys.stderr)


def render(out: Path, lang: str | None = None) -> int:
    from PySide6.QtCore import QModelIndex, QSettings
    from PySide6.QtGui import QGuiApplication

    from triage.evidence.demo import demo_image
    from triage.scan.registry import PluginConfig, Registry
    from triage_ui import app as app_module
    from triage_ui.main_window import MainWindow
    from triage_ui.qtmessages import QtMessageLog

    if lang:
        _use_language(lang)
    messages = QtMessageLog().install()
    if lang and "lang" in inspect.signature(app_module.create_app).parameters:
        cast(Any, app_module.create_app)(lang=lang)  # the workstation's own choice (``--lang``)
    else:
        app_module.create_app()
    out.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="triage-shots-"))
    (tmp / "rules").mkdir()
    (tmp / "rules" / "nightjar.yar").write_text(RULE)
    plugins = PluginConfig()
    if not any(c.name == "yara" for c in Registry().analyzer_classes()):
        fallback = Path(__file__).resolve().parents[2] / "tests" / "ui" / "yara_fallback_plugin.py"
        if fallback.is_file():
            (tmp / "plugins").mkdir()
            (tmp / "plugins" / "yara_fallback.py").write_text(fallback.read_text())
            plugins = PluginConfig(plugin_dirs=[str(tmp / "plugins")])
    settings = QSettings(str(tmp / "settings.ini"), QSettings.Format.IniFormat)
    win = MainWindow(settings, plugins=plugins)
    win.setGeometry(QGuiApplication.primaryScreen().availableGeometry())
    win.show()
    _settle()
    win.new_case(tmp / "case")
    win.add_evidence([demo_image()])
    win.rules.add(tmp / "rules")
    win.start_scan()
    _wait(win.scan_dock.scanFinished)
    _settle(800)  # the default dock sizes are applied once the first results are in
    win.findings_dock.raise_()
    fm = win.findings_model
    win.findings.expandAll()
    group = fm.find_group("Nightjar")
    brief = next(
        (
            fm.index(r, 0, group)
            for r in range(fm.rowCount(group))
            if str(fm.index(r, 0, group).data()).endswith("brief.txt")
        ),
        QModelIndex(),
    )
    match = fm.index(0, 0, brief) if brief.isValid() and fm.rowCount(brief) else QModelIndex()
    hit = fm.hit(match) if match.isValid() else None
    if hit:
        win.findings.setCurrentIndex(match)
        win.focus_file(*hit)
    suffix = f"-{lang}" if lang else ""
    _shot(out / f"main-window{suffix}.png")
    if lang:
        win.close()
        return _verdict(messages)
    tabs = _show_gallery(win)
    if tabs is not None:
        _wait_for_thumbnails(getattr(win, "gallery"))  # noqa: B009 (not every workstation has one)
        _shot(out / "gallery.png")
        tabs.setCurrentIndex(0)
    win.show_timeline()  # the events load when the dock is first shown
    if win.timeline.is_loading():
        _wait(win.timeline.loaded, 60_000)
    bins = win.timeline.histogram.bins
    if bins:  # zoom into the busiest bucket and list its events
        busiest = max(range(len(bins)), key=lambda i: bins[i].count)
        win.timeline.histogram.set_range(bins[busiest].start, bins[busiest].end)
        if not win.timeline.histogram.is_current():
            _wait(win.timeline.binsLoaded, 60_000)
        bins = win.timeline.histogram.bins
        win.timeline.histogram.click_bucket(max(range(len(bins)), key=lambda i: bins[i].count))
        _wait(win.timeline.bucketLoaded, 60_000)
    _shot(out / "timeline.png")
    win.timeline_dock.hide()
    # a damaged copy of the image (cut inside its ext4 partition): its read errors are problems
    damaged = tmp / "demo-cut.raw"
    damaged.write_bytes(demo_image().read_bytes()[: 6 * 1024 * 1024])
    win.add_evidence([damaged])
    win.start_scan()
    _wait(win.scan_dock.scanFinished)
    win.problems_dock.show()
    win.problems_dock.raise_()
    _shot(out / "problems.png")
    win.findings_dock.raise_()
    if hit:
        win.tag_selected("export", file_ids=[hit[0]])
    wiz = win.export_bundle()
    wiz.next()
    wiz.request.edits["reference"].setText("MLA-2024-0042")
    wiz.request.edits["requesting_authority"].setText("Public Prosecutor, Example")
    wiz.request.edits["legal_basis"].setText("Treaty on mutual legal assistance, art. 1")
    wiz.request.edits["requesting_country"].setText("FR")
    _shot(out / "export-wizard.png")
    wiz.close()
    win.close()
    return _verdict(messages)


def _verdict(messages: Any) -> int:
    bad = messages.bad()
    if bad:
        print("screenshots: Qt warned:\n" + "\n".join(bad), file=sys.stderr)
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m triage_ui.screenshots", description=__doc__.split("\n")[0]
    )
    parser.add_argument("out", nargs="?", default="docs/screenshots", help="folder for <size>/*.png")
    parser.add_argument("--sizes", default=",".join(SIZES), help="screen sizes, comma-separated WxH")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--lang", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return render(Path(args.out), args.lang)
    return drive(Path(args.out), [s.strip() for s in args.sizes.split(",") if s.strip()])


if __name__ == "__main__":
    raise SystemExit(main())
