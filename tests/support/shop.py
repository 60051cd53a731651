"""A small multi-language repository ("shop"): Python, JavaScript, Go and C, a file without a
language, and awkward file names (dots, a tab, a percent sign) that partition keys must survive."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

FILES = {
    "app/__init__.py": "",
    "app/models.py": (
        'from app import views\n\nclass Order:\n    """An order."""\n\n    def total(self):\n'
        "        return views.render(self)\n"
    ),
    "app/views.py": "from app import models\n\ndef render(order):\n    return str(order)\n",
    "web/index.js": "import { helper } from './util.js'\nexport function main() { return helper(1) }\n",
    "web/util.js": "export function helper(x) { return x + 1 }\n",
    "cmd/main.go": 'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("hi") }\n',
    "lib/ring.c": '#include "ring.h"\nint ring_size(void) { return 4; }\n',
    "lib/ring.h": "int ring_size(void);\n",
    "a...b.py": "def dots():\n    return 1\n",
    "tab\tname.py": "def tabbed():\n    return dots()\n",
    "100%.py": "PERCENT = 100\n",
    "README.txt": "not indexed: no language\n",
}


def without_thread_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """No ``THREAD_*`` or ``DAGSTER_HOME`` from the caller's environment reaches the test: every
    setting takes its default unless the test sets it."""
    for name in list(os.environ):
        if name.startswith("THREAD_") or name == "DAGSTER_HOME":
            monkeypatch.delenv(name, raising=False)


def write_repo(root: Path, files: dict[str, str] = FILES) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root
