"""Read an export file into raw cells: CSV in any encoding the provinces' systems produce, XLSX, Parquet.

The header row is found among the first rows (exports often carry title lines above it); every data
row keeps the row number a person sees in a spreadsheet or text editor.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from parreport.errors import InputError
from parreport.ingest.schema import SCHEMAS, header_key

CSV_SUFFIXES = (".csv", ".txt", ".tsv")
EXCEL_SUFFIXES = (".xlsx", ".xlsm")
PARQUET_SUFFIXES = (".parquet", ".pq")
SUPPORTED_SUFFIXES = CSV_SUFFIXES + EXCEL_SUFFIXES + PARQUET_SUFFIXES
HEADER_SCAN_ROWS = 30
_KNOWN_HEADERS = {key for schema in SCHEMAS.values() for column in schema.columns for key in column.header_keys()}


@dataclass
class RawTable:
    """A file's cells below its header, with the headers as written and each row's spreadsheet number."""

    headers: list[str]
    cells: pd.DataFrame  # one column per header position (0, 1, …), raw values
    rows: pd.Series  # spreadsheet row number of each data row


def read_raw(path: Path) -> RawTable:
    """Read any supported file; unreadable, empty or unsupported files raise :class:`InputError`."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise InputError(path, f"unsupported file type {suffix or '(none)'!r}",
                         expected="CSV (.csv, .txt, .tsv), Excel (.xlsx) or Parquet (.parquet)")
    if not path.is_file():
        raise InputError(path, "no such file")
    try:
        if suffix in CSV_SUFFIXES:
            return _read_csv(path)
        if suffix in EXCEL_SUFFIXES:
            return _read_excel(path)
        return _read_parquet(path)
    except InputError:
        raise
    except Exception as exc:  # a corrupt file: say so with the file name, not a library traceback
        raise InputError(path, f"cannot read the file ({type(exc).__name__}: {exc})") from None


def decode(data: bytes, path: Path) -> str:
    """Text of a CSV export: UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1258."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data.decode("utf-8-sig")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1258")
    except UnicodeDecodeError:
        raise InputError(path, "cannot decode the text", expected="UTF-8, UTF-16 or Windows-1258 (cp1258)") from None


def _header_index(rows: list[list[object]]) -> int:
    """The row (0-based) among the first ones that names the most known columns."""
    scores = [sum(header_key(cell) in _KNOWN_HEADERS for cell in row if cell is not None) for row in rows]
    best = max(range(len(scores)), key=lambda i: (scores[i], -i)) if scores else 0
    return best if scores and scores[best] > 0 else 0


def _read_csv(path: Path) -> RawTable:
    text = decode(path.read_bytes(), path)
    if not text.strip():
        raise InputError(path, "the file is empty", expected="a header row and data rows")
    lines = text.splitlines()[:HEADER_SCAN_ROWS]
    delimiter = max([",", ";", "\t"], key=lambda d: max(line.count(d) for line in lines))
    head = list(csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter))
    start = _header_index(head)
    frame = pd.read_csv(io.StringIO(text), sep=delimiter, header=None, dtype=str, keep_default_na=False,
                        skiprows=start, skip_blank_lines=False, engine="c")
    headers = [str(h) for h in frame.iloc[0]] if len(frame) else []
    cells = frame.iloc[1:].reset_index(drop=True)
    rows = pd.Series(range(start + 2, start + 2 + len(cells)))
    return _without_blank_rows(headers, cells, rows)


def _read_excel(path: Path) -> RawTable:
    sheets = pd.read_excel(path, sheet_name=None, header=None, dtype=object, engine="openpyxl")
    for sheet in sheets.values():
        head = sheet.head(HEADER_SCAN_ROWS).astype(object).where(sheet.head(HEADER_SCAN_ROWS).notna(), None)
        start = _header_index(head.values.tolist())
        if any(header_key(c) in _KNOWN_HEADERS for c in head.iloc[start] if c is not None) if len(head) else False:
            headers = ["" if pd.isna(h) else str(h) for h in sheet.iloc[start]]
            cells = sheet.iloc[start + 1:].reset_index(drop=True)
            rows = pd.Series(range(start + 2, start + 2 + len(cells)))
            return _without_blank_rows(headers, cells, rows)
    raise InputError(path, "no sheet has a recognisable header row", expected="column names such as those in docs/data.md §2")


def _read_parquet(path: Path) -> RawTable:
    frame = pd.read_parquet(path)
    rows = pd.Series(range(2, 2 + len(frame)))
    cells = frame.astype(object).where(frame.notna(), None)
    cells.columns = range(len(cells.columns))
    for position, header in enumerate(frame.columns):
        if frame[header].dtype == object:  # binary or nested Parquet columns; strings have their own dtype
            cells[position] = _scalars(path, cells[position], rows, str(header))
    return RawTable([str(c) for c in frame.columns], cells, rows)


def _scalars(path: Path, values: pd.Series, rows: pd.Series, header: str) -> pd.Series:
    """A Parquet column's cells as single values: binary cells as UTF-8 text; lists and records refused."""
    def one(value: object, row: int) -> object:
        if isinstance(value, (bytes, bytearray)):
            try:
                return value.decode("utf-8")
            except UnicodeDecodeError:
                raise InputError(path, "cannot decode the text", row=row, column=header, expected="UTF-8 text",
                                 found=bytes(value)) from None
        if value is not None and not pd.api.types.is_scalar(value):
            raise InputError(path, "a list or record where a single value belongs", row=row, column=header,
                             expected="one value per cell", found=str(value))
        return value
    return pd.Series([one(value, row) for value, row in zip(values, rows)], index=values.index, dtype=object)


def _without_blank_rows(headers: list[str], cells: pd.DataFrame, rows: pd.Series) -> RawTable:
    cells = cells.astype(object).where(cells.notna(), None)
    blank = pd.concat([col.isna() | col.astype("string").str.strip().eq("") for _, col in cells.items()],
                      axis=1).all(axis=1) if len(cells.columns) else pd.Series(True, index=cells.index)
    cells.columns = range(len(cells.columns))
    return RawTable(headers, cells[~blank].reset_index(drop=True), rows[~blank].reset_index(drop=True))
