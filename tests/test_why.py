"""The "why" blocks (parreport/reports/why.py): the sentences, tables and chart of a rate's change for a unit and
across units, and "Điểm có thể cải thiện", on hand-computed fixtures; and that Word and Excel carry the figures."""
from __future__ import annotations

import json

import pandas as pd
import pytest

from parreport.metrics import DossierData
from parreport.metrics.counts import complete
from parreport.metrics.definitions import COUNTS, DERIVED
from parreport.periods import Period
from parreport.registry import Registry
from parreport.reports import why
from parreport.reports.content import Chart, Cover, Document, Note, Paragraphs, Table

REGISTRY = """\
province: "Tỉnh Thử Nghiệm"
departments:
  - code: STP
    name: "Sở Tư pháp"
    short_name: "Sở Tư pháp"
    group: so_nganh
    fields: ["Hộ tịch", "Đất đai", "Chứng thực"]
  - code: SYT
    name: "Sở Y tế"
    short_name: "Sở Y tế"
    group: so_nganh
    fields: ["Dược phẩm"]
"""
Q1, Q2, Q2_2023 = Period.parse("2024-Q1"), Period.parse("2024-Q2"), Period.parse("2023-Q2")


def row(period: str, department: str, field: str, on_time: int = 0, late: int = 0, new: int = 0, online: int = 0,
        pending: int = 0) -> dict:
    """A field's counts; every dossier resolved on time is counted as early, carried-over dossiers are those
    resolved or pending beyond the new ones."""
    values = {column: 0 for column in COUNTS if column not in DERIVED}
    values.update(resolved_early=on_time, resolved_late=late, pending_in_time=pending, new=new, new_online=online,
                  new_offline=new - online, new_in_person=new - online,
                  carried_over=max(0, on_time + late + pending - new))
    return {"period": period, "department": department, "field": field, "source": "bieu06", **values}


# Sở Tư pháp: quý I 2024 Hộ tịch 46/50 on time, Đất đai 44/50 (90 %); quý II 2024 Hộ tịch 386/400, Đất đai 91/100
# (95,4 %): +5,40 points = 4,20 within fields + 1,20 mix (worked out in tests/test_decompose.py). New dossiers
# (online share): quý I Hộ tịch 20/50 online, Đất đai 30/50 (50 %); quý II 200/400 and 50/100 (50 %).
# Cùng kỳ 2023: nothing resolved; Hộ tịch 2/10 online, no Đất đai dossier. Sở Y tế: 100/100 on time, online.
ROWS = [
    row("2024-Q1", "STP", "Hộ tịch", 46, 4, new=50, online=20),
    row("2024-Q1", "STP", "Đất đai", 44, 6, new=50, online=30),
    row("2024-Q2", "STP", "Hộ tịch", 386, 14, new=400, online=200),
    row("2024-Q2", "STP", "Đất đai", 91, 9, new=100, online=50),
    row("2023-Q2", "STP", "Hộ tịch", new=10, online=2, pending=10),
    row("2024-Q1", "SYT", "Dược phẩm", 100, new=100, online=100),
    row("2024-Q2", "SYT", "Dược phẩm", 100, new=100, online=100),
]


@pytest.fixture
def dossiers(tmp_path) -> DossierData:
    path = tmp_path / "departments.yaml"
    path.write_text(REGISTRY, encoding="utf-8")
    frame = complete(pd.DataFrame(ROWS))
    frame[list(COUNTS)] = frame[list(COUNTS)].astype("Int64")

    def counter(periods):
        return {period: frame[frame["period"] == period.code].reset_index(drop=True) for period in periods}
    return DossierData(counter, Registry.load(path))


def texts(blocks: list) -> list[str]:
    return [text for block in blocks if isinstance(block, Paragraphs) for text in block.texts]


def test_the_issues_sentence_naming_the_contributors(dossiers):
    """+5,40 = 4,20 (Hộ tịch 0,8·4,5 + Đất đai 0,2·3,0 points) + 1,20 (0,3·2 + 0,3·2: the shift from Đất đai, below
    the 90 % average, to Hộ tịch, above it). Per field: Hộ tịch 3,60 + 0,60 = 4,20, Đất đai 0,60 + 0,60 = 1,20."""
    blocks = why.change_section_blocks(dossiers, Q2, "STP", Q1, measures=("on_time_rate",))
    assert texts(blocks) == [
        "Tỷ lệ giải quyết đúng hạn và trước hạn tăng 5,40 điểm phần trăm so với quý I năm 2024 (từ 90,00% lên "
        "95,40%), trong đó 4,20 điểm phần trăm do các lĩnh vực giải quyết đúng hạn tốt hơn và 1,20 điểm phần trăm "
        "do cơ cấu hồ sơ chuyển từ lĩnh vực Đất đai sang lĩnh vực Hộ tịch.",
        "Lĩnh vực tác động nhiều nhất: Hộ tịch (làm tăng 4,20 điểm phần trăm; tỷ lệ đúng hạn từ 92,00% lên 96,50%); "
        "Đất đai (làm tăng 1,20 điểm phần trăm; tỷ lệ đúng hạn từ 88,00% lên 91,00%).",
    ]
    table = next(block for block in blocks if isinstance(block, Table))
    assert table.name == "why_on_time_rate_prev" and table.total
    assert table.title == "Tỷ lệ đúng hạn so với quý I năm 2024: đóng góp của từng lĩnh vực"
    assert [column.key for column in table.columns] == ["part", "den_old", "w_old", "r_old", "den_new", "w_new",
                                                        "r_new", "rate_effect", "mix_effect", "total"]
    assert table.columns[1].group == "Quý I năm 2024" and table.columns[4].group == "Quý II năm 2024"
    assert table.rows[0][0] == "Hộ tịch" and table.rows[0][1:7] == pytest.approx([50, 0.5, 0.92, 400, 0.8, 0.965])
    assert table.rows[0][7:] == pytest.approx([3.6, 0.6, 4.2])  # percentage points
    assert table.rows[-1] == pytest.approx(["Tổng", 100, 1.0, 0.9, 500, 1.0, 0.954, 4.2, 1.2, 5.4])
    chart = next(block for block in blocks if isinstance(block, Chart))
    assert chart.png.startswith(b"\x89PNG")
    assert chart.alt.startswith("Đóng góp vào thay đổi tỷ lệ đúng hạn so với quý I năm 2024, theo lĩnh vực")
    assert "Hộ tịch: do tỷ lệ trong lĩnh vực +3,60, do cơ cấu hồ sơ +0,60" in chart.alt


def test_rates_that_cancel_out_and_a_field_appearing(dossiers):
    """Online share, quý I → quý II: 50 % → 50 %. Within: 0,8·(0,5 − 0,4) + 0,2·(0,5 − 0,6) = +0,06; mix:
    (0,8 − 0,5)(0,4 − 0,5) + (0,2 − 0,5)(0,6 − 0,5) = −0,06 — dossiers moved to Hộ tịch, below the average.
    Against quý II 2023 (Hộ tịch 2/10 = 20 %, no Đất đai): +30 points; Hộ tịch 0,8·(0,5 − 0,2) = 0,24 within;
    Đất đai appears: 0,2·(0,5 − 0,2) = 0,06 mix."""
    previous = texts(why.change_section_blocks(dossiers, Q2, "STP", Q1, measures=("online_share",)))
    assert previous[0] == (
        "Tỷ lệ hồ sơ tiếp nhận trực tuyến không đổi so với quý I năm 2024 (50,00%): các lĩnh vực tiếp nhận trực "
        "tuyến nhiều hơn làm tăng 6,00 điểm phần trăm, nhưng cơ cấu hồ sơ chuyển từ lĩnh vực Đất đai sang lĩnh vực "
        "Hộ tịch làm giảm 6,00 điểm phần trăm.")
    assert previous[1].startswith("Lĩnh vực tác động nhiều nhất: Hộ tịch (làm tăng 5,00 điểm phần trăm; tỷ lệ tiếp "
                                  "nhận trực tuyến từ 40,00% lên 50,00%); Đất đai (làm giảm 5,00 điểm phần trăm; "
                                  "tỷ trọng trong hồ sơ tiếp nhận mới từ 50,00% xuống 20,00%")
    year = why.change_section_blocks(dossiers, Q2, "STP", Q2_2023, measures=("on_time_rate", "online_share"),
                                     charts=("on_time_rate", "online_share"))
    said = texts(year)
    assert said[0] == ("Chưa phân tích được nguyên nhân thay đổi tỷ lệ đúng hạn so với cùng kỳ năm 2023: cùng kỳ "
                       "năm 2023 không có hồ sơ đã giải quyết.")
    assert said[1] == (
        "Tỷ lệ hồ sơ tiếp nhận trực tuyến tăng 30,00 điểm phần trăm so với cùng kỳ năm 2023 (từ 20,00% lên 50,00%), "
        "trong đó 24,00 điểm phần trăm do các lĩnh vực tiếp nhận trực tuyến nhiều hơn và 6,00 điểm phần trăm do cơ "
        "cấu hồ sơ chuyển sang lĩnh vực Đất đai.")
    assert "Đất đai (làm tăng 6,00 điểm phần trăm; kỳ so sánh không có hồ sơ tiếp nhận mới, kỳ này tỷ lệ tiếp nhận " \
           "trực tuyến 50,00%)" in said[2]
    tables = [block for block in year if isinstance(block, Table)]
    assert [table.name for table in tables] == ["why_online_share_year"]  # no decomposition: no table
    assert tables[0].rows[1][0] == "Đất đai" and tables[0].rows[1][1:4] == [0, 0.0, None]  # no old rate: "–"
    charts = [block for block in year if isinstance(block, Chart)]
    assert len(charts) == 1  # the online share's; the on-time rate has no decomposition to draw


def test_no_data_in_the_earlier_period_is_one_sentence(dossiers):
    blocks = why.change_section_blocks(dossiers, Q1, "STP", Q1.previous())
    assert texts(blocks) == ["Chưa có dữ liệu hồ sơ của quý IV năm 2023 để phân tích nguyên nhân thay đổi các tỷ lệ."]


def test_unknown_channels_say_why(dossiers):
    frame = pd.DataFrame(ROWS)
    frame.loc[(frame["period"] == "2024-Q1") & (frame["field"] == "Đất đai"), "new_online"] = None
    rows = complete(frame.astype({"new_online": "Int64"}))
    data = DossierData(lambda periods: {p: rows[rows["period"] == p.code].reset_index(drop=True) for p in periods},
                       dossiers.registry)
    said = texts(why.change_section_blocks(data, Q2, "STP", Q1, measures=("online_share",)))
    assert said == ["Chưa phân tích được nguyên nhân thay đổi tỷ lệ tiếp nhận trực tuyến so với quý I năm 2024: dữ "
                    "liệu quý I năm 2024 không ghi nhận đủ hình thức nộp hồ sơ."]


def test_which_units_moved_the_provinces_rate(dossiers):
    """Quý I: Sở Tư pháp 90/100, Sở Y tế 100/100 → 95 %; quý II: 477/500 and 100/100 → 577/600 = 96,17 %.
    Shares (1/2, 1/2) → (5/6, 1/6). Within: 5/6·(0,954 − 0,9) = 4,50 points; mix: 1/3·(0,9 − 0,95) − 1/3·(1 − 0,95)
    = −3,33 points (dossiers moved to Sở Tư pháp, below the average). Sum 1,1667 → stated 1,17 = 4,50 − 3,33."""
    blocks = why.province_change_blocks(dossiers, Q2, Q1, measures=("on_time_rate",))
    assert texts(blocks) == [
        "Tỷ lệ giải quyết đúng hạn và trước hạn toàn tỉnh tăng 1,17 điểm phần trăm so với quý I năm 2024 (từ 95,00% "
        "lên 96,17%): các đơn vị giải quyết đúng hạn tốt hơn làm tăng 4,50 điểm phần trăm, còn cơ cấu hồ sơ chuyển "
        "từ Sở Y tế sang Sở Tư pháp làm giảm 3,33 điểm phần trăm.",
        "Đơn vị tác động nhiều nhất: Sở Tư pháp (làm tăng 2,83 điểm phần trăm; tỷ lệ đúng hạn từ 90,00% lên 95,40%).",
    ]
    table = next(block for block in blocks if isinstance(block, Table))
    assert table.columns[0].label == "Cơ quan, đơn vị"
    assert [r[0] for r in table.rows] == ["Sở Tư pháp", "Sở Y tế", "Tổng"]
    assert table.rows[-1][-1] == pytest.approx((577 / 600 - 0.95) * 100)
    assert "Sở Tư pháp: do tỷ lệ trong đơn vị +4,50" in next(b for b in blocks if isinstance(b, Chart)).alt


def test_sections_compare_with_the_previous_period_and_a_year_earlier(dossiers):
    section = why.change_section(dossiers, Q2, "STP")
    assert section.key == "why" and isinstance(section.blocks[-1], Note)
    assert sum(isinstance(block, Chart) for block in section.blocks) == 1  # the previous period's on-time rate
    assert [b.name for b in section.blocks if isinstance(b, Table)] == ["why_on_time_rate_prev"]  # the charted one
    assert why.comparisons(Period.parse("2024")) == [(Period.parse("2023"), "năm 2023")]
    province = why.province_change_section(dossiers, Q2)
    assert province.title == why.PROVINCE_CHANGE_TITLE and "đơn vị" in province.blocks[-1].text


FIGURES_ROW = {  # as in tests/test_reach.py: tiến độ 379/400, hài lòng 333/370, số hóa 288/360, trực tuyến 170/360
    "department": "STP", "name": "Sở Tư pháp",
    "carried_over": 40, "new": 360, "received": 400, "new_online": 170,
    "resolved": 370, "resolved_early": 300, "resolved_on_time": 50, "resolved_late": 20,
    "pending_in_time": 29, "pending_overdue": 1, "unsatisfied": 17,
    "digitized": 288, "fee_required": 100, "paid_online": 40,
    "progress_score_766": 18.95, "official_cong_khai": 17.5, "official_tien_do": 18.5, "official_so_hoa": 15.0,
    "official_dvc_truc_tuyen": 9.0, "official_thanh_toan": 10.0, "official_hai_long": 16.0, "official_total": 86.0,
}


def test_where_the_points_are_for_a_unit():
    """Official 86/100: 14 lost, most in số hóa (7), DVC (3), hài lòng (2). Tiến độ computed 18,95: 1 more on
    time → 19 points and the 95 % target, 21 more → 20. Số hóa 0,8 → 3,2/4, 72 more for 4. Trực tuyến 170/360:
    10 more online for 50 %. Thanh toán 40/100: 10 more paid online for 50 %. Hài lòng at 90 %: nothing to win."""
    blocks = why.reach_blocks(FIGURES_ROW, None, "Sở")
    said = texts(blocks)
    assert said[0] == ("Sở đạt 86,00/100 điểm Bộ chỉ số 766, còn 14,00 điểm có thể cải thiện; thiếu nhiều nhất ở nhóm "
                       "Số hóa hồ sơ (7,00 điểm), Dịch vụ công trực tuyến (3,00 điểm), Mức độ hài lòng (2,00 điểm).")
    assert said[1] == ("Tỷ lệ hồ sơ xử lý trước hạn, đúng hạn và trong hạn (tính từ dữ liệu hồ sơ): 94,75% → "
                       "18,95/20 điểm; thêm 1 hồ sơ xử lý đúng hạn (trong tổng số 400 hồ sơ) thì đạt 19 điểm và đạt "
                       "mục tiêu 95,00%, thêm 21 hồ sơ thì đạt điểm tối đa 20 điểm.")
    assert said[2] == ("Tỷ lệ hồ sơ được số hóa (tính từ dữ liệu hồ sơ): 80,00% → 3,20/4 điểm; thêm 72 hồ sơ được số "
                       "hóa (trong tổng số 360 hồ sơ) thì đạt điểm tối đa 4 điểm.")
    assert any(s.startswith("Tỷ lệ hồ sơ tiếp nhận trực tuyến (tính từ dữ liệu hồ sơ): 47,22%; thêm 10 hồ sơ tiếp "
                            "nhận trực tuyến") for s in said)
    assert any(s.startswith("Tỷ lệ thanh toán trực tuyến (tính từ dữ liệu hồ sơ): 40,00%; thêm 10 hồ sơ") for s in said)
    assert not any("hài lòng trong tiếp nhận" in s for s in said)  # at full points
    groups, reach = [block for block in blocks if isinstance(block, Table)]
    assert groups.rows[0] == ["Số hóa hồ sơ", 22.0, 15.0, "Công bố", 7.0]
    assert reach.rows[0][:7] == pytest.approx(["Tỷ lệ hồ sơ xử lý trước hạn, đúng hạn và trong hạn", 0.9475, 18.95,
                                               20.0, 1.05, 0.95, 1])
    assert reach.rows[0][7:] == [19.0, 1, 21]


def test_where_the_points_are_across_units():
    frame = pd.DataFrame([
        {**FIGURES_ROW},
        {**FIGURES_ROW, "department": "SYT", "name": "Sở Y tế", "official_so_hoa": 21.0, "official_total": 92.0,
         "pending_in_time": 10, "pending_overdue": 20},  # tiến độ 360/400: 20 more for 95 %
        {"department": "TOAN_TINH", "name": "Toàn tỉnh", "official_total": 89.0},
    ])
    blocks = why.province_reach_blocks(frame)
    said = texts(blocks)
    assert said[0].startswith("Bình quân mỗi cơ quan, đơn vị có đủ điểm công bố còn thiếu 11,00 điểm Bộ chỉ số 766; "
                              "các nhóm thiếu nhiều nhất (bình quân): Số hóa hồ sơ (4,00 điểm)")
    assert said[1] == ("Các cơ quan, đơn vị còn nhiều điểm có thể cải thiện nhất (theo tổng điểm): Sở Tư pháp (14,00 "
                       "điểm, nhiều nhất ở nhóm Số hóa hồ sơ); Sở Y tế (8,00 điểm, nhiều nhất ở nhóm Dịch vụ công trực "
                       "tuyến).")
    assert said[2] == ("Để mọi cơ quan, đơn vị đạt mục tiêu tiến độ giải quyết 95,00%, cần thêm tổng cộng 21 hồ sơ xử "
                       "lý đúng hạn ở 2 đơn vị; nhiều nhất: Sở Y tế 20, Sở Tư pháp 1.")
    table = next(block for block in blocks if isinstance(block, Table))
    assert [r[:3] for r in table.rows] == [[1, "Sở Tư pháp", 14.0], [2, "Sở Y tế", 8.0]]
    assert table.rows[0][-2:] == [1, 1]  # 18,95 points → 19 and 95 % need 380: 1 more
    assert table.rows[1][-2:] == [20, 20]  # 360/400: 18 points → 19 and 95 % need 380: 20 more


def test_no_official_score_and_no_counts():
    assert texts(why.province_reach_blocks(pd.DataFrame([{"department": "X", "name": "X"}]))) == [
        "Chưa có điểm Bộ chỉ số 766 nào của các cơ quan, đơn vị để xác định điểm có thể cải thiện."]
    said = texts(why.reach_blocks({"official_cong_khai": 12.0}, None, "Sở Y tế"))
    assert said == ["Theo điểm đã có, Sở Y tế còn thiếu nhiều điểm nhất ở nhóm Công khai, minh bạch (6,00 điểm)."]


def test_word_and_excel_carry_the_figures(dossiers, tmp_path):
    """Every block survives the document's JSON, and both Word and Excel write the tables' figures."""
    from openpyxl import load_workbook

    from parreport.render.docx import build_docx
    from parreport.render.xlsx import build_xlsx

    sections = [why.change_section(dossiers, Q2, "STP"), why.reach_section(FIGURES_ROW, None, "Sở"),
                why.province_change_section(dossiers, Q2)]
    cover = Cover("Tỉnh Thử Nghiệm", "Sở Tư pháp", "Báo cáo", "Quý II năm 2024", "01/07/2024", "01/04/2024–30/06/2024")
    document = Document("briefing", cover, sections)
    again = Document.from_json(json.loads(json.dumps(document.to_json())))
    assert [s.blocks for s in again.sections] == [s.blocks for s in document.sections]
    book = load_workbook(build_xlsx(document, tmp_path / "why.xlsx"))
    values = {str(cell.value) for sheet in book for line in sheet.iter_rows() for cell in line
              if cell.value is not None}
    assert {"Hộ tịch", "Đất đai", "Sở Y tế", "Số hóa hồ sơ"} <= values
    assert any(abs(float(v) - 4.2) < 1e-9 for v in values if v.replace(".", "", 1).isdigit())
    word = build_docx(document)
    cells = {cell.text for table in word.tables for line in table.rows for cell in line.cells}
    assert {"Hộ tịch", "4,20", "1,20", "5,40", "95,40%"} <= cells
    assert any("4,20 điểm phần trăm do các lĩnh vực" in p.text for p in word.paragraphs)


def test_a_table_of_many_parts_lists_the_largest_and_sums_the_rest():
    """20 units, each 10 dossiers resolved in both quarters, all on time in quý I. In quý II U01 has none on time
    (contribution 10/200 × (0 − 1) = −5,00 points, listed first), U02…U20 9 of 10 (each −0,50 point). The table
    lists 15 units (U01 and the first 14 of the ties, in order), then "Các đơn vị khác (5)": 50 dossiers in each
    quarter (25 % of 200), rate 50/50 = 100 % then 45/50 = 90 %, −2,50 points within units, no mix; then Tổng:
    rate 100 % → (0 + 19 × 9)/200 = 85,50 %, −14,50 points."""
    from parreport.metrics.decompose import decompose_measure

    units = [f"U{n:02d}" for n in range(1, 21)]
    old = complete(pd.DataFrame([row("2024-Q1", unit, "Hộ tịch", 10) for unit in units]))
    new = complete(pd.DataFrame([row("2024-Q2", unit, "Hộ tịch", 0 if unit == "U01" else 9,
                                     10 if unit == "U01" else 1) for unit in units]))
    dec = decompose_measure(old, new, "on_time_rate", "department")
    table = why.change_table(dec, "on_time_rate", "quý I năm 2024", Q1, Q2, why.UNITS)
    assert len(table.rows) == 15 + 2 and table.rows[0][0] == "U01" and table.rows[0][-1] == pytest.approx(-5.0)
    others = table.rows[15]
    assert others[0] == "Các đơn vị khác (5)"
    assert others[1:] == pytest.approx([50, 0.25, 1.0, 50, 0.25, 0.9, -2.5, 0.0, -2.5])
    assert table.rows[-1][0] == "Tổng" and table.rows[-1][6] == pytest.approx(171 / 200)
    assert table.rows[-1][-1] == pytest.approx(-14.5)
    assert "Bảng nêu 15 đơn vị đóng góp nhiều nhất; 5 đơn vị khác được cộng chung một dòng." in table.note
