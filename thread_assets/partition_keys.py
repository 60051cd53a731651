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

Repository prefix: one set of Definitions indexes ONE repository (``THREAD_REPO_ROOT``), so keys
are bare paths. When several repositories share one partitions definition, pass ``repo``: the key
becomes ``<encoded repo>/<encoded path>``; a repository name has ``/`` encoded too, so the first
``/`` of the key always ends the repository part.
"""

from __future__ import annotations

import re
from urllib.parse import unquote_to_bytes

_DOT_RUN = re.compile(r"\.{3,}")
_SAFE_PATH = re.compile(r"[^%\x00-\x1f\x7f\ud800-\udfff]*")


def _escape_char(ch: str) -> str:
    return "".join(f"%{b:02X}" for b in ch.encode("utf-8", "surrogateescape"))


def _encode_part(text: str, *, slash: bool) -> str:
    out: list[str] = []
    for ch in text:
        code = ord(ch)
        if ch == "%" or code < 0x20 or code == 0x7F or 0xD800 <= code <= 0xDFFF or (slash and ch == "/"):
            out.append(_escape_char(ch))
        else:
            out.append(ch)
    encoded = "".join(out)
    return _DOT_RUN.sub(lambda m: "%2E" * len(m.group(0)), encoded)


def encode_key(path: str, repo: str | None = None) -> str:
    """The partition key of ``path`` (repo-relative, POSIX separators), prefixed by ``repo/``
    when a repository name is given (multi-repository instances)."""
    if not path:
        raise ValueError("empty path has no partition key")
    if repo is None:
        if _SAFE_PATH.fullmatch(path) and "..." not in path:
            return path
        return _encode_part(path, slash=False)
    if not repo:
        raise ValueError("empty repository name")
    return f"{_encode_part(repo, slash=True)}/{_encode_part(path, slash=False)}"


def _decode_part(text: str) -> str:
    if "%" not in text:
        return text
    return unquote_to_bytes(text).decode("utf-8", "surrogateescape")


def decode_key(key: str, *, with_repo: bool = False) -> tuple[str | None, str]:
    """``(repo, path)`` of a key made by :func:`encode_key`; ``repo`` is None unless
    ``with_repo`` (keys of a multi-repository instance)."""
    if not with_repo:
        return None, _decode_part(key)
    repo, sep, path = key.partition("/")
    if not sep or not repo or not path:
        raise ValueError(f"partition key without a repository prefix: {key!r}")
    return _decode_part(repo), _decode_part(path)


def path_of(key: str) -> str:
    """The path of a single-repository key."""
    return _decode_part(key)
