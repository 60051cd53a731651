#!/usr/bin/env bash
# The whole test suite on a fresh machine: installs what the project needs (virtualenv, and
# universal-ctags, the symbol-recall yardstick), starts PostgreSQL if it is not running, then
# runs pytest; lint, types and the layer contracts are tests too.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    # package lists: the Go and Rust corpora come from Debian packages (apt-get download)
    if ! ls /var/lib/apt/lists/*_Packages* >/dev/null 2>&1; then
        apt-get update -qq >/dev/null 2>&1 || echo "note: apt-get update failed" >&2
    fi
    if ! command -v ctags >/dev/null 2>&1; then
        apt-get install -y -qq universal-ctags >/dev/null 2>&1 || echo "note: could not install universal-ctags" >&2
    fi
fi
if command -v pg_isready >/dev/null 2>&1 && ! pg_isready -q -h 127.0.0.1 -p 5432; then
    if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
        pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
    fi
fi
exec "$VENV/bin/python" -m pytest -n 2 --cov=thread_assets --cov-report=term "$@"
