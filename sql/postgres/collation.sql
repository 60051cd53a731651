-- Postgres: every TEXT column of Thread's tables compares and sorts by code point (COLLATE "C"),
-- like SQLite's BINARY collation, so ORDER BY gives the same order in both stores whatever the
-- database's default locale is (and LIKE/ILIKE fold ASCII case only, like SQLite's LIKE).
-- Idempotent: only columns not yet "C" are altered (a no-op on an already converted schema).
DO $$
DECLARE col record;
BEGIN
    FOR col IN
        SELECT table_name, column_name FROM information_schema.columns
        WHERE table_schema = current_schema() AND data_type = 'text'
          AND table_name IN ('files', 'symbols', 'imports', 'calls', 'pattern_matches',
                             'import_resolutions', 'dep_edges', 'cycles', 'call_edges')
          AND coalesce(collation_name, '') <> 'C'
    LOOP
        EXECUTE format('ALTER TABLE %I ALTER COLUMN %I TYPE TEXT COLLATE "C"', col.table_name, col.column_name);
    END LOOP;
END $$;
