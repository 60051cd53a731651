-- The row counts `thread index` prints (imports as `thread stats` counts them: Java's implicit
-- same-package references are not imports anyone wrote).
SELECT
    (SELECT COUNT(*) FROM symbols WHERE repo = :repo) AS symbols,
    (SELECT COUNT(*) FROM imports WHERE repo = :repo AND kind <> 'implicit') AS imports,
    (SELECT COUNT(*) FROM calls WHERE repo = :repo) AS calls
