"""Helpers shared by CLI commands."""

from __future__ import annotations

import json
import sys
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


def print_json_line(obj: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, sort_keys=False) + "\n")
