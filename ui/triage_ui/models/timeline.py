"""Timeline data for the GUI: the core's MACB events (:func:`triage.timeline.events`), filtered,
held as sorted parallel lists so that binning any zoom range is ``O(buckets · log n)``, and a
table model of the events in one bucket.

NTFS entries have two sets of times; each event says which (``$SI`` or ``$FN``, the core's
:attr:`triage.timeline.Event.source`), and files with timestomping signs
(:func:`triage.timestomp.timestomp_signs`, decided by the core) are flagged in the table.

:func:`load_timeline` runs on a background thread with its own read-only case connection;
the GUI thread only bins and lists.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from itertools import accumulate
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
from triage.case.query import FileQuery, compile_files
from triage.case.store import Case, deletion_label
from triage.timestomp import timestomp_signs
from triage_ui.i18n import QT_TRANSLATE_NOOP
from triage_ui.models.format import size_text, time_text

Index = QModelIndex | QPersistentModelIndex
MACB = "macb"
MACB_FIELDS = {flag: key for key, flag, _label in timeline.TIME_FIELDS}  # m → mtime …
MACB_LABELS = {flag: label for _key, flag, label in timeline.TIME_FIELDS}
FN_FIELDS = {flag: key for key, flag, _label in timeline.FN_FIELDS}  # m → fn_mtime …
SOURCE_LABELS = {"$SI": "$STANDARD_INFORMATION", "$FN": "$FILE_NAME"}


@dataclass(frozen=True)
class TimelineFilter:
    """Which events to show: MACB types, deleted status (all | deleted | allocated), a tag."""

    macb: str = MACB
    deleted: str = "all"
    tag: str | None = None

    def query(self, start: int, end: int) -> FileQuery:
        """The files with an event of this filter in ``[start, end]``, as a case query."""
        cols = [MACB_FIELDS[f] for f in MACB if f in self.macb] + [
            FN_FIELDS[f] for f in MACB if f in self.macb
        ]
        deleted = {"deleted": True, "allocated": False}.get(self.deleted)
        return FileQuery(
            time_range=(start, end), time_columns=tuple(cols), deleted=deleted, tag=self.tag or None
        )

    def scope(self, start: int, end: int) -> tuple[str, tuple[Any, ...]]:
        """:meth:`query` as the file table's ``(where, args)`` scope, compiled by the case
        (deprecated: the file table takes a FileQuery once it is converted)."""
        where, args = compile_files(self.query(start, end))
        return where, tuple(args)


@dataclass(frozen=True)
class FileBrief:
    path: str
    size: int
    deleted: bool
    partition: int
    findings: tuple[str, ...]
    deletion: str = ""
    """``deleted``, ``deleted-realloc`` or empty (:func:`triage.case.store.deletion_label`)."""
    timestomp: tuple[str, ...] = ()
    """The core's timestomping signs, as sentences."""


@dataclass(frozen=True)
class Bucket:
    start: int  # inclusive, epoch seconds UTC
    end: int  # inclusive
    count: int
    with_findings: int


@dataclass
class TimelineData:
    """Filtered events, oldest first, as parallel lists."""

    filter: TimelineFilter = field(default_factory=TimelineFilter)
    times: list[int] = field(default_factory=list)
    macb: list[str] = field(default_factory=list)
    file_ids: list[int] = field(default_factory=list)
    files: dict[int, FileBrief] = field(default_factory=dict)
    tags: list[str] = field(default_factory=list)
    total_events: int = 0  # before filtering
    sources: list[str] = field(default_factory=list)  # per event: "$SI", "$FN" or "" (parallel to times)
    _found: list[int] = field(
        default_factory=list, init=False, repr=False
    )  # prefix sums of events whose file has findings

    def __post_init__(self) -> None:
        if len(self.sources) != len(self.times):
            self.sources = [""] * len(self.times)
        flags = (1 if self.files[f].findings else 0 for f in self.file_ids)
        self._found = [0, *accumulate(flags)]

    def __len__(self) -> int:
        return len(self.times)

    def span(self) -> tuple[int, int] | None:
        return (self.times[0], self.times[-1]) if self.times else None

    def index_range(self, start: int, end: int) -> tuple[int, int]:
        """Indices ``[i, j)`` of the events with ``start <= time <= end``."""
        return bisect_left(self.times, start), bisect_right(self.times, end)

    def buckets(self, lo: int, hi: int, n: int) -> list[Bucket]:
        """``n`` equal buckets from ``lo``; the width is :func:`triage.timeline.histogram`'s, so
        over the whole span the counts equal the core's."""
        width = max(1, (hi - lo + n) // n)
        out = []
        for k in range(n):
            s = lo + k * width
            i, j = self.index_range(s, s + width - 1)
            out.append(Bucket(s, s + width - 1, j - i, self._found[j] - self._found[i]))
        return out

    def events_in(self, start: int, end: int) -> list[tuple[int, str, int]]:
        """``(time, macb, file_id)`` of the events in ``[start, end]``."""
        i, j = self.index_range(start, end)
        return list(zip(self.times[i:j], self.macb[i:j], self.file_ids[i:j], strict=True))

    def sources_in(self, start: int, end: int) -> list[str]:
        """The source (``$SI``/``$FN``/``""``) of each event of :meth:`events_in`."""
        i, j = self.index_range(start, end)
        return self.sources[i:j]


def load_timeline(case: Case, flt: TimelineFilter | None = None) -> TimelineData:
    """Events of the case through the core, filtered (run this off the GUI thread)."""
    flt = flt or TimelineFilter()
    evts = timeline.events(case, deleted_only=flt.deleted == "deleted", with_findings=True)
    tagged = {int(t["file_id"]) for t in case.tags() if t["tag"] == flt.tag} if flt.tag else None
    times: list[int] = []
    macb: list[str] = []
    ids: list[int] = []
    sources: list[str] = []
    files: dict[int, FileBrief] = {}
    for e in evts:
        f = e.file
        if e.macb not in flt.macb or (flt.deleted == "allocated" and f["deleted"]):
            continue
        fid = int(f["id"])
        if tagged is not None and fid not in tagged:
            continue
        times.append(e.timestamp)
        macb.append(e.macb)
        ids.append(fid)
        sources.append(e.source)
        if fid not in files:
            files[fid] = FileBrief(
                str(f["path"]),
                int(f["size"] or 0),
                bool(f["deleted"]),
                int(f["partition"]),
                tuple(f.get("findings", ())),
                deletion_label(f),
                tuple(s.text for s in timestomp_signs(f)),
            )
    tags = [str(t) for t, _n in case.facets("tag")]
    return TimelineData(flt, times, macb, ids, files, tags, len(evts), sources=sources)


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
        self._data: TimelineData | None = None
        self._rows: list[tuple[int, str, int]] = []
        self._sources: list[str] = []
        self.range: tuple[int, int] | None = None

    def set_bucket(self, data: TimelineData | None, start: int | None = None, end: int | None = None) -> None:
        self.beginResetModel()
        self._data = data
        if data is None or start is None or end is None:
            self._rows, self._sources, self.range = [], [], None
        else:
            self._rows, self.range = data.events_in(start, end), (start, end)
            self._sources = data.sources_in(start, end)
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
        if not index.isValid() or not (0 <= index.row() < len(self._rows)) or self._data is None:
            return None
        ts, flag, fid = self._rows[index.row()]
        f = self._data.files[fid]
        key = COLUMNS[index.column()][0]
        source = self._sources[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return {
                "time": time_text(ts),
                "macb": flag.upper(),
                "source": source,
                "path": f.path,
                "deleted": f.deletion,
                "size": size_text(f.size),
                "timestomp": "⚠ " + "; ".join(f.timestomp) if f.timestomp else "",
                "findings": ", ".join(f.findings),
            }[key]
        if role == Qt.ItemDataRole.ToolTipRole:
            kind = f" ({SOURCE_LABELS[source]})" if source in SOURCE_LABELS else ""
            signs = "".join(f"\nTimestomping sign: {t}" for t in f.timestomp)
            return (
                f"{MACB_LABELS[flag]}{kind} {time_text(ts)}\n{f.path}"
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
        return self._rows[row][2]

    def event_at(self, row: int) -> tuple[int, str, int]:
        """``(time, macb, file_id)``."""
        return self._rows[row]

    def source_at(self, row: int) -> str:
        """``$SI``, ``$FN`` or ``""`` (no second set of times on this file system)."""
        return self._sources[row]

    def timestomp_at(self, row: int) -> tuple[str, ...]:
        """The timestomping signs of the row's file (empty when none)."""
        assert self._data is not None
        return self._data.files[self._rows[row][2]].timestomp

    def paths(self) -> list[str]:
        assert self._data is not None or not self._rows
        return [self._data.files[fid].path for _t, _m, fid in self._rows] if self._data else []
