"""``python -m triage_ui.i18n.check``: what ``make translations`` reports, and what the tests assert.

- every source string of a catalogue has a translation (lists the unfinished ones);
- the catalogues hold exactly the strings ``pyside6-lupdate`` finds in ``ui/triage_ui`` now;
- each committed ``.qm`` is what ``pyside6-lrelease`` makes of its ``.ts`` (byte for byte).

Exit status 1 when any of this fails.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from triage_ui.i18n import CATALOGUES, I18N_DIR, catalogue

UI_DIR = I18N_DIR.parent
#: the one lupdate invocation (Makefile ``translations`` uses the same options)
LUPDATE_OPTIONS = ("-extensions", "py", "-locations", "none", "-no-obsolete")


@dataclass(frozen=True)
class Message:
    context: str
    source: str
    translation: str
    finished: bool


def ts_path(lang: str) -> Path:
    return I18N_DIR / f"triage_{lang}.ts"


def messages(ts: Path) -> list[Message]:
    """The live (not obsolete or vanished) messages of a ``.ts`` file."""
    out = []
    for ctx in ET.parse(ts).getroot().iter("context"):
        name = ctx.findtext("name") or ""
        for m in ctx.iter("message"):
            tr = m.find("translation")
            kind = tr.get("type", "") if tr is not None else "unfinished"
            if kind in ("obsolete", "vanished"):
                continue
            text = "".join(tr.itertext()) if tr is not None else ""
            out.append(Message(name, m.findtext("source") or "", text, kind != "unfinished" and bool(text)))
    return out


def tool(name: str) -> str:
    """A PySide6 tool (``pyside6-lupdate`` …): next to this Python, else on PATH."""
    here = Path(sys.executable).with_name(name)
    found = str(here) if here.is_file() else shutil.which(name)
    if not found:
        raise FileNotFoundError(f"{name} not found (it comes with PySide6)")
    return found


def extracted(ui_dir: Path = UI_DIR) -> set[tuple[str, str]]:
    """``(context, source)`` of every translatable string lupdate finds in the UI sources now."""
    with tempfile.TemporaryDirectory(prefix="triage-lupdate-") as tmp:
        ts = Path(tmp) / "all.ts"
        subprocess.run(
            [tool("pyside6-lupdate"), *LUPDATE_OPTIONS, str(ui_dir), "-ts", str(ts)],
            check=True,
            capture_output=True,
            text=True,
        )
        return {(m.context, m.source) for m in messages(ts)}


def compiled(ts: Path) -> bytes:
    """What lrelease makes of ``ts``."""
    with tempfile.TemporaryDirectory(prefix="triage-lrelease-") as tmp:
        qm = Path(tmp) / "out.qm"
        subprocess.run(
            [tool("pyside6-lrelease"), str(ts), "-qm", str(qm)], check=True, capture_output=True, text=True
        )
        return qm.read_bytes()


def problems() -> list[str]:
    out: list[str] = []
    found = extracted()
    for lang in CATALOGUES:
        ts = ts_path(lang)
        msgs = messages(ts)
        have = {(m.context, m.source) for m in msgs}
        out += [f"{ts.name}: not translated: [{m.context}] {m.source!r}" for m in msgs if not m.finished]
        out += [
            f"{ts.name}: not in the catalogue (run make translations): [{c}] {s!r}"
            for c, s in sorted(found - have)
        ]
        out += [
            f"{ts.name}: no longer in the sources (run make translations): [{c}] {s!r}"
            for c, s in sorted(have - found)
        ]
        qm = catalogue(lang)
        if not qm.is_file():
            out.append(f"{qm.name}: missing (run make translations)")
        elif qm.read_bytes() != compiled(ts):
            out.append(f"{qm.name}: not compiled from the current {ts.name} (run make translations)")
    return out


def main() -> int:
    found = problems()
    for line in found:
        print(line)
    total = len(extracted())
    print(
        f"translations: {total} strings, {len(CATALOGUES)} catalogues ({', '.join(CATALOGUES)}): "
        + ("all translated and compiled" if not found else f"{len(found)} problem(s)")
    )
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main())
