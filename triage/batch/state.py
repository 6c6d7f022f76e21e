"""The batch's own records: a state file (for ``--resume``) and an events log (JSON lines)."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path
from typing import Any

from triage.case.store import utc_now

STATE_NAME = "batch-state.json"
EVENTS_NAME = "events.jsonl"


class EventLog:
    """Append-only JSON lines, flushed and fsynced per event so a killed batch keeps them."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fh = open(path, "a", encoding="utf-8")  # noqa: SIM115 - closed in close()
        self._lock = threading.Lock()

    def emit(self, event: str, **fields: Any) -> dict[str, Any]:
        record = {"ts": utc_now(), "event": event, **fields}
        with self._lock:
            self._fh.write(json.dumps(record, sort_keys=False, default=str) + "\n")
            self._fh.flush()
            os.fsync(self._fh.fileno())
        return record

    def close(self) -> None:
        self._fh.close()


def read_events(path: Path) -> list[dict[str, Any]]:
    """Every event of a log (a torn last line, from a killed batch, is skipped)."""
    out: list[dict[str, Any]] = []
    if not path.exists():
        return out
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            out.append(json.loads(line))
        except json.JSONDecodeError:
            continue
    return out


class BatchState:
    """Per-image status of a batch, rewritten atomically on every change."""

    def __init__(self, path: Path, data: dict[str, Any]) -> None:
        self.path = path
        self.data = data

    @classmethod
    def load(cls, path: Path) -> BatchState | None:
        if not path.exists():
            return None
        return cls(path, json.loads(path.read_text(encoding="utf-8")))

    @classmethod
    def new(cls, path: Path, settings: dict[str, Any]) -> BatchState:
        state = cls(
            path,
            {
                "format": "triage-batch-1",
                "created": utc_now(),
                "settings": settings,
                "runs": [],
                "images": {},
            },
        )
        state.save()
        return state

    def image(self, name: str) -> dict[str, Any]:
        return dict(self.data["images"].get(name, {"status": "pending"}))

    def set_image(self, name: str, **fields: Any) -> None:
        self.data["images"].setdefault(name, {"status": "pending"}).update(fields)
        self.save()

    def save(self) -> None:
        tmp = self.path.with_suffix(".tmp")
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump(self.data, fh, indent=2, sort_keys=True, default=str)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.path)
