"""The one kind of error the CLI reports as one line (exit status 2) instead of a traceback."""

from __future__ import annotations


class UserError(Exception):
    """A mistake in the command line or its inputs: reported as one line, exit status 2."""
