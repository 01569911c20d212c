#!/usr/bin/env bash
# Set up an isolated environment with detlint and lint the bundled examples.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e .
echo "== detlint check examples/"
set +e
.venv/bin/detlint check examples/
status=$?
set -e
if [ "$status" -eq 1 ]; then
    echo "(exit code 1: findings reported, as expected for examples/bad; examples/good is clean)"
    exit 0
fi
exit "$status"
