"""Random-access, read-only byte readers for each image format.

Every reader opens its files with ``O_RDONLY``; nothing here can write to evidence.
"""

from __future__ import annotations

import bisect
import os
from pathlib import Path
from typing import Protocol

from triage.errors import EvidenceError


class Reader(Protocol):
    """A read-only view of the media inside an image."""

    size: int

    def read_at(self, offset: int, length: int) -> bytes: ...

    def close(self) -> None: ...


class RawReader:
    """One plain file."""

    def __init__(self, path: Path) -> None:
        self._fd = os.open(path, os.O_RDONLY)
        self.size = os.lseek(self._fd, 0, os.SEEK_END)  # st_size is 0 for a block device

    def read_at(self, offset: int, length: int) -> bytes:
        if offset >= self.size or length <= 0:
            return b""
        return os.pread(self._fd, min(length, self.size - offset), offset)

    def close(self) -> None:
        os.close(self._fd)


class SplitRawReader:
    """Consecutive segments (``.001 .002 …`` or ``.aa .ab …``) seen as one medium."""

    def __init__(self, segments: list[Path]) -> None:
        self._fds = [os.open(p, os.O_RDONLY) for p in segments]
        self._starts: list[int] = []
        total = 0
        for fd in self._fds:
            self._starts.append(total)
            total += os.fstat(fd).st_size
        self.size = total

    def read_at(self, offset: int, length: int) -> bytes:
        out = bytearray()
        end = min(offset + length, self.size)
        while offset < end:
            i = bisect.bisect_right(self._starts, offset) - 1
            seg_end = self._starts[i + 1] if i + 1 < len(self._starts) else self.size
            n = min(end, seg_end) - offset
            chunk = os.pread(self._fds[i], n, offset - self._starts[i])
            if not chunk:
                break
            out += chunk
            offset += len(chunk)
        return bytes(out)

    def close(self) -> None:
        for fd in self._fds:
            os.close(fd)


class LibyalReader:
    """Any libyal handle with ``seek``/``read``/``get_media_size`` (pyewf, pyvmdk, pyvhdi, pyqcow)."""

    def __init__(self, handle: object, size: int) -> None:
        self._handle = handle
        self.size = size

    def read_at(self, offset: int, length: int) -> bytes:
        if offset >= self.size or length <= 0:
            return b""
        try:
            data: bytes = self._handle.read_buffer_at_offset(min(length, self.size - offset), offset)  # type: ignore[attr-defined]
        except OSError as exc:
            raise OSError(f"read error at media offset {offset}: {exc}") from exc
        return data

    def close(self) -> None:
        self._handle.close()  # type: ignore[attr-defined]


def open_ewf(segments: list[Path]) -> tuple[LibyalReader, dict[str, object]]:
    """Open an EWF (E01/Ex01) segment set; return the reader and its stored metadata."""
    import pyewf

    handle = pyewf.handle()
    try:
        # absolute names: libewf refuses a name of 4 characters or fewer ("sdb"), whatever the folder
        handle.open([os.path.abspath(p) for p in segments], "r")
    except OSError as exc:
        raise EvidenceError(f"{segments[0]}: cannot open EWF image: {_first_line(exc)}") from exc
    meta: dict[str, object] = {}
    try:
        meta["headers"] = {k: v for k, v in handle.get_header_values().items() if v}
    except OSError:
        meta["headers"] = {}
    stored: dict[str, str] = {}
    for alg in ("MD5", "SHA1", "SHA256"):
        try:
            value = handle.get_hash_value(alg)
        except OSError:
            value = None
        if value:
            stored[alg.lower()] = value
    meta["stored_hashes"] = stored
    meta["bytes_per_sector"] = handle.get_bytes_per_sector()
    meta["segments"] = [str(p) for p in segments]
    size = handle.get_media_size()
    return LibyalReader(handle, size), meta


def open_optional(kind: str, path: Path) -> LibyalReader:
    """Open VMDK/VHD(X)/QCOW through the optional libyal bindings."""
    module_name = {"vmdk": "pyvmdk", "vhd": "pyvhdi", "qcow": "pyqcow"}[kind]
    package = {"vmdk": "libvmdk-python", "vhd": "libvhdi-python", "qcow": "libqcow-python"}[kind]
    try:
        module = __import__(module_name)
    except ImportError as exc:
        raise EvidenceError(
            f"{path}: {kind.upper()} images need the optional package {package} "
            f"(pip install 'triage-workstation[formats]')"
        ) from exc
    handle = module.handle() if hasattr(module, "handle") else module.file()
    try:
        handle.open(str(path))
        if kind == "vmdk":
            handle.open_extent_data_files()
    except OSError as exc:
        raise EvidenceError(f"{path}: cannot open {kind.upper()} image: {_first_line(exc)}") from exc
    return LibyalReader(handle, handle.get_media_size())


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else exc.__class__.__name__
