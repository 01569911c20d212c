#!/usr/bin/env bash
# Set up an isolated environment with detlint, its test tools and the runtime probe's frameworks,
# then run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e ".[test,probe]"
exec .venv/bin/python -m pytest -q "$@"
