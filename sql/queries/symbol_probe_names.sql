-- Names to probe the symbol search index with: distinct names (3+ characters) of the most
-- recently indexed files that have symbols; bounded, whatever the repository's size.
SELECT DISTINCT s.name
FROM symbols s
WHERE s.repo = :repo AND length(s.name) >= 3
  AND s.path IN (
      SELECT f.path FROM files f
      WHERE f.repo = :repo AND EXISTS (SELECT 1 FROM symbols x WHERE x.repo = f.repo AND x.path = f.path)
      ORDER BY f.indexed_at DESC, f.path
      LIMIT :files)
ORDER BY s.name
LIMIT :limit
