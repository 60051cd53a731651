-- Calls per language and verdict: `resolved` (at least one target), else the edge's reason
-- (builtin, external, dynamic, unknown). A call with several edges (several possible targets,
-- dispatch to implementations) counts once.
WITH per_call AS (
    SELECT e.repo, e.path, COALESCE(e.call_index, e.ordinal) AS call_no,
           MAX(CASE WHEN e.target IS NOT NULL THEN 1 ELSE 0 END) AS resolved,
           MAX(e.reason) AS reason
    FROM call_edges e
    WHERE CAST(:repo AS TEXT) IS NULL OR e.repo = :repo
    GROUP BY e.repo, e.path, COALESCE(e.call_index, e.ordinal)
)
SELECT COALESCE(f.language, 'unknown') AS language,
       CASE WHEN p.resolved = 1 THEN 'resolved' ELSE COALESCE(p.reason, 'unknown') END AS verdict,
       COUNT(*) AS n
FROM per_call p
JOIN files f ON f.repo = p.repo AND f.path = p.path
GROUP BY COALESCE(f.language, 'unknown'), CASE WHEN p.resolved = 1 THEN 'resolved' ELSE COALESCE(p.reason, 'unknown') END
ORDER BY 1, 2
