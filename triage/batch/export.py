"""An image's export policy: choose the files, then call the bundle exporter
(:func:`triage.export.export_bundle`) when this installation has it. When it does not, the
bundle is skipped with that reason, shown in the summary and the events log.
"""

from __future__ import annotations

import importlib
import inspect
from pathlib import Path
from typing import Any

from triage.batch.inputs import ExportPolicy
from triage.case.query import FileQuery
from triage.case.store import Case
from triage.errors import UsageError

SELECTIONS = ("findings", "alerts", "notable", "all", "tag:NAME")


def select_files(case: Case, selection: str) -> list[int]:
    """File ids for a selection: ``findings`` (files with any finding), ``alerts`` (findings of
    severity alert), ``notable`` (hash-set hits), ``all`` (every scanned file), ``tag:NAME``."""
    if selection == "findings":
        query = FileQuery(has_finding=True)
    elif selection == "alerts":
        query = FileQuery(finding_severity="alert")
    elif selection == "notable":
        query = FileQuery(notable=True)
    elif selection == "all":
        query = FileQuery(types=("r",), status=("done",))
    elif selection.startswith("tag:") and selection[4:]:
        query = FileQuery(tag=selection[4:])
    else:
        raise UsageError(f"unknown export selection {selection!r} (one of {', '.join(SELECTIONS)})")
    return case.file_ids(query)


def exporter() -> tuple[Any | None, str | None]:
    """``(export_bundle, None)`` or ``(None, why it is unavailable)``."""
    try:
        mod = importlib.import_module("triage.export")
    except ImportError as exc:
        return None, f"bundle export is not available in this installation ({exc})"
    fn = getattr(mod, "export_bundle", None)
    if fn is None:
        return (
            None,
            "bundle export is not available in this installation (triage.export has no export_bundle)",
        )
    return fn, None


def make_bundle(case: Case, policy: ExportPolicy, dest: Path, exhibit: str | None = None) -> dict[str, Any]:
    """Export one case's bundle; returns ``{"status": created|skipped|failed, ...}``, never raises.

    The exporter is called with the keyword arguments it declares among: ``selection`` /
    ``file_ids``, ``request`` (the request file's path), ``request_overrides`` (the exhibit number),
    ``exhibit``, ``signing_key`` / ``key``.
    """
    fn, why = exporter()
    if fn is None:
        return {"status": "skipped", "reason": why}
    try:
        ids = select_files(case, policy.selection)
        if not ids:
            return {
                "status": "skipped",
                "reason": f"the selection {policy.selection!r} matched no file",
                "files": 0,
            }
        request = Path(policy.request) if policy.request else None
        available: dict[str, Any] = {
            "selection": ids,
            "file_ids": ids,
            "request": request,
            "request_file": request,
            "exhibit": exhibit,
            "request_overrides": {"exhibits.number": exhibit} if exhibit else None,
            "signing_key": Path(policy.signing_key) if policy.signing_key else None,
            "key": Path(policy.signing_key) if policy.signing_key else None,
        }
        params = inspect.signature(fn).parameters
        if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values()):
            kwargs = {k: v for k, v in available.items() if v is not None}
        else:
            kwargs = {k: v for k, v in available.items() if k in params and v is not None}
        dest.parent.mkdir(parents=True, exist_ok=True)
        result = fn(case, dest, **kwargs)
    except Exception as exc:  # the exporter's own error: record it, the scan stays valid
        return {"status": "failed", "reason": f"{type(exc).__name__}: {exc}", "files": None}
    if isinstance(result, dict):
        path = result.get("path") or result.get("archive") or dest
    else:
        path = getattr(result, "path", None) or getattr(result, "archive", None) or dest
    out: dict[str, Any] = {
        "status": "created",
        "path": str(path),
        "files": len(ids),
        "selection": policy.selection,
    }
    for key in ("verified", "manifest_sha256", "signatures", "warnings"):
        if hasattr(result, key):
            out[key] = getattr(result, key)
    return out
