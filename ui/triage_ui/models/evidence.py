"""The evidence tree: image → partitions → folders, each level loaded when first expanded.

Containers (archives, compressed files, e-mail with members in the case) open like folders: their
members are their children (paths ``ARCHIVE//member``), shown in the file table when the container
is selected. A partition with carved entries has a virtual "Carved" node listing them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, cast

from PySide6.QtCore import QAbstractItemModel, QCoreApplication, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QApplication, QStyle

from triage.case.store import Case
from triage_ui.models.format import human_bytes

Index = QModelIndex | QPersistentModelIndex


@dataclass(eq=False)
class Node:
    kind: str  # evidence | partition | folder | container (a file with members) | carved (virtual) | file
    data: dict[str, Any]
    parent: Node | None
    children: list[Node] = field(default_factory=list)
    loaded: bool = False

    @property
    def row(self) -> int:
        return self.parent.children.index(self) if self.parent else 0

    @property
    def partition_id(self) -> int | None:
        if self.kind == "partition":
            return int(self.data["id"])
        if self.kind in ("folder", "container", "carved", "file"):
            return int(self.data["partition_id"])
        return None

    @property
    def folder_path(self) -> str | None:
        """The folder (or container) whose entries the node lists; None: not a folder (carved)."""
        if self.kind == "partition":
            return "/"
        return self.data.get("path") if self.kind in ("folder", "container") else None


class EvidenceTreeModel(QAbstractItemModel):
    """Lazily loaded tree; deleted folders are shown red and italic with "(deleted)"."""

    def __init__(self, case: Case | None = None, parent: Any = None) -> None:
        super().__init__(parent)
        self.case = case
        self._root = Node("root", {}, None, loaded=True)
        self.mounted: dict[int, str] = {}  # evidence id → mount point
        self.reload()

    def set_case(self, case: Case | None) -> None:
        self.case = case
        self.reload()

    def reload(self) -> None:
        self.beginResetModel()
        self._root.children = []
        if self.case is not None:
            self._root.children = [Node("evidence", e, self._root) for e in self.case.evidence()]
        self.endResetModel()

    def set_mounted(self, evidence_id: int, mountpoint: str | None) -> None:
        """Show (or stop showing) where an evidence item is mounted."""
        if mountpoint is None:
            self.mounted.pop(evidence_id, None)
        else:
            self.mounted[evidence_id] = mountpoint
        for row, n in enumerate(self._root.children):
            if int(n.data["id"]) == evidence_id:
                idx = self.index(row, 0)
                self.dataChanged.emit(idx, idx)

    def signature(self) -> tuple[int, int, int]:
        """Changes when evidence is added or inventoried (for refresh while scanning)."""
        if self.case is None:
            return (0, 0, 0)
        ev = self.case.evidence()
        return (len(ev), sum(int(e["inventory_done"]) for e in ev), len(self.case.partitions()))

    # -- structure -------------------------------------------------------------------------
    def node(self, index: Index) -> Node:
        return cast(Node, index.internalPointer()) if index.isValid() else self._root

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if column != 0 or row < 0:
            return QModelIndex()
        p = self.node(parent)
        if row >= len(p.children):
            return QModelIndex()
        return self.createIndex(row, column, p.children[row])

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid():
            return QModelIndex()
        p = self.node(index).parent
        if p is None or p is self._root:
            return QModelIndex()
        return self.createIndex(p.row, 0, p)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self.node(parent).children)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 1

    def hasChildren(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        n = self.node(parent)
        if n.loaded:
            return bool(n.children)
        if n.kind == "partition":
            return bool(n.data.get("fs_type")) or bool(
                self.case and self.case.count_carved(int(n.data["id"]))
            )
        return n.kind != "file"

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        n = self.node(parent)
        return not n.loaded and self.case is not None

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        n = self.node(parent)
        if n.loaded or self.case is None:
            return
        n.loaded = True
        if n.kind == "evidence":
            rows = [Node("partition", p, n) for p in self.case.partitions(int(n.data["id"]))]
        elif n.kind in ("partition", "folder", "container"):
            pid, path = n.partition_id, n.folder_path
            assert pid is not None and path is not None
            rows = [
                Node("container" if f["has_members"] else "folder" if f["type"] != "r" else "file", f, n)
                for f in self.case.tree_entries(pid, path)
                if f["name"] not in (".", "..")
            ]
            if n.kind == "partition" and (carved := self.case.count_carved(pid)):
                rows.append(Node("carved", {"partition_id": pid, "count": carved}, n))
        elif n.kind == "carved":
            rows = [Node("file", f, n) for f in self.case.carved_entries(int(n.data["partition_id"]))]
        else:
            rows = []
        if rows:
            self.beginInsertRows(parent, 0, len(rows) - 1)
            n.children = rows
            self.endInsertRows()
        else:
            # tell views the expander is gone
            self.dataChanged.emit(parent, parent) if parent.isValid() else None

    def folder_index(self, partition_id: int, path: str) -> QModelIndex:
        """The node of folder ``path`` in a partition (the partition itself for ``/``), loading
        the levels above it; invalid when the tree does not hold it."""
        for er in range(self.rowCount()):
            ev = self.index(er, 0)
            self.fetchMore(ev)
            for pr in range(self.rowCount(ev)):
                index = self.index(pr, 0, ev)
                if self.node(index).partition_id != partition_id:
                    continue
                prefix = ""
                for part in [p for p in path.split("/") if p]:
                    prefix += "/" + part
                    self.fetchMore(index)
                    index = next(
                        (
                            self.index(r, 0, index)
                            for r in range(self.rowCount(index))
                            if self.node(self.index(r, 0, index)).folder_path == prefix
                        ),
                        QModelIndex(),
                    )
                    if not index.isValid():
                        return index
                return index
        return QModelIndex()

    # -- data ------------------------------------------------------------------------------
    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and section == 0:
            return self.tr("Evidence")
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        n = self.node(index)
        deleted = n.kind == "folder" and bool(n.data.get("deleted"))
        if role == Qt.ItemDataRole.DisplayRole:
            if n.kind == "evidence" and int(n.data["id"]) in self.mounted:
                return self.tr("{label}  [mounted at {mountpoint}]").format(
                    label=self.label(n), mountpoint=self.mounted[int(n.data["id"])]
                )
            return self.label(n)
        if role == Qt.ItemDataRole.ToolTipRole:
            if n.kind == "evidence":
                return self.tr("{path}\n{format}, {size} bytes").format(
                    path=n.data["path"], format=n.data["format"], size=f"{n.data['size']:,}"
                )
            if n.kind == "partition":
                return self.tr("offset {offset} bytes, length {length} bytes").format(
                    offset=f"{n.data['offset']:,}", length=f"{n.data['length']:,}"
                ) + (
                    "\n" + self.tr("error: {error}").format(error=n.data["error"])
                    if n.data.get("error")
                    else ""
                )
            if n.kind == "container":
                return self.tr("{path}\n{kind} container: its members are inside, as {path}//member").format(
                    path=n.data["path"], kind=self.container_kind(n)
                )
            if n.kind == "carved":
                return self.tr("Files carved from this partition's unallocated space")
            if n.kind == "file" and n.data.get("origin") == "member":
                return self.tr("{path}\nmember {member} of its container").format(
                    path=n.data["path"], member=n.data.get("member_path") or ""
                )
            if n.kind == "file":
                return self.tr("{path}\ncarved from unallocated space").format(path=n.data["path"])
            if n.data.get("origin") == "member":
                return self.tr("{path}\na folder inside a container").format(path=n.data["path"])
            return n.data.get("path")
        if role == Qt.ItemDataRole.DecorationRole:
            app = QApplication.instance()
            if not isinstance(app, QApplication):
                return None
            icon = {
                "evidence": QStyle.StandardPixmap.SP_DriveHDIcon,
                "partition": QStyle.StandardPixmap.SP_DriveFDIcon,
                "container": QStyle.StandardPixmap.SP_DirLinkIcon,  # opens like a folder
                "carved": QStyle.StandardPixmap.SP_FileDialogDetailedView,
                "file": QStyle.StandardPixmap.SP_FileLinkIcon
                if n.data.get("origin") == "member"
                else QStyle.StandardPixmap.SP_FileIcon,
            }.get(n.kind, QStyle.StandardPixmap.SP_DirIcon)
            return app.style().standardIcon(icon)
        if role == Qt.ItemDataRole.ForegroundRole and (
            deleted or (n.kind == "partition" and n.data.get("error"))
        ):
            return QBrush(QColor(200, 40, 40))
        if role == Qt.ItemDataRole.FontRole and deleted:
            font = QFont()
            font.setItalic(True)
            return font
        return None

    @staticmethod
    def container_kind(n: Node) -> str:
        """The container's kind as the scan recognised it (zip, 7z, tar, gzip, eml ...)."""
        return str((n.data.get("attributes") or {}).get("container") or "")

    @staticmethod
    def label(n: Node) -> str:
        d = n.data
        if n.kind == "carved":
            return QCoreApplication.translate("EvidenceTreeModel", "Carved ({count})").format(
                count=d["count"]
            )
        if n.kind == "container":
            kind = EvidenceTreeModel.container_kind(n)
            return (
                QCoreApplication.translate("EvidenceTreeModel", "{name}  [{kind} container]").format(
                    name=d["name"], kind=kind
                )
                if kind
                else QCoreApplication.translate("EvidenceTreeModel", "{name}  [container]").format(
                    name=d["name"]
                )
            )
        if n.kind == "evidence":
            return f"{d['path'].rsplit('/', 1)[-1]} ({d['format']}, {human_bytes(d['size'])})"
        if n.kind == "partition":
            fs = d.get("fs_type") or QCoreApplication.translate("EvidenceTreeModel", "no file system")
            return (
                QCoreApplication.translate("EvidenceTreeModel", "Partition {idx}").format(idx=d["idx"])
                + f": {fs} · {human_bytes(d['length'])} @ {d['offset']:,}  {d['description']}"
            )
        name = d["name"]
        if d.get("type") == "V":
            name = f"{name}"
        return (
            QCoreApplication.translate("EvidenceTreeModel", "{name} (deleted)").format(name=name)
            if d.get("deleted")
            else name
        )
