"""Serve file content from the evidence in bounded, cached blocks.

Every FUSE read is split into aligned blocks of :data:`BLOCK` bytes. A block is read from
libtsk once and kept in a small LRU cache, so sequential 4–128 KiB reads from the kernel
cost one libtsk call per block. libtsk handles (and the pyewf reader behind E01 images) are
used under one lock, so any number of FUSE threads (and so processes) can read at once;
cache hits never take that lock. Files are opened and read through the core's one content
reader (:mod:`triage.evidence.content`); this module only adds the block cache and an LRU of
open files.
"""

from __future__ import annotations

import errno
import logging
import threading
from collections import OrderedDict

from triage.evidence import fve
from triage.evidence.content import Content, ContentError, EvidenceCache
from triage.evidence.image import ImageInfo
from triage.mount.tree import DecryptedSlice, ExtentSource, FileSource, ImageSlice, Node

BLOCK = 256 * 1024
CACHE_BLOCKS = 64  # 16 MiB
OPEN_FILES = 256

log = logging.getLogger("triage.mount")


class ContentReader:
    """Read-only random access to the content behind each :class:`Node`."""

    def __init__(self, image: ImageInfo, *, block: int = BLOCK, cache_blocks: int = CACHE_BLOCKS) -> None:
        self.image = image
        self.block = block
        self.cache_blocks = cache_blocks
        self._tsk = threading.Lock()
        self._cache_lock = threading.Lock()
        self._cache: OrderedDict[tuple[int, int], bytes] = OrderedDict()
        self._evidence = EvidenceCache()
        self._evidence.adopt(image)
        self._files: OrderedDict[tuple[int, int, int | None, int | None], Content] = OrderedDict()
        self.stats = {"reads": 0, "bytes": 0, "blocks_read": 0, "cache_hits": 0, "errors": 0, "short": 0}

    def read(self, node: Node, offset: int, size: int) -> bytes:
        """Up to ``size`` bytes at ``offset``.

        Short before the end only where libtsk itself stops (icat stops there too, e.g. the
        sparse ``$BadClus:$Bad``); the kernel then shows the shorter size for that file.

        Raises:
            OSError: EIO when libtsk cannot read the data (the reader sees an I/O error).
        """
        end = min(offset + size, node.size)
        if offset >= end:
            return b""
        if node.source is None:
            raise OSError(errno.EIO, f"{node.info.get('path', node.name)}: no readable content")
        parts: list[bytes] = []
        pos = offset
        while pos < end:
            index = pos // self.block
            data = self._block(node, index)
            start = pos - index * self.block
            piece = data[start : start + (end - pos)]
            if not piece:
                break
            parts.append(piece)
            pos += len(piece)
            if len(data) < min(self.block, node.size - index * self.block):
                self.stats["short"] += 1
                log.warning(
                    "short read: %s: libtsk returned %d bytes at offset %d of %d",
                    node.info.get("path", node.name),
                    len(data),
                    index * self.block,
                    node.size,
                )
                break
        out = b"".join(parts)
        self.stats["reads"] += 1
        self.stats["bytes"] += len(out)
        return out

    def _block(self, node: Node, index: int) -> bytes:
        key = (node.id, index)
        with self._cache_lock:
            data = self._cache.get(key)
            if data is not None:
                self._cache.move_to_end(key)
                self.stats["cache_hits"] += 1
                return data
        start = index * self.block
        length = min(self.block, node.size - start)
        with self._tsk:
            data = self._read_source(node, start, length)
        self.stats["blocks_read"] += 1
        with self._cache_lock:
            self._cache[key] = data
            while len(self._cache) > self.cache_blocks:
                self._cache.popitem(last=False)
        return data

    def _read_source(self, node: Node, offset: int, length: int) -> bytes:
        src = node.source
        try:
            if isinstance(src, ImageSlice):
                return self.image.read(src.offset + offset, length)
            if isinstance(src, DecryptedSlice):
                volume = fve.unlocked(self.image.source.path, src.offset)
                if volume is None:
                    raise OSError(f"the volume at byte {src.offset} is not unlocked")
                return volume.reader.read_at(offset, length)
            if isinstance(src, ExtentSource):  # a carved file: the same reader, over its runs
                return self._evidence.open_extent(self.image, src.partition_offset, src.extent).read(
                    offset, length
                )
            assert isinstance(src, FileSource)
            return self._open(src, node.size).read(offset, length)
        except (OSError, ContentError) as exc:
            self.stats["errors"] += 1
            where = node.info.get("path", node.name)
            log.warning("read error: %s at offset %d: %s", where, offset, exc)
            raise OSError(errno.EIO, f"{where}: read error at offset {offset}") from exc

    def _open(self, src: FileSource, size: int) -> Content:
        key = (src.partition_offset, src.inode, src.attr_type, src.attr_id)
        f = self._files.get(key)
        if f is not None:
            self._files.move_to_end(key)
            return f
        f = self._evidence.open_file(
            self.image, src.partition_offset, src.inode, src.attr_type, src.attr_id, size=size
        )
        self._files[key] = f
        while len(self._files) > OPEN_FILES:
            self._files.popitem(last=False)
        return f

    def close(self) -> None:
        with self._tsk:
            self._files.clear()
            self._evidence.close()  # adopted image: closed by its owner, not here
            self._cache.clear()
