-- Row counts of one repository (or all), in one row. Java's implicit same-package references are
-- not imports anyone wrote, and resolutions that make no edge on purpose (an implicit reference
-- matching no file of the package, an import of a file that never builds) are not unresolved.
SELECT
    (SELECT COUNT(*) FROM symbols WHERE CAST(:repo AS TEXT) IS NULL OR repo = :repo) AS symbols,
    (SELECT COUNT(*) FROM imports
     WHERE kind <> 'implicit' AND (CAST(:repo AS TEXT) IS NULL OR repo = :repo)) AS imports,
    (SELECT COUNT(*) FROM imports WHERE used = 0 AND (CAST(:repo AS TEXT) IS NULL OR repo = :repo)) AS unused_imports,
    (SELECT COUNT(*) FROM calls WHERE CAST(:repo AS TEXT) IS NULL OR repo = :repo) AS calls,
    (SELECT COUNT(*) FROM pattern_matches WHERE CAST(:repo AS TEXT) IS NULL OR repo = :repo) AS pattern_matches,
    (SELECT COUNT(*) FROM import_resolutions
     WHERE how NOT IN ('java:implicit-unmatched', 'go:ignored')
       AND (CAST(:repo AS TEXT) IS NULL OR repo = :repo)) AS resolutions,
    (SELECT COUNT(*) FROM import_resolutions
     WHERE target IS NOT NULL AND (CAST(:repo AS TEXT) IS NULL OR repo = :repo)) AS resolved_internal,
    (SELECT COUNT(*) FROM import_resolutions
     WHERE target IS NULL AND external IS NOT NULL AND (CAST(:repo AS TEXT) IS NULL OR repo = :repo)) AS resolved_external,
    (SELECT COUNT(*) FROM call_edges WHERE CAST(:repo AS TEXT) IS NULL OR repo = :repo) AS call_edges,
    (SELECT COUNT(*) FROM call_edges
     WHERE target IS NOT NULL AND (CAST(:repo AS TEXT) IS NULL OR repo = :repo)) AS calls_resolved,
    (SELECT COUNT(*) FROM dep_edges WHERE CAST(:repo AS TEXT) IS NULL OR repo = :repo) AS dep_edges,
    (SELECT COUNT(*) FROM cycles WHERE CAST(:repo AS TEXT) IS NULL OR repo = :repo) AS cycles
