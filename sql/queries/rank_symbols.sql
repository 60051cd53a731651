-- The symbols the repository map ranks, with the global id of each one's enclosing symbol.
SELECT global_id, path, ordinal, name, qualified_name, kind, signature,
       CASE WHEN parent IS NULL THEN NULL ELSE path || '::' || parent END AS parent, start_line
FROM symbols
WHERE repo = :repo
ORDER BY path, ordinal
