"""The small multi-language repository of ``tests/support/shop.py`` and a Dagster instance per test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from dagster import DagsterInstance

from tests.support.shop import FILES, write_repo


@pytest.fixture
def indexed_paths() -> list[str]:
    """Every path of FILES that the index holds (README.txt has no language)."""
    return sorted(p for p in FILES if p != "README.txt")


@pytest.fixture
def make_repo():  # type: ignore[no-untyped-def]
    return write_repo


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return write_repo(tmp_path / "shop")


@pytest.fixture
def instance() -> Iterator[DagsterInstance]:
    with DagsterInstance.ephemeral() as inst:
        yield inst


@pytest.fixture
def store_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'index.db'}"
