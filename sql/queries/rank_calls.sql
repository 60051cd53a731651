-- Resolved call edges of a repository, one row per (caller, target) with its number of call sites.
SELECT caller, target, COUNT(*) AS sites
FROM call_edges
WHERE repo = :repo AND target IS NOT NULL
GROUP BY caller, target
ORDER BY caller, target
