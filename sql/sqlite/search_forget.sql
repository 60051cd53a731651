-- Remove one file's symbols from the FTS5 index (before they are deleted): an external-content
-- index forgets a row through the 'delete' command with the row's indexed values.
INSERT INTO symbols_fts (symbols_fts, rowid, name, qualified_name, docstring)
SELECT 'delete', rowid, name, qualified_name, docstring FROM symbols WHERE repo = :repo AND path = :path
