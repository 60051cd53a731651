"""Resolving C and C++ includes to repository files.

With a compilation database (``compile_commands.json`` at the root, in ``build/``, or indexed
anywhere; see :mod:`.compile_db`), includes are searched as the compiler does, with each file's
own flags (``c:compile-db``): a quoted include in the includer's directory and the ``-iquote``
directories, then every include in the ``-I``, ``-isystem`` and ``-idirafter`` directories;
``#include NAME`` expands a ``-DNAME="x.h"`` macro. For a file the database compiles, a header
found in none of them is outside the repository (external); headers themselves are not compiled
alone, so they search the union of every entry's directories and then fall back to the rules
below.

Without the build's ``-I`` flags we approximate the compiler's search:

- ``#include "x.h"``: the including file's directory first (as every compiler does), then the
  configured include directories, then any repository file whose path *ends with* ``x.h``
  (``#include "foo/bar.h"`` matches ``<anything>/foo/bar.h``), preferring the candidate that
  shares the longest directory prefix with the includer, then the shortest path.
- ``#include <x.h>``: the configured include directories, then the same suffix match (projects
  use ``<>`` for their own headers too), else external. Standard library headers (``<stdio.h>``,
  ``<vector>``, ``<sys/types.h>``) skip the suffix match, so a vendored ``compat/string.h`` does
  not capture every ``<string.h>``.
- ``using`` declarations and C++20 ``import``: namespaces and modules do not name files; ``std``
  ones are external ``std``, the rest unresolved.

The external package of a header is its first path component (``boost`` for
``<boost/optional.hpp>``), or the header itself when it has none (``stdio.h``).
"""

from __future__ import annotations

import posixpath
from collections import defaultdict

from ..model import Import
from . import compile_db
from .base import RepoContext

_C_STANDARD_WORDS = (
    "assert.h complex.h ctype.h errno.h fenv.h float.h inttypes.h iso646.h limits.h locale.h "
    "math.h setjmp.h signal.h stdalign.h stdarg.h stdatomic.h stdbool.h stddef.h stdint.h stdio.h "
    "stdlib.h stdnoreturn.h string.h tgmath.h threads.h time.h uchar.h wchar.h wctype.h "
    "aio.h arpa/inet.h cpio.h dirent.h dlfcn.h fcntl.h fmtmsg.h fnmatch.h ftw.h glob.h grp.h "
    "iconv.h langinfo.h libgen.h monetary.h mqueue.h ndbm.h net/if.h netdb.h netinet/in.h "
    "netinet/tcp.h nl_types.h poll.h pthread.h pwd.h regex.h sched.h search.h semaphore.h "
    "spawn.h strings.h stropts.h syslog.h tar.h termios.h trace.h ulimit.h unistd.h utime.h "
    "utmpx.h wordexp.h malloc.h alloca.h endian.h features.h getopt.h ifaddrs.h memory.h "
    "paths.h sysexits.h execinfo.h link.h elf.h err.h windows.h winsock2.h ws2tcpip.h"
)
_C_STANDARD = frozenset(_C_STANDARD_WORDS.split())
_STANDARD_DIRS = ("sys/", "netinet/", "arpa/", "net/", "linux/", "asm/", "bits/", "mach/", "machine/")


def make_resolver(ctx: RepoContext) -> CFamilyResolver:
    return CFamilyResolver(ctx)


class CFamilyResolver:
    def __init__(self, ctx: RepoContext) -> None:
        self.files = ctx.files
        self.include_dirs = tuple(d.strip("/") for d in ctx.include_dirs)
        self.db = compile_db.find(ctx.files, ctx.read)
        self.by_suffix: dict[str, list[str]] = defaultdict(list)
        for path in sorted(ctx.files):
            parts = path.split("/")
            for i in range(len(parts)):
                self.by_suffix["/".join(parts[i:])].append(path)

    def resolve(self, importer: str, imp: Import) -> tuple[str | None, str | None, str]:
        kind: str = imp.kind
        header = _normalize(imp.module)
        if kind not in ("relative", "system"):
            # using declarations, namespace aliases, C++20 module imports, `#include MACRO`
            expanded = self._macro(importer, imp.module.strip())
            if expanded is None:
                return self._namespace(imp.module)
            kind, header = expanded
        if not header:
            return None, None, "unresolved"
        if self.db is not None:
            search = self.db.per_file.get(importer)
            found = self._search(importer, header, kind, search or self.db.union)
            if found is not None:
                return found, None, "c:compile-db"
            if search is not None:  # the compiler's own search path found nothing in the repository
                return None, _package(header), "external"
        if kind == "relative":
            local = posixpath.normpath(posixpath.join(posixpath.dirname(importer), header))
            if local in self.files:
                return local, None, "c:relative"
        for directory in self.include_dirs:
            candidate = posixpath.normpath(posixpath.join(directory, header))
            if candidate in self.files:
                return candidate, None, "c:include-dir"
        if kind == "system" and _is_standard(header):
            return None, _package(header), "external"
        found = self._closest(importer, header)
        if found is not None:
            return found, None, "c:suffix"
        if kind == "system":
            return None, _package(header), "external"
        return None, None, "unresolved"

    def _macro(self, importer: str, name: str) -> tuple[str, str] | None:
        """``#include NAME`` with ``-DNAME="x.h"`` (or ``<x.h>``): (kind, header), else None."""
        if self.db is None or not name.isidentifier():
            return None
        search = self.db.per_file.get(importer) or self.db.union
        value = search.defines.get(name, "").strip()
        if len(value) > 2 and value[0] == '"' and value[-1] == '"':
            return "relative", _normalize(value[1:-1])
        if len(value) > 2 and value[0] == "<" and value[-1] == ">":
            return "system", _normalize(value[1:-1])
        return None

    def _search(self, importer: str, header: str, kind: str, search: compile_db.SearchPath) -> str | None:
        """The compiler's search: the includer's directory and ``-iquote`` directories for a
        quoted include, then ``-I``, ``-isystem``, ``-idirafter`` directories."""
        dirs: list[str] = []
        if kind == "relative":
            dirs += [posixpath.dirname(importer), *search.quote]
        dirs += search.angle
        for directory in dirs:
            if directory.startswith("/"):
                continue  # outside the repository
            candidate = posixpath.normpath(posixpath.join(directory, header))
            if candidate in self.files:
                return candidate
        return None

    def _closest(self, importer: str, header: str) -> str | None:
        while header.startswith("../"):
            header = header[3:]
        candidates = self.by_suffix.get(header)
        if not candidates:
            return None
        if len(candidates) == 1:
            return candidates[0]
        here = importer.split("/")[:-1]
        return min(candidates, key=lambda c: (-_shared(here, c.split("/")[:-1]), len(c), c))

    @staticmethod
    def _namespace(module: str) -> tuple[str | None, str | None, str]:
        root = module.lstrip(":").split("::")[0].split(".")[0]
        if root == "std":
            return None, "std", "external"
        return None, None, "unresolved"


def _normalize(module: str) -> str:
    text = module.strip().replace("\\", "/")
    while text.startswith("./"):
        text = text[2:]
    return text


def _is_standard(header: str) -> bool:
    if header in _C_STANDARD or header.startswith(_STANDARD_DIRS):
        return True
    return "." not in header and "/" not in header  # <vector>, <cstdio>, <iostream>


def _package(header: str) -> str:
    return header.split("/", 1)[0] if "/" in header else header


def _shared(a: list[str], b: list[str]) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n
