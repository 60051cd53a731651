-- Generated from sql/sqlite/search.sql by `python -m resources.store.d1`; do not edit.
-- SQLite search structure: an FTS5 index with the trigram tokenizer over symbol names, qualified
-- names and docstrings (substring search, case-folded). External content: the index stores no
-- copy of the text, only trigrams pointing at symbols.rowid. The store keeps it in step with
-- `symbols` itself, one INSERT ... SELECT per file (search_index.sql / search_forget.sql): measured
-- on all of Django, per-row triggers made write_files 4x slower (1.6 s against 0.4 s for 18k symbols).

CREATE VIRTUAL TABLE IF NOT EXISTS symbols_fts USING fts5(
    name, qualified_name, docstring,
    content='symbols', content_rowid='rowid', tokenize='trigram'
);
