"""ext4 images: ``mke2fs -d`` and ``debugfs``."""

from __future__ import annotations

import os
import random
import re
import shutil
import stat
import tempfile
from collections.abc import Sequence
from pathlib import Path

from triage.testing.images.base import (
    DIR,
    FAKE_TIME,
    BuiltImage,
    Dir,
    MiB,
    Symlink,
    Tree,
    _check_tree,
    _described,
    _recoverable,
    _run,
    _stage,
    _text,
    require_tools,
)

EXT4_UUID = "7a1e0c5e-5eed-4c0f-9e1d-000000000e44"


# Our own mke2fs.conf, so the feature set does not depend on the host's
# /etc/mke2fs.conf (newer distributions enable orphan_file, which older TSK
# releases do not know).
_MKE2FS_CONF = """\
[defaults]
\tbase_features = sparse_super,large_file,filetype,resize_inode,dir_index,ext_attr
\tdefault_mntopts = acl,user_xattr
\tenable_periodic_fsck = 0
\tblocksize = 4096
\tinode_size = 256
\tinode_ratio = 16384

[fs_types]
\text4 = {
\t\tfeatures = has_journal,extent,huge_file,flex_bg,metadata_csum,64bit,dir_nlink,extra_isize
\t}
"""


_LS_P_RE = re.compile(rb"/(\d+)/(\d+)/(\d+)/(\d+)/([^/]*)/(\d*)/\n")


def _debugfs_script(image: Path, script: str) -> None:
    """Run debugfs -w -f SCRIPT; fail if any command reported an error."""
    with tempfile.NamedTemporaryFile(
        "w", suffix=".debugfs", delete=False, encoding="utf-8", errors="surrogateescape"
    ) as fh:
        fh.write(script)
        cmdfile = fh.name
    try:
        proc = _run(["debugfs", "-w", "-f", cmdfile, image])
    finally:
        os.unlink(cmdfile)
    # debugfs keeps going and exits 0 when a command fails; its errors go to
    # stderr, where otherwise there is only the version banner.
    errors = [
        ln
        for ln in proc.stderr.decode("utf-8", "replace").splitlines()
        if ln.strip() and not ln.startswith("debugfs ")
    ]
    if errors:
        raise RuntimeError(f"debugfs on {image} failed: {'; '.join(errors)}")


def _ext4_inodes(image: Path) -> list[int]:
    """Inode numbers of everything below the root (not lost+found), via debugfs."""
    found: list[int] = []
    todo = [2]
    while todo:
        ino = todo.pop(0)
        out = _run(["debugfs", "-R", f"ls -p <{ino}>", image]).stdout
        for m in _LS_P_RE.finditer(out):
            child, mode, name = int(m[1]), int(m[2], 8), m[5]
            if name in (b".", b"..") or child in (0, 11):
                continue
            found.append(child)
            if stat.S_ISDIR(mode):
                todo.append(child)
    return found


def make_ext4(
    image: Path,
    tree: Tree,
    *,
    size: int = 4 * MiB,
    delete: Sequence[str] = (),
    label: str = "fixture",
    uuid: str = EXT4_UUID,
    block_size: int = 1024,
) -> BuiltImage:
    """Create an ext4 image holding ``tree``, then delete ``delete`` with debugfs.

    Deleted paths must be free of double quotes and newlines (debugfs syntax).
    ``debugfs rm`` only clears the bitmaps and sets dtime; the extent tree
    stays, so ``icat`` can normally still read a deleted file.
    """
    require_tools("mke2fs", "debugfs")
    tree = _check_tree(tree, delete)
    for d in delete:
        if '"' in d or "\n" in d:
            raise ValueError(f"cannot delete {d!r} with debugfs (quote/newline)")
    image = Path(image)
    image.parent.mkdir(parents=True, exist_ok=True)
    stage = image.with_name(image.name + ".src")
    conf = image.with_name(image.name + ".mke2fs.conf")
    try:
        _stage(tree, stage)
        conf.write_text(_MKE2FS_CONF)
        image.unlink(missing_ok=True)
        _run(
            [
                "mke2fs",
                "-q",
                "-F",
                "-t",
                "ext4",
                "-b",
                str(block_size),
                "-I",
                "256",
                "-m",
                "0",
                "-L",
                label,
                "-U",
                uuid,
                "-E",
                f"hash_seed={uuid},root_owner=0:0,nodiscard",
                "-d",
                stage,
                image,
                f"{size // 1024}k",
            ],
            env={"MKE2FS_CONFIG": str(conf)},
        )
        # mke2fs -d copies ctime, owner and nanoseconds from the staging
        # files; pin them so the image does not depend on when/who built it.
        cmds = []
        for ino in _ext4_inodes(image):
            for fld in ("atime", "mtime", "ctime"):
                cmds.append(f"sif <{ino}> {fld} @{FAKE_TIME}")
            for fld in ("atime_extra", "mtime_extra", "ctime_extra", "crtime_extra"):
                cmds.append(f"sif <{ino}> {fld} 0")
            cmds.append(f"sif <{ino}> crtime @{FAKE_TIME}")
            cmds.append(f"sif <{ino}> uid 0")
            cmds.append(f"sif <{ino}> gid 0")
        for d in delete:
            cmds.append(f'rm "{d}"')
        _debugfs_script(image, "\n".join(cmds) + "\n")
    finally:
        shutil.rmtree(stage, ignore_errors=True)
        conf.unlink(missing_ok=True)
    img = _described(image, "ext4", tree, delete, metadata={"label": label, "uuid": uuid})
    img.recoverable_deleted = _recoverable(img, 0)
    return img


def _ext4_tree(seed: int = 1) -> tuple[dict[str, bytes | Symlink | Dir], list[str]]:
    rng = random.Random(seed)
    tree: dict[str, bytes | Symlink | Dir] = {
        "/docs/readme.txt": b"This is the ext4 fixture.\n",
        "/docs/file with space.txt": b"a name with spaces\n",
        "/docs/na\u00efve r\u00e9sum\u00e9.txt": "non-ASCII name, UTF-8 content: \u00e9\u00e8\u00ea\n".encode(),
        "/docs/sub/deep/nested.txt": _text(rng, 40),
        "/docs/deleted.txt": b"this file was deleted with debugfs rm\n" + _text(rng, 30),
        "/data/big.bin": rng.randbytes(320 * 1024),
        "/data/small.bin": rng.randbytes(3000),
        "/data/deleted-big.bin": rng.randbytes(48 * 1024),
        "/empty.txt": b"",
        "/emptydir": DIR,
        "/link-to-readme": Symlink("docs/readme.txt"),
    }
    return tree, ["/docs/deleted.txt", "/data/deleted-big.bin"]


def build_ext4(dir: Path, *, name: str = "ext4.img", size: int = 4 * MiB) -> BuiltImage:
    """ext4 with nested dirs, a 320 KiB file, odd names, a symlink and 2 deleted files.

    Deleted: ``/docs/deleted.txt``, ``/data/deleted-big.bin``.
    """
    tree, deleted = _ext4_tree()
    return make_ext4(Path(dir) / name, tree, size=size, delete=deleted, label="ext4fixture")
