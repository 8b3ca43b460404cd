"""Typed, validated columns from raw cells (vectorised; per-row work only to word an error)."""
from __future__ import annotations

import re
import unicodedata
from datetime import datetime
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd

from parreport.errors import ConfigError, InputError
from parreport.ingest.schema import BOOL, CHANNEL, DATETIME, FLOAT, GROUP_766, INDICATOR_766, INT, PERIOD, TEXT, Column
from parreport.catalogue import GROUPS, group_key, indicator_key
from parreport.periods import Period

DATE_FORMATS = (
    "%Y-%m-%d", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S",
    "%d/%m/%Y", "%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%d-%m-%Y", "%d-%m-%Y %H:%M", "%d-%m-%Y %H:%M:%S",
    "%H:%M %d/%m/%Y", "%H:%M:%S %d/%m/%Y", "%Y-%m-%d %H:%M:%S.%f",
)
EXCEL_EPOCH = pd.Timestamp("1899-12-30")
EXCEL_LAST_SERIAL = 2958465  # 31/12/9999, the last date Excel can hold
MAX_WHOLE = 10**15  # larger "whole numbers" are not counts or years, and lose digits as floats
_BOOLS = {"true": True, "false": False, "1": True, "0": False, "x": True, "": False, "có": True, "không": False,
          "yes": True, "no": False, "đúng": True, "sai": False, "1.0": True, "0.0": False}
_CHANNELS = {"online": "online", "trực tuyến": "online", "truc tuyen": "online", "2": "online",
             "in_person": "in_person", "trực tiếp": "in_person", "truc tiep": "in_person", "1": "in_person",
             "postal": "postal", "bưu chính": "postal", "bưu chính công ích": "postal", "bcci": "postal",
             "buu chinh": "postal", "qua bưu chính công ích": "postal", "3": "postal"}
EXPECTED = {
    DATETIME: "a date such as 30/06/2023, 30/06/2023 14:05 or 2023-06-30",
    BOOL: "true/false, 1/0, x/empty or Có/Không",
    INT: "a whole number ≥ 0 (at most 15 digits)",
    FLOAT: "a number such as 90,26 or 90.26",
    CHANNEL: "Trực tuyến, Trực tiếp or Bưu chính/BCCI (online, in_person, postal)",
    PERIOD: "a period such as 2023, 2023-H1, 2023-Q2, Q2/2023 or 2023-06",
    TEXT: "a value",
    GROUP_766: "a 766 group: " + ", ".join(group.label for group in GROUPS.values()),
    INDICATOR_766: "a 766 indicator's code or name (parreport/catalogue.py), or empty for a group score",
}


def _key(values: pd.Series) -> pd.Series:
    return values.astype("string").str.strip().str.normalize("NFC").str.casefold().fillna("")


def _empty(values: pd.Series) -> pd.Series:
    return values.isna() | values.astype("string").str.strip().eq("").fillna(True)


def parse_column(values: pd.Series, column: Column) -> tuple[pd.Series, pd.Series]:
    """The typed values and a mask of cells that could not be read (empty cells are not errors here).

    A column of one kind of value (all text, all numbers, all dates …) is parsed once per distinct value
    and the result spread back over its rows: exports repeat the same few flags, units and days a million
    times. A column mixing kinds (True next to 1) is parsed cell by cell, so they are never confused.
    """
    if values.dtype.kind == "M" and column.type == DATETIME:  # Parquet timestamps: nothing to read
        return values.astype("datetime64[us]"), pd.Series(False, index=values.index)
    if pd.api.types.infer_dtype(values, skipna=True) not in _ONE_KIND:
        return _parse_cells(values, column)
    codes, distinct = pd.factorize(values, use_na_sentinel=True)
    parsed, bad = _parse_cells(pd.Series([*distinct, None], dtype=object), column)
    rows = np.where(codes < 0, len(distinct), codes)
    return (parsed.iloc[rows].set_axis(values.index), bad.iloc[rows].set_axis(values.index))


_ONE_KIND = ("string", "empty", "boolean", "integer", "floating", "datetime", "datetime64", "date")


def _parse_cells(values: pd.Series, column: Column) -> tuple[pd.Series, pd.Series]:
    parser = {TEXT: _text, DATETIME: _datetimes, BOOL: _bools, INT: _ints, FLOAT: _floats,
              CHANNEL: _channels, PERIOD: _names(period_code), GROUP_766: _names(group_key),
              INDICATOR_766: _names(indicator_key)}[column.type]
    parsed, bad = parser(values)
    return parsed, bad & ~_empty(values) if column.type != BOOL else bad


def _text(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    text = values.astype("string").str.strip().str.normalize("NFC")
    return text.mask(text.eq("")), pd.Series(False, index=values.index)


def _datetimes(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    result = pd.Series(pd.NaT, index=values.index, dtype="datetime64[us]")
    all_text = pd.api.types.infer_dtype(values, skipna=True) in ("string", "empty")
    native = pd.Series(False, index=values.index) if all_text else values.map(
        lambda v: isinstance(v, (datetime, pd.Timestamp, np.datetime64)))
    if native.any():
        result[native] = pd.to_datetime(values[native]).astype("datetime64[us]")
    serial = pd.Series(False, index=values.index) if all_text else values.map(
        lambda v: isinstance(v, (int, float, np.number)) and not isinstance(v, bool))
    if serial.any():  # Excel serial day numbers; others (negative, beyond year 9999, not finite) are unreadable
        days = pd.to_numeric(values[serial], errors="coerce").astype("float64")
        days = days[(days >= 0) & (days <= EXCEL_LAST_SERIAL)]
        seconds = (days.to_numpy() * 86400).round().astype("int64").astype("timedelta64[s]")
        result[days.index] = (EXCEL_EPOCH.to_datetime64().astype("datetime64[s]") + seconds).astype("datetime64[us]")
    text = values[~native & ~serial].astype("string").str.strip()
    text = text[text.ne("").fillna(False)]
    for fmt in _likely_formats(text):
        todo = result[text.index].isna()
        if not todo.any():
            break
        parsed = pd.to_datetime(text[todo], format=fmt, errors="coerce")
        result[parsed.index] = parsed.astype("datetime64[us]")
    bad = result.isna() & ~_empty(values)
    return result, bad


def _likely_formats(text: pd.Series) -> list[str]:
    """Date formats ordered so that the one the first values use is tried first."""
    sample = text.head(50).tolist()

    def hits(fmt: str) -> int:
        return sum(_matches(value, fmt) for value in sample)
    return sorted(DATE_FORMATS, key=hits, reverse=True)


def _matches(value: str, fmt: str) -> bool:
    try:
        datetime.strptime(value, fmt)
        return True
    except ValueError:
        return False


def _bools(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    native = values.map(lambda v: isinstance(v, (bool, np.bool_)))
    keys = _key(values.where(~native, values.map(lambda v: str(v).lower())))
    mapped = keys.map(_BOOLS)
    return mapped.astype("boolean"), mapped.isna()


def _ints(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    numbers = _finite(pd.to_numeric(values.astype("string").str.strip(), errors="coerce"))
    whole = (numbers % 1 == 0) & (numbers >= 0) & (numbers <= MAX_WHOLE)
    whole = whole.fillna(False).astype(bool)
    return numbers.where(whole).astype("Int64"), ~whole


def _floats(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    text = values.astype("string").str.strip().str.replace(",", ".", regex=False)
    numbers = _finite(pd.to_numeric(text, errors="coerce"))
    return numbers, numbers.isna().astype(bool)


def _finite(numbers: pd.Series) -> pd.Series:
    """Numbers as Float64, infinities (``inf``, ``1e400``) as missing: no export states an infinite figure."""
    numbers = numbers.astype("Float64")
    return numbers.mask(numbers.abs() == np.inf)


def _channels(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    keys = _key(values)
    keys = keys.where(~keys.str.fullmatch(r"\d+\.0"), keys.str[:-2])
    mapped = keys.map(_CHANNELS)
    return mapped.astype("string"), mapped.isna()


def _names(key: Callable[[str], str | None]) -> Callable[[pd.Series], tuple[pd.Series, pd.Series]]:
    """A parser of names that ``key`` maps to canonical codes (None: not a name it knows)."""
    def parse(values: pd.Series) -> tuple[pd.Series, pd.Series]:
        text = values.astype("string").str.strip()
        keys = {value: key(value) for value in text.dropna().unique()}
        mapped = text.map(keys)
        return mapped.astype("string"), mapped.isna()
    return parse


_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}


def period_code(text: str) -> str | None:
    """Canonical code of a period as exports write it, or None."""
    key = unicodedata.normalize("NFC", str(text)).strip().casefold()
    key = re.sub(r"\.0$", "", key)
    patterns = (
        (r"q([1-4])\s*[/-]\s*(\d{4})", lambda m: f"{m[2]}-Q{m[1]}"),
        (r"quý\s*(iv|iii|ii|i|[1-4])\s*(?:/|năm)\s*(\d{4})", lambda m: f"{m[2]}-Q{_ROMAN.get(m[1], m[1])}"),
        (r"6 tháng đầu năm\s*(\d{4})", lambda m: f"{m[1]}-H1"),
        (r"6 tháng cuối năm\s*(\d{4})", lambda m: f"{m[1]}-H2"),
        (r"tháng\s*(\d{1,2})\s*(?:/|năm)\s*(\d{4})", lambda m: f"{m[2]}-{int(m[1]):02d}"),
        (r"năm\s*(\d{4})", lambda m: m[1]),
    )
    for pattern, build in patterns:
        match = re.fullmatch(pattern, key)
        if match:
            key = build(match)
            break
    try:
        return Period.parse(key).code
    except ConfigError:
        return None


def raise_first(path: Path, bad: pd.Series, raw: pd.Series, rows: pd.Series, header: str, problem: str,
                expected: str) -> None:
    """Raise for the first row flagged in ``bad``, saying how many more rows share the problem."""
    if not bad.any():
        return
    first = bad.idxmax() if bad.dtype == bool else bad[bad].index[0]
    more = int(bad.sum()) - 1
    detail = f"{problem} (and {more} more row{'s' if more != 1 else ''})" if more else problem
    raise InputError(path, detail, row=int(rows[first]), column=header, expected=expected, found=raw[first])
