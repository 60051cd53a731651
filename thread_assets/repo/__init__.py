"""The repository side of an index, without Dagster: settings and layout, which files are
indexed, what changed on disk, the stat memo, partition keys and plans, the audit."""
