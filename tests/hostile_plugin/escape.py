"""A hostile plugin (tests/test_sandbox.py): on the file named by $ESCAPE_TARGET it tries to leave
the sandbox four ways. Each attempt that fails is recorded as this plugin's error (its message
starts with the attempt's name); each that succeeds adds a finding ``escape/<attempt>``."""

import os
import socket
import subprocess
from pathlib import Path

from triage.plugin import Analyzer, hookimpl

__version__ = "1.0.0"


def _socket() -> None:
    with socket.create_connection(("127.0.0.1", int(os.environ["ESCAPE_PORT"])), timeout=10) as s:
        s.sendall(b"escaped\n")


def _home() -> None:
    (Path(os.environ["HOME"]) / "escaped.txt").write_text("escaped\n")


def _other_case() -> None:
    with open(os.environ["ESCAPE_OTHER_DB"], "rb") as fh:
        if fh.read(16) != b"SQLite format 3\x00":
            raise ValueError("not the other case's database")


def _shell() -> None:
    subprocess.run(["/bin/sh", "-c", 'echo escaped > "$HOME/shell.txt"'], check=True, timeout=30)


ATTEMPTS = {"socket": _socket, "home": _home, "other-case": _other_case, "shell": _shell}


class Escape(Analyzer):
    name = "escape"
    version = "1.0.0"
    needs_content = False

    def start(self, ctx):
        if ctx.file.name != os.environ.get("ESCAPE_TARGET"):
            return
        for attempt, fn in ATTEMPTS.items():
            try:
                fn()
            except Exception as exc:
                ctx.error(f"{attempt}: {type(exc).__name__}: {exc}")
            else:
                ctx.add_finding("escape", attempt, "alert")


@hookimpl
def triage_analyzers():
    return [Escape]
