-- Symbols whose name, qualified name or global id (path::Qual.name) is exactly :name.
SELECT s.repo, s.path, s.global_id, s.symbol_id, s.name, s.qualified_name, s.kind, s.visibility, s.signature, s.return_type,
       s.parent, s.docstring, s.exported, f.language, s.start_line, s.start_col, s.end_line, s.end_col
FROM symbols s JOIN files f ON f.repo = s.repo AND f.path = s.path
WHERE (s.name = :name OR s.qualified_name = :name OR s.global_id = :name)
  AND (CAST(:repo AS TEXT) IS NULL OR s.repo = :repo)
  AND (CAST(:kind AS TEXT) IS NULL OR s.kind = :kind)
  AND (CAST(:language AS TEXT) IS NULL OR f.language = :language)
ORDER BY s.name, s.qualified_name, s.repo, s.path, s.ordinal
LIMIT :limit OFFSET :offset
