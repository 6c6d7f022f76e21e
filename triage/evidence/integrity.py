"""The evidence's own integrity: whole-media hashes, damaged chunks and short images.

One sequential pass over the evidence stream (the media for E01 and split sets)
computes MD5, SHA-1 and SHA-256 and, for EWF-E01, checks every chunk's checksum in the
same read (:mod:`triage.evidence.ewfchunks`). The pass can stop at any chunk boundary
and continue later from a saved state (:mod:`triage.evidence.resumable`). The scan runs
it in its own process next to the file workers (:mod:`triage.scan.evidence_hash`);
``triage info --verify`` and the GUI run it in-process.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from triage.errors import EvidenceError
from triage.evidence.image import EvidenceSource, ImageInfo, open_image
from triage.evidence.resumable import ALGORITHMS, ResumableHashes, restore

BLOCK = 4 << 20
PROGRESS_BYTES = 32 << 20


@dataclass(frozen=True)
class DamagedRange:
    """Media bytes ``[start, start + length)`` that could not be read as acquired."""

    start: int
    length: int
    reason: str

    def to_json(self) -> dict[str, Any]:
        return {"start": self.start, "length": self.length, "reason": self.reason}


@dataclass
class HashOutcome:
    """Where the pass stopped and what it found."""

    bytes_hashed: int
    media_size: int
    state: bytes | None
    hashes: dict[str, str] | None = None
    """The digests, once the whole stream is hashed."""
    damage: list[DamagedRange] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """Warnings about the pass itself (e.g. chunk checks not possible for this format)."""

    @property
    def finished(self) -> bool:
        return self.hashes is not None


ProgressFn = Callable[[int, bytes | None, list[DamagedRange]], None]


def hash_evidence(
    source: EvidenceSource,
    *,
    start: int = 0,
    state: bytes | None = None,
    on_progress: ProgressFn | None = None,
    should_stop: Callable[[], bool] | None = None,
    progress_bytes: int = PROGRESS_BYTES,
) -> HashOutcome:
    """Hash the whole evidence stream from ``start`` (with the saved ``state``) to its end.

    ``on_progress(bytes_hashed, state, new_damage)`` is called every ``progress_bytes``;
    ``should_stop()`` is asked as often and ends the pass early (the outcome is then not
    ``finished`` and can be continued). A ``state`` that cannot be restored restarts at 0.
    """
    hashes = restore(state) if start else None
    if hashes is None:
        start, hashes = 0, ResumableHashes()
    image = open_image(source)
    try:
        if source.format == "ewf":
            return _hash_ewf(source, image, start, hashes, on_progress, should_stop, progress_bytes)
        return _hash_plain(source, image, start, hashes, on_progress, should_stop, progress_bytes)
    finally:
        image.close()


def _hash_plain(
    source: EvidenceSource,
    image: ImageInfo,
    start: int,
    hashes: ResumableHashes,
    on_progress: ProgressFn | None,
    should_stop: Callable[[], bool] | None,
    every: int,
) -> HashOutcome:
    size = image.size
    read: Callable[[int, int], bytes]
    fd = -1
    if source.format == "raw":
        fd = os.open(source.path, os.O_RDONLY)

        def read(off: int, n: int) -> bytes:
            return os.pread(fd, n, off)
    else:
        read = image.reader.read_at if image.reader is not None else image.read
    offset, mark = start, start
    try:
        while offset < size:
            data = read(offset, min(BLOCK, every, size - offset))
            if not data:
                raise OSError(f"{source.path}: read returned nothing at media offset {offset} of {size}")
            hashes.update(data)
            offset += len(data)
            if offset - mark >= every:
                mark = offset
                if on_progress:
                    on_progress(offset, hashes.state(), [])
                if should_stop and should_stop():
                    return HashOutcome(offset, size, hashes.state())
    finally:
        if fd >= 0:
            os.close(fd)
    return HashOutcome(offset, size, hashes.state(), hashes.hexdigests())


def _hash_ewf(
    source: EvidenceSource,
    image: ImageInfo,
    start: int,
    hashes: ResumableHashes,
    on_progress: ProgressFn | None,
    should_stop: Callable[[], bool] | None,
    every: int,
) -> HashOutcome:
    from triage.evidence.ewfchunks import EwfChunks, EwfLayoutError

    try:
        chunks = EwfChunks(list(source.segments))
        if chunks.media_size != image.size:
            raise EwfLayoutError(f"the volume section gives {chunks.media_size} bytes, libewf {image.size}")
    except (EwfLayoutError, OSError) as exc:
        outcome = _hash_plain(source, image, start, hashes, on_progress, should_stop, every)
        outcome.notes.append(
            f"chunk checksums not checked ({exc}); damaged chunks read as zeros would go "
            f"unnoticed here, run ewfverify"
        )
        return outcome
    if start % chunks.chunk_size and start != chunks.media_size:
        start, hashes = 0, ResumableHashes()
    damage: list[DamagedRange] = []
    new: list[DamagedRange] = []
    offset = mark = start
    for chunk in chunks.read(start // chunks.chunk_size):
        data = chunk.data
        if chunk.error is not None:
            bad = DamagedRange(
                chunk.media_offset, chunk.size, f"EWF chunk {chunk.index} in {chunk.segment}: {chunk.error}"
            )
            damage.append(bad)
            new.append(bad)
        if data is None:  # undecodable: what libewf gives (and so every reader of the media)
            data = image.read(chunk.media_offset, chunk.size)
            if len(data) != chunk.size:
                data = data + bytes(chunk.size - len(data))
        hashes.update(data)
        offset = chunk.media_offset + chunk.size
        if offset - mark >= every:
            mark = offset
            if on_progress:
                on_progress(offset, hashes.state(), new)
            new = []
            if should_stop and should_stop():
                return HashOutcome(offset, image.size, hashes.state(), damage=damage)
    if new and on_progress:
        on_progress(offset, hashes.state(), new)
    return HashOutcome(offset, image.size, hashes.state(), hashes.hexdigests(), damage=damage)


def compare_stored(stored: dict[str, str], computed: dict[str, str]) -> tuple[str, dict[str, bool]]:
    """``('passed'|'failed'|'none', {alg: matches})`` for the hashes the container stores."""
    checks = {a: stored[a].lower() == computed[a] for a in ALGORITHMS if stored.get(a) and a in computed}
    if not checks:
        return "none", checks
    return ("passed" if all(checks.values()) else "failed"), checks


def extent_problems(image: ImageInfo) -> list[str]:
    """Partitions or file systems that start or run past the end of the image (a short image)."""
    import pytsk3

    from triage.evidence.volumes import read_layout

    size = image.size
    out: list[str] = []
    layout = read_layout(image)
    for slot in layout.slots:
        if not slot["allocated"]:
            continue
        begin, end = slot["start"] * layout.block_size, (slot["end"] + 1) * layout.block_size
        where = f"partition {slot['slot']} ({slot['description']}, bytes {begin}-{end - 1})"
        if begin >= size:
            out.append(
                f"{where} starts past the end of the image ({size} bytes): the image is short "
                f"(a missing last segment or an incomplete copy); its data is missing"
            )
        elif end > size:
            out.append(
                f"{where} runs past the end of the image ({size} bytes): its last {end - size} bytes "
                f"are missing (a missing last segment or an incomplete copy)"
            )
    for part in layout.partitions:
        if not part.fs_type:
            continue
        try:
            fs = pytsk3.FS_Info(image.img, offset=part.offset)
        except OSError:
            continue
        end = part.offset + int(fs.info.block_count) * int(fs.info.block_size)
        if end > size:
            out.append(
                f"{part.fs_type} file system at byte {part.offset} needs {end - part.offset} bytes but the "
                f"image ends after {size - part.offset}: its last {end - size} bytes are missing "
                f"(a missing last segment or an incomplete copy)"
            )
    return out


def verify_media(image: ImageInfo) -> dict[str, Any]:
    """Hash the whole media (MD5, SHA-1, SHA-256; E01 chunks checked) and compare with what the container
    stores. The same pass a scan runs next to its file pass (:func:`triage.evidence.integrity.hash_evidence`)."""
    outcome = hash_evidence(image.source)
    if outcome.hashes is None:
        raise EvidenceError(f"{image.source.path}: the media could not be hashed to its end")
    stored = image.metadata.get("stored_hashes", {}) or {}
    verdict, checks = compare_stored(stored, outcome.hashes)
    return {
        "computed": outcome.hashes,
        "stored": stored,
        "matches": checks,
        "verified": verdict == "passed" and not outcome.damage,
        "damage": [d.to_json() for d in outcome.damage],
        "notes": outcome.notes,
    }
