-- Generated from sql/schema.sql (index_state) by `python -m resources.store.d1`; do not edit.
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
