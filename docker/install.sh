#!/bin/sh
# The image's install steps. The Dockerfile runs them; tests/test_container.py runs the same
# script in a fresh virtual environment, so what the image installs is what the test exercised.
#
#   install.sh deps PREFIX REQUIREMENTS  a virtualenv at PREFIX/venv holding the pinned
#                                        dependencies (wheels only: nothing compiled)
#   install.sh app PREFIX CONTEXT        Thread from the build context (what .dockerignore lets
#                                        through) built into a wheel and installed in the
#                                        virtualenv, and the entrypoint at PREFIX/entrypoint.sh
#
# The wheel is what `pip install .` installs: the packages, their data and the stores' SQL
# (sql/, carried as resources/store/sql/), so no source tree is kept in the image.
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
    wheels=$(mktemp -d)
    # the pinned setuptools builds it, offline; every dependency must already be there
    $pip wheel --quiet --no-deps --no-build-isolation --no-index --wheel-dir "$wheels" "$from"
    # --force-reinstall: a rebuild of the same version replaces the installed one (pip compiles
    # it: at run time site-packages is read-only to the image's user)
    $pip install --quiet --no-deps --no-index --force-reinstall "$wheels"/thread-*.whl
    rm -rf "$wheels"
    $pip check
    install -m 0755 "$from/docker/entrypoint.sh" "$prefix/entrypoint.sh"
    ;;
*)
    echo "usage: install.sh deps PREFIX REQUIREMENTS | app PREFIX CONTEXT" >&2
    exit 2
    ;;
esac
