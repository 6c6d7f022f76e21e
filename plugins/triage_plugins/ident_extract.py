"""Find and validate identifiers in ASCII text held in a byte buffer.

:func:`extract` returns every *validated* identifier in a buffer, with byte positions
relative to that buffer. Lookalikes that fail their check (checksum, public suffix,
numbering plan) are dropped here. The validators are well-kept libraries:

* e-mail and URL hosts: the Public Suffix List snapshot bundled with ``publicsuffixlist``
  (no network); the top-level domain must be a known public suffix;
* IPv4/IPv6: :mod:`ipaddress` (unspecified, loopback, multicast, link-local and reserved
  addresses are dropped; private ones are kept with ``scope="private"``);
* phone numbers: ``phonenumbers`` (``is_valid_number``), international form only (``+`` or
  ``00``) unless a default region is given; normalised to E.164;
* IBAN: ``python-stdnum`` (country format and ISO 7064 mod 97-10);
* virtual currency: ``bip_utils`` (base58check with the coin's version byte for Bitcoin,
  Litecoin, Dogecoin and Tron; bech32/bech32m segwit for Bitcoin and Litecoin; EIP-55 for
  mixed-case Ethereum; Monero's base58 with its Keccak checksum and valid Ed25519 keys).

Search is anchored on literals where possible (``@``, ``://``, ``www.``, ``+``, ``0x``) so
Python's regular-expression engine can skip quickly; boundaries are checked in Python.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import phonenumbers
import stdnum.iban
from publicsuffixlist import PublicSuffixList

KINDS = ("email", "url", "domain", "ip", "phone", "iban", "crypto")
MAX_LEN = 2048
"""Longest identifier reported (URLs are cut there); the chunk carry must be longer."""

_ALNUM = frozenset(b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
_LOCAL = frozenset(b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz._%+-")
_HOSTCH = _ALNUM | frozenset(b"-.")

_EMAIL = re.compile(rb"@((?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z][A-Za-z0-9-]{0,62})")
_URL = re.compile(rb"://[^\s\"'<>`{}|\\^\x00-\x1f\x7f-\xff]{1,%d}" % MAX_LEN)
_WWW = re.compile(rb"www\.[^\s\"'<>`{}|\\^\x00-\x1f\x7f-\xff]{3,%d}" % MAX_LEN)
_SCHEMES = (b"https", b"http", b"ftps", b"ftp", b"sftp")
_V4_ANCHOR = re.compile(rb"\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]")
_IPV4 = re.compile(
    rb"(?:(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\.){3}(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
)
_V6_ANCHOR = re.compile(rb":(?::|[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}:)")
_V6_TOKEN = re.compile(rb"[0-9A-Fa-f:]{2,39}(?:\.[0-9]{1,3}){0,3}")
_PHONE = re.compile(rb"\+[1-9][0-9 ()./\-]{5,24}[0-9]")
_PHONE00 = re.compile(rb"00[1-9][0-9 ()./\-]{5,24}[0-9]")
_IBAN_CLASS = bytes(
    65 if 65 <= i <= 90 else 68 if 48 <= i <= 57 else 32 if i == 32 else 46 for i in range(256)
)
_IBAN = re.compile(rb"AADD(?: ?[AD]{4}){2,7}(?: ?[AD]{1,4})?")  # over _IBAN_CLASS: literal prefix, fast
_ALNUM_CLASS = bytes(97 if i in _ALNUM else 32 for i in range(256))
_LONG = re.compile(rb"a" * 26 + rb"a*")  # alnum tokens of 26+ characters, over _ALNUM_CLASS
_B58 = "1-9A-HJ-NP-Za-km-z"
_BASE58 = re.compile(r"[13LMTD][" + _B58 + r"]{25,34}")
_MONERO = re.compile(r"[48][" + _B58 + r"]{94}(?:[" + _B58 + r"]{11})?")
_BECH32 = re.compile(r"(?:bc|ltc|BC|LTC)1[02-9ac-hj-np-zAC-HJ-NP-Z]{8,87}")
_ETH = re.compile(r"0x[0-9a-fA-F]{40}")
_TRAIL = ".,;:!?'\")]}>*"


@dataclass(slots=True)
class Hit:
    """One validated identifier at ``start:end`` of the buffer that was searched."""

    kind: str
    value: str
    normalised: str
    start: int
    end: int
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ExtractOptions:
    """What to look for; see :class:`triage_plugins.identifiers.IdentifierAnalyzer` options."""

    kinds: frozenset[str] = frozenset(k for k in KINDS if k != "domain")
    phone_region: str | None = None
    ip_private: bool = True
    eth_unchecked: bool = True


@lru_cache(maxsize=1)
def psl() -> PublicSuffixList:
    """The bundled Public Suffix List (ICANN and private sections), loaded once."""
    return PublicSuffixList()


@lru_cache(maxsize=8192)
def split_host(host: str) -> tuple[str, str] | None:
    """``(public_suffix, registrable_domain)`` of a host name, or None when the suffix is unknown."""
    host = host.lower().rstrip(".")
    lst = psl()
    suffix = lst.publicsuffix(host, accept_unknown=False)
    if suffix is None or suffix == host:
        return None
    registrable = lst.privatesuffix(host, accept_unknown=False)
    if registrable is None:
        return None
    return suffix, registrable


def _left_ok(buf: bytes, start: int, first: bool, chars: frozenset[int] = _ALNUM) -> bool:
    if start == 0:
        return first
    return buf[start - 1] not in chars


def _right_ok(buf: bytes, end: int, chars: frozenset[int] = _ALNUM) -> bool:
    return end >= len(buf) or buf[end] not in chars


def _host_end_ok(buf: bytes, end: int) -> bool:
    """A host name ends here: no host character follows, or a full stop that ends a sentence."""
    if end >= len(buf) or buf[end] not in _HOSTCH:
        return True
    return buf[end] == 46 and (end + 1 >= len(buf) or buf[end + 1] not in _ALNUM)


# -- e-mail --------------------------------------------------------------------------------
def _emails(buf: bytes, first: bool) -> Iterator[Hit]:
    for m in _EMAIL.finditer(buf):
        at, end = m.start(), m.end()
        if not _host_end_ok(buf, end):
            continue
        s = at
        while s > 0 and at - s < 64 and buf[s - 1] in _LOCAL:
            s -= 1
        if s == at or (s == 0 and not first) or (s > 0 and buf[s - 1] in _LOCAL):
            continue
        while s < at and buf[s] in b".":
            s += 1
        local = buf[s:at]
        if not local or local.endswith(b".") or b".." in local:
            continue
        domain = m.group(1).decode("ascii").lower()
        parts = split_host(domain)
        if parts is None:
            continue
        value = buf[s:end].decode("ascii")
        yield Hit(
            "email",
            value,
            value.lower(),
            s,
            end,
            {"domain": domain, "registrable_domain": parts[1], "public_suffix": parts[0]},
        )


# -- URLs ----------------------------------------------------------------------------------
def _trim_url(raw: bytes) -> bytes:
    while raw and chr(raw[-1]) in _TRAIL:
        if raw[-1:] == b")" and raw.count(b"(") >= raw.count(b")"):
            break
        raw = raw[:-1]
    return raw


def _url_hit(buf: bytes, start: int, end: int, text: str, implied: bool) -> Hit | None:
    parsed = _parse_url(text, implied)
    if parsed is None:
        return None
    return Hit("url", text, parsed[0], start, end, dict(parsed[1]))


@lru_cache(maxsize=16384)
def _parse_url(text: str, implied: bool) -> tuple[str, dict[str, Any]] | None:
    """``(normalised, details)`` of a URL, or None when its host is not a valid public host (cached:
    the same URLs recur file after file)."""
    try:
        parts = urlsplit(("http://" + text) if implied else text)
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        return None
    if not host:
        return None
    details: dict[str, Any] = {"scheme": parts.scheme.lower(), "host": host}
    if host[0].isdigit() or ":" in host:
        try:
            details["ip"] = str(ipaddress.ip_address(host))
        except ValueError:
            pass
    if "ip" not in details:
        if any(c not in "abcdefghijklmnopqrstuvwxyz0123456789-." for c in host):
            return None
        split = split_host(host)
        if split is None:
            return None
        details["public_suffix"], details["registrable_domain"] = split
    userinfo, _, hostport = parts.netloc.rpartition("@")
    netloc = (userinfo + "@" if userinfo else "") + hostport.lower()
    return urlunsplit((details["scheme"], netloc, parts.path or "/", parts.query, parts.fragment)), details


def _urls(buf: bytes, first: bool) -> Iterator[Hit]:
    taken = -1
    for m in _URL.finditer(buf):
        sep = m.start()
        s = sep
        while s > 0 and sep - s < 5 and 97 <= (buf[s - 1] | 0x20) <= 122:
            s -= 1
        scheme = buf[s:sep].lower()
        while scheme and scheme not in _SCHEMES:  # "xhttp" -> "http"
            s += 1
            scheme = scheme[1:]
        if not scheme or not _left_ok(buf, s, first):
            continue
        raw = _trim_url(buf[s : m.end()])
        if len(raw) <= len(scheme) + 3 or (m.end() == len(buf) and not first and len(raw) >= MAX_LEN):
            continue
        hit = _url_hit(buf, s, s + len(raw), raw.decode("ascii"), implied=False)
        if hit is not None:
            taken = hit.end
            yield hit
    for m in _WWW.finditer(buf):
        s = m.start()
        if s < taken or not _left_ok(buf, s, first, _HOSTCH | frozenset(b"/@")):
            continue
        raw = _trim_url(m.group())
        hit = _url_hit(buf, s, s + len(raw), raw.decode("ascii"), implied=True)
        if hit is not None:
            yield hit


def _domains(buf: bytes, first: bool) -> Iterator[Hit]:
    """Bare host names (opt-in: very noisy in code and file names)."""
    for m in re.finditer(rb"(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}", buf):
        s, e = m.span()
        if not _left_ok(buf, s, first, _HOSTCH | frozenset(b"@/")) or not _host_end_ok(buf, e):
            continue
        host = m.group().decode("ascii").lower()
        split = split_host(host)
        if split is not None:
            yield Hit(
                "domain",
                m.group().decode("ascii"),
                host,
                s,
                e,
                {"public_suffix": split[0], "registrable_domain": split[1]},
            )


# -- IP addresses --------------------------------------------------------------------------
def _ip_scope(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    if ip.is_unspecified or ip.is_loopback or ip.is_multicast or ip.is_link_local or ip.is_reserved:
        return None
    return "global" if ip.is_global else "private"


@lru_cache(maxsize=4096)
def _v4_scope(text: str) -> str | None:
    return _ip_scope(ipaddress.IPv4Address(text))


def _ipv4(buf: bytes, first: bool, private: bool) -> Iterator[Hit]:
    pos = 0
    while True:
        a = _V4_ANCHOR.search(buf, pos)
        if a is None:
            return
        s = a.start()
        while s > 0 and a.start() - s < 3 and 48 <= buf[s - 1] <= 57:
            s -= 1
        m = _IPV4.match(buf, s)
        pos = a.start() + 1
        if m is None:
            continue
        s, e = m.span()
        pos = e
        if not _left_ok(buf, s, first, _ALNUM | frozenset(b".")) or not _right_ok(buf, e):
            continue
        if buf[e : e + 1] == b"." and buf[e + 1 : e + 2].isdigit():
            continue
        text = m.group().decode("ascii")
        scope = _v4_scope(text)
        if scope is None or (scope == "private" and not private):
            continue
        yield Hit("ip", text, text, s, e, {"version": 4, "scope": scope})


def _ipv6(buf: bytes, first: bool, private: bool) -> Iterator[Hit]:
    pos = 0
    hexcolon = frozenset(b"0123456789abcdefABCDEF:")
    while True:
        a = _V6_ANCHOR.search(buf, pos)
        if a is None:
            return
        s = a.start()
        while s > 0 and a.start() - s < 39 and buf[s - 1] in hexcolon:
            s -= 1
        m = _V6_TOKEN.match(buf, s)
        if m is None:  # pragma: no cover - the anchor always matches the token
            pos = a.end()
            continue
        e = m.end()
        pos = max(e, a.start() + 1)
        if not _left_ok(buf, s, first, _ALNUM | frozenset(b":.")) or not _right_ok(
            buf, e, _ALNUM | frozenset(b":")
        ):
            continue
        text = m.group().decode("ascii")
        if text.count(":") < 2 or (text.count(":") < 7 and "::" not in text):
            continue
        try:
            ip = ipaddress.IPv6Address(text)
        except ValueError:
            continue
        if sum(c in "0123456789abcdefABCDEF" for c in text) < 4:
            continue
        scope = _ip_scope(ip)
        if scope is None or (scope == "private" and not private):
            continue
        yield Hit("ip", text, ip.compressed, s, e, {"version": 6, "scope": scope})


# -- phone numbers -------------------------------------------------------------------------
def _phones(buf: bytes, first: bool, region: str | None) -> Iterator[Hit]:
    matches = list(_PHONE.finditer(buf)) + (list(_PHONE00.finditer(buf)) if b"00" in buf else [])
    for m in matches:
        s = m.start()
        if not _left_ok(buf, s, first, _ALNUM | frozenset(b"+")):
            continue
        raw = m.group().decode("ascii")
        shift = 0
        if raw.startswith("00"):
            raw, shift = "+" + raw[2:], 1
        for pm in phonenumbers.PhoneNumberMatcher(raw, None, leniency=phonenumbers.Leniency.VALID):
            if pm.start != 0:
                break
            end = s + shift + pm.end
            if not _right_ok(buf, end):
                break
            num = pm.number
            yield Hit(
                "phone",
                buf[s:end].decode("ascii"),
                phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.E164),
                s,
                end,
                _phone_details(num),
            )
            break
    if region:
        yield from _national_phones(buf, first, region)


def _phone_details(num: phonenumbers.PhoneNumber) -> dict[str, Any]:
    from phonenumbers import carrier, number_type

    kind = {
        0: "fixed_line",
        1: "mobile",
        2: "fixed_line_or_mobile",
        3: "toll_free",
        4: "premium_rate",
        6: "voip",
    }.get(number_type(num), "other")
    details: dict[str, Any] = {
        "country": phonenumbers.region_code_for_number(num),
        "line_type": kind,
        "international": phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.INTERNATIONAL),
    }
    original = carrier.name_for_number(num, "en")
    if original:
        details["original_carrier"] = original
    return details


def _national_phones(buf: bytes, first: bool, region: str) -> Iterator[Hit]:
    for m in re.finditer(rb"(?<![0-9+])0[1-9][0-9 ()./\-]{5,18}[0-9]", buf):
        s = m.start()
        if not _left_ok(buf, s, first):
            continue
        raw = m.group().decode("ascii")
        for pm in phonenumbers.PhoneNumberMatcher(raw, region, leniency=phonenumbers.Leniency.VALID):
            if pm.start == 0 and _right_ok(buf, s + pm.end):
                yield Hit(
                    "phone",
                    raw[: pm.end],
                    phonenumbers.format_number(pm.number, phonenumbers.PhoneNumberFormat.E164),
                    s,
                    s + pm.end,
                    _phone_details(pm.number),
                )
            break


# -- IBAN ----------------------------------------------------------------------------------
def _ibans(buf: bytes, first: bool) -> Iterator[Hit]:
    for m in _IBAN.finditer(buf.translate(_IBAN_CLASS)):
        s = m.start()
        if not _left_ok(buf, s, first):
            continue
        raw = buf[s : m.end()].decode("ascii")
        positions = [i for i, c in enumerate(raw) if c != " "]
        compact = raw.replace(" ", "")
        for n in range(len(compact), 14, -1):
            end = s + positions[n - 1] + 1
            if not _right_ok(buf, end):
                continue
            if stdnum.iban.is_valid(compact[:n]):
                yield Hit("iban", raw[: positions[n - 1] + 1], compact[:n], s, end, {"country": compact[:2]})
                break


# -- virtual currencies --------------------------------------------------------------------
@dataclass(frozen=True)
class _Coins:
    """bip_utils' decoders and the coins' version bytes; imported on first use, because bip_utils
    takes about 0.4 s to import and every ``triage`` command and scan worker loads this module."""

    bip: Any
    bad: tuple[type[BaseException], ...]
    versions: dict[bytes, tuple[str, str]]
    xmr: Any


@lru_cache(maxsize=1)
def _coins() -> _Coins:
    import bip_utils
    from bip_utils.addr.eth_addr import _EthAddrUtils
    from bip_utils.base58 import Base58XmrDecoder
    from bip_utils.base58.base58_ex import Base58ChecksumError
    from bip_utils.bech32.bech32_ex import Bech32ChecksumError

    conf = bip_utils.CoinsConf
    btc, ltc, doge = conf.BitcoinMainNet, conf.LitecoinMainNet, conf.DogecoinMainNet
    versions: dict[bytes, tuple[str, str]] = {
        btc.ParamByKey("p2pkh_net_ver"): ("Bitcoin", "p2pkh"),
        btc.ParamByKey("p2sh_net_ver"): ("Bitcoin", "p2sh"),  # Litecoin's deprecated P2SH shares it
        ltc.ParamByKey("p2pkh_std_net_ver"): ("Litecoin", "p2pkh"),
        ltc.ParamByKey("p2sh_std_net_ver"): ("Litecoin", "p2sh"),
        doge.ParamByKey("p2pkh_net_ver"): ("Dogecoin", "p2pkh"),
        conf.Tron.ParamByKey("addr_prefix"): ("Tron", "base58check"),
    }
    bip = type(
        "_Bip",
        (),
        {
            "Base58Decoder": bip_utils.Base58Decoder,
            "EthAddrDecoder": bip_utils.EthAddrDecoder,
            "SegwitBech32Decoder": bip_utils.SegwitBech32Decoder,
            "XmrAddrDecoder": bip_utils.XmrAddrDecoder,
            "XmrIntegratedAddrDecoder": bip_utils.XmrIntegratedAddrDecoder,
            "EthAddrUtils": _EthAddrUtils,
            "Base58XmrDecoder": Base58XmrDecoder,
        },
    )
    bad = (ValueError, TypeError, KeyError, IndexError, Base58ChecksumError, Bech32ChecksumError)
    return _Coins(bip=bip, bad=bad, versions=versions, xmr=conf.MoneroMainNet)


_HRPS = {"bc": "Bitcoin", "ltc": "Litecoin"}


def _crypto_hit(value: str, norm: str, s: int, e: int, currency: str, kind: str, **more: Any) -> Hit:
    return Hit("crypto", value, norm, s, e, {"currency": currency, "address_type": kind, **more})


def _crypto(buf: bytes, first: bool, unchecked_eth: bool) -> Iterator[Hit]:
    """Alnum tokens of 14+ characters, dispatched on length and prefix to the coin validators."""
    for m in _LONG.finditer(buf.translate(_ALNUM_CLASS)):
        s, e = m.span()
        n = e - s
        if (s == 0 and not first) or n > 106:
            continue
        c = buf[s]
        hit: Hit | None = None
        if n <= 35 and c in b"13LMTD":
            text = buf[s:e].decode("ascii")
            if _BASE58.fullmatch(text):
                hit = _base58(text, s, e)
        elif (n == 95 or n == 106) and c in b"48":
            text = buf[s:e].decode("ascii")
            if _MONERO.fullmatch(text):
                hit = _monero(text, s, e)
        elif n == 42 and c == 48 and buf[s + 1] == 120:  # "0x"
            text = buf[s:e].decode("ascii")
            if _ETH.fullmatch(text):
                hit = _ethereum(text, s, e, unchecked_eth)
        elif c in b"bBlL":
            text = buf[s:e].decode("ascii")
            if _BECH32.fullmatch(text):
                hit = _bech32(text, s, e)
        if hit is not None:
            yield hit


def _base58(text: str, s: int, e: int) -> Hit | None:
    c = _coins()
    try:
        payload = c.bip.Base58Decoder.CheckDecode(text)
    except c.bad:
        return None
    coin = c.versions.get(payload[:1])
    if coin is None or len(payload) != 21:
        return None
    extra = {"note": "also Litecoin's deprecated P2SH format"} if coin == ("Bitcoin", "p2sh") else {}
    return _crypto_hit(text, text, s, e, *coin, checksum="base58check", **extra)


def _monero(text: str, s: int, e: int) -> Hit | None:
    c = _coins()
    try:
        if len(text) == 95:
            kind = "subaddress" if text[0] == "8" else "standard"
            net = c.xmr.ParamByKey("subaddr_net_ver" if kind == "subaddress" else "addr_net_ver")
            c.bip.XmrAddrDecoder.DecodeAddr(text, net_ver=net)
        else:
            kind = "integrated"
            c.bip.XmrIntegratedAddrDecoder.DecodeAddr(
                text, net_ver=c.xmr.ParamByKey("addr_int_net_ver"), payment_id=_xmr_payment_id(text)
            )
    except c.bad:
        return None
    return _crypto_hit(text, text, s, e, "Monero", kind, checksum="Monero base58 + Keccak-256")


def _xmr_payment_id(text: str) -> bytes:
    raw = _coins().bip.Base58XmrDecoder.Decode(text)
    return bytes(raw[65:73])


def _bech32(text: str, s: int, e: int) -> Hit | None:
    if text != text.lower() and text != text.upper():
        return None
    low = text.lower()
    hrp = low.split("1", 1)[0]
    c = _coins()
    try:
        version, program = c.bip.SegwitBech32Decoder.Decode(hrp, low)
    except c.bad:
        return None
    if version == 0:
        kind = "p2wpkh" if len(program) == 20 else "p2wsh"
    elif version == 1 and len(program) == 32:
        kind = "p2tr"
    else:
        kind = f"witness v{version}"
    return _crypto_hit(text, low, s, e, _HRPS[hrp], kind, checksum="bech32" if version == 0 else "bech32m")


def _ethereum(text: str, s: int, e: int, unchecked: bool) -> Hit | None:
    digits = text[2:]
    if digits in (digits.lower(), digits.upper()):
        if not unchecked or len(set(digits.lower())) < 6:
            return None
        return _crypto_hit(
            text,
            "0x" + _coins().bip.EthAddrUtils.ChecksumEncode(digits.lower()),
            s,
            e,
            "Ethereum",
            "account",
            checksum="none (single case: EIP-55 cannot be checked)",
        )
    c = _coins()
    try:
        c.bip.EthAddrDecoder.DecodeAddr(text)
    except c.bad:
        return None
    return _crypto_hit(text, text, s, e, "Ethereum", "account", checksum="EIP-55")


# -- entry point ---------------------------------------------------------------------------
def extract(buf: bytes, opts: ExtractOptions = ExtractOptions(), *, first: bool = True) -> list[Hit]:
    """Every validated identifier in ``buf`` (ASCII bytes), sorted by position.

    ``first`` says that the buffer starts at a text boundary (start of a file or of a
    UTF-16 run); otherwise a match touching position 0 is dropped, because it may continue
    to the left.
    """
    k = opts.kinds
    out: list[Hit] = []
    if "email" in k and b"@" in buf:
        out += _emails(buf, first)
    if "url" in k and (b"://" in buf or b"www." in buf):
        out += _urls(buf, first)
    if "domain" in k:
        out += _domains(buf, first)
    if "ip" in k:
        out += _ipv4(buf, first, opts.ip_private)
        if b":" in buf:
            out += _ipv6(buf, first, opts.ip_private)
    if "phone" in k and (b"+" in buf or b"00" in buf or opts.phone_region):
        out += _phones(buf, first, opts.phone_region)
    if "iban" in k:
        out += _ibans(buf, first)
    if "crypto" in k:
        out += _crypto(buf, first, opts.eth_unchecked)
    out.sort(key=lambda h: (h.start, h.kind))
    return out
