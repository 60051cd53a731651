-- The repository map of :tokens tokens (symbol_ranks, written by the repo_rank asset): the shown
-- symbols whose plan position fits the budget, in text order (files in the order they entered the
-- map, symbols in file order). thread serve, the CLI and the edge Worker all read it.
SELECT symbol AS id, path, name, kind, start_line, score AS rank, line, cumulative_tokens
FROM symbol_ranks
WHERE repo = :repo AND cumulative_tokens IS NOT NULL AND cumulative_tokens <= :tokens
ORDER BY file_position, ordinal
