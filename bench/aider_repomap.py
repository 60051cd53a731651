"""aider's own repository map, run by ``bench/repo_map.py`` in aider's virtualenv (never the project's).

    ~/.cache/thread/bench-venvs/aider/bin/python bench/aider_repomap.py ROOT [TOKENS]

Prints one JSON object: aider's ranked definitions (``RepoMap.get_ranked_tags``, best first: path,
name, line), its rendered map for TOKENS tokens (``get_ranked_tags_map``) with the token count
aider's model reports, and the seconds each took. Offline: litellm's model-cost map is read from
its package (``LITELLM_LOCAL_MODEL_COST_MAP``), and tiktoken's cl100k_base from litellm's bundled
copy. Imports nothing of Thread."""

import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")

from aider.io import InputOutput
from aider.models import Model
from aider.repomap import RepoMap

SOURCE = {".py", ".js", ".ts", ".tsx", ".mjs", ".cjs"}


def main() -> None:
    root = Path(sys.argv[1]).resolve()
    tokens = int(sys.argv[2]) if len(sys.argv) > 2 else 1024
    files = sorted(str(p) for p in root.rglob("*") if p.suffix in SOURCE and p.is_file() and ".thread" not in p.parts)
    io = InputOutput(pretty=False, yes=True, fancy_input=False)
    model = Model("gpt-4")
    repo_map = RepoMap(map_tokens=tokens, root=str(root), main_model=model, io=io, refresh="always")
    started = time.perf_counter()
    ranked = repo_map.get_ranked_tags([], files, set(), set())
    rank_s = time.perf_counter() - started
    started = time.perf_counter()
    text = repo_map.get_ranked_tags_map([], files, tokens) or ""
    map_s = time.perf_counter() - started
    defs = [{"path": t[0], "name": t[3], "line": t[2]} for t in ranked if len(t) > 3]
    print(
        json.dumps(
            {
                "files": len(files),
                "ranked": defs[:200],
                "ranked_seconds": round(rank_s, 2),
                "map": text,
                "map_tokens": model.token_count(text),
                "map_seconds": round(map_s, 2),
            }
        )
    )


if __name__ == "__main__":
    main()
