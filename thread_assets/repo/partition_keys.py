"""Repository-relative paths <-> Dagster partition keys, reversibly.

Dagster rejects partition keys containing ``...`` or the control characters ``\\a \\b \\f \\n \\r
\\t \\v \\0`` (``INVALID_PARTITION_SUBSTRINGS``), and its storage needs valid UTF-8, while a file
name may hold any byte but ``/`` and NUL. Keys are therefore the path with a few characters
percent-encoded (as the bytes of their UTF-8 / surrogateescape encoding):

- ``%`` itself, so that decoding is unambiguous (``100%.txt`` -> ``100%25.txt``);
- every C0 control character and DEL (a superset of what Dagster rejects today);
- every dot of a run of three or more dots (``a...b.py`` -> ``a%2E%2E%2Eb.py``; ``..`` stays);
- lone surrogates from undecodable file-name bytes (``os.fsdecode``'s surrogateescape).

Everything else is kept, so ordinary paths are their own keys and the UI stays readable.
"""

from __future__ import annotations

import re
from urllib.parse import unquote_to_bytes

_DOT_RUN = re.compile(r"\.{3,}")
_SAFE_PATH = re.compile(r"[^%\x00-\x1f\x7f\ud800-\udfff]*")


def _escape_char(ch: str) -> str:
    return "".join(f"%{b:02X}" for b in ch.encode("utf-8", "surrogateescape"))


def _encode(text: str) -> str:
    encoded = "".join(_escape_char(ch) if _needs_escape(ch) else ch for ch in text)
    return _DOT_RUN.sub(lambda m: "%2E" * len(m.group(0)), encoded)


def _needs_escape(ch: str) -> bool:
    code = ord(ch)
    return ch == "%" or code < 0x20 or code == 0x7F or 0xD800 <= code <= 0xDFFF


def encode_key(path: str) -> str:
    """The partition key of ``path`` (repo-relative, POSIX separators)."""
    if not path:
        raise ValueError("empty path has no partition key")
    if _SAFE_PATH.fullmatch(path) and "..." not in path:
        return path
    return _encode(path)


def path_of(key: str) -> str:
    """The path of a key made by :func:`encode_key`."""
    if "%" not in key:
        return key
    return unquote_to_bytes(key).decode("utf-8", "surrogateescape")
