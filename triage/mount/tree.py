"""The mounted tree: which names the mount shows and where each one's bytes come from.

Built once, in memory, from an inventory (a walk of the evidence or a case's ``files``
table, which hold the same rows in the same depth-first order). Nothing here touches FUSE,
so the layout is testable on machines without it.

Layout::

    image.raw                      the whole media, as ewfmount shows it
    p0_1048576_fat16/              one folder per partition: index, byte offset, file system
        Documents/report.txt       allocated entries, as the file system has them
        readme.txt:hidden          NTFS alternate data streams as ``name:stream``
        $deleted/                  deleted and orphan entries under their recovered paths
            Documents/old.txt
            $OrphanFiles/OrphanFile-42
    p1_4194304_nofs.raw            a partition with no file system recognised: its raw bytes
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from triage.evidence.names import name_escape_reason, os_name, text_bytes

DELETED_DIR = "$deleted"
IMAGE_NAME = "image.raw"
ORPHAN_DIR = "/$OrphanFiles"
_SPECIAL_TYPES = {"p", "c", "b", "s", "h", "w"}  # fifos, devices, sockets …: shown as empty files


@dataclass(frozen=True, slots=True)
class FileSource:
    """Content of one file system entry: ``icat -o OFFSET IMAGE INODE[-TYPE-ID]``."""

    partition_offset: int
    inode: int
    attr_type: int | None = None
    attr_id: int | None = None


@dataclass(frozen=True, slots=True)
class ExtentSource:
    """Content of a carved file: its ``extent`` runs in the partition (``dd``/``blkcat``)."""

    partition_offset: int
    extent: tuple[tuple[int, int], ...]


@dataclass(frozen=True, slots=True)
class ImageSlice:
    """A byte range of the media (the whole image, or a partition with no file system)."""

    offset: int
    length: int


@dataclass(frozen=True, slots=True)
class DecryptedSlice:
    """The decrypted stream of the encrypted volume at ``offset`` of the media (unlocked in this process)."""

    offset: int
    length: int


@dataclass(eq=False, slots=True)
class Node:
    """One name in the mount. ``kind`` is ``dir``, ``file`` or ``link``."""

    id: int
    name: str
    kind: str
    size: int = 0
    mtime: int = 0
    atime: int = 0
    ctime: int = 0
    crtime: int = 0
    source: FileSource | ExtentSource | ImageSlice | DecryptedSlice | None = None
    link: str | None = None
    children: dict[str, Node] | None = None
    info: dict[str, str] = field(default_factory=dict)
    """Facts shown as ``user.triage.*`` extended attributes (original path, inode, deleted …)."""


@dataclass(frozen=True)
class PartitionSpec:
    """What the tree needs to know about a partition (from ``PartitionInfo`` or a case row)."""

    index: int
    offset: int
    length: int
    fs_type: str | None
    error: str | None = None

    @property
    def folder_name(self) -> str:
        return f"p{self.index}_{self.offset}_{self.fs_type}"

    @property
    def raw_name(self) -> str:
        return f"p{self.index}_{self.offset}_nofs.raw"


class Tree:
    """All nodes by id (the id is the FUSE file handle) and lookup by mount path."""

    def __init__(self) -> None:
        self.nodes: list[Node] = []
        self.root = self._new("", "dir")
        self.stats = {"files": 0, "dirs": 0, "links": 0, "deleted": 0, "streams": 0, "renamed": 0}

    def _new(self, name: str, kind: str, **kw: Any) -> Node:
        node = Node(id=len(self.nodes), name=name, kind=kind, **kw)
        if kind == "dir":
            node.children = {}
        self.nodes.append(node)
        return node

    def lookup(self, path: str) -> Node | None:
        """The node at a mount path such as ``/p0_0_ext4/docs/readme.txt``."""
        node = self.root
        for part in path.split("/"):
            if not part:
                continue
            if node.children is None:
                return None
            child = node.children.get(part)
            if child is None:
                return None
            node = child
        return node

    def add(self, parent: Node, name: str, kind: str, *, unique_suffix: str = "", **kw: Any) -> Node:
        """Add a child; a name already taken gets ``~INODE`` (then ``.2``, ``.3`` …) appended."""
        assert parent.children is not None
        final = name
        if final in parent.children:
            self.stats["renamed"] += 1
            base = f"{name}~{unique_suffix}" if unique_suffix else f"{name}~"
            final, n = base, 1
            while final in parent.children:
                n += 1
                final = f"{base}.{n}"
        node = self._new(final, kind, **kw)
        parent.children[final] = node
        return node

    def paths(self) -> Iterable[tuple[str, Node]]:
        """Every (mount path, node), depth first."""
        stack = [("", self.root)]
        while stack:
            path, node = stack.pop()
            yield path or "/", node
            for name, child in sorted((node.children or {}).items(), reverse=True):
                stack.append((f"{path}/{name}", child))


def safe_name(name: str, inode: int | None) -> str:
    """A name FUSE can carry: ``/`` and NUL shown as ``\\x2f`` / ``\\x00``; empty names get ``~INODE``."""
    cleaned = name.replace("/", "\\x2f").replace("\x00", "\\x00")
    if cleaned in ("", ".", ".."):
        cleaned = f"{cleaned}~{inode if inode is not None else 'noinode'}"
    return cleaned


def mount_name(row: Mapping[str, Any]) -> str:
    """The entry's name as the mount shows it: its bytes (surrogate-escaped str, which FUSE turns back into
    the bytes), not the display form; rows inventoried before schema 2 carry only the recorded name."""
    if row.get("name_raw") is not None:
        return os_name(bytes(row["name_raw"]))
    return str(row.get("name") or posixpath.basename(row["path"]))


def _basename(path: str) -> str:
    """The last name of a display-form folder path, as bytes for the mount."""
    return os_name(text_bytes(posixpath.basename(path), display=True))


def _iso(ts: int) -> str:
    try:
        return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    except (OverflowError, OSError, ValueError):
        return str(ts)


def _times(row: Mapping[str, Any]) -> dict[str, Any]:
    return {k: int(row.get(k) or 0) for k in ("mtime", "atime", "ctime", "crtime")}


class TreeBuilder:
    """Adds the image file and one folder per partition to a :class:`Tree`."""

    def __init__(self, media_size: int, media_times: Mapping[str, int] | None = None) -> None:
        self.tree = Tree()
        self._media_times: dict[str, Any] = dict(media_times or {})
        self.tree.root.mtime = self._media_times.get("mtime", 0)
        self.tree.root.atime = self._media_times.get("atime", 0)
        self.tree.root.ctime = self._media_times.get("ctime", 0)
        self.tree.add(
            self.tree.root,
            IMAGE_NAME,
            "file",
            size=media_size,
            source=ImageSlice(0, media_size),
            info={"source": "whole media"},
            **self._media_times,
        )

    def add_raw_partition(self, part: PartitionSpec) -> Node:
        """A partition whose file system libtsk does not know: its bytes as one file."""
        info = {"partition": str(part.index), "offset": str(part.offset)}
        if part.error:
            info["error"] = part.error
        return self.tree.add(
            self.tree.root,
            part.raw_name,
            "file",
            size=part.length,
            source=ImageSlice(part.offset, part.length),
            info=info,
            **self._media_times,
        )

    def add_decrypted(self, part: PartitionSpec, scheme: str, length: int) -> Node:
        """The decrypted stream of an unlocked volume, as one flat file beside the partition folders."""
        return self.tree.add(
            self.tree.root,
            f"p{part.index}_{part.offset}_{scheme}_decrypted.raw",
            "file",
            size=length,
            source=DecryptedSlice(part.offset, length),
            info={"partition": str(part.index), "offset": str(part.offset), "source": f"decrypted {scheme}"},
            **self._media_times,
        )

    def add_partition(
        self,
        part: PartitionSpec,
        rows: Iterable[Mapping[str, Any]],
        root_times: Mapping[str, int] | None = None,
    ) -> Node:
        """One partition folder from inventory rows in walk (depth-first) order.

        Each row has the keys of :class:`triage.evidence.walk.Entry` (or a case ``files`` row).
        """
        tree = self.tree
        rtimes: dict[str, Any] = dict(root_times or {})
        pdir = tree.add(
            tree.root,
            part.folder_name,
            "dir",
            info={"partition": str(part.index), "offset": str(part.offset), "fs_type": str(part.fs_type)},
            **rtimes,
        )
        droot = tree.add(pdir, DELETED_DIR, "dir", info={"note": "deleted and orphan entries"}, **rtimes)
        # The folder node each original path currently stands for, and whether it lives under $deleted.
        latest: dict[str, tuple[Node, bool]] = {"/": (pdir, False)}
        allocated: dict[str, Node] = {"/": pdir}
        mirrors: dict[str, Node] = {"/": droot}
        dir_names: dict[str, str] = {}  # folder path -> its name as the mount shows it (the name's bytes)

        def mirror(path: str) -> Node:
            """The folder under $deleted standing for an allocated (or unseen) folder ``path``."""
            if path in mirrors:
                return mirrors[path]
            parent = mirror(posixpath.dirname(path) or "/")
            orig = allocated.get(path)
            kw: dict[str, Any] = (
                {k: getattr(orig, k) for k in ("mtime", "atime", "ctime", "crtime")} if orig else {}
            )
            info = dict(orig.info) if orig else {"path": path, "note": "parent folder not in the inventory"}
            node = tree.add(
                parent,
                safe_name(dir_names.get(path) or _basename(path), None),
                "dir",
                unique_suffix=info.get("inode", ""),
                info=info,
                **kw,
            )
            mirrors[path] = node
            return node

        for row in rows:
            path = row["path"]
            parent_path = row.get("parent_path") or "/"
            parent, parent_deleted = latest.get(parent_path, (None, True))
            gone = (
                bool(row.get("deleted"))
                or bool(row.get("orphan"))
                or parent_deleted
                or (path == ORPHAN_DIR or path.startswith(ORPHAN_DIR + "/"))
            )
            if gone and not parent_deleted or parent is None:
                parent = mirror(parent_path)
            node = self._add_entry(parent, part, row, gone)
            if node.kind == "dir":
                dir_names[path] = mount_name(row)
                latest[path] = (node, gone)
                if not gone:
                    allocated[path] = node
        return pdir

    def _add_entry(self, parent: Node, part: PartitionSpec, row: Mapping[str, Any], gone: bool) -> Node:
        tree = self.tree
        etype = row.get("type") or "-"
        stream = row.get("stream")
        inode = row.get("inode")
        info = {
            "path": row["path"],
            "inode": "" if inode is None else str(inode),
            "type": etype,
            "deleted": "1" if row.get("deleted") else "0",
            "orphan": "1" if row.get("orphan") else "0",
            "partition": str(part.index),
        }
        if row.get("attr_type") is not None:
            info["attr"] = f"{row['attr_type']}-{row['attr_id']}"
        for key in ("uid", "gid", "id", "sha256", "md5"):
            if row.get(key) is not None:
                info["file_id" if key == "id" else key] = str(row[key])
        if row.get("mode") is not None:
            info["mode"] = oct(int(row["mode"]))
        if row.get("crtime"):
            info["crtime"] = _iso(int(row["crtime"]))
        suffix = "" if inode is None else str(inode)
        name = safe_name(mount_name(row), inode)
        if row.get("name_raw") is not None and name_escape_reason(row["name_raw"]):
            info["name_escaped"] = (
                f"{name_escape_reason(row['name_raw'])}; bytes {bytes(row['name_raw']).hex()}"
            )
        times = _times(row)
        if gone:
            tree.stats["deleted"] += 1
        if etype in ("d", "V") and not stream:
            tree.stats["dirs"] += 1
            return tree.add(
                parent, name, "dir", unique_suffix=suffix, size=int(row.get("size") or 0), info=info, **times
            )
        if etype == "l" and row.get("link") and not stream:
            tree.stats["links"] += 1
            target = os_name(text_bytes(str(row["link"]), display=row.get("name_raw") is not None))
            return tree.add(
                parent,
                name,
                "link",
                unique_suffix=suffix,
                size=len(target.encode("utf-8", "surrogateescape")),
                link=target,
                info=info,
                **times,
            )
        tree.stats["files"] += 1
        tree.stats["streams"] += 1 if stream else 0
        size = int(row.get("size") or 0)
        source: FileSource | ExtentSource | None = None
        if row.get("origin") == "carved" and row.get("extent"):
            source = ExtentSource(part.offset, tuple((int(o), int(n)) for o, n in row["extent"]))
        elif etype in _SPECIAL_TYPES and not stream:
            size = 0  # a fifo or device has no content to read; the real type is in user.triage.type
        elif inode is not None and row.get("readable", True):
            source = FileSource(part.offset, int(inode), row.get("attr_type"), row.get("attr_id"))
        else:
            size = 0  # nothing to read (e.g. an NTFS record without $DATA: icat fails too)
        if stream and row.get("attr_type") is not None:
            suffix = f"{suffix}-{row['attr_type']}-{row['attr_id']}"
        return tree.add(
            parent, name, "file", unique_suffix=suffix, size=size, source=source, info=info, **times
        )


FlatNode = tuple[Any, ...]
"""One node as :meth:`Tree.to_flat` gives it (no nesting: a deep tree pickles without recursion)."""


def tree_to_flat(tree: Tree) -> tuple[list[FlatNode], dict[str, int]]:
    """Every node by id, its children as ``(name, id)`` pairs in order, and the tree's counts."""
    flat: list[FlatNode] = []
    for n in tree.nodes:
        children = None if n.children is None else [(name, c.id) for name, c in n.children.items()]
        flat.append(
            (n.name, n.kind, n.size, n.mtime, n.atime, n.ctime, n.crtime, n.source, n.link, children, n.info)
        )
    return flat, dict(tree.stats)


def tree_from_flat(flat: list[FlatNode], stats: Mapping[str, int]) -> Tree:
    """The :class:`Tree` that :func:`tree_to_flat` gave (same ids, names, order and content sources)."""
    tree = Tree()
    tree.nodes = [
        Node(i, name, kind, size, mtime, atime, ctime, crtime, source, link, None, info)
        for i, (name, kind, size, mtime, atime, ctime, crtime, source, link, _c, info) in enumerate(flat)
    ]
    for node, entry in zip(tree.nodes, flat, strict=True):
        if entry[9] is not None:
            node.children = {name: tree.nodes[i] for name, i in entry[9]}
    tree.root = tree.nodes[0]
    tree.stats = dict(stats)
    return tree
