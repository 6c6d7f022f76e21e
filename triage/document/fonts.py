"""The fonts documents embed, found by path (Debian's font packages); a missing one is a clear
error naming the package, and ``triage doctor`` lists them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from triage.errors import UsageError


@dataclass(frozen=True)
class FontFile:
    role: str  # sans, sans-bold, arabic, arabic-bold, cjk, mono
    candidates: tuple[str, ...]
    package: str
    collection_index: int = 0  # face in a .ttc collection (Noto Sans CJK: 2 = Simplified Chinese)


_NOTO = "/usr/share/fonts/truetype/noto/"
_CJK = "/usr/share/fonts/opentype/noto/"
_DEJAVU = "/usr/share/fonts/truetype/dejavu/"

FONTS: tuple[FontFile, ...] = (
    FontFile("sans", (_NOTO + "NotoSans-Regular.ttf",), "fonts-noto-core"),
    FontFile("sans-bold", (_NOTO + "NotoSans-Bold.ttf",), "fonts-noto-core"),
    FontFile("arabic", (_NOTO + "NotoNaskhArabic-Regular.ttf",), "fonts-noto-core"),
    FontFile("arabic-bold", (_NOTO + "NotoNaskhArabic-Bold.ttf",), "fonts-noto-core"),
    FontFile("cjk", (_CJK + "NotoSansCJK-Regular.ttc",), "fonts-noto-cjk", 2),
    FontFile("mono", (_DEJAVU + "DejaVuSansMono.ttf",), "fonts-dejavu-core"),
)


class FontMissing(UsageError):
    """A font file documents need is not installed."""


def font_path(font: FontFile) -> Path | None:
    return next((Path(c) for c in font.candidates if Path(c).is_file()), None)


def resolve() -> dict[str, tuple[Path, int]]:
    """Every role's file and collection index; :class:`FontMissing` for the first one absent."""
    found: dict[str, tuple[Path, int]] = {}
    for font in FONTS:
        path = font_path(font)
        if path is None:
            raise FontMissing(
                f"font {font.candidates[0]} not found: install the Debian package {font.package}"
            )
        found[font.role] = (path, font.collection_index)
    return found


def status() -> list[dict[str, object]]:
    """For ``triage doctor``: each font, its path (or None) and package."""
    return [
        {"role": f.role, "path": str(p) if (p := font_path(f)) else None, "package": f.package} for f in FONTS
    ]
