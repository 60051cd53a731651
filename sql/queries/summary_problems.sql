-- Files that are not `ok`, with the run that wrote them (`thread index` lists those its runs wrote).
SELECT path, status, reason, run_id
FROM files
WHERE repo = :repo AND status <> 'ok'
ORDER BY path
