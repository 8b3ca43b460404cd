"""Biểu số 06/VPCP/KSTT as printed, in the workbook and in the HTML and Word tables: every column of the form, its
headings and numbering, and each group's Tổng số a formula carrying the hand-computed figure.

The briefing is built in process (:func:`~parreport.reports.briefing.load_briefing`, no notebook) for STNMT,
quý I năm 2020 — the seed 002 quarter — on the end-to-end fixture of tests/test_end_to_end.py:

* 15 dossiers (Đất đai) received 16/12/2019, due 15/1, closed 10/1: received before the quarter and still open on
  1/1 → carried over 15; closed before their due day → resolved early 15.
* 1.840 (Đất đai) received 3/2 online, due 17/2, closed 17/2 → new online 1.840, resolved on time 1.840.
* 71 (Môi trường) received 27/3 online, due 10/4, open on 31/3 → new online 71, pending in time 71 (due ≥ 31/3).
* Tài nguyên nước (a field of the registry) has none.

Every fixture row of the quarter is online, so column (6) "Trực tiếp, dịch vụ bưu chính" is 0 everywhere. Per row
(3) = (4) + (5) + (6), (7) = (8) + (9) + (10), (11) = (12) + (13):

=================  ====================  ======================  ===============
row                received (3)          resolved (7)            pending (11)
=================  ====================  ======================  ===============
1 Đất đai          1.855 = 15 + 1.840    1.855 = 15 + 1.840 + 0  0 = 0 + 0
2 Môi trường       71 = 0 + 71 + 0       0                       71 = 71 + 0
3 Tài nguyên nước  0                     0                       0
Tổng               1.926 = 15 + 1.911    1.855 = 15 + 1.840 + 0  71 = 71 + 0
=================  ====================  ======================  ===============

— the seed's "1.926 lượt hồ sơ (15 … kỳ trước chuyển qua; 1.911 … tiếp nhận mới); … 1.855 hồ sơ (không có hồ
sơ quá hạn); 71 hồ sơ … trong hạn".

Workbook layout (1-based rows): 1–5 the title rows, 6–9 the header (four rows: "Số hồ sơ nhận giải quyết" ›
"Trong đó" › "Số mới tiếp nhận" › the channels), 10 the numbers (1)…(13), 11 Đất đai, 12 Môi trường, 13 Tài
nguyên nước, 14 Tổng. Columns A STT, B Lĩnh vực, C–F received (Tổng số, kỳ trước, trực tuyến, trực tiếp/bưu
chính), G–J resolved (Tổng số, trước hạn, đúng hạn, quá hạn), K–M pending (Tổng số, chưa đến hạn, quá hạn).
"""
from __future__ import annotations

from datetime import date

import docx
import openpyxl
import pandas as pd
import pytest

from parreport.errors import ParreportError
from parreport.render.docx import build_docx
from parreport.render.xlsx import build_xlsx
from parreport.reports import bieu06
from parreport.reports.briefing import load_briefing
from parreport.reports.content import Cover, Document, Section
from tests.conftest import REGISTRY_YAML
from tests.test_end_to_end import fixture_csv

GROUPS = ["Số hồ sơ nhận giải quyết"] * 4 + ["Số lượng hồ sơ đã giải quyết"] * 4 + \
         ["Số lượng hồ sơ đang giải quyết"] * 3
# The header as a grid, one list per header row, a merged cell's label in every position it covers.
GRID = [
    ["STT", "Lĩnh vực, công việc giải quyết theo cấp", *GROUPS],
    ["STT", "Lĩnh vực, công việc giải quyết theo cấp", "Tổng số", "Trong đó", "Trong đó", "Trong đó",
     "Tổng số", "Trả trước hạn", "Trả đúng thời hạn", "Trả quá hạn", "Tổng số", "Chưa đến hạn", "Quá hạn"],
    ["STT", "Lĩnh vực, công việc giải quyết theo cấp", "Tổng số", "Số kỳ trước chuyển qua", "Số mới tiếp nhận",
     "Số mới tiếp nhận", "Tổng số", "Trả trước hạn", "Trả đúng thời hạn", "Trả quá hạn", "Tổng số", "Chưa đến hạn",
     "Quá hạn"],
    ["STT", "Lĩnh vực, công việc giải quyết theo cấp", "Tổng số", "Số kỳ trước chuyển qua", "Trực tuyến",
     "Trực tiếp, dịch vụ bưu chính", "Tổng số", "Trả trước hạn", "Trả đúng thời hạn", "Trả quá hạn", "Tổng số",
     "Chưa đến hạn", "Quá hạn"],
]
NUMBERS = [f"({n})" for n in range(1, 14)]
ROWS = {  # hand-computed above: A STT, B field, C–M the counts
    11: [1, "Đất đai", 1855, 15, 1840, 0, 1855, 15, 1840, 0, 0, 0, 0],
    12: [2, "Môi trường", 71, 0, 71, 0, 0, 0, 0, 0, 71, 71, 0],
    13: [3, "Tài nguyên nước", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    14: [None, "Tổng", 1926, 15, 1911, 0, 1855, 15, 1840, 0, 71, 71, 0],
}
LETTERS = "ABCDEFGHIJKLM"


@pytest.fixture(scope="module")
def document(tmp_path_factory) -> Document:
    root = tmp_path_factory.mktemp("bieu06")
    registry = root / "departments.yaml"
    registry.write_text(REGISTRY_YAML, encoding="utf-8")
    briefing = load_briefing("STNMT", "2020-Q1", data=fixture_csv(root / "dossiers.csv"), registry=registry)
    return briefing.document(today=date(2020, 4, 15))


@pytest.fixture(scope="module")
def workbook(document, tmp_path_factory):
    path = build_xlsx(document, tmp_path_factory.mktemp("xlsx") / "briefing.xlsx")
    return {data_only: openpyxl.load_workbook(path, data_only=data_only)["Biểu 06"] for data_only in (False, True)}


def table(document: Document):
    return document.section("fields").blocks[0]


def test_the_form_columns_with_a_total_in_each_group_and_no_rate(document):
    columns = table(document).columns
    assert [c.key for c in columns] == [
        "stt", "field", "received", "carried_over", "new_online", "new_offline", "resolved", "resolved_early",
        "resolved_on_time", "resolved_late", "pending", "pending_in_time", "pending_overdue"]
    sums = {c.key: c.sums for c in columns if c.sums}
    assert sums == {"received": ("carried_over", "new_online", "new_offline"),
                    "resolved": ("resolved_early", "resolved_on_time", "resolved_late"),
                    "pending": ("pending_in_time", "pending_overdue")}
    assert not any(c.format == "percent" or c.ratio for c in columns)   # the on-time rate is not on the form
    assert table(document).rows == [ROWS[r] for r in (11, 12, 13)] + [["", *ROWS[14][1:]]]


def test_workbook_every_heading_of_the_form_and_its_numbering(workbook):
    sheet = workbook[False]
    grid = [[sheet[f"{c}{row}"].value for c in LETTERS] for row in range(6, 10)]
    merged = {str(r) for r in sheet.merged_cells.ranges}
    # a merged cell holds its label in its top-left cell: fill the grid as the eye reads it
    for cells in merged:
        low, high = cells.split(":")
        if sheet[low].row >= 6 and sheet[high].row <= 9:
            for row in sheet[cells]:
                for cell in row:
                    grid[cell.row - 6][cell.column - 1] = sheet[low].value
    assert grid == GRID
    assert {"A6:A9", "B6:B9", "C6:F6", "G6:J6", "K6:M6", "C7:C9", "D7:F7", "D8:D9", "E8:F8", "G7:G9",
            "K7:K9", "M7:M9"} <= merged
    assert [sheet[f"{c}10"].value for c in LETTERS] == NUMBERS
    assert sheet["A1"].value == "Biểu số 06/VPCP/KSTT"
    assert sheet["A2"].value == "Ban hành kèm theo Thông tư số 01/2020/TT-VPCP ngày 21/10/2020 của Văn phòng Chính phủ"
    assert sheet["A3"].value == "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT TTHC TẠI CƠ QUAN, ĐƠN VỊ TRỰC TIẾP GIẢI QUYẾT TTHC"
    assert sheet["A4"].value == "Kỳ báo cáo: Quý I năm 2020 (Từ ngày 01/01/2020 đến ngày 31/03/2020)"
    assert sheet["M5"].value == "Đơn vị tính: Số hồ sơ TTHC"
    assert sheet.print_title_rows == "$6:$10" and sheet.freeze_panes == "C11"


def test_workbook_group_totals_are_formulas_carrying_the_hand_computed_figures(workbook):
    formulas, values = workbook[False], workbook[True]
    for row in (11, 12, 13, 14):   # each group's Tổng số sums its parts in its own row
        assert [formulas[f"{c}{row}"].value for c in "CGK"] == [
            f"=SUM(D{row}:F{row})", f"=SUM(H{row}:J{row})", f"=SUM(L{row}:M{row})"]
    assert [formulas[f"{c}14"].value for c in "DEFHIJLM"] == [f"=SUM({c}11:{c}13)" for c in "DEFHIJLM"]
    assert [values[f"{c}14"].value for c in "CGK"] == [1926, 1855, 71]     # the seed's three figures
    for row, expected in ROWS.items():
        assert [values[f"{c}{row}"].value for c in LETTERS] == expected, row


def test_html_header_cells(document):
    top, second, third, fourth, numbers = table(document).header_rows()
    assert top == [("STT", 1, 4), ("Lĩnh vực, công việc giải quyết theo cấp", 1, 4),
                   ("Số hồ sơ nhận giải quyết", 4, 1), ("Số lượng hồ sơ đã giải quyết", 4, 1),
                   ("Số lượng hồ sơ đang giải quyết", 3, 1)]
    assert second == [("Tổng số", 1, 3), ("Trong đó", 3, 1), ("Tổng số", 1, 3), ("Trả trước hạn", 1, 3),
                      ("Trả đúng thời hạn", 1, 3), ("Trả quá hạn", 1, 3), ("Tổng số", 1, 3),
                      ("Chưa đến hạn", 1, 3), ("Quá hạn", 1, 3)]
    assert third == [("Số kỳ trước chuyển qua", 1, 2), ("Số mới tiếp nhận", 2, 1)]
    assert fourth == [("Trực tuyến", 1, 1), ("Trực tiếp, dịch vụ bưu chính", 1, 1)]
    assert numbers == [(n, 1, 1) for n in NUMBERS]
    html = document.section("fields").html()
    assert '<th colspan="4">Số hồ sơ nhận giải quyết</th>' in html and "<th>(13)</th>" in html
    assert "1.926" in html and "1.855" in html and "Tỷ lệ" not in html


def test_word_table_header_and_total_row(document, tmp_path):
    target = tmp_path / "briefing.docx"
    build_docx(document).save(str(target))
    word = docx.Document(str(target))
    form = next(t for t in word.tables if t.rows[0].cells[0].text == "STT")
    rows = [[cell.text for cell in row.cells] for row in form.rows]
    assert rows[:5] == GRID + [NUMBERS]
    assert [tc.grid_span for tc in form.rows[0]._tr.tc_lst] == [1, 1, 4, 4, 3]
    assert rows[-1] == ["", "Tổng", "1.926", "15", "1.911", "0", "1.855", "15", "1.840", "0", "71", "71", "0"]


COVER = Cover("Tỉnh Mẫu", "Toàn tỉnh", "Báo cáo", "Quý I năm 2024", "01/04/2024", "01/01/2024–31/03/2024")
COUNTS = ("received", "carried_over", "new_online", "new_offline", "resolved", "resolved_early", "resolved_on_time",
          "resolved_late", "pending", "pending_in_time", "pending_overdue")


def province(records: list[dict]) -> Document:
    frame = pd.DataFrame(records)
    return Document("overview", COVER, [Section("bieu06", "Biểu 06", [bieu06.province_table(frame)])])


def test_province_table_a_row_per_unit_and_unknown_channels(tmp_path):
    """Unit A: 2 carried over + 3 online + 1 in person = 6; 4 early + 1 late = 5; 1 in time. Unit B's channels
    are not recorded (None): its received 7 is the stated number, not a formula, its channels "–"; so are the
    province's channels, and the Tổng row's received is the sum of the column, 6 + 7 = 13. Resolved in the Tổng
    row: 11 early + 0 on time + 1 late = 12, the sum of its parts."""
    a = dict(zip(COUNTS, (6, 2, 3, 1, 5, 4, 0, 1, 1, 1, 0)), unit="Sở A")
    b = dict(zip(COUNTS, (7, 0, None, None, 7, 7, 0, 0, 0, 0, 0)), unit="Sở B")
    total = dict(zip(COUNTS, (13, 2, None, None, 12, 11, 0, 1, 1, 1, 0)), unit="Tổng")
    path = build_xlsx(province([a, b, total]), tmp_path / "province.xlsx")
    formulas = openpyxl.load_workbook(path)["Biểu 06"]
    values = openpyxl.load_workbook(path, data_only=True)["Biểu 06"]
    assert formulas["B6"].value == "Đơn vị" and formulas["B11"].value == "Sở A"
    assert formulas["C11"].value == "=SUM(D11:F11)" and values["C11"].value == 6
    assert formulas["C12"].value == 7 and formulas["E12"].value == "–"           # no figure, never 0
    assert formulas["C13"].value == "=SUM(C11:C12)" and values["C13"].value == 13
    assert formulas["D13"].value == "=SUM(D11:D12)" and formulas["E13"].value == "–"
    assert formulas["G13"].value == "=SUM(H13:J13)" and values["G13"].value == 12


def test_a_group_total_its_parts_do_not_give_is_refused(tmp_path):
    a = dict(zip(COUNTS, (6, 2, 3, 1, 5, 4, 0, 1, 1, 1, 0)), unit="Sở A")
    wrong = {**a, "resolved": 6}                                                   # 4 + 0 + 1 is 5
    with pytest.raises(ParreportError, match="Sở A, Số lượng hồ sơ đã giải quyết – Tổng số: the report states 6 "
                                             "but its cells give 5"):
        build_xlsx(province([wrong, {**a, "unit": "Tổng"}]), tmp_path / "wrong.xlsx")
