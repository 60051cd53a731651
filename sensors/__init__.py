"""Dagster sensors of Thread (the daemon path): the file-change sensor."""
