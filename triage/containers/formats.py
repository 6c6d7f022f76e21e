"""Container formats: recognise one from its first bytes and list its members.

Each reader yields :class:`Member` objects in the container's own order; a member's ``open``
returns a binary stream of its content (read once, in order). A reader that meets damage part
way raises :class:`ContainerDamaged` after yielding every member it could read: the members stay,
the damage is a problem of the container. Libraries (docs/containers.md says why): the standard
library's zipfile, tarfile, gzip, bz2, lzma and email; py7zr for 7z; rarfile for RAR (its
content through an external ``unrar``/``7z``, which a confined worker may not run); extract-msg for
Outlook MSG; libpff-python (pypff) for PST.
"""

from __future__ import annotations

import bz2
import email
import email.policy
import gzip
import io
import lzma
import tarfile
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import Message
from typing import IO, Any

Opener = Callable[[], IO[bytes]]


class ContainerDamaged(Exception):
    """The container could be read only in part; ``str()`` says where and why."""


@dataclass(frozen=True)
class Member:
    """One entry of a container. ``path``: its path inside the container (``/``-separated, no
    leading slash). ``size``: uncompressed bytes as the container declares them (None: unknown
    until read). ``packed``: bytes it takes in the container, where known (for the expansion
    ratio). ``problem``: why its content cannot be read (``encrypted: ...``), else None."""

    path: str
    size: int | None
    open: Opener | None
    packed: int | None = None
    mtime: int | None = None
    is_dir: bool = False
    encrypted: bool = False
    problem: str | None = None


# -- recognising a container -------------------------------------------------------------------
def detect(head: bytes, name: str) -> str | None:
    """The container kind of a file whose content starts with ``head`` (at least 512 bytes when
    the file has them) and whose name is ``name``; None: not a container we open."""
    low = name.lower()
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "zip"
    if head.startswith(b"7z\xbc\xaf\x27\x1c"):
        return "7z"
    if head.startswith((b"Rar!\x1a\x07\x00", b"Rar!\x1a\x07\x01\x00")):
        return "rar"
    if head.startswith(b"\x1f\x8b"):
        return "gzip"
    if head.startswith(b"BZh") and head[3:4].isdigit():
        return "bzip2"
    if head.startswith(b"\xfd7zXZ\x00"):
        return "xz"
    if len(head) >= 262 and head[257:262] == b"ustar":
        return "tar"
    if head.startswith(b"!BDN"):
        return "pst"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1") and (
        low.endswith(".msg") or b"_\x00_\x00s\x00u\x00b\x00s\x00t\x00g" in head
    ):
        return "msg"
    if head.startswith(b"From ") and (
        low.endswith((".mbox", ".mbx")) or b"\nFrom: " in head or b"\nSubject: " in head
    ):
        return "mbox"
    if low.endswith(".eml") or _looks_like_mail(head):
        return "eml"
    return None


_MAIL_HEADERS = (b"received:", b"return-path:", b"message-id:", b"mime-version:", b"from:", b"delivered-to:")


def _looks_like_mail(head: bytes) -> bool:
    """RFC 5322 headers first, among them at least a From: and a MIME-Version: or Received:."""
    lines = head.split(b"\n", 40)[:40]
    if not lines or not lines[0].lower().startswith(_MAIL_HEADERS):
        return False
    names = {ln.split(b":", 1)[0].strip().lower() for ln in lines if b":" in ln and not ln[:1].isspace()}
    return b"from" in names and bool(names & {b"mime-version", b"received", b"message-id"})


def clean(path: str) -> str:
    """A member path as stored: ``/``-separated, no leading ``/`` or ``./``, no empty parts (so
    that ``//`` in an entry's path always separates a container from its member)."""
    parts = [p for p in path.replace("\\", "/").split("/") if p not in ("", ".")]
    return "/".join(parts)


def members(kind: str, stream: IO[bytes], name: str) -> Iterator[Member]:
    """The members of a container of ``kind`` read from the seekable ``stream``.

    Raises:
        ContainerDamaged: after the members that could be read (or at once when none).
    """
    reader = _READERS[kind]
    try:
        yield from reader(stream, name)
    except ContainerDamaged:
        raise
    except (Exception, EOFError) as exc:  # every library has its own errors: each is damage here
        raise ContainerDamaged(
            f"{kind} cannot be read further: {type(exc).__name__}: {_one_line(exc)}"
        ) from exc


# -- readers -------------------------------------------------------------------------------------
_PACKAGE_PARTS = ("/embeddings/", "/media/", "Pictures/", "Object ")
"""The parts of an Office Open XML or ODF package that are files of their own (attached
documents, pictures); the XML parts are the document itself, which the text analyzer reads."""


def _is_office_package(names: list[str]) -> bool:
    return "[Content_Types].xml" in names or ("mimetype" in names and "META-INF/manifest.xml" in names)


def _zip(stream: IO[bytes], name: str) -> Iterator[Member]:
    zf = zipfile.ZipFile(stream)
    infos = zf.infolist()
    if _is_office_package([i.filename for i in infos]):
        infos = [i for i in infos if not i.is_dir() and any(p in "/" + i.filename for p in _PACKAGE_PARTS)]
    for info in infos:
        encrypted = bool(info.flag_bits & 0x1)
        mtime = _dos_time(info.date_time)
        yield Member(
            path=info.filename,
            size=info.file_size,
            packed=info.compress_size,
            mtime=mtime,
            is_dir=info.is_dir(),
            encrypted=encrypted,
            problem="encrypted: no password" if encrypted else None,
            open=None if encrypted or info.is_dir() else _bind(zf.open, info),
        )


def _tar(stream: IO[bytes], name: str) -> Iterator[Member]:
    tf = tarfile.open(fileobj=stream, mode="r:*")
    try:
        while True:
            try:
                info = tf.next()
            except tarfile.ReadError as exc:
                raise ContainerDamaged(f"tar entry cannot be read: {_one_line(exc)}") from exc
            if info is None:
                return
            if info.isdir():
                yield Member(info.name, 0, None, mtime=int(info.mtime), is_dir=True)
            elif info.isfile():
                yield Member(info.name, info.size, _bind(_tar_member, tf, info), mtime=int(info.mtime))
    finally:
        pass


def _tar_member(tf: tarfile.TarFile, info: tarfile.TarInfo) -> IO[bytes]:
    fh = tf.extractfile(info)
    if fh is None:
        raise OSError(f"{info.name}: no content")
    return fh


def _compressed(kind: str) -> Callable[[IO[bytes], str], Iterator[Member]]:
    """gzip, bzip2, xz: a compressed tar is read as the tar (``a.tar.gz//etc/x``); anything else
    is one member named after the file without its suffix (gzip: its stored name)."""

    def read(stream: IO[bytes], name: str) -> Iterator[Member]:
        if _is_tar(kind, stream):
            stream.seek(0)
            yield from _tar(stream, name)
            return
        stream.seek(0)
        inner = _gzip_name(stream) if kind == "gzip" else None
        stream.seek(0)
        base = name.rsplit("/", 1)[-1]
        for suffix in (".gz", ".tgz", ".bz2", ".tbz2", ".xz", ".txz", ".z"):
            if base.lower().endswith(suffix):
                base = base[: -len(suffix)] + (".tar" if suffix.startswith(".t") else "")
                break
        else:
            base = base + ".out"
        yield Member(inner or base or "content", None, _bind(_open_compressed, kind, stream))

    return read


def _open_compressed(kind: str, stream: IO[bytes]) -> IO[bytes]:
    stream.seek(0)
    if kind == "gzip":
        return gzip.GzipFile(fileobj=stream, mode="rb")  # type: ignore[return-value]
    if kind == "bzip2":
        return bz2.BZ2File(stream, mode="rb")
    return lzma.LZMAFile(stream, mode="rb")


def _is_tar(kind: str, stream: IO[bytes]) -> bool:
    try:
        head = _open_compressed(kind, stream).read(512)
    except (OSError, EOFError, lzma.LZMAError):
        return False
    return len(head) >= 262 and head[257:262] == b"ustar"


def _gzip_name(stream: IO[bytes]) -> str | None:
    """The FNAME field of a gzip header, if any (RFC 1952)."""
    head = stream.read(10)
    if len(head) < 10 or not head[3] & 0x08:
        return None
    if head[3] & 0x04:
        xlen = int.from_bytes(stream.read(2), "little")
        stream.read(xlen)
    raw = bytearray()
    while len(raw) < 1024:
        b = stream.read(1)
        if not b or b == b"\x00":
            break
        raw += b
    return clean(raw.decode("latin-1")) or None


def _sevenzip(stream: IO[bytes], name: str) -> Iterator[Member]:
    import py7zr

    archive = py7zr.SevenZipFile(stream, mode="r")
    encrypted = archive.needs_password()
    for info in archive.list():
        mtime = _timestamp(info.creationtime) if info.creationtime is not None else None
        if info.is_directory:
            yield Member(info.filename, 0, None, mtime=mtime, is_dir=True)
            continue
        yield Member(
            path=info.filename,
            size=info.uncompressed,
            packed=info.compressed or None,
            mtime=mtime,
            encrypted=encrypted,
            problem="encrypted: no password" if encrypted else None,
            open=None if encrypted else _bind(_sevenzip_member, stream, info.filename),
        )


def _sevenzip_member(stream: IO[bytes], filename: str) -> IO[bytes]:
    """One 7z member, decompressed into a spooled file (py7zr writes through a factory; solid
    blocks are decoded from their start, so this costs a pass over the block per member)."""
    import tempfile

    import py7zr
    from py7zr.io import Py7zIO, WriterFactory

    out = tempfile.SpooledTemporaryFile(max_size=16 << 20)

    class Sink(Py7zIO):
        def write(self, s: bytes | bytearray) -> int:
            return out.write(s)

        def read(self, size: int | None = None) -> bytes:
            return b""

        def seek(self, offset: int, whence: int = 0) -> int:
            return 0

        def flush(self) -> None:
            return None

        def size(self) -> int:
            return out.tell()

    class Factory(WriterFactory):
        def create(self, filename: str) -> Py7zIO:
            return Sink()

    stream.seek(0)
    with py7zr.SevenZipFile(stream, mode="r") as archive:
        archive.extract(targets=[filename], factory=Factory())
    out.seek(0)
    return out


def _rar(stream: IO[bytes], name: str) -> Iterator[Member]:
    import rarfile

    rf = rarfile.RarFile(stream)
    for info in rf.infolist():
        mtime = _dos_time(info.date_time)
        if info.is_dir():
            yield Member(info.filename, 0, None, mtime=mtime, is_dir=True)
            continue
        encrypted = bool(info.needs_password())
        yield Member(
            path=info.filename,
            size=info.file_size,
            packed=info.compress_size,
            mtime=mtime,
            encrypted=encrypted,
            problem="encrypted: no password" if encrypted else None,
            open=None if encrypted else _bind(rf.open, info),
        )


def _eml(stream: IO[bytes], name: str) -> Iterator[Member]:
    msg = email.message_from_binary_file(stream, policy=email.policy.compat32)
    yield from _attachments(msg, "")


def _attachments(msg: Message, prefix: str) -> Iterator[Member]:
    """Every attachment of a message (a forwarded message/rfc822 part is one ``.eml`` member,
    opened in turn as a container)."""
    seen: dict[str, int] = {}
    for i, part in enumerate(msg.walk()):
        if part.is_multipart() and part.get_content_type() != "message/rfc822":
            continue
        filename = part.get_filename()
        disposition = (part.get("Content-Disposition") or "").split(";")[0].strip().lower()
        if part.get_content_type() == "message/rfc822":
            payload = part.get_payload()
            inner = payload[0] if isinstance(payload, list) and payload else None
            data = inner.as_bytes() if isinstance(inner, Message) else b""
            filename = filename or f"message-{i}.eml"
        elif filename or disposition == "attachment":
            raw = part.get_payload(decode=True)
            data = raw if isinstance(raw, bytes) else b""
            filename = filename or f"part-{i}"
        else:
            continue
        base = clean(str(filename)) or f"part-{i}"
        n = seen[base] = seen.get(base, 0) + 1
        if n > 1:
            base = f"{base}~{n}"
        yield Member(prefix + base, len(data), _bind(io.BytesIO, data))
        if part.get_content_type() == "message/rfc822":
            continue


def _mbox(stream: IO[bytes], name: str) -> Iterator[Member]:
    """Messages of an mbox (split at each ``From `` line that starts a line), ``message-N.eml``."""
    n = 0
    current = bytearray()
    started = False

    def member() -> Member:
        data = bytes(current)
        return Member(f"message-{n:06d}.eml", len(data), _bind(io.BytesIO, data))

    for line in stream:
        if line.startswith(b"From "):
            if started:
                yield member()
                current.clear()
            n += 1
            started = True
            continue  # the separator line is not part of the message
        if started:
            current += line[1:] if line.startswith(b">From ") else line
    if started:
        yield member()


def _msg(stream: IO[bytes], name: str) -> Iterator[Member]:
    import extract_msg

    data = stream.read()
    msg = extract_msg.openMsg(data, delayAttachments=False)
    try:
        seen: dict[str, int] = {}
        attachments: list[Any] = list(getattr(msg, "attachments", []))
        for i, att in enumerate(attachments):
            base = (
                clean(str(att.getFilename() if hasattr(att, "getFilename") else "") or "")
                or f"attachment-{i}"
            )
            payload = att.data
            if hasattr(payload, "exportBytes"):
                content = payload.exportBytes()
                if not base.lower().endswith(".msg"):
                    base += ".msg"
            elif isinstance(payload, bytes):
                content = payload
            else:
                yield Member(base, None, None, problem=f"attachment type {att.type} is not read")
                continue
            k = seen[base] = seen.get(base, 0) + 1
            yield Member(base if k == 1 else f"{base}~{k}", len(content), _bind(io.BytesIO, content))
    finally:
        msg.close()


def _pst(stream: IO[bytes], name: str) -> Iterator[Member]:
    """Each message of a PST as ``Folder/Sub/N/`` with ``message.txt`` (its headers and plain
    body) and its attachments."""
    import pypff

    pst = pypff.file()
    pst.open_file_object(stream)
    try:
        yield from _pst_folder(pst.get_root_folder(), "")
    finally:
        pst.close()


def _pst_folder(folder: Any, prefix: str) -> Iterator[Member]:
    for i in range(
        folder.get_number_of_sub_messages() if hasattr(folder, "get_number_of_sub_messages") else 0
    ):
        message = folder.get_sub_message(i)
        base = f"{prefix}{i + 1:06d}"
        headers = message.get_transport_headers() or ""
        body = message.get_plain_text_body() or b""
        text = (headers.encode("utf-8", "replace") if isinstance(headers, str) else headers) + b"\n" + body
        yield Member(f"{base}/message.txt", len(text), _bind(io.BytesIO, text))
        for j in range(message.get_number_of_attachments()):
            att = message.get_attachment(j)
            size = att.get_size()
            data = att.read_buffer(size) if size else b""
            yield Member(f"{base}/attachment-{j + 1}", len(data), _bind(io.BytesIO, data))
    for i in range(folder.get_number_of_sub_folders()):
        sub = folder.get_sub_folder(i)
        yield from _pst_folder(sub, f"{prefix}{clean(sub.get_name() or f'folder-{i}')}/")


_READERS: dict[str, Callable[[IO[bytes], str], Iterator[Member]]] = {
    "zip": _zip,
    "tar": _tar,
    "gzip": _compressed("gzip"),
    "bzip2": _compressed("bzip2"),
    "xz": _compressed("xz"),
    "7z": _sevenzip,
    "rar": _rar,
    "eml": _eml,
    "mbox": _mbox,
    "msg": _msg,
    "pst": _pst,
}
KINDS = tuple(_READERS)


# -- helpers -------------------------------------------------------------------------------------
def _bind(fn: Callable[..., Any], *args: Any) -> Opener:
    return lambda: fn(*args)


def _dos_time(value: Any) -> int | None:
    """A zip/RAR ``date_time`` tuple (UTC, as the archive stores no zone) as Unix seconds."""
    try:
        y, mo, d, h, mi, sec = (int(v) for v in tuple(value)[:6])
        return _timestamp(datetime(y, mo, d, h, mi, sec, tzinfo=UTC))
    except (ValueError, TypeError):
        return None


def _timestamp(dt: datetime) -> int:
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return int(dt.timestamp())


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[-1].strip() if text else type(exc).__name__
