-- Symbols whose name or qualified name starts with :name. The range [:name, :upper) lets a
-- b-tree index do the work (code-point order in both stores); substr() makes the test exact.
SELECT s.repo, s.path, s.global_id, s.symbol_id, s.name, s.qualified_name, s.kind, s.visibility, s.signature, s.return_type,
       s.parent, s.docstring, s.exported, f.language, s.start_line, s.start_col, s.end_line, s.end_col
FROM symbols s JOIN files f ON f.repo = s.repo AND f.path = s.path
WHERE ((s.name >= :name AND s.name < :upper AND substr(s.name, 1, CAST(:length AS INTEGER)) = :name)
       OR (s.qualified_name >= :name AND s.qualified_name < :upper
           AND substr(s.qualified_name, 1, CAST(:length AS INTEGER)) = :name))
  AND (CAST(:repo AS TEXT) IS NULL OR s.repo = :repo)
  AND (CAST(:kind AS TEXT) IS NULL OR s.kind = :kind)
  AND (CAST(:language AS TEXT) IS NULL OR f.language = :language)
ORDER BY s.name, s.qualified_name, s.repo, s.path, s.ordinal
LIMIT :limit OFFSET :offset
