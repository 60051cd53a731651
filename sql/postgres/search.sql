-- Postgres search structure: pg_trgm GIN indexes over symbol names, qualified names and
-- docstrings, which serve the ILIKE '%text%' of search_symbols. Needs the pg_trgm extension
-- (contrib); the store runs this file only when `CREATE EXTENSION IF NOT EXISTS pg_trgm` worked,
-- and otherwise answers the same query by a sequential scan.
CREATE INDEX IF NOT EXISTS symbols_name_trgm ON symbols USING gin (name gin_trgm_ops);
CREATE INDEX IF NOT EXISTS symbols_qualified_name_trgm ON symbols USING gin (qualified_name gin_trgm_ops);
CREATE INDEX IF NOT EXISTS symbols_docstring_trgm ON symbols USING gin (docstring gin_trgm_ops);
