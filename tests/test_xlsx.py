"""The ``xlsx`` format, read back with openpyxl: cell values, formulas and the values stored with them.

Every workbook opens with "Số liệu chính" (the cover, the headline figures, what the workbook leaves out), then
a sheet per table: Biểu 06 on the official form, any other table on a plain sheet.

The briefing is the real notebook executed for STNMT, quý II năm 2020 on the end-to-end fixture (figures by
hand in tests/test_docx.py and tests/test_end_to_end.py; the form itself, on the seed 002 quarter, in
tests/test_bieu06.py). Layout of the Biểu 06 sheet (1-based rows): rows 1–5 the form's title rows, 6–9 the
header, 10 the column numbers (1)…(13), 11 Đất đai, 12 Môi trường, 13 Tài nguyên nước, 14 Tổng. Columns: A STT,
B Lĩnh vực, C tổng số nhận giải quyết = D kỳ trước chuyển qua + E trực tuyến + F trực tiếp, dịch vụ bưu chính;
G tổng số đã giải quyết = H trước hạn + I đúng hạn + J quá hạn; K tổng số đang giải quyết = L chưa đến hạn +
M quá hạn. The form has no rate column; a table named ``bieu06…`` without the form's STT column and numbering
(the small tables below) gets them on the sheet, and a ratio column of it is written as a formula.
"""
from __future__ import annotations

import re

import openpyxl
import pytest
from openpyxl.utils import range_boundaries

from parreport.errors import ParreportError
from parreport.render import get_format
from parreport.render.xlsx import build_xlsx
from parreport.reports.content import Column, Cover, Document, Kpi, Kpis, Paragraphs, Section, Table

pytestmark = pytest.mark.e2e  # the workbook fixture runs the notebook through papermill


@pytest.fixture(scope="module")
def workbook_path(briefing_source, tmp_path_factory):
    target = tmp_path_factory.mktemp("xlsx") / "briefing.xlsx"
    get_format("xlsx").render(briefing_source, target)
    return target


def cell_values(path, data_only: bool) -> dict[str, dict[str, object]]:
    book = openpyxl.load_workbook(path, data_only=data_only)    # opens: no repair needed for openpyxl
    return {sheet.title: {cell.coordinate: cell.value for row in sheet.iter_rows() for cell in row
                          if cell.value is not None} for sheet in book.worksheets}


def evaluate(formula: str, values: dict[str, object]) -> object:
    """What Excel computes for the two formula shapes the form uses: SUM(range) and the guarded ratio."""
    def total(arguments: str) -> float:
        cells = []
        for part in arguments.split(","):
            low_col, low_row, high_col, high_row = range_boundaries(part)
            cells += [values.get(f"{openpyxl.utils.get_column_letter(c)}{r}")
                      for c in range(low_col, high_col + 1) for r in range(low_row, high_row + 1)]
        return sum(v for v in cells if isinstance(v, (int, float)))   # SUM skips text such as "–"

    if match := re.fullmatch(r"=SUM\(([A-Z]+\d+:[A-Z]+\d+)\)", formula):
        return total(match[1])
    match = re.fullmatch(r'=IF\(SUM\(([^)]*)\)=0,"(.)",SUM\(([^)]*)\)/SUM\(([^)]*)\)\)', formula)
    assert match and match[1] == match[4], formula
    return match[2] if total(match[1]) == 0 else total(match[3]) / total(match[4])


def filled_rows(sheet) -> list[tuple]:
    """A sheet's rows as the values they hold, empty cells and rows left out."""
    rows = (tuple(value for value in row if value is not None) for row in sheet.iter_rows(values_only=True))
    return [row for row in rows if row]


def test_key_figures_then_every_table_in_order(workbook_path):
    """Received 171 against 1.926 in quý I (171 − 1.926 = −1.755); 160/171 = 93,57 % against 100 % in quý I.
    The 766 section's indicators come before the Biểu 06 section, on a plain sheet (row 6 the header, row 7
    the on-time rate 160/171, row 12 the apology rate 5/11, as numbers)."""
    book = openpyxl.load_workbook(workbook_path)
    assert book.sheetnames == ["Số liệu chính", "Tỷ lệ đúng hạn so với quý I năm", "Chỉ tiêu (tính từ dữ liệu hồ",
                               "Điểm còn thiếu theo nhóm chỉ số", "Số hồ sơ cần thêm để đạt mục", "Biểu 06"]
    rates = book["Chỉ tiêu (tính từ dữ liệu hồ"]
    assert (rates["A1"].value, rates["A6"].value, rates["C6"].value) == ("Chỉ tiêu (tính từ dữ liệu hồ sơ)",
                                                                         "Chỉ tiêu", "Đơn vị")
    assert rates["C7"].value == pytest.approx(160 / 171) and rates["C7"].number_format == "[$-42A]0.00%"
    assert rates["C12"].value == pytest.approx(5 / 11)
    rows = filled_rows(book["Số liệu chính"])
    assert rows[:4] == [("Số liệu chính",), ("Địa phương", "Tỉnh Thử Nghiệm"), ("Đơn vị", "Sở Tài nguyên và Môi trường"),
                        ("Báo cáo", "Báo cáo tình hình giải quyết thủ tục hành chính")]
    assert ("Kỳ báo cáo", "Quý II năm 2020") in rows and ("Thời gian số liệu", "01/04/2020–30/06/2020") in rows
    assert ("Hồ sơ tiếp nhận", "171", "giảm 1.755 hồ sơ so với kỳ trước") in rows
    assert ("Tỷ lệ đúng hạn và trước hạn", "93,57%", "giảm 6,43 điểm phần trăm so với kỳ trước") in rows
    assert rows[-1] == ("Bảng tính này không có biểu đồ, phần nhận định, những điểm cần lưu ý và ghi chú của báo cáo.",)
    assert ("Dữ liệu mẫu",) not in rows                             # real data


def test_the_form_title_rows(workbook_path):
    values = cell_values(workbook_path, data_only=True)
    sheet = values["Biểu 06"]
    assert sheet["A1"] == "Biểu số 06/VPCP/KSTT"
    assert sheet["A2"] == "Ban hành kèm theo Thông tư số 01/2020/TT-VPCP ngày 21/10/2020 của Văn phòng Chính phủ"
    assert sheet["A3"] == "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT TTHC TẠI CƠ QUAN, ĐƠN VỊ TRỰC TIẾP GIẢI QUYẾT TTHC"
    assert sheet["A4"] == "Kỳ báo cáo: Quý II năm 2020 (Từ ngày 01/04/2020 đến ngày 30/06/2020)"
    assert sheet["A5"] == "Đơn vị báo cáo: Sở Tài nguyên và Môi trường – Tỉnh Thử Nghiệm"
    assert sheet["M5"] == "Đơn vị tính: Số hồ sơ TTHC"
    assert "M1" not in sheet                                        # no "Dữ liệu mẫu": real data
    assert [sheet[f"{c}10"] for c in "ABCDEFGHIJKLM"] == [f"({n})" for n in range(1, 14)]


def test_merged_header(workbook_path):
    sheet = openpyxl.load_workbook(workbook_path)["Biểu 06"]
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert {"A6:A9", "B6:B9", "C6:F6", "G6:J6", "K6:M6", "C7:C9", "D7:F7", "D8:D9", "E8:F8", "G7:G9", "H7:H9",
            "I7:I9", "J7:J9", "K7:K9", "L7:L9", "M7:M9", "A3:M3", "A4:M4"} <= merged
    assert [sheet[ref].value for ref in ("A6", "B6", "C6", "G6", "K6")] == [
        "STT", "Lĩnh vực, công việc giải quyết theo cấp", "Số hồ sơ nhận giải quyết", "Số lượng hồ sơ đã giải quyết",
        "Số lượng hồ sơ đang giải quyết"]
    assert [sheet[f"{c}7"].value for c in "CDGHIJKLM"] == [
        "Tổng số", "Trong đó", "Tổng số", "Trả trước hạn", "Trả đúng thời hạn", "Trả quá hạn", "Tổng số",
        "Chưa đến hạn", "Quá hạn"]
    assert (sheet["D8"].value, sheet["E8"].value, sheet["E9"].value, sheet["F9"].value) == (
        "Số kỳ trước chuyển qua", "Số mới tiếp nhận", "Trực tuyến", "Trực tiếp, dịch vụ bưu chính")
    assert "Tỷ lệ" not in {cell.value for row in sheet.iter_rows(min_row=6, max_row=9) for cell in row}
    assert sheet.freeze_panes == "C11"
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.paperSize == 9   # A4
    setup = sheet.page_setup  # fit to one page wide (fitToWidth absent = 1, the default), any number long
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and setup.fitToWidth in (None, 1) and setup.fitToHeight == 0
    assert sheet.print_title_rows == "$6:$10"                       # header and numbers on every page


def test_every_cell_is_the_hand_computed_figure(workbook_path):
    """Received = kỳ trước + trực tuyến + trực tiếp/bưu chính, resolved = trước hạn + đúng hạn + quá hạn, pending =
    chưa đến hạn + quá hạn: Đất đai 100 = 0 + 0 + 100, 100 = 0 + 100 + 0; Môi trường 71 = 71 + 0 + 0,
    71 = 60 + 0 + 11; Tổng 171 = 71 + 0 + 100, 171 = 60 + 100 + 11; nothing pending on 30/6."""
    sheet = cell_values(workbook_path, data_only=True)["Biểu 06"]
    rows = {row: [sheet.get(f"{c}{row}") for c in "ABCDEFGHIJKLM"] for row in range(11, 15)}
    assert rows[11] == [1, "Đất đai", 100, 0, 0, 100, 100, 0, 100, 0, 0, 0, 0]
    assert rows[12] == [2, "Môi trường", 71, 71, 0, 0, 71, 60, 0, 11, 0, 0, 0]
    assert rows[13] == [3, "Tài nguyên nước", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]
    assert rows[14] == [None, "Tổng", 171, 71, 0, 100, 171, 60, 100, 11, 0, 0, 0]


def test_totals_are_formulas_agreeing_with_their_stored_values(workbook_path):
    formulas = cell_values(workbook_path, data_only=False)["Biểu 06"]
    cached = cell_values(workbook_path, data_only=True)["Biểu 06"]
    for row in range(11, 15):                                       # each group's Tổng số: its parts in its row
        assert [formulas[f"{c}{row}"] for c in "CGK"] == [f"=SUM(D{row}:F{row})", f"=SUM(H{row}:J{row})",
                                                           f"=SUM(L{row}:M{row})"]
    assert [formulas[f"{c}14"] for c in "DEFHIJLM"] == [f"=SUM({c}11:{c}13)" for c in "DEFHIJLM"]
    assert isinstance(formulas["D11"], int) and isinstance(formulas["A11"], int)    # numbers, not text
    computed = {ref: evaluate(f, cached) for ref, f in formulas.items() if isinstance(f, str) and f.startswith("=")}
    assert len(computed) == 3 * 4 + 8
    for ref, value in computed.items():
        assert value == cached[ref], ref


def test_vietnamese_number_formats(workbook_path):
    sheet = openpyxl.load_workbook(workbook_path)["Biểu 06"]
    assert sheet["D11"].number_format == "[$-42A]#,##0" and sheet["C14"].number_format == "[$-42A]#,##0"
    assert sheet["B14"].font.b and sheet["C14"].font.b and not sheet["C12"].font.b   # the Tổng row is bold


COLUMNS = [Column("field", "Lĩnh vực", "text"), Column("resolved_early", "Trước hạn", group="Đã giải quyết"),
           Column("resolved_on_time", "Đúng hạn", group="Đã giải quyết"),
           Column("resolved_late", "Quá hạn", group="Đã giải quyết"),
           Column("on_time_rate", "Tỷ lệ", "percent",
                  ratio=(("resolved_early", "resolved_on_time"), ("resolved_early", "resolved_on_time", "resolved_late")))]
COVER = Cover("Tỉnh Mẫu", "Toàn tỉnh", "Báo cáo", "Quý I năm 2024", "01/04/2024", "01/01/2024–31/03/2024", True)


def document(rows: list[list], name: str = "bieu06_units", title: str = "Kết quả theo đơn vị") -> Document:
    return Document("overview", COVER, [Section("units", "Đơn vị", [Table(name, title, COLUMNS, rows, total=True)])])


def test_no_figure_is_never_zero(tmp_path):
    """Unit B has no figures (None): its cells say "–" and the Tổng sums what is known: 3 + 0 early, 1 + 0 on
    time, 0 late → 4/4 = 100 %. Unit C resolved nothing: its rate is "–", never 0 %. Columns: A STT, B name,
    C trước hạn, D đúng hạn, E quá hạn, F tỷ lệ; rows 6–7 header, 8 numbers, 9 A, 10 B, 11 C, 12 Tổng."""
    rows = [["A", 3, 1, 0, 1.0], ["B", None, None, None, None], ["C", 0, 0, 0, None], ["Tổng", 3, 1, 0, 1.0]]
    path = build_xlsx(document(rows), tmp_path / "units.xlsx")
    cached = cell_values(path, data_only=True)["Kết quả theo đơn vị"]
    formulas = cell_values(path, data_only=False)["Kết quả theo đơn vị"]
    assert [formulas[f"{c}10"] for c in "ABCDEF"] == [2, "B", "–", "–", "–", "–"]   # text, not formulas
    assert formulas["F11"] == '=IF(SUM(C11,D11,E11)=0,"–",SUM(C11,D11)/SUM(C11,D11,E11))' and cached["F11"] == "–"
    assert [formulas[f"{c}12"] for c in "CDE"] == ["=SUM(C9:C11)", "=SUM(D9:D11)", "=SUM(E9:E11)"]
    assert [cached[f"{c}12"] for c in "CDEF"] == [3, 1, 0, 1]
    assert cached["F1"] == "Dữ liệu mẫu"


def test_a_stated_total_the_cells_do_not_give_is_refused(tmp_path):
    rows = [["A", 3, 1, 0, 1.0], ["B", 2, 0, 1, 2 / 3], ["Tổng", 5, 1, 2, 6 / 8]]    # 0 + 1 late is 1, not 2
    with pytest.raises(ParreportError, match="Quá hạn: the report states 2 but its cells give 1"):
        build_xlsx(document(rows), tmp_path / "wrong.xlsx")


def test_sheet_names_are_valid_and_unique(tmp_path):
    rows = [["A", 1, 0, 0, 1.0], ["Tổng", 1, 0, 0, 1.0]]
    long = document(rows, title="Kết quả: giải quyết hồ sơ/thủ tục [theo đơn vị] quý I")
    long.sections.append(Section("more", "Thêm", [Table("bieu06", "", COLUMNS, rows, total=True)]))
    path = build_xlsx(long, tmp_path / "names.xlsx")
    assert openpyxl.load_workbook(path).sheetnames == ["Số liệu chính", "Kết quả giải quyết hồ sơ thủ", "Biểu 06"]


KPIS = Section("highlights", "Chỉ số CCHC",
               [Kpis([Kpi("90,26/108 điểm", "Tổng điểm", "tăng 2,01 điểm so với năm trước"), Kpi("3/18", "Xếp hạng")]),
                Paragraphs(["Chỉ số CCHC năm 2024 đạt 83,57%."])])


def test_a_report_without_tables_gets_its_key_figures(tmp_path):
    """A report of PAR Index figures alone (no Biểu 06, no table): one sheet with the cover, its two headline
    figures under their section, and what the workbook does not hold."""
    sipas = Section("sipas", "Chỉ số SIPAS", [Kpis([Kpi("85,10%", "Chỉ số hài lòng")])])
    path = build_xlsx(Document("annual", COVER, [KPIS, sipas]), tmp_path / "kpis.xlsx")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Số liệu chính"]
    assert filled_rows(book["Số liệu chính"]) == [
        ("Số liệu chính",), ("Địa phương", "Tỉnh Mẫu"), ("Đơn vị", "Toàn tỉnh"), ("Báo cáo", "Báo cáo"),
        ("Kỳ báo cáo", "Quý I năm 2024"), ("Thời gian số liệu", "01/01/2024–31/03/2024"), ("Ngày lập", "01/04/2024"),
        ("Dữ liệu mẫu",), ("Chỉ tiêu", "Giá trị", "Thay đổi"),
        ("1. Chỉ số CCHC",), ("Tổng điểm", "90,26/108 điểm", "tăng 2,01 điểm so với năm trước"), ("Xếp hạng", "3/18"),
        ("2. Chỉ số SIPAS",), ("Chỉ số hài lòng", "85,10%"),
        ("Bảng tính này không có phần nhận định của báo cáo.",),
        ("Báo cáo không có Biểu số 06: dữ liệu không có hồ sơ hoặc số liệu tổng hợp của kỳ này.",)]


GROUPS = Table("s766_groups", "Điểm theo nhóm chỉ số",
               [Column("group", "Nhóm chỉ số", "text"), Column("max_score", "Điểm tối đa", "score"),
                Column("official", "Điểm công bố", "score"), Column("computed", "Điểm tính lại", "score")],
               [["Công khai, minh bạch", 18, 16.5, 17.25], ["Tiến độ giải quyết", 20, 19.28, None],
                ["Tổng", 100, 90.26, None]], total=True, note="Điểm công bố: Cổng Dịch vụ công quốc gia.")


def test_another_table_gets_a_plain_sheet_with_numbers(tmp_path):
    """Rows 1–4: title, unit, period, "Dữ liệu mẫu"; row 6 the header; rows 7–9 the groups and Tổng; row 11 the
    note. Columns: A group, B maximum, C official, D computed."""
    path = build_xlsx(Document("briefing", COVER, [Section("s766", "Bộ chỉ số 766", [GROUPS])]), tmp_path / "g.xlsx")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Số liệu chính", "Điểm theo nhóm chỉ số"]
    sheet = book["Điểm theo nhóm chỉ số"]
    assert [sheet[f"A{row}"].value for row in range(1, 5)] == [
        "Điểm theo nhóm chỉ số", "Đơn vị báo cáo: Toàn tỉnh – Tỉnh Mẫu",
        "Kỳ báo cáo: Quý I năm 2024 (01/01/2024–31/03/2024)", "Dữ liệu mẫu"]
    assert [[sheet.cell(row, column).value for column in range(1, 5)] for row in range(6, 10)] == [
        ["Nhóm chỉ số", "Điểm tối đa", "Điểm công bố", "Điểm tính lại"],
        ["Công khai, minh bạch", 18, 16.5, 17.25], ["Tiến độ giải quyết", 20, 19.28, "–"], ["Tổng", 100, 90.26, "–"]]
    assert isinstance(sheet["C8"].value, float) and sheet["C8"].number_format == "[$-42A]#,##0.00"
    assert sheet["D8"].data_type == "s"                              # no figure: the text "–", never 0
    assert sheet["A9"].font.b and sheet["C9"].font.b and not sheet["C8"].font.b   # the Tổng row is bold
    assert sheet["A11"].value == "Điểm công bố: Cổng Dịch vụ công quốc gia."
    assert sheet.freeze_panes == "A7" and sheet.print_title_rows == "$6:$6"
    rows = filled_rows(book["Số liệu chính"])
    assert rows[-1] == ("Báo cáo không có Biểu số 06: dữ liệu không có hồ sơ hoặc số liệu tổng hợp của kỳ này.",)


def test_every_table_in_document_order_with_merged_group_headers(tmp_path):
    """PAR Index areas (untitled: the section's title names the sheet), Biểu 06, then a table with grouped
    columns: header rows 6–7, "Điểm công bố" over C6:D6, the rows from 8. Percentages are ratios."""
    areas = Table("par_areas", "", [Column("area", "Lĩnh vực", "text"), Column("score", "Điểm", "score"),
                                    Column("max_score", "Điểm tối đa", "score"), Column("pct", "Tỷ lệ", "percent"),
                                    Column("average_pct", "Bình quân", "percent")],
                  [["Công tác chỉ đạo, điều hành", 8.5, 10, 0.85, 0.8], ["Cải cách TTHC", None, 12, None, 0.75]])
    units = Table("s766_units", "Điểm theo đơn vị", [
        Column("name", "Cơ quan, đơn vị", "text"), Column("total", "Tổng điểm", "score"),
        Column("public", "Công khai", "score", group="Điểm công bố"),
        Column("progress", "Tiến độ", "score", group="Điểm công bố")], [["Sở Tư pháp", 88.5, 17, 19.5]])
    rows = [["A", 1, 0, 0, 1.0], ["Tổng", 1, 0, 0, 1.0]]
    sections = [Section("par_index", "Chỉ số CCHC (PAR Index)", [KPIS.blocks[0], areas]),
                Section("units", "Đơn vị", [Table("bieu06_units", "", COLUMNS, rows, total=True)]),
                Section("s766", "Bộ chỉ số 766", [units])]
    book = openpyxl.load_workbook(build_xlsx(Document("annual", COVER, sections), tmp_path / "all.xlsx"))
    assert book.sheetnames == ["Số liệu chính", "Chỉ số CCHC (PAR Index)", "Biểu 06", "Điểm theo đơn vị"]
    par = book["Chỉ số CCHC (PAR Index)"]
    assert par["A1"].value == "Chỉ số CCHC (PAR Index)"
    assert [par.cell(7, column).value for column in range(1, 6)] == ["Công tác chỉ đạo, điều hành", 8.5, 10, 0.85, 0.8]
    assert [par.cell(8, column).value for column in range(1, 6)] == ["Cải cách TTHC", "–", 12, "–", 0.75]
    assert par["D7"].number_format == "[$-42A]0.00%" and par["B7"].number_format == "[$-42A]#,##0.00"
    grouped = book["Điểm theo đơn vị"]
    assert {"A6:A7", "B6:B7", "C6:D6"} <= {str(r) for r in grouped.merged_cells.ranges}
    assert [grouped.cell(row, column).value for row, column in ((6, 3), (7, 3), (7, 4))] == [
        "Điểm công bố", "Công khai", "Tiến độ"]
    assert [grouped.cell(8, column).value for column in range(1, 5)] == ["Sở Tư pháp", 88.5, 17, 19.5]
    assert ("Báo cáo không có Biểu số 06: dữ liệu không có hồ sơ hoặc số liệu tổng hợp của kỳ này.",) not in \
        filled_rows(book["Số liệu chính"])
