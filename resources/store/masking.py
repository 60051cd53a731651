"""Passwords out of store URLs and out of messages about them (a driver's message may echo the
URL, or pieces of it). It imports nothing of the store, so every backend can import it
(``url`` imports the backends)."""

from __future__ import annotations

import re
from urllib.parse import unquote

_PASSWORD = re.compile(r"^([a-z][a-z0-9+.-]*://[^:/?#@]*):.*@", re.IGNORECASE | re.DOTALL)
"""``scheme://user:`` then everything up to the LAST ``@``: a raw ``@``, ``/``, ``?`` or ``#`` in
the password must not leave a piece of it outside the mask."""
_PASSWORD_IN_TEXT = re.compile(r"""([a-z][a-z0-9+.-]*://[^:/?#@\s"']*):[^\s"']*@""", re.IGNORECASE)
_PASSWORD_ARG = re.compile(r"(?i)(password=)[^&\s\"']*")


def mask_password(url: str) -> str:
    """``postgresql://u:secret@h/db`` -> ``postgresql://u:***@h/db`` (also ``password=`` query args)."""
    return _PASSWORD_ARG.sub(r"\1***", _PASSWORD.sub(r"\1:***@", url))


def secrets_of(url: str) -> list[str]:
    """The password of ``url`` as written and percent-decoded, and its ``password=`` values:
    what must never appear in a message about it."""
    found = [m[1] for m in re.finditer(r"(?i)password=([^&\s]+)", url)]
    m = _PASSWORD.match(url)
    if m:
        found.append(url[len(m[1]) + 1 : m.end() - 1])
    decoded = [unquote(s) for s in found]
    return sorted({s for s in found + decoded if s}, key=len, reverse=True)


def scrub(text: str, url: str) -> str:
    """``text`` (a driver's message, which may echo the URL or pieces of it) without any password."""
    text = text.replace(url, mask_password(url))
    for secret in secrets_of(url):
        text = text.replace(secret, "***")
    return _PASSWORD_ARG.sub(r"\1***", _PASSWORD_IN_TEXT.sub(r"\1:***@", text))
