#!/usr/bin/env bash
# Install the built wheel into a fresh virtual environment outside the repository and
# smoke-test it: --version, info, scan of the demo image, doctor, and the GUI offscreen.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
python="${PYTHON:-python3}"
wheel="$(ls -t "$repo"/dist/triage_workstation-*.whl | head -1)"
work="$(mktemp -d "${TMPDIR:-/tmp}/triage-wheel-check.XXXXXX")"
trap 'rm -rf "$work"' EXIT
echo "== installing $(basename "$wheel") into $work/venv"
"$python" -m venv "$work/venv"
"$work/venv/bin/pip" install -q --upgrade pip
"$work/venv/bin/pip" install -q "$wheel[gui]"
cd "$work"   # nothing may come from the source tree
export TRIAGE_LOG_DIR="$work/logs" XDG_DATA_HOME="$work/data" QT_QPA_PLATFORM=offscreen
echo "== triage --version";  "$work/venv/bin/triage" --version
echo "== triage info";       "$work/venv/bin/triage" info "$repo/examples/demo.raw" | head -20
echo "== triage scan";       "$work/venv/bin/triage" scan "$repo/examples/demo.raw" --case "$work/case" --workers 2
n=$("$work/venv/bin/triage" files "$work/case" --json | wc -l)
echo "inventory entries: $n"; test "$n" -gt 10
echo "== triage doctor";     "$work/venv/bin/triage" doctor > "$work/doctor.txt"; grep -E "tsk|yara|libmagic" "$work/doctor.txt"
echo "== testing kit shipped, test-only fixtures (tests/fixtures) not"
"$work/venv/bin/python" -c "import triage.testing.images"   # triage.testing.plugin needs pytest (the test extra)
"$work/venv/bin/python" - "$wheel" <<'PY'
import sys, zipfile
names = zipfile.ZipFile(sys.argv[1]).namelist()
leaked = [n for n in names if n.startswith(("fixtures/", "tests/")) or "/fixtures/" in n]
assert not leaked, f"test-only files in the wheel: {leaked[:5]}"
assert "triage/testing/images/ext4.py" in names, "the testing kit is missing from the wheel"
PY
echo "== triage-gui smoke test (offscreen)"
"$work/venv/bin/triage-gui" --smoke-test
echo "wheel check passed"
