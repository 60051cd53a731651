-- What :path imports: repository files and external packages.
SELECT repo, source, target, external, import_count, names, kinds, resolved_by, type_only, deferred FROM dep_edges
WHERE source = :path AND (CAST(:repo AS TEXT) IS NULL OR repo = :repo)
ORDER BY repo, source, external, target
