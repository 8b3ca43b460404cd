"""Reporting periods: years, halves, quarters and months, their dates and Vietnamese labels.

Two conventions decide where a period starts and ends (docs/data.md §1.2):

* ``calendar`` (default, as on the national 766 dashboard): Q1 2023 = 1/1/2023 – 31/3/2023.
* ``nd09``, the cut-off of Nghị định 09/2019/NĐ-CP used in written periodic reports: a period runs
  from the 15th of the month before its first month to the 14th of its last month
  (Q1 2023 = 15/12/2022 – 14/3/2023; year 2023 = 15/12/2022 – 14/12/2023).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, timedelta

from parreport.errors import ConfigError

CONVENTIONS = ("calendar", "nd09")
_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
_MONTHS_PER_KIND = {"Y": 12, "H": 6, "Q": 3, "M": 1}
_PATTERN = re.compile(r"^\s*(\d{4})(?:-(?:(H[12])|(Q[1-4])|(0?[1-9]|1[0-2])))?\s*$", re.IGNORECASE)


@dataclass(frozen=True, order=True)
class Period:
    """One reporting period. Build it with :meth:`Period.parse`."""

    year: int
    kind: str  # "Y", "H", "Q" or "M"
    index: int  # 1 for a year; 1–2 halves; 1–4 quarters; 1–12 months
    convention: str = "calendar"

    @classmethod
    def parse(cls, text: str | int | "Period", convention: str = "calendar") -> "Period":
        """Parse ``2023``, ``2023-H1``, ``2023-Q2`` or ``2023-06``."""
        if isinstance(text, Period):
            return text if text.convention == convention else replace(text, convention=convention)
        if convention not in CONVENTIONS:
            raise ConfigError(f"unknown period convention {convention!r}; expected one of {', '.join(CONVENTIONS)}")
        match = _PATTERN.match(str(text))
        if not match:
            raise ConfigError(
                f"cannot read period {text!r}; expected a year (2023), half (2023-H1), "
                "quarter (2023-Q2) or month (2023-06)"
            )
        year, half, quarter, month = match.groups()
        if half:
            return cls(int(year), "H", int(half[1]), convention)
        if quarter:
            return cls(int(year), "Q", int(quarter[1]), convention)
        if month:
            return cls(int(year), "M", int(month), convention)
        return cls(int(year), "Y", 1, convention)

    @property
    def code(self) -> str:
        """The canonical text form: ``2023``, ``2023-H1``, ``2023-Q2``, ``2023-06``."""
        if self.kind == "Y":
            return str(self.year)
        if self.kind == "M":
            return f"{self.year}-{self.index:02d}"
        return f"{self.year}-{self.kind}{self.index}"

    def __str__(self) -> str:
        return self.code

    @property
    def first_month(self) -> int:
        return (self.index - 1) * _MONTHS_PER_KIND[self.kind] + 1

    @property
    def last_month(self) -> int:
        return self.first_month + _MONTHS_PER_KIND[self.kind] - 1

    @property
    def start(self) -> date:
        """First day of the period (inclusive)."""
        if self.convention == "nd09":
            year, month = (self.year - 1, 12) if self.first_month == 1 else (self.year, self.first_month - 1)
            return date(year, month, 15)
        return date(self.year, self.first_month, 1)

    @property
    def end(self) -> date:
        """Last day of the period (inclusive)."""
        if self.convention == "nd09":
            return date(self.year, self.last_month, 14)
        if self.last_month == 12:
            return date(self.year, 12, 31)
        return date(self.year, self.last_month + 1, 1) - timedelta(days=1)

    def shift(self, steps: int) -> "Period":
        """The period ``steps`` periods of the same kind later (earlier when negative)."""
        per_year = 12 // _MONTHS_PER_KIND[self.kind]
        ordinal = self.year * per_year + (self.index - 1) + steps
        return replace(self, year=ordinal // per_year, index=ordinal % per_year + 1)

    def previous(self) -> "Period":
        """The period just before, of the same kind (Q1 2023 → Q4 2022)."""
        return self.shift(-1)

    def year_ago(self) -> "Period":
        """The same period one year earlier."""
        return replace(self, year=self.year - 1)

    def history(self, count: int) -> list["Period"]:
        """The last ``count`` periods ending with this one, oldest first."""
        return [self.shift(step) for step in range(1 - count, 1)]

    def contains(self, other: "Period") -> bool:
        """Whether ``other`` lies within this period (same convention)."""
        return self.start <= other.start and other.end <= self.end

    @property
    def short_label(self) -> str:
        """A compact label for chart axes: ``Q2/2023``, ``H1/2023``, ``06/2023``, ``2023``."""
        if self.kind == "Y":
            return str(self.year)
        if self.kind == "M":
            return f"{self.index:02d}/{self.year}"
        return f"{self.kind}{self.index}/{self.year}"

    @property
    def label_vi(self) -> str:
        """Vietnamese label: "quý II năm 2023", "6 tháng đầu năm 2023", "tháng 6 năm 2023", "năm 2023"."""
        if self.kind == "Y":
            return f"năm {self.year}"
        if self.kind == "H":
            return f"6 tháng {'đầu' if self.index == 1 else 'cuối'} năm {self.year}"
        if self.kind == "Q":
            return f"quý {_ROMAN[self.index]} năm {self.year}"
        return f"tháng {self.index} năm {self.year}"


def parse_periods(texts: list[str] | tuple[str, ...], convention: str = "calendar") -> list[Period]:
    """Parse several period codes, keeping their order."""
    return [Period.parse(text, convention) for text in texts]
