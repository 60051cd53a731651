-- Generated from sql/schema.sql (symbol_ranks, rank_state) by `python -m resources.store.d1`; do not edit.
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
