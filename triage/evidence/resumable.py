"""MD5, SHA-1 and SHA-256 whose state can be saved and restored (a killed scan resumes).

``hashlib`` objects cannot be pickled or exported. These use the same OpenSSL
``libcrypto`` that ``hashlib`` links, through its one-shot context API
(``MD5_Init/Update/Final``, ``SHA1_*``, ``SHA256_*``): the contexts are plain structs,
so their bytes are the state. The saved state names the algorithm and the context
size; a state that does not fit this libcrypto is refused (the hash then restarts from
byte 0 rather than continuing from a state it cannot trust). Without a usable
libcrypto the hashes fall back to ``hashlib`` and :meth:`ResumableHashes.state` is None.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import hashlib
import struct
from functools import cache
from typing import Any

ALGORITHMS = ("md5", "sha1", "sha256")
_MAGIC = b"TRIAGEHASH1\n"
_FUNCS = {"md5": ("MD5", 92, 16), "sha1": ("SHA1", 96, 20), "sha256": ("SHA256", 112, 32)}
"""Prefix, context size (``sizeof(MD5_CTX)`` … on every OpenSSL 1.x/3.x ABI) and digest size."""


@cache
def _libcrypto() -> Any | None:
    import _hashlib  # noqa: F401  (loads the libcrypto hashlib uses, so CDLL finds the same one)

    names = [ctypes.util.find_library("crypto"), "libcrypto.so.3", "libcrypto.so.1.1", "libcrypto.dylib"]
    for name in names:
        if not name:
            continue
        try:
            lib = ctypes.CDLL(name)
            for prefix, _, _ in _FUNCS.values():
                for suffix in ("_Init", "_Update", "_Final"):
                    fn = getattr(lib, prefix + suffix)
                    fn.restype = ctypes.c_int
                getattr(lib, prefix + "_Update").argtypes = [
                    ctypes.c_void_p,
                    ctypes.c_char_p,
                    ctypes.c_size_t,
                ]
            return lib
        except (OSError, AttributeError):
            continue
    return None


class _CtxHash:
    """One OpenSSL context: update/hexdigest like hashlib, plus the raw state."""

    def __init__(self, lib: Any, name: str, state: bytes | None = None) -> None:
        self._lib, self.name = lib, name
        self._prefix, size, self._digest_size = _FUNCS[name]
        self._ctx = ctypes.create_string_buffer(size + 64)  # slack: never let OpenSSL write past the buffer
        if state is None:
            if getattr(lib, self._prefix + "_Init")(self._ctx) != 1:
                raise OSError(f"{self._prefix}_Init failed")
        else:
            if len(state) != size:
                raise ValueError(f"{name} state has {len(state)} bytes, expected {size}")
            ctypes.memmove(self._ctx, state, size)
        self._update = getattr(lib, self._prefix + "_Update")
        self._size = size

    def update(self, data: bytes) -> None:
        if self._update(self._ctx, data, len(data)) != 1:
            raise OSError(f"{self._prefix}_Update failed")

    def state(self) -> bytes:
        return self._ctx.raw[: self._size]

    def hexdigest(self) -> str:
        copy = ctypes.create_string_buffer(self.state() + bytes(64), self._size + 64)
        out = ctypes.create_string_buffer(self._digest_size)
        if getattr(self._lib, self._prefix + "_Final")(out, copy) != 1:
            raise OSError(f"{self._prefix}_Final failed")
        return out.raw.hex()


class ResumableHashes:
    """MD5, SHA-1 and SHA-256 of one stream, fed once per chunk."""

    def __init__(self, state: bytes | None = None) -> None:
        lib = _libcrypto()
        self.resumable = lib is not None
        self._hashes: list[Any]
        if lib is None:
            if state is not None:
                raise ValueError("cannot resume a hash state without libcrypto")
            self._hashes = [hashlib.new(a) for a in ALGORITHMS]
            return
        states = _parse_state(state) if state is not None else {}
        self._hashes = [
            _CtxHash(lib, a, states.get(a)) if state is not None else _CtxHash(lib, a) for a in ALGORITHMS
        ]

    def update(self, data: bytes) -> None:
        for h in self._hashes:
            h.update(data)

    def hexdigests(self) -> dict[str, str]:
        return {a: h.hexdigest() for a, h in zip(ALGORITHMS, self._hashes, strict=True)}

    def state(self) -> bytes | None:
        """The saved form (None when the hashes cannot be resumed)."""
        if not self.resumable:
            return None
        out = bytearray(_MAGIC)
        for a, h in zip(ALGORITHMS, self._hashes, strict=True):
            raw = h.state()
            out += struct.pack("<8sI", a.encode(), len(raw)) + raw
        return bytes(out)


def _parse_state(blob: bytes) -> dict[str, bytes]:
    if not blob.startswith(_MAGIC):
        raise ValueError("not a triage hash state")
    pos, out = len(_MAGIC), {}
    while pos < len(blob):
        name, size = struct.unpack_from("<8sI", blob, pos)
        pos += 12
        out[name.rstrip(b"\0").decode()] = blob[pos : pos + size]
        pos += size
    if set(out) != set(ALGORITHMS):
        raise ValueError(f"hash state holds {sorted(out)}, expected {list(ALGORITHMS)}")
    return out


def restore(state: bytes | None) -> ResumableHashes | None:
    """Hashes continued from ``state``, or None when it cannot be trusted here (start again)."""
    if state is None:
        return None
    try:
        return ResumableHashes(state)
    except (ValueError, OSError):
        return None
