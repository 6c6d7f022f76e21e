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
"$app" errors "$work/case"
echo "== frozen request draft; signed export, verified"
"$app" requests draft "$work/case" --provider Google --out "$work/drafts"
test -s "$work/drafts/preservation-google.docx"
"$app" keys new --out "$work/keys" --name examiner --cn "Smoke Test"
"$app" export "$work/case" --out "$work/bundle" --select all --request examples/request.toml \
  --sign-key "$work/keys/examiner.key.pem" --sign-cert "$work/keys/examiner.cert.pem"
"$app" verify "$work/bundle" --ca "$work/keys/examiner.cert.pem"
echo "== frozen GUI smoke test (offscreen)"; "$app" --smoke-test
echo "app smoke test passed: $(du -sh dist/triage | cut -f1) in dist/triage/"
