-- Row counts of one repository's graph tables, in one row (the graph assets' metadata).
SELECT
    (SELECT COUNT(*) FROM files WHERE repo = :repo) AS files,
    (SELECT COUNT(*) FROM import_resolutions WHERE repo = :repo) AS resolutions,
    (SELECT COUNT(*) FROM import_resolutions WHERE repo = :repo AND how = 'unresolved') AS unresolved,
    (SELECT COUNT(*) FROM dep_edges WHERE repo = :repo AND external = 0) AS edges,
    (SELECT COUNT(*) FROM dep_edges WHERE repo = :repo AND external = 1) AS external_edges,
    (SELECT COUNT(*) FROM cycles WHERE repo = :repo) AS cycles
