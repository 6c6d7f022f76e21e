"""``triage doctor``: versions of every native part, plugin status, optional formats, paths."""

from __future__ import annotations

import argparse
import importlib
import json
import os
import platform
import shutil
import sys
from typing import Any

import platformdirs

import triage
from triage.logs import log_dir

OPTIONAL_FORMATS = {
    "E01 (pyewf)": "pyewf",
    "VMDK (pyvmdk)": "pyvmdk",
    "VHD/VHDX (pyvhdi)": "pyvhdi",
    "QCOW (pyqcow)": "pyqcow",
}
OPTIONAL_FEATURES = {
    "GUI (PySide6)": "PySide6",
    "YARA-X (yara_x)": "yara_x",
    "Dask cluster (distributed)": "distributed",
    "mount (mfusepy)": "mfusepy",
    "age encryption (pyrage)": "pyrage",
}


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("doctor", help="check the installation: versions, plugins, optional formats")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument(
        "--case",
        action="append",
        default=[],
        metavar="CASE",
        help="also check this case folder's permissions (the default cases folder is always checked)",
    )
    p.set_defaults(func=run)


def _version(module: str, attr: str | None = None) -> str | None:
    try:
        mod = importlib.import_module(module)
    except Exception:
        return None
    if attr:
        value = getattr(mod, attr, None)
        return str(value() if callable(value) else value) if value is not None else "installed"
    return str(getattr(mod, "__version__", "installed"))


def privacy(cases: list[str]) -> list[dict[str, Any]]:
    """Cases (the given ones and those in the default cases folder) and the log folder that other
    users can read or enter; each with how many of its files and folders are exposed."""
    from pathlib import Path

    from triage.case.newcase import default_cases_folder
    from triage.private import exposed

    folders = [Path(c) for c in cases]
    default = Path(default_cases_folder())
    if default.is_dir():
        folders += sorted(d for d in default.iterdir() if (d / "case.sqlite").is_file())
    out = []
    for folder in [*dict.fromkeys(folders), log_dir()]:
        if folder.is_dir():
            count = sum(1 for _ in exposed(folder))
            if count:
                out.append({"case": str(folder), "exposed": count, "fix": f"triage case protect {folder}"})
    return out


def collect(cases: list[str] | None = None) -> dict[str, Any]:
    from triage import sandbox
    from triage.document import font_status
    from triage.scan.registry import Registry, user_plugin_dir

    versions = {
        "triage": triage.__version__,
        "python": f"{platform.python_version()} ({sys.executable})",
        "platform": platform.platform(),
        "tsk": _version("pytsk3", "TSK_VERSION_STR"),
        "pytsk3": _version("pytsk3", "get_version") or _version("pytsk3"),
        "libewf": _version("pyewf", "get_version"),
        "libmagic": _version("magic", "version"),
        "yara": _version("yara", "YARA_VERSION") or _version("yara"),
        "qt": _version("PySide6.QtCore", "qVersion"),
        "pyside6": _version("PySide6"),
    }
    registry = Registry()
    plugins = [
        {
            "name": r.name,
            "version": r.version,
            "status": r.status,
            "origin": r.origin,
            "error": r.error,
            "problems": r.problems,
            "analyzers": r.analyzers,
        }
        for r in sorted(registry.records, key=lambda r: r.name)
    ]
    formats = {name: _version(mod) is not None for name, mod in OPTIONAL_FORMATS.items()}
    features = {name: _version(mod) is not None for name, mod in OPTIONAL_FEATURES.items()}
    tools = {
        t: shutil.which(t)
        for t in ("fls", "icat", "yara", "ewfverify", "fusermount3", "openssl", "ssh-keygen")
    }
    paths = {
        "logs": str(log_dir()),
        "user_plugins": str(user_plugin_dir()),
        "cases (default)": str(platformdirs.user_data_path("triage") / "cases"),
        "cache": str(platformdirs.user_cache_path("triage")),
    }
    return {
        "versions": versions,
        "plugins": plugins,
        "formats": formats,
        "features": features,
        "gui_display": _gui_display(features["GUI (PySide6)"]),
        "external_tools": tools,
        "document_fonts": font_status(),
        "paths": paths,
        "sandbox": {"summary": sandbox.describe(True), **sandbox.support().to_json()},
        "privacy": privacy(cases or []),
    }


def _gui_display(pyside6: bool) -> dict[str, Any]:
    """Whether the workstation can open a window: xcb libraries, then a real start in a child process."""
    from triage.gui_libs import missing_libraries, try_platform

    if not pyside6:
        return {
            "ok": False,
            "missing": [],
            "message": "PySide6 is not installed (pip install triage-workstation[gui])",
        }
    missing = missing_libraries()
    if missing:
        packages = sorted({m.package or m.soname for m in missing})
        return {
            "ok": False,
            "missing": [m.soname for m in missing],
            "message": "Qt's xcb platform plugin cannot load; install: sudo apt-get install "
            + " ".join(packages),
        }
    if not os.environ.get("DISPLAY"):
        return {
            "ok": True,
            "missing": [],
            "message": "xcb libraries present; no DISPLAY set, so Qt was not started",
        }
    check = try_platform("xcb")
    return {"ok": check.ok, "missing": [], "message": check.message}


def run(args: argparse.Namespace) -> int:
    report = collect(args.case)
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        out = sys.stdout
        out.write("Versions\n")
        for k, v in report["versions"].items():
            out.write(f"  {k:10} {v or 'NOT INSTALLED'}\n")
        out.write("Plugins\n")
        for p in report["plugins"]:
            out.write(
                f"  {p['name']:16} {p['version']:10} {p['status']}{' — ' + p['error'] if p['error'] else ''}\n"
            )
            for more in p["problems"][1:]:
                out.write(f"  {'':16} {'':10} {'':6} — {more}\n")
        out.write("Image formats\n")
        for k, ok in report["formats"].items():
            out.write(
                f"  {k:26} {'available' if ok else 'not installed (pip install triage-workstation[formats])'}\n"
            )
        out.write("Optional features\n")
        for k, ok in report["features"].items():
            out.write(f"  {k:26} {'available' if ok else 'not installed'}\n")
        gui = report["gui_display"]
        out.write(f"GUI display\n  {'ok' if gui['ok'] else 'NOT USABLE'}: {gui['message']}\n")
        out.write("External tools (only needed to cross-check results)\n")
        for k, v in report["external_tools"].items():
            out.write(f"  {k:12} {v or '-'}\n")
        out.write("Document fonts (cover sheet, report)\n")
        for f in report["document_fonts"]:
            out.write(f"  {f['role']:12} {f['path'] or 'MISSING: apt-get install ' + f['package']}\n")
        out.write("Paths\n")
        for k, v in report["paths"].items():
            out.write(f"  {k:16} {v}\n")
        box = report["sandbox"]
        out.write(f"Sandbox (parsers of evidence)\n  {box['summary']}\n")
        out.write("Privacy\n")
        if not report["privacy"]:
            out.write("  ok: no case or log folder checked is readable by other users\n")
        for item in report["privacy"]:
            out.write(
                f"  WARNING: {item['case']}: {item['exposed']} file(s) or folder(s) other users can read; "
                f"fix: {item['fix']}\n"
            )
    essentials = ("tsk", "libewf", "libmagic", "yara")
    failed_plugins = [p for p in report["plugins"] if p["status"] == "failed"]
    return 1 if any(report["versions"][k] is None for k in essentials) or failed_plugins else 0
