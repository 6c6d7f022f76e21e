"""Hash-chained custody logs (JSON lines; each line carries the SHA-256 of the line before).

``data/custody/custody-log.jsonl`` is built from the case's audit log and holds only case
data (reproducible). Events about previous exports and mere case openings are left out:
they are not custody of these items, and earlier transfers to other authorities are not
this recipient's business. ``export-log.jsonl`` (a tag file) continues the chain with this
export's real events and times.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from triage.case.records import AuditEvent

GENESIS = "0" * 64
SKIPPED_ACTIONS = ("export.", "case.opened", "verify.")


def line(event: dict[str, Any], prev: str) -> str:
    return json.dumps(
        {**event, "prev_sha256": prev}, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str
    )


def chain(events: Iterable[dict[str, Any]], prev: str = GENESIS, start: int = 1) -> tuple[str, str]:
    """``(text, sha256 of the last line)``: one JSON line per event with ``seq`` and ``prev_sha256``."""
    out = []
    for seq, ev in enumerate(events, start):
        text = line({"seq": seq, **ev}, prev)
        out.append(text + "\n")
        prev = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return "".join(out), prev


def case_events(audit: Sequence[AuditEvent]) -> list[dict[str, Any]]:
    return [
        {
            "ts": a.ts,
            "actor": a.actor,
            "action": a.action,
            "details": dict(a.details),
            "audit_id": a.id,
        }
        for a in audit
        if not a.action.startswith(SKIPPED_ACTIONS)
    ]


def lines(text: str) -> list[str]:
    """The lines of a log: split on LF only (a JSON string may hold U+2028 or other line breaks)."""
    out = text.split("\n")
    return out[:-1] if out and out[-1] == "" else out


def check_chain(text: str, prev: str = GENESIS) -> tuple[str | None, str]:
    """``(error or None, last line hash)`` for a custody log's text."""
    err, head, _ = check_chain_seq(text, prev)
    return err, head


def check_chain_seq(text: str, prev: str = GENESIS, start: int = 1) -> tuple[str | None, str, int]:
    """``(error or None, last line hash, last seq)``; each line is a JSON object whose ``prev_sha256``
    is the SHA-256 of the line before and whose ``seq`` counts on from ``start``."""
    seq = start - 1
    for n, raw in enumerate(lines(text), 1):
        try:
            obj = json.loads(raw)
        except (ValueError, RecursionError):
            return f"line {n} is not JSON", prev, seq
        if not isinstance(obj, dict):
            return f"line {n} is not a JSON object", prev, seq
        if obj.get("prev_sha256") != prev:
            return f"line {n}: prev_sha256 does not match the line before (chain broken)", prev, seq
        seq += 1
        if obj.get("seq") != seq:
            got = str(obj.get("seq"))[:20]
            return f"line {n}: seq is {got!r}, expected {seq} (an event is missing or repeated)", prev, seq
        prev = hashlib.sha256(raw.encode("utf-8")).hexdigest()
    return None, prev, seq
