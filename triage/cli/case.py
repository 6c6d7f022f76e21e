"""``triage case create|info|set`` (the case's own information: case number, examiner,
organisation …) and ``triage evidence add|remove`` (one evidence item of a case).

The same checks as the workstation's New case dialog and Add / Remove evidence actions
(:func:`triage.case.newcase.check_new_case`, :func:`triage.evidence.register.register_evidence`,
:meth:`triage.case.store.Case.remove_evidence`), so both refuse the same input with the same line.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict, replace
from pathlib import Path

from triage.case.newcase import check_new_case, default_cases_folder
from triage.case.records import CaseInfo
from triage.case.store import Case
from triage.cli.common import open_case, storage_errors, writer_case
from triage.errors import UsageError

OPTIONS = {  # CaseInfo field → (flag, help)
    "case_number": ("--case-number", "the case's reference number (required for create)"),
    "examiner": ("--examiner", "the examiner's name; the audit log names them (required for create)"),
    "organisation": ("--organisation", "the examiner's organisation or unit"),
    "examiner_email": ("--email", "the examiner's e-mail address"),
    "requesting_authority": ("--requesting-authority", "who asked for the examination"),
    "requested_authority": ("--requested-authority", "who is asked (a preservation request's recipient)"),
}


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("case", help="create a case with its case number and examiner, show or change them")
    cs = p.add_subparsers(dest="case_command", metavar="ACTION")
    c = cs.add_parser("create", help="create a new case folder with its information")
    c.add_argument(
        "case", help=f"the new case folder (a new or empty folder; e.g. in {default_cases_folder()})"
    )
    _info_options(c)
    c.set_defaults(func=run_create)
    i = cs.add_parser("info", help="print the case's information (case number, examiner, organisation …)")
    i.add_argument("case", help="case folder")
    i.add_argument("--json", action="store_true", help="print JSON")
    i.set_defaults(func=run_info)
    s = cs.add_parser("set", help="change the case's information (audited)")
    s.add_argument("case", help="case folder")
    _info_options(s)
    s.set_defaults(func=run_set)
    pr = cs.add_parser(
        "protect", help="make an existing case private: remove group and other permissions (audited)"
    )
    pr.add_argument("case", help="case folder")
    pr.set_defaults(func=run_protect)
    p.set_defaults(func=lambda _a: _missing(p))

    e = sub.add_parser("evidence", help="add or remove one evidence item of a case")
    es = e.add_subparsers(dest="evidence_command", metavar="ACTION")
    a = es.add_parser("add", help="check an image and add it to a case (scan it later with triage scan)")
    a.add_argument("case", help="case folder")
    a.add_argument("image", help="image file (first segment for split and E01 sets)")
    a.set_defaults(func=run_add)
    r = es.add_parser(
        "remove",
        help="remove an evidence item and everything derived from it (files, findings, problems, "
        "tags, notes, thumbnails); the audit log keeps the act; the image itself is not touched",
    )
    r.add_argument("case", help="case folder")
    r.add_argument("evidence_id", help="the evidence id (triage info CASE lists them)")
    r.add_argument("--yes", action="store_true", help="confirm the removal (required)")
    r.set_defaults(func=run_remove)
    e.set_defaults(func=lambda _a: _missing(e))


def _missing(p: argparse.ArgumentParser) -> int:
    raise UsageError(f"{p.prog}: choose an action (see {p.prog} --help)")


def _info_options(p: argparse.ArgumentParser) -> None:
    for name, (flag, text) in OPTIONS.items():
        p.add_argument(flag, dest=name, metavar="TEXT", help=text)


def _given(args: argparse.Namespace) -> dict[str, str]:
    return {n: str(getattr(args, n)).strip() for n in OPTIONS if getattr(args, n, None) is not None}


def run_create(args: argparse.Namespace) -> int:
    info = CaseInfo(**_given(args))
    folder = check_new_case(args.case, info)
    with storage_errors(case=folder, dest=folder, doing="create the case", target="new case"):
        with Case.create(folder, info) as case:
            print(f"Created case {case.path.resolve()}")
    return 0


def run_protect(args: argparse.Namespace) -> int:
    from triage.private import protect

    with Case.open(args.case) as case:
        changed = protect(case.path)
        case.audit("case.protected", {"changed": len(changed)})
    print(f"{len(changed)} file(s) or folder(s) of {Path(args.case).resolve()} made private (owner only)")
    return 0


def run_info(args: argparse.Namespace) -> int:
    with open_case(args.case) as case:
        info = case.case_info()
    if args.json:
        print(json.dumps(asdict(info), indent=2, ensure_ascii=False))
        return 0
    for name, (flag, _text) in OPTIONS.items():
        label = flag.removeprefix("--").replace("-", " ").capitalize()
        print(f"{label}: {getattr(info, name) or '(not given)'}")
    return 0


def run_set(args: argparse.Namespace) -> int:
    given = _given(args)
    if not given:
        raise UsageError("case set: give at least one of " + ", ".join(f for f, _ in OPTIONS.values()))
    for name in ("case_number", "examiner"):
        if name in given and not given[name]:
            raise UsageError(f"case set: the {name.replace('_', ' ')} cannot be empty")
    with writer_case(args.case) as case:
        case.set_case_info(replace(case.case_info(), **given))
    return 0


def _evidence_id(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise UsageError(f"evidence id {text!r}: not a number (triage info CASE lists the ids)") from None
    if value <= 0:
        raise UsageError(f"evidence id {value}: must be 1 or more (triage info CASE lists the ids)")
    return value


def run_add(args: argparse.Namespace) -> int:
    from triage.evidence.register import register_evidence

    with writer_case(args.case) as case:
        eid = register_evidence(case, args.image)
    print(f"Evidence {eid}: {Path(args.image).resolve()}")
    return 0


def run_remove(args: argparse.Namespace) -> int:
    eid = _evidence_id(args.evidence_id)
    if not args.yes:
        raise UsageError(
            f"evidence remove: add --yes to remove evidence {eid} and all its results from {args.case}"
        )
    with writer_case(args.case) as case:
        removed = case.remove_evidence(eid)
    total = sum(removed.rows.values())
    sys.stdout.write(
        f"Removed evidence {removed.evidence_id}: {removed.path} ({total} rows"
        f"{f', {removed.extra_files} extra files' if removed.extra_files else ''}); "
        f"the audit log keeps the act\n"
    )
    return 0
