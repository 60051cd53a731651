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
if command -v npm >/dev/null 2>&1 && [ -f edge/package-lock.json ]; then
    # the real local Cloudflare D1 (Miniflare) for the D1 store tests: edge/node_modules, pinned by the lockfile
    if [ ! -d edge/node_modules ] || [ edge/package-lock.json -nt edge/node_modules/.package-lock.json ]; then
        WRANGLER_SEND_METRICS=false npm ci --prefix edge --no-audit --no-fund --loglevel=error >/dev/null \
            || echo "note: npm ci --prefix edge failed; the D1 tests will try again" >&2
    fi
fi
exec "$VENV/bin/python" -m pytest -n 2 --cov=thread_assets --cov-report=term "$@"
