"""Volume layers other than BitLocker/LUKS: LVM2 (a real physical volume written by the LVM2 tools),
APFS (a real container written by apfsprogs' mkapfs: an empty volume), FileVault 2 and volume
shadow copies (no Linux tool writes either: synthetic headers only). Oracles: fls/icat on the image
at the offsets ``pvs``/``lvs`` report, vslvminfo, fsapfsinfo, and the volume name given to mkapfs."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from conftest import require_tools, run_triage
from fixtures.lvm import DELETED, build_lvm_pv
from oracle import check_against_tsk


@pytest.fixture(scope="module")
def lvm(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    require_tools("fls", "icat")
    d = tmp_path_factory.mktemp("lvm")
    image, plain, offsets = build_lvm_pv(d)
    return {"image": image, "plain": plain, "offsets": offsets}


def _records(case: Path) -> list[dict]:
    from triage.case.store import Case

    with Case.open(case, readonly=True) as c:
        return [dict(r) for r in c.iter_files()]


def test_lvm2_logical_volumes_are_partitions(lvm: dict[str, Any], tmp_path: Path) -> None:
    """Each LV is a partition at the offset lvs/pvs report; the ext4 in LV ``data`` is inventoried
    and hashed as fls/icat see it at that offset (deleted file included); LV ``empty`` is a gap."""
    from triage.evidence.image import open_image
    from triage.evidence.volumes import read_layout

    image = open_image(lvm["image"])
    try:
        layout = read_layout(image)
    finally:
        image.close()
    assert layout.volume_system == "LVM2"
    got = {p.description.split()[3]: p for p in layout.partitions}
    assert set(got) == {"vgfix/data", "vgfix/empty"}
    assert got["vgfix/data"].offset == lvm["offsets"]["data"] and got["vgfix/data"].fs_type == "ext4"
    assert got["vgfix/empty"].offset == lvm["offsets"]["empty"] and got["vgfix/empty"].fs_type is None
    if shutil.which("vslvminfo"):  # libvslvm's own tool names the same logical volumes
        out = subprocess.run(["vslvminfo", str(lvm["image"])], capture_output=True, text=True).stdout
        assert "Name:\t\t\t\t\tdata" in out and "Name:\t\t\t\t\tempty" in out

    case = tmp_path / "case"
    proc = run_triage(
        "scan", str(lvm["image"]), "--case", str(case), "--no-evidence-hash", "--analyzers", "hashes"
    )
    assert proc.returncode == 0, proc.stderr  # LV "empty" is like an unformatted partition
    records = _records(case)
    assert {r["partition_offset"] for r in records} == {lvm["offsets"]["data"]}
    counts = check_against_tsk(lvm["image"], records)
    assert counts["deleted"] == len(DELETED) and counts["hashed"] >= 3


def _fsapfsinfo_hierarchy(img: Path) -> list[str]:
    """The paths ``fsapfsinfo -H`` (libfsapfs-utils) lists below the volume's root."""
    out = subprocess.run(["fsapfsinfo", "-H", str(img)], capture_output=True, text=True, check=True).stdout
    lines = [line for line in out.split("File system hierarchy:", 1)[1].splitlines() if line.startswith("/")]
    root = lines[0]  # "/{volume identifier}/": the volume's root
    assert root.startswith("/{") and root.endswith("}/"), out
    return [line[len(root) - 1 :].rstrip("/") for line in lines[1:]]


def test_apfs_volume_walked_as_partition(tmp_path: Path) -> None:
    """mkapfs writes a real container: its volume is a partition of its own (``apfs1``), walked
    through libfsapfs. mkapfs writes an *empty* volume (no Linux tool adds files to APFS), so the
    inventory is empty, as ``fsapfsinfo -H`` lists nothing below the root; no gap is recorded for it."""
    from triage.case.store import Case

    require_tools("mkapfs", "fsapfsinfo")
    img = tmp_path / "apfs.img"
    with open(img, "wb") as fh:
        fh.truncate(512 * 1024 * 1024)  # sparse; mkapfs refuses small containers
    subprocess.run(["mkapfs", "-L", "casevol", str(img)], check=True, capture_output=True)
    proc = run_triage("info", str(img))
    assert proc.returncode == 0, proc.stderr
    assert "Volume system: APFS" in proc.stdout
    assert (
        "Partition 0 at byte 0 (512.0 MiB): apfs (apfs1: APFS volume casevol (APFS container at byte 0))"
        in proc.stdout
    ), proc.stdout
    assert "not walked" not in proc.stdout
    case = tmp_path / "case"
    proc = run_triage("scan", str(img), "--case", str(case), "--no-evidence-hash", "--analyzers", "hashes")
    assert proc.returncode == 0, proc.stderr
    with Case.open(case, readonly=True) as c:
        parts = c.partitions()
        records = [dict(r) for r in c.iter_files()]
        gaps = [g for g in c.gaps() if g.partition_id is not None]
    assert [(p["idx"], p["fs_type"], p["error"], p["volume"]) for p in parts] == [
        (0, "apfs", None, {"layer": "apfs1"})
    ]
    assert [r["path"] for r in records] == _fsapfsinfo_hierarchy(img) == []
    assert gaps == []


def test_apfs_reader_reads_the_volume_root(tmp_path: Path) -> None:
    """The walk and the content reader's APFS path open the volume by layer: the root directory's
    identifier is 2 (fsapfsinfo -E lists "Identifier: 2 … Name: root"), and a file entry read through
    the reader's APFS file object gives no bytes past its size (a directory: 0)."""
    from triage.evidence import apfs
    from triage.evidence.image import open_image
    from triage.evidence.volumes import open_filesystem

    require_tools("mkapfs", "fsapfsinfo")
    img = tmp_path / "apfs.img"
    with open(img, "wb") as fh:
        fh.truncate(512 * 1024 * 1024)
    subprocess.run(["mkapfs", "-L", "casevol", str(img)], check=True, capture_output=True)
    listed = subprocess.run(["fsapfsinfo", "-E", "all", str(img)], capture_output=True, text=True).stdout
    assert "Identifier\t\t: 2\n\tName\t\t\t: root" in listed
    image = open_image(img)
    try:
        volume = open_filesystem(image, 0, "apfs1")
        assert int(volume.get_root_directory().identifier) == 2
        assert list(apfs.walk(volume)) == []
        root = apfs.open_entry(volume, 2)
        assert root.size == 0 and root.read_random(0, 4096) == b""
    finally:
        apfs.forget()
        image.close()


def test_filevault2_signature_detected_unlock_is_clear_error(tmp_path: Path) -> None:
    """No tool writes Core Storage: a volume header with the ``CS`` signature is detected as
    FileVault 2, and --unlock fails with one line naming the volume and libfvde's reason."""
    img = tmp_path / "cs.img"
    head = bytearray(8 * 1024 * 1024)
    head[88:90] = b"CS"
    head[90:92] = (1).to_bytes(2, "little")
    img.write_bytes(bytes(head))
    proc = run_triage("info", str(img))
    assert "Encrypted volume: FileVault 2 (Core Storage)" in proc.stdout
    assert "not tested against real data" in proc.stdout
    proc = run_triage("info", str(img), "--unlock", "password:fv-secret")
    assert proc.returncode == 2
    line = proc.stderr.strip()
    assert "\n" not in line and "volume 0 (FileVault 2 (Core Storage) at byte 0)" in line
    assert "libfvde cannot open the volume" in line and "fv-secret" not in line


def _ntfs_with_vss_header(tmp_path: Path, catalog: int = 0) -> Path:
    """An mkntfs volume with a VSS volume header at 0x1e00 (libvshadow's layout: identifier,
    version 1, record type 1, the header's own offset, then the catalog offset)."""
    import struct

    from triage.evidence.volumes import VSS_IDENTIFIER

    require_tools("mkntfs")
    img = tmp_path / "vss.img"
    with open(img, "wb") as fh:
        fh.truncate(8 * 1024 * 1024)
    subprocess.run(["mkntfs", "-q", "-F", "-f", str(img)], check=True, capture_output=True)
    with open(img, "r+b") as fh:
        fh.seek(0x1E00)
        assert fh.read(16) == bytes(16)  # mkntfs leaves the place empty
        fh.seek(0x1E00)
        fh.write(VSS_IDENTIFIER + struct.pack("<IIQQQQQ", 1, 1, 0x1E00, 0, 0, catalog, 0))
    return img


def test_vss_header_without_stores_walks_nothing_more(tmp_path: Path) -> None:
    """No Linux tool writes shadow copies: an NTFS (mkntfs) with a VSS volume header at 0x1e00 and
    no catalog is listed by ``info`` (libvshadow counts 0 stores); a scan adds no ``vssN``
    partition, records no gap for the shadow copies, and inventories the live volume as fls does."""
    from triage.case.store import Case

    img = _ntfs_with_vss_header(tmp_path)
    proc = run_triage("info", str(img))
    assert "ntfs" in proc.stdout and "Volume shadow copies: 0 (no store to walk)" in proc.stdout
    assert "vss1" not in proc.stdout
    case = tmp_path / "case"
    proc = run_triage("scan", str(img), "--case", str(case), "--no-evidence-hash", "--analyzers", "hashes")
    assert proc.returncode == 0, proc.stderr
    with Case.open(case, readonly=True) as c:
        assert c.gaps() == []
        parts = c.partitions()
        records = [dict(r) for r in c.iter_files()]
    assert [(p["idx"], p["fs_type"], p["volume"]) for p in parts] == [(0, "ntfs", None)]
    assert {r["partition_layer"] for r in records} == {""}
    check_against_tsk(img, records)


def test_vss_store_that_cannot_be_listed_is_a_gap(tmp_path: Path) -> None:
    """A VSS header whose catalog offset points past the volume: libvshadow cannot list the stores,
    so no ``vssN`` partition is made and the scan records one not-scanned gap saying why."""
    from triage.case.records import GapKind
    from triage.case.store import Case

    img = _ntfs_with_vss_header(tmp_path, catalog=64 * 1024 * 1024)
    proc = run_triage("info", str(img))
    assert "(not walked: the stores cannot be listed)" in proc.stdout, proc.stdout
    case = tmp_path / "case"
    proc = run_triage("scan", str(img), "--case", str(case), "--no-evidence-hash", "--analyzers", "hashes")
    assert proc.returncode == 0, proc.stderr
    with Case.open(case, readonly=True) as c:
        (gap,) = c.gaps()
        assert len(c.partitions()) == 1
    assert gap.kind == GapKind.NOT_SCANNED
    assert gap.reason.startswith(
        "volume shadow copies of the ntfs volume at byte 0: libvshadow cannot open it"
    )
    assert gap.reason.endswith(": not walked (docs/formats.md)")


def test_vss_layer_names_are_checked(tmp_path: Path) -> None:
    """A layer name is checked (``vssN``, ``apfsN``), and a store or container that does not exist
    is an EvidenceError naming it (not a crash); no layer is the live volume."""
    from triage.errors import EvidenceError
    from triage.evidence.image import open_image
    from triage.evidence.volumes import forget_snapshots, fs_type_name, open_filesystem

    img = _ntfs_with_vss_header(tmp_path)
    image = open_image(img)
    try:
        with pytest.raises(EvidenceError, match="unknown volume layer 'zfs1'"):
            open_filesystem(image, 0, "zfs1")
        with pytest.raises(EvidenceError, match="libvshadow cannot open store vss1"):
            open_filesystem(image, 0, "vss1")
        with pytest.raises(EvidenceError, match="^APFS container: libfsapfs cannot open it"):
            open_filesystem(image, 0, "apfs1")
        assert fs_type_name(open_filesystem(image, 0)) == "ntfs"  # the live volume, as before
    finally:
        forget_snapshots()
        image.close()
