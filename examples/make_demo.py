#!/usr/bin/env python3
"""Generate the demo disk image ``examples/demo.raw`` (8 MiB).

    python examples/make_demo.py [--out examples/demo.raw]

Layout: an MBR (disk id 0xde300001) with two partitions:

* partition 1, sector 2048 (1 MiB), 3 MiB, type 0x06: FAT16, label
  ``DEMO-USB``, volume id DE30-0001 -- a "USB stick":
  ``/DCIM/100CANON/IMG_0001.JPG`` (JPEG with Exif make/model/date and GPS),
  ``/DCIM/100CANON/IMG_0002.JPG``, ``/Pictures/diagram.png``,
  ``/Pictures/holiday.jpg`` (extension lies: it is a ZIP archive),
  ``/Documents/Quarterly Report.pdf``, ``/Documents/Project Plan.docx``,
  ``/Documents/meeting notes.txt``; deleted with ``mdel``:
  ``/Documents/Deleted Meeting Minutes.txt`` (contains
  ``CONFIDENTIAL-PROJECT-NIGHTJAR``) and ``/Documents/Old Draft Letter.txt``.
* partition 2, sector 8192 (4 MiB), 4 MiB, type 0x83: ext4, label
  ``demo-home`` -- a "home partition":
  ``/home/alice/contacts.txt`` (``someone@gmail.com`` and the bitcoin
  address ``1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2``),
  ``/home/alice/projects/nightjar/brief.txt`` (``CONFIDENTIAL-PROJECT-NIGHTJAR``),
  ``/home/alice/notes.txt``, ``/home/alice/.bash_history``,
  ``/home/alice/Pictures/cat.png``, ``/home/alice/Pictures/sunset.jpg``,
  ``/home/alice/Downloads/archive.zip``, ``/home/alice/Downloads/backup.tar.gz``,
  ``/home/alice/Downloads/invoice.pdf``, ``/var/log/auth.log``, the symlink
  ``/home/alice/latest-notes`` -> ``notes.txt``; deleted with ``debugfs rm``:
  ``/home/alice/Documents/resignation draft.txt`` and
  ``/home/alice/Documents/plans.txt``.

Every deleted file can still be read back with ``icat``. The content comes
from :func:`fixtures.demo.build_demo` (``tests/fixtures/demo.py``), which returns the complete
expected listing (files, deleted files, partition offsets).

Determinism: running the script twice gives a byte-identical image. Times
are pinned with ``E2FSPROGS_FAKE_TIME``/``SOURCE_DATE_EPOCH`` (mtools) and
``debugfs set_inode_field``; ``mkfs.fat --invariant`` and fixed volume ids,
UUIDs, ext4 hash seed and MBR disk id remove the random values; ZIP, tar.gz
and docx members carry fixed dates. Across machines the image can still
differ if the tools differ: another e2fsprogs/dosfstools/mtools release
may lay out metadata differently, and another zlib build may compress the
PNG/ZIP/tar.gz members differently.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for path in (ROOT, ROOT / "tests"):  # the source tree, and its test fixtures (not in the wheel)
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from fixtures import ToolMissing, build_demo  # noqa: E402

MAX_SIZE = 12 * 1024 * 1024


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Generate the triage demo disk image.")
    ap.add_argument("--out", type=Path, default=ROOT / "examples" / "demo.raw", help="output file")
    args = ap.parse_args(argv)
    try:
        img = build_demo(args.out)
    except ToolMissing as exc:
        print(f"make_demo: {exc} (install e2fsprogs, dosfstools, mtools, fdisk)", file=sys.stderr)
        return 2
    size = img.path.stat().st_size
    if size > MAX_SIZE:
        print(f"make_demo: {img.path} is {size} bytes, more than {MAX_SIZE}", file=sys.stderr)
        return 1
    digest = hashlib.sha256(img.path.read_bytes()).hexdigest()
    print(f"{img.path}: {size} bytes, sha256 {digest}")
    for vol in img.volumes:
        print(
            f"  {vol.kind} at byte {vol.partitions[0]} (sector {vol.partitions[0] // 512}): "
            f"{len(vol.files)} files, deleted: {', '.join(vol.deleted)}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
