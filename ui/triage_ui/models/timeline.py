"""Timeline data for the GUI, all asked of the case: the filter as typed queries, the
histogram's buckets counted by the case store (:meth:`triage.case.store.Case.event_histogram`,
SQL ``GROUP BY``: a million-file case never crosses into Python row by row), and a table model
of the events of one bucket (at most :data:`EVENT_LIMIT`, with a count of all).

NTFS entries have two sets of times; each event says which (``$SI`` or ``$FN``, the core's
:attr:`triage.timeline.Event.source`), and files with timestomping signs
(:func:`triage.timestomp.timestomp_signs`, decided by the core) are flagged in the table.

The ``load_*`` functions run on background threads with their own read-only case connection.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont

from triage import timeline
from triage.case.events import EventBin, EventQuery, EventRow
from triage.case.query import FileQuery, FindingQuery
from triage.case.store import Case
from triage.timestomp import timestomp_signs
from triage_ui.i18n import QT_TRANSLATE_NOOP
from triage_ui.models.format import size_text, time_text

Index = QModelIndex | QPersistentModelIndex
MACB = "macb"
MACB_FIELDS = {flag: key for key, flag, _label in timeline.TIME_FIELDS}  # m → mtime …
MACB_LABELS = {flag: label for _key, flag, label in timeline.TIME_FIELDS}
FN_FIELDS = {flag: key for key, flag, _label in timeline.FN_FIELDS}  # m → fn_mtime …
SOURCE_LABELS = {"$SI": "$STANDARD_INFORMATION", "$FN": "$FILE_NAME"}
EVENT_LIMIT = 5000  # events listed for one bucket (the label gives the full count)


@dataclass(frozen=True)
class TimelineFilter:
    """Which events to show: MACB types, deleted status (all | deleted | allocated), a tag."""

    macb: str = MACB
    deleted: str = "all"
    tag: str | None = None

    def files(self) -> FileQuery:
        """The files whose events are shown."""
        return FileQuery(
            deleted={"deleted": True, "allocated": False}.get(self.deleted), tag=self.tag or None
        )

    def events(self) -> EventQuery:
        return EventQuery(self.files(), "".join(f for f in MACB if f in self.macb))

    def query(self, start: int, end: int) -> FileQuery:
        """The files with an event of this filter in ``[start, end]``, as a case query."""
        cols = [MACB_FIELDS[f] for f in MACB if f in self.macb] + [
            FN_FIELDS[f] for f in MACB if f in self.macb
        ]
        return FileQuery(
            time_range=(start, end),
            time_columns=tuple(cols),
            deleted=self.files().deleted,
            tag=self.tag or None,
        )


@dataclass(frozen=True)
class FileBrief:
    path: str
    size: int
    deleted: bool
    partition: int
    findings: tuple[str, ...]
    deletion: str = ""
    """``deleted``, ``deleted-realloc`` or empty (:attr:`triage.case.records.FileRecord.deletion_label`)."""
    timestomp: tuple[str, ...] = ()
    """The core's timestomping signs, as sentences."""


@dataclass(frozen=True)
class TimelineSummary:
    """What a (re)load shows: the filter, the events' span, the buckets over it, the case's tags."""

    filter: TimelineFilter
    span: tuple[int, int] | None
    bins: list[EventBin]
    tags: list[str]
    query: EventQuery = field(default_factory=EventQuery)
    """The filter's events, narrowed to this case (:meth:`triage.case.store.Case.event_query`)."""

    @property
    def events(self) -> int:
        return sum(b.count for b in self.bins)


@dataclass(frozen=True)
class BucketEvents:
    """The events of ``[start, end]`` (at most :data:`EVENT_LIMIT` listed, ``total`` counted)."""

    start: int
    end: int
    rows: list[EventRow]
    total: int
    files: dict[int, FileBrief] = field(default_factory=dict)

    @property
    def truncated(self) -> bool:
        return self.total > len(self.rows)


def load_summary(case: Case, flt: TimelineFilter, buckets: int) -> TimelineSummary:
    """The span of the filtered events and the buckets over it (run this off the GUI thread)."""
    q = case.event_query(flt.events())
    span = case.event_span(q)
    bins = case.event_histogram(q, span[0], span[1], buckets) if span else []
    tags = [str(t) for t, _n in case.facets("tag")]
    return TimelineSummary(flt, span, bins, tags, q)


def load_bins(case: Case, q: EventQuery, lo: int, hi: int, buckets: int) -> list[EventBin]:
    return case.event_histogram(q, lo, hi, buckets)


def file_briefs(case: Case, ids: list[int]) -> dict[int, FileBrief]:
    """What the events table shows of each file."""
    out: dict[int, FileBrief] = {}
    wanted = tuple(sorted(set(ids)))
    if not wanted:
        return out
    findings: dict[int, set[str]] = {}
    for f in case.select_findings(FindingQuery(file_ids=wanted)):
        if f.file_id is not None:
            findings.setdefault(f.file_id, set()).add(f"{f.plugin}:{f.name}")
    for r in case.select_files(FileQuery(ids=wanted)):
        times = {
            "crtime": r.crtime,
            "crtime_ns": r.crtime_ns,
            "fn_crtime": r.fn_crtime,
            "fn_crtime_ns": r.fn_crtime_ns,
        }
        out[r.id] = FileBrief(
            r.path,
            r.size,
            r.deleted,
            r.location.partition,
            tuple(sorted(findings.get(r.id, ()))),
            r.deletion_label,
            tuple(s.text for s in timestomp_signs(times)),
        )
    return out


def load_bucket(
    case: Case, flt: TimelineFilter, start: int, end: int, limit: int = EVENT_LIMIT
) -> BucketEvents:
    """The events of ``[start, end]`` with their files (run this off the GUI thread)."""
    q = case.event_query(flt.events())
    rows = case.event_rows(q, start, end, limit)
    total = len(rows) if len(rows) < limit else case.event_count(q, start, end)
    return BucketEvents(start, end, rows, total, file_briefs(case, [r.file_id for r in rows]))


COLUMNS = [
    ("time", QT_TRANSLATE_NOOP("TimelineTableModel", "Time (UTC)")),
    ("macb", "MACB"),
    ("source", QT_TRANSLATE_NOOP("TimelineTableModel", "Times")),
    ("path", QT_TRANSLATE_NOOP("TimelineTableModel", "Path")),
    ("deleted", QT_TRANSLATE_NOOP("TimelineTableModel", "Deleted")),
    ("size", QT_TRANSLATE_NOOP("TimelineTableModel", "Size")),
    ("timestomp", QT_TRANSLATE_NOOP("TimelineTableModel", "Timestomping")),
    ("findings", QT_TRANSLATE_NOOP("TimelineTableModel", "Findings")),
]


class BucketEventsModel(QAbstractTableModel):
    """The events of one bucket. Python callers use :meth:`file_id`/:meth:`event_at`, never
    ``index.data()`` for non-text values (PySide6 6.12 None refcount bug)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.bucket: BucketEvents | None = None
        self._rows: list[EventRow] = []
        self.range: tuple[int, int] | None = None

    def set_bucket(self, bucket: BucketEvents | None) -> None:
        self.beginResetModel()
        self.bucket = bucket
        self._rows = list(bucket.rows) if bucket is not None else []
        self.range = (bucket.start, bucket.end) if bucket is not None else None
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(COLUMNS)
        ):
            return QCoreApplication.translate("TimelineTableModel", COLUMNS[section][1])
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)) or self.bucket is None:
            return None
        ev = self._rows[index.row()]
        f = self.bucket.files[ev.file_id]
        key = COLUMNS[index.column()][0]
        if role == Qt.ItemDataRole.DisplayRole:
            return {
                "time": time_text(ev.time),
                "macb": ev.macb.upper(),
                "source": ev.source,
                "path": f.path,
                "deleted": f.deletion,
                "size": size_text(f.size),
                "timestomp": "⚠ " + "; ".join(f.timestomp) if f.timestomp else "",
                "findings": ", ".join(f.findings),
            }[key]
        if role == Qt.ItemDataRole.ToolTipRole:
            kind = f" ({SOURCE_LABELS[ev.source]})" if ev.source in SOURCE_LABELS else ""
            signs = "".join(f"\nTimestomping sign: {t}" for t in f.timestomp)
            return (
                f"{MACB_LABELS[ev.macb]}{kind} {time_text(ev.time)}\n{f.path}"
                + (f" ({f.deletion})" if f.deletion else "")
                + signs
            )
        if role == Qt.ItemDataRole.ForegroundRole and key == "timestomp" and f.timestomp:
            return QBrush(QColor(190, 100, 0))
        if role == Qt.ItemDataRole.ForegroundRole and f.deleted:
            return QBrush(QColor(200, 40, 40))
        if role == Qt.ItemDataRole.FontRole and f.deleted:
            font = QFont()
            font.setItalic(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and key == "size":
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def file_id(self, row: int) -> int:
        return self._rows[row].file_id

    def event_at(self, row: int) -> tuple[int, str, int]:
        """``(time, macb, file_id)``."""
        ev = self._rows[row]
        return ev.time, ev.macb, ev.file_id

    def source_at(self, row: int) -> str:
        """``$SI``, ``$FN`` or ``""`` (no second set of times on this file system)."""
        return self._rows[row].source

    def timestomp_at(self, row: int) -> tuple[str, ...]:
        """The timestomping signs of the row's file (empty when none)."""
        assert self.bucket is not None
        return self.bucket.files[self._rows[row].file_id].timestomp

    def paths(self) -> list[str]:
        if self.bucket is None:
            return []
        return [self.bucket.files[ev.file_id].path for ev in self._rows]
