"""Cells that do not fit their column are elided ("…") and say their whole text in a tooltip.

:class:`ElidedTextTips` is the item delegate of the file table, the findings and the Problems
view: a tooltip on a cell whose text is cut shows the full text first, then the model's own
tooltip (the file's path …); a cell that fits shows only the model's tooltip, as before.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolTip,
)


class ElidedTextTips(QStyledItemDelegate):
    def is_elided(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> bool:
        """Whether the cell's text needs more width than the cell has."""
        return self.sizeHint(option, index).width() > option.rect.width()

    def tooltip(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> str | None:
        # the model's own data(), never QModelIndex.data(): PySide6 6.12 loses a reference to
        # every None that returns (docs/architecture.md, GUI)
        model = index.model()
        own = model.data(index, Qt.ItemDataRole.ToolTipRole)
        text = model.data(index, Qt.ItemDataRole.DisplayRole)
        if text is not None and str(text) and self.is_elided(option, index):
            return str(text) if own in (None, "", text) else f"{text}\n{own}"
        return None if own in (None, "") else str(own)

    def helpEvent(
        self,
        event: QHelpEvent,
        view: QAbstractItemView,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> bool:
        if event is None or event.type() != QEvent.Type.ToolTip or not index.isValid():
            return super().helpEvent(event, view, option, index)
        tip = self.tooltip(option, index)
        if tip:
            QToolTip.showText(event.globalPos(), tip, view)
        else:
            QToolTip.hideText()
            event.ignore()
        return True


def elide_with_tooltips(*views: QAbstractItemView) -> None:
    """Give each view the eliding delegate and right-elided text."""
    for view in views:
        view.setTextElideMode(Qt.TextElideMode.ElideRight)
        view.setItemDelegate(ElidedTextTips(view))
