"""Fail (exit 1) when pyproject.toml names a package that the lock file lacks: run `make lock`.

Usage: python3 packaging/check_lock.py pyproject.toml requirements.lock gui,test,...  (stdlib only)
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path


def _name(requirement: str) -> str:
    match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", requirement)
    return re.sub(r"[-_.]+", "-", match.group(1)).lower() if match else ""


def main(pyproject: str, lock: str, extras: str) -> int:
    project = tomllib.loads(Path(pyproject).read_text(encoding="utf-8"))["project"]
    wanted = list(project.get("dependencies", []))
    for extra in filter(None, extras.split(",")):
        wanted += project.get("optional-dependencies", {}).get(extra, [])
    locked = {_name(line) for line in Path(lock).read_text(encoding="utf-8").splitlines() if "==" in line}
    missing = sorted({_name(r) for r in wanted} - locked - {""})
    if missing:
        print(f"{lock}: lacks {', '.join(missing)} (named in {pyproject}): run `make lock`", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
