#!/bin/sh
# The image's install steps. The Dockerfile runs them; tests/test_container.py runs the same
# script in a fresh virtual environment, so what the image installs is what the test exercised.
#
#   install.sh deps PREFIX REQUIREMENTS  a virtualenv at PREFIX/venv holding the pinned
#                                        dependencies (wheels only: nothing compiled)
#   install.sh app PREFIX CONTEXT        Thread from the build context (what .dockerignore lets
#                                        through) into PREFIX/app, installed in the virtualenv,
#                                        and the entrypoint at PREFIX/entrypoint.sh
#
# Thread is installed in editable mode over its copied source tree: its stores read sql/ (and the
# D1 store edge/migrations/) beside the packages, which a wheel does not carry.
# PYTHON: the interpreter that makes the virtualenv (default python3).
set -eu

step=$1
prefix=$2
from=$3
python=${PYTHON:-python3}
pip="$prefix/venv/bin/python -m pip --no-cache-dir --disable-pip-version-check --no-input"

case "$step" in
deps)
    "$python" -m venv "$prefix/venv"
    $pip install --quiet --only-binary :all: --requirement "$from"
    ;;
app)
    rm -rf "$prefix/app"
    mkdir -p "$prefix/app"
    cp -R "$from/." "$prefix/app/"
    # the pinned setuptools builds it, offline; every dependency must already be there
    $pip install --quiet --no-deps --no-build-isolation --no-index --editable "$prefix/app"
    $pip check
    # compiled now: at run time the source tree is read-only to the image's user
    "$prefix/venv/bin/python" -m compileall -q "$prefix/app/thread_assets" "$prefix/app/resources" "$prefix/app/sensors"
    install -m 0755 "$prefix/app/docker/entrypoint.sh" "$prefix/entrypoint.sh"
    ;;
*)
    echo "usage: install.sh deps PREFIX REQUIREMENTS | app PREFIX CONTEXT" >&2
    exit 2
    ;;
esac
