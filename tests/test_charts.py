"""Charts: Vietnamese number formatting on axes and labels, empty-data messages, Vietnamese alternative
texts, deterministic RGB PNG images at print resolution."""
from __future__ import annotations

import pandas as pd
from matplotlib.text import Text

from parreport.reports import charts

FIELDS = pd.DataFrame({"field": ["Đất đai", "Môi trường", "Khoáng sản"],
                       "resolved_early": [1000, 300, 0], "resolved_on_time": [200, 50, 0],
                       "resolved_late": [12, 0, 0], "pending_overdue": [3, 0, 0]})


def texts(chart: charts.Chart) -> list[str]:
    """Every text drawn on the figure: titles, labels, annotations, tick labels, legend entries."""
    figure = chart.figure
    figure.canvas.draw()
    found = [t.get_text() for t in figure.findobj(lambda a: hasattr(a, "get_text"))]
    return [t for t in found if t]


def test_resolved_by_field_stacks_and_labels_totals_the_vietnamese_way():
    chart = charts.resolved_by_field(FIELDS)
    drawn = texts(chart)
    assert "Hồ sơ đã giải quyết theo lĩnh vực" in drawn
    assert " 1.212" in drawn and " 350" in drawn        # 1000 + 200 + 12 and 300 + 50
    assert "Khoáng sản" not in drawn                      # a field with nothing resolved is left out
    assert {"Trước hạn", "Đúng hạn", "Quá hạn"} <= set(drawn)
    assert chart.figure.axes[0].xaxis.get_major_formatter()(1200, 0) == "1.200"


def test_overdue_by_field_and_its_empty_case():
    assert " 15" in texts(charts.overdue_by_field(FIELDS))   # Đất đai: 12 late + 3 pending overdue
    calm = FIELDS.assign(resolved_late=0, pending_overdue=0)
    assert "Không có hồ sơ quá hạn trong kỳ" in texts(charts.overdue_by_field(calm))


def test_channel_mix_shares():
    frame = pd.DataFrame({"channel_label": ["Trực tuyến", "Trực tiếp", "Bưu chính công ích"],
                          "count": [1200, 750, 50]})
    drawn = texts(charts.channel_mix(frame))
    # 1200/2000 = 60 %, 750/2000 = 37,5 %, 50/2000 = 2,5 % (too narrow for a label inside its bar)
    assert "Trực tuyến: 1.200 (60,0%)" in drawn and "Bưu chính công ích: 50 (2,5%)" in drawn
    assert "60,0%" in drawn and "37,5%" in drawn and "2,5%" not in drawn


def test_ontime_trend_labels_last_value_and_handles_no_data():
    frame = pd.DataFrame({"period_label": ["Q1/2024", "Q2/2024"], "unit": [0.95, 0.9958],
                          "province": [0.97, 0.98]})
    drawn = texts(charts.ontime_trend(frame, "Sở TN&MT"))
    assert "99,58%" in drawn and "Q2/2024" in drawn and "Toàn tỉnh" in drawn and "Sở TN&MT" in drawn
    empty = frame.assign(unit=pd.NA)
    assert "Chưa có hồ sơ được giải quyết trong các kỳ này" in texts(charts.ontime_trend(empty, "X"))


def test_png_is_deterministic_at_print_resolution_with_a_vietnamese_alt_text():
    first, second = charts.resolved_by_field(FIELDS), charts.resolved_by_field(FIELDS)
    assert first.png == second.png and first.png.startswith(b"\x89PNG")
    assert 6.5 < first.width_in < 7.5                                # about the A4 text width, at 200 dpi
    # RGB, no alpha channel: bytes 24-25 of the header (IHDR) are bit depth 8 and colour type 2 (truecolour);
    # an alpha channel (type 6) would make WeasyPrint write a second image into the PDF.
    assert first.png[24:26] == bytes([8, 2])
    assert first.alt == ("Hồ sơ đã giải quyết theo lĩnh vực (trước hạn, đúng hạn, quá hạn): "
                         "Đất đai 1.212; Môi trường 350.")
    assert 'alt="Hồ sơ đã giải quyết theo lĩnh vực' in first.html()


def test_trend_legend_never_covers_a_line():
    """STNMT's 766 totals in the demo start near the bottom of the axis, where the legend used to sit."""
    low_start = pd.DataFrame({"period_label": ["Q1/2023", "Q2/2023", "Q3/2023", "Q4/2024"],
                              "unit": pd.array([75.0, 75.5, 76.0, 82.4], dtype="Float64"),
                              "province": pd.array([82.0, 82.5, 82.4, 88.7], dtype="Float64")})
    chart = charts.score_trend(low_start, "Sở TN&MT", 100)
    renderer = chart.figure._get_renderer()
    legend = chart.figure.legends[0].get_window_extent(renderer)
    for line in chart.figure.axes[0].lines:
        for x, y in line.get_transform().transform(line.get_xydata()):
            assert not legend.contains(x, y)
    assert legend.y1 < chart.figure.axes[0].get_window_extent(renderer).y0   # below the axes


def test_overdue_legend_never_covers_a_bar():
    """One field holding every overdue dossier (SCT 2024-Q4 in the demo) made the legend lie on its bar."""
    one = FIELDS.assign(resolved_late=[0, 0, 40], pending_overdue=[0, 0, 2])
    chart = charts.overdue_by_field(one)
    renderer = chart.figure._get_renderer()
    legend = chart.figure.legends[0].get_window_extent(renderer)
    for bar in chart.figure.axes[0].patches:
        assert not legend.overlaps(bar.get_window_extent(renderer))


def test_heat_map_title_stands_above_its_column_headers():
    """The overview's heat map has its column headers on top, two lines each, where the title (at a fixed
    height above the axes in the house style) lay on them."""
    columns = {"on_time_rate": "Đúng hạn và trước hạn", "online_share": "Tiếp nhận trực tuyến",
               "sipas": "Chỉ số SIPAS"}
    frame = pd.DataFrame({"label": ["Sở TN&MT", "Sở Tư pháp", "Sở Xây dựng"], "on_time_rate": [0.98, 0.99, 1.0],
                          "online_share": [0.49, 0.81, None], "sipas": [0.9, 0.85, 0.88]})
    title = "Các chỉ tiêu theo đơn vị, quý IV năm 2024"
    chart = charts.heat_map(frame, columns, title)
    renderer = chart.figure._get_renderer()
    [drawn] = chart.figure.findobj(lambda artist: isinstance(artist, Text) and artist.get_text() == title)
    headers = [label.get_window_extent(renderer) for label in chart.figure.axes[0].get_xticklabels()]
    assert headers and drawn.get_window_extent(renderer).y0 > max(header.y1 for header in headers)
