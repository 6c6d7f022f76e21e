"""The inventory: ``artifacts.csv`` (one row per exported file, original names in their display form
with the exact bytes in hex),
``left-out.csv`` (the redaction log) and a DFXML sidecar (``source.dfxml``)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from triage.case.store import deletion_label
from triage.evidence.names import name_escape_reason, row_name_bytes

COLUMNS = [
    "artifact_id",
    "bundle_path",
    "original_path",
    "original_name",
    "original_name_utf8_hex",
    "original_name_escaped",
    "exhibit",
    "evidence",
    "partition",
    "partition_offset",
    "inode",
    "attr_type",
    "attr_id",
    "stream",
    "case_file_id",
    "size",
    "md5",
    "sha1",
    "sha256",
    "sha512",
    "mime",
    "mtime_utc",
    "atime_utc",
    "ctime_utc",
    "crtime_utc",
    "deleted",
    "tags",
    "findings",
    "note",
    "deletion",
    "origin",
    "container_artifact_id",
    "member_path",
]
LEGACY_COLUMNS = COLUMNS[:-3]
"""The header of bundles written before container members were exported (still verified)."""
DFXML_NS = "https://example.org/triage/ns/dfxml"
"""Our elements in DFXML (it has none for a name's raw bytes): ``name_bytes_hex`` on every file
object, ``name_escaped`` (the reason) where ``filename`` shows the name's bytes escaped; a container
member's ``origin``, ``container_artifact`` and ``member_path``."""
LEFT_OUT_COLUMNS = [
    "case_file_id",
    "original_path",
    "original_name_utf8_hex",
    "original_name_escaped",
    "partition",
    "inode",
    "type",
    "size",
    "sha256",
    "reason",
]


def utc(ts: int | None) -> str:
    if not ts:
        return ""
    try:
        return datetime.fromtimestamp(int(ts), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    except (OverflowError, OSError, ValueError):
        return ""


def raw_hex(row: dict[str, Any]) -> str:
    """The name's exact bytes in hex, as the file system holds them (NFC and NFD differ here)."""
    return row_name_bytes(row).hex()


def escaped(row: dict[str, Any]) -> str:
    """Why ``original_name`` shows the bytes escaped (``\\xHH``, ``\\\\``), or empty when it is them verbatim."""
    return name_escape_reason(row_name_bytes(row)) or ""


def text(value: str) -> str:
    """A string safe to write as UTF-8 (undecodable bytes from the file system become U+FFFD)."""
    return value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _csv(rows: Sequence[Sequence[Any]], header: Sequence[str]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue()


def artifacts_csv(artifacts: Sequence[dict[str, Any]]) -> str:
    rows = []
    for a in artifacts:
        r = a["row"]
        h = a["hashes"]
        rows.append(
            [
                a["id"],
                a["bundle_path"],
                text(r["path"]),
                text(r["name"]),
                raw_hex(r),
                escaped(r),
                a["exhibit"].number,
                a["image_name"],
                r["partition"],
                r["partition_offset"],
                r["inode"],
                _n(r["attr_type"]),
                _n(r["attr_id"]),
                r.get("stream") or "",
                r["id"],
                r["size"],
                h.get("md5") or "",
                h.get("sha1") or "",
                h.get("sha256") or "",
                h.get("sha512") or "",
                r.get("mime") or "",
                utc(r.get("mtime")),
                utc(r.get("atime")),
                utc(r.get("ctime")),
                utc(r.get("crtime")),
                int(bool(r["deleted"])),
                ";".join(a["tags"]),
                ";".join(a["findings"]),
                a.get("note", ""),
                deletion_label(r),
                r.get("origin") or "fs",
                (a.get("container") or {}).get("id", ""),
                text(r.get("member_path") or ""),
            ]
        )
    return _csv(rows, COLUMNS)


def left_out_csv(left: Sequence[dict[str, Any]]) -> str:
    rows = [
        [
            x["row"]["id"],
            text(x["row"]["path"]),
            raw_hex(x["row"]),
            escaped(x["row"]),
            x["row"]["partition"],
            x["row"]["inode"],
            x["row"]["type"],
            x["row"]["size"],
            x["row"].get("sha256") or "",
            x["reason"],
        ]
        for x in left
    ]
    return _csv(rows, LEFT_OUT_COLUMNS)


def _n(v: Any) -> str:
    return "" if v is None else str(v)


def _xml_text(value: str) -> str:
    """XML 1.0 cannot hold control characters: write them as ``\\xNN`` (the CSV keeps them verbatim)."""
    out = "".join(c if c in "\t\n\r" or ord(c) >= 0x20 else f"\\x{ord(c):02x}" for c in text(value))
    return escape(out)


def dfxml(artifacts: Sequence[dict[str, Any]], images: Sequence[dict[str, Any]], tool: dict[str, Any]) -> str:
    """A DFXML 1.x document listing the exported files per image and partition."""
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<dfxml xmlns="http://www.forensicswiki.org/wiki/Category:Digital_Forensics_XML" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" '
        f'xmlns:triage="{DFXML_NS}" version="1.2.0">',
        "  <metadata><dc:type>File inventory of an evidence transfer bundle</dc:type></metadata>",
        f"  <creator><program>{escape(tool['name'])}</program><version>{escape(tool['version'])}</version>"
        "</creator>",
    ]
    for img in images:
        out.append("  <source>")
        out.append(f"    <image_filename>{_xml_text(img['name'])}</image_filename>")
        out.append(f"    <image_size>{img['size']}</image_size>")
        for k in ("md5", "sha1", "sha256"):
            if img["hashes"].get(k):
                out.append(f"    <hashdigest type={quoteattr(k)}>{img['hashes'][k]}</hashdigest>")
        out.append("  </source>")
        by_part: dict[tuple[int, str], list[dict[str, Any]]] = {}
        for a in artifacts:
            if a["image_key"] == img["key"]:
                where = (int(a["row"]["partition_offset"]), str(a["row"].get("partition_layer") or ""))
                by_part.setdefault(where, []).append(a)
        for (offset, layer), arts in sorted(by_part.items()):
            # a shadow copy store or an APFS volume lies in the volume at that offset: named by its layer
            out.append(f'  <volume offset="{offset}"' + (f' triage:layer="{layer}">' if layer else ">"))
            for a in arts:
                r = a["row"]
                out.append("    <fileobject>")
                out.append(f"      <filename>{_xml_text(r['path'].lstrip('/'))}</filename>")
                out.append(f"      <triage:name_bytes_hex>{raw_hex(r)}</triage:name_bytes_hex>")
                if escaped(r):
                    out.append(f"      <triage:name_escaped>{escape(escaped(r))}</triage:name_escaped>")
                out.append(f"      <partition>{r['partition']}</partition>")
                out.append(f"      <id>{r['id']}</id>")
                out.append(f"      <filesize>{r['size']}</filesize>")
                out.append(f"      <alloc>{0 if r['deleted'] else 1}</alloc>")
                if r.get("realloc"):  # fiwalk's split: the name is deleted, the metadata allocated again
                    out.append("      <alloc_name>0</alloc_name>")
                    out.append("      <alloc_inode>1</alloc_inode>")
                out.append(f"      <inode>{r['inode']}</inode>")
                if a.get("container"):  # a container member: the inode is its file-system file's
                    out.append(f"      <triage:origin>{escape(str(r.get('origin')))}</triage:origin>")
                    out.append(
                        f"      <triage:container_artifact>{a['container']['id']}</triage:container_artifact>"
                    )
                    out.append(
                        f"      <triage:member_path>{_xml_text(str(r['member_path']))}</triage:member_path>"
                    )
                for col in ("mtime", "atime", "ctime", "crtime"):
                    if r.get(col):
                        out.append(f"      <{col}>{utc(r[col])}</{col}>")
                for k in ("md5", "sha1", "sha256", "sha512"):
                    if a["hashes"].get(k):
                        out.append(f"      <hashdigest type={quoteattr(k)}>{a['hashes'][k]}</hashdigest>")
                if str(a.get("note", "")).startswith("DAMAGED"):
                    out.append(f"      <error>{_xml_text(a['note'])}</error>")
                out.append(f"      <bundle_path>{escape(a['bundle_path'])}</bundle_path>")
                out.append("    </fileobject>")
            out.append("  </volume>")
    out.append("</dfxml>")
    return "\n".join(out) + "\n"


def content_bytes(row: dict[str, Any]) -> int:
    """Bytes of content the scan read (less than ``size`` where libtsk stops early, as icat does)."""
    recorded = (row.get("attributes") or {}).get("content_bytes")
    return int(recorded) if recorded is not None else int(row["size"])
