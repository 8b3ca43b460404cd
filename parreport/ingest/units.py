"""Which registry unit each row names (docs/data.md §2.6): by code, name, short name or alias, as
:meth:`parreport.registry.Registry.resolve` compares them, e.g. the national 766 dashboard's "H44.07" or
"Sở Công Thương - Tỉnh Phú Thọ".

A file may name its units in one column, or twice, by code and by name (the dashboard's "Mã đơn vị" beside
"Tên đơn vị"): the code wins and the name must name the same unit. Every unit the registry does not know is
reported at once, each with the first row naming it and a registry entry to paste; no row is dropped.
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd

from parreport.errors import InputError, UnknownUnit, UnknownUnitError
from parreport.registry import Registry


def resolve_units(path: Path, codes: pd.Series, rows: pd.Series, code_header: str, registry: Registry,
                  names: pd.Series | None = None, name_header: str | None = None) -> tuple[pd.Series, list[str]]:
    """The registry code of every row's unit, and findings to warn about (a code the registry lacks in a row
    whose name it knows). ``codes`` and ``names`` are the text of the unit columns (NA: empty); each row has
    at least one of them. Raises :class:`UnknownUnitError` listing every unknown unit, or :class:`InputError`
    listing every row whose code and name name different units."""
    if names is None:
        names = pd.Series(pd.NA, index=codes.index, dtype="string")
    pairs = pd.DataFrame({"code": codes, "name": names, "row": rows.values}, index=codes.index)
    distinct = pairs.drop_duplicates(["code", "name"])  # the first row of each way of naming a unit
    by_code = _lookups(path, distinct.dropna(subset=["code"]).drop_duplicates("code"), "code", code_header, registry)
    by_name = _lookups(path, distinct.dropna(subset=["name"]).drop_duplicates("name"), "name", name_header, registry)

    unknown: dict[str, UnknownUnit] = {}
    disagreements: list[str] = []
    warnings: list[str] = []
    resolved: dict[tuple, str] = {}
    for _, pair in distinct.iterrows():
        code, name, row = pair["code"], pair["name"], int(pair["row"])
        if pd.isna(code) and pd.isna(name):
            continue  # no unit named: the required-value check speaks for such a row
        from_code = by_code.get(code) if pd.notna(code) else None
        from_name = by_name.get(name) if pd.notna(name) else None
        if isinstance(from_code, str):  # the code names a unit: it wins, and the name must agree
            if isinstance(from_name, UnknownUnit):
                why = (f"a unit of {from_name.other_province}" if from_name.other_province else
                       f"not a name of {from_code} in the registry (add it to its aliases if it is one)")
                disagreements.append(f"row {row}: '{code_header}' {code!r} is {_unit(registry, from_code)} but "
                                     f"'{name_header}' {name!r} is {why}")
            elif from_name is not None and from_name != from_code:
                disagreements.append(f"row {row}: '{code_header}' {code!r} is {_unit(registry, from_code)} but "
                                     f"'{name_header}' {name!r} is {_unit(registry, from_name)}")
            resolved[(code, name)] = from_code
        elif isinstance(from_name, str):  # no code, or one the registry lacks: the name says which unit
            resolved[(code, name)] = from_name
            if from_code is not None:
                warnings.append(f"{path.name}, row {row}: '{code_header}' {code!r} is not in the registry; the unit "
                                f"is {from_name}, from its name {name!r} (add {code!r} to the aliases of {from_name})")
        else:  # neither names a known unit: one entry per unit, by its code if it has one
            found = from_code if from_code is not None else from_name
            if from_code is not None and from_name is not None:
                found = replace(from_code, name=from_name.name, other_province=from_name.other_province,
                                spellings=(*from_code.spellings, *from_name.spellings))
            found = replace(found, row=row)
            earlier = unknown.get(found.key)
            unknown[found.key] = found if earlier is None else replace(
                earlier, spellings=tuple(dict.fromkeys((*earlier.spellings, *found.spellings))))
    if unknown:
        units = sorted(unknown.values(), key=lambda unit: unit.row)
        header = code_header if name_header is None else f"{code_header}' / '{name_header}"
        raise UnknownUnitError(path, units, column=header, registry=registry.source, province=registry.province)
    if disagreements:
        raise InputError(path, f"the unit's code and name disagree in {len(disagreements)} "
                         f"row{'s' if len(disagreements) > 1 else ''}:\n  " + "\n  ".join(disagreements),
                         expected=f"the name of the unit the code names (the code wins; registry {registry.source})")
    if names.isna().all():  # one unit column: a lookup per distinct value, spread over the rows
        by_value = {code: unit for (code, _), unit in resolved.items()}
        positions, values = pd.factorize(codes)
        units = pd.array([by_value[value] for value in values] + [pd.NA], dtype="string")
        return pd.Series(units[positions], index=codes.index, dtype="string"), warnings
    table = pd.DataFrame([(*key, unit) for key, unit in resolved.items()], columns=["code", "name", "unit"])
    table = table.astype({"code": "string", "name": "string"})
    units = pairs[["code", "name"]].astype("string").merge(table, on=["code", "name"], how="left")["unit"]
    return pd.Series(units.to_numpy(), index=codes.index, dtype="string"), warnings


def _lookups(path: Path, first: pd.DataFrame, column: str, header: str | None,
             registry: Registry) -> dict[str, str | UnknownUnit]:
    """Each distinct value of ``column``: its unit's code, or the :class:`UnknownUnit` it would be."""
    found: dict[str, str | UnknownUnit] = {}
    for value, row in zip(first[column], first["row"]):
        try:
            found[value] = registry.resolve(value, path, row=int(row), column=header)
        except UnknownUnitError as exc:
            found[value] = exc.units[0]
    return found


def _unit(registry: Registry, code: str) -> str:
    return f"{code} ({registry.get(code).name})"
