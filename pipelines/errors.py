"""The project's error for expected failures: a code, and a message naming the bad input.

The CLI prints it without a traceback and exits with its code.
"""

from __future__ import annotations


class NewsfactsError(Exception):
    """Something the user asked for cannot be done; `code` becomes the exit status."""

    def __init__(self, message: str, code: int = 2) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
