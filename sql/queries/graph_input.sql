-- One graph input's digest (the graph step's record of what it read), e.g. the engine digest the
-- last graph build was made with.
SELECT digest
FROM graph_inputs
WHERE repo = :repo AND kind = :kind AND path = :path
