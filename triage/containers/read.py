"""Reading a container member again after the scan (the GUI's Text and Hex views, the export,
thumbnails): its file-system file is opened, then each container on the way, by member path."""

from __future__ import annotations

import tempfile
from typing import Any

from triage.containers.expand import HEAD, READ, SPOOL_MEMORY, Limits, MemberContent, stream_of
from triage.containers.formats import ContainerDamaged, clean, detect, members


class MemberNotFound(Exception):
    """The member cannot be read again; ``str()`` says which and why."""


def open_member(outer: Any, chain: tuple[str, ...], limits: Limits | None = None) -> MemberContent:
    """The content of the member at ``chain`` (outermost first) inside ``outer`` (anything with
    ``read(offset, n)`` and ``size``), read within ``limits.max_total`` bytes per level.

    Raises:
        MemberNotFound: a container on the way is not recognised, lacks the member, is damaged
            before it, or the member cannot be read (encrypted, over the limit).
    """
    limits = limits or Limits()
    current: Any = outer
    for depth, wanted in enumerate(chain):
        head = current.read(0, HEAD)
        name = chain[depth - 1] if depth else ""
        kind = detect(head, name.rsplit("/", 1)[-1])
        if kind is None:
            raise MemberNotFound(f"{'//'.join(chain[:depth]) or 'the file'} is not a container any more")
        found = _find(kind, current, name, wanted, limits)
        if current is not outer:
            current.close()
        current = found
    if not isinstance(current, MemberContent):
        raise MemberNotFound("no member path given")
    return current


def _find(kind: str, content: Any, name: str, wanted: str, limits: Limits) -> MemberContent:
    """The member named ``wanted`` (``path~N``: the Nth member of that path, as the scan named it)."""
    counts: dict[str, int] = {}
    try:
        for m in members(kind, stream_of(content, int(content.size)), name):
            path = clean(m.path)
            if m.is_dir or not path:
                continue
            counts[path] = counts.get(path, 0) + 1
            label = path if counts[path] == 1 else f"{path}~{counts[path]}"
            if label != wanted:
                continue
            if m.open is None:
                raise MemberNotFound(f"{wanted}: {m.problem or 'content not readable'}")
            return _copy(m.open(), wanted, limits)
    except ContainerDamaged as exc:
        raise MemberNotFound(f"{wanted}: {exc}") from exc
    raise MemberNotFound(f"{wanted}: no such member in the {kind} container")


def _copy(src: Any, wanted: str, limits: Limits) -> MemberContent:
    out = tempfile.SpooledTemporaryFile(max_size=SPOOL_MEMORY)
    n = 0
    try:
        while chunk := src.read(READ):
            n += len(chunk)
            if n > limits.max_total:
                out.close()
                raise MemberNotFound(f"{wanted}: larger than {limits.max_total} bytes (containers max_total)")
            out.write(chunk)
    finally:
        src.close()
    out.seek(0)
    return MemberContent(out, n)
