-- Add one file's symbols to the FTS5 index (after they are inserted).
INSERT INTO symbols_fts (rowid, name, qualified_name, docstring)
SELECT rowid, name, qualified_name, docstring FROM symbols WHERE repo = :repo AND path = :path
