-- Type hierarchy relations whose base resolved to a repository type: (type, base).
SELECT type, target
FROM type_hierarchy
WHERE repo = :repo AND type IS NOT NULL AND target IS NOT NULL
ORDER BY path, ordinal
