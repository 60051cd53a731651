-- Call edges of one repository by how they were resolved (`unresolved` included).
SELECT how, COUNT(*) AS n FROM call_edges WHERE repo = :repo GROUP BY how ORDER BY how
