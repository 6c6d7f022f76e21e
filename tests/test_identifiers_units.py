"""Identifier analyzer in-process: validation, chunk boundaries, UTF-16 alignment, caps,
options, and the provider data (built-in and user extension). No disk image needed."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from triage_plugins.ident_extract import ExtractOptions, extract
from triage_plugins.identifiers import CARRY, IdentifierAnalyzer

from triage.errors import UsageError
from triage.requests.providers import ProviderMap, builtin_path
from triage.testing.plugin import run_analyzer_on

PLANTED = [
    "someone@gmail.com",
    "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2",
    "+44 20 7946 0000",
    "https://drive.google.com/file/d/abc",
    "8.8.8.8",
    "2001:4860:4860::8888",
    "GB82 WEST 1234 5698 7654 32",
    "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq",
    "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
    "TNPeeaaFB7K9cmo4uQpcU32zGK8G1NYqeL",
]


def _hits(data: bytes, **kw: object) -> list[tuple[str, str]]:
    return [(h.kind, h.normalised) for h in extract(data, ExtractOptions(**kw))]  # type: ignore[arg-type]


def test_known_vectors_validate_and_normalise() -> None:
    text = (
        b"a: Someone@GMAIL.com, b: BC1QAR0SRRR7XFKVY5L643LYDNW9RE59GTZZWF5MDQ "
        b"c: 0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359 d: 0049 30 901820 e: HTTPS://Drive.Google.com/x"
    )
    assert _hits(text) == [
        ("email", "someone@gmail.com"),
        ("crypto", "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"),
        ("crypto", "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359"),
        ("phone", "+4930901820"),
        ("url", "https://drive.google.com/x"),
    ]


@pytest.mark.parametrize(
    "lookalike",
    [
        b"1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN3",
        b"bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdr",
        b"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD",
        b"GB82WEST12345698765433",
        b"someone@gmail.comm",
        b"999.1.1.1",
        b"+44 20 7946 000",
        b"Bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq",  # mixed-case bech32
        b"127.0.0.1",
        b"0.0.0.0",
        b"::1",
        b"http://localhost/admin",
    ],
)
def test_lookalikes_and_non_targets_are_dropped(lookalike: bytes) -> None:
    assert _hits(b" " + lookalike + b" ") == []


def test_single_case_ethereum_is_reported_as_unchecked_unless_disabled() -> None:
    low = b" 0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed "
    (hit,) = extract(low)
    assert hit.normalised == "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"
    assert hit.details["checksum"].startswith("none")
    assert _hits(low, eth_unchecked=False) == []


def test_kinds_and_region_options() -> None:
    text = b"mail x@outlook.com call 020 7946 0000 ip 10.1.2.3"
    assert _hits(text, kinds=frozenset({"email"})) == [("email", "x@outlook.com")]
    assert ("phone", "+442079460000") in _hits(text, phone_region="GB")
    assert ("phone", "+442079460000") not in _hits(text)
    assert ("ip", "10.1.2.3") not in _hits(text, ip_private=False)


def _corpus(seed: int) -> tuple[bytes, set[tuple[int, str]]]:
    rng = random.Random(seed)
    data = bytearray()
    expected = set()
    for _ in range(150):
        data += bytes(rng.randrange(256) for _ in range(rng.randrange(0, 400)))
        data += b"\n"
        value = rng.choice(PLANTED)
        if rng.random() < 0.5:
            expected.add((len(data), "utf-8"))
            data += value.encode()
        else:
            data += b"\x00" * rng.randrange(2)  # odd and even alignment
            expected.add((len(data), "utf-16le"))
            data += value.encode("utf-16le")
        data += b" \n"
    return bytes(data), expected


@pytest.mark.parametrize("chunk", [1 << 20, CARRY + 1, 1000, 97])
def test_every_planted_identifier_exactly_once_whatever_the_chunk_size(chunk: int) -> None:
    data, expected = _corpus(7)
    result = run_analyzer_on(IdentifierAnalyzer, data, chunk_size=chunk)
    got = [(o["offset"], o["encoding"]) for f in result.findings for o in f["details"]["occurrences"]]
    assert len(got) == len(set(got))
    assert set(got) == expected
    assert not result.errors
    assert result.attributes["identifiers"] == len({f["name"] for f in result.findings})


def test_context_is_escaped_and_around_the_hit() -> None:
    data = b"\x00\x01line one\nPay to: 1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2 thanks\\ok"
    (f,) = run_analyzer_on(IdentifierAnalyzer, data).findings
    assert (
        f["details"]["context"]
        == "\\x00\\x01line one\\x0aPay to: 1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2 thanks\\x5cok"
    )
    assert f["details"]["offset"] == data.index(b"1Bv")
    assert (f["details"]["group"], f["details"]["label"]) == (
        "currency:Bitcoin",
        "virtual currency (Bitcoin)",
    )


def test_caps_are_warnings_not_silent() -> None:
    data = b"".join(f"user{i}@gmail.com\n".encode() for i in range(30)) + b"user0@gmail.com\n" * 10
    result = run_analyzer_on(IdentifierAnalyzer, data, options={"max_identifiers": 5, "max_occurrences": 3})
    assert len(result.findings) == 5
    first = next(f for f in result.findings if f["name"] == "user0@gmail.com")
    assert first["details"]["count"] == 11 and len(first["details"]["occurrences"]) == 3
    assert first["details"]["occurrences_truncated"] is True
    assert any("more than 5 distinct identifiers" in m for _, m in result.errors)


def test_compressed_types_read_only_their_first_chunk() -> None:
    data = b"x" * 100 + b" a@gmail.com " + b"\x00" * (2 << 20) + b" b@gmail.com "
    head = run_analyzer_on(IdentifierAnalyzer, data, mime="application/zip")
    assert [f["name"] for f in head.findings] == ["a@gmail.com"]
    full = run_analyzer_on(
        IdentifierAnalyzer, data, mime="application/zip", options={"scan_compressed": True}
    )
    assert sorted(f["name"] for f in full.findings) == ["a@gmail.com", "b@gmail.com"]
    plain = run_analyzer_on(IdentifierAnalyzer, data, mime="application/octet-stream")
    assert len(plain.findings) == 2


def test_unknown_kind_fails_setup() -> None:
    with pytest.raises(ValueError, match="fax"):
        run_analyzer_on(IdentifierAnalyzer, b"", options={"kinds": ["email", "fax"]})


def test_builtin_provider_data_is_consistent() -> None:
    path = builtin_path()
    assert path is not None and path.name == "providers.toml"
    pm = ProviderMap.load()
    assert pm.version.startswith("2026.")
    must = {
        "google",
        "microsoft",
        "apple",
        "meta",
        "x",
        "telegram",
        "dropbox",
        "binance",
        "coinbase",
        "kraken",
        "bitstamp",
        "okx",
        "gmx-webde",
        "yandex",
        "vk-mailru",
        "proton",
        "naver",
        "tencent",
        "yahoo",
    }
    assert must <= set(pm.providers)
    owners: dict[str, str] = {}
    for p in pm.providers.values():
        assert p.legal_name and len(p.country) == 2 and p.le_portal.startswith("https://"), p.id
        for d in p.domains:
            assert owners.setdefault(d, p.id) == p.id, f"{d} listed by {owners[d]} and {p.id}"
    assert pm.for_host("mail.google.com") is pm.providers["google"]
    assert pm.for_host("x.com.evil.example") is None


def test_user_extension_is_merged_over_the_builtin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    (tmp_path / "triage").mkdir()
    (tmp_path / "triage" / "providers.toml").write_text(
        'version = "local-3"\n'
        '[[provider]]\nid = "google"\nle_contact = "via our liaison officer"\n'
        '[[provider]]\nid = "acme"\nname = "Acme Mail"\nlegal_name = "Acme Mail Ltd"\ncountry = "ie"\n'
        'domains = ["acme-mail.example"]\n'
    )
    pm = ProviderMap.load()
    assert pm.providers["google"].legal_name == "Google LLC"
    assert pm.providers["google"].le_contact == "via our liaison officer"
    a = pm.attribute("email", "bob@acme-mail.example", {"domain": "acme-mail.example"})
    assert (a.group, a.provider.legal_name if a.provider else None, a.jurisdiction) == (
        "acme",
        "Acme Mail Ltd",
        "IE",
    )
    assert pm.version.endswith("+local-3")
    (tmp_path / "triage" / "providers.toml").write_text('[[provider]]\nid = "bad"\nname = "x"\n')
    with pytest.raises(UsageError, match="provider bad: missing legal_name, country"):
        ProviderMap.load()


def test_acceptance_mapping() -> None:
    pm = ProviderMap.load()
    g = pm.attribute("email", "someone@gmail.com", {"domain": "gmail.com"})
    assert (g.provider and g.provider.legal_name, g.jurisdiction) == ("Google LLC", "US")
    m = pm.attribute("email", "x@outlook.com", {"domain": "outlook.com"})
    assert m.provider is not None and m.provider.name == "Microsoft"
    b = pm.attribute("crypto", "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2", {"currency": "Bitcoin"})
    assert (b.label, b.provider) == ("virtual currency (Bitcoin)", None)
    u = pm.attribute(
        "email",
        "a@shop.example.co.uk",
        {"domain": "shop.example.co.uk", "registrable_domain": "example.co.uk"},
    )
    assert (u.group, u.provider) == ("domain:example.co.uk", None)
