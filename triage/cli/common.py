"""Helpers shared by CLI commands."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from typing import Any

from triage.case.store import Case
from triage.errors import CaseError


def open_case(path: str, *, readonly: bool = True) -> Case:
    try:
        return Case.open(path, readonly=readonly)
    except CaseError:
        raise
    except OSError as exc:
        raise CaseError(f"{path}: cannot open case: {exc}") from exc


def iso(ts: int | None) -> str | None:
    """Epoch seconds to ISO 8601 UTC."""
    if not ts:
        return None
    try:
        return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    except (OverflowError, OSError, ValueError):
        return None


def print_json_line(obj: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, sort_keys=False) + "\n")


def human_bytes(n: float) -> str:
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if abs(n) < 1024 or unit == "TiB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n} B"
