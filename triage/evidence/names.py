"""Lossless file names: the bytes a file system holds, and one display form per byte string.

pytsk3 hands every name back as ``bytes``: on ext2/3/4 (and other byte-name file systems) the
bytes on disk; on NTFS and FAT libtsk's own UTF-8 conversion of the UTF-16 on disk, in which
libtsk has already replaced an unpaired surrogate, or an 8.3 byte it cannot convert, by ``^``.

The *display form* (``files.name``, ``files.path``, exports) is injective, so two different byte
strings never share a recorded name or path: a name that is valid UTF-8 with no ``\\`` and no
``/`` is kept unchanged; otherwise each ``\\`` is doubled, each byte that is not part of valid
UTF-8 becomes ``\\xHH`` (Python's ``backslashreplace``), and ``/`` becomes ``\\x2f``. Every
backslash in a display form therefore starts an escape, and :func:`display_bytes` undoes it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

_ESCAPE = re.compile(r"\\(\\|x[0-9a-f]{2})")


def name_bytes(raw: bytes | str) -> bytes:
    """The name as bytes (pytsk3 gives bytes; a ``str`` is taken as UTF-8, surrogate-escaped)."""
    return raw.encode("utf-8", "surrogateescape") if isinstance(raw, str) else bytes(raw)


def os_name(raw: bytes) -> str:
    """The bytes as the operating system's str (``os.fsdecode`` style) for FUSE and file APIs."""
    return raw.decode("utf-8", "surrogateescape")


def name_escape_reason(raw: bytes | str) -> str | None:
    """Why the display form differs from the bytes, or None when it is the bytes as UTF-8."""
    b = name_bytes(raw)
    try:
        text = b.decode("utf-8")
    except UnicodeDecodeError:
        return "not valid UTF-8"
    if "\\" in text:
        return "contains a backslash"
    if "/" in text:
        return "contains a slash"
    return None


def display_name(raw: bytes | str) -> str:
    """The injective display form of one name (see the module docstring)."""
    return _display(os_name(name_bytes(raw)), "/")


def display_path(raw: bytes | str) -> str:
    """The display form of a path such as a symlink target: as a name, but ``/`` stays ``/``."""
    return _display(os_name(name_bytes(raw)), "")


def _display(text: str, slash: str) -> str:
    if (
        "\\" not in text
        and not (slash and slash in text)
        and not any("\udc80" <= c <= "\udcff" for c in text)
    ):
        return text
    out = []
    for c in text:
        if c == "\\":
            out.append("\\\\")
        elif c == slash:
            out.append("\\x2f")
        elif "\udc80" <= c <= "\udcff":
            out.append(f"\\x{ord(c) - 0xDC00:02x}")
        else:
            out.append(c)
    return "".join(out)


def display_bytes(display: str) -> bytes:
    """The bytes behind a display form (a name or a whole path; ``/`` separators stay ``/``).

    Raises:
        ValueError: a backslash that does not start ``\\\\`` or ``\\xHH`` (not a display form).
    """
    out = bytearray()
    pos = 0
    for m in _ESCAPE.finditer(display):
        out += _plain(display[pos : m.start()])
        esc = m.group(1)
        out += b"\\" if esc == "\\" else bytes([int(esc[1:], 16)])
        pos = m.end()
    out += _plain(display[pos:])
    return bytes(out)


def _plain(text: str) -> bytes:
    if "\\" in text:
        raise ValueError(f"not a display form: lone backslash in {text!r}")
    return text.encode("utf-8", "surrogateescape")


def row_name_bytes(row: Mapping[str, Any]) -> bytes:
    """A case or walk row's name bytes: ``name_raw``, or for rows inventoried before schema 2 (no
    ``name_raw``) the recorded name as UTF-8."""
    raw = row.get("name_raw")
    return bytes(raw) if raw is not None else name_bytes(row["name"])


def text_bytes(text: str, *, display: bool) -> bytes:
    """The bytes of a recorded path, link or name: ``display`` when it is a display form (rows with
    ``name_raw``), else (older rows) plain UTF-8."""
    if display:
        try:
            return display_bytes(text)
        except ValueError:
            pass
    return name_bytes(text)


def printable(text: str) -> str:
    """A display form for one-line text output: control characters as ``\\xHH`` (still injective,
    since a literal backslash is already doubled in the display form)."""
    return "".join(f"\\x{ord(c):02x}" if ord(c) < 0x20 or ord(c) == 0x7F else c for c in text)


def percent_encoded(raw: bytes) -> str:
    """Bytes as body-file text: ``%``, ``|``, control characters and every byte that is not part
    of valid UTF-8 as ``%HH``, which ``mactime`` decodes back to the byte (so its output shows the
    name exactly as it shows ``fls -m``'s) and no ``|`` or line break can break the line."""
    out = []
    for c in os_name(raw):
        o = ord(c)
        if "\udc80" <= c <= "\udcff":
            out.append(f"%{o - 0xDC00:02X}")
        elif c in "%|" or o < 0x20 or o == 0x7F:
            out.append(f"%{o:02X}")
        else:
            out.append(c)
    return "".join(out)
