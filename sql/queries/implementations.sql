-- What implements :symbol. For a type (interface, trait, abstract or base class): every type
-- below it in the hierarchy (implementing, extending, embedding, or `impl Trait for Type`), with
-- how it relates to its direct base. For a method of such a type (`Interface.method`): the
-- methods of the same name those types define, which a call through the type may dispatch to.
WITH RECURSIVE named AS (
    SELECT t.repo, t.path, t.global_id, t.kind, t.name, t.parent FROM symbols t
    WHERE (t.qualified_name = :symbol OR t.name = :symbol OR t.global_id = :symbol)
      AND t.kind IN ('class', 'struct', 'interface', 'trait', 'enum', 'union', 'type_alias', 'method', 'function')
      AND (CAST(:repo AS TEXT) IS NULL OR t.repo = :repo)
),
roots AS (
    SELECT n.repo, n.global_id AS root, n.global_id AS type_id, NULL AS member FROM named n
    WHERE n.kind NOT IN ('method', 'function')
    UNION
    SELECT n.repo, n.global_id AS root, o.global_id AS type_id, n.name AS member FROM named n
    JOIN symbols o ON o.repo = n.repo AND o.path = n.path AND o.symbol_id = n.parent
    WHERE n.kind IN ('method', 'function')
),
down (repo, root, member, node, via, depth) AS (
    SELECT r.repo, r.root, r.member, r.type_id, r.type_id, 0 FROM roots r
    UNION
    SELECT h.repo, d.root, d.member, h.type, h.kind, d.depth + 1 FROM down d
    JOIN type_hierarchy h ON h.repo = d.repo AND h.target = d.node
    WHERE h.type IS NOT NULL AND d.depth < 32
)
SELECT d.repo, d.root AS symbol, MIN(d.depth) AS depth, d.via AS relation,
       COALESCE(m.global_id, k.global_id) AS implementation, COALESCE(m.kind, k.kind) AS kind,
       COALESCE(m.path, k.path) AS path, COALESCE(m.start_line, k.start_line) AS start_line
FROM down d
JOIN symbols k ON k.repo = d.repo AND k.global_id = d.node
LEFT JOIN symbols m ON m.repo = k.repo AND m.path = k.path AND m.parent = k.symbol_id AND m.name = d.member
WHERE d.depth > 0 AND (d.member IS NULL OR m.global_id IS NOT NULL)
GROUP BY d.repo, d.root, d.via, COALESCE(m.global_id, k.global_id), COALESCE(m.kind, k.kind),
         COALESCE(m.path, k.path), COALESCE(m.start_line, k.start_line)
ORDER BY d.repo, d.root, MIN(d.depth), COALESCE(m.global_id, k.global_id)
LIMIT :limit OFFSET :offset
