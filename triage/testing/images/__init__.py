"""The public testing kit's fixture images, built with the real file-system tools.

Every ``build_*`` function takes a target directory and returns a
:class:`BuiltImage` that describes what it wrote: the image file(s), the byte
offsets of the file systems inside it and the expected content of every file,
so tests can compare what the triage engine reports with the truth.

One module per subject: :mod:`.base` (the result type, running tools, the TSK
oracle helpers, file trees), :mod:`.ext4`, :mod:`.fat`, :mod:`.ntfs` and
:mod:`.formats` (sample file content). This is what plugin authors need and it
ships in the wheel; the builders only triage's own tests use (partition tables,
split raw and E01, scenarios, the demo disk) live in ``tests/fixtures`` of the
source tree.

Nothing here needs root or mounting. Images are made with ``mke2fs -d`` and
``debugfs`` (ext4), ``mkfs.fat`` + mtools (FAT) and ``mkntfs`` + ``ntfscp``
(NTFS).

NTFS directories and deletions: ntfsprogs has no ``mkdir``/``rm`` tool, so
:mod:`.ntfs` calls ``ntfs_create()``/``ntfs_delete()`` of libntfs-3g (the
library behind ``ntfscp``) through :mod:`ctypes`. That opens the image file
directly, like ``ntfscp`` does -- no kernel mount, no FUSE. When the library
cannot be loaded, :func:`build_ntfs` keeps its files at the root and deletes
nothing (``kind`` says which one you got).

The package uses only the standard library (no pytest import), so a pytest
plugin can import it. A missing tool raises :class:`ToolMissing`; tests turn
that into a skip.

Determinism: times come from :data:`FAKE_TIME` (``E2FSPROGS_FAKE_TIME``,
``SOURCE_DATE_EPOCH`` for mtools, ``mkfs.fat --invariant``), UUIDs, volume
ids and hash seeds are fixed, and generated content comes from seeded
``random.Random`` instances. ext4 and FAT images are byte-identical from one
run to the next. NTFS images are not: ``mkntfs`` draws a random volume serial
number and ``ntfscp`` stamps the current time.
"""

from __future__ import annotations

from triage.testing.images.base import (
    DIR,
    FAKE_TIME,
    SECTOR,
    BuiltImage,
    Dir,
    FlsEntry,
    MiB,
    Symlink,
    ToolMissing,
    Tree,
    require_tools,
    tsk_cat,
    tsk_list,
)
from triage.testing.images.ext4 import EXT4_UUID, build_ext4, make_ext4
from triage.testing.images.fat import FAT_VOLUME_ID, build_fat, make_fat
from triage.testing.images.formats import (
    sample_docx,
    sample_evtx,
    sample_jpeg,
    sample_pdf,
    sample_png,
    sample_registry_hive,
    sample_targz,
    sample_zip,
)
from triage.testing.images.ntfs import build_ntfs, make_ntfs, ntfs_can_edit

__all__ = [
    "DIR",
    "EXT4_UUID",
    "FAT_VOLUME_ID",
    "FAKE_TIME",
    "MiB",
    "SECTOR",
    "BuiltImage",
    "Dir",
    "FlsEntry",
    "Symlink",
    "ToolMissing",
    "Tree",
    "build_ext4",
    "build_fat",
    "build_ntfs",
    "make_ext4",
    "make_fat",
    "make_ntfs",
    "ntfs_can_edit",
    "require_tools",
    "sample_docx",
    "sample_evtx",
    "sample_jpeg",
    "sample_pdf",
    "sample_png",
    "sample_registry_hive",
    "sample_targz",
    "sample_zip",
    "tsk_cat",
    "tsk_list",
]
