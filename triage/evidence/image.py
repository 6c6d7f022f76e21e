"""Recognise an image's format and open it as a ``pytsk3.Img_Info``.

Raw images go straight to libtsk; split raw, EWF and the optional libyal formats go
through a Python reader behind an ``Img_Info`` subclass (the dfvfs pattern).
"""

from __future__ import annotations

import errno
import os
import re
import stat
import string
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytsk3

from triage.errors import EvidenceError, UsageError
from triage.evidence.readers import LibyalReader, Reader, SplitRawReader, open_ewf, open_optional
from triage.evidence.signatures import EWF_SIGNATURES, container_format, ewf_sets, probe
from triage.format import file_kind

_NUMERIC_SPLIT = re.compile(r"^(?P<stem>.*)\.(?P<num>\d{3})$")
_ALPHA_SPLIT = re.compile(r"^(?P<stem>.*)\.(?P<suffix>[a-z]{2})$")


@dataclass(frozen=True)
class EvidenceSource:
    """What the user pointed at: the format and every segment file, in order."""

    path: Path
    format: str
    segments: tuple[Path, ...]

    def to_json(self) -> dict[str, Any]:
        return {"path": str(self.path), "format": self.format, "segments": [str(p) for p in self.segments]}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> EvidenceSource:
        return cls(Path(data["path"]), data["format"], tuple(Path(p) for p in data["segments"]))


@dataclass
class ImageInfo:
    """An opened image: the libtsk handle plus what we know about the media."""

    source: EvidenceSource
    img: pytsk3.Img_Info
    size: int
    metadata: dict[str, Any] = field(default_factory=dict)
    reader: Reader | None = None

    def read(self, offset: int, length: int) -> bytes:
        data: bytes = self.img.read(offset, length)
        return data

    def close(self) -> None:
        if self.reader is not None:
            self.reader.close()


class _ReaderImage(pytsk3.Img_Info):  # type: ignore[misc]
    """``Img_Info`` over any Python reader; attributes are set before the parent constructor."""

    def __init__(self, reader: Reader) -> None:
        self._reader = reader
        super().__init__(url="", type=pytsk3.TSK_IMG_TYPE_EXTERNAL)

    def close(self) -> None:  # libtsk calls this; the reader is closed by ImageInfo
        pass

    def read(self, offset: int, size: int) -> bytes:
        return self._reader.read_at(offset, size)

    def get_size(self) -> int:
        return self._reader.size


def resolve_source(path: str | os.PathLike[str]) -> EvidenceSource:
    """Check that ``path`` is an image file and find its format and segments.

    A block device (``/dev/sdb``, a loop device) is evidence like an image file and is only
    ever read. A FIFO, a character device such as ``/dev/zero`` or a socket is not: it is
    refused by its kind, before anything opens it (opening a FIFO could block).

    Raises:
        UsageError: the path does not exist, is a folder, a symbolic link loop, a FIFO, a
            character device or a socket.
        EvidenceError: the file is empty or a segment set is incomplete.
    """
    p = Path(path)
    mode = _mode(p)
    if stat.S_ISDIR(mode):
        raise UsageError(f"{p}: is a directory, not an image file")
    if not (stat.S_ISREG(mode) or stat.S_ISBLK(mode)):
        raise UsageError(f"{p}: is {file_kind(mode)}, not an image file")
    if not os.access(p, os.R_OK):
        raise EvidenceError(f"{p}: permission denied")
    size = media_size(p)
    if size == 0:
        raise EvidenceError(
            f"{p}: empty {'block device (no medium?)' if stat.S_ISBLK(mode) else 'file'}, not a disk image"
        )
    with open(p, "rb") as fh:
        head = fh.read(512)
    fmt = container_format(head, _tail(p, 512))
    if fmt == "ewf":
        return EvidenceSource(p, "ewf", _regular_segments(_ewf_segments(p)))
    if fmt is not None:
        return EvidenceSource(p, fmt, (p,))
    split = _split_segments(p)
    if split is not None:
        return EvidenceSource(p, "split", _regular_segments(split))
    return EvidenceSource(p, "raw", (p,))


def open_image(source: EvidenceSource | str | os.PathLike[str]) -> ImageInfo:
    """Open evidence read-only and return an :class:`ImageInfo`.

    Raises:
        EvidenceError: the image cannot be opened.
    """
    if not isinstance(source, EvidenceSource):
        source = resolve_source(source)
    reader: Reader | None = None
    metadata: dict[str, Any] = {"format": source.format}
    try:
        if source.format == "raw":
            img = pytsk3.Img_Info(str(source.path))
            size = img.get_size()
        else:
            if source.format == "split":
                reader = SplitRawReader(list(source.segments))
            elif source.format == "ewf":
                reader, ewf_meta = open_ewf(list(source.segments))
                metadata.update(ewf_meta)
            else:
                reader = open_optional(source.format, source.path)
            img = _ReaderImage(reader)
            size = reader.size
    except EvidenceError:
        raise
    except OSError as exc:
        raise EvidenceError(f"{source.path}: cannot open image: {exc}") from exc
    if size <= 0:
        raise EvidenceError(f"{source.path}: the image holds no media data")
    if isinstance(reader, LibyalReader):
        try:  # a truncated segment fails here rather than deep inside a scan
            reader.read_at(max(0, size - 512), 512)
        except OSError as exc:
            raise EvidenceError(f"{source.path}: image is truncated or damaged: {exc}") from exc
    return ImageInfo(source=source, img=img, size=size, metadata=metadata, reader=reader)


def _tail(path: Path, n: int) -> bytes:
    with open(path, "rb") as fh:
        fh.seek(max(0, media_size(path) - n))
        return fh.read(n)


def _mode(p: Path) -> int:
    """``st_mode`` of the path (links followed); UsageError naming a missing path, a broken link or a loop."""
    try:
        return p.stat().st_mode
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise UsageError(f"{p}: symbolic link loop (too many levels of symbolic links)") from exc
        if exc.errno in (errno.ENOENT, errno.ENOTDIR):
            if p.is_symlink():
                raise UsageError(
                    f"{p}: broken symbolic link (points to {os.readlink(p)}, which does not exist)"
                ) from exc
            raise UsageError(f"{p}: no such file") from exc
        if exc.errno == errno.EACCES:
            raise EvidenceError(f"{p}: permission denied") from exc
        raise EvidenceError(f"{p}: cannot examine: {exc.strerror or exc}") from exc


def _regular_segments(segments: list[Path]) -> tuple[Path, ...]:
    """Every further segment of a set is a regular file (a FIFO among them would block the reader)."""
    for seg in segments[1:]:
        mode = _mode(seg)
        if not stat.S_ISREG(mode):
            raise UsageError(
                f"{seg}: is {'a directory' if stat.S_ISDIR(mode) else file_kind(mode)}, not an image segment"
            )
    return tuple(segments)


def media_size(path: Path) -> int:
    """Size in bytes of an image file or a block device (whose ``st_size`` is 0)."""
    st = path.stat()
    if not stat.S_ISBLK(st.st_mode):
        return st.st_size
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError as exc:
        raise EvidenceError(f"{path}: cannot open the block device: {exc.strerror or exc}") from exc
    try:
        return os.lseek(fd, 0, os.SEEK_END)
    finally:
        os.close(fd)


def _ewf_segments(path: Path) -> list[Path]:
    """The segments of the EWF set ``path`` starts, grouped by their headers (number, set identity).

    Candidates are the files libewf finds by name (``.E01 .E02 …``); when it finds none beside
    ``path`` (a renamed set), every EWF file in the same folder.
    """
    import pyewf

    own = probe(path)
    if own.ewf is not None and own.ewf.number == 1 and own.ewf.last and not own.damage:
        return [path]  # one complete segment: nothing else belongs to it
    try:
        named = [Path(p) for p in pyewf.glob(str(path))]
    except OSError:
        named = []
    candidates = named if len(named) > 1 else _ewf_siblings(path)
    if path not in candidates:
        candidates = [path, *candidates]
    found = next(s for s in ewf_sets(probe(c) for c in candidates) if path in s.segments)
    if found.segments[0] != path and not found.damage:
        raise UsageError(f"{path}: give the first segment of the set ({found.segments[0].name})")
    if found.damage:
        raise EvidenceError(found.damage)
    return list(found.segments)


def _ewf_siblings(path: Path) -> list[Path]:
    """Regular files in ``path``'s folder that start with an EWF signature."""
    out = []
    for cand in sorted(path.parent.iterdir()):
        try:
            if cand.is_file() and not cand.is_symlink():
                with open(cand, "rb") as fh:
                    if fh.read(8).startswith(EWF_SIGNATURES):
                        out.append(cand)
        except OSError:
            continue
    return out


def _split_segments(path: Path) -> list[Path] | None:
    name = path.name
    m = _NUMERIC_SPLIT.match(name)
    if m:
        num = int(m.group("num"))
        if num not in (0, 1):
            raise UsageError(f"{path}: give the first segment of the split set (.000 or .001)")
        width = len(m.group("num"))
        segs = []
        n = num
        while (cand := path.with_name(f"{m.group('stem')}.{n:0{width}d}")).exists():
            segs.append(cand)
            n += 1
        _check_no_gap(
            path,
            [int(p.suffix[1:]) for p in path.parent.glob(f"{_glob_escape(m.group('stem'))}.[0-9][0-9][0-9]")],
            n,
        )
        return segs
    m = _ALPHA_SPLIT.match(name)
    if m and m.group("suffix") == "aa" and path.with_name(f"{m.group('stem')}.ab").exists():
        letters = string.ascii_lowercase
        suffixes = [a + b for a in letters for b in letters]
        segs = []
        for i, suf in enumerate(suffixes):
            cand = path.with_name(f"{m.group('stem')}.{suf}")
            if not cand.exists():
                others = [s for s in suffixes[i + 1 :] if path.with_name(f"{m.group('stem')}.{s}").exists()]
                if others:
                    raise EvidenceError(
                        f"{path}: split segment .{suf} is missing (found .{others[0]} after it)"
                    )
                break
            segs.append(cand)
        return segs
    return None


def _check_no_gap(first: Path, present: list[int], next_missing: int) -> None:
    later = sorted(n for n in present if n > next_missing)
    if later:
        raise EvidenceError(
            f"{first}: split segment .{next_missing:03d} is missing (found .{later[0]:03d} after it)"
        )


def _glob_escape(text: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", text)
