-- The repositories whose ranks are stored (a map request that names none is for the only one).
SELECT repo FROM rank_state ORDER BY repo
