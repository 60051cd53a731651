-- Symbols of one file (:path) in file order (the n-th definition first), with their parameters,
-- generics and decorators (JSON text). The files row comes first so that the symbols primary key
-- (repo, path, ordinal) serves the lookup whether or not :repo is given.
SELECT s.repo, s.path, s.ordinal, s.global_id, s.symbol_id, s.name, s.qualified_name, s.kind, s.visibility,
       s.signature, s.parameters, s.return_type, s.generics, s.decorators, s.parent, s.docstring, s.exported,
       f.language, s.start_line, s.start_col, s.end_line, s.end_col, s.start_byte, s.end_byte
FROM files f JOIN symbols s ON s.repo = f.repo AND s.path = f.path
WHERE f.path = :path AND (CAST(:repo AS TEXT) IS NULL OR f.repo = :repo)
ORDER BY s.repo, s.ordinal
LIMIT :limit OFFSET :offset
