"""Partition keys: reversible, and always acceptable to Dagster."""

from __future__ import annotations

import pytest
from dagster import DagsterInstance
from dagster._core.definitions.partitions.utils.base import INVALID_PARTITION_SUBSTRINGS
from hypothesis import given
from hypothesis import strategies as st

from thread_assets.repo.partition_keys import encode_key, path_of

WEIRD = ["a...b.py", "tab\tname.py", "new\nline.py", "100%.txt", "%2E.py", "....", "bell\a.c", "bad\udcff.py", "é/ü.rs"]

paths = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="/")
    | st.sampled_from([".", "%", "\t", "\udcfe"]),
    min_size=1,
    max_size=12,
)
nested = st.lists(paths, min_size=1, max_size=3).map("/".join)


@given(nested)
def test_round_trip_and_valid(path: str) -> None:
    key = encode_key(path)
    assert path_of(key) == path
    assert not any(bad in key for bad in INVALID_PARTITION_SUBSTRINGS)
    key.encode("utf-8")  # storable: no lone surrogates


def test_plain_paths_are_their_own_keys() -> None:
    assert encode_key("src/app/main.py") == "src/app/main.py"
    assert encode_key("a/../b..c") == "a/../b..c"


@pytest.mark.parametrize("path", WEIRD)
def test_weird_paths_are_accepted_by_dagster(path: str) -> None:
    key = encode_key(path)
    with DagsterInstance.ephemeral() as instance:
        instance.add_dynamic_partitions("files", [key])
        assert instance.get_dynamic_partitions("files") == [key]
    assert path_of(key) == path


def test_percent_is_escaped_so_decoding_is_unambiguous() -> None:
    assert encode_key("%2E") != encode_key(".")
    assert path_of(encode_key("%2E")) == "%2E"


def test_an_empty_path_has_no_key() -> None:
    with pytest.raises(ValueError):
        encode_key("")
