"""Container members in a bundle (issue 20 item 3): a selected member goes in with its own bytes
and hashes and every container on its way to the file-system file; the CASE graph chains them
with Contained_Within relationships. Checked with tools that are not ours: ``unzip -p`` and
``tar -xO`` on the host's copy of the archive and on the bundled container, bagit.py,
sha256sum, case_validate."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import require_tools, run_triage
from fixtures.containers import MiB, targz, zip_of

from triage.testing.images.ext4 import make_ext4

ROOT = Path(__file__).resolve().parents[1]
REQUEST = ROOT / "examples" / "request.toml"
VENV_BIN = Path(sys.executable).parent
INNER = zip_of({"c.txt": b"inside the inner zip\n" * 5})
TREE = {
    "/arch/docs.zip": zip_of(
        {"a.txt": b"alpha\n" * 30, "sub/b.bin": bytes(range(256)) * 8, "inner.zip": INNER}
    ),
    "/arch/backup.tar.gz": targz({"etc/hosts": b"127.0.0.1 localhost\n", "notes/todo.txt": b"todo\n" * 40}),
    "/plain.txt": b"not a container\n",
}


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def run(*cmd: str, cwd: Path | None = None) -> bytes:
    return subprocess.run(cmd, check=True, capture_output=True, cwd=cwd).stdout


def venv_tool(name: str) -> str:
    path = shutil.which(name) or (str(VENV_BIN / name) if (VENV_BIN / name).exists() else None)
    if path is None:
        pytest.skip(f"{name} not installed")
    return path


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    require_tools("mke2fs", "debugfs", "unzip", "tar", "sha256sum")
    folder = tmp_path_factory.mktemp("members")
    img = make_ext4(folder / "members.img", dict(TREE), size=4 * MiB, label="members").path
    before = sha(img.read_bytes())
    host = folder / "host"
    for path, data in TREE.items():
        (host / path.lstrip("/")).parent.mkdir(parents=True, exist_ok=True)
        (host / path.lstrip("/")).write_bytes(data)
    case = folder / "case"
    run_triage("scan", str(img), "--case", str(case), "--workers", "1", check=True)
    lines = run_triage("files", "--json", str(case), check=True).stdout.splitlines()
    files = {f["path"]: f for f in map(json.loads, lines)}
    keys = folder / "keys"
    run_triage("keys", "new", "--out", str(keys), "--name", "ex", "--cn", "Ana Examiner", check=True)
    picked = [
        "/arch/docs.zip//inner.zip//c.txt",
        "/arch/docs.zip//a.txt",
        "/arch/backup.tar.gz//notes/todo.txt",
    ]
    ids = ",".join(str(files[p]["id"]) for p in picked)
    out = folder / "bundle"
    proc = run_triage(
        "export",
        str(case),
        "--out",
        str(out),
        "--select",
        f"ids:{ids}",
        "--request",
        str(REQUEST),
        "--sign-key",
        str(keys / "ex.key.pem"),
        "--sign-cert",
        str(keys / "ex.cert.pem"),
        check=True,
    )
    inv = list(
        csv.DictReader(io.StringIO((out / "data/inventory/artifacts.csv").read_text(encoding="utf-8")))
    )
    return {
        "img": img,
        "before": before,
        "host": host,
        "case": case,
        "files": files,
        "out": out,
        "stdout": proc.stdout,
        "inventory": {r["original_path"]: r for r in inv},
        "graph": json.loads((out / "data/case/bundle.jsonld").read_text(encoding="utf-8")),
        "keys": keys,
    }


def test_members_and_their_containers_are_in_the_bundle(exported: dict[str, Any]) -> None:
    inv, out = exported["inventory"], exported["out"]
    # three members selected; their containers come along: inner.zip (itself a member), docs.zip, the tar.gz
    assert sorted(inv) == sorted(
        [
            "/arch/docs.zip",
            "/arch/docs.zip//a.txt",
            "/arch/docs.zip//inner.zip",
            "/arch/docs.zip//inner.zip//c.txt",
            "/arch/backup.tar.gz",
            "/arch/backup.tar.gz//notes/todo.txt",
        ]
    )
    assert "exported 6 files" in exported["stdout"]
    host = exported["host"]
    docs, tgz = host / "arch/docs.zip", host / "arch/backup.tar.gz"
    # the member's bytes in the bundle are what unzip -p / tar -xO give from the host's own copy
    oracle = {
        "/arch/docs.zip//a.txt": run("unzip", "-p", str(docs), "a.txt"),
        "/arch/docs.zip//inner.zip": run("unzip", "-p", str(docs), "inner.zip"),
        "/arch/backup.tar.gz//notes/todo.txt": run("tar", "-xzOf", str(tgz), "notes/todo.txt"),
        "/arch/docs.zip": docs.read_bytes(),
        "/arch/backup.tar.gz": tgz.read_bytes(),
    }
    inner = host / "inner.zip"
    inner.write_bytes(oracle["/arch/docs.zip//inner.zip"])
    oracle["/arch/docs.zip//inner.zip//c.txt"] = run("unzip", "-p", str(inner), "c.txt")
    for path, want in oracle.items():
        row = inv[path]
        assert (out / row["bundle_path"]).read_bytes() == want, path
        assert row["sha256"] == sha(want) == exported["files"][path]["sha256"], path
        assert row["md5"] == hashlib.md5(want).hexdigest(), path
    c = inv["/arch/docs.zip//inner.zip//c.txt"]
    assert (c["origin"], c["member_path"], c["container_artifact_id"]) == (
        "member",
        "c.txt",
        inv["/arch/docs.zip//inner.zip"]["artifact_id"],
    )
    assert inv["/arch/docs.zip//inner.zip"]["container_artifact_id"] == inv["/arch/docs.zip"]["artifact_id"]
    assert inv["/arch/docs.zip"]["origin"] == "fs" and inv["/arch/docs.zip"]["container_artifact_id"] == ""
    assert inv["/arch/docs.zip//inner.zip"]["note"].startswith(
        "not selected itself: exported as the container"
    )
    assert sha(exported["img"].read_bytes()) == exported["before"]  # evidence unchanged


def test_contained_within_chains_member_to_container_to_image(exported: dict[str, Any]) -> None:
    inv, nodes = exported["inventory"], exported["graph"]["@graph"]
    by_id = {n["@id"]: n for n in nodes}

    def file_node(path: str) -> dict[str, Any]:
        sha256 = inv[path]["sha256"]
        found = [
            n
            for n in nodes
            if n.get("@type") == "uco-observable:File"
            and any(
                h["uco-types:hashValue"]["@value"] == sha256 and h["uco-types:hashMethod"] == "SHA256"
                for f in n["uco-core:hasFacet"]
                for h in f.get("uco-observable:hash", [])
            )
        ]
        assert len(found) == 1, path
        return found[0]

    def within(node: dict[str, Any]) -> tuple[dict[str, Any], str]:
        rels = [
            n
            for n in nodes
            if n.get("@type") == "uco-observable:ObservableRelationship"
            and n["uco-core:source"] == {"@id": node["@id"]}
        ]
        assert len(rels) == 1
        rel = rels[0]
        assert (
            rel["uco-core:kindOfRelationship"] == "Contained_Within" and rel["uco-core:isDirectional"] is True
        )
        (facet,) = rel["uco-core:hasFacet"]
        assert facet["@type"] == "uco-observable:PathRelationFacet"
        return by_id[rel["uco-core:target"]["@id"]], facet["uco-observable:path"]

    c = file_node("/arch/docs.zip//inner.zip//c.txt")
    target, path = within(c)
    assert target is file_node("/arch/docs.zip//inner.zip") and path == "c.txt"
    target, path = within(target)
    assert target is file_node("/arch/docs.zip") and path == "inner.zip"
    target, path = within(target)
    assert "uco-observable:Image" in target["@type"] and path == "/p0/arch/docs.zip"  # its existing location
    todo = file_node("/arch/backup.tar.gz//notes/todo.txt")
    target, path = within(todo)
    assert target is file_node("/arch/backup.tar.gz") and path == "notes/todo.txt"
    ff = next(f for f in c["uco-core:hasFacet"] if f["@type"] == "uco-observable:FileFacet")
    assert ff["uco-observable:filePath"] == "/arch/docs.zip//inner.zip//c.txt"


def test_bundle_validates_and_readme_commands_check_each_member(exported: dict[str, Any]) -> None:
    out = exported["out"]
    proc = subprocess.run([venv_tool("bagit.py"), "--validate", str(out)], capture_output=True, text=True)
    assert proc.returncode == 0 and "is valid" in proc.stderr, proc.stderr
    proc = subprocess.run(["sha256sum", "-c", "manifest-sha256.txt"], cwd=out, capture_output=True, text=True)
    assert proc.returncode == 0 and proc.stdout.count(": OK") == 6 + 11, proc.stdout
    proc = run_triage("verify", str(out), "--ca", str(exported["keys"] / "ex.cert.pem"))
    assert "OK   inventory: 6 inventory rows agree" in proc.stdout and "VERIFIED" in proc.stdout, proc.stdout
    # the README's command for each member, run by a shell from the bag root, prints the member's SHA-256
    readme = (out / "data/README.txt").read_text(encoding="utf-8")
    members = {p: r for p, r in exported["inventory"].items() if r["origin"] == "member"}
    for path, row in members.items():
        line = f"{row['artifact_id']}: "
        block = readme[readme.index(line) :].splitlines()
        assert block[1].strip() == f"sha256 {row['sha256']}", path
        command = block[2].strip().split("   (", 1)[0]
        got = subprocess.run(["sh", "-c", command], cwd=out, capture_output=True, text=True, check=True)
        assert got.stdout.split()[0] == row["sha256"], (path, command)
    assert "unzip -p data/artifacts/" in readme and "tar -xOf data/artifacts/" in readme
    if shutil.which("case_validate") or (VENV_BIN / "case_validate").exists():
        proc = subprocess.run(
            [venv_tool("case_validate"), str(out / "data/case/bundle.jsonld")], capture_output=True, text=True
        )
        assert proc.returncode == 0 and "Conforms: True" in proc.stdout, proc.stdout[-3000:]


def test_a_member_of_an_excluded_container_is_left_out_with_the_reason(
    exported: dict[str, Any], tmp_path: Path
) -> None:
    files = exported["files"]
    member, container = files["/arch/docs.zip//a.txt"], files["/arch/docs.zip"]
    out = tmp_path / "b"
    run_triage(
        "export",
        str(exported["case"]),
        "--out",
        str(out),
        "--select",
        f"ids:{member['id']},{files['/plain.txt']['id']}",
        "--exclude",
        f"ids:{container['id']}::privileged",
        "--request",
        str(REQUEST),
        check=True,
    )
    left = list(
        csv.DictReader(io.StringIO((out / "data/inventory/left-out.csv").read_text(encoding="utf-8")))
    )
    assert [(r["original_path"], r["reason"]) for r in left] == [
        (
            "/arch/docs.zip//a.txt",
            f"inside /arch/docs.zip, which is excluded: privileged (ids:{container['id']})",
        )
    ]
    inv = (out / "data/inventory/artifacts.csv").read_text(encoding="utf-8")
    assert "/plain.txt" in inv and "docs.zip" not in inv
