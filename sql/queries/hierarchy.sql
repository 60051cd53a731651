-- Ancestors and descendants of the types named :symbol (a global id, qualified name or name),
-- one row per relation reached, nearest first: what the type extends, implements or embeds
-- (direction 'ancestor', through resolved bases) and what extends, implements or embeds it
-- ('descendant'). Bases outside the repository end the walk (target NULL, module set).
WITH RECURSIVE named AS (
    SELECT t.repo, t.global_id FROM symbols t
    WHERE (t.qualified_name = :symbol OR t.name = :symbol OR t.global_id = :symbol)
      AND t.kind IN ('class', 'struct', 'interface', 'trait', 'enum', 'union', 'type_alias')
      AND (CAST(:repo AS TEXT) IS NULL OR t.repo = :repo)
),
up (repo, root, node, depth) AS (
    SELECT n.repo, n.global_id, n.global_id, 0 FROM named n
    UNION
    SELECT h.repo, u.root, h.target, u.depth + 1 FROM up u
    JOIN type_hierarchy h ON h.repo = u.repo AND h.type = u.node
    WHERE h.target IS NOT NULL AND u.depth < 32
),
down (repo, root, node, depth) AS (
    SELECT n.repo, n.global_id, n.global_id, 0 FROM named n
    UNION
    SELECT h.repo, d.root, h.type, d.depth + 1 FROM down d
    JOIN type_hierarchy h ON h.repo = d.repo AND h.target = d.node
    WHERE h.type IS NOT NULL AND d.depth < 32
),
reached AS (
    SELECT u.repo, u.root AS symbol, 'ancestor' AS direction, u.depth + 1 AS depth, h.type, h.base, h.target,
           h.module, h.kind, h.access, h.path, h.start_line
    FROM up u JOIN type_hierarchy h ON h.repo = u.repo AND h.type = u.node
    UNION
    SELECT d.repo, d.root AS symbol, 'descendant' AS direction, d.depth + 1 AS depth, h.type, h.base, h.target,
           h.module, h.kind, h.access, h.path, h.start_line
    FROM down d JOIN type_hierarchy h ON h.repo = d.repo AND h.target = d.node
)
SELECT repo, symbol, direction, MIN(depth) AS depth, type, base, target, module, kind, access, path, start_line
FROM reached
GROUP BY repo, symbol, direction, type, base, target, module, kind, access, path, start_line
ORDER BY repo, symbol, direction, MIN(depth), type, base
LIMIT :limit OFFSET :offset
