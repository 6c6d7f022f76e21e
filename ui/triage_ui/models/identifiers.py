"""Identifiers by provider and jurisdiction (:func:`triage.identifiers.grouped`) as a tree:
group → identifier. Python callers use :meth:`IdentifiersModel.group` / :meth:`file_ids`,
never ``index.data()`` for non-text values (PySide6 6.12 None refcount bug)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from triage_ui.i18n import QT_TRANSLATE_NOOP
from triage_ui.models.format import time_text

Index = QModelIndex | QPersistentModelIndex
COLUMNS = [
    QT_TRANSLATE_NOOP("IdentifiersModel", "Provider / identifier"),
    QT_TRANSLATE_NOOP("IdentifiersModel", "Jurisdiction"),
    QT_TRANSLATE_NOOP("IdentifiersModel", "Identifiers"),
    QT_TRANSLATE_NOOP("IdentifiersModel", "Occurrences"),
    QT_TRANSLATE_NOOP("IdentifiersModel", "Files"),
    QT_TRANSLATE_NOOP("IdentifiersModel", "First seen (UTC)"),
    QT_TRANSLATE_NOOP("IdentifiersModel", "Last seen (UTC)"),
]


class IdentifiersModel(QAbstractItemModel):
    """Top level: groups (providers, currencies, countries, domains); below: their identifiers.

    The tree is two levels deep; ``internalId`` is the group row + 1 for identifier rows and
    0 for group rows (no Python object is held by the indexes)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.groups: list[Any] = []  # triage.identifiers.Group

    def set_groups(self, groups: list[Any]) -> None:
        self.beginResetModel()
        self.groups = list(groups)
        self.endResetModel()

    # -- structure -------------------------------------------------------------------------
    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if column < 0 or column >= len(COLUMNS) or row < 0:
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, 0) if row < len(self.groups) else QModelIndex()
        if parent.internalId() != 0 or parent.column() != 0:
            return QModelIndex()
        g = parent.row()
        return (
            self.createIndex(row, column, g + 1) if row < len(self.groups[g].identifiers) else QModelIndex()
        )

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid() or index.internalId() == 0:
            return QModelIndex()
        return self.createIndex(int(index.internalId()) - 1, 0, 0)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if not parent.isValid():
            return len(self.groups)
        if parent.internalId() == 0 and parent.column() == 0:
            return len(self.groups[parent.row()].identifiers)
        return 0

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
            return self.tr(COLUMNS[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        col = index.column()
        if index.internalId() == 0:
            g = self.groups[index.row()]
            if role == Qt.ItemDataRole.DisplayRole:
                return [
                    g.label,
                    g.jurisdiction or "",
                    f"{g.count:,}",
                    f"{g.occurrences:,}",
                    f"{len(g.file_ids):,}",
                    time_text(g.first_seen),
                    time_text(g.last_seen),
                ][col]
            if role == Qt.ItemDataRole.ToolTipRole:
                kinds = ", ".join(f"{k}: {n}" for k, n in sorted(g.kinds.items()))
                return f"{g.label}\n{kinds}" + (f"\n{g.note}" if g.note else "")
            if role == Qt.ItemDataRole.FontRole and col == 0:
                font = QFont()
                font.setBold(g.provider is not None)
                return font
            return None
        g = self.groups[int(index.internalId()) - 1]
        i = g.identifiers[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return [f"{i.kind}: {i.normalised}", "", "", f"{i.count:,}", f"{len(i.file_ids):,}", "", ""][col]
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{i.value}" + ("" if i.value == i.normalised else f"\nnormalised: {i.normalised}")
        return None

    # -- accessors -------------------------------------------------------------------------
    def group(self, index: Index) -> Any | None:
        """The group of a row (the group itself, or the group of an identifier row)."""
        if not index.isValid():
            return None
        return self.groups[index.row() if index.internalId() == 0 else int(index.internalId()) - 1]

    def identifier(self, index: Index) -> Any | None:
        if not index.isValid() or index.internalId() == 0:
            return None
        return self.groups[int(index.internalId()) - 1].identifiers[index.row()]

    def file_ids(self, index: Index) -> list[int]:
        """The source files of a row."""
        ident = self.identifier(index)
        if ident is not None:
            return list(ident.file_ids)
        g = self.group(index)
        return list(g.file_ids) if g is not None else []

    def find(self, key: str) -> QModelIndex:
        """The group row of a group key (``google``, ``currency:Bitcoin`` …)."""
        for r, g in enumerate(self.groups):
            if g.key == key:
                return self.index(r, 0)
        return QModelIndex()
