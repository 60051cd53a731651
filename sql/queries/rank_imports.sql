-- Imports resolved to a file of the repository: importer, imported file, imported name (or NULL).
SELECT importer, target, name
FROM import_resolutions
WHERE repo = :repo AND target IS NOT NULL
ORDER BY importer, import_index
