"""Thread: a code-intelligence index of every file of a repository, on Dagster.

The subpackages are layers; each imports only those below it (import-linter keeps it so):

- ``cli`` (the ``thread`` command) and ``definitions`` (the code location Dagster loads);
- ``api`` (``thread serve``), ``code_location`` (Definitions for one or several repositories),
  ``drivers`` (``thread index`` and ``thread watch``: one update each);
- ``orchestration``: the Dagster side (scopes, assets, checks, jobs, the updater, the instance),
  with ``sensors/`` above it and ``resources/`` (IO manager, Dagster storage) below it;
- ``repo``: the repository without Dagster (settings, discovery, changes, partition keys, audit);
- ``engine``: bytes in, plain data out (no Dagster, no store); ``names``: the names of things.
"""
