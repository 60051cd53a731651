-- How many symbols the repository map would rank: read before loading them, so a repository too
-- large to rank in bounded memory is skipped without loading its graph.
SELECT COUNT(*) AS symbols
FROM symbols
WHERE repo = :repo
