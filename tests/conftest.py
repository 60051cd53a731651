"""Suite-wide: the corpus downloader's one line per download reaches the terminal through
pytest's output capture (and from pytest-xdist workers), so a first run's downloads are visible."""

from __future__ import annotations

import sys

import pytest

from tests.support import corpora


def pytest_configure(config: pytest.Config) -> None:
    capture = config.pluginmanager.getplugin("capturemanager")
    if capture is None:  # -p no:capture
        return

    def announce(line: str) -> None:
        with capture.global_and_fixture_disabled():
            print(line, file=sys.stderr, flush=True)

    corpora.announce = announce
