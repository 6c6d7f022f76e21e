"""Small dialogs: about (library versions), plugins, rule library, preferences, evidence properties."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

import PySide6
from PySide6.QtCore import QSettings, qVersion
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from triage.rules import check_rules, rule_files
from triage.scan.registry import Registry
from triage_ui.jobs import Job
from triage_ui.models.simple import DictTableModel
from triage_ui.rules import RuleLibrary

log = logging.getLogger("triage.ui")


def library_versions() -> dict[str, str]:
    """Versions the about box shows: the core's native parts, then Qt."""
    from triage.versions import library_versions as core_versions

    return {**core_versions(), "Qt": qVersion(), "PySide6": PySide6.__version__}


def about_text() -> str:
    rows = "".join(f"<tr><td><b>{k}</b></td><td>{v}</td></tr>" for k, v in library_versions().items())
    return (
        "<h3>triage workstation</h3><p>Forensic triage of disk images: browse, scan, tag and export "
        f"verifiable bundles. Evidence is opened read-only.</p><table>{rows}</table>"
    )


def show_about(parent: QWidget | None) -> QMessageBox:
    box = QMessageBox(
        QMessageBox.Icon.Information, "About triage", about_text(), QMessageBox.StandardButton.Ok, parent
    )
    box.open()
    return box


class PluginsDialog(QDialog):
    """Plugins with their version, origin, status, error and analyzers."""

    COLUMNS = [
        ("name", "Plugin"),
        ("version", "Version"),
        ("status", "Status"),
        ("analyzers", "Analyzers"),
        ("origin", "Origin"),
        ("error", "Error"),
    ]

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Plugins")
        self.resize(900, 360)
        reg = Registry()
        self.model = DictTableModel(self.COLUMNS, [vars(r) for r in reg.records], parent=self)
        view = QTableView()
        view.setModel(self.model)
        view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        view.horizontalHeader().setStretchLastSection(True)
        lay = QVBoxLayout(self)
        lay.addWidget(view)
        bb = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        bb.rejected.connect(self.reject)
        lay.addWidget(bb)


class RuleLibraryDialog(QDialog):
    """Add rule folders and files, enable or disable them, and see compile diagnostics."""

    COLUMNS = [("enabled", "On"), ("path", "Rule set"), ("files", "Files"), ("state", "State")]

    def __init__(self, library: RuleLibrary, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Rule library")
        self.resize(820, 420)
        self.library = library
        self.model = DictTableModel(
            self.COLUMNS, [], check_key="enabled", on_check=self._toggled, parent=self
        )
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.diagnostics = QListWidget()
        self.job: Job | None = None
        lay = QVBoxLayout(self)
        lay.addWidget(self.view, 2)
        row = QHBoxLayout()
        for text, slot in (
            ("Add folder…", lambda: self.add_path(None, folder=True)),
            ("Add file…", lambda: self.add_path(None)),
            ("Remove", self.remove_selected),
            ("Check all", self.check_all),
        ):
            b = QPushButton(text)
            b.clicked.connect(slot)
            row.addWidget(b)
        row.addStretch(1)
        lay.addLayout(row)
        lay.addWidget(QLabel("Compile diagnostics (file:line):"))
        lay.addWidget(self.diagnostics, 1)
        bb = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        bb.rejected.connect(self.accept)
        lay.addWidget(bb)
        self.refresh()

    def refresh(self, states: dict[str, str] | None = None) -> None:
        old = {r["path"]: r.get("state", "") for r in self.model.rows}
        old.update(states or {})
        self.model.set_rows(
            [
                {
                    "enabled": s.enabled,
                    "path": s.path,
                    "files": len(rule_files(s.path)),
                    "state": old.get(s.path, "not checked"),
                }
                for s in self.library.sets
            ]
        )

    def _toggled(self, row: int, checked: bool) -> None:
        self.library.set_enabled(self.model.rows[row]["path"], checked)

    def add_path(self, path: str | None, folder: bool = False) -> None:
        if path is None:
            path = (
                QFileDialog.getExistingDirectory(self, "Rule folder")
                if folder
                else QFileDialog.getOpenFileName(
                    self, "Rule file", "", "YARA rules (*.yar *.yara *.rule);;All (*)"
                )[0]
            )
        if path:
            self.library.add(path)
            self.refresh()
            self.check_all()

    def remove_selected(self) -> None:
        rows = sorted({i.row() for i in self.view.selectionModel().selectedIndexes()}, reverse=True)
        for r in rows:
            self.library.remove(self.model.rows[r]["path"])
        self.refresh()

    def check_all(self) -> Job:
        """Compile every set in the background; diagnostics fill the list when done."""
        paths = [s.path for s in self.library.sets]
        self.diagnostics.clear()
        self.diagnostics.addItem("checking…")
        self.job = Job(lambda: {p: check_rules(p).diagnostics for p in paths}, "rules-check", self)
        self.job.finished.connect(self._checked)
        self.job.start()
        return self.job

    def _checked(self, result: dict[str, list[Any]]) -> None:
        self.job = None
        self.diagnostics.clear()
        states = {}
        for path, diags in result.items():
            errors = sum(1 for d in diags if d.level == "error")
            states[path] = (
                f"{errors} error(s)" if errors else ("ok" if not diags else f"ok, {len(diags)} warning(s)")
            )
            self.diagnostics.addItems([str(d) for d in diags])
        if not self.diagnostics.count():
            self.diagnostics.addItem("All rule sets compile.")
        self.refresh(states)


class PreferencesDialog(QDialog):
    def __init__(self, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Preferences")
        self.settings = settings
        form = QFormLayout(self)
        self.workers = QSpinBox()
        self.workers.setRange(1, 64)
        self.workers.setValue(int(str(settings.value("scan/workers", 2))))
        self.refresh = QSpinBox()
        self.refresh.setRange(200, 10000)
        self.refresh.setSuffix(" ms")
        self.refresh.setValue(int(str(settings.value("ui/refresh_ms", 1000))))
        form.addRow("Scan worker processes", self.workers)
        form.addRow("Refresh views while scanning every", self.refresh)
        from triage_ui.views.new_case import cases_folder

        self.cases_folder = QLineEdit(str(cases_folder(settings)))
        self.cases_folder.setObjectName("casesFolder")
        form.addRow(self.tr("New cases go in"), self.cases_folder)
        shortcuts = QPlainTextEdit(readOnly=True)
        shortcuts.setPlainText(
            "Ctrl+N new case · Ctrl+O open case · Ctrl+E add evidence · F5 start scan · Ctrl+T tag selected files\n"
            "Ctrl+F filter files · F3 / Shift+F3 next / previous match · Ctrl+Shift+E export bundle · Ctrl+Q quit"
        )
        shortcuts.setMaximumHeight(70)
        form.addRow("Shortcuts", shortcuts)
        bb = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        bb.accepted.connect(self.save)
        bb.rejected.connect(self.reject)
        form.addRow(bb)

    def save(self) -> None:
        self.settings.setValue("scan/workers", self.workers.value())
        self.settings.setValue("ui/refresh_ms", self.refresh.value())
        from triage_ui.views.new_case import FOLDER_KEY

        self.settings.setValue(FOLDER_KEY, self.cases_folder.text().strip())
        self.accept()


class EvidencePropertiesDialog(QDialog):
    """Layout, stored hashes and metadata of one image; E01 verification in the background."""

    def __init__(
        self,
        evidence: dict[str, Any],
        partitions: list[dict[str, Any]],
        on_verify: Callable[[dict[str, Any]], None] | None = None,
        parent: QWidget | None = None,
        integrity: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Evidence: {evidence['path']}")
        self.resize(760, 520)
        self.evidence = evidence
        self.on_verify = on_verify
        self.verification: dict[str, Any] | None = None
        self.job: Job | None = None
        text = self.text = QPlainTextEdit(readOnly=True)
        lines = [
            f"Path: {evidence['path']}",
            f"Format: {evidence['format']}",
            f"Segments: {len(evidence['segments'])}",
            f"Media size: {evidence['size']:,} bytes",
            f"Added: {evidence['added']}",
            f"Volume system: {evidence.get('volume_system') or '-'}",
        ]
        for alg in ("md5", "sha1", "sha256"):
            if evidence.get(alg):
                lines.append(f"Stored {alg.upper()}: {evidence[alg]}")
        if integrity is not None:  # what the scan computed (image_integrity in the core)
            for alg, value in integrity["evidence_hashes"].items():
                lines.append(f"Computed {alg.upper()}: {value}")
            if not integrity["evidence_hashes"]:
                lines.append("Computed hashes: not yet (the scan has not finished hashing the evidence)")
            lines.append(f"Verification: {integrity['verification']}")
            lines += [f"DAMAGED {d}" for d in integrity["damage"]]
        lines.append("")
        for p in partitions:
            lines.append(
                f"Partition {p['idx']} at byte {p['offset']:,} ({p['length']:,} bytes): "
                f"{p['fs_type'] or '-'}  {p['description']}" + (f"  [{p['error']}]" if p["error"] else "")
            )
        meta = {k: v for k, v in (evidence.get("metadata") or {}).items() if k != "segments"}
        lines += ["", "Metadata:", json.dumps(meta, indent=2, sort_keys=True, default=str)]
        text.setPlainText("\n".join(lines))
        self.verify_btn = QPushButton("Verify media hashes")
        self.verify_label = QLabel("")
        self.verify_label.setWordWrap(True)
        lay = QVBoxLayout(self)
        lay.addWidget(text, 1)
        row = QHBoxLayout()
        row.addWidget(self.verify_btn)
        row.addWidget(self.verify_label, 1)
        lay.addLayout(row)
        bb = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        bb.rejected.connect(self.reject)
        lay.addWidget(bb)
        self.verify_btn.clicked.connect(self.verify)

    def verify(self) -> Job:
        from pathlib import Path

        from triage.evidence.image import EvidenceSource, open_image
        from triage.evidence.integrity import verify_media

        ev = self.evidence

        def run() -> dict[str, Any]:
            image = open_image(
                EvidenceSource(Path(ev["path"]), ev["format"], tuple(Path(p) for p in ev["segments"]))
            )
            try:
                return dict(verify_media(image))
            finally:
                image.close()

        self.verify_btn.setEnabled(False)
        self.verify_label.setText("hashing the whole media…")
        self.job = Job(run, "verify", self)
        self.job.finished.connect(self._verified)
        self.job.errored.connect(lambda exc: self.verify_label.setText(f"verification failed: {exc}"))
        self.job.start()
        return self.job

    def _verified(self, result: dict[str, Any]) -> None:
        self.verification = result
        self.verify_btn.setEnabled(True)
        computed = result["computed"]
        if not result["stored"]:
            verdict = "the image stores no hashes to compare with"
        else:
            verdict = "PASSED" if result["verified"] else "FAILED"
        if result.get("damage"):
            verdict = f"FAILED: {len(result['damage'])} damaged chunk(s)"
        self.verify_label.setText(
            f"Verification: {verdict}\nMD5 {computed['md5']}\nSHA-1 {computed['sha1']}\n"
            f"SHA-256 {computed.get('sha256', '')}"
        )
        if self.on_verify:
            self.on_verify(result)
