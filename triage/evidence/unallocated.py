"""Which byte ranges of a file system are unallocated: the one owner of that question.

The answer is libtsk's own block walk over the allocation metadata (``blkls -l``: one line
``ADDR|f`` per unallocated block; TSK_FS_BLOCK_FLAG_UNALLOC), never a guess from the blocks'
content. pytsk3 does not expose ``tsk_fs_block_walk``, so the Sleuth Kit's ``blkls`` runs it (it
is in the sandbox's allowed tools). Used by the inventory (the completeness ledger's byte count),
the carver (:mod:`triage.carve`) and, through :func:`triage.plugin.unallocated_runs`, by YARA and
the text index over unallocated space.

Runs are ``(first block, block count)`` in the file system's own block numbering; byte ranges in
the partition are ``(first * block_size, count * block_size)`` (``blkcat -o SECTORS IMAGE FIRST
COUNT`` gives the same bytes).
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from typing import Any

from triage.evidence.image import EvidenceSource

BLKLS_IMAGE_TYPES = {"raw": "raw", "split": "split", "ewf": "ewf"}


def _command(source: EvidenceSource | dict[str, Any], offset: int, *flags: str) -> list[str]:
    fmt = source.format if isinstance(source, EvidenceSource) else source["format"]
    segments = source.segments if isinstance(source, EvidenceSource) else source["segments"]
    itype = BLKLS_IMAGE_TYPES.get(fmt)
    if itype is None:
        raise RuntimeError(f"blkls cannot read {fmt} images")
    exe = shutil.which("blkls")
    if exe is None:
        raise RuntimeError("blkls (sleuthkit) not installed")
    return [exe, *flags, "-i", itype, "-o", str(offset // 512), *map(str, segments)]


def _lines(cmd: list[str]) -> Iterator[bytes]:
    """blkls's output lines, streamed; RuntimeError with its last message when it fails."""
    with subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        rest = b""
        while chunk := proc.stdout.read(1 << 20):
            lines = (rest + chunk).split(b"\n")
            rest = lines.pop()
            yield from lines
        if rest:
            yield rest
        err = proc.stderr.read().decode("utf-8", "replace").strip()
        if proc.wait() != 0:
            raise RuntimeError(f"blkls failed: {err.splitlines()[-1] if err else proc.returncode}")


def unallocated_runs(source: EvidenceSource | dict[str, Any], offset: int) -> list[tuple[int, int]]:
    """Runs ``(first block, count)`` of the unallocated blocks of the file system at byte
    ``offset`` of ``source`` (an :class:`EvidenceSource` or a case's evidence row), in block order.

    Raises:
        RuntimeError: blkls is missing, cannot read the format, or fails.
    """
    runs: list[tuple[int, int]] = []
    for line in _lines(_command(source, offset, "-l")):
        addr, _, flag = line.partition(b"|")
        if flag.strip() != b"f" or not addr.isdigit():
            continue  # headers ("class|host|...", "addr|alloc") and allocated blocks
        a = int(addr)
        if runs and runs[-1][0] + runs[-1][1] == a:
            runs[-1] = (runs[-1][0], runs[-1][1] + 1)
        else:
            runs.append((a, 1))
    return runs


def byte_runs(runs: list[tuple[int, int]], block_size: int) -> list[tuple[int, int]]:
    """Block runs as ``(byte offset, length)`` runs in the partition."""
    return [(first * block_size, count * block_size) for first, count in runs]


def unallocated_bytes(source: EvidenceSource, offset: int, block_size: int) -> int:
    """Bytes in the unallocated blocks of the file system at ``offset``: one line of ``blkls -l
    -A`` per unallocated block, times the block size (``blkls -A … | wc -c`` gives the same
    number), counted without keeping the runs.

    Raises:
        RuntimeError: blkls is missing, cannot read the format, or fails.
    """
    blocks = sum(1 for line in _lines(_command(source, offset, "-l", "-A")) if line[:1].isdigit())
    return blocks * block_size
