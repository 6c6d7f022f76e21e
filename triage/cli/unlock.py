"""``--unlock`` for info, scan, mount and export: parse, match to volumes, unlock, audit (never the key)."""

from __future__ import annotations

import argparse
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from triage.evidence import fve

if TYPE_CHECKING:
    from triage.case.store import Case

HELP = (
    "unlock an encrypted volume: [VOLUME=]password:TEXT, recovery:TEXT (BitLocker recovery password), "
    "bek:FILE (BitLocker startup key) or keyfile:FILE (LUKS); VOLUME is the partition index `triage info` "
    "shows (optional when the image holds one encrypted volume); TEXT '-' asks on the terminal, keeping the "
    "secret off the command line. Repeatable. The key is used in memory only: never logged or stored"
)


def add_unlock_argument(p: argparse.ArgumentParser) -> None:
    p.add_argument("--unlock", action="append", default=[], metavar="[VOLUME=]TYPE:VALUE", help=HELP)


def parse_specs(args: argparse.Namespace) -> list[fve.UnlockSpec]:
    """The ``--unlock`` options, parsed (before any work: a malformed one is exit 2)."""
    return [fve.parse_unlock(text) for text in getattr(args, "unlock", None) or []]


def unlock_image(image: Any, specs: list[fve.UnlockSpec]) -> list[tuple[int, fve.EncryptedVolume, str]]:
    """Unlock the volumes of an open image the options name (raises UsageError on a wrong key)."""
    from triage.evidence.volumes import read_layout

    if not specs:
        return []
    candidates = [fve.Candidate(p.index, p.offset, p.length) for p in read_layout(image).partitions]
    return fve.prepare(image, candidates, specs)


Unlocked = tuple[str, int, fve.EncryptedVolume, str]
"""Evidence path, partition index, the volume, the protector type used."""


def unlock_paths(
    paths: Iterable[str], specs: list[fve.UnlockSpec], *, skip_plain: bool = False
) -> list[Unlocked]:
    """Unlock the named volumes of each evidence file (raises UsageError naming a volume whose key is wrong).

    ``skip_plain``: evidence without an encrypted volume is passed over (a case with several images)."""
    from triage.evidence.image import open_image

    out: list[Unlocked] = []
    if not specs:
        return out
    for path in paths:
        image = open_image(path)
        try:
            if skip_plain and not _has_encrypted(image):
                continue
            out += [(str(image.source.path.resolve()), i, v, k) for i, v, k in unlock_image(image, specs)]
        finally:
            image.close()
    return out


def audit_unlocks(case: Case, unlocked: list[Unlocked]) -> None:
    """One audit event per volume unlocked: which, by whom (the case's actor), with which protector
    type and decryption library versions; never the key."""
    for path, index, volume, kind in unlocked:
        case.append_audit(
            "volume.unlocked",
            {
                "evidence": path,
                "partition": index,
                "offset": volume.offset,
                "scheme": volume.scheme,
                "description": volume.description,
                "protector": kind,
                "libraries": fve.library_versions(),
            },
        )


def _has_encrypted(image: Any) -> bool:
    from triage.evidence.volumes import read_layout

    return any(p.encryption for p in read_layout(image).partitions)
