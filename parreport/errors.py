"""Errors a user can act on: each names the file, row and column and what was expected."""
from __future__ import annotations

from pathlib import Path
from typing import Any


class ParreportError(Exception):
    """Base class of every error parreport reports to a user (shown without a traceback)."""


class ConfigError(ParreportError):
    """A parameter, batch spec or registry entry is wrong."""


class InputError(ParreportError):
    """A data file cannot be read as the contract (docs/data.md §2) requires.

    ``row`` is the row a person sees in a spreadsheet or text editor: the header is row 1,
    the first data row is row 2.
    """

    def __init__(
        self,
        file: str | Path,
        problem: str,
        *,
        row: int | None = None,
        column: str | None = None,
        expected: str | None = None,
        found: Any = None,
    ) -> None:
        self.file = str(file)
        self.problem = problem
        self.row = row
        self.column = column
        self.expected = expected
        self.found = found
        super().__init__(self._message())

    def _message(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        text = f"{', '.join(where)}: {self.problem}"
        if self.expected is not None:
            text += f"; expected {self.expected}"
        if self.found is not None:
            text += f", found {self.found!r}"
        return text


class UnknownUnitError(InputError):
    """Data names a unit that the department registry does not know."""


class NoDataError(ParreportError):
    """A unit has no data in a period (docs/data.md §3.4): no briefing is made, rather than one of zeros."""

    def __init__(self, department: str, period: str, detail: str) -> None:
        self.department = department
        self.period = period
        super().__init__(detail)
