"""Ingest: every supported encoding and format, Vietnamese headers and values, and a clear message
(file, row, column, expected, found) for every kind of bad input docs/data.md §2 rules out."""
from __future__ import annotations

import unicodedata
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook

from parreport.errors import InputError, UnknownUnitError
from parreport.ingest.table import read_table

CANONICAL = ("dossier_id,department,field,channel,received_at,due_at,completed_at,apology_issued\n"
             "HS1,STNMT,Đất đai,online,2023-06-01 08:00,2023-06-15,2023-06-14 10:00,\n"
             "HS2,STP,Công chứng,in_person,2023-06-02,2023-06-12,,x\n")

VIETNAMESE = ("Mã hồ sơ,Đơn vị,Lĩnh vực,Hình thức nộp,Ngày tiếp nhận,Ngày hẹn trả,Ngày trả kết quả,Thư xin lỗi,Số hóa\n"
              "000.12.23,Sở Tài nguyên và Môi trường,Đất đai,Trực tuyến,01/06/2023 08:00,15/06/2023,14/06/2023 10:00,,Có\n"
              "000.12.24,Sở Tư pháp,Công chứng,Bưu chính,02/06/2023,12/06/2023,,Có,Không\n"
              "000.12.25,007,Lãnh sự,Trực tiếp,03/06/2023,13/06/2023,13/06/2023 16:30,,\n")

BIEU06_HEADER = ("department,period,field,received_online,received_offline,carried_over,resolved_early,"
                 "resolved_on_time,resolved_late,pending_in_time,pending_overdue\n")


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def cp1258(text: str) -> bytes:
    """Windows-1258 as Vietnamese exports write it: letters it lacks precomposed ("ế") are stored as the
    nearest precomposed letter plus a combining tone mark ("ê" + U+0301); the reader must return NFC."""
    out = bytearray()
    for char in text:
        try:
            out += char.encode("cp1258")
        except UnicodeEncodeError:
            decomposed = unicodedata.normalize("NFD", char)
            for i, mark in enumerate(decomposed[1:], start=1):   # keep the other marks precomposed
                base = unicodedata.normalize("NFC", decomposed[:i] + decomposed[i + 1:])
                encoded = (base + mark).encode("cp1258", errors="ignore")
                if len(base) == 1 and len(encoded) == 2:
                    out += encoded
                    break
    return bytes(out)


def error_of(path: Path, registry) -> InputError:
    with pytest.raises(InputError) as caught:
        read_table(path, registry)
    return caught.value


# --- what must be read -----------------------------------------------------------------------------------
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1258"])
def test_every_csv_encoding_reads_the_same_vietnamese_export(tmp_path, registry, encoding):
    path = tmp_path / f"hs_{encoding}.csv"
    path.write_bytes(cp1258(VIETNAMESE) if encoding == "cp1258" else VIETNAMESE.encode(encoding))
    table = read_table(path, registry)
    frame = table.frame
    assert table.kind == "dossiers"
    assert list(frame["department"]) == ["STNMT", "STP", "007"]       # full names and the code "007" resolved
    assert list(frame["field"]) == ["Đất đai", "Công chứng", "Lãnh sự"]
    assert all(unicodedata.is_normalized("NFC", text) for text in frame["field"])
    assert list(frame["channel"]) == ["online", "postal", "in_person"]
    assert frame["received_at"].iloc[0] == pd.Timestamp("2023-06-01 08:00")   # dd/mm/yyyy, not mm/dd
    assert frame["due_at"].iloc[1] == pd.Timestamp("2023-06-12")
    assert pd.isna(frame["completed_at"].iloc[1])
    assert list(frame["apology_issued"]) == [False, True, False]       # empty / Có / empty
    assert list(frame["digitized"]) == [True, False, False]           # Có / Không / empty
    assert frame["fee_required"].isna().all()                          # column absent → unknown, not false
    assert list(frame["source_row"]) == [2, 3, 4]


def test_codes_stay_text(tmp_path, registry):
    text = "dossier_id,department,field,received_at,due_at\n007,007,Lãnh sự,2023-01-02,2023-01-09\n"
    frame = read_table(write(tmp_path, "codes.csv", text), registry).frame
    assert frame["dossier_id"].iloc[0] == "007" and frame["department"].iloc[0] == "007"


def test_xlsx_with_title_rows_and_excel_dates(tmp_path, registry):
    book = Workbook()
    sheet = book.active
    sheet.append(["BÁO CÁO HỒ SƠ TTHC THÁNG 6/2023"])
    sheet.append([])
    sheet.append(["Số hồ sơ", "Mã đơn vị", "Lĩnh vực", "Ngày tiếp nhận", "Hạn giải quyết", "Ngày hoàn thành"])
    sheet.append(["A-1", "STNMT", "Môi trường", pd.Timestamp("2023-06-05 09:30").to_pydatetime(), 45096, None])
    path = tmp_path / "export.xlsx"
    book.save(path)
    frame = read_table(path, registry).frame
    assert frame["received_at"].iloc[0] == pd.Timestamp("2023-06-05 09:30")
    assert frame["due_at"].iloc[0] == pd.Timestamp("2023-06-19")      # Excel serial 45096 = 19/06/2023 (44927 = 1/1/2023, + 169 days)
    assert frame["source_row"].iloc[0] == 4                          # the row Excel shows


def test_parquet_with_native_types(tmp_path, registry):
    path = tmp_path / "export.parquet"
    pd.DataFrame({"dossier_id": ["P1"], "department": ["STP"], "field": ["Công chứng"],
                  "received_at": [pd.Timestamp("2023-03-01 08:00")], "due_at": [pd.Timestamp("2023-03-10")],
                  "completed_at": [pd.NaT], "digitized": [True]}).to_parquet(path)
    frame = read_table(path, registry).frame
    assert frame["department"].iloc[0] == "STP" and bool(frame["digitized"].iloc[0])
    assert pd.isna(frame["completed_at"].iloc[0])


def test_bieu06_counts_with_vietnamese_periods(tmp_path, registry):
    text = BIEU06_HEADER.replace("department,period,field", "Đơn vị,Kỳ báo cáo,Lĩnh vực") + (
            "STNMT,Quý I/2023,Đất đai,10,5,2,12,3,0,2,0\n"
            "STNMT,Q1/2023,Môi trường,1,1,0,2,0,0,0,0\n"
            "STNMT,2023-Q1,Tổng,11,6,2,14,3,0,2,0\n")
    table = read_table(write(tmp_path, "bieu06.csv", text), registry)
    assert table.kind == "counts" and table.discrepancies == []
    assert list(table.frame["period"]) == ["2023-Q1", "2023-Q1"]       # the Tổng row is checked, not stored
    assert list(table.frame["field"]) == ["Đất đai", "Môi trường"]


def test_stated_total_disagreeing_with_its_fields_is_reported_with_both_numbers(tmp_path, registry):
    # The seed article's case: 137 overdue stated, by-field parts 100 + 36 = 136.
    text = BIEU06_HEADER + (
            "STNMT,2020-Q1,Đất đai,0,0,0,0,0,100,0,0\n"
            "STNMT,2020-Q1,Môi trường,0,0,0,0,0,36,0,0\n"
            "STNMT,2020-Q1,Tổng,0,0,0,0,0,137,0,0\n")
    table = read_table(write(tmp_path, "bieu06.csv", text), registry)
    assert table.discrepancies == [
        "bieu06.csv, row 4: STNMT 2020-Q1 resolved_late: stated total 137, sum of fields 136"]


# --- what must be refused, and how ----------------------------------------------------------------------
def test_bad_date_names_file_row_column_and_value(tmp_path, registry):
    bad = CANONICAL.replace("2023-06-02,2023-06-12", "2023-06-02,31/02/2023")
    error = error_of(write(tmp_path, "hs.csv", bad), registry)
    assert "hs.csv" in str(error) and error.row == 3 and error.column == "due_at"
    assert error.found == "31/02/2023" and "30/06/2023" in error.expected


def test_unknown_unit_names_unit_and_file(tmp_path, registry):
    bad = CANONICAL.replace("HS2,STP", "HS2,Sở Du lịch")
    with pytest.raises(UnknownUnitError) as caught:
        read_table(write(tmp_path, "hs.csv", bad), registry)
    message = str(caught.value)
    assert "hs.csv, row 3, column 'department': unknown unit 'Sở Du lịch'" in message
    assert "registry" in message


def test_missing_required_column_lists_its_aliases(tmp_path, registry):
    bad = "dossier_id,department,field,received_at\nHS1,STNMT,Đất đai,2023-06-01\n"
    error = error_of(write(tmp_path, "hs.csv", bad), registry)
    assert "hs.csv" in str(error) and "'due_at'" in str(error)
    assert "'Ngày hẹn trả'" in error.expected and "'Hạn giải quyết'" in error.expected


def test_completed_before_received(tmp_path, registry):
    bad = CANONICAL.replace("2023-06-14 10:00", "2023-05-30 10:00")
    error = error_of(write(tmp_path, "hs.csv", bad), registry)
    assert (error.row, error.column, error.found) == (2, "completed_at", "2023-05-30 10:00:00")
    assert "completed before it was received" in str(error)


def test_duplicate_dossier_names_both_rows(tmp_path, registry):
    bad = CANONICAL + "HS1,STNMT,Đất đai,online,2023-06-03,2023-06-15,,\n"
    error = error_of(write(tmp_path, "hs.csv", bad), registry)
    assert "appears twice, in rows 2 and 4" in str(error) and error.row == 4


def test_negative_count(tmp_path, registry):
    text = BIEU06_HEADER + (
            "STP,2023-Q2,Công chứng,4,-1,0,3,0,0,0,0\n")
    error = error_of(write(tmp_path, "bieu06.csv", text), registry)
    assert (error.row, error.column, error.found) == (2, "received_offline", "-1")
    assert error.expected == "a whole number ≥ 0 (at most 15 digits)"


def test_bad_boolean(tmp_path, registry):
    bad = CANONICAL.replace(",x\n", ",maybe\n")
    error = error_of(write(tmp_path, "hs.csv", bad), registry)
    assert (error.row, error.column, error.found) == (3, "apology_issued", "maybe")
    assert "Có/Không" in error.expected


def test_bad_channel(tmp_path, registry):
    bad = CANONICAL.replace("in_person", "fax")
    error = error_of(write(tmp_path, "hs.csv", bad), registry)
    assert (error.row, error.column, error.found) == (3, "channel", "fax")
    assert "Trực tuyến" in error.expected


def test_empty_required_value(tmp_path, registry):
    bad = CANONICAL.replace("HS2,STP,Công chứng", "HS2,STP,")
    error = error_of(write(tmp_path, "hs.csv", bad), registry)
    assert (error.row, error.column) == (3, "field") and "required value is empty" in str(error)


def test_empty_file(tmp_path, registry):
    error = error_of(write(tmp_path, "empty.csv", ""), registry)
    assert "empty.csv" in str(error)


def test_unreadable_bytes(tmp_path, registry):
    path = tmp_path / "garbage.csv"
    path.write_bytes(bytes(range(256)) * 4)
    error = error_of(path, registry)
    assert "garbage.csv" in str(error)


def test_unknown_table(tmp_path, registry):
    error = error_of(write(tmp_path, "other.csv", "a,b,c\n1,2,3\n"), registry)
    assert "other.csv" in str(error) and "matches no known table" in str(error)


def test_unsupported_extension(tmp_path, registry):
    error = error_of(write(tmp_path, "export.pdf", "%PDF-1.4"), registry)
    assert "export.pdf" in str(error) and ".csv" in error.expected


def test_broken_xlsx(tmp_path, registry):
    error = error_of(write(tmp_path, "broken.xlsx", "not a zip file"), registry)
    assert "broken.xlsx" in str(error)


# --- official 766 scores ---------------------------------------------------------------------------------
SCORES_766 = ("Kỳ,Đơn vị,Nhóm chỉ số,Chỉ tiêu,Điểm,Điểm tối đa\n"
              "Quý III/2024,Sở Tư pháp,Công khai minh bạch,,\"17,5\",18\n"
              "Quý III/2024,Sở Tư pháp,Tiến độ giải quyết,,\"19,28\",\n"
              "Quý III/2024,Sở Tư pháp,Số hóa hồ sơ,,20,22\n"
              "Quý III/2024,Sở Tư pháp,Cung cấp dịch vụ trực tuyến,,\"10,5\",12\n"
              "Quý III/2024,Sở Tư pháp,Thanh toán trực tuyến,,9,10\n"
              "Quý III/2024,Sở Tư pháp,Mức độ hài lòng,,\"17,1\",18\n"
              "Quý III/2024,Sở Tư pháp,Mức độ hài lòng,Tỷ lệ hài lòng trong tiếp nhận giải quyết TTHC,\"5,9\",\n"
              "Quý IV/2024,STP,DVC trực tuyến,,11,\n")


def test_official_766_scores_with_vietnamese_headers_and_group_names(tmp_path, registry):
    """Dashboard names map to group keys ("Cung cấp dịch vụ trực tuyến" and "DVC trực tuyến" both to
    dvc_truc_tuyen); an indicator row is named by its label; a missing maximum is the catalogue's
    (tiến độ 20; the dossier-satisfaction indicator 6); several quarters are kept apart."""
    frame = read_table(write(tmp_path, "diem_766.csv", SCORES_766), registry).frame
    q3 = frame[frame["period"] == "2024-Q3"]
    assert list(q3["group"]) == ["cong_khai", "tien_do", "so_hoa", "dvc_truc_tuyen", "thanh_toan", "hai_long",
                                 "hai_long"]
    assert q3["score"].iloc[:6].sum() == pytest.approx(17.5 + 19.28 + 20 + 10.5 + 9 + 17.1)   # = 93,38/100
    assert q3["max_score"].iloc[:6].sum() == 100
    assert q3["indicator"].isna().sum() == 6 and q3["indicator"].iloc[6] == "satisfaction_766"
    assert q3["max_score"].iloc[6] == 6 and q3["score"].iloc[6] == 5.9
    assert list(frame.loc[frame["period"] == "2024-Q4", ["department", "group", "max_score"]].iloc[0]) == \
        ["STP", "dvc_truc_tuyen", 12]


def test_official_766_scores_from_xlsx_under_a_title_row(tmp_path, registry):
    book = Workbook()
    sheet = book.active
    sheet.append(["Kết quả Bộ chỉ số phục vụ người dân, doanh nghiệp"])
    sheet.append(["Kỳ đánh giá", "Tên đơn vị", "Nhóm chỉ số", "Mã chỉ số", "Điểm đạt"])
    sheet.append(["Quý I/2024", "Sở Tài nguyên và Môi trường", "Mức độ hài lòng", "DOSSIER_RECEIVING_SATISFACTION",
                  4.5])
    sheet.append(["Quý I/2024", "Sở Tài nguyên và Môi trường", "Tiến độ giải quyết", None, 18.02])
    book.save(tmp_path / "diem.xlsx")
    frame = read_table(tmp_path / "diem.xlsx", registry).frame
    assert list(frame["indicator"].fillna("")) == ["satisfaction_766", ""]
    assert list(frame["max_score"]) == [6, 20]


@pytest.mark.parametrize("row, column, problem", [
    ("Quý III/2024,STP,Chất lượng,,5,\n", "Nhóm chỉ số", "cannot read group_766"),
    ("Quý III/2024,STP,Tiến độ giải quyết,Tỷ lệ TTHC công bố đúng hạn,5,\n", "Chỉ tiêu",
     "indicator of another 766 group"),
    ("Quý III/2024,STP,Tiến độ giải quyết,Chỉ tiêu lạ,5,\n", "Chỉ tiêu", "cannot read indicator_766"),
    ("Quý III/2024,STP,Tiến độ giải quyết,,21,\n", "Điểm", "score outside 0 to the maximum"),
])
def test_bad_official_766_rows_are_named(tmp_path, registry, row, column, problem):
    error = error_of(write(tmp_path, "diem.csv", SCORES_766.splitlines(keepends=True)[0] + row), registry)
    assert (error.row, error.column) == (2, column) and problem in error.problem


def test_the_same_766_group_twice_names_both_rows(tmp_path, registry):
    rows = SCORES_766.splitlines(keepends=True)
    error = error_of(write(tmp_path, "diem.csv", rows[0] + rows[2] + rows[2]), registry)
    assert "rows 2 and 3" in error.problem


# --- crashes the fuzz tests found (tests/test_fuzz_ingest.py), kept as plain examples -----------------
@pytest.mark.parametrize("count", ["inf", "1e400", "1e20"])
def test_infinite_or_huge_count_is_refused_not_stored(tmp_path, registry, count):
    """'inf' and '1e400' once crashed the reader; '1e20' was stored as −9.223.372.036.854.775.808."""
    text = BIEU06_HEADER + f"STP,2023-Q2,Công chứng,4,{count},0,3,0,0,0,0\n"
    error = error_of(write(tmp_path, "bieu06.csv", text), registry)
    assert (error.row, error.column, error.found) == (2, "received_offline", count)


def test_infinite_score_is_refused(tmp_path, registry):
    text = "year,department,area,score,max_score\n2023,STP,Cải cách TTHC,inf,10\n"
    error = error_of(write(tmp_path, "par.csv", text), registry)
    assert (error.row, error.column, error.found) == (2, "score", "inf")


def test_year_out_of_range_is_refused(tmp_path, registry):
    error = error_of(write(tmp_path, "sipas.csv", "year,department,satisfaction_pct\n100000,STP,80\n"), registry)
    assert (error.row, error.column, error.expected) == (2, "year", "a year from 1900 to 2100")


def test_excel_serial_beyond_year_9999_is_a_bad_date(tmp_path, registry):
    """An Excel date cell is a day number: 45078 = 1/6/2023; 1e300 once overflowed pandas."""
    book = Workbook()
    book.active.append(["Mã hồ sơ", "Đơn vị", "Lĩnh vực", "Ngày tiếp nhận", "Ngày hẹn trả"])
    book.active.append(["HS1", "STP", "Công chứng", 45078, 1e300])
    book.save(tmp_path / "hs.xlsx")
    error = error_of(tmp_path / "hs.xlsx", registry)
    assert (error.row, error.column, error.found) == (2, "Ngày hẹn trả", 1e300)


def test_parquet_binary_cells_are_read_as_utf8_text_or_refused(tmp_path, registry):
    frame = pd.DataFrame({"year": [2023], "department": ["Sở Tư pháp".encode()], "satisfaction_pct": [80.0]})
    frame.to_parquet(tmp_path / "sipas.parquet")
    assert read_table(tmp_path / "sipas.parquet", registry).frame["department"].tolist() == ["STP"]
    frame["department"] = [b"\xff\xfe"]
    frame.to_parquet(tmp_path / "bad.parquet")
    error = error_of(tmp_path / "bad.parquet", registry)
    assert (error.row, error.column, error.expected) == (2, "department", "UTF-8 text")


def test_parquet_list_cell_is_refused(tmp_path, registry):
    frame = pd.DataFrame({"year": [2023], "department": ["STP"], "satisfaction_pct": [[80.0, 90.0]]})
    frame.to_parquet(tmp_path / "sipas.parquet")
    error = error_of(tmp_path / "sipas.parquet", registry)
    assert (error.row, error.column, error.problem) == (2, "satisfaction_pct",
                                                         "a list or record where a single value belongs")
