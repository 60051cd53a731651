-- Generated from sql/schema.sql (bindings, type_relations, type_hierarchy) by `python -m resources.store.d1`; do not edit.
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
