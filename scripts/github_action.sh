#!/usr/bin/env bash
# The GitHub Action's check step (action.yml): run `detlint check` with the user's arguments,
# write SARIF for code scanning, annotate the run, and set the exit status the inputs ask for.
# Inputs come from the environment: DETLINT_ARGS, DETLINT_SARIF_FILE, DETLINT_FAIL_ON_FINDINGS.
set -uo pipefail
PYTHON="${PYTHON:-python}"
sarif="${DETLINT_SARIF_FILE:-detlint.sarif}"
fail="${DETLINT_FAIL_ON_FINDINGS:-true}"
read -r -a user_args <<< "${DETLINT_ARGS:-.}"

"$PYTHON" -m detlint check --format sarif --output-file "$sarif" "${user_args[@]}"
status=$?
if [ "$status" -ge 2 ]; then
    echo "::error title=detlint::detlint could not run (exit $status); see the messages above" >&2
    exit "$status"
fi
# Annotations on the changed lines in the pull request view (from the result cache: no second analysis).
"$PYTHON" -m detlint check --format github --exit-zero "${user_args[@]}" || true
findings=$("$PYTHON" -c 'import json, sys; print(sum(len(r["results"]) for r in json.load(open(sys.argv[1]))["runs"]))' "$sarif")
if [ -n "${GITHUB_OUTPUT:-}" ]; then
    { echo "sarif-file=$sarif"; echo "findings=$findings"; } >> "$GITHUB_OUTPUT"
fi
echo "detlint: $findings finding(s); SARIF report written to $sarif"
if [ "$status" -eq 1 ] && [ "$fail" = "true" ]; then
    exit 1
fi
exit 0
