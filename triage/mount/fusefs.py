"""The FUSE operations (mfusepy's duck-typed interface): a read-only view of a :class:`Tree`.

Every call that could change anything answers EROFS, on top of the ``ro`` mount option
that makes the kernel refuse most of them before they get here.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable
from typing import Any, Protocol

from triage.mount.tree import Node, Tree

_NS = 10**9
XATTR_PREFIX = "user.triage."
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_TRUNC | os.O_APPEND | os.O_CREAT


def _erofs(*_args: Any, **_kw: Any) -> int:
    raise OSError(errno.EROFS, "read-only evidence mount")


class Reader(Protocol):
    """What the operations use of a reader: :class:`triage.mount.reader.ContentReader` in tests, the
    confined child's :class:`triage.mount.child.ChildReader` when mounted."""

    block: int

    def read(self, node: Node, offset: int, size: int) -> bytes: ...

    def close(self) -> None: ...


class EvidenceOperations:
    """mfusepy operations over an in-memory tree; content through a :class:`Reader`."""

    use_ns = True

    def __init__(
        self,
        tree: Tree,
        reader: Reader,
        *,
        on_ready: Callable[[], None] | None = None,
        uid: int | None = None,
        gid: int | None = None,
    ) -> None:
        self.tree = tree
        self.reader = reader
        self.on_ready = on_ready
        self.uid = os.getuid() if uid is None and hasattr(os, "getuid") else (uid or 0)
        self.gid = os.getgid() if gid is None and hasattr(os, "getgid") else (gid or 0)
        self.total_size = sum(n.size for n in tree.nodes if n.kind == "file")
        self._nlink: dict[int, int] = {}

    # -- lifecycle ------------------------------------------------------------------------
    def init(self, path: str) -> None:
        if self.on_ready is not None:
            self.on_ready()

    def destroy(self, path: str) -> None:
        self.reader.close()

    # -- lookups --------------------------------------------------------------------------
    def _node(self, path: str) -> Node:
        node = self.tree.lookup(path)
        if node is None:
            raise OSError(errno.ENOENT, path)
        return node

    def getattr(self, path: str, fh: int | None = None) -> dict[str, Any]:
        node = self.tree.nodes[fh] if fh is not None and 0 <= fh < len(self.tree.nodes) else self._node(path)
        return self.stat(node)

    def stat(self, node: Node) -> dict[str, Any]:
        if node.kind == "dir":
            mode = stat.S_IFDIR | 0o555
            nlink = self._nlink.get(node.id, 0)
            if not nlink:  # computed once per folder: the tree never changes
                nlink = self._nlink[node.id] = 2 + sum(
                    1 for c in (node.children or {}).values() if c.kind == "dir"
                )
        elif node.kind == "link":
            mode, nlink = stat.S_IFLNK | 0o777, 1
        else:
            mode, nlink = stat.S_IFREG | 0o444, 1
        st = {
            "st_mode": mode,
            "st_nlink": nlink,
            "st_size": node.size,
            "st_uid": self.uid,
            "st_gid": self.gid,
            "st_blocks": (node.size + 511) // 512,
            "st_blksize": self.reader.block,
            "st_mtime": node.mtime * _NS,
            "st_atime": node.atime * _NS,
            "st_ctime": node.ctime * _NS,
        }
        if node.crtime:
            st["st_birthtime"] = node.crtime * _NS  # shown where the platform's stat has it (macOS, BSD)
        return st

    def readdir(self, path: str, fh: int) -> list[str]:
        node = self._node(path)
        if node.children is None:
            raise OSError(errno.ENOTDIR, path)
        return [".", "..", *node.children]

    def readlink(self, path: str) -> str:
        node = self._node(path)
        if node.link is None:
            raise OSError(errno.EINVAL, path)
        return node.link

    def access(self, path: str, amode: int) -> int:
        self._node(path)
        if amode & os.W_OK:
            raise OSError(errno.EROFS, path)
        return 0

    def statfs(self, path: str) -> dict[str, int]:
        bsize = 4096
        return {
            "f_bsize": bsize,
            "f_frsize": bsize,
            "f_blocks": (self.total_size + bsize - 1) // bsize,
            "f_bfree": 0,
            "f_bavail": 0,
            "f_files": len(self.tree.nodes),
            "f_ffree": 0,
            "f_favail": 0,
            "f_namemax": 255,
            "f_flag": os.ST_RDONLY if hasattr(os, "ST_RDONLY") else 1,
        }

    # -- content --------------------------------------------------------------------------
    def open(self, path: str, flags: int) -> int:
        node = self._node(path)
        if flags & _WRITE_FLAGS:
            raise OSError(errno.EROFS, path)
        if node.kind == "dir":
            raise OSError(errno.EISDIR, path)
        return node.id

    def read(self, path: str, size: int, offset: int, fh: int) -> bytes:
        node = self.tree.nodes[fh] if 0 <= fh < len(self.tree.nodes) else self._node(path)
        return self.reader.read(node, offset, size)

    def release(self, path: str, fh: int) -> int:
        return 0

    def opendir(self, path: str) -> int:
        node = self._node(path)
        if node.kind != "dir":
            raise OSError(errno.ENOTDIR, path)
        return node.id

    def releasedir(self, path: str, fh: int) -> int:
        return 0

    # -- facts from the inventory as extended attributes ---------------------------------------
    def listxattr(self, path: str) -> list[str]:
        return [XATTR_PREFIX + k for k in self._node(path).info]

    def getxattr(self, path: str, name: str, position: int = 0) -> bytes:
        node = self._node(path)
        if name.startswith(XATTR_PREFIX) and name[len(XATTR_PREFIX) :] in node.info:
            return node.info[name[len(XATTR_PREFIX) :]].encode("utf-8", "surrogateescape")
        raise OSError(errno.ENODATA, name)

    # -- everything that would change something ---------------------------------------------
    create = write = truncate = unlink = rmdir = mkdir = mknod = symlink = link = _erofs
    rename = chmod = chown = utimens = setxattr = removexattr = fallocate = _erofs

    def fsync(self, path: str, datasync: int, fh: int) -> int:
        return 0
