"""The cover sheet of a real export of the demo case, checked with tools that are not ours:
pdftotext/pdffonts (poppler) for content and fonts, pdftotext -bbox-layout for right-to-left
Arabic, pdfsig (with an NSS trust store) and `pyhanko sign validate` for the PAdES signature."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from triage.case.store import Case
from triage.export import export_bundle
from triage.export.cover import cover_html, cover_pdf
from triage.export.keys import issue_examiner_cert, make_ca
from triage.export.signing import load_signer
from triage.i18n import translator

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "examples" / "demo.raw"
REQUEST = ROOT / "examples" / "request.toml"
VENV_BIN = Path(sys.executable).parent


def tool(name: str) -> str:
    path = shutil.which(name) or (str(VENV_BIN / name) if (VENV_BIN / name).exists() else None)
    if path is None:
        pytest.skip(f"{name} not installed")
    return path


def run(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(args, capture_output=True, text=True, timeout=120)
    if check and proc.returncode != 0:
        raise AssertionError(f"{' '.join(args)} -> {proc.returncode}\n{proc.stdout}\n{proc.stderr}")
    return proc


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("keys")
    ca_key, ca_cert = make_ca(d, "Cover Test CA")
    ex = issue_examiner_cert(
        d, "ana", ca_key, ca_cert, common_name="Ana Examiner", email="ana@police.example"
    )
    return {"key": ex.key, "cert": ex.cert, "ca": d / "ca.pem"}


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory, keys: dict[str, Path]) -> Path:
    """One export of the scanned demo case, its cover sheet in English, signed with the test CA's
    examiner certificate."""
    if not DEMO.is_file():
        pytest.skip("examples/demo.raw is missing")
    case_dir = tmp_path_factory.mktemp("case") / "demo"
    run(sys.executable, "-m", "triage", "scan", str(DEMO), "--case", str(case_dir))
    out = tmp_path_factory.mktemp("out") / "bundle"
    signer = load_signer(keys["key"], keys["cert"])
    with Case.open(case_dir) as case:
        export_bundle(case, out, "all", REQUEST, signer=signer, languages="en")
    return out


@pytest.fixture(scope="module")
def sheet(bundle: Path) -> dict:
    return json.loads((bundle / "data/cover-sheet/cover-sheet.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def sheets(bundle: Path, sheet: dict, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The exported (English) sheet, and the same sheet's JSON twin rendered in fr, ar and zh
    (what `--language fr` etc. write: one export keeps the test short)."""
    d = tmp_path_factory.mktemp("sheets")
    paths = {"en": bundle / "data/cover-sheet/cover-sheet.pdf"}
    for lang in ("fr", "ar", "zh"):
        paths[lang] = d / f"cover-{lang}.pdf"
        paths[lang].write_bytes(cover_pdf(sheet, (lang,)))
    return paths


def _text(pdf: Path) -> str:
    return run(tool("pdftotext"), "-enc", "UTF-8", str(pdf), "-").stdout


def test_every_hash_in_every_language(sheets: dict[str, Path], sheet: dict) -> None:
    artifact_hashes = [a["sha256"] for a in sheet["artifacts"]]
    image_hashes = [ex["evidence_hashes"]["sha256"] for ex in sheet["exhibits"]]
    assert len(artifact_hashes) == sheet["summary"]["files"] > 10
    assert all(re.fullmatch(r"[0-9a-f]{64}", h) for h in artifact_hashes + image_hashes)
    for lang, pdf in sheets.items():
        text = _text(pdf)
        missing = [h for h in artifact_hashes + image_hashes if h not in text]
        assert not missing, (lang, missing)
        # labels come from the catalogue; user content (the exhibit description) is never translated
        assert translator(lang, "cover")("Chain of custody") in text, lang
        assert sheet["exhibits"][0]["description"].split()[0] in text


def test_every_font_is_embedded(sheets: dict[str, Path]) -> None:
    for lang, pdf in sheets.items():
        lines = run(tool("pdffonts"), str(pdf)).stdout.splitlines()[2:]
        assert lines, lang
        for line in lines:
            # name type encoding emb sub uni object ID: the "emb" column is the 4th from the end
            assert line.split()[-5] == "yes", (lang, line)
    names = run(tool("pdffonts"), str(sheets["ar"])).stdout + run(tool("pdffonts"), str(sheets["zh"])).stdout
    assert "NotoNaskhArabic" in names and "NotoSansCJK" in names


def test_arabic_reads_right_to_left(sheets: dict[str, Path]) -> None:
    """The title's words, as laid out on the page (pdftotext -bbox-layout: glyphs left to right),
    are the logical words in reverse order, each word's glyphs mirrored: the logical first word is
    right-most."""
    title = translator("ar", "cover")("Evidence transfer cover sheet")
    logical = title.split()
    assert len(logical) >= 3
    xml = run(tool("pdftotext"), "-bbox-layout", "-f", "1", "-l", "1", str(sheets["ar"]), "-").stdout
    words = [
        (float(m.group(1)), float(m.group(2)), m.group(3))
        for m in re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]*)</word>', xml)
    ]
    top = min(y for _, y, _ in words)
    line = sorted((x, w) for x, y, w in words if abs(y - top) < 1.0)
    visual = [w for _, w in line]
    assert [w[::-1] for w in reversed(visual)] == logical, visual
    assert line[-1][1][::-1] == logical[0]  # right-most
    # an Arabic page is mirrored: the title starts at the right margin
    assert line[-1][0] > 400


def test_html_is_self_contained_and_right_to_left(sheet: dict, bundle: Path) -> None:
    html = (bundle / "data/cover-sheet/cover-sheet.html").read_text(encoding="utf-8")
    assert '<html lang="en" dir="ltr">' in html
    assert not re.search(r'(src|href)="(https?:)?//', html)
    assert all(a["sha256"] in html for a in sheet["artifacts"])
    bilingual = cover_html(sheet, ("fr", "en"))
    assert "Scellé / Exhibit" in bilingual and '<p class="small" lang="en" dir="ltr">' in bilingual
    assert '<html lang="ar" dir="rtl">' in cover_html(sheet, ("ar",))


def test_pades_signature_checks_with_pdfsig_and_pyhanko(
    bundle: Path, keys: dict[str, Path], tmp_path: Path
) -> None:
    signed = bundle / "signatures/cover-sheet.pdf"
    nss = tmp_path / "nss"
    nss.mkdir()
    certutil = tool("certutil")
    run(certutil, "-N", "-d", f"sql:{nss}", "--empty-password")
    run(certutil, "-A", "-d", f"sql:{nss}", "-n", "cover-test-ca", "-t", "CT,C,C", "-i", str(keys["ca"]))
    pdfsig = run(tool("pdfsig"), "-nssdir", f"sql:{nss}", str(signed)).stdout
    assert "Signature Validation: Signature is Valid." in pdfsig, pdfsig
    assert "Certificate Validation: Certificate is Trusted." in pdfsig, pdfsig
    assert "Signer Certificate Common Name: Ana Examiner" in pdfsig
    assert "Total document signed" in pdfsig
    pyhanko = tool("pyhanko")
    ok = run(pyhanko, "sign", "validate", "--pretty-print", "--trust", str(keys["ca"]), str(signed))
    assert "The signer's certificate is trusted." in ok.stdout and "cryptographically sound" in ok.stdout
    # the signed copy names the signer and the certificate's SHA-256 fingerprint on its first page
    fingerprint = load_signer(keys["key"], keys["cert"]).describe()["fingerprint"]  # type: ignore[union-attr]
    first_page = run(tool("pdftotext"), "-f", "1", "-l", "1", str(signed), "-").stdout
    assert fingerprint in first_page and "Ana Examiner" in first_page
    # one flipped byte inside the signed range: both tools fail
    ranges = re.search(r"Signed Ranges: \[(\d+) - (\d+)\]", pdfsig)
    assert ranges
    data = bytearray(signed.read_bytes())
    data[(int(ranges.group(1)) + int(ranges.group(2))) // 2] ^= 0x01
    tampered = tmp_path / "tampered.pdf"
    tampered.write_bytes(bytes(data))
    bad = run(tool("pdfsig"), "-nssdir", f"sql:{nss}", str(tampered), check=False).stdout
    assert "Signature is Valid." not in bad, bad
    assert "Digest Mismatch" in bad or "Invalid" in bad, bad
    proc = run(pyhanko, "sign", "validate", "--trust", str(keys["ca"]), str(tampered), check=False)
    assert proc.returncode != 0 and "INVALID" in proc.stdout + proc.stderr


def test_data_cover_sheet_does_not_depend_on_the_signer(bundle: Path, sheet: dict) -> None:
    """The cover sheet in data/ is reproducible and signer-free: rendering its JSON twin again
    gives the same bytes; only the signed copy in signatures/ names the signer."""
    data_pdf = bundle / "data/cover-sheet/cover-sheet.pdf"
    assert cover_pdf(sheet, ("en",)) == data_pdf.read_bytes()
    assert "Ana Examiner" not in json.dumps(sheet.get("signer", ""))


def test_bad_language_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Checked before the case is opened: exit 2, one line naming the option and the code."""
    from triage.cli import main

    args = ["export", str(tmp_path / "nocase"), "--out", str(tmp_path / "o"), "--request", str(REQUEST)]
    assert main([*args, "--language", "en,xx"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "--language" in err and "'xx'" in err, err
