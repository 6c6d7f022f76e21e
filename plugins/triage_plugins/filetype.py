"""File type from libmagic on the head of the content, and a flag when the extension lies."""

from __future__ import annotations

import hashlib
import mimetypes
from collections import OrderedDict
from collections.abc import Mapping
from typing import Any

import magic

from triage.plugin import Analyzer, AnalyzerContext, Option, hookimpl

# Extensions whose content legitimately has another MIME type than mimetypes says.
_COMPATIBLE = {
    "application/zip": {
        "docx",
        "xlsx",
        "pptx",
        "odt",
        "ods",
        "odp",
        "jar",
        "apk",
        "epub",
        "xpi",
        "kmz",
        "whl",
    },
    "text/plain": {
        "csv",
        "log",
        "md",
        "ini",
        "cfg",
        "conf",
        "json",
        "xml",
        "html",
        "htm",
        "py",
        "sh",
        "js",
        "css",
        "yaml",
        "yml",
        "toml",
        "txt",
        "c",
        "h",
        "rst",
        "tsv",
        "eml",
        "srt",
        "sql",
        "bat",
        "ps1",
    },
    "application/octet-stream": set(),
}
_FAMILY = {"image", "video", "audio"}


def extension_contradicts(extension: str, mime: str) -> bool:
    """True when the extension promises a type the content plainly is not."""
    if (
        not extension
        or not mime
        or mime in ("application/octet-stream", "inode/x-empty", "application/x-empty")
    ):
        return False
    expected, _ = mimetypes.guess_type(f"x.{extension}", strict=False)
    if expected is None or expected == mime or expected == "application/octet-stream":
        return False
    if extension in _COMPATIBLE.get(mime, set()):
        return False
    if mime.startswith("text/") and expected.startswith("text/"):
        return False
    exp_major, got_major = expected.split("/")[0], mime.split("/")[0]
    if exp_major in _FAMILY and exp_major == got_major:
        return False  # jpg vs jpeg variants, mp4 containers…
    if expected.endswith(("+xml", "/xml")) and "xml" in mime:
        return False
    return True


HEAD_CACHE = 8192
"""Heads remembered per worker: libmagic's answer depends only on the bytes it is given, and
about one file in ten on a typical system disk has the same head as another (licence texts,
copies of libraries), so each repeat saves one or two libmagic calls (≈0.8 ms each)."""


class FileTypeAnalyzer(Analyzer):
    """libmagic MIME type and description from the first chunk."""

    name = "filetype"
    version = "1.0.0"
    api_version = "2.0"
    description = "libmagic type of the head of each file; flags extensions that contradict it"
    phase = 0
    options = (
        Option("head_bytes", int, 65536, "bytes of the head given to libmagic"),
        Option(
            "mime",
            bool,
            True,
            "also the MIME type (a second libmagic pass, about half of this "
            "analyzer's time; needed for extension-mismatch flags)",
        ),
    )

    @classmethod
    def check_options(cls, options: Mapping[str, Any]) -> list[str]:
        if options["head_bytes"] < 1:
            return [f"filetype.head_bytes: must be at least 1, not {options['head_bytes']}"]
        return []

    def setup(self) -> None:
        self._mime = magic.Magic(mime=True) if self.config["mime"] else None
        self._desc = magic.Magic()
        self._head_bytes = int(self.config["head_bytes"])
        self._seen: OrderedDict[bytes, tuple[str | None, str]] = OrderedDict()

    def start(self, ctx: AnalyzerContext) -> None:
        self._ctx = ctx
        self._done = False

    def update(self, chunk: bytes) -> None:
        if self._done:
            return
        self._done = True
        head = bytes(chunk[: self._head_bytes])
        mime: str | None
        if not head:
            mime, desc = "application/x-empty", "empty"
        else:
            mime, desc = self._types(head)
        self._ctx.set_result("description", desc)
        if mime is None:
            return
        self._ctx.set_result("mime", mime)
        mismatch = extension_contradicts(self._ctx.file.extension, mime)
        self._ctx.set_result("ext_mismatch", mismatch)
        if mismatch:
            self._ctx.add_finding(
                "type-mismatch",
                f".{self._ctx.file.extension} is {mime}",
                "notable",
                {"extension": self._ctx.file.extension, "mime": mime, "description": desc},
            )

    def _types(self, head: bytes) -> tuple[str | None, str]:
        key = hashlib.sha256(head).digest()  # SHA-NI: about 3x faster than BLAKE2b here (docs/benchmarks.md)
        hit = self._seen.get(key)
        if hit is not None:
            self._seen.move_to_end(key)
            return hit
        mime = self._mime.from_buffer(head) if self._mime is not None else None
        answer = (mime, self._desc.from_buffer(head))
        self._seen[key] = answer
        if len(self._seen) > HEAD_CACHE:
            self._seen.popitem(last=False)
        return answer


@hookimpl
def triage_analyzers() -> list[type[Analyzer]]:
    return [FileTypeAnalyzer]
