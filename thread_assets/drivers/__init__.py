"""The drivers: one update each through the orchestration layer (``thread index``: once;
``thread watch``: on every burst of saves)."""
