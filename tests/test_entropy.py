"""Entropy in the same pass: exact Shannon entropy per file, and a high-entropy flag only for
content of unknown type (random data), not for known compressed formats or small files."""

from __future__ import annotations

import gzip
import math
import random
from collections import Counter

import numpy as np
import pytest
from triage_plugins.entropy import PAIRS_FROM, byte_counts, shannon_entropy

RNG = random.Random(9)
RANDOM = RNG.randbytes(3 * 1024 * 1024 + 17)  # several chunks, odd tail
FILES = {
    "/data/container.bin": RANDOM,
    "/data/small-random.bin": RNG.randbytes(1000),
    "/data/archive.gz": gzip.compress(RNG.randbytes(200_000), mtime=0),
    "/docs/letter.txt": b"Dear examiner, the meeting is at noon.\n" * 300,
    "/docs/zeros.bin": bytes(8192),
    "/empty.txt": b"",
}


def reference(data: bytes) -> float:
    """Independent computation with the standard library."""
    n = len(data)
    return -sum(c / n * math.log2(c / n) for c in Counter(data).values()) if n else 0.0


def test_shannon_entropy_bounds() -> None:
    assert shannon_entropy(np.zeros(256, dtype=np.int64)) == 0.0
    assert shannon_entropy(np.ones(256, dtype=np.int64)) == pytest.approx(8.0)
    two = np.zeros(256, dtype=np.int64)
    two[[0, 255]] = 5
    assert shannon_entropy(two) == pytest.approx(1.0)


def test_entropy_in_scan(make_image, scan_image) -> None:
    img = make_image(FILES, size=16 * 1024 * 1024)
    res = scan_image(img)
    assert res.summary.status == "completed"
    files = res.files()
    for path, data in FILES.items():
        assert files[path]["attributes"]["entropy"] == pytest.approx(reference(data), abs=1e-4), path
    assert files["/docs/zeros.bin"]["attributes"]["entropy"] == 0.0
    assert files["/data/archive.gz"]["mime"] == "application/gzip"
    flagged = res.findings(plugin="entropy")
    # the gzip member is the random payload itself, so it is flagged; the .gz (a known type) is not
    assert sorted((f["path"], f["kind"], f["severity"]) for f in flagged) == [
        ("/data/archive.gz//archive", "high-entropy", "notable"),
        ("/data/container.bin", "high-entropy", "notable"),
    ]
    flagged = [f for f in flagged if f["path"] == "/data/container.bin"]
    details = flagged[0]["details"]
    assert details["bytes"] == len(RANDOM) and details["mime"] == "application/octet-stream"
    assert details["entropy"] > 7.99 and flagged[0]["plugin_version"] == "1.0.0"
    assert files["/data/container.bin"]["attributes"]["high_entropy"] is True
    assert "high_entropy" not in files["/data/small-random.bin"]["attributes"]  # below min_size


def test_threshold_option(make_image, scan_image) -> None:
    img = make_image({"/a.bin": RNG.randbytes(8192), "/b.txt": b"abc" * 2000})
    res = scan_image(img, analyzers=["entropy"], options={"entropy": {"threshold": 7.999, "min_size": 100}})
    # requirements were added: file types were known although only "entropy" was asked for
    assert res.scan()["settings"]["analyzers"] == ["filetype", "entropy"]
    assert res.findings(plugin="entropy") == []  # 8 KiB of random data stays below 7.999
    assert res.file("/b.txt")["mime"] == "text/plain"


def test_byte_counts_equal_bincount_on_both_paths() -> None:
    """The pairwise histogram (long chunks) gives exactly np.bincount's counts, odd lengths included."""
    for n in (0, 1, 5, PAIRS_FROM - 1, PAIRS_FROM, PAIRS_FROM + 1, 3 * PAIRS_FROM + 7):
        for data in (random.Random(n).randbytes(n), b"\xff" * n, (b"\x00\x01\xfe" * n)[:n]):
            want = np.bincount(np.frombuffer(data, dtype=np.uint8), minlength=256)
            got = byte_counts(data)
            assert got.dtype == want.dtype and got.shape == (256,)
            assert (got == want).all(), n
