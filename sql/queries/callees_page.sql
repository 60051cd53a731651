-- callees.sql with OFFSET, for the paginated query API (tests/api keeps the two in step).
-- Call edges whose caller is :symbol: a global id (path::Qual.name) as stored, or the global id
-- of any symbol whose qualified name or name is exactly :symbol. Unresolved calls have no target.
WITH wanted AS (
    SELECT t.repo, t.global_id AS symbol FROM symbols t
    WHERE (t.qualified_name = :symbol OR t.name = :symbol)
      AND (CAST(:repo AS TEXT) IS NULL OR t.repo = :repo)
    UNION
    SELECT DISTINCT e.repo, e.caller AS symbol FROM call_edges e
    WHERE e.caller = :symbol AND (CAST(:repo AS TEXT) IS NULL OR e.repo = :repo)
)
SELECT ce.repo, ce.path, ce.caller, ce.callee, ce.name, c.receiver, ce.call_type, c.arg_count, ce.target, ce.how,
       ce.start_line, ce.start_col, ce.receiver_type, ce.dispatch, ce.callee_module, ce.reason
FROM wanted w
JOIN call_edges ce ON ce.repo = w.repo AND ce.caller = w.symbol
LEFT JOIN calls c ON c.repo = ce.repo AND c.path = ce.path AND c.ordinal = COALESCE(ce.call_index, ce.ordinal)
ORDER BY ce.repo, ce.path, ce.ordinal
LIMIT :limit OFFSET :offset
