"""Who may be a batch's cluster: a scheduler off this machine needs ``tls://`` with certificates
(Dask's ``Security``: a CA, a client certificate and key); plain ``tcp://`` only on loopback, or
with ``--insecure``, which the batch summary and each case record. Checked from the address text
alone, before anything is resolved or connected (docs/batch.md)."""

from __future__ import annotations

import ipaddress
from typing import Any
from urllib.parse import urlsplit

from triage.errors import UsageError

LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})


def _host(address: str) -> str:
    try:
        return (urlsplit(address).hostname or "").lower()
    except ValueError:
        return ""


def is_loopback(address: str) -> bool:
    """True when ``address`` (``tcp://HOST:PORT``) names this machine by a loopback address or name;
    any other name is not resolved (a look-up would already be traffic) and counts as remote."""
    host = _host(address)
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def cluster_security(address: str, insecure: bool) -> str:
    """What protects the traffic to ``address``: ``tls``, ``loopback`` (plain tcp on this machine)
    or ``insecure`` (plain tcp to another machine, allowed by ``--insecure``)."""
    if address.startswith("tls://"):
        return "tls"
    return "loopback" if is_loopback(address) else ("insecure" if insecure else "refused")


def insecure_warning(address: str) -> str:
    return (
        f"--insecure: the cluster {address} was reached over plain tcp://, without encryption or "
        "authentication (evidence bytes and results crossed the network in clear text)"
    )


def check_cluster(address: str, security: Any, insecure: bool) -> None:
    """Refuse (exit 2) a scheduler the batch may not use, before any connection."""
    if address.startswith("tls://"):
        if security is None:
            raise UsageError(
                f"--cluster {address}: tls:// needs --tls-ca-file, --tls-cert and --tls-key "
                "(see docs/batch.md for issuing them)"
            )
        return
    if address.startswith("tcp://") and not is_loopback(address) and not insecure:
        raise UsageError(
            f"--cluster {address}: refused: a scheduler off this machine needs tls:// with certificates "
            "(--tls-ca-file, --tls-cert, --tls-key; see docs/batch.md); plain tcp:// is unauthenticated "
            "clear text (--insecure allows it, and it is recorded)"
        )
