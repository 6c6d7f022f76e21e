"""The export wizard on a real X server (Xvfb, xcb), typed into through the X server as an
examiner would: the bundle carries the typed authorities and "Sent by", it verifies with the core
verifier and with bagit, and Qt prints no warning."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from triage_ui.qtmessages import bad_messages

from tests.ui.xdisplay import gui_env, xdotool
from triage.case.records import CaseInfo
from triage.case.store import Case

pytestmark = pytest.mark.gui


def _keys(display: str, *steps: tuple[str, str]) -> None:
    """Each step: ("type", text) or ("key", keysym …), with a pause for the page to settle."""
    for kind, value in steps:
        if kind == "type":
            xdotool(display, "type", "--delay", "15", value)
        else:
            xdotool(display, "key", *value.split())
        time.sleep(0.4)


def test_export_wizard_typed_on_a_real_display(
    xserver: str,
    tmp_path: Path,
    scanned_demo: Path,
) -> None:
    exe = Path(sys.executable).with_name("triage")
    if not exe.is_file():
        pytest.skip(f"{exe} is not installed (pip install -e .)")
    from triage.export import verify_bundle
    from triage.export.keys import new_examiner_key

    case_dir = tmp_path / "case"
    shutil.copytree(scanned_demo, case_dir)
    with Case.open(case_dir) as case:
        case.set_case_info(
            CaseInfo(
                examiner="Ana Examiner",
                organisation="Digital Forensics Unit",
                requesting_authority="Parquet de Lyon",
            )
        )
        for row in case.iter_files("f.type='r' AND f.name IN ('brief.txt', 'plans.txt')"):
            case.add_tag(row["id"], "abroad")
    keys = new_examiner_key(tmp_path / "keys", "ana", common_name="Ana Examiner")
    out = tmp_path / "EIO-7"
    env = gui_env(xserver, tmp_path)
    gui = subprocess.Popen(
        [str(exe), "gui", str(case_dir)], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        assert xdotool(xserver, "search", "--sync", "--onlyvisible", "--name", "triage")
        time.sleep(1.5)
        xdotool(xserver, "mousemove", "600", "300", "click", "1")
        xdotool(xserver, "key", "ctrl+shift+e")
        wizard = xdotool(xserver, "search", "--sync", "--onlyvisible", "--name", "Export bundle")
        assert wizard, "the export wizard did not open"
        time.sleep(1)
        _keys(
            xserver,
            ("key", "Return"),  # the tagged files → Request; the cursor is in the reference field
            ("type", "EIO-7"),
            ("key", "Tab"),
            ("type", "Directive 2014/41/EU"),
            ("key", "Return"),  # → Sender, prefilled from the case
            ("key", "Return"),  # → Signature; the cursor is in the key field
            ("type", str(keys.key)),
            ("key", "Return"),  # → Destination; the cursor is in the folder field
            ("type", str(out)),
            ("key", "Return"),  # → export and verification
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not (out / "data" / "README.txt").is_file():
            time.sleep(0.5)
        time.sleep(3)  # the verification job
        xdotool(xserver, "key", "Escape")  # Close
        time.sleep(0.5)
        xdotool(xserver, "mousemove", "600", "300", "click", "1")
        xdotool(xserver, "key", "ctrl+q")
        output, _ = gui.communicate(timeout=30)
    finally:
        if gui.poll() is None:
            gui.kill()
            gui.communicate()
    lines = (out / "data" / "README.txt").read_text(encoding="utf-8").splitlines()
    assert "Requesting authority: Parquet de Lyon" in lines
    assert "Sent by: Ana Examiner, Digital Forensics Unit" in lines
    assert "Legal-Basis: Directive 2014/41/EU" in (out / "bag-info.txt").read_text(encoding="utf-8")
    report = verify_bundle(out, ca=keys.cert, require_signature=True)
    assert report.ok and report.signed == ["cms"], report.report
    import bagit

    bagit.Bag(str(out)).validate()
    with Case.open(case_dir, readonly=True) as case:
        assert [a.action for a in case.audit_log() if a.action.startswith("export.")] == ["export.created"]
    warnings = sorted(bad_messages(output))
    assert not warnings, "Qt warned on the real display:\n" + "\n".join(warnings)
    assert gui.returncode == 0, output
