"""The content model: a report built once as data survives its JSON form unchanged, and a grouped table
header spans the right cells."""
from __future__ import annotations

import json

from parreport.reports.content import (Chart, Column, Cover, Document, Kpi, Kpis, Note, Paragraphs, Points,
                                       Section, Table)

COLUMNS = [Column("field", "Lĩnh vực", "text"),
           Column("carried_over", "Kỳ trước chuyển qua", group="Số hồ sơ tiếp nhận"),
           Column("received", "Tổng số", group="Số hồ sơ tiếp nhận"),
           Column("resolved_late", "Quá hạn", group="Đã giải quyết"),
           Column("on_time_rate", "Tỷ lệ đúng hạn", "percent", ratio=(("a", "b"), ("a", "b", "c")))]


def document() -> Document:
    table = Table("bieu06", "", COLUMNS, [["Đất đai", 15, 1926, 0, 1.0], ["Tổng", 15, 1926, None, None]],
                  total=True, note="Biểu số 06")
    sections = [
        Section("highlights", "Kết quả nổi bật", [Kpis([Kpi("1.926", "Hồ sơ tiếp nhận", "tăng 5 hồ sơ")]),
                                                  Paragraphs(["Trong quý I năm 2020, Sở tiếp nhận 1.926 hồ sơ."])]),
        Section("fields", "Theo lĩnh vực", [table, Chart("Biểu đồ", "Mô tả biểu đồ", b"\x89PNG-bytes", 6.9)]),
        Section("attention", "Những điểm cần lưu ý", [Points([]), Note("Cách tính")]),
    ]
    cover = Cover("Tỉnh Thử Nghiệm", "Sở Tài nguyên và Môi trường", "Báo cáo", "Quý I năm 2020", "01/04/2020",
                  "01/01/2020–31/03/2020", sample_data=True)
    return Document("briefing", cover, sections, {"received": 1926})


def test_json_round_trip_keeps_every_block():
    original = document()
    copy = Document.from_json(json.loads(json.dumps(original.to_json())))
    assert copy == original
    assert [s.number for s in copy.sections] == [1, 2, 3]                  # numbered in order


def test_sections_render_numbered_with_dashes_for_missing_figures():
    html = document().section("fields").html()
    assert "<h2>2. Theo lĩnh vực</h2>" in html
    assert '<tr class="pr-total">' in html and "–" in html                # None is "–", never 0
    assert "100,00%" in html and "1.926" in html
    assert 'alt="Mô tả biểu đồ"' in html
    assert document().section("par_index") is None


def test_grouped_header_rows_span_their_columns():
    top, bottom = Table("t", "", COLUMNS, []).header_rows()
    assert top == [("Lĩnh vực", 1, 2), ("Số hồ sơ tiếp nhận", 2, 1), ("Đã giải quyết", 1, 1),
                   ("Tỷ lệ đúng hạn", 1, 2)]
    assert bottom == [("Kỳ trước chuyển qua", 1, 1), ("Tổng số", 1, 1), ("Quá hạn", 1, 1)]


def test_cover_of_sample_data_says_so():
    assert "Dữ liệu mẫu" in document().cover.html()
