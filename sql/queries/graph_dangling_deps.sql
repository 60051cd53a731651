-- Graph integrity: dependency edges from or to a file that is not indexed.
SELECT e.source || ' -> ' || e.target AS problem
FROM dep_edges e
WHERE e.repo = :repo
  AND (NOT EXISTS (SELECT 1 FROM files f WHERE f.repo = e.repo AND f.path = e.source)
       OR (e.external = 0 AND NOT EXISTS (SELECT 1 FROM files f WHERE f.repo = e.repo AND f.path = e.target)))
ORDER BY problem
LIMIT :limit
