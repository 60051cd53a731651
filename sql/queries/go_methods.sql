-- The methods of Go types (interfaces' own method lists left out), by file: what a Go
-- interface's method set is matched against to find the types that satisfy it (dispatch).
SELECT m.path, m.qualified_name
FROM symbols m
JOIN files f ON f.repo = m.repo AND f.path = m.path
LEFT JOIN symbols o ON o.repo = m.repo AND o.path = m.path AND o.symbol_id = m.parent
WHERE m.repo = :repo AND f.language = 'go' AND m.kind = 'method' AND (o.kind IS NULL OR o.kind <> 'interface')
ORDER BY m.path, m.ordinal
