"""FAT12/16/32 images: ``mkfs.fat`` and mtools."""

from __future__ import annotations

import os
import random
import re
import tempfile
from collections.abc import Sequence
from pathlib import Path

from triage.testing.images.base import (
    DIR,
    FAKE_TIME,
    SECTOR,
    BuiltImage,
    Dir,
    MiB,
    Symlink,
    Tree,
    _all_dirs,
    _check_tree,
    _described,
    _recoverable,
    _run,
    _text,
    require_tools,
)
from triage.testing.images.formats import sample_jpeg

FAT_VOLUME_ID = "1234ABCD"


_FAT_DEFAULT_SIZE = {12: 1 * MiB, 16: 4 * MiB, 32: 34 * MiB}


_SHORT_NAME_RE = re.compile(r"^[A-Za-z0-9_\-~!#$%&'()@^`{}]{1,8}(\.[A-Za-z0-9_\-~!#$%&'()@^`{}]{1,3})?$")


def _fat_has_lfn(name: str) -> bool:
    """True when mtools will store a long file name entry for ``name``."""
    if not _SHORT_NAME_RE.match(name):
        return True
    base, _, ext = name.partition(".")
    return any(s not in (s.upper(), s.lower()) for s in (base, ext))


def make_fat(
    image: Path,
    tree: Tree,
    *,
    fat_bits: int = 16,
    size: int | None = None,
    delete: Sequence[str] = (),
    label: str = "FIXTURE",
    volume_id: str = FAT_VOLUME_ID,
    hidden_sectors: int = 0,
) -> BuiltImage:
    """Create a FAT12/16/32 image holding ``tree`` with mtools, then ``mdel``.

    Deleted files must have a long file name (e.g. more than 8.3 characters
    or a space): for a bare 8.3 entry FAT overwrites the first character on
    delete, and TSK then reports ``_AME.TXT``. FAT32 needs >= 65525 clusters,
    so its default image is 34 MiB (sparse).
    """
    if fat_bits not in _FAT_DEFAULT_SIZE:
        raise ValueError("fat_bits must be 12, 16 or 32")
    require_tools("mkfs.fat", "mcopy", "mmd", "mdel")
    tree = _check_tree(tree, delete)
    for p, v in tree.items():
        if isinstance(v, Symlink):
            raise ValueError(f"FAT has no symbolic links: {p!r}")
    for d in delete:
        if not _fat_has_lfn(d.rsplit("/", 1)[-1]):
            raise ValueError(f"deleted FAT file needs a long name to keep it readable: {d!r}")
    image = Path(image)
    image.parent.mkdir(parents=True, exist_ok=True)
    size = size or _FAT_DEFAULT_SIZE[fat_bits]
    image.unlink(missing_ok=True)
    with open(image, "wb") as fh:
        fh.truncate(size)
    _run(
        [
            "mkfs.fat",
            "-F",
            str(fat_bits),
            "-S",
            str(SECTOR),
            "-s",
            "1",
            "-i",
            volume_id,
            "-n",
            label,
            "-h",
            str(hidden_sectors),
            "--invariant",
            image,
        ]
    )
    img_arg = ["-i", os.fspath(image)]
    dirs = _all_dirs(tree)
    if dirs:
        _run(["mmd", *img_arg, *[f"::{d}" for d in dirs]])
    with tempfile.TemporaryDirectory(prefix="fatsrc-") as tmp:
        src = Path(tmp) / "data"
        for p, v in tree.items():
            if isinstance(v, bytes):
                src.write_bytes(v)
                os.utime(src, (FAKE_TIME, FAKE_TIME))
                _run(["mcopy", *img_arg, "-m", src, f"::{p}"])
    if delete:
        _run(["mdel", *img_arg, *[f"::{d}" for d in delete]])
    img = _described(
        image,
        f"fat{fat_bits}",
        tree,
        delete,
        metadata={"label": label, "volume_id": volume_id},
    )
    img.recoverable_deleted = _recoverable(img, 0)
    return img


def _fat_tree(seed: int = 2, prefix: str = "") -> tuple[dict[str, bytes | Symlink | Dir], list[str]]:
    rng = random.Random(seed)
    p = prefix
    tree: dict[str, bytes | Symlink | Dir] = {
        f"{p}/README.TXT": b"FAT fixture: short 8.3 name.\r\n",
        f"{p}/notes.txt": b"lower-case 8.3 name\r\n",
        f"{p}/Documents/Long File Name Report.txt": b"A long file name stored in VFAT LFN entries.\r\n",
        f"{p}/Documents/Sub Folder/nested.bin": rng.randbytes(40 * 1024),
        f"{p}/Documents/R\u00e9sum\u00e9 na\u00efve.txt": b"non-ASCII long name\r\n",
        f"{p}/Photos/IMG_0001.JPG": sample_jpeg(64, 48, seed=seed),
        f"{p}/Documents/Deleted Long Name.txt": b"deleted with mdel\r\n" + _text(rng, 200),
        f"{p}/Empty Folder": DIR,
    }
    return tree, [f"{p}/Documents/Deleted Long Name.txt"]


def build_fat(dir: Path, fat_bits: int = 16, *, name: str | None = None) -> BuiltImage:
    """FAT12/16/32 with LFNs, sub-directories, a JPEG and one deleted file.

    Deleted: ``/Documents/Deleted Long Name.txt``.
    """
    tree, deleted = _fat_tree()
    return make_fat(
        Path(dir) / (name or f"fat{fat_bits}.img"),
        tree,
        fat_bits=fat_bits,
        delete=deleted,
        label="FATFIXTURE",
    )
