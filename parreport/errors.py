"""Errors a user can act on: each names the file, row and column and what was expected."""
from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence


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


@dataclass(frozen=True)
class UnknownUnit:
    """One unit a data file names that the registry does not know (its first row in the file).

    ``name`` and ``code`` are what the data says the unit is called and coded (the name without the
    province suffix, abbreviations such as "UBND" spelled out); ``other_province`` is the province a name's
    suffix gives when it is not the registry's own; ``spellings`` are every way the file writes the unit.
    """

    found: str
    row: int | None
    key: str
    name: str | None = None
    code: str | None = None
    other_province: str | None = None
    spellings: tuple[str, ...] = ()

    def entry(self) -> str:
        """A registry entry for this unit, ready to paste under ``departments:`` (docs/data.md §2.6). The
        dashboard's code, when the data gives one, stays an alias whatever code is chosen."""
        name = self.name or self.code or self.found
        group = _group(self.key) if self.name else "so_nganh"
        short_name = "UBND" + name[len(_FULL_UBND):] if self.key.startswith(_FULL_UBND.casefold()) else name
        aliases = [spelling for spelling in dict.fromkeys((self.code, *self.spellings, self.found))
                   if spelling and spelling not in (name, short_name)]
        if self.code and self.code not in aliases:
            aliases.insert(0, self.code)
        lines = [
            (f"  - code: {_quoted(self.code or _code_for(name, group))}", "choose a stable code"),
            (f"    name: {_quoted(name)}", None if self.name else "the unit's name, as reports print it"),
            (f"    short_name: {_quoted(short_name)}", None),
            (f"    group: {group}",
             "so_nganh for a sở, ban, ngành" if group == "cap_xa" else "cap_xa for a xã, phường"),
            ("    fields: []", "its lĩnh vực, in the order briefings list them"),
            (f"    aliases: [{', '.join(_quoted(alias) for alias in aliases)}]", None),
        ]
        return "\n".join(f"{line:<34}# {comment}" if comment else line for line, comment in lines)


_FULL_UBND = "Ủy ban nhân dân"
_COMMUNE_STARTS = tuple(f"{start} " for start in ("xã", "phường", "đặc khu", "thị trấn")) + tuple(
    f"ủy ban nhân dân {kind} " for kind in ("xã", "phường", "đặc khu", "thị trấn"))


def _group(key: str) -> str:
    """The registry group a unit's name suggests, from its lookup key (``parreport.registry._key``: "UBND"
    spelled out, case-folded): a commune (xã, phường, đặc khu) or else a sở, ban, ngành."""
    return "cap_xa" if key.startswith(_COMMUNE_STARTS) else "so_nganh"


def _code_for(name: str, group: str) -> str:
    """A code suggestion from a name, without diacritics: a sở's initials ("Sở Du lịch" → "SDL"), a commune's
    words ("Ủy ban nhân dân xã Tiên Kiên" → "XA_TIEN_KIEN")."""
    plain = unicodedata.normalize("NFD", name.replace("Đ", "D").replace("đ", "d"))
    words = "".join(char for char in plain if not unicodedata.combining(char)).upper().split()
    if group == "cap_xa":
        words = words[4:] if words[:4] == ["UY", "BAN", "NHAN", "DAN"] else words
        return "_".join("".join(c for c in word if c.isalnum()) for word in words) or "MA_DON_VI"
    return "".join(word[0] for word in words if word[0].isalnum()) or "MA_DON_VI"


def _quoted(text: str) -> str:
    """``text`` as a YAML double-quoted string (JSON's quoting is YAML's)."""
    return json.dumps(text, ensure_ascii=False)


class UnknownUnitError(InputError):
    """Data names units that the department registry does not know: every one of them (each once, with the
    first row naming it) and, for each unit of the registry's province, an entry ready to paste into it."""

    def __init__(self, file: str | Path, units: Sequence[UnknownUnit], *, column: str | None = None,
                 registry: str = "the registry", province: str = "") -> None:
        self.units = list(units)
        self.registry = registry
        self.province = province
        first = self.units[0]
        if len(self.units) == 1:
            problem = _unknown(first, province)
            super().__init__(file, problem, row=first.row, column=column,
                             expected=None if first.other_province else
                             f"a code, name, short name or alias from the registry {registry}")
        else:
            listed = "".join(f"\n  row {unit.row}: {_unknown(unit, province)}" for unit in self.units)
            super().__init__(file, f"{len(self.units)} units are not in the registry {registry}:{listed}",
                             column=column)
            self.row = first.row  # the first row naming one of them (the message lists each unit's own)

    def _message(self) -> str:
        text = super()._message()
        own = [unit for unit in self.units if not unit.other_province]
        if any(unit.other_province for unit in self.units):
            text += ("\nA unit of another province belongs in that province's data; if the province merged into "
                     "this one, list it as a unit of the former province with its dashboard name or code in its "
                     "aliases (docs/merged-province.md).")
        if own:
            text += (f"\nTo add {'it' if len(own) == 1 else 'them'}, paste under 'departments:' in "
                     f"{self.registry} (check each code, name and group; list its lĩnh vực under fields):\n")
            text += "\n".join(unit.entry() for unit in own)
        return text


def _unknown(unit: UnknownUnit, province: str) -> str:
    if unit.other_province:
        return (f"{unit.found!r} is a unit of {unit.other_province}, not of "
                f"{province or 'the registry’s province'}")
    also = [spelling for spelling in unit.spellings if spelling != unit.found]
    return f"unknown unit {unit.found!r}" + (f" (also written {', '.join(map(repr, also))})" if also else "")


class NoDataError(ParreportError):
    """A unit has no data in a period (docs/data.md §3.4): no briefing is made, rather than one of zeros."""

    def __init__(self, department: str, period: str, detail: str) -> None:
        self.department = department
        self.period = period
        super().__init__(detail)
