"""A problem found in a country record: where it is, what is wrong and what to do."""

from __future__ import annotations

from extract.errors import InputError
from extract.models import Contract


class Problem(Contract):
    """One problem in one record; prints as `file:line: what is wrong — what to do`."""

    file: str
    line: int
    what: str
    fix: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.what} — {self.fix}"

    def error(self) -> InputError:
        """The problem as the error a parse raises."""
        return InputError(self.what, where=f"{self.file}:{self.line}", fix=self.fix)
