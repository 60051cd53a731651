-- Files per language and how many have syntax errors: the totals `thread index` prints, without
-- reading every files row.
SELECT language, COUNT(*) AS files,
       CAST(COALESCE(SUM(CASE WHEN error_count > 0 THEN 1 ELSE 0 END), 0) AS BIGINT) AS with_syntax_errors
FROM files
WHERE repo = :repo
GROUP BY language
