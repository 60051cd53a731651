-- Which repository files import :path.
SELECT repo, source, target, external, import_count, names, kinds, resolved_by, type_only, deferred FROM dep_edges
WHERE target = :path AND external = 0 AND (CAST(:repo AS TEXT) IS NULL OR repo = :repo)
ORDER BY repo, source, external, target
