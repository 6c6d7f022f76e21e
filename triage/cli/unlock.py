"""``--unlock`` for info, scan, mount and export: parse, match to volumes, unlock, audit (never the key)."""

from __future__ import annotations

import argparse
from typing import Any

from triage.evidence import fve
from triage.evidence.fve import audit_unlocks, unlock_paths

HELP = (
    "unlock an encrypted volume: [VOLUME=]password:TEXT, recovery:TEXT (BitLocker recovery password), "
    "bek:FILE (BitLocker startup key) or keyfile:FILE (LUKS); VOLUME is the partition index `triage info` "
    "shows (optional when the image holds one encrypted volume); TEXT '-' asks on the terminal and '@FILE' "
    "reads the first line of FILE, keeping the secret off the command line (the process list). Repeatable. The key is used in memory only: never logged or stored"
)


def add_unlock_argument(p: argparse.ArgumentParser) -> None:
    p.add_argument("--unlock", action="append", default=[], metavar="[VOLUME=]TYPE:VALUE", help=HELP)


def parse_specs(args: argparse.Namespace) -> list[fve.UnlockSpec]:
    """The ``--unlock`` options, parsed (before any work: a malformed one is exit 2)."""
    return [fve.parse_unlock(text) for text in getattr(args, "unlock", None) or []]


def unlock_image(image: Any, specs: list[fve.UnlockSpec]) -> list[tuple[int, fve.EncryptedVolume, str]]:
    """Unlock the volumes of an open image the options name (raises UsageError on a wrong key)."""
    return fve.unlock_image(image, specs)


__all__ = ["add_unlock_argument", "audit_unlocks", "parse_specs", "unlock_image", "unlock_paths"]
