#!/usr/bin/env bash
# The whole test suite on a fresh machine: installs what the project needs, starts PostgreSQL
# if it is not running, then runs pytest (lint, types and layer contracts are tests too).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
exec "$VENV/bin/python" -m pytest -n 2 --cov=thread_assets --cov-report=term "$@"
