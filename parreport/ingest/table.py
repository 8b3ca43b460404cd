"""Read one export file into a :class:`Table`: map its headers onto a schema, parse and validate every cell.

``read_table(path, registry)`` returns a :class:`Table` whose frame has the schema's canonical columns
(optional columns the file lacks are NA: unknown, not false) plus ``source_row``, the spreadsheet row.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from parreport.errors import InputError
from parreport.ingest import checks
from parreport.ingest.parse import EXPECTED, parse_column, raise_first
from parreport.ingest.read import RawTable, read_raw
from parreport.ingest.schema import BOOL, DATETIME, FLOAT, INT, SCHEMAS, TableSchema, header_key, is_unit_code_header
from parreport.ingest.units import resolve_units
from parreport.registry import Registry

MIN_NAMED_COLUMNS = 3  # a header row naming fewer columns of any table is not taken for that table
_EMPTY_DTYPES = {DATETIME: "datetime64[us]", BOOL: "boolean", INT: "Int64", FLOAT: "Float64"}


@dataclass
class Table:
    kind: str
    frame: pd.DataFrame
    source: Path
    sha256: str
    discrepancies: list[str] = field(default_factory=list)


def detect_kind(headers: list[str]) -> str:
    """The schema the headers describe: among those whose required columns are all named, the one naming
    most columns; failing that, the one naming most columns (its missing column is then reported)."""
    keys = {header_key(h) for h in headers}
    ranked = sorted(
        ((all(c.header_keys() & keys for c in s.columns if c.required),
          sum(bool(c.header_keys() & keys) for c in s.columns), s.kind) for s in SCHEMAS.values()),
        reverse=True)
    complete, named, kind = ranked[0]
    if not complete and named < MIN_NAMED_COLUMNS:
        raise InputError("<headers>", "the header row matches no known table",
                         expected="the columns of dossier records, Biểu 06 counts, PAR Index, SIPAS or 766 scores "
                                  "(docs/data.md §2)", found=", ".join(headers))
    return kind


def read_table(path: str | Path, registry: Registry, kind: str | None = None) -> Table:
    """Read, parse and validate one export file."""
    path = Path(path).resolve()
    raw = read_raw(path)
    if kind is None:
        try:
            kind = detect_kind(raw.headers)
        except InputError as exc:
            raise InputError(path, exc.problem, row=raw.rows.iloc[0] - 1 if len(raw.rows) else 1,
                             expected=exc.expected, found=exc.found) from None
    schema = SCHEMAS[kind]
    frame, headers, warnings = _parse(path, raw, schema, registry)
    if kind == "scores_766":
        frame = checks.with_766_maxima(frame)
    discrepancies = warnings + checks.check(path, schema, frame, headers)
    if kind == "counts":
        frame = checks.without_totals(frame)
    return Table(kind, frame.reset_index(drop=True), path, hashlib.sha256(path.read_bytes()).hexdigest(),
                 discrepancies)


UNIT_NAME = "department name"  # the position of a unit name column beside the unit code column


def _columns(path: Path, raw: RawTable, schema: TableSchema) -> dict[str, int]:
    """Position of each schema column among the file's headers (and of a unit name column beside the unit
    code column, under ``UNIT_NAME``)."""
    found: dict[str, int] = {}
    for position, header in enumerate(raw.headers):
        key = header_key(header)
        for column in schema.columns:
            if key in column.header_keys():
                if column.name == "department" and column.name in found and UNIT_NAME not in found and (
                        is_unit_code_header(header) != is_unit_code_header(raw.headers[found[column.name]])):
                    code, name = sorted((position, found[column.name]),
                                        key=lambda at: not is_unit_code_header(raw.headers[at]))
                    found[column.name], found[UNIT_NAME] = code, name
                    continue
                if column.name in found:
                    raise InputError(path, f"two columns mean {column.name!r}: "
                                     f"'{raw.headers[found[column.name]]}' and '{header}'", row=raw.rows.iloc[0] - 1
                                     if len(raw.rows) else 1, expected="one column each")
                found[column.name] = position
    missing = [c for c in schema.columns if c.required and c.name not in found]
    if missing:
        column = missing[0]
        raise InputError(path, f"missing required column {column.name!r} of {schema.description}",
                         expected="a header named " + " or ".join(repr(a) for a in (column.name, *column.aliases)),
                         found=", ".join(raw.headers))
    return found


def _parse(path: Path, raw: RawTable, schema: TableSchema, registry: Registry) -> tuple[pd.DataFrame, dict, list[str]]:
    positions = _columns(path, raw, schema)
    frame = pd.DataFrame(index=raw.cells.index)
    headers = {}
    names, name_header = None, None  # a unit name column beside the unit code column
    if UNIT_NAME in positions:
        name_header = raw.headers[positions[UNIT_NAME]]
        names, _ = parse_column(raw.cells[positions[UNIT_NAME]], schema.column("department"))
    for column in schema.columns:
        if column.name not in positions:
            frame[column.name] = pd.Series(pd.NA, index=frame.index, dtype=_EMPTY_DTYPES.get(column.type, "string"))
            continue
        values = raw.cells[positions[column.name]]
        header = raw.headers[positions[column.name]]
        headers[column.name] = header
        parsed, bad = parse_column(values, column)
        raise_first(path, bad, values, raw.rows, header, f"cannot read {column.type}", EXPECTED[column.type])
        if column.required:
            empty = parsed.isna()
            if column.name == "department" and names is not None:  # a row may give the unit's name alone
                empty &= names.isna()
            raise_first(path, empty, values, raw.rows, header, "required value is empty", EXPECTED[column.type])
        frame[column.name] = parsed
    warnings: list[str] = []
    if "department" in frame:
        frame["department"], warnings = resolve_units(path, frame["department"], raw.rows, headers["department"],
                                                      registry, names, name_header)
    frame["source_row"] = raw.rows.astype("Int64").values
    return frame, headers, warnings
