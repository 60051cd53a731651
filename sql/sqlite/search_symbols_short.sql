-- Substring search for 1-2 characters, which trigrams cannot index: a scan, same answer.
SELECT s.repo, s.path, s.global_id, s.symbol_id, s.name, s.qualified_name, s.kind, s.visibility, s.signature, s.return_type,
       s.parent, s.docstring, s.exported, f.language, s.start_line, s.start_col, s.end_line, s.end_col,
       CASE WHEN s.name LIKE :exact ESCAPE '\' THEN 0
            WHEN s.name LIKE :starts ESCAPE '\' THEN 1
            WHEN s.name LIKE :contains ESCAPE '\' THEN 2
            WHEN s.qualified_name LIKE :contains ESCAPE '\' THEN 3
            ELSE 4 END AS rank
FROM symbols s JOIN files f ON f.repo = s.repo AND f.path = s.path
WHERE (s.name LIKE :contains ESCAPE '\' OR s.qualified_name LIKE :contains ESCAPE '\'
       OR s.docstring LIKE :contains ESCAPE '\')
  AND (CAST(:repo AS TEXT) IS NULL OR s.repo = :repo)
ORDER BY rank, s.name, s.qualified_name, s.repo, s.path, s.ordinal
LIMIT :limit
