"""Language detection from the file name, extension, shebang and editor modelines.

NOTE (initial scaffold): extension lookup only; the full rules are part of issue 2.
"""

from __future__ import annotations

import os

from .languages import LANGUAGES

_BY_EXT = {ext: info.name for info in LANGUAGES.values() for ext in info.extensions}
_BY_NAME = {fn: info.name for info in LANGUAGES.values() for fn in info.filenames}


def detect_language(path: str, head: bytes = b"") -> str | None:
    base = os.path.basename(path)
    if base in _BY_NAME:
        return _BY_NAME[base]
    _, ext = os.path.splitext(base)
    return _BY_EXT.get(ext.lower())
