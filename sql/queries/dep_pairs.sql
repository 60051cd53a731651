-- Every edge between repository files with its flags: cycles without type-only or deferred edges
-- are found from these on demand (the cycles table holds those of the whole graph).
SELECT repo, source, target, type_only, deferred FROM dep_edges
WHERE external = 0 AND (CAST(:repo AS TEXT) IS NULL OR repo = :repo)
ORDER BY repo, source, target
