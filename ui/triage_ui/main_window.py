"""The main window: evidence tree and views on the left, the file table and the detail pane in
the middle, findings and the scan dock on the right. Everything reads the case through
:class:`triage_ui.session.CaseSession`; long work runs in background jobs."""

from __future__ import annotations

import gc
import logging
from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, QSettings, QSize, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QAction, QCloseEvent, QDesktopServices, QIcon, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDockWidget,
    QFileDialog,
    QFrame,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMessageBox,
    QScrollArea,
    QSplitter,
    QStyle,
    QTableView,
    QTabWidget,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from triage.case.query import ALL_FILES, FileQuery
from triage.case.records import CaseInfo, GapKind, ProblemCount
from triage.errors import TriageError, UsageError
from triage.evidence import fve
from triage.logs import log_dir
from triage.scan.registry import PluginConfig
from triage.search.keywords import run_terms
from triage_ui.errors import ErrorReporter
from triage_ui.i18n import QT_TRANSLATE_NOOP, add_language_choice, problem_count_text, scan_word
from triage_ui.jobs import Job
from triage_ui.models import EvidenceTreeModel, FileTableModel, FindingsModel, ViewsModel
from triage_ui.models.files import COLUMNS as FILE_COLUMNS
from triage_ui.mounts import MountManager, partition_folder
from triage_ui.resources import ICON, resource_path
from triage_ui.rules import RuleLibrary
from triage_ui.session import CaseSession
from triage_ui.views.detail import DetailPane
from triage_ui.views.dialogs import (
    EvidencePropertiesDialog,
    PluginsDialog,
    PreferencesDialog,
    RuleLibraryDialog,
    show_about,
)
from triage_ui.views.elide import elide_with_tooltips
from triage_ui.views.export_wizard import ExportWizard
from triage_ui.views.gallery import GalleryView
from triage_ui.views.identifiers import IdentifiersPanel
from triage_ui.views.new_case import CasePropertiesDialog, NewCaseDialog
from triage_ui.views.problems import ProblemsView
from triage_ui.views.report_dialog import ReportDialog
from triage_ui.views.scan_dock import ScanDock
from triage_ui.views.search import SearchPanel
from triage_ui.views.timeline import TimelineView
from triage_ui.views.unlock import LockedVolume, UnlockDialog

log = logging.getLogger("triage.ui")
MAX_RECENT = 8
DEFAULT_SIZE = QSize(1400, 860)
IMAGE_FILTER = QT_TRANSLATE_NOOP(
    "MainWindow",
    "Disk images (*.raw *.dd *.img *.bin *.001 *.E01 *.e01 *.Ex01 *.vmdk *.vhd *.vhdx *.qcow2 *.qcow);;"
    "All files (*)",
)

MIRRORED_AREAS = {
    Qt.DockWidgetArea.LeftDockWidgetArea: Qt.DockWidgetArea.RightDockWidgetArea,
    Qt.DockWidgetArea.RightDockWidgetArea: Qt.DockWidgetArea.LeftDockWidgetArea,
}


class MainWindow(QMainWindow):
    caseChanged = Signal()

    def __init__(self, settings: QSettings | None = None, plugins: PluginConfig | None = None) -> None:
        super().__init__()
        self.settings = settings or QSettings()
        self.plugins = plugins
        self.session: CaseSession | None = None
        self.errors = ErrorReporter(self)
        self.rules = RuleLibrary(self.settings)
        self.dialogs: dict[str, Any] = {}
        self._findings_seen = -1
        self._tree_sig: tuple[int, int, int] = (0, 0, 0)
        self.setWindowTitle("triage")
        self.setWindowIcon(QIcon(str(resource_path(ICON))))
        self.resize(DEFAULT_SIZE)  # until shown: then the screen's size decides (showEvent)
        self._build_models()
        self._build_widgets()
        self._build_actions()
        self.refresh_timer = QTimer(self)
        self.refresh_timer.setInterval(int(str(self.settings.value("ui/refresh_ms", 1000))))
        self.refresh_timer.timeout.connect(self.refresh_live)
        self._restore_state()
        self._update_actions()

    # -- construction ----------------------------------------------------------------------
    def _build_models(self) -> None:
        self.tree_model = EvidenceTreeModel(parent=self)
        self.views_model = ViewsModel(parent=self)
        self.file_model = FileTableModel(parent=self)
        self.findings_model = FindingsModel(parent=self)

    def _build_widgets(self) -> None:
        # left: evidence tree and views
        self.tree = QTreeView()
        self.tree.setObjectName("evidenceTree")
        self.tree.setModel(self.tree_model)
        self.tree.setHeaderHidden(True)
        self.tree.clicked.connect(self._tree_clicked)
        self.tree.activated.connect(self._tree_clicked)  # Enter on the current node (keyboard)
        self.tree.doubleClicked.connect(self._tree_double_clicked)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._tree_menu)
        self.mounts = MountManager(self)
        self.mounts.mounted.connect(self._mounted)
        self.mounts.failed.connect(lambda _eid, exc: self.errors.report(self.tr("Mount"), exc))
        self.mounts.unmounted.connect(lambda eid, _mp: self.tree_model.set_mounted(eid, None))
        self.views = QTreeView()
        self.views.setObjectName("viewsTree")
        self.views.setModel(self.views_model)
        self.views.setHeaderHidden(True)
        self.views.clicked.connect(self._view_clicked)
        left = QSplitter(Qt.Orientation.Vertical)
        left.addWidget(self.tree)
        left.addWidget(self.views)
        left.setSizes([500, 300])
        self.left_dock = self._dock(
            QT_TRANSLATE_NOOP("MainWindow", "Evidence"), left, Qt.DockWidgetArea.LeftDockWidgetArea
        )
        # centre: filter, table, detail
        self.filter_edit = QLineEdit(placeholderText=self.tr("Filter by name (Ctrl+F)"))
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(lambda _: self._apply_scope())
        self.scope_label = QLabel("")
        self.table = QTableView()
        self.table.setObjectName("fileTable")
        self.table.setModel(self.file_model)
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)  # inventory (id) order until a header is clicked
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self._size_file_columns()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setWordWrap(False)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._table_menu)
        top = QWidget()
        tl = QVBoxLayout(top)
        tl.setContentsMargins(0, 0, 0, 0)
        tl.addWidget(self.scope_label)
        tl.addWidget(self.filter_edit)
        self._build_gallery()
        tl.addWidget(self.file_tabs, 1)
        self.detail = DetailPane()
        self.detail.setMinimumHeight(160)  # its tabs' own minimum would take half the window
        self.detail.tagsChanged.connect(self._tags_changed)
        centre = QSplitter(Qt.Orientation.Vertical)
        centre.setObjectName("centreSplitter")
        centre.addWidget(top)
        centre.addWidget(self.detail)
        centre.setChildrenCollapsible(False)  # the splitter moves freely instead of snapping shut
        centre.setStretchFactor(0, 3)
        centre.setStretchFactor(1, 2)
        self.centre = centre
        self.setCentralWidget(centre)
        # right: findings and scan
        self.findings = QTreeView()
        self.findings.setObjectName("findingsTree")
        self.findings.setModel(self.findings_model)
        self.findings.setUniformRowHeights(True)
        self.findings.header().resizeSection(0, 220)
        self.findings.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.findings.clicked.connect(self._finding_clicked)
        self.findings.activated.connect(self._finding_clicked)
        self.findings_dock = self._dock(
            QT_TRANSLATE_NOOP("MainWindow", "Findings"), self.findings, Qt.DockWidgetArea.RightDockWidgetArea
        )
        self.scan_dock = ScanDock(
            rules_provider=self.rules.enabled_paths,
            workers=int(str(self.settings.value("scan/workers", 2))),
            plugins=self.plugins,
        )
        self.scan_dock.scanStarted.connect(self._scan_started)
        self.scan_dock.scanFinished.connect(self._scan_finished)
        self.scan_dock.scanFailed.connect(lambda exc: self._scan_ended_with_error(exc))
        self.scan_dock.statusChanged.connect(self._scan_status)
        scan_scroll = QScrollArea()  # the scan form scrolls rather than forcing a wide dock
        scan_scroll.setWidget(self.scan_dock)
        scan_scroll.setWidgetResizable(True)
        scan_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scan_dock_widget = self._dock(
            QT_TRANSLATE_NOOP("MainWindow", "Scan"), scan_scroll, Qt.DockWidgetArea.RightDockWidgetArea
        )
        self.identifiers = IdentifiersPanel(settings=self.settings)
        self.identifiers.scopeRequested.connect(self.show_scope)
        self.identifiers.fileActivated.connect(lambda fid: self._guard(lambda: self.focus_file(fid)))
        self.identifiers.failed.connect(lambda exc: self.errors.report(self.tr("Identifiers"), exc))
        self.identifiers_dock = self._dock(
            QT_TRANSLATE_NOOP("MainWindow", "Identifiers"),
            self.identifiers,
            Qt.DockWidgetArea.RightDockWidgetArea,
        )
        self.problems = ProblemsView()
        self.problems.fileActivated.connect(lambda fid: self._guard(lambda: self.focus_file(fid)))
        self.problems_dock = self._dock(
            QT_TRANSLATE_NOOP("MainWindow", "Problems"), self.problems, Qt.DockWidgetArea.RightDockWidgetArea
        )
        self.search = SearchPanel()
        self.search.hitActivated.connect(lambda hit: self._guard(lambda: self.show_search_hit(hit)))
        self.search.saveRequested.connect(lambda term: self._guard(lambda: self.save_search(term)))
        self.search_dock = self._dock(
            QT_TRANSLATE_NOOP("MainWindow", "Search"), self.search, Qt.DockWidgetArea.RightDockWidgetArea
        )
        self.tabifyDockWidget(self.findings_dock, self.search_dock)
        self.tabifyDockWidget(self.findings_dock, self.scan_dock_widget)
        self.tabifyDockWidget(self.findings_dock, self.problems_dock)
        self.tabifyDockWidget(self.findings_dock, self.identifiers_dock)
        self.findings_dock.raise_()
        # bottom: the timeline (loads its events when first shown)
        self.timeline = TimelineView()
        self.timeline.fileActivated.connect(lambda fid: self._guard(lambda: self.show_timeline_file(fid)))
        self.timeline.scopeRequested.connect(self.show_scope)
        self.timeline.scopeCleared.connect(self.clear_timeline_scope)
        self.timeline.failed.connect(lambda exc: self.errors.report(self.tr("Timeline"), exc))
        self.timeline_dock = self._dock(
            QT_TRANSLATE_NOOP("MainWindow", "Timeline"), self.timeline, Qt.DockWidgetArea.BottomDockWidgetArea
        )
        self.timeline_dock.hide()  # opened by View → Show timeline (Ctrl+L): the table keeps the height
        elide_with_tooltips(self.table, self.findings, self.problems.table)
        self.status_label = QLabel(self.tr("No case open"))
        self.statusBar().addWidget(self.status_label, 1)
        self.scan_label = QLabel("")
        self.statusBar().addPermanentWidget(self.scan_label)

    def _build_gallery(self) -> None:
        """The file table and the gallery of its pictures, as two tabs over the same view."""
        self.gallery = GalleryView()
        self.file_tabs = QTabWidget()
        self.file_tabs.setObjectName("fileTabs")
        self.file_tabs.setDocumentMode(True)
        self.file_tabs.addTab(self.table, self.tr("Files"))
        self.file_tabs.addTab(self.gallery, self.tr("Gallery"))
        self.gallery.fileSelected.connect(lambda fid: self._guard(lambda: self.focus_file(fid)))
        self.gallery.fileActivated.connect(lambda fid: self._guard(lambda: self.focus_file(fid)))
        self.gallery.tagRequested.connect(lambda ids: self._guard(lambda: self.tag_selected(file_ids=ids)))
        self.gallery.failed.connect(lambda exc: self.errors.report(self.tr("Gallery"), exc))
        self.file_model.modelReset.connect(self._gallery_follow_scope)
        self.table.selectionModel().currentRowChanged.connect(
            lambda cur, _prev: self.gallery.follow(
                int(self.file_model.row_dict(cur.row())["id"]) if cur.isValid() else None
            )
        )

    def _gallery_follow_scope(self) -> None:
        if self.file_model.case is not None and self.file_model.case is self.gallery.model.case:
            self.gallery.set_query(self.file_model.query())

    def show_gallery(self) -> None:
        self.file_tabs.setCurrentWidget(self.gallery)

    def _dock(self, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(self.tr(title), self)  # title: English, marked for lupdate by the caller
        dock.setObjectName(f"dock_{title.lower()}")
        dock.setWidget(widget)
        if self.layoutDirection() == Qt.LayoutDirection.RightToLeft:  # Qt does not mirror dock areas
            area = MIRRORED_AREAS.get(area, area)
        self.addDockWidget(area, dock)
        return dock

    def _action(
        self,
        menu: QMenu,
        text: str,
        slot: Any,
        shortcut: str | QKeySequence.StandardKey | None = None,
        needs_case: bool = False,
    ) -> QAction:
        act = QAction(text, self)
        if shortcut is not None:
            act.setShortcut(QKeySequence(shortcut))
        act.triggered.connect(lambda checked=False: self._guard(slot))
        act.setProperty("needs_case", needs_case)
        menu.addAction(act)
        return act

    def _build_actions(self) -> None:
        mb = self.menuBar()
        m = mb.addMenu(self.tr("&Case"))
        self.act_new = self._action(m, self.tr("&New case…"), self.new_case, QKeySequence.StandardKey.New)
        self.act_open = self._action(m, self.tr("&Open case…"), self.open_case, QKeySequence.StandardKey.Open)
        self.recent_menu = m.addMenu(self.tr("Open &recent"))
        m.addSeparator()
        self.act_add = self._action(
            m, self.tr("Add &evidence…"), self.add_evidence, "Ctrl+E", needs_case=True
        )
        self._action(m, self.tr("Evidence &properties…"), self.evidence_properties, None, needs_case=True)
        self.act_remove_evidence = self._action(
            m, self.tr("Re&move evidence…"), self.remove_evidence, None, needs_case=True
        )
        self._action(m, self.tr("Case propert&ies…"), self.case_properties, None, needs_case=True)
        self.act_export = self._action(
            m, self.tr("E&xport bundle…"), self.export_bundle, "Ctrl+Shift+E", needs_case=True
        )
        self.act_report = self._action(
            m, self.tr("Ex&amination report…"), self.examination_report, None, needs_case=True
        )
        m.addSeparator()
        self._action(
            m, self.tr("&Close case"), self.close_case, QKeySequence.StandardKey.Close, needs_case=True
        )
        # not StandardKey.Quit: it has no key on Windows, offscreen and some X11 themes
        self._action(m, self.tr("&Quit"), self.close, "Ctrl+Q")
        e = mb.addMenu(self.tr("&Edit"))
        self._action(e, self.tr("&Tag selected files…"), self.tag_selected, "Ctrl+T", needs_case=True)
        self._action(e, self.tr("Add &note to file…"), self.note_current, "Ctrl+Shift+N", needs_case=True)
        self._action(e, self.tr("&Filter files"), self.filter_edit.setFocus, QKeySequence.StandardKey.Find)
        self._action(e, self.tr("&Search the case…"), self.focus_search, "Ctrl+Shift+F", needs_case=True)
        e.addSeparator()
        self._action(e, self.tr("&Preferences…"), self.preferences, QKeySequence.StandardKey.Preferences)
        v = mb.addMenu(self.tr("&View"))
        for dock in (
            self.left_dock,
            self.findings_dock,
            self.scan_dock_widget,
            self.identifiers_dock,
            self.problems_dock,
            self.timeline_dock,
        ):
            v.addAction(dock.toggleViewAction())
        self._action(v, self.tr("Show &timeline"), self.show_timeline, "Ctrl+L")
        self._action(v, self.tr("Show &gallery"), self.show_gallery, "Ctrl+G")
        self._action(v, self.tr("Show &problems"), self.show_problems)
        self._action(v, self.tr("Reset &layout"), self.reset_layout)
        self._action(v, self.tr("Next match"), self.detail.hex.next_match, "F3")
        self._action(v, self.tr("Previous match"), self.detail.hex.previous_match, "Shift+F3")
        # not StandardKey.Refresh: that is F5 on X11, which is Start scan (one key, one action)
        self._action(v, self.tr("Refresh"), self.refresh_all, "Ctrl+Shift+R", needs_case=True)
        s = mb.addMenu(self.tr("&Scan"))
        self._action(s, self.tr("&Start scan"), self.start_scan, "F5", needs_case=True)
        self._action(
            s, self.tr("&Pause / continue"), self.scan_dock.pause_btn.toggle, "Ctrl+P", needs_case=True
        )
        self._action(s, self.tr("&Cancel scan"), self.scan_dock.cancel, "Ctrl+.", needs_case=True)
        self._action(
            s,
            self.tr("&Resume interrupted scan"),
            lambda: self.scan_dock.start(resume=True),
            None,
            needs_case=True,
        )
        t = mb.addMenu(self.tr("&Tools"))
        self._action(t, self.tr("&Rule library…"), self.rule_library, "Ctrl+R")
        self._action(t, self.tr("&Plugins…"), self.plugins_dialog)
        h = mb.addMenu(self.tr("&Help"))
        self._action(h, self.tr("Open &log folder"), lambda: QDesktopServices.openUrl(log_dir().as_uri()))
        self._action(h, self.tr("&About triage"), lambda: self.dialogs.__setitem__("about", show_about(self)))
        tb = self.addToolBar(self.tr("Main toolbar"))
        tb.setObjectName("mainToolbar")
        for a in (self.act_new, self.act_open, self.act_add, self.act_export):
            tb.addAction(a)
        self._rebuild_recent()

    def _guard(self, slot: Any) -> None:
        """Run a UI action; errors become a dialog, never a traceback."""
        try:
            slot()
        except Exception as exc:
            self.errors.report("triage", exc)

    def _update_actions(self) -> None:
        has = self.session is not None
        for act in self.findChildren(QAction):
            if act.property("needs_case"):
                act.setEnabled(has)

    # -- settings --------------------------------------------------------------------------
    def _restore_state(self) -> None:
        self._default_state = self.saveState()  # the layout as built, for View → Reset layout
        geo = self.settings.value("window/geometry")
        state = self.settings.value(self._state_key())
        if geo is not None:
            self.restoreGeometry(geo)
        if state is not None:
            self.restoreState(state)
        self._sized = self._restored_layout = state is not None

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._sized:  # first start: proportions of the actual screen, not fixed pixels
            self._sized = True
            screen = self.screen().availableGeometry() if self.screen() is not None else None
            if (
                screen is not None
                and self.size() == DEFAULT_SIZE
                and self.settings.value("window/geometry") is None
            ):
                if screen.width() <= 1600 or screen.height() <= 900:  # a laptop: all of it
                    self.setGeometry(screen)  # without a window manager, maximized is only this
                    self.setWindowState(self.windowState() | Qt.WindowState.WindowMaximized)
                else:
                    size = screen.size() * 0.85
                    self.setGeometry(
                        QStyle.alignedRect(
                            Qt.LayoutDirection.LeftToRight, Qt.AlignmentFlag.AlignCenter, size, screen
                        )
                    )
            elif screen is not None and (self.width() > screen.width() or self.height() > screen.height()):
                self.resize(min(self.width(), screen.width()), min(self.height(), screen.height()))
            QTimer.singleShot(0, self._apply_default_sizes)  # once the layout has its real size

    def _apply_default_sizes(self) -> None:
        """Most of the window for the file table and the detail pane: the right docks get 28 % of
        the width, the evidence tree 15 %, the timeline (when shown) a fifth of the height; the
        findings' first column half of its dock."""
        w, h = max(self.width(), 800), max(self.height(), 600)
        self.resizeDocks([self.findings_dock], [int(w * 0.28)], Qt.Orientation.Horizontal)
        self.resizeDocks([self.left_dock], [int(w * 0.15)], Qt.Orientation.Horizontal)
        self.resizeDocks([self.timeline_dock], [int(h * 0.2)], Qt.Orientation.Vertical)
        total = max(self.centre.height(), 400)
        self.centre.setSizes([int(total * 0.55), total - int(total * 0.55)])
        self.findings.header().resizeSection(0, max(160, int(w * 0.28 * 0.5)))

    def _size_file_columns(self) -> None:
        """File table columns wide enough for their usual content (a UTC time, a size with its
        unit, a content type); longer text elides and shows whole in its tooltip."""
        fm, header = self.table.fontMetrics(), self.table.horizontalHeader()
        pad = 4 * fm.horizontalAdvance(" ")
        samples = {
            "name": "Deleted Meeting Minutes.txt",
            "size": "99,999 (97.7 KiB)",
            "type": "virtual folder",
            "mime": "application/octet-stream",
            "deleted": "deleted-realloc",
            "mtime": "2023-11-14T22:13:20Z",
            "crtime": "2023-11-14T22:13:20Z",
            "status": "pending",
        }
        for i, (key, title, _sort) in enumerate(FILE_COLUMNS):
            sample = samples.get(key)
            if sample is not None:
                width = max(fm.horizontalAdvance(sample), fm.horizontalAdvance(title) + 2 * pad) + pad
                header.resizeSection(i, width)

    def reset_layout(self) -> None:
        """Docks and toolbars back where the workstation first put them."""
        self.restoreState(self._default_state)
        for dock in self.findChildren(QDockWidget):
            dock.setFloating(False)
        self._apply_default_sizes()
        self._size_file_columns()
        self.settings.remove(self._state_key())

    def _state_key(self) -> str:
        """Right-to-left layouts (docks mirrored) are saved apart from left-to-right ones."""
        rtl = self.layoutDirection() == Qt.LayoutDirection.RightToLeft
        return "window/state-rtl" if rtl else "window/state"

    def save_state(self) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue(self._state_key(), self.saveState())
        self.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.scan_dock.shutdown()
        self.timeline.shutdown()
        self.identifiers.shutdown()
        self.gallery.shutdown()
        self.views_model.shutdown()
        self._unmount_all()
        export = self.dialogs.get("export")
        if isinstance(export, ExportWizard):
            export.shutdown()
        removing = self.dialogs.get("remove_job")
        if isinstance(removing, Job):
            removing.wait(600_000)  # one transaction: let it commit rather than cut it
        self.save_state()
        self.set_session(None)
        super().closeEvent(event)

    # -- cases -----------------------------------------------------------------------------
    def recent_cases(self) -> list[str]:
        value = self.settings.value("recent", [])
        return [str(v) for v in (value if isinstance(value, list) else [value] if value else [])]

    def _remember(self, path: Path) -> None:
        rec = [str(path)] + [p for p in self.recent_cases() if p != str(path)]
        self.settings.setValue("recent", rec[:MAX_RECENT])
        self._rebuild_recent()

    def _rebuild_recent(self) -> None:
        self.recent_menu.clear()
        for p in self.recent_cases():
            act = self.recent_menu.addAction(p)
            act.triggered.connect(lambda checked=False, p=p: self._guard(lambda: self.open_case(p)))
        self.recent_menu.setEnabled(bool(self.recent_cases()))

    def new_case(self, path: str | Path | None = None, info: CaseInfo | None = None) -> NewCaseDialog | None:
        """Create a case at ``path``; without one, the New case dialog asks for the folder (a new
        one in the default cases folder) and the case number, examiner and organisation."""
        if path is None:
            dlg = NewCaseDialog(
                self.settings,
                lambda folder, i: self.set_session(CaseSession(folder, create=True, info=i)),
                self,
            )
            self.dialogs["new_case"] = dlg
            dlg.open()
            return dlg
        self.set_session(CaseSession(path, create=True, info=info))
        return None

    def case_properties(self) -> CasePropertiesDialog:
        """View and change the case number, examiner, organisation and authorities (audited)."""
        if self.session is None:
            raise UsageError("open a case first")
        session = self.session
        dlg = CasePropertiesDialog(
            session.ro.case_info(),
            None if session.readonly_reason else session.set_case_info,
            session.path,
            self,
            readonly_reason=session.readonly_reason,
        )
        self.dialogs["case_properties"] = dlg
        dlg.open()
        return dlg

    def open_case(self, path: str | Path | None = None) -> None:
        if path is None:
            path = QFileDialog.getExistingDirectory(self, self.tr("Open case folder"))
            if not path:
                return
        self.set_session(CaseSession(path))

    def close_case(self) -> None:
        if self.scan_dock.is_running():
            raise UsageError(self.tr("a scan is running: cancel it before closing the case"))
        if self.removing():
            raise UsageError(self.tr("Evidence is being removed: wait until it is done."))
        self.set_session(None)

    def set_session(self, session: CaseSession | None) -> None:
        self._unmount_all()
        if self.session is not None:
            self.refresh_timer.stop()
            self.session.close()
        self.session = session
        ro = session.ro if session else None
        self.tree_model.set_case(ro)
        self.views_model.set_case(ro, background=True)
        self.findings_model.set_case(ro)
        self.problems.set_case(ro)
        self._findings_seen = self.findings_model.total
        self.findings.expandToDepth(0)
        self.file_model.set_case(ro)
        self._clear_case_state()
        self.file_model.set_query(ALL_FILES, label=self.tr("All files"))
        self.gallery.set_session(session, self.file_model.query())
        self.detail.set_session(session)
        self.scan_dock.set_session(session)
        self.timeline.set_case(session.path if session else None)
        self.identifiers.set_case(session.path if session else None)
        self.search.set_case(session.path if session else None)
        self._tree_sig = self.tree_model.signature()
        if session is not None:
            self._remember(session.path)
            readonly = (
                self.tr(" (read-only: {reason})").format(reason=session.readonly_reason)
                if session.readonly_reason
                else ""
            )
            self.setWindowTitle(f"triage — {session.path}{readonly}")
            self.tree.expandToDepth(0)
        else:
            self.setWindowTitle("triage")
        self.scan_label.setText(self._last_scan_text())
        if session is not None and not self._restored_layout and self.isVisible():
            QTimer.singleShot(300, self._apply_default_sizes)  # a loaded case must not widen the docks
        self._update_status()
        self._update_scope_label()
        self._update_actions()
        # What lives now (modules, widgets, Qt wrappers, the case's first pages) stays: moved out
        # of the cyclic collector's way, a full collection no longer stalls scrolling by 150 ms.
        gc.collect()
        gc.freeze()
        self.caseChanged.emit()

    def _clear_case_state(self) -> None:
        """Nothing of the previous case survives: the name filter, the folder or view shown, and
        the dialogs that belong to one case (evidence and case properties, remove evidence)."""
        self.filter_edit.blockSignals(True)
        self.filter_edit.clear()
        self.filter_edit.blockSignals(False)
        self._base_scope, self._base_label = ALL_FILES, self.tr("All files")
        for key in ("evidence", "case_properties", "remove_evidence"):
            dlg = self.dialogs.pop(key, None)
            if dlg is not None:
                dlg.close()

    def _last_scan_text(self) -> str:
        """The status-bar summary of this case's last scan (never another case's)."""
        scans = self.session.ro.scans() if self.session is not None else []
        if not scans:
            return ""
        last = scans[-1]
        return self.tr("last scan {status} {time}").format(
            status=scan_word(last["status"]), time=last.get("finished") or last["started"]
        )

    def add_evidence(self, paths: list[str | Path] | None = None) -> list[int]:
        if self.session is None:
            raise UsageError(self.tr("open or create a case first"))
        if paths is None:
            chosen, _ = QFileDialog.getOpenFileNames(
                self, self.tr("Add evidence (first segment of split or E01 sets)"), "", self.tr(IMAGE_FILTER)
            )
            paths = list(chosen)
        ids = [self.session.add_evidence(p) for p in paths]
        self.tree_model.reload()
        self.tree.expandToDepth(0)
        self._tree_sig = self.tree_model.signature()
        self._update_status()
        if ids:
            self.statusBar().showMessage(
                self.tr("Added {n} evidence item(s); press F5 to scan").format(n=len(ids)), 8000
            )
        return ids

    def evidence_properties(self, evidence_id: int | None = None) -> EvidencePropertiesDialog:
        assert self.session is not None
        evidence = self.session.ro.evidence(evidence_id) if evidence_id else self.session.ro.evidence()
        if not evidence:
            raise UsageError(self.tr("this case has no evidence yet"))
        ev = evidence[0]
        session = self.session

        def record(result: dict[str, Any]) -> None:
            session.rw.audit("evidence.verified", {"evidence_id": ev["id"], **result})

        from triage.case.integrity import image_integrity

        dlg = EvidencePropertiesDialog(
            ev,
            self.session.ro.partitions(ev["id"]),
            on_verify=record,
            parent=self,
            integrity=image_integrity(self.session.ro, ev),
        )
        self.dialogs["evidence"] = dlg
        dlg.open()
        return dlg

    def remove_evidence(self, evidence_id: int | None = None) -> QMessageBox:
        """Ask to remove an evidence item (the one given, the one selected in the evidence tree, or
        the only one) and all its results; the image itself is not touched. Returns the question."""
        if self.session is None:
            raise UsageError("open a case first")
        if evidence_id is None:
            evidence_id = self._current_evidence_id()
        ev = self.session.ro.evidence(evidence_id)
        if not ev:
            raise UsageError(f"no evidence with id {evidence_id} in this case")
        if self.scan_dock.is_running():
            raise UsageError(
                self.tr("A scan is running: cancel it or let it finish before removing evidence.")
            )
        if self.removing():
            raise UsageError(self.tr("Evidence is being removed: wait until it is done."))
        if self.mounts.mountpoint(evidence_id) is not None or self.mounts.busy(evidence_id):
            raise UsageError(self.tr("This evidence is mounted: unmount it before removing it."))
        name = Path(ev[0]["path"]).name
        files = self.session.ro.count_evidence_files(evidence_id)
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            self.tr("Remove evidence"),
            self.tr(
                "Remove %1 from the case?\n\n%2\n\nIts %3 files and their findings, problems, tags, notes and "
                "thumbnails are deleted from the case. The image itself is not changed, and the audit log "
                "keeps a record of the removal."
            )
            .replace("%1", name)
            .replace("%2", str(ev[0]["path"]))
            .replace("%3", f"{files:,}"),
            QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setObjectName("removeEvidenceQuestion")
        remove = box.addButton(
            self.tr("Remove %1").replace("%1", name), QMessageBox.ButtonRole.DestructiveRole
        )
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        eid = evidence_id

        def answered() -> None:
            if box.clickedButton() is remove:
                self._guard(lambda: self._remove_evidence_now(eid))

        box.finished.connect(lambda _r: answered())
        self.dialogs["remove_evidence"] = box
        box.open()
        return box

    def _current_evidence_id(self) -> int:
        """The evidence item the evidence tree's current node belongs to, or the only one."""
        assert self.session is not None
        index = self.tree.currentIndex()
        node = self.tree_model.node(index) if index.isValid() else None
        if node is not None and node.kind == "evidence":
            return int(node.data["id"])
        if node is not None and node.data.get("evidence_id") is not None:
            return int(node.data["evidence_id"])
        items = self.session.ro.evidence()
        if len(items) == 1:
            return int(items[0]["id"])
        if not items:
            raise UsageError("this case has no evidence")
        raise UsageError(self.tr("Select the evidence item to remove in the evidence tree."))

    def _remove_evidence_now(self, evidence_id: int) -> Job:
        """Remove in the background (a large case takes a while); no scan starts meanwhile."""
        assert self.session is not None
        session = self.session
        self.scan_dock.setEnabled(False)
        self.act_remove_evidence.setEnabled(False)
        self.statusBar().showMessage(self.tr("Removing evidence %1…").replace("%1", str(evidence_id)))
        job = Job(lambda: session.remove_evidence(evidence_id), "remove-evidence", self)
        job.finished.connect(self._evidence_removed)
        job.errored.connect(lambda exc: self.errors.report(self.tr("Remove evidence"), exc))
        job.ended.connect(self._removal_ended)
        self.dialogs["remove_job"] = job
        return job.start()

    def _removal_ended(self) -> None:
        self.scan_dock.setEnabled(True)
        self._update_actions()

    def removing(self) -> bool:
        """Evidence is being removed (in the background)."""
        job = self.dialogs.get("remove_job")
        return isinstance(job, Job) and not job.done

    def _evidence_removed(self, removed: Any) -> None:
        if self.session is None:
            return
        self.session.forget_images()
        self.detail.clear_file()
        self._base_scope, self._base_label = ALL_FILES, self.tr("All files")
        self._apply_scope()
        self.refresh_all()
        self._tree_sig = self.tree_model.signature()
        self.timeline.mark_stale()
        self.identifiers.mark_stale()
        self.scan_dock.set_session(self.session)  # its counts were of the removed results
        self.scan_label.setText(self._last_scan_text())
        self.statusBar().showMessage(
            self.tr("Removed %1 and its results").replace("%1", Path(removed.path).name), 8000
        )

    # -- browsing --------------------------------------------------------------------------
    def _tree_clicked(self, index: QModelIndex) -> None:
        node = self.tree_model.node(index) if index.isValid() else None
        if node is None or node.partition_id is None:
            return
        if node.kind == "file":  # a member or a carved file: the one current file
            self._guard(lambda: self.focus_file(int(node.data["id"])))
            return
        if node.kind == "carved":
            self._base_scope = FileQuery.scope("carved", node.partition_id)
            self._base_label = self.tr("Carved files")
        elif node.kind == "container":
            self._base_scope = FileQuery.scope("folder", node.partition_id, node.folder_path)
            self._base_label = self.tr("Members of {path}").format(path=node.folder_path)
        else:
            self._base_scope = FileQuery.scope("folder", node.partition_id, node.folder_path)
            idx = node.data.get("idx", "")
            self._base_label = (
                self.tr("Folder {path} (partition {idx})").format(path=node.folder_path, idx=idx)
                if idx != ""
                else self.tr("Folder {path}").format(path=node.folder_path)
            )
        self._apply_scope()

    def _tree_double_clicked(self, index: QModelIndex) -> None:
        node = self.tree_model.node(index) if index.isValid() else None
        if node is not None and node.kind == "evidence":
            self._guard(lambda: self.evidence_properties(int(node.data["id"])))

    def _view_clicked(self, index: QModelIndex) -> None:
        scope = self.views_model.scope(index)
        if scope:
            self._base_scope, self._base_label = scope
            self._apply_scope()

    def show_scope(self, query: FileQuery, label: str) -> None:
        """List the files ``query`` selects in the file table, under ``label``."""
        self._base_scope, self._base_label = query, label
        self._apply_scope()

    def clear_timeline_scope(self) -> None:
        """The timeline's range filter was cleared: back to all files, unless another view was chosen since."""
        if getattr(self, "_base_scope", ALL_FILES).time_range is not None:
            self.show_scope(ALL_FILES, self.tr("All files"))

    def _apply_scope(self) -> None:
        query: FileQuery = getattr(self, "_base_scope", ALL_FILES)
        text = self.filter_edit.text().strip()
        if text:
            query = replace(query, name_contains=text)
        self.file_model.set_query(query, label=getattr(self, "_base_label", self.tr("All files")))
        self._update_scope_label()

    def _update_scope_label(self) -> None:
        more = "+" if not self.file_model.at_end() else ""
        self.scope_label.setText(
            self.tr("<b>{scope}</b> · {rows}{more} rows loaded").format(
                scope=self.file_model.scope_label, rows=f"{self.file_model.loaded():,}", more=more
            )
            + (
                self.tr(" · name contains “{text}”").format(text=self.filter_edit.text())
                if self.filter_edit.text()
                else ""
            )
        )

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._update_scope_label()
        if current.isValid():
            self._guard(lambda: self.detail.show_file(int(self.file_model.row_dict(current.row())["id"])))

    def selected_file_ids(self) -> list[int]:
        if self.file_tabs.currentWidget() is self.gallery:
            return self.gallery.selected_ids()
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [int(self.file_model.row_dict(r)["id"]) for r in rows]

    def select_file(self, file_id: int) -> bool:
        """Select a file in the table when it is in the current scope (fetching pages as needed)."""
        while (row := self.file_model.row_of(file_id)) is None and self.file_model.canFetchMore(
            QModelIndex()
        ):
            self.file_model.fetchMore(QModelIndex())
        if row is None:
            return False
        self.table.selectRow(row)
        self.table.scrollTo(self.file_model.index(row, 0))
        return True

    def _table_menu(self, pos: Any) -> None:
        menu = QMenu(self)
        menu.addAction(self.tr("Tag selected files…"), lambda: self._guard(self.tag_selected))
        menu.addAction(self.tr("Export selected files…"), lambda: self._guard(self.export_bundle))
        menu.exec(self.table.viewport().mapToGlobal(pos))

    def _finding_clicked(self, index: QModelIndex) -> None:
        hit = self.findings_model.hit(index)
        if hit is None:
            return
        file_id, offset, length = hit
        self._guard(lambda: self.focus_file(file_id, offset, length))

    def focus_file(self, file_id: int, offset: int | None = None, length: int = 0) -> None:
        """Make ``file_id`` the one current file: selected in the table (the view switches to the
        file's folder when the current one does not hold it), shown in the detail and hex panes."""
        if not self.select_file(file_id) and self.session is not None:
            row = self.session.ro.file(file_id)
            if row is not None:
                self.filter_edit.blockSignals(True)
                self.filter_edit.clear()
                self.filter_edit.blockSignals(False)
                self._base_scope = FileQuery.scope("folder", row["partition_id"], row["parent_path"])
                self._base_label = self.tr("Folder {path}").format(path=row["parent_path"])
                self._apply_scope()
            if not self.select_file(file_id):
                self.table.clearSelection()  # never leave another file highlighted
        if self.detail.file_id != file_id:
            self.detail.show_file(file_id)
        if offset is not None:
            self.detail.show_hit(file_id, offset, length)
        self._select_tree_folder(file_id)

    def focus_search(self) -> None:
        """Bring the Search dock forward with its box focused and its text selected."""
        self.search_dock.show()
        self.search_dock.raise_()
        self.search.edit.setFocus()
        self.search.edit.selectAll()

    def save_search(self, term: str, name: str | None = None) -> None:
        """Keep the search box's term in the case under a name (added to that keyword list when it
        exists) and turn the list's hits into findings, as `triage search --keywords --save` does."""
        if self.session is None or not term:
            return
        lists = self.session.ro.saved_searches()
        if name is None:
            name, ok = QInputDialog.getItem(
                self,
                self.tr("Save search"),
                self.tr("Keyword list (new or existing):"),
                sorted(lists),
                0,
                True,
            )
            if not ok:
                return
        name = name.strip()
        if not name:
            return
        terms = lists.get(name, [])
        terms = terms if term in terms else [*terms, term]
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            found = run_terms(self.session.rw, name, terms)
        finally:
            QApplication.restoreOverrideCursor()
        self.search.reload_saved()
        self.findings_model.reload()
        self.findings.expandToDepth(0)
        self.statusBar().showMessage(
            self.tr("Saved in keyword list {name} (terms: {n}, findings: {found})").format(
                name=name, n=len(terms), found=found
            ),
            8000,
        )

    def show_search_hit(self, hit: Any) -> None:
        """A search hit: raw strings and slack highlighted in the Hex view at their bytes, document
        text found in the Text view; unallocated space (no file) is named in the status bar."""
        if hit.file_id is None:
            self.statusBar().showMessage(
                self.tr("{path}: volume offset {offset} ({hex})").format(
                    path=hit.path, offset=hit.offset, hex=f"{hit.offset:#x}"
                ),
                10000,
            )
            return
        if hit.source == "text":
            self.focus_file(hit.file_id)
            assert self.session is not None
            text, whole = self.session.ro.extracted_text(hit.file_id, hit.member)
            if text:
                self.detail.show_extracted_text(text, whole, hit.offset, hit.length, hit.member)
            else:  # the index changed since the search
                self.detail.show_text_match(hit.match)
        else:
            self.focus_file(hit.file_id, hit.offset, hit.length)

    def _select_tree_folder(self, file_id: int) -> None:
        """The evidence tree marks the current file's folder (or clears its mark)."""
        row = self.session.ro.file(file_id) if self.session is not None else None
        index = (
            self.tree_model.folder_index(int(row["partition_id"]), str(row["parent_path"]))
            if row is not None and row.get("partition_id") is not None
            else QModelIndex()
        )
        if index.isValid():
            self.tree.setCurrentIndex(index)
            self.tree.scrollTo(index)
        else:
            self.tree.clearSelection()

    # -- mounts ----------------------------------------------------------------------------
    def _tree_menu(self, pos: Any) -> None:
        index = self.tree.indexAt(pos)
        node = self.tree_model.node(index) if index.isValid() else None
        if node is None or node.kind not in ("evidence", "partition"):
            return
        menu = QMenu(self)
        if node.kind == "evidence":
            eid = int(node.data["id"])
            if self.mounts.mountpoint(eid) is None:
                act = menu.addAction(
                    self.tr("Mount read-only…"), lambda: self._guard(lambda: self.mount_evidence(eid))
                )
                act.setEnabled(not self.mounts.busy(eid))
            else:
                menu.addAction(
                    self.tr("Open in file manager"), lambda: self._guard(lambda: self.open_mounted(eid))
                )
                menu.addAction(self.tr("Unmount"), lambda: self._guard(lambda: self.unmount_evidence(eid)))
            menu.addAction(self.tr("Properties…"), lambda: self._guard(lambda: self.evidence_properties(eid)))
            menu.addSeparator()
            menu.addAction(
                self.tr("Remove evidence…"), lambda: self._guard(lambda: self.remove_evidence(eid))
            )
        else:
            eid, pid = int(node.data["evidence_id"]), int(node.data["id"])
            act = menu.addAction(
                self.tr("Open in file manager"), lambda: self._guard(lambda: self.open_mounted(eid, pid))
            )
            act.setEnabled(self.mounts.mountpoint(eid) is not None)
            if not act.isEnabled():
                act.setText(self.tr("Open in file manager (mount the evidence first)"))
        menu.exec(self.tree.viewport().mapToGlobal(pos))

    def mount_evidence(self, evidence_id: int, mountpoint: str | Path | None = None) -> None:
        """Mount an evidence item read-only (FUSE) at an empty folder, in the background."""
        assert self.session is not None
        problem = self.mounts.problem()
        if problem:
            self.errors.show(self.tr("Mount"), problem)
            return
        ev = self.session.ro.evidence(evidence_id)[0]
        if mountpoint is None:
            mountpoint = QFileDialog.getExistingDirectory(
                self,
                self.tr("Mount {name} read-only: choose an empty folder").format(name=Path(ev["path"]).name),
            )
            if not mountpoint:
                return
        self.mounts.mount(evidence_id, ev["path"], mountpoint, self.session.path)
        self.statusBar().showMessage(
            self.tr("Mounting {name} at {mountpoint}…").format(
                name=Path(ev["path"]).name, mountpoint=mountpoint
            ),
            10000,
        )

    def _mounted(self, evidence_id: int, mountpoint: str) -> None:
        self.tree_model.set_mounted(evidence_id, mountpoint)
        self.statusBar().showMessage(
            self.tr("Mounted read-only at {mountpoint}").format(mountpoint=mountpoint), 10000
        )

    def unmount_evidence(self, evidence_id: int) -> None:
        self.mounts.unmount(evidence_id)
        self.statusBar().showMessage(self.tr("Unmounted"), 5000)

    def open_mounted(self, evidence_id: int, partition_id: int | None = None) -> Path:
        """Open the mount (or one partition's folder in it) in the system's file manager."""
        mp = self.mounts.mountpoint(evidence_id)
        if mp is None:
            raise UsageError(self.tr("mount the evidence first (right-click it: Mount read-only…)"))
        target = mp
        if partition_id is not None and self.session is not None:
            part = next(p for p in self.session.ro.partitions(evidence_id) if int(p["id"]) == partition_id)
            target = partition_folder(mp, int(part["idx"]), int(part["offset"])) or mp
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(target))):
            raise UsageError(self.tr("no file manager could open {target}").format(target=target))
        return target

    def _unmount_all(self) -> None:
        problems = self.mounts.unmount_all()
        if problems:
            self.errors.show(self.tr("Unmount"), "\n".join(problems))

    # -- timeline --------------------------------------------------------------------------
    def show_timeline(self) -> None:
        self.timeline_dock.show()
        self.timeline_dock.raise_()

    def show_problems(self) -> None:
        self.problems_dock.show()
        self.problems_dock.raise_()

    def show_timeline_file(self, file_id: int) -> None:
        """A timeline event was clicked: the file table lists the bucket's files with this one
        selected, and the detail pane shows it."""
        scope = self.timeline.bucket_scope()
        if scope is not None and self.file_model.scope_label != scope[1]:
            self.filter_edit.blockSignals(True)
            self.filter_edit.clear()
            self.filter_edit.blockSignals(False)
            self.show_scope(*scope)
        self.focus_file(file_id)

    # -- tags and notes --------------------------------------------------------------------
    def tag_selected(self, tag: str | None = None, file_ids: list[int] | None = None) -> int:
        if self.session is None:
            raise UsageError(self.tr("open a case first"))
        ids = file_ids if file_ids is not None else self.selected_file_ids()
        if not ids and self.detail.file_id is not None:
            ids = [self.detail.file_id]
        if not ids:
            raise UsageError(self.tr("select one or more files to tag"))
        if tag is None:
            known = [t for t, _ in self.session.ro.facets("tag")] or ["relevant"]
            tag, ok = QInputDialog.getItem(
                self, self.tr("Tag files"), self.tr("Tag for {n} file(s):").format(n=len(ids)), known, 0, True
            )
            if not ok:
                return 0
        tag = tag.strip()
        if not tag:
            raise UsageError(self.tr("a tag cannot be empty"))
        self.session.tag(ids, tag)
        self._tags_changed()
        self.statusBar().showMessage(self.tr("Tagged {n} file(s) “{tag}”").format(n=len(ids), tag=tag), 5000)
        return len(ids)

    def note_current(self, text: str | None = None) -> None:
        if self.session is None or self.detail.file_id is None:
            raise UsageError(self.tr("select a file first"))
        if text is None:
            text, ok = QInputDialog.getMultiLineText(self, self.tr("Add note"), self.tr("Note:"))
            if not ok:
                return
        self.detail.add_note(text)

    def _tags_changed(self) -> None:
        self.views_model.reload()
        self.timeline.mark_stale()
        if self.detail.file_id is not None:
            self.detail._load_tags()

    # -- scanning --------------------------------------------------------------------------
    def start_scan(self) -> None:
        self.scan_dock_widget.show()
        self.scan_dock_widget.raise_()
        self.scan_dock.start()

    def _scan_started(self) -> None:
        self.statusBar().clearMessage()  # "press F5 to scan" is done
        self.refresh_timer.start()
        self.scan_label.setText(self.tr("scanning…"))

    def _scan_status(self, st: Any) -> None:
        self.scan_label.setText(
            self.tr("{phase}: {done}/{total} files · {findings} findings").format(
                phase=scan_word(st.phase),
                done=f"{st.files_done:,}",
                total=f"{st.files_total:,}",
                findings=f"{st.findings:,}",
            )
        )

    def refresh_live(self) -> None:
        """While scanning: new rows, hashes and findings appear without a reload by the user."""
        if self.session is None:
            return
        sig = self.tree_model.signature()
        if sig != self._tree_sig:
            self._tree_sig = sig
            self.tree_model.reload()
            self.tree.expandToDepth(0)
        self.file_model.refresh()
        st = self.scan_dock.last_status
        seen = st.findings + st.errors if st else -1
        if seen != self._findings_seen:
            self._findings_seen = seen
            self.findings_model.reload()
            self.findings.expandToDepth(0)
        if self.gallery.isVisible():
            self.gallery.refresh()
        self._update_scope_label()

    def refresh_all(self) -> None:
        self.tree_model.reload()
        self.tree.expandToDepth(0)
        self.views_model.reload()
        self.findings_model.reload()
        self.problems.refresh()
        self.findings.expandToDepth(0)
        self.file_model.refresh()
        self.gallery.refresh()
        self._update_status()
        self._update_scope_label()

    def _scan_finished(self, summary: Any) -> None:
        self.refresh_timer.stop()
        if not self._restored_layout and not getattr(self, "_resized_after_scan", False):
            self._resized_after_scan = True  # the first results widen the docks; once, then the user's layout
            QTimer.singleShot(300, self._apply_default_sizes)
        self.refresh_all()
        self.timeline.mark_stale()
        self.identifiers.mark_stale()
        self.scan_label.setText(
            self.tr("scan {status}: {findings} findings, {problems}").format(
                status=scan_word(summary.status),
                findings=f"{summary.findings:,}",
                problems=problem_count_text(ProblemCount(summary.errors, summary.warnings)),
            )
        )
        if summary.evidence_errors:
            self.errors.show(
                self.tr("Scan"),
                self.tr("Some evidence could not be read:") + "\n" + "\n".join(summary.evidence_errors),
            )
        if summary.status == "completed":
            locked = self._locked_volumes()
            if locked:
                QTimer.singleShot(0, lambda: self._offer_unlock(locked))

    def _locked_volumes(self) -> list[LockedVolume]:
        """Volumes the case's completeness ledger lists as encrypted and locked."""
        if self.session is None:
            return []
        ro = self.session.ro
        parts = {p["id"]: p for p in ro.partitions()}
        paths = {e["id"]: e["path"] for e in ro.evidence()}
        return [
            LockedVolume(paths[g.evidence_id], int(parts[g.partition_id]["idx"]), g.reason)
            for g in ro.gaps()
            if g.kind == GapKind.ENCRYPTED and g.partition_id in parts and g.evidence_id in paths
        ]

    def _offer_unlock(self, locked: list[LockedVolume]) -> None:
        """The unlock dialog; a wrong key is shown in it (it stays open); then the scan resumes."""
        if self.session is None or self.scan_dock.is_running():
            return
        dialog = UnlockDialog(locked, self)
        while dialog.exec():
            try:
                unlocked = [
                    u for path, specs in dialog.specs.items() for u in fve.unlock_paths([path], specs)
                ]
            except TriageError as exc:
                dialog.show_error(str(exc))
                continue
            fve.audit_unlocks(self.session.ro, unlocked)
            try:
                self.scan_dock.start(resume=True)
            except UsageError as exc:
                self.errors.show(self.tr("Scan"), str(exc))
            return

    def _scan_ended_with_error(self, exc: BaseException) -> None:
        self.refresh_timer.stop()
        self.refresh_all()
        self.scan_label.setText(self.tr("scan failed"))
        self.errors.report(self.tr("Scan failed"), exc)

    def _update_status(self) -> None:
        if self.session is None:
            self.status_label.setText(self.tr("No case open"))
            return
        ev = self.session.ro.evidence()
        self.status_label.setText(
            self.tr("Case {path} · {n} evidence item(s)").format(path=self.session.path, n=len(ev))
        )

    # -- tools -----------------------------------------------------------------------------
    def export_bundle(self) -> ExportWizard:
        if self.session is None:
            raise UsageError(self.tr("open a case first"))
        wiz = ExportWizard(self.session, self.selected_file_ids(), self, settings=self.settings)
        self.dialogs["export"] = wiz
        wiz.open()
        return wiz

    def examination_report(self) -> ReportDialog:
        if self.session is None:
            raise UsageError(self.tr("open a case first"))
        dlg = ReportDialog(self.session.path, self, settings=self.settings)
        self.dialogs["report"] = dlg
        dlg.open()
        return dlg

    def rule_library(self) -> RuleLibraryDialog:
        dlg = RuleLibraryDialog(self.rules, self)
        self.dialogs["rules"] = dlg
        dlg.open()
        return dlg

    def plugins_dialog(self) -> PluginsDialog:
        dlg = PluginsDialog(self)
        self.dialogs["plugins"] = dlg
        dlg.open()
        return dlg

    def preferences(self) -> PreferencesDialog:
        dlg = PreferencesDialog(self.settings, self)
        add_language_choice(dlg, self.settings)
        dlg.accepted.connect(self._preferences_saved)
        self.dialogs["preferences"] = dlg
        dlg.open()
        return dlg

    def _preferences_saved(self) -> None:
        self.scan_dock.workers = int(str(self.settings.value("scan/workers", 2)))
        self.refresh_timer.setInterval(int(str(self.settings.value("ui/refresh_ms", 1000))))
