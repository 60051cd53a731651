-- The resolved type hierarchy of one repository, in one row (the call graph asset's metadata).
SELECT
    (SELECT COUNT(*) FROM type_hierarchy WHERE repo = :repo) AS relations,
    (SELECT COUNT(*) FROM type_hierarchy WHERE repo = :repo AND target IS NOT NULL) AS resolved
