"""One error hierarchy: everything a user can cause is an ExtractError with a one-line message.

A message says what happened, where (file:line or article id) and what to do. The CLI turns these
into one line on stderr and an exit code, in one place; anything else is a bug and keeps its
traceback.
"""

from __future__ import annotations


class ExtractError(Exception):
    """Base of every error a user can cause; catch this to catch them all."""

    exit_code = 2

    def __init__(self, what: str, *, where: str | None = None, fix: str | None = None) -> None:
        self.what = what
        self.where = where
        self.fix = fix
        super().__init__(str(self))

    def __str__(self) -> str:
        text = f"{self.where}: {self.what}" if self.where else self.what
        return f"{text} — {self.fix}" if self.fix else text


class InputError(ExtractError):
    """A file the user gave cannot be read or parsed (record, article, JSONL, gold)."""


class ConfigError(ExtractError):
    """A pattern, gazetteer or field-rule file is malformed."""


class MergeError(ExtractError):
    """A merge cannot be carried out safely (path outside the records folder, invalid result)."""
