"""Build the mounted tree from the evidence itself, or from a case's inventory of it."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from triage.case.query import FileQuery
from triage.case.store import Case
from triage.errors import UsageError
from triage.evidence.image import ImageInfo
from triage.evidence.volumes import open_filesystem, read_layout
from triage.evidence.walk import walk_filesystem
from triage.mount.tree import PartitionSpec, Tree, TreeBuilder


def media_times(image: ImageInfo) -> dict[str, int]:
    """Times shown on ``image.raw`` and the top folder: those of the first segment file."""
    try:
        st = os.stat(image.source.segments[0])
    except OSError:
        return {}
    return {"mtime": int(st.st_mtime), "atime": int(st.st_atime), "ctime": int(st.st_ctime)}


def build_tree(
    image: ImageInfo,
    *,
    partition: int | None = None,
    raw: bool = False,
    case: Case | None = None,
    on_error: Callable[[str], None] | None = None,
) -> tuple[Tree, dict[str, Any]]:
    """The tree to mount and a summary (where the inventory came from, partitions, counts).

    With ``case`` (a :class:`triage.case.store.Case`) holding a finished inventory of this
    evidence, rows come from the case (no walk); otherwise libtsk walks each file system.

    Raises:
        UsageError: ``partition`` is not a partition of this image.
    """
    report = on_error or (lambda _msg: None)
    builder = TreeBuilder(image.size, media_times(image))
    summary: dict[str, Any] = {
        "evidence": str(image.source.path),
        "format": image.source.format,
        "media_size": image.size,
        "raw": raw,
        "partition": partition,
        "inventory": "none" if raw else "evidence",
        "partitions": [],
    }
    if raw:
        return builder.tree, summary
    evidence_row = _case_evidence(case, image) if case is not None else None
    if evidence_row is not None:
        assert case is not None
        summary["inventory"] = f"case (evidence id {evidence_row['id']})"
        specs = [
            PartitionSpec(p["idx"], p["offset"], p["length"], p["fs_type"], p["error"])
            for p in case.partitions(evidence_row["id"])
        ]
        part_ids = {p["idx"]: p["id"] for p in case.partitions(evidence_row["id"])}
    else:
        specs = [
            PartitionSpec(p.index, p.offset, p.length, p.fs_type, p.error)
            for p in read_layout(image).partitions
        ]
    if partition is not None:
        chosen = [s for s in specs if s.index == partition]
        if not chosen:
            have = ", ".join(str(s.index) for s in specs) or "none"
            raise UsageError(f"{image.source.path}: no partition {partition} (partitions: {have})")
        specs = chosen
    from triage.evidence import fve

    layered = (
        {int(p["idx"]) for p in case.partitions(evidence_row["id"]) if (p.get("volume") or {}).get("layer")}
        if evidence_row is not None and case is not None
        else {p.index for p in read_layout(image).partitions if p.layer}
    )
    for spec in specs:
        if spec.index in layered:  # a shadow copy or an APFS volume: not in the mount yet
            report(f"partition {spec.index}: a shadow copy or APFS volume, not in the mount yet")
            continue
        summary["partitions"].append({"index": spec.index, "offset": spec.offset, "fs_type": spec.fs_type})
        volume = fve.unlocked(image.source.path, spec.offset)
        if volume is not None:
            builder.add_decrypted(spec, volume.volume.scheme, volume.reader.available)
        if not spec.fs_type:
            builder.add_raw_partition(spec)
            continue
        try:
            fs = open_filesystem(image, spec.offset)
        except OSError as exc:
            report(f"partition {spec.index} at {spec.offset}: cannot open file system: {exc}")
            builder.add_raw_partition(spec)
            continue
        root_times = _root_times(fs)
        if evidence_row is not None and case is not None:
            rows: Iterator[Any] = (
                r.as_row() for r in case.each_file(FileQuery(partition_id=part_ids[spec.index]))
            )
        else:
            rows = (
                e.to_row()
                for e in walk_filesystem(
                    fs,
                    is_ntfs=spec.fs_type == "ntfs",
                    on_error=lambda msg, s=spec: report(f"partition {s.index}: {msg}"),  # type: ignore[misc]
                )
            )
        builder.add_partition(spec, rows, root_times)
    summary.update(builder.tree.stats)
    return builder.tree, summary


def _case_evidence(case: Case, image: ImageInfo) -> dict[str, Any] | None:
    """The case's row for this evidence, when its inventory is complete."""
    wanted = {str(Path(image.source.path).resolve())}
    for row in case.evidence():
        if row["path"] in wanted and row.get("inventory_done"):
            return dict(row)
    return None


def _root_times(fs: Any) -> dict[str, int]:
    try:
        meta = fs.open_meta(inode=fs.info.root_inum).info.meta
    except OSError:
        return {}
    if meta is None:
        return {}
    return {k: int(getattr(meta, k) or 0) for k in ("mtime", "atime", "ctime", "crtime")}
