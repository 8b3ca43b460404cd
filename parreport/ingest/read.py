"""Read an export file into raw cells: CSV in any encoding the provinces' systems produce, XLSX, Parquet.

The header row is found among the first rows (exports often carry title lines above it); every data
row keeps the row number a person sees in a spreadsheet or text editor.
"""
from __future__ import annotations

import csv
import io
import itertools
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
from pyarrow import csv as pa_csv

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
    lines = _head(text).splitlines()[:HEADER_SCAN_ROWS]
    delimiter = max([",", ";", "\t"], key=lambda d: max(line.count(d) for line in lines))
    head = list(csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter))
    start = _header_index(head)
    frame = _regular_csv(text, delimiter, start, len(head[start]) if head else 0)
    if frame is None:
        frame = pd.read_csv(io.StringIO(text), sep=delimiter, header=None, dtype=str, keep_default_na=False,
                            skiprows=start, skip_blank_lines=False, engine="c")
    headers = [str(h) for h in frame.iloc[0]] if len(frame) else []
    cells = frame.iloc[1:].reset_index(drop=True)
    rows = pd.Series(range(start + 2, start + 2 + len(cells)))
    return _without_blank_rows(headers, cells, rows)


def _head(text: str) -> str:
    """The start of ``text`` up to its ``HEADER_SCAN_ROWS``-th line feed (all of it when shorter)."""
    feeds = (match.end() for match in re.finditer("\n", text))
    return text[:next(itertools.islice(feeds, HEADER_SCAN_ROWS - 1, None), len(text))]


def _regular_csv(text: str, delimiter: str, start: int, width: int) -> pd.DataFrame | None:
    """The rows from ``start`` on as text cells, read by Arrow's multi-threaded reader when every line
    has ``width`` cells; ``None`` for a file with blank or ragged lines (pandas reads those)."""
    ragged = []
    options = pa_csv.ReadOptions(skip_rows=start, column_names=[str(i) for i in range(width)])
    convert = pa_csv.ConvertOptions(column_types={str(i): pa.string() for i in range(width)},
                                    strings_can_be_null=False, quoted_strings_can_be_null=False)
    parse = pa_csv.ParseOptions(delimiter=delimiter, newlines_in_values=True, ignore_empty_lines=False,
                                invalid_row_handler=lambda row: ragged.append(row) or "skip")
    try:
        table = pa_csv.read_csv(io.BytesIO(text.encode("utf-8")), options, parse, convert)
    except pa.ArrowInvalid:
        return None
    if ragged or width == 0:
        return None
    frame = table.to_pandas(types_mapper={pa.string(): pd.StringDtype("pyarrow")}.get)
    frame.columns = range(width)
    return frame


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
    frame = pd.read_parquet(path)  # typed columns stay typed: the parsers read them as they are
    headers = [str(c) for c in frame.columns]
    frame.columns = range(len(frame.columns))
    rows = pd.Series(range(2, 2 + len(frame)))
    for position in frame.columns:
        if frame[position].dtype == object:  # binary or nested Parquet columns; strings have their own dtype
            frame[position] = _scalars(path, frame[position], rows, headers[position])
    return RawTable(headers, frame, rows)


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
    blank = np.ones(len(cells), dtype=bool)
    for position, (_, column) in enumerate(cells.items()):
        if column.dtype == object and column.isna().any():
            cells.isetitem(position, column.where(column.notna(), None))
        blank &= _blank(column)
    blank = pd.Series(blank, index=cells.index)
    cells.columns = range(len(cells.columns))
    return RawTable(headers, cells[~blank].reset_index(drop=True), rows[~blank].reset_index(drop=True))


def _blank(column: pd.Series) -> np.ndarray:
    """Which cells are empty or spaces only (each distinct value of a column of objects looked at once)."""
    if isinstance(column.dtype, pd.StringDtype):
        return column.str.strip().eq("").to_numpy(dtype=bool, na_value=True)
    codes, distinct = pd.factorize(column)
    blank = pd.Series(distinct, dtype="string").str.strip().eq("").to_numpy(dtype=bool, na_value=True)
    return np.where(codes < 0, True, blank[codes]) if len(distinct) else np.ones(len(column), dtype=bool)
