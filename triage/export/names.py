"""Safe, distinct bundle names for exported files.

The original name stays verbatim in the inventory and the CASE graph; the bundle name is
``A0001_<safe>``: ASCII letters, digits, ``.``, ``_`` and ``-`` only, no leading dot or dash,
no trailing dot, bounded length. The numbered prefix makes names distinct and keeps
reserved Windows names (``CON``, ``aux.txt``) from standing alone.
"""

from __future__ import annotations

import re
import unicodedata

MAX_STEM = 80
MAX_EXT = 16
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def safe_name(name: str) -> str:
    """An ASCII, traversal-free version of one file name (never empty)."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1] if name else ""
    text = "".join(c for c in unicodedata.normalize("NFKD", base) if not unicodedata.combining(c))
    text = text.encode("ascii", "replace").decode("ascii").replace("?", "_")
    stem, dot, ext = text.rpartition(".")
    if dot and not stem.strip("._- "):  # a dot file: ".bashrc" -> "bashrc"
        stem, ext = ext, ""
    if not dot or not re.fullmatch(rf"[A-Za-z0-9]{{1,{MAX_EXT}}}", ext):
        stem, ext = text, ""
    stem = re.sub(r"_+", "_", _UNSAFE.sub("_", stem))
    stem = re.sub(r"\.{2,}", ".", stem).strip("._- ")[:MAX_STEM].rstrip("._- ") or "unnamed"
    return f"{stem}.{ext}" if ext else stem


def artifact_id(index: int, width: int) -> str:
    """``A0001`` style id (1-based ``index``; ``width`` digits, at least 4)."""
    return f"A{index:0{max(4, width)}d}"


def bundle_name(index: int, width: int, original: str) -> str:
    """``A0001_<safe name>``."""
    return f"{artifact_id(index, width)}_{safe_name(original)}"


def folder_name(text: str) -> str:
    """A safe folder name for the bag itself (from the request reference and exhibit)."""
    return safe_name(text).replace(".", "_")
