"""Render the workstation's main views to PNG files (offscreen): ``python -m triage_ui.screenshots DIR``.

Builds a demo case in a temporary folder (demo image, a YARA rule matching the NIGHTJAR
marker), scans it through the scan dock, and grabs the main window, the findings, the hex view
with a match, the scan dock, the timeline, the identifiers panel and the export wizard.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop, QModelIndex, QSettings, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

RULE = 'rule Nightjar_Project { strings: $m = "CONFIDENTIAL-PROJECT-NIGHTJAR" condition: $m }\n'


def _wait(app: QApplication, signal: object, timeout_ms: int = 120_000) -> None:
    loop = QEventLoop()
    signal.connect(loop.quit)  # type: ignore[attr-defined]
    QTimer.singleShot(timeout_ms, loop.quit)
    loop.exec()


def _save(widget: QWidget, path: Path) -> None:
    QApplication.processEvents()
    if not widget.grab().save(str(path)):
        raise SystemExit(f"cannot write {path}")
    print(path)


def render(out: Path) -> None:
    from triage.evidence.demo import demo_image
    from triage.scan.registry import PluginConfig, Registry
    from triage_ui.app import create_app
    from triage_ui.main_window import MainWindow

    app = create_app()
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
    win.resize(1440, 900)
    win.show()
    win.new_case(tmp / "case")
    win.add_evidence([demo_image()])
    win.rules.add(tmp / "rules")
    win.scan_dock.set_profile("user-documents")  # shown in the scan dock; every file is still scanned
    win.start_scan()
    _wait(app, win.scan_dock.scanFinished)
    _save(win.scan_dock_widget, out / "scan-dock.png")
    win.findings_dock.raise_()
    fm = win.findings_model
    group = fm.find_group("Nightjar") if fm.find_group("Nightjar").isValid() else fm.index(0, 0)
    win.findings.expandAll()
    brief = next(
        (
            fm.index(r, 0, group)
            for r in range(fm.rowCount(group))
            if str(fm.index(r, 0, group).data()).endswith("brief.txt")
        ),
        QModelIndex(),
    )
    hit = fm.hit(fm.index(0, 0, brief)) if brief.isValid() and fm.rowCount(brief) else None
    if hit:
        win.detail.show_hit(*hit)
        win.select_file(hit[0])
        win.detail.show_hit(*hit)
    _save(win, out / "main-window.png")
    _save(win.findings_dock, out / "findings.png")
    _save(win.detail, out / "hex-match.png")
    # timeline: events load in the background when the dock is shown; select the busiest bucket
    win.timeline_dock.show()
    if win.timeline.summary is None or win.timeline.is_loading():
        _wait(app, win.timeline.loaded, 60_000)
    bins = win.timeline.histogram.bins
    if bins:
        busiest = max(range(len(bins)), key=lambda i: bins[i].count)
        win.timeline.histogram.set_range(bins[busiest].start, bins[busiest].end)  # zoom into it
        if not win.timeline.histogram.is_current():
            _wait(app, win.timeline.binsLoaded, 60_000)
        bins = win.timeline.histogram.bins
        win.timeline.histogram.click_bucket(max(range(len(bins)), key=lambda i: bins[i].count))
        _wait(app, win.timeline.bucketLoaded, 60_000)
    _save(win.timeline_dock, out / "timeline.png")
    win.identifiers_dock.show()
    win.identifiers_dock.raise_()
    if win.identifiers.job is not None:
        _wait(app, win.identifiers.loaded, 60_000)
    _save(win.identifiers_dock, out / "identifiers.png")
    win.findings_dock.raise_()
    if hit:
        win.tag_selected("export", file_ids=[hit[0]])
    wiz = win.export_bundle()
    wiz.resize(760, 520)
    wiz.next()
    wiz.request.edits["reference"].setText("MLA-2024-0042")
    wiz.request.edits["requesting_authority"].setText("Public Prosecutor, Example")
    wiz.request.edits["legal_basis"].setText("Treaty on mutual legal assistance, art. 1")
    wiz.request.edits["requesting_country"].setText("FR")
    _save(wiz, out / "export-wizard.png")
    wiz.close()
    win.close()


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    render(Path(args[0] if args else "docs/screenshots"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
