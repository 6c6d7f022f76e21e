"""``triage gui [CASE] [--demo] [--lang fr]``: the desktop workstation (needs the ``gui`` extra).

Qt is imported only when the command runs, so the core and the other commands never load it.
"""

from __future__ import annotations

import argparse

from triage.errors import UsageError


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("gui", help="open the desktop workstation (on a case, or on the demo case)")
    p.add_argument("case", nargs="?", help="case folder to open")
    p.add_argument(
        "--demo",
        action="store_true",
        help="open the demo case (created in the user data folder and scanned the first time)",
    )
    p.add_argument(
        "--lang",
        choices=("en", "fr", "es", "ar"),  # triage_ui.i18n.CODES (Qt is not imported to build the parser)
        help="interface language (default: the Preferences choice, else the system language)",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        from triage_ui.app import run as run_gui
    except ImportError as exc:
        raise UsageError(
            f"the workstation needs PySide6: pip install 'triage-workstation[gui]' ({exc})"
        ) from exc
    return int(
        run_gui(
            args.case,
            demo=args.demo,
            verbose=bool(getattr(args, "verbose", False)),
            lang=getattr(args, "lang", None),
        )
    )
