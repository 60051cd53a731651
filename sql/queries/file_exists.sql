-- How many repositories hold a file at :path (0: the index does not know it).
SELECT COUNT(*) AS files FROM files
WHERE path = :path AND (CAST(:repo AS TEXT) IS NULL OR repo = :repo)
