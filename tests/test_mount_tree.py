"""The mounted tree without FUSE: layout, name clashes, partition choice, case vs evidence, block reads."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import fixtures
import pytest

from triage.errors import UsageError
from triage.evidence import open_image
from triage.mount.build import build_tree
from triage.mount.reader import ContentReader
from triage.mount.tree import PartitionSpec, Tree, TreeBuilder, safe_name


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, fixtures.BuiltImage]:
    d = tmp_path_factory.mktemp("mount-tree")
    try:
        return {"ext4": fixtures.build_ext4(d), "mbr": fixtures.build_mbr(d)}
    except fixtures.ToolMissing as exc:
        pytest.skip(str(exc))


def _row(
    path: str,
    inode: int,
    *,
    type: str = "r",
    deleted: bool = False,
    size: int = 3,
    stream: str | None = None,
    **kw: object,
) -> dict[str, object]:
    parent, _, name = path.rpartition("/")
    return {
        "path": path,
        "name": name,
        "parent_path": parent or "/",
        "inode": inode,
        "type": type,
        "deleted": deleted,
        "orphan": path.startswith("/$OrphanFiles/"),
        "size": size,
        "stream": stream,
        "attr_type": None,
        "attr_id": None,
        "mtime": 1000 + inode,
        "atime": 2000,
        "ctime": 3000,
        "crtime": 4000,
        **kw,
    }


def _listing(tree: Tree) -> dict[str, tuple[str, int]]:
    return {p: (n.kind, n.size) for p, n in tree.paths()}


def test_clashes_stay_distinct_and_deleted_go_under_deleted() -> None:
    rows = [
        _row("/docs", 10, type="d"),
        _row("/docs/a.txt", 11),  # allocated
        _row("/docs/a.txt", 12, deleted=True),  # deleted, same name: goes to $deleted
        _row("/docs/a.txt", 13, deleted=True),  # a second deleted version: ~13
        _row("/old", 20, type="d", deleted=True),  # deleted folder with a child
        _row("/old/x.bin", 21),  # allocated flag, but its folder is deleted
        _row("/docs/b.txt", 22, stream="ads"),  # a stream is a file even if named like one
        _row("/$OrphanFiles", 30, type="V"),
        _row("/$OrphanFiles/OrphanFile-31", 31, deleted=True),
        _row("/weird", 40, name="a/b"),  # a slash in a name cannot be shown as such
    ]
    builder = TreeBuilder(1 << 20)
    builder.add_partition(PartitionSpec(0, 0, 1 << 20, "ext4"), rows)
    tree = builder.tree
    listing = _listing(tree)
    assert listing["/image.raw"] == ("file", 1 << 20)
    assert listing["/p0_0_ext4/docs/a.txt"] == ("file", 3)
    assert tree.lookup("/p0_0_ext4/docs/a.txt").info["inode"] == "11"
    assert tree.lookup("/p0_0_ext4/$deleted/docs/a.txt").info["inode"] == "12"
    assert tree.lookup("/p0_0_ext4/$deleted/docs/a.txt~13").info["inode"] == "13"
    assert tree.lookup("/p0_0_ext4/$deleted/docs").kind == "dir"
    assert tree.lookup("/p0_0_ext4/$deleted/docs").info["inode"] == "10"  # mirrors the allocated folder
    assert tree.lookup("/p0_0_ext4/$deleted/old/x.bin").info["inode"] == "21"
    assert tree.lookup("/p0_0_ext4/old") is None
    assert tree.lookup("/p0_0_ext4/$deleted/$OrphanFiles/OrphanFile-31").info["orphan"] == "1"
    assert tree.lookup("/p0_0_ext4/$OrphanFiles") is None
    assert tree.lookup("/p0_0_ext4/a\\x2fb").info["path"] == "/weird"
    assert tree.stats["renamed"] == 1
    assert tree.stats["deleted"] == 6
    assert tree.lookup("/p0_0_ext4/docs/a.txt").mtime == 1011


def test_safe_name() -> None:
    assert safe_name("a/b\x00c", 5) == "a\\x2fb\\x00c"
    assert safe_name("", 7) == "~7"
    assert safe_name("..", None) == "..~noinode"


def test_layout_from_evidence_mbr(built: dict[str, fixtures.BuiltImage]) -> None:
    img = built["mbr"]
    image = open_image(img.path)
    tree, summary = build_tree(image)
    top = sorted(tree.root.children or {})
    assert top == ["image.raw", "p0_1048576_fat16", "p1_4194304_ext4"]
    assert summary["inventory"] == "evidence"
    for path in img.files:  # every allocated file of the fixture, in the partition that holds it
        folder = "p0_1048576_fat16" if path.startswith("/FAT/") else "p1_4194304_ext4"
        node = tree.lookup(f"/{folder}{path}")
        assert node is not None and node.size == len(img.files[path]), path
    for path in img.deleted:
        folder = "p0_1048576_fat16" if path.startswith("/FAT/") else "p1_4194304_ext4"
        assert tree.lookup(f"/{folder}/$deleted{path}") is not None, path
        assert tree.lookup(f"/{folder}{path}") is None, path
    only, _ = build_tree(image, partition=1)
    assert sorted(only.root.children or {}) == ["image.raw", "p1_4194304_ext4"]
    raw, _ = build_tree(image, raw=True)
    assert sorted(raw.root.children or {}) == ["image.raw"]
    with pytest.raises(UsageError, match="no partition 5"):
        build_tree(image, partition=5)
    image.close()


def test_reader_blocks_equal_icat(built: dict[str, fixtures.BuiltImage]) -> None:
    """Reads in odd sizes across block borders give icat's bytes; blocks are cached."""
    img = built["ext4"]
    image = open_image(img.path)
    tree, _ = build_tree(image)
    reader = ContentReader(image, block=4096, cache_blocks=4)
    node = tree.lookup("/p0_0_ext4/data/big.bin")
    assert node is not None
    expected = subprocess.run(
        ["icat", str(img.path), node.info["inode"]], capture_output=True, check=True
    ).stdout
    got, pos = [], 0
    while chunk := reader.read(node, pos, 10_001):
        got.append(chunk)
        pos += len(chunk)
    assert hashlib.sha256(b"".join(got)).hexdigest() == hashlib.sha256(expected).hexdigest()
    assert pos == node.size == 327680
    assert reader.read(node, 4000, 200) == expected[4000:4200]  # a block still in the cache
    assert reader.stats["cache_hits"] >= 1
    assert reader.read(node, node.size, 10) == b""
    whole = tree.lookup("/image.raw")
    assert reader.read(whole, 1024, 512) == Path(img.path).read_bytes()[1024:1536]
    image.close()


def test_case_inventory_gives_the_same_tree(built: dict[str, fixtures.BuiltImage], tmp_path: Path) -> None:
    from triage.case.store import Case

    img = built["mbr"]
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "triage",
            "scan",
            str(img.path),
            "--case",
            str(tmp_path / "case"),
            "--analyzers",
            "hashes",
            "--workers",
            "1",
        ],
        capture_output=True,
        text=True,
    )
    if proc.returncode not in (0, 1):
        pytest.fail(proc.stderr)
    image = open_image(img.path)
    direct, _ = build_tree(image)
    with Case.open(tmp_path / "case") as case:
        from_case, summary = build_tree(image, case=case)
    assert summary["inventory"].startswith("case")
    assert _listing(from_case) == _listing(direct)
    node = from_case.lookup("/p1_4194304_ext4/docs/readme.txt")
    assert node is not None
    assert node.info["sha256"] == hashlib.sha256(img.files["/docs/readme.txt"]).hexdigest()
    image.close()
