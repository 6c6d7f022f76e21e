#!/usr/bin/env bash
# Known vulnerabilities in the locked packages (pip-audit against requirements.lock, hashes
# required). Fails on any known vulnerability not accepted in packaging/audit-accepted.txt
# (one "ID  # why, who, until when" a line: see docs/security.md).
# When the vulnerability service cannot be reached (every package "could not be audited"), it says
# so loudly and exits 0, unless TRIAGE_AUDIT_STRICT=1: then that fails too.
set -uo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
lock="${1:-$repo/requirements.lock}"
accepted="$repo/packaging/audit-accepted.txt"
audit="$repo/.venv/bin/pip-audit"
ignore=()
if [ -f "$accepted" ]; then
  while read -r id _; do
    [ -n "$id" ] && [ "${id:0:1}" != "#" ] && ignore+=(--ignore-vuln "$id")
  done < "$accepted"
fi
out="$(mktemp)"; trap 'rm -f "$out"' EXIT
"$audit" -r "$lock" --disable-pip --require-hashes --progress-spinner off "${ignore[@]}" >"$out" 2>&1
code=$?
cat "$out"
packages=$(grep -c '^[a-zA-Z0-9_.-]*==' "$lock")
skipped=$(grep -c 'could not be audited' "$out")
if [ "$code" -ne 0 ] && ! grep -q 'could not be audited' "$out"; then
  echo "pip-audit: known vulnerabilities (or an error) in $lock: fix them, or accept one in $accepted" >&2
  exit 1
fi
if grep -qE '^Found [0-9]+ known vulnerabilit' "$out"; then
  echo "pip-audit: known vulnerabilities in $lock: upgrade (make lock), or accept one in $accepted" >&2
  exit 1
fi
if [ "$skipped" -gt 0 ]; then
  echo "pip-audit: AUDIT INCOMPLETE: $skipped of $packages locked packages could not be audited" \
       "(the vulnerability service is not reachable from here)" >&2
  [ "${TRIAGE_AUDIT_STRICT:-0}" = 1 ] && exit 1
fi
exit 0
