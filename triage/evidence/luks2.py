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

from triage.errors import EvidenceError, UsageError

MAGIC = b"LUKS\xba\xbe"
_BLOCK = 1 << 18
_CACHE_BLOCKS = 16
"""Decrypted blocks kept per volume and process (4 MiB)."""
"""Decrypted bytes kept per reader (one block: libtsk reads small pieces of the same region; 256 KiB
balances random metadata reads against the bulk decryption's fixed cost per call)."""


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
    """AES-XTS (IEEE 1619) with the plain64 IV (the sector number, little-endian), many sectors at once.

    ``cryptography`` takes one tweak per decryptor, which costs a decryptor per 512-byte sector
    (a few MB/s). Here the XTS steps are done in bulk with the same AES: the tweaks of all sectors
    in one ECB encryption with the second key half, their multiples by alpha in GF(2^128) with numpy,
    and every block in one ECB decryption with the first half. Equality with the reference is tested.
    """
    import numpy as np
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    if not data:
        return b""
    half = len(key) // 2
    blocks_per = sector_size // 16
    sectors = len(data) // sector_size
    ivs = np.zeros((sectors, 2), dtype="<u8")
    ivs[:, 0] = np.arange(first_sector, first_sector + sectors, dtype=np.uint64)
    t0 = Cipher(algorithms.AES(key[half:]), modes.ECB()).encryptor().update(ivs.tobytes())
    t = np.frombuffer(t0, dtype="<u8").reshape(sectors, 2).copy()
    tweaks = np.empty((sectors, blocks_per, 2), dtype="<u8")
    for j in range(blocks_per):
        tweaks[:, j, :] = t
        carry = t[:, 1] >> np.uint64(63)
        t[:, 1] = (t[:, 1] << np.uint64(1)) | (t[:, 0] >> np.uint64(63))
        t[:, 0] = (t[:, 0] << np.uint64(1)) ^ (carry * np.uint64(0x87))
    flat = tweaks.reshape(-1)
    cipher = np.frombuffer(data[: sectors * sector_size], dtype="<u8") ^ flat
    plain = Cipher(algorithms.AES(key[:half]), modes.ECB()).decryptor().update(cipher.tobytes())
    return (np.frombuffer(plain, dtype="<u8") ^ flat).tobytes()


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
        self._sector = segment.sector_size
        self._tweak = segment.iv_tweak
        self._lock = threading.Lock()
        self._cached: OrderedDict[int, bytes] = OrderedDict()
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

    def _block(self, index: int) -> bytes:
        hit = self._cached.get(index)
        if hit is not None:
            self._cached.move_to_end(index)
            return hit
        start = index * _BLOCK
        raw = self._read(self._base + start, min(_BLOCK, self.available - start))
        raw = raw[: len(raw) - len(raw) % self._sector]
        data = decrypt_xts(self._key, raw, self._tweak + start // self._sector, self._sector)
        self._cached[index] = data
        if len(self._cached) > _CACHE_BLOCKS:
            self._cached.popitem(last=False)
        return data

    def read_at(self, offset: int, length: int) -> bytes:
        end = min(offset + length, self.available)
        out = bytearray()
        with self._lock:
            while offset < end:
                index, within = divmod(offset, _BLOCK)
                block = self._block(index)
                piece = block[within : within + end - offset]
                if not piece:
                    break
                out += piece
                offset += len(piece)
        return bytes(out)

    @property
    def volume_key(self) -> bytes:
        """The volume key (to hand to a spawned worker; never stored or logged)."""
        return self._key

    def close(self) -> None:
        self._key = b""
