"""Attach draft preservation requests to sharing bundles.

``triage requests draft CASE --provider X --attach`` records the choice in the case folder
(``preservation/attach.json``: providers, request metadata, options). When a bundle is
exported, the ``identifiers`` plugin's ``triage_bundle_contribute`` hook calls
:func:`contribute`, which writes the drafts (JSON and DOCX) under ``data/preservation/`` of
the bag, limited to identifiers found in the exported files. Nothing is attached unless
the examiner asked for it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from triage.errors import UsageError

if TYPE_CHECKING:
    from triage.case.store import Case

ATTACH_FILE = Path("preservation") / "attach.json"


def mark(
    case: Case,
    providers: Sequence[str],
    request: dict[str, Any],
    *,
    with_crypto: bool = False,
    kind: str | None = None,
    options: dict[str, Any] | None = None,
) -> Path:
    """Record that drafts for ``providers`` go into every bundle exported from this case.

    ``options``: further :func:`~triage.requests.draft.draft_requests` keywords (States,
    instrument, purpose, language, include_context), kept as given."""
    path = Path(case.path) / ATTACH_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    data = load(case) or {"drafts": []}
    entries = [e for e in data["drafts"] if e["provider"] not in providers]
    entries += [
        {
            "provider": p,
            "kind": kind,
            "with_crypto": with_crypto,
            "request": request,
            "options": options or {},
        }
        for p in providers
    ]
    data["drafts"] = entries
    path.write_text(
        json.dumps(data, indent=2) + "\n", encoding="utf-8"
    )  # key order kept: drafts stay identical
    return path


def load(case: Case) -> dict[str, Any] | None:
    path = Path(case.path) / ATTACH_FILE
    if not path.is_file():
        return None
    return dict(json.loads(path.read_text(encoding="utf-8")))


def contribute(case: Case, bundle_data: Path, selection: Sequence[int]) -> list[Path]:
    """Write the marked drafts under ``bundle_data/preservation/``; returns the written paths."""
    from triage.requests.draft import write_drafts

    data = load(case)
    if not data:
        return []
    out = Path(bundle_data) / "preservation"
    written: list[Path] = []
    for entry in data.get("drafts", []):
        try:
            written += write_drafts(
                case,
                out,
                provider=entry["provider"],
                kind=entry.get("kind"),
                request=entry.get("request") or {},
                with_crypto=bool(entry.get("with_crypto")),
                file_ids=list(selection) if selection else None,
                **dict(entry.get("options") or {}),
            )
        except UsageError:  # no identifiers of that provider among the exported files
            continue
    return sorted(set(written))
