"""``triage mount``: show an image read-only as a folder (FUSE), with deleted files and streams."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from triage.cli.unlock import add_unlock_argument, audit_unlocks, parse_specs, unlock_paths
from triage.errors import UsageError


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "mount",
        help="mount an image read-only (FUSE): partitions, $deleted, streams, image.raw",
        description="Mount EVIDENCE read-only at MOUNTPOINT (an empty folder). Without --foreground "
        "the mount runs in the background; end it with 'triage mount --unmount MOUNTPOINT'.",
    )
    p.add_argument("evidence", nargs="?", help="image file (first segment for split and E01 sets)")
    p.add_argument("mountpoint", nargs="?", help="an existing empty folder")
    p.add_argument(
        "--partition", type=int, metavar="N", help="show only partition N (index as in 'triage info')"
    )
    p.add_argument("--raw", action="store_true", help="show only image.raw (the whole media), like ewfmount")
    p.add_argument(
        "--case",
        metavar="DIR",
        help="case folder: use its inventory and record mount/unmount in its audit log",
    )
    p.add_argument("--foreground", "-f", action="store_true", help="stay attached; Ctrl-C unmounts")
    p.add_argument(
        "--allow-other",
        action="store_true",
        help="let other users read the mount (needs user_allow_other in /etc/fuse.conf)",
    )
    p.add_argument(
        "--no-sandbox",
        action="store_true",
        help="read the evidence in an unconfined child (recorded; see docs/security.md)",
    )
    p.add_argument("--threads", action="store_true", help=argparse.SUPPRESS)  # multi-threaded FUSE loop
    p.add_argument("--unmount", "-u", metavar="MOUNTPOINT", help="unmount a triage mount")
    p.add_argument("--lazy", action="store_true", help="with --unmount: detach now even when busy")
    add_unlock_argument(p)
    p.add_argument("--ready-fd", type=int, help=argparse.SUPPRESS)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from triage.mount import serve, start_mount, unmount

    if args.unmount:
        if args.evidence or args.mountpoint:
            raise UsageError("--unmount takes only the mount point")
        unmount(args.unmount, lazy=args.lazy)
        print(f"unmounted {os.path.abspath(args.unmount)}")
        return 0
    if not args.evidence or not args.mountpoint:
        raise UsageError("give EVIDENCE and MOUNTPOINT (or --unmount MOUNTPOINT)")
    if args.raw and args.partition is not None:
        raise UsageError("--raw and --partition exclude each other")
    specs = parse_specs(args)
    if specs and not args.foreground:
        raise UsageError(
            "--unlock needs --foreground (a detached mount would need the key on its command line)"
        )
    unlocked = unlock_paths([args.evidence], specs)
    if unlocked and args.case:
        from triage.cli.common import open_case

        with open_case(args.case) as case:
            audit_unlocks(case, unlocked)
    if not args.foreground:
        handle = start_mount(
            args.evidence,
            args.mountpoint,
            partition=args.partition,
            raw=args.raw,
            case=args.case,
            allow_other=args.allow_other,
            detach=True,
            use_sandbox=not args.no_sandbox,
        )
        print(
            f"mounted {args.evidence} read-only at {handle.mountpoint} (pid {handle.pid}); "
            f"unmount with: triage mount --unmount {handle.mountpoint}"
        )
        return 0

    def ready(summary: dict[str, Any]) -> None:
        counts = ", ".join(f"{summary.get(k, 0)} {k}" for k in ("files", "dirs", "deleted", "streams"))
        print(
            f"triage: mounted {summary['evidence']} read-only at {summary['mountpoint']} "
            f"({'image.raw only' if summary['raw'] else counts}); Ctrl-C to unmount",
            file=sys.stderr,
        )
        print(f"triage: {summary['sandbox']}", file=sys.stderr)
        if args.ready_fd is not None:
            try:
                os.write(args.ready_fd, b"ready\n")
                os.close(args.ready_fd)
            except OSError:
                pass

    def problem(msg: str) -> None:
        print(f"triage (warning): {msg}", file=sys.stderr)

    summary = serve(
        args.evidence,
        args.mountpoint,
        partition=args.partition,
        raw=args.raw,
        case=args.case,
        allow_other=args.allow_other,
        threads=args.threads,
        use_sandbox=not args.no_sandbox,
        on_ready=ready,
        on_error=problem,
    )
    served = summary.get("served", {})
    print(
        f"triage: unmounted {summary['mountpoint']} ({served.get('bytes', 0)} bytes served, "
        f"{served.get('errors', 0)} read errors)",
        file=sys.stderr,
    )
    return 0
