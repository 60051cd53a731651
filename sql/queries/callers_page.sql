-- callers.sql with OFFSET, for the paginated query API (tests/api keeps the two in step).
-- Call edges whose target is :symbol: a global id (path::Qual.name) as stored, or the global id
-- of any symbol whose qualified name or name is exactly :symbol; a class or struct also stands for
-- its constructors (calls that create it target `__init__` / `constructor` / `Name(...)` when the
-- class defines one). Unresolved calls have no target.
WITH named AS (
    SELECT t.repo, t.path, t.symbol_id, t.global_id, t.kind, t.name FROM symbols t
    WHERE (t.qualified_name = :symbol OR t.name = :symbol OR t.global_id = :symbol)
      AND (CAST(:repo AS TEXT) IS NULL OR t.repo = :repo)
),
wanted AS (
    SELECT n.repo, n.global_id AS symbol FROM named n
    UNION
    SELECT k.repo, k.global_id AS symbol FROM named n
    JOIN symbols k ON k.repo = n.repo AND k.path = n.path AND k.parent = n.symbol_id
    WHERE n.kind IN ('class', 'struct') AND (k.name IN ('__init__', 'constructor') OR k.name = n.name)
    UNION
    SELECT DISTINCT e.repo, e.target AS symbol FROM call_edges e
    WHERE e.target = :symbol AND (CAST(:repo AS TEXT) IS NULL OR e.repo = :repo)
)
SELECT ce.repo, ce.path, ce.caller, ce.callee, ce.name, c.receiver, ce.call_type, c.arg_count, ce.target, ce.how,
       ce.start_line, ce.start_col, ce.receiver_type, ce.dispatch, ce.callee_module, ce.reason
FROM wanted w
JOIN call_edges ce ON ce.repo = w.repo AND ce.target = w.symbol
LEFT JOIN calls c ON c.repo = ce.repo AND c.path = ce.path AND c.ordinal = COALESCE(ce.call_index, ce.ordinal)
ORDER BY ce.repo, ce.path, ce.ordinal
LIMIT :limit OFFSET :offset
