"""Findings grouped by what was found: YARA rule, hash set, interesting-file rule, type mismatch,
then the recorded errors. A YARA hit expands to its matched strings with their offsets.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, cast

from PySide6.QtCore import (
    QAbstractItemModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont

from triage.case.records import ProblemCount, Severity
from triage.case.store import Case
from triage_ui.i18n import QT_TRANSLATE_NOOP, problem_count_text

Index = QModelIndex | QPersistentModelIndex
COLUMNS = [
    QT_TRANSLATE_NOOP("FindingsModel", "Finding"),
    QT_TRANSLATE_NOOP("FindingsModel", "Offset"),
    QT_TRANSLATE_NOOP("FindingsModel", "Detail"),
]
SEVERITY_COLOURS = {"alert": QColor(200, 30, 30), "high": QColor(200, 30, 30), "notable": QColor(190, 110, 0)}


def match_ranges(details: dict[str, Any]) -> list[tuple[int, int, str, str]]:
    """``(offset, length, identifier, preview)`` of each matched string in a finding's details.

    Accepts the shapes YARA bindings produce: ``strings``/``matches`` lists of dicts with
    ``offset`` and ``data``/``length`` (yara-python 4.3+ instances flattened, or yara-x).
    """
    out: list[tuple[int, int, str, str]] = []
    for key in ("strings", "matches", "instances"):
        items = details.get(key)
        if not isinstance(items, list):
            continue
        for item in items:
            if not isinstance(item, dict):
                continue
            nested = item.get("instances")
            if isinstance(nested, list):  # {"identifier": "$a", "instances": [{"offset", "data"}]}
                for inst in nested:
                    if isinstance(inst, dict) and "offset" in inst:
                        out.append(_one(inst, str(item.get("identifier", ""))))
            elif "offset" in item:
                out.append(_one(item, str(item.get("identifier", item.get("id", "")))))
    return sorted(set(out))


def _one(item: dict[str, Any], ident: str) -> tuple[int, int, str, str]:
    data = item.get("data", item.get("matched_data", ""))
    if "data_hex" in item:  # triage's YARA analyzer stores matched bytes as hex
        try:
            data = bytes.fromhex(str(item["data_hex"]))
        except ValueError:
            data = ""
    if isinstance(data, bytes | bytearray):
        preview = bytes(data).decode("latin-1")
    else:
        preview = str(data)
    length = item.get("length", item.get("matched_length"))
    if length is None:
        length = (
            len(data) if isinstance(data, bytes | bytearray) else len(preview.encode("latin-1", "replace"))
        )
    return int(item["offset"]), int(length), ident, preview


@dataclass(eq=False)
class _Node:
    kind: str  # group | finding | match | error
    label: list[str]
    parent: _Node | None
    payload: dict[str, Any] = field(default_factory=dict)
    hit: tuple[int, int | None, int] | None = None
    severity: str = "info"
    children: list[_Node] = field(default_factory=list)

    @property
    def row(self) -> int:
        return self.parent.children.index(self) if self.parent else 0


def _group_title(kind: str, name: str, plugin: str) -> str:
    titles = {
        "yara": QT_TRANSLATE_NOOP("FindingsModel", "YARA rule"),
        "hashset": QT_TRANSLATE_NOOP("FindingsModel", "Hash set"),
        "interesting": QT_TRANSLATE_NOOP("FindingsModel", "Interesting file"),
        "type-mismatch": QT_TRANSLATE_NOOP("FindingsModel", "Type mismatch"),
        "identifier": QT_TRANSLATE_NOOP("FindingsModel", "Identifier"),
    }
    title = _tr(titles[kind]) if kind in titles else kind
    return f"{title}: {name}" + ("" if kind in titles else f" [{plugin}]")


class FindingsModel(QAbstractItemModel):
    """Groups → findings (one per file) → matched strings; an "Errors" group at the end."""

    def __init__(self, case: Case | None = None, parent: Any = None) -> None:
        super().__init__(parent)
        self.case = case
        self._root = _Node("root", [], None)
        self.total = 0
        self.reload()

    def set_case(self, case: Case | None) -> None:
        self.case = case
        self.reload()

    def reload(self) -> None:
        self.beginResetModel()
        self._root.children = []
        self.total = 0
        if self.case is not None:
            self._build()
        self.endResetModel()

    def _build(self) -> None:
        assert self.case is not None
        groups: dict[tuple[str, str], _Node] = {}
        order = {"yara": 0, "hashset": 1, "interesting": 2, "type-mismatch": 3, "identifier": 4}
        match_word = QCoreApplication.translate("FindingsModel", "match")
        for f in self.case.findings():
            key = (f["kind"], f["name"])
            g = groups.get(key)
            if g is None:
                g = groups[key] = _Node(
                    "group",
                    [_group_title(f["kind"], f["name"], f["plugin"]), "", ""],
                    self._root,
                    payload={"kind": f["kind"], "name": f["name"]},
                )
            details = f["details"] if isinstance(f["details"], dict) else {}
            ranges = match_ranges(details)
            where = f["path"] or QCoreApplication.translate("FindingsModel", "(no file)")
            first = ranges[0] if ranges else None
            node = _Node(
                "finding",
                [where, f"{first[0]:#x}" if first else "", _detail_text(f, details, ranges)],
                g,
                payload=f,
                severity=f["severity"],
                hit=(int(f["file_id"]), first[0] if first else None, first[1] if first else 0)
                if f["file_id"] is not None
                else None,
            )
            for off, length, ident, preview in ranges:
                node.children.append(
                    _Node(
                        "match",
                        [
                            f"{ident or match_word} = {preview[:60]!r}",
                            f"{off:#x} ({off})",
                            QCoreApplication.translate("FindingsModel", "{n} bytes").format(n=length),
                        ],
                        node,
                        payload={"offset": off, "length": length, "identifier": ident},
                        hit=(int(f["file_id"]), off, length),
                        severity=f["severity"],
                    )
                )
            g.children.append(node)
            if _rank(f["severity"]) > _rank(g.severity):
                g.severity = f["severity"]
            self.total += 1
        ordered = sorted(
            groups.values(),
            key=lambda g: (order.get(g.payload["kind"], 9), g.payload["kind"], g.payload["name"]),
        )
        for g in ordered:
            files = len({c.payload.get("file_id") for c in g.children})
            g.label[2] = (
                QCoreApplication.translate("FindingsModel", "1 file")
                if files == 1
                else QCoreApplication.translate("FindingsModel", "{n} files").format(n=files)
            )
        self._root.children = ordered
        errors = self.case.problems()
        if errors:
            warnings = sum(1 for p in errors if p.severity is Severity.WARNING)
            eg = _Node(
                "group",
                [
                    QCoreApplication.translate("FindingsModel", "Problems ({count})").format(
                        count=problem_count_text(ProblemCount(len(errors) - warnings, warnings))
                    ),
                    "",
                    QCoreApplication.translate("FindingsModel", "nothing was skipped silently"),
                ],
                self._root,
                payload={"kind": "errors"},
                severity="alert",
            )
            for p in errors:
                eg.children.append(
                    _Node(
                        "error",
                        [p.path or p.source, "", p.message],
                        eg,
                        payload=asdict(p),
                        hit=(p.file_id, None, 0) if p.file_id else None,
                        severity="notable" if p.severity is Severity.WARNING else "alert",
                    )
                )
            self._root.children.append(eg)

    # -- structure -------------------------------------------------------------------------
    def _node(self, index: Index) -> _Node:
        return cast(_Node, index.internalPointer()) if index.isValid() else self._root

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        p = self._node(parent)
        if row < 0 or column < 0 or column >= len(COLUMNS) or row >= len(p.children):
            return QModelIndex()
        return self.createIndex(row, column, p.children[row])

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid():
            return QModelIndex()
        p = self._node(index).parent
        if p is None or p is self._root:
            return QModelIndex()
        return self.createIndex(p.row, 0, p)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self._node(parent).children)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return len(COLUMNS)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(COLUMNS)
        ):
            return _tr(COLUMNS[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        n = self._node(index)
        if role == Qt.ItemDataRole.DisplayRole:
            return n.label[index.column()] if index.column() < len(n.label) else ""
        if role == Qt.ItemDataRole.ToolTipRole:
            return " · ".join(x for x in n.label if x)
        if role == Qt.ItemDataRole.ForegroundRole and n.severity in SEVERITY_COLOURS and index.column() == 0:
            return QBrush(SEVERITY_COLOURS[n.severity])
        if role == Qt.ItemDataRole.FontRole and n.kind == "group":
            font = QFont()
            font.setBold(True)
            return font
        return None

    # Python callers use these accessors: PySide6 6.12 drops a reference to None each time a
    # ``None`` (or a dict holding one) comes back through ``QModelIndex.data()``.
    def hit(self, index: Index) -> tuple[int, int | None, int] | None:
        """``(file_id, offset or None, length)`` to show for this row."""
        return self._node(index).hit if index.isValid() else None

    def payload(self, index: Index) -> dict[str, Any]:
        n = self._node(index)
        return {"kind": n.kind, **n.payload}

    # -- helpers ---------------------------------------------------------------------------
    def groups(self) -> list[str]:
        return [g.label[0] for g in self._root.children]

    def find_group(self, text: str) -> QModelIndex:
        for i, g in enumerate(self._root.children):
            if text in g.label[0]:
                return self.index(i, 0)
        return QModelIndex()


def _tr(text: str) -> str:
    return QCoreApplication.translate("FindingsModel", text)


def _rank(severity: str) -> int:
    return {"info": 0, "low": 1, "notable": 2, "medium": 2, "high": 3, "alert": 3}.get(severity, 0)


def _detail_text(f: dict[str, Any], details: dict[str, Any], ranges: list[tuple[int, int, str, str]]) -> str:
    if ranges:
        n = len(ranges)
        matches = (
            QCoreApplication.translate("FindingsModel", "1 match")
            if n == 1
            else QCoreApplication.translate("FindingsModel", "{n} matches").format(n=n)
        )
        return f"{matches} · {f['plugin']} {f['plugin_version']}"
    keys = [k for k in ("mime", "description", "set", "category", "reason", "hash") if k in details]
    return ", ".join(f"{k}={details[k]}" for k in keys)[:200] or f"{f['plugin']} {f['plugin_version']}"
