SELECT repo, ordinal, kind, members, cycle_path, member_count, edge_count FROM cycles
WHERE CAST(:repo AS TEXT) IS NULL OR repo = :repo
ORDER BY repo, ordinal
