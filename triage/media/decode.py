"""Pillow decoding of one picture: a thumbnail and the EXIF fields an examiner asks for first.

These functions parse hostile bytes. They run in the decoder child processes of
:mod:`triage.media.pool`, never in the GUI process; a decompression bomb is refused before its
pixels are decoded (:data:`MAX_PIXELS`), and the child's memory is capped.
"""

from __future__ import annotations

import io
import re
import warnings
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

MAX_EDGE = 160
"""A thumbnail's longest side, in pixels."""
MAX_PIXELS = 64_000_000
"""Pictures with more pixels are not decoded (Pillow's ``MAX_IMAGE_PIXELS``; about 8000 × 8000)."""


class DecodeError(Exception):
    """The picture could not be decoded; the message says why, in one line."""


@dataclass(frozen=True)
class Decoded:
    """A thumbnail as PNG bytes and the picture it was made from."""

    width: int
    height: int
    png: bytes
    format: str
    source_width: int
    source_height: int


@dataclass(frozen=True)
class PictureExif:
    """Camera, original time and position from a picture's EXIF (None: not recorded).

    ``taken`` is DateTimeOriginal as the camera wrote it (``YYYY:MM:DD HH:MM:SS``, local time of
    the camera, no zone); ``latitude``/``longitude`` are decimal degrees, south and west negative.
    """

    make: str | None = None
    model: str | None = None
    taken: str | None = None
    latitude: float | None = None
    longitude: float | None = None

    @property
    def empty(self) -> bool:
        return all(v is None for v in (self.make, self.model, self.taken, self.latitude, self.longitude))


def _one_line(exc: BaseException) -> str:
    text = re.sub(r"\s*<_io\.BytesIO object at 0x[0-9a-f]+>", "", " ".join(str(exc).split()))
    return text or type(exc).__name__


def _open(data: bytes) -> Any:
    from PIL import Image

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        return Image.open(io.BytesIO(data))
    except Image.DecompressionBombError as exc:
        raise DecodeError(f"not decoded: {_one_line(exc)}") from None
    except Exception as exc:
        raise DecodeError(f"not a picture Pillow can read: {_one_line(exc)}") from None


def make_thumbnail(data: bytes, max_edge: int = MAX_EDGE) -> Decoded:
    """A PNG thumbnail of ``data`` no larger than ``max_edge`` on either side (EXIF orientation
    applied; the first frame of an animation).

    Raises:
        DecodeError: not a picture, damaged (a truncated JPEG included: no partial pictures),
            or more than :data:`MAX_PIXELS` pixels.
    """
    from PIL import Image, ImageOps

    im = _open(data)
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with im:
                fmt, (sw, sh) = str(im.format or "?"), im.size
                if sw * sh > MAX_PIXELS:
                    raise DecodeError(f"not decoded: {sw} × {sh} pixels is more than {MAX_PIXELS:,}")
                im.thumbnail((max_edge, max_edge))  # JPEG: decoded at a reduced scale (draft)
                small = ImageOps.exif_transpose(im) or im
                if small.mode not in ("RGB", "RGBA", "L", "LA"):
                    has_alpha = "A" in small.mode or "transparency" in small.info
                    small = small.convert("RGBA" if has_alpha else "RGB")
                buf = io.BytesIO()
                small.save(buf, "PNG")
                return Decoded(small.width, small.height, buf.getvalue(), fmt, sw, sh)
        except DecodeError:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise DecodeError(f"not decoded: {_one_line(exc)}") from None
        except MemoryError:
            raise DecodeError("not decoded: the picture needs more memory than the decoder may use") from None
        except Exception as exc:
            raise DecodeError(f"damaged picture, cannot decode it: {_one_line(exc)}") from None


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    text = str(value).replace("\x00", "").strip()
    return text or None


def _degrees(dms: Any, ref: Any) -> float | None:
    try:
        parts = [
            Fraction(x.numerator, x.denominator) if hasattr(x, "denominator") else Fraction(x) for x in dms
        ]
        if len(parts) != 3:
            return None
        value = float(parts[0] + parts[1] / 60 + parts[2] / 3600)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    return -value if _text(ref) in ("S", "W") else value


def picture_exif(data: bytes) -> PictureExif:
    """The EXIF camera make and model, DateTimeOriginal and GPS position of ``data``.

    Raises:
        DecodeError: not a picture Pillow can read.
    """
    from PIL import ExifTags

    im = _open(data)
    try:
        with im:
            exif = im.getexif()
            sub = exif.get_ifd(ExifTags.IFD.Exif)
            gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    except Exception as exc:
        raise DecodeError(f"damaged EXIF: {_one_line(exc)}") from None
    lat = _degrees(gps.get(2), gps.get(1)) if gps.get(2) is not None else None
    lon = _degrees(gps.get(4), gps.get(3)) if gps.get(4) is not None else None
    return PictureExif(
        make=_text(exif.get(0x010F)),
        model=_text(exif.get(0x0110)),
        taken=_text(sub.get(0x9003)),
        latitude=lat,
        longitude=lon,
    )
