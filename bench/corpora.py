"""Download (or find in the cache) the pinned real-world corpora: ``python -m bench.corpora [NAME ...]``
prints each corpus's path, and one line on stderr for each it has to download. Safe to run while
the tests fetch the same corpora (a lock per corpus). The recipes and the downloader are
``tests/support/corpora.py``."""

from __future__ import annotations

import sys

from tests.support.corpora import CORPORA, fetch

if __name__ == "__main__":
    for n in sys.argv[1:] or list(CORPORA):
        print(n, fetch(n))
