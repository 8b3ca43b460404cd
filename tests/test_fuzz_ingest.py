"""Fuzzing the readers: whatever bytes a file holds, ``read_table`` either returns validated rows or raises
our own :class:`InputError` (file, row, column, expected) — never another exception. And a file it
accepts is stored exactly: ids, dates and text (NFC) read back as they were written.

Every test draws from hypothesis; the examples are capped so the whole file runs in well under 40 s.
"""
from __future__ import annotations

import csv
import io
import tempfile
import unicodedata
import zipfile
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from parreport.errors import InputError
from parreport.ingest.table import read_table
from parreport.ingest.schema import SCHEMAS
from parreport.registry import Registry
from parreport.store import Store
from tests.conftest import REGISTRY_YAML

FUZZ = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SUFFIXES = (".csv", ".xlsx", ".parquet")
DOSSIER_HEADER = ["Mã hồ sơ", "Đơn vị", "Lĩnh vực", "Tên thủ tục", "Hình thức nộp", "Ngày tiếp nhận",
                  "Ngày hẹn trả", "Ngày trả kết quả"]
KNOWN_HEADERS = sorted({text for schema in SCHEMAS.values() for column in schema.columns
                        for text in (column.name, *column.aliases)})
# Text that stresses Unicode handling: combining marks, bidi controls, zero-width and odd whitespace.
TRICKY = ["\u0301", "\u0300", "\u0323", "\u0309", "\u0303", "\u202e", "\u202d", "\u200f", "\u2066", "\u2069",
          "\u200b", "\ufeff", "\u00a0", "\u2028", "\u0085", "\x00", "\r", "\n", "\t", '"', ",", ";", "ế", "ệ",
          "ư", "đ", "Đ", "e\u0302\u0301"]
unicode_text = st.lists(st.one_of(st.characters(exclude_categories=("Cs",)), st.sampled_from(TRICKY)),
                        max_size=12).map("".join)


@pytest.fixture(scope="module")
def registry(tmp_path_factory) -> Registry:
    path = tmp_path_factory.mktemp("registry") / "departments.yaml"
    path.write_text(REGISTRY_YAML, encoding="utf-8")
    return Registry.load(path)


@pytest.fixture(scope="module")
def store():
    with Store(":memory:") as shared:
        yield shared


@contextmanager
def file_with(data: bytes, suffix: str):
    """A fresh file holding ``data`` (hypothesis examples cannot share pytest's per-test tmp_path)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"export{suffix}"
        path.write_bytes(data)
        yield path


def read_or_refuse(path: Path, registry: Registry):
    """The table, or None when the reader refused the file with our own error; anything else escapes."""
    try:
        return read_table(path, registry)
    except InputError as exc:
        assert str(path) in str(exc)  # the message names the file
        return None


# --- arbitrary bytes ---------------------------------------------------------------------------------
@FUZZ
@given(data=st.binary(max_size=400), suffix=st.sampled_from(SUFFIXES))
def test_arbitrary_bytes_are_refused_with_our_error(registry, data, suffix):
    with file_with(data, suffix) as path:
        read_or_refuse(path, registry)


@FUZZ
@given(prefix=st.sampled_from([b"PK\x03\x04", b"PAR1", b"\xef\xbb\xbf", b"\xff\xfe", b""]),
       body=st.binary(max_size=300), suffix=st.sampled_from(SUFFIXES))
def test_bytes_that_start_like_a_known_format_are_refused_with_our_error(registry, prefix, body, suffix):
    with file_with(prefix + body + (b"PAR1" if prefix == b"PAR1" else b""), suffix) as path:
        read_or_refuse(path, registry)


# --- broken CSV --------------------------------------------------------------------------------------
cell = st.one_of(st.sampled_from(["", "HS1", "STNMT", "Sở Tư pháp", "Đất đai", "online", "Trực tuyến",
                                  "2023-06-01", "01/06/2023 08:00", "31/02/2023", "x", "Có", "-1", "1e999",
                                  "nan", "NULL", '"', '""', "\x00", "Tổng"]),
                 unicode_text, st.sampled_from(KNOWN_HEADERS))


@FUZZ
@given(header=st.lists(st.one_of(st.sampled_from(KNOWN_HEADERS), unicode_text), min_size=1, max_size=9),
       rows=st.lists(st.lists(cell, max_size=11), max_size=6),
       delimiters=st.lists(st.sampled_from([",", ";", "\t", "|"]), min_size=1, max_size=3),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1258"]))
def test_broken_csv_is_read_or_refused_with_our_error(registry, header, rows, delimiters, encoding):
    """Ragged rows, stray quotes, NULs, mixed delimiters, any header text, any encoding."""
    lines = [delimiters[0].join(header)]
    lines += [delimiters[i % len(delimiters)].join(row) for i, row in enumerate(rows)]
    data = "\n".join(lines).encode(encoding, errors="replace")
    with file_with(data, ".csv") as path:
        read_or_refuse(path, registry)


# --- XLSX: random cells, then truncated or corrupted ---------------------------------------------------
xlsx_value = st.one_of(st.none(), cell, st.integers(-10**6, 10**12), st.floats(allow_nan=True),
                       st.booleans(), st.datetimes(min_value=datetime(1900, 3, 1), max_value=datetime(2100, 1, 1)))


def workbook_bytes(header: list, rows: list[list]) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in [header, *rows]:
        sheet.append([_xlsx_safe(v) for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _xlsx_safe(value):
    """openpyxl refuses control characters a worksheet cannot hold; Excel could not have written them."""
    if isinstance(value, str):
        return "".join(ch for ch in value if ch in "\t\n\r" or ord(ch) >= 32)
    return value


@FUZZ
@given(header=st.lists(st.one_of(st.sampled_from(KNOWN_HEADERS), unicode_text), min_size=1, max_size=9),
       rows=st.lists(st.lists(xlsx_value, max_size=10), max_size=5))
def test_xlsx_with_any_cells_is_read_or_refused_with_our_error(registry, header, rows):
    with file_with(workbook_bytes(header, rows), ".xlsx") as path:
        read_or_refuse(path, registry)


@settings(FUZZ, max_examples=50)
@given(cut=st.floats(0, 1), flips=st.lists(st.tuples(st.floats(0, 1), st.integers(0, 255)), max_size=4),
       member=st.booleans())
def test_truncated_or_corrupted_xlsx_is_refused_with_our_error(registry, cut, flips, member):
    """A valid dossier workbook cut short, with bytes overwritten, or with a zip member replaced."""
    good = workbook_bytes(DOSSIER_HEADER, [["HS1", "STNMT", "Đất đai", "Thủ tục", "Trực tuyến",
                                            "01/06/2023", "15/06/2023", ""]])
    data = bytearray(good[: max(1, int(len(good) * cut))] if cut < 1 else good)
    for where, value in flips:
        data[int(where * (len(data) - 1))] = value
    if member:
        source, target = io.BytesIO(good), io.BytesIO()
        with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
            for item in old.infolist():
                body = old.read(item)
                new.writestr(item, body[: len(body) // 2] if item.filename.endswith("sheet1.xml") else body)
        data = bytearray(target.getvalue())
    with file_with(bytes(data), ".xlsx") as path:
        read_or_refuse(path, registry)


# --- Parquet: any column names, any value types ------------------------------------------------------
parquet_column = st.one_of(
    st.lists(st.one_of(st.none(), unicode_text), min_size=3, max_size=3),
    st.lists(st.integers(-2**40, 2**40), min_size=3, max_size=3),
    st.lists(st.floats(allow_nan=True, allow_infinity=True), min_size=3, max_size=3),
    st.lists(st.booleans(), min_size=3, max_size=3),
    st.lists(st.datetimes(min_value=datetime(1700, 1, 1), max_value=datetime(2200, 1, 1)), min_size=3, max_size=3),
    st.lists(st.binary(max_size=5), min_size=3, max_size=3),
    st.lists(st.lists(st.integers(0, 9), max_size=2), min_size=3, max_size=3),
)


@FUZZ
@given(columns=st.dictionaries(st.one_of(st.sampled_from(KNOWN_HEADERS), unicode_text), parquet_column,
                               min_size=1, max_size=9))
def test_parquet_with_any_columns_is_read_or_refused_with_our_error(registry, columns):
    buffer = io.BytesIO()
    try:
        pd.DataFrame(columns).to_parquet(buffer)
    except Exception:  # a frame pyarrow itself cannot write is not a file anyone can send us
        assume(False)
    with file_with(buffer.getvalue(), ".parquet") as path:
        read_or_refuse(path, registry)


# --- one odd cell in an otherwise valid table ----------------------------------------------------------
BASE_ROWS = {
    "dossiers": {"dossier_id": "HS1", "department": "STNMT", "field": "Đất đai", "procedure": "Cấp phép",
                 "channel": "online", "received_at": "2023-06-01", "due_at": "2023-06-10",
                 "completed_at": "2023-06-05", "apology_issued": "x", "digitized": "1"},
    "counts": {"department": "STNMT", "period": "2023-Q2", "field": "Đất đai",
               **{name: "1" for name in SCHEMAS["counts"].names[3:]}},
    "par_index": {"year": "2023", "department": "STNMT", "area": "Cải cách TTHC", "score": "5", "max_score": "10"},
    "sipas": {"year": "2023", "department": "STNMT", "satisfaction_pct": "80,5", "factor": "Tiếp cận dịch vụ"},
    "scores_766": {"period": "2023-Q2", "department": "STNMT", "group": "tien_do", "score": "5", "max_score": "20"},
}
odd_value = st.one_of(
    cell, st.none(), st.booleans(), st.integers(-2**70, 2**70), st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(["inf", "-inf", "1e400", "1e20", "-0", "0x10", "１２", "²", "1.000,5", "2023-02-30",
                     "31/12/9999", "1/1/1", "2023-Q5", "Quý V/2023", "năm 99999", "tháng 13/2023", "-1"]),
    st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31)),
)


def written_number(value) -> float | None:
    """The number a cell states, as a person reads it (decimal comma or point), or None."""
    try:
        return float(str(value).strip().replace(",", "."))
    except ValueError:
        return None


@settings(FUZZ, max_examples=100)
@given(kind=st.sampled_from(sorted(BASE_ROWS)), position=st.integers(0, 20), value=odd_value,
       suffix=st.sampled_from(SUFFIXES))
def test_one_odd_cell_is_refused_or_read_as_written(registry, kind, position, value, suffix):
    """Any value in any column of a valid two-row table: an InputError naming row 3 (or, for Parquet,
    whose column holds one type, row 2), or a table whose numbers are what the cell says."""
    base = BASE_ROWS[kind]
    column = list(base)[position % len(base)]
    odd = {**base, column: value}
    if suffix == ".parquet":  # a Parquet column has one type: the odd value fills it
        frame = pd.DataFrame([odd, {**odd, "department": "STP"}])
        buffer = io.BytesIO()
        try:
            frame.to_parquet(buffer)
        except Exception:
            assume(False)
        data = buffer.getvalue()
    elif suffix == ".xlsx":
        data = workbook_bytes(list(base), [list(base.values()), list(odd.values())])
    else:
        assume(value is None or isinstance(value, str))
        text = io.StringIO()
        writer = csv.writer(text, lineterminator="\r\n")
        writer.writerows([list(base), list(base.values()), ["" if v is None else v for v in odd.values()]])
        data = text.getvalue().encode("utf-8")
    with file_with(data, suffix) as path:
        table = read_or_refuse(path, registry)
    if table is None:
        return
    kind_type = SCHEMAS[kind].column(column).type
    stored = table.frame[column].iloc[-1]
    empty = value is None or (isinstance(value, str) and not value.strip())  # a default may fill it (766 maxima)
    if kind_type in ("int", "float") and not pd.isna(stored) and not empty:
        assert stored == written_number(value)
        assert stored >= 0 or kind_type == "float"


# --- accepted files are stored exactly ----------------------------------------------------------------
DATE_WRITERS = {"%d/%m/%Y %H:%M": "%d/%m/%Y %H:%M", "%Y-%m-%d %H:%M:%S": "%Y-%m-%d %H:%M:%S",
                "%H:%M %d/%m/%Y": "%H:%M %d/%m/%Y", "%d-%m-%Y %H:%M": "%d-%m-%Y %H:%M"}
moment = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2035, 12, 31)).map(
    lambda d: d.replace(second=0, microsecond=0))
visible = unicode_text.filter(lambda s: unicodedata.normalize("NFC", s).strip() != "")
dossier = st.fixed_dictionaries({
    "id": st.text(st.sampled_from("0123456789.-/ABCĐHSđ"), min_size=1, max_size=12).filter(lambda s: s.strip()),
    "department": st.sampled_from(["STNMT", "Sở Tư pháp", "007", "sở ngoại vụ"]),
    "field": visible,
    "procedure": unicode_text,
    "received": moment,
    "days": st.integers(0, 60),
    "done": st.one_of(st.none(), st.integers(0, 90)),
})
CODES = {"STNMT": "STNMT", "Sở Tư pháp": "STP", "007": "007", "sở ngoại vụ": "007"}


def nfc_stripped(text: str):
    value = unicodedata.normalize("NFC", text).strip()
    return value or None


@settings(FUZZ, max_examples=40)
@given(rows=st.lists(dossier, min_size=1, max_size=6, unique_by=lambda r: (CODES[r["department"]],
                                                                            nfc_stripped(r["id"]))),
       fmt=st.sampled_from(sorted(DATE_WRITERS)), delimiter=st.sampled_from([",", ";", "\t"]),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]))
def test_an_accepted_dossier_csv_is_stored_exactly(registry, store, rows, fmt, delimiter, encoding):
    """Ids are kept as text (leading zeros, dots), dates to the minute, text in NFC without surrounding
    spaces; the same values come back from the store."""
    text = io.StringIO()
    writer = csv.writer(text, delimiter=delimiter, lineterminator="\r\n")  # RFC 4180: quotes a field with \r or \n
    writer.writerow(DOSSIER_HEADER)
    expected = []
    for row in rows:
        due = row["received"] + pd.Timedelta(days=row["days"])
        done = None if row["done"] is None else row["received"] + pd.Timedelta(days=row["done"])
        writer.writerow([row["id"], row["department"], row["field"], row["procedure"], "Trực tuyến",
                         row["received"].strftime(fmt), due.strftime(fmt), done.strftime(fmt) if done else ""])
        expected.append({"dossier_id": nfc_stripped(row["id"]), "department": CODES[row["department"]],
                         "field": nfc_stripped(row["field"]), "procedure": nfc_stripped(row["procedure"]),
                         "received_at": pd.Timestamp(row["received"]), "due_at": pd.Timestamp(due),
                         "completed_at": pd.Timestamp(done) if done else None})
    with file_with(text.getvalue().encode(encoding), ".csv") as path:
        table = read_table(path, registry)  # a valid file must be accepted
    store.add(table)  # one store for all examples (a store takes 0,15 s to create): this file's rows
    stored = store.sql("SELECT v.* FROM dossiers_versions v JOIN ingests USING (ingest_id) WHERE sha256 = ? "
                       "ORDER BY source_row", [table.sha256])
    for frame in (table.frame, stored):
        assert len(frame) == len(expected)
        got = [{key: (None if pd.isna(value) else value) for key, value in record.items() if key in expected[0]}
               for record in frame.to_dict("records")]
        assert got == expected
    assert table.frame["source_row"].tolist() == list(range(2, 2 + len(rows)))
