-- Generated from sql/schema.sql by `python -m resources.store.d1`; do not edit.
-- Thread's index schema: one text that SQLite, Postgres (and later Cloudflare D1) all accept.
-- Portable types only: TEXT, BIGINT (64-bit; INTEGER affinity on SQLite), DOUBLE PRECISION,
-- booleans as BIGINT 0/1, JSON lists/objects as TEXT (msgspec.json). Every table has an explicit
-- primary key; per-file tables are keyed by (repo, path, ordinal), graph tables by repo.
-- Dialect-specific search structures live in sql/sqlite/*.sql and sql/postgres/*.sql.
-- Statements are separated by ";" at the end of a line (the SQLite/D1 loaders split on it).

CREATE TABLE IF NOT EXISTS files (
    repo TEXT NOT NULL,
    path TEXT NOT NULL,
    language TEXT,
    status TEXT NOT NULL,
    reason TEXT,
    level TEXT NOT NULL,
    content_hash TEXT,
    size_bytes BIGINT NOT NULL,
    extractor_version TEXT NOT NULL,
    summary_language TEXT,
    summary_content_hash TEXT,
    summary_size_bytes BIGINT,
    line_count BIGINT,
    node_count BIGINT,
    error_count BIGINT,
    error_ratio DOUBLE PRECISION,
    max_depth BIGINT,
    parse_time_ms DOUBLE PRECISION,
    grammar_version TEXT,
    run_id TEXT NOT NULL,
    indexed_at TEXT NOT NULL,
    PRIMARY KEY (repo, path)
);
CREATE INDEX IF NOT EXISTS files_language ON files (repo, language);
CREATE INDEX IF NOT EXISTS files_content_hash ON files (content_hash);

CREATE TABLE IF NOT EXISTS symbols (
    repo TEXT NOT NULL,
    path TEXT NOT NULL,
    ordinal BIGINT NOT NULL,
    symbol_id TEXT NOT NULL,
    global_id TEXT NOT NULL,
    name TEXT NOT NULL,
    qualified_name TEXT NOT NULL,
    kind TEXT NOT NULL,
    visibility TEXT NOT NULL,
    signature TEXT NOT NULL,
    parameters TEXT NOT NULL,
    return_type TEXT,
    generics TEXT NOT NULL,
    decorators TEXT NOT NULL,
    parent TEXT,
    docstring TEXT,
    exported BIGINT NOT NULL,
    start_line BIGINT NOT NULL,
    start_col BIGINT NOT NULL,
    end_line BIGINT NOT NULL,
    end_col BIGINT NOT NULL,
    start_byte BIGINT NOT NULL,
    end_byte BIGINT NOT NULL,
    PRIMARY KEY (repo, path, ordinal)
);
CREATE INDEX IF NOT EXISTS symbols_name ON symbols (name);
CREATE INDEX IF NOT EXISTS symbols_qualified_name ON symbols (qualified_name);
CREATE INDEX IF NOT EXISTS symbols_global_id ON symbols (global_id);

CREATE TABLE IF NOT EXISTS imports (
    repo TEXT NOT NULL,
    path TEXT NOT NULL,
    ordinal BIGINT NOT NULL,
    module TEXT NOT NULL,
    name TEXT,
    alias TEXT,
    bound TEXT,
    kind TEXT NOT NULL,
    level BIGINT NOT NULL,
    used BIGINT NOT NULL,
    start_line BIGINT NOT NULL,
    start_col BIGINT NOT NULL,
    end_line BIGINT NOT NULL,
    end_col BIGINT NOT NULL,
    start_byte BIGINT NOT NULL,
    end_byte BIGINT NOT NULL,
    PRIMARY KEY (repo, path, ordinal)
);
CREATE INDEX IF NOT EXISTS imports_module ON imports (module);

CREATE TABLE IF NOT EXISTS calls (
    repo TEXT NOT NULL,
    path TEXT NOT NULL,
    ordinal BIGINT NOT NULL,
    caller TEXT,
    callee TEXT NOT NULL,
    name TEXT NOT NULL,
    receiver TEXT,
    call_type TEXT NOT NULL,
    arg_count BIGINT NOT NULL,
    start_line BIGINT NOT NULL,
    start_col BIGINT NOT NULL,
    end_line BIGINT NOT NULL,
    end_col BIGINT NOT NULL,
    start_byte BIGINT NOT NULL,
    end_byte BIGINT NOT NULL,
    PRIMARY KEY (repo, path, ordinal)
);

-- What names hold, for call resolution across files (engine Binding): module variables (scope
-- NULL), class members (scope = the class's local id), function results (name 'return') and
-- container elements (name ending in '[]'); refs is a JSON list of [base, [ops...]] values.
CREATE TABLE IF NOT EXISTS bindings (
    repo TEXT NOT NULL,
    path TEXT NOT NULL,
    ordinal BIGINT NOT NULL,
    scope TEXT,
    name TEXT NOT NULL,
    refs TEXT NOT NULL,
    PRIMARY KEY (repo, path, ordinal)
);

-- The type hierarchy as written in each file (engine TypeRelation); type_hierarchy holds the
-- same relations with their bases resolved.
CREATE TABLE IF NOT EXISTS type_relations (
    repo TEXT NOT NULL,
    path TEXT NOT NULL,
    ordinal BIGINT NOT NULL,
    type_id TEXT,
    type_name TEXT NOT NULL,
    base TEXT NOT NULL,
    kind TEXT NOT NULL,
    access TEXT,
    start_line BIGINT NOT NULL,
    start_col BIGINT NOT NULL,
    end_line BIGINT NOT NULL,
    end_col BIGINT NOT NULL,
    start_byte BIGINT NOT NULL,
    end_byte BIGINT NOT NULL,
    PRIMARY KEY (repo, path, ordinal)
);
CREATE INDEX IF NOT EXISTS calls_name ON calls (name);

CREATE TABLE IF NOT EXISTS pattern_matches (
    repo TEXT NOT NULL,
    path TEXT NOT NULL,
    ordinal BIGINT NOT NULL,
    rule_id TEXT NOT NULL,
    severity TEXT NOT NULL,
    message TEXT NOT NULL,
    matched_text TEXT NOT NULL,
    captures TEXT NOT NULL,
    start_line BIGINT NOT NULL,
    start_col BIGINT NOT NULL,
    end_line BIGINT NOT NULL,
    end_col BIGINT NOT NULL,
    start_byte BIGINT NOT NULL,
    end_byte BIGINT NOT NULL,
    PRIMARY KEY (repo, path, ordinal)
);
CREATE INDEX IF NOT EXISTS pattern_matches_rule ON pattern_matches (repo, rule_id);

CREATE TABLE IF NOT EXISTS import_resolutions (
    repo TEXT NOT NULL,
    importer TEXT NOT NULL,
    import_index BIGINT NOT NULL,
    module TEXT NOT NULL,
    name TEXT,
    target TEXT,
    external TEXT,
    how TEXT NOT NULL,
    run_id TEXT NOT NULL,
    PRIMARY KEY (repo, importer, import_index)
);
CREATE INDEX IF NOT EXISTS import_resolutions_target ON import_resolutions (repo, target);

CREATE TABLE IF NOT EXISTS dep_edges (
    repo TEXT NOT NULL,
    source TEXT NOT NULL,
    external BIGINT NOT NULL,
    target TEXT NOT NULL,
    import_count BIGINT NOT NULL,
    names TEXT NOT NULL,
    kinds TEXT NOT NULL,
    resolved_by TEXT NOT NULL,
    run_id TEXT NOT NULL,
    PRIMARY KEY (repo, source, external, target)
);
CREATE INDEX IF NOT EXISTS dep_edges_source ON dep_edges (source);
CREATE INDEX IF NOT EXISTS dep_edges_target ON dep_edges (target);

CREATE TABLE IF NOT EXISTS cycles (
    repo TEXT NOT NULL,
    ordinal BIGINT NOT NULL,
    kind TEXT NOT NULL,
    members TEXT NOT NULL,
    cycle_path TEXT NOT NULL,
    member_count BIGINT NOT NULL,
    edge_count BIGINT NOT NULL,
    run_id TEXT NOT NULL,
    PRIMARY KEY (repo, ordinal)
);

CREATE TABLE IF NOT EXISTS call_edges (
    repo TEXT NOT NULL,
    path TEXT NOT NULL,
    ordinal BIGINT NOT NULL,
    caller TEXT NOT NULL,
    callee TEXT NOT NULL,
    name TEXT NOT NULL,
    call_type TEXT NOT NULL,
    target TEXT,
    how TEXT NOT NULL,
    start_line BIGINT NOT NULL,
    start_col BIGINT NOT NULL,
    end_line BIGINT NOT NULL,
    end_col BIGINT NOT NULL,
    start_byte BIGINT NOT NULL,
    end_byte BIGINT NOT NULL,
    run_id TEXT NOT NULL,
    PRIMARY KEY (repo, path, ordinal)
);
CREATE INDEX IF NOT EXISTS call_edges_target ON call_edges (target);
CREATE INDEX IF NOT EXISTS call_edges_caller ON call_edges (caller);

-- One row per relation of the type hierarchy (class bases, implemented interfaces, Go
-- embedding, Rust impls and supertraits, C++ bases with access), its base resolved to a
-- repository type (target, a global symbol id) or to an external module; written by the graph
-- step for the files whose calls it resolves.
CREATE TABLE IF NOT EXISTS type_hierarchy (
    repo TEXT NOT NULL,
    path TEXT NOT NULL,
    ordinal BIGINT NOT NULL,
    type TEXT,
    type_name TEXT NOT NULL,
    base TEXT NOT NULL,
    kind TEXT NOT NULL,
    access TEXT,
    target TEXT,
    module TEXT,
    start_line BIGINT NOT NULL,
    start_col BIGINT NOT NULL,
    end_line BIGINT NOT NULL,
    end_col BIGINT NOT NULL,
    start_byte BIGINT NOT NULL,
    end_byte BIGINT NOT NULL,
    run_id TEXT NOT NULL,
    PRIMARY KEY (repo, path, ordinal)
);
CREATE INDEX IF NOT EXISTS type_hierarchy_target ON type_hierarchy (target);
CREATE INDEX IF NOT EXISTS type_hierarchy_type ON type_hierarchy (type);

-- What the last graph build consumed and produced, per file (kinds: content, exports, config,
-- deps, calls, meta), written in the graph build's transaction: the graph step compares it with
-- `files` to work out what changed (thread_assets/engine/graph/incremental.py).
CREATE TABLE IF NOT EXISTS graph_inputs (
    repo TEXT NOT NULL,
    kind TEXT NOT NULL,
    path TEXT NOT NULL,
    digest TEXT NOT NULL,
    PRIMARY KEY (repo, kind, path)
);

-- Which per-file state the graph tables were built from, per repository: `files_version` goes up
-- in the transaction of every `write_files` / `delete_files`, and a graph build sets
-- `graphs_version` to the `files_version` it read before building, in its own transaction. So a
-- crash between a per-file commit and the graph commit leaves files_version > graphs_version, and
-- the next update runs the graph step (and `thread audit` reports the graphs stale) whatever the
-- Dagster instance remembers.
CREATE TABLE IF NOT EXISTS index_state (
    repo TEXT NOT NULL,
    files_version BIGINT NOT NULL,
    graphs_version BIGINT NOT NULL,
    PRIMARY KEY (repo)
);

-- The repository map's plan (thread_assets/engine/repomap.py), written by the repo_rank asset: one
-- row per ranked node (a symbol, or a file's module-level code `path::<module>`), its PageRank
-- score and, for a shown symbol, its rendered line and the map position at which it enters with
-- the token count of the map then (cumulative_tokens). A map of B tokens is the rows with
-- cumulative_tokens <= B, ordered by file_position then ordinal (sql/queries/map_entries.sql).
CREATE TABLE IF NOT EXISTS symbol_ranks (
    repo TEXT NOT NULL,
    symbol TEXT NOT NULL,
    path TEXT NOT NULL,
    ordinal BIGINT NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    start_line BIGINT NOT NULL,
    score DOUBLE PRECISION NOT NULL,
    depth BIGINT NOT NULL,
    line TEXT,
    tokens BIGINT NOT NULL,
    map_position BIGINT,
    file_position BIGINT,
    cumulative_tokens BIGINT,
    run_id TEXT NOT NULL,
    PRIMARY KEY (repo, symbol)
);
CREATE INDEX IF NOT EXISTS symbol_ranks_budget ON symbol_ranks (repo, cumulative_tokens);

-- What the last rank computation of a repository read and did: the digest of its graph (nodes,
-- signatures, edges; equal digest, nothing to recompute), its size, the power iterations, whether
-- it started from the previous scores, and how long it took.
CREATE TABLE IF NOT EXISTS rank_state (
    repo TEXT NOT NULL,
    digest TEXT NOT NULL,
    nodes BIGINT NOT NULL,
    edges BIGINT NOT NULL,
    iterations BIGINT NOT NULL,
    warm BIGINT NOT NULL,
    seconds DOUBLE PRECISION NOT NULL,
    run_id TEXT NOT NULL,
    computed_at TEXT NOT NULL,
    PRIMARY KEY (repo)
);
