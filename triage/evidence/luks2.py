"""A LUKS2 reader of our own (libluksde cannot open LUKS2; dissect.fve is AGPL).

Written from the LUKS2 on-disk format specification (cryptsetup, docs/on-disk-format-luks2.pdf):
a binary header (magic ``LUKS\\xba\\xbe``, version 2, header size) followed by a JSON area with
``keyslots`` (a KDF, an anti-forensic split ``af`` and an encrypted key ``area``), ``digests``
(PBKDF2 over the volume key) and ``segments`` (the encrypted data). Primitives: ``hashlib``
(PBKDF2), ``argon2-cffi`` (Argon2i/Argon2id) and ``cryptography`` (AES-XTS).

Supported: PBKDF2 and Argon2 key slots, the ``luks1`` AF with any hashlib hash, and
``aes-xts-plain64`` key material and data segments (512- to 4096-byte sectors). Anything else is
refused with a one-line error naming it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import struct
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import numpy as np

from triage.errors import EvidenceError, UsageError

MAGIC = b"LUKS\xba\xbe"
_BLOCK = 1 << 16
"""The cache's unit (64 KiB): libtsk reads file data in 64 KiB pieces and metadata in smaller ones,
and the files of a directory are read in name order, not in disk order, so a larger unit decrypts
bytes no one asked for (256 KiB decrypted 1.46 bytes per byte read on the benchmark's ext4)."""
_CACHE_BLOCKS = 256
"""Decrypted blocks kept per volume and process (16 MiB)."""


@dataclass(frozen=True)
class Keyslot:
    name: str
    key_size: int
    kdf_type: str
    kdf: dict[str, Any]
    af_stripes: int
    af_hash: str
    area_offset: int
    area_size: int
    area_encryption: str
    area_key_size: int


@dataclass(frozen=True)
class Segment:
    offset: int
    size: int | None
    """None: ``dynamic`` (to the end of the device)."""
    encryption: str
    sector_size: int
    iv_tweak: int


@dataclass(frozen=True)
class Digest:
    keyslots: tuple[str, ...]
    hash: str
    iterations: int
    salt: bytes
    digest: bytes


@dataclass(frozen=True)
class Luks2Header:
    keyslots: tuple[Keyslot, ...]
    segment: Segment
    digests: tuple[Digest, ...]

    @classmethod
    def read(cls, read: Any, offset: int) -> Luks2Header:
        """Parse the primary header at ``offset`` (``read(offset, n)`` reads the image).

        Raises:
            EvidenceError: not LUKS2, or metadata we cannot parse.
        """
        head = read(offset, 4096)
        if head[:6] != MAGIC or struct.unpack_from(">H", head, 6)[0] != 2:
            raise EvidenceError("not a LUKS2 header")
        hdr_size = struct.unpack_from(">Q", head, 8)[0]
        if not 4096 < hdr_size <= 4 << 20:
            raise EvidenceError(f"LUKS2 header size {hdr_size} out of bounds")
        area = read(offset + 4096, hdr_size - 4096)
        try:
            meta = json.loads(area.split(b"\0", 1)[0].decode("utf-8"))
            slots = tuple(
                Keyslot(
                    name,
                    int(s["key_size"]),
                    s["kdf"]["type"],
                    s["kdf"],
                    int(s["af"]["stripes"]),
                    s["af"]["hash"],
                    int(s["area"]["offset"]),
                    int(s["area"]["size"]),
                    s["area"]["encryption"],
                    int(s["area"]["key_size"]),
                )
                for name, s in sorted(meta["keyslots"].items())
                if s.get("type") == "luks2"
            )
            segs = [
                v
                for _, v in sorted(meta["segments"].items(), key=lambda kv: int(kv[0]))
                if v["type"] == "crypt"
            ]
            if not segs:
                raise EvidenceError("LUKS2 header holds no crypt segment")
            s0 = segs[0]
            segment = Segment(
                int(s0["offset"]),
                None if s0["size"] == "dynamic" else int(s0["size"]),
                s0["encryption"],
                int(s0.get("sector_size", 512)),
                int(s0.get("iv_tweak", "0")),
            )
            digests = tuple(
                Digest(
                    tuple(d["keyslots"]),
                    d["hash"],
                    int(d["iterations"]),
                    base64.b64decode(d["salt"]),
                    base64.b64decode(d["digest"]),
                )
                for d in meta["digests"].values()
                if d["type"] == "pbkdf2"
            )
        except (KeyError, ValueError, TypeError, AttributeError) as exc:
            raise EvidenceError(f"LUKS2 metadata cannot be parsed: {type(exc).__name__}: {exc}") from None
        return cls(slots, segment, digests)


def _xts(key: bytes, tweak: bytes) -> Any:
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    return Cipher(algorithms.AES(key), modes.XTS(tweak)).decryptor()


def decrypt_xts_reference(key: bytes, data: bytes, first_sector: int, sector_size: int) -> bytes:
    """AES-XTS with the plain64 IV, one ``cryptography`` XTS decryptor per sector (the reference)."""
    out = bytearray()
    for i in range(0, len(data), sector_size):
        tweak = (first_sector + i // sector_size).to_bytes(16, "little")
        out += _xts(key, tweak).update(data[i : i + sector_size])
    return bytes(out)


def decrypt_xts(key: bytes, data: bytes, first_sector: int, sector_size: int) -> bytes:
    """AES-XTS (IEEE 1619) with the plain64 IV (the sector number, little-endian), many sectors at once
    (see :class:`XtsDecryptor`; equality with :func:`decrypt_xts_reference` is tested)."""
    return bytes(XtsDecryptor(key).decrypt(data, first_sector, sector_size))


def _clmul87(v: Any) -> Any:
    """Carry-less product with x^7 + x^2 + x + 1 (0x87): how bits shifted out of x^128 reduce."""
    return v ^ (v << 1) ^ (v << 2) ^ (v << 7)


_RED16 = _clmul87(np.arange(1 << 16, dtype=np.uint64))
"""The reduction of every 16-bit overflow, looked up instead of computed (one gather, not six ops)."""
_LOW16, _SIXTEEN = np.uint64(0xFFFF), np.uint64(16)


def _times_x(lo: Any, hi: Any, k: int, out_lo: Any, out_hi: Any) -> None:
    """``(lo, hi) * x^k`` in GF(2^128) with the XTS polynomial x^128 + x^7 + x^2 + x + 1, for
    1 <= k <= 32 (the ``k`` bits shifted out of ``hi`` reduce into ``lo`` without a second carry)."""
    k64, kk = np.uint64(64 - k), np.uint64(k)
    over = hi >> k64
    red = _RED16[over] if k <= 16 else _RED16[over & _LOW16] ^ (_RED16[over >> _SIXTEEN] << _SIXTEEN)
    np.left_shift(hi, kk, out=out_hi)
    out_hi |= lo >> k64
    np.left_shift(lo, kk, out=out_lo)
    out_lo ^= red


class XtsDecryptor:
    """AES-XTS decryption of whole runs of sectors with one key: two AES-ECB contexts made once.

    ``cryptography`` takes one tweak per XTS decryptor, which costs a decryptor per 512-byte
    sector (the reference loop). Here the XTS steps are done in bulk with the same AES: the tweaks
    of all sectors in one ECB encryption with the second key half, their multiples by x^j in
    GF(2^128) with numpy (block-major, so each step is whole rows: x, x^2, x^4 … x^16 double the
    columns computed, then x^32 per further 32 blocks), and every block in one ECB decryption
    with the first half. ECB holds no state between calls, so the contexts are reused."""

    def __init__(self, key: bytes) -> None:
        from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

        half = len(key) // 2
        self._enc = Cipher(algorithms.AES(key[half:]), modes.ECB()).encryptor()
        self._dec = Cipher(algorithms.AES(key[:half]), modes.ECB()).decryptor()

    def decrypt(self, data: bytes | bytearray | memoryview, first_sector: int, sector_size: int) -> bytearray:
        """The whole sectors of ``data`` decrypted (a trailing partial sector is left out)."""
        blocks = sector_size // 16
        sectors = len(data) // sector_size
        if not sectors:
            return bytearray()
        ivs = np.zeros((sectors, 2), dtype="<u8")
        ivs[:, 0] = np.arange(first_sector, first_sector + sectors, dtype=np.uint64)
        first = np.frombuffer(self._enc.update(ivs.data.cast("B")), dtype="<u8").reshape(sectors, 2)
        lo = np.empty((blocks, sectors), dtype="<u8")  # block-major: each doubling step is whole rows
        hi = np.empty((blocks, sectors), dtype="<u8")
        lo[0], hi[0] = first[:, 0], first[:, 1]
        width = 1
        while width < blocks:
            k = min(width, 32, blocks - width)
            src = slice(width - k, width) if width >= 32 else slice(0, k)
            _times_x(lo[src], hi[src], k if width < 32 else 32, lo[width : width + k], hi[width : width + k])
            width += k
        lo_t, hi_t = lo.T, hi.T  # data order: sector, block
        size = sectors * sector_size
        cipher = np.frombuffer(data, dtype="<u8", count=size // 8).reshape(sectors, blocks, 2)
        whitened = np.empty((sectors, blocks, 2), dtype="<u8")
        np.bitwise_xor(cipher[..., 0], lo_t, out=whitened[..., 0])
        np.bitwise_xor(cipher[..., 1], hi_t, out=whitened[..., 1])
        plain = np.frombuffer(self._dec.update(whitened.data.cast("B")), dtype="<u8")
        plain = plain.reshape(sectors, blocks, 2)
        out = bytearray(size)
        view = np.frombuffer(out, dtype="<u8").reshape(sectors, blocks, 2)
        np.bitwise_xor(plain[..., 0], lo_t, out=view[..., 0])
        np.bitwise_xor(plain[..., 1], hi_t, out=view[..., 1])
        return out


def _check_cipher(name: str, what: str) -> None:
    if name != "aes-xts-plain64":
        raise UsageError(f"LUKS2 {what} cipher {name} is not supported here (only aes-xts-plain64)")


def _kdf(slot: Keyslot, secret: bytes) -> bytes:
    kdf = slot.kdf
    salt = base64.b64decode(kdf["salt"])
    if slot.kdf_type == "pbkdf2":
        return hashlib.pbkdf2_hmac(kdf["hash"], secret, salt, int(kdf["iterations"]), slot.area_key_size)
    if slot.kdf_type in ("argon2i", "argon2id"):
        from argon2.low_level import Type, hash_secret_raw

        return hash_secret_raw(
            secret,
            salt,
            time_cost=int(kdf["time"]),
            memory_cost=int(kdf["memory"]),
            parallelism=int(kdf["cpus"]),
            hash_len=slot.area_key_size,
            type=Type.ID if slot.kdf_type == "argon2id" else Type.I,
        )
    raise UsageError(f"LUKS2 key slot {slot.name}: KDF {slot.kdf_type} is not supported")


def _diffuse(data: bytes, hash_name: str) -> bytes:
    size = hashlib.new(hash_name).digest_size
    out = bytearray()
    for j, i in enumerate(range(0, len(data), size)):
        block = data[i : i + size]
        out += hashlib.new(hash_name, struct.pack(">I", j) + block).digest()[: len(block)]
    return bytes(out)


def af_merge(material: bytes, key_size: int, stripes: int, hash_name: str) -> bytes:
    """The LUKS anti-forensic merge: ``stripes`` blocks of ``key_size`` bytes back to one key."""
    d = bytes(key_size)
    for i in range(stripes - 1):
        block = material[i * key_size : (i + 1) * key_size]
        d = _diffuse(bytes(a ^ b for a, b in zip(d, block, strict=True)), hash_name)
    last = material[(stripes - 1) * key_size : stripes * key_size]
    return bytes(a ^ b for a, b in zip(d, last, strict=True))


def volume_key(read: Any, offset: int, header: Luks2Header, secret: bytes, name: str) -> bytes:
    """Try every key slot with ``secret``; the volume key whose digest matches.

    Raises:
        UsageError: no key slot opens with this passphrase or key file (names the volume).
    """
    for slot in header.keyslots:
        _check_cipher(slot.area_encryption, f"key slot {slot.name}")
        key = _kdf(slot, secret)
        length = slot.key_size * slot.af_stripes
        sectors = (length + 511) // 512
        material = decrypt_xts(key, read(offset + slot.area_offset, sectors * 512), 0, 512)[:length]
        candidate = af_merge(material, slot.key_size, slot.af_stripes, slot.af_hash)
        for digest in header.digests:
            if slot.name in digest.keyslots:
                check = hashlib.pbkdf2_hmac(
                    digest.hash, candidate, digest.salt, digest.iterations, len(digest.digest)
                )
                if hmac.compare_digest(check, digest.digest):
                    return candidate
    raise UsageError(f"{name}: wrong passphrase or key file: no LUKS2 key slot opens with it")


class Luks2Volume:
    """The decrypted data segment of a LUKS2 volume, as a reader (see ``fve.DecryptedReader``)."""

    def __init__(
        self, read: Any, data_offset: int, size: int, available: int, key: bytes, segment: Segment
    ) -> None:
        self._read = read
        self._base = data_offset
        self.size = size
        self.available = max(0, min(size, available))
        self._key = key
        self._xts = XtsDecryptor(key)
        self._sector = segment.sector_size
        self._tweak = segment.iv_tweak
        self._lock = threading.Lock()
        self._cached: OrderedDict[int, memoryview] = OrderedDict()
        """The last :data:`_CACHE_BLOCKS` decrypted blocks: libtsk's reads alternate between metadata
        (inode tables, extent trees) and file data, and each block is decrypted once while it is hot."""

    @classmethod
    def unlock(
        cls, read: Any, offset: int, length: int, present: int, secret: bytes, name: str
    ) -> Luks2Volume:
        """Open the volume at ``offset`` (``length`` bytes in the table, ``present`` in the image)."""
        try:
            header = Luks2Header.read(read, offset)
        except EvidenceError as exc:
            raise UsageError(f"{name}: {exc}") from None
        _check_cipher(header.segment.encryption, "data segment")
        return cls._open(
            read, offset, length, present, header, volume_key(read, offset, header, secret, name)
        )

    @classmethod
    def with_key(
        cls, read: Any, offset: int, length: int, present: int, key: bytes, name: str
    ) -> Luks2Volume:
        """Open with a volume key derived before (in the parent process); checked against the digest."""
        try:
            header = Luks2Header.read(read, offset)
        except EvidenceError as exc:
            raise UsageError(f"{name}: {exc}") from None
        if not any(
            hmac.compare_digest(
                hashlib.pbkdf2_hmac(d.hash, key, d.salt, d.iterations, len(d.digest)), d.digest
            )
            for d in header.digests
        ):
            raise UsageError(f"{name}: the volume key does not match the LUKS2 digest")
        return cls._open(read, offset, length, present, header, key)

    @classmethod
    def _open(
        cls, read: Any, offset: int, length: int, present: int, header: Luks2Header, key: bytes
    ) -> Luks2Volume:
        seg = header.segment
        size = seg.size if seg.size is not None else length - seg.offset
        return cls(lambda o, n: read(offset + o, n), seg.offset, size, present - seg.offset, key, seg)

    def _decrypt(self, first: int, count: int) -> memoryview:
        """Blocks ``first`` … ``first + count - 1`` decrypted with one bulk call; each is kept (a view
        of the run, no copy)."""
        start = first * _BLOCK
        raw = self._read(self._base + start, min(count * _BLOCK, self.available - start))
        data = memoryview(self._xts.decrypt(raw, self._tweak + start // self._sector, self._sector))
        for i in range(min(count, -(-len(data) // _BLOCK))):
            self._cached[first + i] = data[i * _BLOCK : (i + 1) * _BLOCK]
        while len(self._cached) > _CACHE_BLOCKS:
            self._cached.popitem(last=False)
        return data

    def read_at(self, offset: int, length: int) -> bytes:
        end = min(offset + length, self.available)
        if offset >= end:
            return b""
        first, last = offset // _BLOCK, (end - 1) // _BLOCK
        pieces: list[memoryview] = []
        with self._lock:
            index = first
            while index <= last:  # each run of blocks not cached is decrypted in one call
                hit = self._cached.get(index)
                if hit is not None:
                    self._cached.move_to_end(index)
                    pieces.append(hit)
                    index += 1
                    continue
                run = index
                while index <= last and index not in self._cached:
                    index += 1
                pieces.append(self._decrypt(run, index - run))
        within = offset - first * _BLOCK
        if len(pieces) == 1:
            return bytes(pieces[0][within : within + end - offset])
        return b"".join(pieces)[within : within + end - offset]

    @property
    def volume_key(self) -> bytes:
        """The volume key (to hand to a spawned worker; never stored or logged)."""
        return self._key

    def close(self) -> None:
        self._key = b""
        self._xts = None  # type: ignore[assignment]
        self._cached.clear()
