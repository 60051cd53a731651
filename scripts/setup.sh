#!/usr/bin/env bash
# Idempotent set-up, sourced by the README's commands: a virtualenv in .venv with the project
# and its dev tools, universal-ctags (the symbol-recall yardstick) and a running PostgreSQL.
set -euo pipefail
VENV="${THREAD_VENV:-$PWD/.venv}"
export VENV
if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV"
fi
stamp="$VENV/.thread-installed"
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    "$VENV/bin/python" -m pip install -q --upgrade pip
    "$VENV/bin/python" -m pip install -q -e '.[dev]'
    touch "$stamp"
fi
if ! command -v ctags >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    (apt-get update -qq && apt-get install -y -qq universal-ctags) >/dev/null 2>&1 || echo "note: could not install universal-ctags; recall checks will be skipped" >&2
fi
if command -v pg_isready >/dev/null 2>&1 && ! pg_isready -q -h 127.0.0.1 -p 5432; then
    if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
        pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
    fi
fi
