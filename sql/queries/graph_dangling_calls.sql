-- Graph integrity: call edges in a file that is not indexed, or resolved to a symbol that is not
-- indexed (a call to a whole module targets `<path>::<module>`, which needs the file only).
SELECT e.path || ' -> ' || e.target AS problem
FROM call_edges e
WHERE e.repo = :repo AND e.target IS NOT NULL
  AND (NOT EXISTS (SELECT 1 FROM files f WHERE f.repo = e.repo AND f.path = e.path)
       OR (NOT EXISTS (SELECT 1 FROM symbols s WHERE s.global_id = e.target AND s.repo = e.repo)
           AND NOT (e.target LIKE '%::<module>'
                    AND EXISTS (SELECT 1 FROM files f
                                WHERE f.repo = e.repo AND f.path = substr(e.target, 1, length(e.target) - 10)))))
ORDER BY problem
LIMIT :limit
