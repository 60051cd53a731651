"""Thread on Dagster: per-repository scopes, the per-file and graph assets, checks, jobs, the
updater that runs one update as one run, and the repository's Dagster instance. Thin over the
engine (analysis) and the repository layer (what changed on disk)."""
