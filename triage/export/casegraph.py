"""The CASE 1.5.0 / UCO JSON-LD graph of a bundle (``data/case/bundle.jsonld``).

Every node id is ``kb:<Kind>-<UUIDv5>`` from case-stable keys (see :mod:`triage.export.ids`),
no blank nodes, ``hashValue`` typed ``xsd:hexBinary`` and ``hashMethod`` a plain vocabulary
string, so ``case_validate`` passes with no flags. Only case data goes in: no "now"
timestamps, so the same case and selection give a byte-identical graph.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from triage.case.store import deletion_label
from triage.export.ids import iri
from triage.export.inventory import content_bytes, escaped, raw_hex

CONTEXT = {
    "kb": "http://example.org/kb/",
    "case-investigation": "https://ontology.caseontology.org/case/investigation/",
    "uco-action": "https://ontology.unifiedcyberontology.org/uco/action/",
    "uco-core": "https://ontology.unifiedcyberontology.org/uco/core/",
    "uco-identity": "https://ontology.unifiedcyberontology.org/uco/identity/",
    "uco-observable": "https://ontology.unifiedcyberontology.org/uco/observable/",
    "uco-tool": "https://ontology.unifiedcyberontology.org/uco/tool/",
    "uco-types": "https://ontology.unifiedcyberontology.org/uco/types/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
HASH_METHODS = (("md5", "MD5"), ("sha1", "SHA1"), ("sha256", "SHA256"), ("sha512", "SHA512"))
_TIMES = (
    ("mtime", "modifiedTime"),
    ("atime", "accessedTime"),
    ("ctime", "metadataChangeTime"),
    ("crtime", "observableCreatedTime"),
)


def ref(node_id: str) -> dict[str, str]:
    return {"@id": node_id}


def dt_literal(value: str | int) -> dict[str, str]:
    """An ``xsd:dateTime`` literal from epoch seconds or an ISO string."""
    if isinstance(value, int):
        text = datetime.fromtimestamp(value, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    else:
        text = value if "T" in value else f"{value}T00:00:00Z"
    return {"@type": "xsd:dateTime", "@value": text}


def _hashes(owner: str, values: dict[str, str | None]) -> list[dict[str, Any]]:
    out = []
    for key, method in HASH_METHODS:
        v = values.get(key)
        if v:
            out.append(
                {
                    "@id": iri("Hash", owner, method),
                    "@type": "uco-types:Hash",
                    "uco-types:hashMethod": method,
                    "uco-types:hashValue": {"@type": "xsd:hexBinary", "@value": v.lower()},
                }
            )
    return out


def build_graph(
    *,
    bundle_key: str,
    request: Any,
    tool: dict[str, Any],
    images: Sequence[dict[str, Any]],
    artifacts: Sequence[dict[str, Any]],
    scans: Sequence[dict[str, Any]],
    metadata_only: bool,
    decryptions: Sequence[dict[str, Any]] = (),
) -> dict[str, Any]:
    """The graph. ``images``: ``{key, name, size, format, hashes, exhibit}``; ``artifacts``:
    ``{key, id, row, hashes, bundle_path, exhibit, image_key}`` in bundle order."""
    ref_ = request.reference
    nodes: list[dict[str, Any]] = []
    auth = iri("Authorization", ref_, request.legal_basis)
    inv = iri("Investigation", ref_)
    person = iri("Person", request.examiner["name"])
    role = iri("Role", "examiner")
    tool_id = iri("Tool", tool["name"], tool["version"], tool["settings_sha256"])
    scan_action = iri("InvestigativeAction", bundle_key, "extraction")
    export_action = iri("InvestigativeAction", bundle_key, "export")

    authorization: dict[str, Any] = {
        "@id": auth,
        "@type": "case-investigation:Authorization",
        "case-investigation:authorizationType": request.legal_basis,
        "case-investigation:authorizationIdentifier": ref_,
    }
    if request.request.get("date"):
        authorization["uco-core:startTime"] = dt_literal(str(request.request["date"]))
    focus = [str(request.request["offence"])] if request.request.get("offence") else []
    investigation: dict[str, Any] = {
        "@id": inv,
        "@type": "case-investigation:Investigation",
        "uco-core:name": str(request.request.get("case_number") or ref_),
        "case-investigation:investigationForm": "case",
        "case-investigation:relevantAuthorization": ref(auth),
        "uco-core:object": [ref(scan_action), ref(export_action)],
    }
    if focus:
        investigation["case-investigation:focus"] = focus
    if request.request.get("summary"):
        investigation["uco-core:description"] = str(request.request["summary"])
    name_facet: dict[str, Any] = {
        "@id": iri("SimpleNameFacet", request.examiner["name"]),
        "@type": "uco-identity:SimpleNameFacet",
    }
    given, family = _split_name(request.examiner)
    if given:
        name_facet["uco-identity:givenName"] = given
    if family:
        name_facet["uco-identity:familyName"] = family
    nodes += [
        investigation,
        authorization,
        {
            "@id": person,
            "@type": "uco-identity:Person",
            "uco-core:name": request.examiner["name"],
            "uco-core:hasFacet": [name_facet],
        },
        {"@id": role, "@type": "case-investigation:Examiner", "uco-core:name": "Digital forensic examiner"},
        {
            "@id": iri("Relationship", person, role, "Has_Role"),
            "@type": "uco-core:Relationship",
            "uco-core:source": ref(person),
            "uco-core:target": ref(role),
            "uco-core:kindOfRelationship": "Has_Role",
            "uco-core:isDirectional": True,
        },
        {
            "@id": tool_id,
            "@type": "uco-tool:AnalyticTool",
            "uco-core:name": tool["name"],
            "uco-tool:toolType": "extraction/export",
            "uco-tool:version": tool["version"],
            "uco-core:description": "settings, plugin versions and rule-set hashes: data/tool/tool.json (SHA-256 "
            f"of its settings {tool['settings_sha256']})",
        },
    ]
    image_ids = {}
    for img in images:
        node_id = iri("File", "image", img["key"])
        image_ids[img["key"]] = node_id
        facets: list[dict[str, Any]] = [
            {
                "@id": iri("FileFacet", "image", img["key"]),
                "@type": "uco-observable:FileFacet",
                "uco-observable:fileName": img["name"],
                "uco-observable:sizeInBytes": int(img["size"]),
            },
            {
                "@id": iri("ImageFacet", "image", img["key"]),
                "@type": "uco-observable:ImageFacet",
                "uco-observable:imageType": img["format"],
            },
        ]
        hashes = _hashes(f"image:{img['key']}", img["hashes"])
        if hashes:
            facets.append(
                {
                    "@id": iri("ContentDataFacet", "image", img["key"]),
                    "@type": "uco-observable:ContentDataFacet",
                    "uco-observable:sizeInBytes": int(img["size"]),
                    "uco-observable:hash": hashes,
                }
            )
        integrity = f"; {img['verification']}" if img.get("verification") else ""
        if img.get("damage"):
            integrity += "; damaged media: " + "; ".join(img["damage"])
        nodes.append(
            {
                "@id": node_id,
                "@type": ["uco-observable:File", "uco-observable:Image"],
                "uco-core:description": f"Exhibit {img['exhibit'].number}{integrity}",
                "uco-core:hasFacet": facets,
            }
        )

    file_ids, source_records, transfer_records = [], [], []
    for art in artifacts:
        row, key = art["row"], art["key"]
        fid = iri("File", key)
        file_ids.append(fid)
        ff: dict[str, Any] = {
            "@id": iri("FileFacet", key),
            "@type": "uco-observable:FileFacet",
            "uco-observable:fileName": row["name"],
            "uco-observable:filePath": row["path"],
            "uco-observable:sizeInBytes": int(row["size"]),
            "uco-observable:allocationStatus": deletion_label(row) or "allocated",
        }
        for col, prop in _TIMES:
            if row.get(col):
                ff[f"uco-observable:{prop}"] = dt_literal(int(row[col]))
        cdf: dict[str, Any] = {
            "@id": iri("ContentDataFacet", key),
            "@type": "uco-observable:ContentDataFacet",
            "uco-observable:sizeInBytes": content_bytes(row),
        }
        if row.get("mime"):
            cdf["uco-observable:mimeType"] = row["mime"]
        hashes = _hashes(key, art["hashes"])
        if hashes:
            cdf["uco-observable:hash"] = hashes
        nodes.append(
            {
                "@id": fid,
                "@type": "uco-observable:File",
                "uco-core:hasFacet": [ff, cdf],
                "uco-core:description": f"{art['id']}: case file id {row['id']}, "
                + _where(art)
                + (f", stream {row['stream']}" if row.get("stream") else "")
                + _name_note(row)
                + (f"; {art['note']}" if str(art.get("note", "")).startswith("DAMAGED") else ""),
            }
        )
        container = art.get("container")
        relationship: dict[str, Any] = {
            "@id": iri("ObservableRelationship", key, "Contained_Within"),
            "@type": "uco-observable:ObservableRelationship",
            "uco-core:source": ref(fid),
            # a member is within its container's File (that one within its own, up to the image)
            "uco-core:target": ref(
                iri("File", container["key"]) if container else image_ids[art["image_key"]]
            ),
            "uco-core:kindOfRelationship": "Contained_Within",
            "uco-core:isDirectional": True,
            "uco-core:hasFacet": [
                {
                    "@id": iri("PathRelationFacet", key),
                    "@type": "uco-observable:PathRelationFacet",
                    "uco-observable:path": row["member_path"]
                    if container
                    else f"/p{row['partition']}{row['path']}",
                }
            ],
        }
        if container:
            relationship["uco-core:description"] = (
                f"member path {row['member_path']} inside the {container['kind'] or 'container'} file "
                f"{container['id']} ({container['bundle_path'] or container['path']})"
            )
        nodes.append(relationship)
        src = iri("ProvenanceRecord", key, "source")
        nodes.append(
            {
                "@id": src,
                "@type": "case-investigation:ProvenanceRecord",
                "case-investigation:exhibitNumber": f"{art['exhibit'].number}-{art['id']}",
                "case-investigation:rootExhibitNumber": art["exhibit"].root or art["exhibit"].number,
                "uco-core:object": [ref(fid)],
            }
        )
        source_records.append(src)
        out = iri("ProvenanceRecord", key, "transfer", bundle_key)
        what = (
            "Inventory entry (metadata only, content not sent)"
            if metadata_only
            else f"Copy exported into the transfer bundle as {art['bundle_path']}"
        )
        nodes.append(
            {
                "@id": out,
                "@type": "case-investigation:ProvenanceRecord",
                "uco-core:description": f"{what} for {ref_}",
                "case-investigation:exhibitNumber": f"{art['exhibit'].number}-{art['id']}-T",
                "case-investigation:rootExhibitNumber": art["exhibit"].root or art["exhibit"].number,
                "uco-core:object": [ref(fid)],
            }
        )
        transfer_records.append(out)

    extraction: dict[str, Any] = {
        "@id": scan_action,
        "@type": "case-investigation:InvestigativeAction",
        "uco-core:name": "inventory, hash and scan files of the disk image(s)",
        "uco-action:performer": ref(person),
        "uco-action:instrument": ref(tool_id),
        "uco-action:object": [ref(i) for i in image_ids.values()],
        "uco-action:result": [ref(x) for x in file_ids + source_records],
    }
    started = [s["started"] for s in scans if s.get("started")]
    finished = [s["finished"] for s in scans if s.get("finished")]
    if started:
        extraction["uco-action:startTime"] = dt_literal(min(started))
    if finished:
        extraction["uco-action:endTime"] = dt_literal(max(finished))
    decrypt_ids = _decryption_nodes(nodes, decryptions, image_ids, person, bundle_key)
    if decrypt_ids:
        extraction["case-investigation:wasInformedBy"] = [ref(d) for d in decrypt_ids]
        investigation["uco-core:object"] += [ref(d) for d in decrypt_ids]
    nodes.append(extraction)
    nodes.append(
        {
            "@id": export_action,
            "@type": "case-investigation:InvestigativeAction",
            "uco-core:name": "package for the requesting authority"
            + (" (metadata only)" if metadata_only else ""),
            "uco-core:description": "The packaging time is in bag-info.txt (Bagging-Date) and export-log.jsonl; "
            "this graph holds only case data so that it is reproducible.",
            "case-investigation:wasInformedBy": ref(scan_action),
            "uco-action:performer": ref(person),
            "uco-action:instrument": ref(tool_id),
            "uco-action:object": [ref(x) for x in source_records],
            "uco-action:result": [ref(x) for x in transfer_records],
        }
    )
    bundle = {
        "@id": iri("Bundle", bundle_key),
        "@type": "uco-core:Bundle",
        "uco-core:description": f"Evidence transfer bundle for request {ref_}",
        "uco-core:object": [ref(inv), *(ref(i) for i in image_ids.values()), *(ref(f) for f in file_ids)],
    }
    return {"@context": CONTEXT, "@graph": [bundle, *nodes]}


def dumps(graph: dict[str, Any]) -> str:
    return json.dumps(graph, indent=1, ensure_ascii=False) + "\n"


def _where(art: dict[str, Any]) -> str:
    """Where the file was read: its partition and inode, or for a container member its container
    and member path (the inode is then the outermost container's, the file-system file)."""
    row = art["row"]
    container = art.get("container")
    if container:
        return (
            f"member {row['member_path']} of {container['id']} ({container['path']}); the file-system file "
            f"it is read from: partition {row['partition']}, inode {row['inode']}"
        )
    return f"partition {row['partition']}, inode {row['inode']}"


def _name_note(row: dict[str, Any]) -> str:
    """UCO's fileName is a string: where it shows the name's bytes escaped, say so and give the bytes."""
    reason = escaped(row)
    if not reason:
        return ""
    return (
        f"; file name bytes (hex) {raw_hex(row)}: {reason}, so fileName and filePath show them escaped "
        "(\\xHH for a byte that is not UTF-8, \\\\ for a backslash, \\x2f for a slash)"
    )


def _split_name(examiner: dict[str, str]) -> tuple[str, str]:
    if examiner.get("given_name") or examiner.get("family_name"):
        return examiner.get("given_name", ""), examiner.get("family_name", "")
    parts = examiner["name"].rsplit(" ", 1)
    return (parts[0], parts[1]) if len(parts) == 2 else ("", parts[0])


def decryption_steps(audit: Sequence[Any], images: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The ``volume.unlocked`` audit events of the exported images: which volume, when, by whom, with
    which protector type and library versions (the audit never holds the key, so neither does this)."""
    keys = {str(img["path"]): img["key"] for img in images}
    out = []
    for event in audit:
        if event.action == "volume.unlocked" and event.details.get("evidence") in keys:
            out.append(
                {
                    **event.details,
                    "ts": event.ts,
                    "actor": event.actor,
                    "image_key": keys[event.details["evidence"]],
                }
            )
    return out


def _decryption_nodes(
    nodes: list[dict[str, Any]],
    steps: Sequence[dict[str, Any]],
    image_ids: dict[str, str],
    person: str,
    bundle_key: str,
) -> list[str]:
    """One InvestigativeAction per volume unlocked (once per volume), its instrument the decryption
    libraries with their versions; the key is never part of it."""
    ids: list[str] = []
    seen: set[tuple[str, int]] = set()
    for step in steps:
        where = (step["image_key"], int(step["offset"]))
        if where in seen or step["image_key"] not in image_ids:
            continue
        seen.add(where)
        libs = step.get("libraries") or {}
        versions = ", ".join(f"{k} {v}" for k, v in sorted(libs.items()))
        lib_tool = iri("Tool", "decryption", versions)
        if not any(n["@id"] == lib_tool for n in nodes):
            nodes.append(
                {
                    "@id": lib_tool,
                    "@type": "uco-tool:Tool",
                    "uco-core:name": "triage decryption layer",
                    "uco-tool:toolType": "decryption",
                    "uco-core:description": f"libraries: {versions}",
                }
            )
        action = iri("InvestigativeAction", bundle_key, "decrypt", *map(str, where))
        ids.append(action)
        nodes.append(
            {
                "@id": action,
                "@type": "case-investigation:InvestigativeAction",
                "uco-core:name": f"decrypt the {step.get('description', step['scheme'])} volume "
                f"(partition {step['partition']}, byte {step['offset']})",
                "uco-core:description": f"unlocked with a {step['protector']} protector (the key is not recorded); "
                f"the file systems inside are read from the decrypted stream: decrypt it with any "
                f"{step['scheme']} tool, then run icat on the decrypted stream at offset 0",
                "uco-action:startTime": dt_literal(step["ts"]),
                "uco-action:performer": ref(person),
                "uco-action:instrument": ref(lib_tool),
                "uco-action:object": [ref(image_ids[step["image_key"]])],
            }
        )
    return ids
