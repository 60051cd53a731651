-- Files per (language, status), with parse-error figures. NULL language is grouped as such.
SELECT language, status, COUNT(*) AS files,
       CAST(COALESCE(SUM(CASE WHEN error_count > 0 THEN 1 ELSE 0 END), 0) AS BIGINT) AS with_syntax_errors,
       CAST(COALESCE(SUM(error_count), 0) AS BIGINT) AS error_nodes
FROM files
WHERE CAST(:repo AS TEXT) IS NULL OR repo = :repo
GROUP BY language, status
