"""The scan dock: a triage profile (scanned first, or only with "quick"), analyzer forms
generated from the plugins' ``Option`` declarations; start, pause, cancel, resume and rescan;
progress with files, bytes, rate, ETA and per-analyzer work.

The engine runs in a :class:`~triage_ui.jobs.Job` thread with its own case connection; its
status callback (already throttled by the engine) is relayed as a Qt signal.
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from triage import profiles
from triage.case.query import FileQuery
from triage.case.records import ProblemCount
from triage.case.store import Case
from triage.errors import UsageError
from triage.plugin import Option
from triage.scan.engine import ScanEngine, ScanOptions, ScanSummary
from triage.scan.registry import PluginConfig, Registry
from triage.scan.status import ScanStatus
from triage.scan.validate import OptionError, validate_scan
from triage_ui.i18n import problem_count_text, scan_word
from triage_ui.jobs import Job
from triage_ui.models.format import human_bytes
from triage_ui.session import CaseSession

log = logging.getLogger("triage.ui.scan")


RULE_LIBRARY_ANALYZERS = {"yara"}  # analyzers whose empty ``rules`` option takes the Rule library's sets


def editor_for(opt: Option, analyzer: str = "") -> QWidget:
    """A form field for one analyzer option (lists are comma separated, choices a combo box)."""
    w: QWidget
    if opt.choices and opt.type is not list:
        w = QComboBox()
        for c in opt.choices:
            w.addItem(str(c), c)
        w.setCurrentIndex(max(0, list(opt.choices).index(opt.default) if opt.default in opt.choices else 0))
    elif opt.type is bool:
        w = QCheckBox()
        w.setChecked(bool(opt.default))
    elif opt.type is int:
        w = QSpinBox()
        w.setRange(-(2**31), 2**31 - 1)
        w.setValue(int(opt.default or 0))
    elif opt.type is float:
        w = QDoubleSpinBox()
        w.setRange(-1e12, 1e12)
        w.setDecimals(3)
        w.setValue(float(opt.default or 0.0))
    else:
        w = QLineEdit()
        if opt.type is list:
            w.setText(", ".join(str(x) for x in (opt.default or [])))
            w.setPlaceholderText(
                QCoreApplication.translate("ScanDock", "comma separated")
                + (
                    QCoreApplication.translate("ScanDock", "; empty: the Rule library's enabled sets")
                    if opt.name == "rules" and analyzer in RULE_LIBRARY_ANALYZERS
                    else ""
                )
            )
        else:
            w.setText("" if opt.default is None else str(opt.default))
    choices = ", ".join(map(str, opt.choices or ()))
    w.setToolTip(
        opt.help
        + (
            QCoreApplication.translate("ScanDock", " (one or more of: {choices})").format(choices=choices)
            if choices
            else ""
        )
    )
    w.setObjectName(f"opt_{opt.name}")
    return w


def editor_value(opt: Option, w: QWidget) -> Any:
    if isinstance(w, QComboBox):
        return w.currentData()
    if isinstance(w, QCheckBox):
        return w.isChecked()
    if isinstance(w, QSpinBox | QDoubleSpinBox):
        return w.value()
    assert isinstance(w, QLineEdit)
    return (
        opt.parse(w.text())
        if opt.type is list
        else (opt.type(w.text()) if w.text() or opt.type is str else None)
    )


class ScanDock(QWidget):
    statusChanged = Signal(object)  # ScanStatus copy
    scanStarted = Signal()
    scanFinished = Signal(object)  # ScanSummary
    scanFailed = Signal(object)  # the exception

    def __init__(
        self,
        rules_provider: Callable[[], list[str]] | None = None,
        workers: int = 2,
        plugins: PluginConfig | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.rules_provider = rules_provider or (lambda: [])
        self.workers = workers
        self.session: CaseSession | None = None
        self.job: Job | None = None
        self.engine: ScanEngine | None = None
        self.last_status: ScanStatus | None = None
        self.last_summary: ScanSummary | None = None
        self.quick_scan = False
        self.plugins = plugins or PluginConfig()
        self.registry = Registry(self.plugins)
        self.boxes: dict[str, QGroupBox] = {}
        self.editors: dict[str, dict[str, tuple[Option, QWidget]]] = {}
        self._build()
        self._set_running(False)

    # -- layout ----------------------------------------------------------------------------
    def _build(self) -> None:
        outer = QVBoxLayout(self)
        pbox = QGroupBox(self.tr("Triage profile"))
        pbox.setObjectName("profileBox")
        pl = QHBoxLayout(pbox)
        self.profile_combo = QComboBox()
        self.profile_combo.setObjectName("profileCombo")
        # the choices live in Python (never read back through QVariant: see models/findings.py)
        self.profiles = [
            (
                "",
                self.tr("(none: inventory order)"),
                self.tr("Scan files in the order the file systems list them."),
            )
        ]
        self.profiles += profiles.headers()
        for i, (_name, title, tip) in enumerate(self.profiles):
            self.profile_combo.addItem(title)
            self.profile_combo.setItemData(i, tip, Qt.ItemDataRole.ToolTipRole)
        self.profile_combo.setToolTip(
            self.tr("The profile's artifacts are scanned first, so the first findings arrive sooner.")
        )
        self.quick_check = QCheckBox(self.tr("profile only (quick)"))
        self.quick_check.setObjectName("quickCheck")
        self.quick_check.setToolTip(
            self.tr("Scan only the profile's artifacts now; the other files stay pending for Resume.")
        )
        self.profile_combo.currentIndexChanged.connect(self._profile_changed)
        pl.addWidget(self.profile_combo, 1)
        pl.addWidget(self.quick_check)
        outer.addWidget(pbox)
        self._profile_changed()
        forms = QWidget()
        fl = QVBoxLayout(forms)
        for cls in self.registry.analyzer_classes():
            box = QGroupBox(f"{cls.name} {cls.version}")
            box.setObjectName(f"analyzer_{cls.name}")
            box.setCheckable(True)
            box.setChecked(not cls.opt_in)  # opt-in analyzers (the full-text index) as on the CLI
            box.setToolTip(cls.description or "")
            form = QFormLayout(box)
            if cls.description:
                desc = QLabel(cls.description)
                desc.setWordWrap(True)
                form.addRow(desc)
            self.editors[cls.name] = {}
            for opt in cls.options:
                w = editor_for(opt, cls.name)
                form.addRow(opt.name.replace("_", " "), w)
                self.editors[cls.name][opt.name] = (opt, w)
            self.boxes[cls.name] = box
            fl.addWidget(box)
        fl.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(forms)
        scroll.setWidgetResizable(True)
        outer.addWidget(scroll, 1)
        buttons = QHBoxLayout()
        self.start_btn = QPushButton(self.tr("Start"))
        self.start_btn.setToolTip(self.tr("Scan evidence not scanned yet (F5)"))
        self.pause_btn = QPushButton(self.tr("Pause"))
        self.pause_btn.setCheckable(True)
        self.cancel_btn = QPushButton(self.tr("Cancel"))
        self.resume_btn = QPushButton(self.tr("Resume"))
        self.resume_btn.setToolTip(self.tr("Finish an interrupted scan without redoing stored work"))
        self.rescan_btn = QPushButton(self.tr("Rescan"))
        self.rescan_btn.setToolTip(self.tr("Forget earlier results and scan all evidence again"))
        for b in (self.start_btn, self.pause_btn, self.cancel_btn, self.resume_btn, self.rescan_btn):
            buttons.addWidget(b)
        outer.addLayout(buttons)
        self.start_btn.clicked.connect(lambda: self.start())
        self.resume_btn.clicked.connect(lambda: self.start(resume=True))
        self.rescan_btn.clicked.connect(lambda: self.start(rescan=True))
        self.pause_btn.toggled.connect(self.set_paused)
        self.cancel_btn.clicked.connect(self.cancel)
        grid = QGridLayout()
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.phase_label = QLabel(scan_word("idle"))
        self.files_label = QLabel("")
        self.bytes_label = QLabel("")
        self.rate_label = QLabel("")
        self.found_label = QLabel("")
        self.current_label = QLabel("")
        self.current_label.setWordWrap(True)
        grid.addWidget(self.progress, 0, 0, 1, 2)
        for i, (k, w) in enumerate(
            (
                (self.tr("Phase"), self.phase_label),
                (self.tr("Files"), self.files_label),
                (self.tr("Bytes"), self.bytes_label),
                (self.tr("Rate / ETA"), self.rate_label),
                (self.tr("Findings / problems"), self.found_label),
                (self.tr("Now"), self.current_label),
            ),
            start=1,
        ):
            grid.addWidget(QLabel(k), i, 0)
            grid.addWidget(w, i, 1)
        outer.addLayout(grid)
        self.analyzer_table = QTableWidget(0, 3)
        self.analyzer_table.setObjectName("analyzerTable")
        self.analyzer_table.setHorizontalHeaderLabels(
            [self.tr("Analyzer"), self.tr("CPU seconds"), self.tr("Throughput")]
        )
        self.analyzer_table.verticalHeader().setVisible(False)
        self.analyzer_table.setMaximumHeight(150)
        outer.addWidget(self.analyzer_table)

    def set_session(self, session: CaseSession | None) -> None:
        self.session = session
        self._set_running(False)
        self._clear_status()

    def _clear_status(self) -> None:
        """Nothing of another case's scan stays on screen."""
        self.last_status = None
        self.progress.setValue(0)
        self.phase_label.setText(scan_word("idle"))
        for label in (
            self.files_label,
            self.bytes_label,
            self.rate_label,
            self.found_label,
            self.current_label,
        ):
            label.setText("")
        self.analyzer_table.setRowCount(0)

    # -- settings --------------------------------------------------------------------------
    def _profile_changed(self) -> None:
        has = self.profile_name() is not None
        self.quick_check.setEnabled(has and getattr(self, "job", None) is None)
        if not has:
            self.quick_check.setChecked(False)
        index = max(0, self.profile_combo.currentIndex())
        self.profile_combo.setToolTip(self.profiles[index][2])

    def profile_name(self) -> str | None:
        """The chosen profile's name, or None."""
        index = self.profile_combo.currentIndex()
        return (self.profiles[index][0] or None) if index >= 0 else None

    def set_profile(self, name: str | None, quick: bool = False) -> None:
        names = [n for n, _, _ in self.profiles]
        if (name or "") not in names:
            raise UsageError(
                self.tr("no profile named {name} (available: {names})").format(
                    name=repr(name), names=", ".join(n for n in names if n)
                )
            )
        self.profile_combo.setCurrentIndex(names.index(name or ""))
        self.quick_check.setChecked(bool(name) and quick)

    def selected_analyzers(self) -> list[str]:
        return [n for n, b in self.boxes.items() if b.isChecked()]

    def set_analyzers(self, names: list[str]) -> None:
        for n, b in self.boxes.items():
            b.setChecked(n in names)

    def set_option(self, analyzer: str, option: str, value: Any) -> None:
        opt, w = self.editors[analyzer][option]
        if isinstance(w, QCheckBox):
            w.setChecked(bool(value))
        elif isinstance(w, QSpinBox | QDoubleSpinBox):
            w.setValue(value)
        elif isinstance(w, QComboBox):
            w.setCurrentIndex(w.findData(value))
        elif isinstance(w, QLineEdit):
            w.setText(", ".join(map(str, value)) if isinstance(value, list) else str(value))

    def options(self) -> dict[str, dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {}
        problems: list[str] = []
        for name in self.selected_analyzers():
            for key, (opt, w) in self.editors[name].items():
                try:
                    value = editor_value(opt, w)
                except ValueError as exc:  # the same one-line reasons as the CLI's --set
                    problems.append(f"{name}.{key}: {exc}")
                    continue
                if opt.type is list and opt.name == "rules" and name in RULE_LIBRARY_ANALYZERS and not value:
                    value = self.rules_provider()
                if value != opt.default:
                    out.setdefault(name, {})[key] = value
        if problems:
            raise OptionError(problems)
        return out

    # -- control ---------------------------------------------------------------------------
    def is_running(self) -> bool:
        return self.job is not None

    def start(self, *, resume: bool = False, rescan: bool = False) -> None:
        """Start a scan; raises UsageError (shown by the main window) when there is nothing to do."""
        if self.session is None:
            raise UsageError(self.tr("open or create a case first"))
        if self.job is not None:
            raise UsageError(self.tr("a scan is already running"))
        evidence = self.session.ro.evidence()
        if not evidence:
            raise UsageError(self.tr("add evidence to the case first (Case → Add evidence…)"))
        if resume or rescan:
            paths = [e["path"] for e in evidence]
        else:
            paths = [e["path"] for e in evidence if not e["inventory_done"]]
            if not paths:
                raise UsageError(
                    self.tr(
                        "all evidence in this case is scanned: use Resume to finish an interrupted "
                        "scan or Rescan to scan again"
                    )
                )
        options = ScanOptions(
            analyzers=self.selected_analyzers(),
            options=self.options(),
            workers=self.workers,
            plugins=self.plugins,
            resume=resume,
            rescan=rescan,
        )
        name = self.profile_name()
        if name:  # loaded on first use, on the scan thread (expanding artifacts takes seconds)
            profiles.apply_order(options, name, quick=self.quick_check.isChecked(), load_now=False)
        self.quick_scan = bool(name) and self.quick_check.isChecked()
        validate_scan(options, self.registry)  # fail fast: nothing is opened or changed on a bad option
        case = Case.open(self.session.path)
        try:
            engine = ScanEngine(case, paths, options, on_status=self._relay)
        except Exception:
            case.close()
            raise
        self.engine = engine

        def run() -> ScanSummary:
            try:
                return engine.run()
            finally:
                case.close()

        self.job = Job(run, "scan", self)
        self.job.progress.connect(self._on_status)
        self.job.finished.connect(self._on_finished)
        self.job.errored.connect(self._on_failed)
        self._set_running(True)
        self.phase_label.setText(scan_word("starting"))
        self.job.start()
        self.scanStarted.emit()

    def _relay(self, status: ScanStatus) -> None:
        """Called on the scan thread; hand a snapshot to the GUI thread."""
        if self.job is not None:
            self.job.progress.emit(copy.deepcopy(status))

    def set_paused(self, paused: bool) -> None:
        if self.engine is None:
            return
        if paused:
            self.engine.pause()
            self.phase_label.setText(scan_word("paused"))
        else:
            self.engine.unpause()
        self.pause_btn.setText(self.tr("Continue") if paused else self.tr("Pause"))

    def cancel(self) -> None:
        if self.engine is not None:
            self.engine.unpause()
            self.engine.cancel()
            self.phase_label.setText(self.tr("cancelling: finishing files in flight…"))

    def _set_running(self, running: bool) -> None:
        has_case = self.session is not None
        self.start_btn.setEnabled(has_case and not running)
        self.resume_btn.setEnabled(has_case and not running)
        self.rescan_btn.setEnabled(has_case and not running)
        self.pause_btn.setEnabled(running)
        self.cancel_btn.setEnabled(running)
        for b in self.boxes.values():
            b.setEnabled(not running)
        self.profile_combo.setEnabled(not running)
        self.quick_check.setEnabled(not running and self.profile_name() is not None)
        if not running:
            self.pause_btn.blockSignals(True)
            self.pause_btn.setChecked(False)
            self.pause_btn.setText(self.tr("Pause"))
            self.pause_btn.blockSignals(False)

    # -- status ----------------------------------------------------------------------------
    def _on_status(self, st: ScanStatus) -> None:
        self.last_status = st
        self.progress.setValue(int(st.fraction * 1000))
        phase = scan_word(st.phase)
        if st.evidence_hash_total and st.evidence_hash_done < st.evidence_hash_total:
            phase += self.tr(" · evidence hash {percent}%").format(
                percent=100 * st.evidence_hash_done // st.evidence_hash_total
            )
        self.phase_label.setText(scan_word("paused") if st.paused else phase)
        self.files_label.setText(
            self.tr("{done} of {total}").format(done=f"{st.files_done:,}", total=f"{st.files_total:,}")
        )
        self.bytes_label.setText(
            self.tr("{done} of {total}").format(
                done=human_bytes(st.bytes_done), total=human_bytes(st.bytes_total)
            )
        )
        eta = st.eta
        self.rate_label.setText(
            self.tr("{rate}/s · ETA {eta}").format(
                rate=human_bytes(st.rate), eta=f"{eta:.0f} s" if eta is not None else self.tr("unknown")
            )
        )
        self.found_label.setText(
            self.tr("{findings} findings · {problems}").format(
                findings=f"{st.findings:,}", problems=problem_count_text(ProblemCount(st.errors, st.warnings))
            )
        )
        self.current_label.setText("\n".join(st.current_files[:4]))
        self._fill_analyzer_table(st)
        self.statusChanged.emit(st)

    def _fill_analyzer_table(self, st: ScanStatus) -> None:
        """Per analyzer: files and bytes when the engine reports them (``analyzer_files`` /
        ``analyzer_bytes``), CPU seconds, and throughput over the bytes it saw."""
        files: dict[str, int] = getattr(st, "analyzer_files", None) or {}
        nbytes: dict[str, int] = getattr(st, "analyzer_bytes", None) or {}
        names = sorted(set(st.analyzer_seconds) | set(files) | set(nbytes))
        headers = (
            [self.tr("Analyzer")]
            + ([self.tr("Files")] if files else [])
            + ([self.tr("Bytes")] if nbytes else [])
            + [self.tr("CPU seconds"), self.tr("Throughput")]
        )
        if self.analyzer_table.columnCount() != len(headers):
            self.analyzer_table.setColumnCount(len(headers))
            self.analyzer_table.setHorizontalHeaderLabels(headers)
        self.analyzer_table.setRowCount(len(names))
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        for i, name in enumerate(names):
            secs = st.analyzer_seconds.get(name, 0.0)
            seen = nbytes.get(name, st.bytes_done)
            cells = (
                [name]
                + ([f"{files.get(name, 0):,}"] if files else [])
                + ([human_bytes(nbytes.get(name, 0))] if nbytes else [])
                + [f"{secs:.2f}", f"{human_bytes(seen / secs)}/s" if secs > 0 else ""]
            )
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if col:
                    item.setTextAlignment(right)
                self.analyzer_table.setItem(i, col, item)

    def analyzer_rows(self) -> list[list[str]]:
        """The per-analyzer table as text (for tests and the status bar)."""
        t = self.analyzer_table
        return [
            [(item.text() if (item := t.item(r, c)) is not None else "") for c in range(t.columnCount())]
            for r in range(t.rowCount())
        ]

    def _on_finished(self, summary: ScanSummary) -> None:
        self.job, self.engine = None, None
        self.last_summary = summary
        self._set_running(False)
        text = self.tr("{status}: {files} files, {findings} findings, {problems} in {seconds} s").format(
            status=scan_word(summary.status),
            files=f"{summary.files:,}",
            findings=f"{summary.findings:,}",
            problems=problem_count_text(ProblemCount(summary.errors, summary.warnings)),
            seconds=f"{summary.seconds:.1f}",
        )
        if summary.integrity:
            text += "\n" + "\n".join(summary.integrity[:5]) + (" …" if len(summary.integrity) > 5 else "")
        if self.quick_scan and self.session is not None:
            left = self.session.ro.count(FileQuery(status=("pending",)))
            if left:
                text += "\n" + self.tr(
                    "{n} files not scanned yet (profile only): press Resume to scan them"
                ).format(n=f"{left:,}")
        self.phase_label.setText(text)
        if summary.status == "completed":
            self.progress.setValue(1000)
        self.scanFinished.emit(summary)

    def _on_failed(self, exc: BaseException) -> None:
        self.job, self.engine = None, None
        self._set_running(False)
        self.phase_label.setText(scan_word("failed"))
        self.scanFailed.emit(exc)

    def shutdown(self, timeout_ms: int = 60000) -> None:
        """Cancel a running scan and wait for it (window closing)."""
        if self.job is not None:
            job = self.job
            self.cancel()
            job.wait(timeout_ms)
