-- Files that declare type relations (bases, interfaces, trait impls, embeddings): the only
-- files a full graph build resolves the class hierarchy of.
SELECT DISTINCT path
FROM type_relations
WHERE repo = :repo
ORDER BY path
