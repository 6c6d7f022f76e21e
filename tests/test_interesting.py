"""Interesting-file rules: the shipped set and custom TOML/YAML rules match the right files of a
real ext4 image, deleted files included; bad rule files are clear, recorded setup errors."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from fixtures.windows import sample_sqlite_history
from triage_plugins.interesting import default_rules, load_rules, parse_rules

from triage.plugin import FileInfo

RNG = random.Random(5)
KDBX = bytes.fromhex("03d9a29a67fb4bb5") + RNG.randbytes(2000)
CHROME = "/Users/alice/AppData/Local/Google/Chrome/User Data/Default/History"
WALLET = "/Users/alice/AppData/Roaming/Bitcoin/wallet.dat"

FILES = {
    "/Users/alice/Documents/vault.kdbx": KDBX,
    "/Users/alice/groceries.txt": KDBX,  # a renamed KeePass database
    WALLET: b"\x00\x00\x00\x00b1\x05\x00" + RNG.randbytes(3000),
    CHROME: sample_sqlite_history(),
    "/Users/alice/Documents/History": b"A history of the Roman Empire, chapter one.\n" * 5,
    "/home/bob/.electrum/wallets/default_wallet": b'{"seed_version": 18}\n',
    "/mail/archive.pst": b"!BDN" + bytes(600),
    "/images/evidence.bin": bytes.fromhex("455646090d0aff00") + bytes(4000),  # EWF header, no E01 name
    "/images/small.iso": b"tiny, below the size limit of the extension rule\n",
    "/vol/secret.hc": RNG.randbytes(70_000),
    "/vol/luks.img": b"LUKS\xba\xbe\x00\x02" + bytes(5000),
    "/notes.txt": b"nothing to see here\n",
}
DELETED = [WALLET, "/notes.txt"]


@pytest.fixture
def scanned(make_image, scan_image, tmp_path: Path):
    custom = tmp_path / "lab.toml"
    custom.write_text("""version = "lab-3"
[[rule]]
id = "deleted-text"
category = "lab"
description = "deleted plain text"
severity = "alert"
deleted = true
mime = ["text/*"]

[[rule]]
id = "roman"
description = "name ends in 'story', 100-300 bytes"
name_regex = "story$"
min_size = 100
max_size = 300
""")
    yaml_rules = tmp_path / "more.yaml"
    yaml_rules.write_text("version: y1\nrules:\n  - id: electrum-path\n    path_regex: '\\.electrum/'\n")
    img = make_image(FILES, deleted=DELETED)
    return scan_image(img, options={"interesting": {"rules": [str(custom), str(yaml_rules)]}})


def hits(result) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for f in result.findings(plugin="interesting"):
        out.setdefault(f["path"], set()).add(f["details"]["rule"])
    return out


def test_rules_match_in_image(scanned) -> None:
    assert scanned.summary.status == "completed"
    assert hits(scanned) == {
        "/Users/alice/Documents/vault.kdbx": {"keepass-ext", "keepass-magic"},
        "/Users/alice/groceries.txt": {"keepass-magic"},
        WALLET: {"bitcoin-core-wallet"},
        CHROME: {"chromium-profile"},
        "/Users/alice/Documents/History": {"roman"},  # a text file named History is no browser profile
        "/home/bob/.electrum/wallets/default_wallet": {"electrum-wallet", "electrum-path"},
        "/mail/archive.pst": {"outlook-store"},
        "/images/evidence.bin": {"disk-image-magic"},
        "/vol/secret.hc": {"veracrypt-container-ext"},
        "/vol/luks.img": {"luks-header"},
        "/notes.txt": {"deleted-text"},
    }


def test_deleted_file_and_provenance(scanned) -> None:
    wallet = next(f for f in scanned.findings(plugin="interesting") if f["path"] == WALLET)
    assert scanned.file(WALLET)["deleted"] == 1
    assert wallet["plugin_version"] == "1.0.0" and wallet["severity"] == "notable"
    assert wallet["details"] == {
        "rule": "bitcoin-core-wallet",
        "category": "crypto-wallet",
        "matched": ["name"],
        "ruleset": "interesting.toml",
        "ruleset_version": "1.0.0",
        "deleted": True,
    }
    notes = next(f for f in scanned.findings(plugin="interesting") if f["path"] == "/notes.txt")
    assert notes["severity"] == "alert" and notes["details"]["ruleset_version"] == "lab-3"
    assert notes["details"]["matched"] == ["deleted", "mime"]
    assert scanned.file("/vol/secret.hc")["attributes"]["interesting"] == ["veracrypt-container-ext"]


def test_default_rules_cover_the_categories() -> None:
    rules = default_rules()
    assert {r.category for r in rules} == {
        "encrypted-container",
        "password-database",
        "crypto-wallet",
        "browser-profile",
        "mail-store",
        "disk-image",
    }
    assert len({r.id for r in rules}) == len(rules)

    def ids(
        path: str,
        size: int = 10_000_000,
        deleted: bool = False,
        mime: str = "application/octet-stream",
        head: bytes = b"",
    ) -> set[str]:
        info = FileInfo(1, path, path.rsplit("/", 1)[-1], size, deleted, 0, mime=mime)
        return {r.id for r in rules if r.matches(info, head)}

    assert ids("/x/Mail/inbox.mbox") == {"mail-files"}
    assert ids("/x/backup/Disk.VHDX") == {"disk-image-ext"}
    assert ids("/x/backup/Disk.VHDX", size=1000) == set()
    assert ids("/p/Profiles/ab.default/places.sqlite") == {"firefox-profile"}
    assert ids("/Users/a/Library/Application Support/Exodus/exodus.wallet/seed.seco") == {"exodus"}
    assert ids("/d/BitLocker Recovery Key 1234.TXT", mime="text/plain") == {"bitlocker-key"}
    assert ids("/d/part.bin", head=b"\xeb\x58\x90-FVE-FS-" + bytes(20)) == {"bitlocker-volume"}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[[rule]]\nid = "a"\nnames = ["*.x"]\ncolour = "red"\n', "unknown key"),
        ('[[rule]]\nnames = ["*.x"]\n', "needs an 'id'"),
        ('[[rule]]\nid = "a"\nname_regex = "(unclosed"\n', "rule a"),
        ('[[rule]]\nid = "a"\n', "at least one of"),
        ('[[rule]]\nid = "a"\nnames = ["*.x"]\nseverity = "panic"\n', "severity"),
        ('[[rule]\nid = "a"\n', "bad.toml"),
    ],
)
def test_bad_rule_files_are_named(tmp_path: Path, text: str, message: str) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(text)
    with pytest.raises(ValueError, match=message):
        load_rules(bad)


def test_bad_rule_file_is_a_recorded_setup_error(make_image, scan_image, tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[[rule]]\nid = "a"\nnames = ["*.x"]\ncolour = "red"\n')
    res = scan_image(make_image({"/a.kdbx": KDBX}), options={"interesting": {"rules": [str(bad)]}})
    assert res.summary.status == "completed"
    [err] = res.errors("plugin:interesting")
    assert "setup failed" in err["message"] and "unknown key(s) colour" in err["message"]
    assert res.findings(plugin="interesting") == []


def test_parse_rules_without_defaults() -> None:
    rules = parse_rules({"version": "1", "rule": [{"id": "big", "min_size": 10}]}, "inline")
    info = FileInfo(1, "/a", "a", 11, False, 0)
    assert rules[0].matches(info, b"") == ["size"]
    assert rules[0].matches(FileInfo(1, "/a", "a", 9, False, 0), b"") == []
