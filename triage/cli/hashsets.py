"""``triage hashsets import|list|remove``: the known-file hash sets the ``knownfiles`` analyzer uses."""

from __future__ import annotations

import argparse
import json
import sys

from triage.hashsets import CATEGORIES, FORMATS, HashDB, default_db_path


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("hashsets", help="import and list known-file hash sets (NSRL, hash lists, hashdeep)")
    psub = p.add_subparsers(dest="hashsets_command", metavar="ACTION")
    ip = psub.add_parser(
        "import",
        help="import an NSRL RDSv3 database, an md5sum/sha1sum/sha256sum list or a hashdeep CSV as a new set",
    )
    ip.add_argument("source", help="the file to import")
    ip.add_argument("--name", default=None, help="set name (default: 'NSRL RDS' or the file name)")
    ip.add_argument(
        "--version",
        dest="set_version",
        default=None,
        help="set version (default: the NSRL VERSION table, else the file's date)",
    )
    ip.add_argument(
        "--category",
        choices=CATEGORIES,
        default="known",
        help="known: ignorable files, can be hidden; notable: alert when found (default known)",
    )
    ip.add_argument("--format", choices=FORMATS, default="auto", help="input format (default: detect)")
    ip.add_argument("--replace", action="store_true", help="replace a set with the same name and version")
    ip.add_argument("--json", action="store_true", help="print the result as JSON")
    _db_arg(ip)
    ip.set_defaults(func=import_set)
    lp = psub.add_parser("list", help="imported sets with their version, category and counts")
    lp.add_argument("--json", action="store_true", help="print JSON")
    _db_arg(lp)
    lp.set_defaults(func=list_sets)
    rp = psub.add_parser("remove", help="remove a set")
    rp.add_argument("name")
    rp.add_argument("--version", dest="set_version", default=None, help="only this version")
    _db_arg(rp)
    rp.set_defaults(func=remove_set)
    p.set_defaults(func=list_sets, json=False, db=None)


def _db_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", default=None, help=f"hash set database (default {default_db_path()})")


def import_set(args: argparse.Namespace) -> int:
    with HashDB(args.db) as db:
        rep = db.import_file(
            args.source,
            name=args.name,
            version=args.set_version,
            category=args.category,
            fmt=args.format,
            replace=args.replace,
        )
    if args.json:
        print(
            json.dumps(
                {
                    "set": rep.set.to_json(),
                    "lines": rep.lines,
                    "skipped": rep.skipped,
                    "skipped_examples": rep.skipped_examples,
                    "seconds": round(rep.seconds, 3),
                    "db": str(db.path),
                },
                indent=2,
            )
        )
    else:
        s = rep.set
        print(
            f"imported {s.name} {s.version} ({s.category}, {s.format}): {s.md5} MD5, {s.sha1} SHA-1, "
            f"{s.sha256} SHA-256 in {rep.seconds:.1f} s into {db.path}"
        )
    if rep.skipped:
        print(
            f"  skipped {rep.skipped} lines that hold no hash, e.g. {rep.skipped_examples[0]}",
            file=sys.stderr,
        )
    return 0


def list_sets(args: argparse.Namespace) -> int:
    path = args.db or default_db_path()
    sets = HashDB(path, readonly=True).sets() if (args.db is None and path.is_file()) or args.db else []
    if args.json:
        print(json.dumps({"db": str(path), "sets": [s.to_json() for s in sets]}, indent=2))
        return 0
    print(f"hash sets in {path}")
    print(f"{'NAME':24} {'VERSION':14} {'CATEGORY':8} {'MD5':>9} {'SHA-1':>9} {'SHA-256':>9} SOURCE")
    for s in sets:
        print(f"{s.name:24} {s.version:14} {s.category:8} {s.md5:>9} {s.sha1:>9} {s.sha256:>9} {s.source}")
    return 0


def remove_set(args: argparse.Namespace) -> int:
    with HashDB(args.db) as db:
        n = db.remove(args.name, args.set_version)
    print(f"removed {n} set(s)")
    return 0 if n else 1
