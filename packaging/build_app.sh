#!/usr/bin/env bash
# Build the one-folder Linux desktop app with PyInstaller, then smoke-test it headless.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"
py="$repo/.venv/bin/python"
"$py" -m pip install -q "pyinstaller>=6.5"
rm -rf build/pyinstaller dist/triage
"$py" -m PyInstaller --noconfirm --clean --distpath dist --workpath build/pyinstaller packaging/triage.spec
app="$repo/dist/triage/triage"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
export TRIAGE_LOG_DIR="$work/logs" XDG_DATA_HOME="$work/data" QT_QPA_PLATFORM=offscreen
echo "== frozen --version"; "$app" --version
echo "== frozen scan of the demo image"
"$app" scan examples/demo.raw --case "$work/case" --workers 2
n=$("$app" files "$work/case" --json | grep -c '"sha256": "[0-9a-f]')
echo "files hashed: $n"; test "$n" -gt 10
"$app" files "$work/case" --json | grep -q '"mime": "application/pdf"'
echo "app smoke test passed: $(du -sh dist/triage | cut -f1) in dist/triage/"
