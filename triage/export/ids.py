"""Content-derived identifiers: every CASE node id is a UUIDv5 of case-stable keys.

The same case, selection and request give the same ids, so the CASE graph is reproducible.
"""

from __future__ import annotations

import uuid

#: Fixed namespace for all triage bundle ids (never change it: ids would change with it).
NAMESPACE = uuid.UUID("6d1b7c52-3f0e-5a8e-9b4f-2c7d9e0a1f35")


def uid(*keys: object) -> str:
    """A UUIDv5 string from the keys, joined with ``\\x1f`` (unit separator)."""
    return str(uuid.uuid5(NAMESPACE, "\x1f".join(str(k) for k in keys)))


def iri(kind: str, *keys: object) -> str:
    """A ``kb:`` node IRI ending in a UUID: ``kb:File-<uuid>``."""
    return f"kb:{kind}-{uid(kind, *keys)}"
