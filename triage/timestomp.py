"""Signs that an NTFS entry's $STANDARD_INFORMATION times were set back (timestomping).

NTFS keeps two sets of MACB times. $STANDARD_INFORMATION ($SI) is what Explorer shows and what
``SetFileTime`` and timestomping tools change; $FILE_NAME ($FN) is written by the kernel when the
name is created or changed, and user-mode tools cannot set it. Both get the same creation time
when a file is created, so an $SI that disagrees with its $FN in the ways below suggests the $SI
times were edited. These are signs for the examiner to check, not proof: the rules and their
known innocent causes are in docs/timeline.md.

Rules (on a file-table row; only rows with $FN times, i.e. NTFS entries, can have signs):

``si-crtime-before-fn``
    $SI creation is earlier than $FN creation, compared to the 100 ns when both sub-second parts
    are known, else to the second.
``si-crtime-whole-second``
    $SI creation has a zero sub-second part while $FN creation has a non-zero one (tools that set
    times from a date string write whole seconds; Windows writes 100 ns ticks).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class TimestompSign:
    """One rule that matched: a stable code and a sentence for the examiner."""

    code: str
    text: str


SI_CRTIME_BEFORE_FN = "si-crtime-before-fn"
SI_CRTIME_WHOLE_SECOND = "si-crtime-whole-second"
RULES = (SI_CRTIME_BEFORE_FN, SI_CRTIME_WHOLE_SECOND)


def timestomp_signs(row: Mapping[str, Any]) -> tuple[TimestompSign, ...]:
    """The timestomping signs of one file-table row (``crtime``, ``crtime_ns``, ``fn_crtime``, ``fn_crtime_ns``)."""
    si, fn = row.get("crtime"), row.get("fn_crtime")
    if not si or not fn:
        return ()
    si_ns, fn_ns = row.get("crtime_ns"), row.get("fn_crtime_ns")
    signs = []
    earlier = (si, si_ns) < (fn, fn_ns) if si_ns is not None and fn_ns is not None else si < fn
    if earlier:
        signs.append(TimestompSign(SI_CRTIME_BEFORE_FN, "$SI creation is earlier than $FN creation"))
    if si_ns == 0 and fn_ns:
        signs.append(
            TimestompSign(
                SI_CRTIME_WHOLE_SECOND, "$SI creation has no fraction of a second, $FN creation has one"
            )
        )
    return tuple(signs)


def timestomp_codes(row: Mapping[str, Any]) -> tuple[str, ...]:
    """Just the codes of :func:`timestomp_signs`."""
    return tuple(s.code for s in timestomp_signs(row))
