"""Qt item models over the case (read through :class:`triage.case.Case` methods only)."""

from triage_ui.models.evidence import EvidenceTreeModel
from triage_ui.models.files import FileTableModel
from triage_ui.models.findings import FindingsModel, match_ranges
from triage_ui.models.simple import DictTableModel, ViewsModel

__all__ = [
    "DictTableModel",
    "EvidenceTreeModel",
    "FileTableModel",
    "FindingsModel",
    "ViewsModel",
    "match_ranges",
]
