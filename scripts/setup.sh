#!/usr/bin/env bash
# Idempotent set-up, sourced by the README's commands: a virtualenv (default .venv) holding the
# project and its dev tools. Re-installs only when pyproject.toml changed.
set -euo pipefail
VENV="${THREAD_VENV:-$PWD/.venv}"
export VENV
if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV"
fi
stamp="$VENV/.thread-installed"
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    echo "setting up $VENV (first run only)..." >&2
    "$VENV/bin/python" -m pip install -q --upgrade pip
    "$VENV/bin/python" -m pip install -q -e '.[dev]'
    touch "$stamp"
fi
