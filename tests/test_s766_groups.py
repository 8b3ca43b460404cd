"""A unit's 766 figures are compared with the average of its own registry group (sở, ban, ngành or xã, phường,
which the national dashboard scores apart), the province section states each group's average, its list of
disagreements stops at ten, and the index lists units in registry order. Every figure is worked out by hand.

Registry (registry order): S1 "Sở Xây dựng", S2 "Sở Y tế" (group ``so_nganh``); XD "Xã Đông Hòa", XX "Xã Xuân
Lộc", XB "Xã Bình An" (group ``cap_xa``). Official 766 totals (each group score = its maximum × total / 100):

    quarter   S1     S2     XD     XX     XB     sở average           xã average                all units
    2025-Q3   81     91     60     65     70     (81+91)/2 = 86,00    (60+65+70)/3 = 65,00      367/5 = 73,40
    2025-Q4   80     90     70     75     77     (80+90)/2 = 85,00    (70+75+77)/3 = 74,00      392/5 = 78,40

XD in 2025-Q4: 70,00, rank 3/3 among the xã, phường (XB 77, XX 75, XD 70); against its group's 74,00, never
the all-unit 78,40.
"""
from __future__ import annotations

import re

import pandas as pd
import pytest

from parreport.batch.index import vietnamese_key, write_index, write_manifest
from parreport.batch.results import JobResult
from parreport.catalogue import DEFAULT_TARGETS, GROUPS, TOTAL_MAX
from parreport.metrics import DossierData, scorecard
from parreport.metrics.definitions import PROVINCE
from parreport.metrics.s766 import official_history, scorecard_766
from parreport.periods import Period
from parreport.registry import Department, Registry
from parreport.reports.content import Chart, Kpis, Points, Table
from parreport.reports.s766 import MAX_FLAGS, Figures766, flag_points, province_section, unit_section
from tests.conftest import records_frame

Q3_2025, Q4_2025 = Period.parse("2025-Q3"), Period.parse("2025-Q4")
UNITS = [Department("S1", "Sở Xây dựng", "Sở Xây dựng", "so_nganh", ("Xây dựng",)),
         Department("S2", "Sở Y tế", "Sở Y tế", "so_nganh", ("Khám chữa bệnh",)),
         Department("XD", "Xã Đông Hòa", "Xã Đông Hòa", "cap_xa", ("Hộ tịch",)),
         Department("XX", "Xã Xuân Lộc", "Xã Xuân Lộc", "cap_xa", ("Hộ tịch",)),
         Department("XB", "Xã Bình An", "Xã Bình An", "cap_xa", ("Hộ tịch",))]
TOTALS = {"2025-Q3": {"S1": 81, "S2": 91, "XD": 60, "XX": 65, "XB": 70},
          "2025-Q4": {"S1": 80, "S2": 90, "XD": 70, "XX": 75, "XB": 77}}


@pytest.fixture(scope="module")
def registry() -> Registry:
    return Registry("Tỉnh Thử Nghiệm", {unit.code: unit for unit in UNITS})


def scores_766() -> pd.DataFrame:
    rows = [(period, unit, key, None, group.max_score * total / 100)
            for period, units in TOTALS.items() for unit, total in units.items() for key, group in GROUPS.items()]
    frame = pd.DataFrame(rows, columns=["period", "department", "group", "indicator", "score"])
    frame["indicator"] = frame["indicator"].astype("string")
    frame["score"] = frame["score"].astype("Float64")
    return frame


def figures(registry, period: Period = Q4_2025) -> Figures766:
    records = records_frame([{"department": "XD", "field": "Hộ tịch", "received_at": "2025-10-06",
                              "due_at": "2025-10-20", "completed_at": "2025-10-10"}])
    data = DossierData.from_frames(records, pd.DataFrame(columns=["department", "period", "field"]), registry)
    card = scorecard(data, period)
    return Figures766(period, scorecard_766(card, scores_766(), period), scores_766())


def kpis(section) -> dict[str, str]:
    return {kpi.label: kpi.value for block in section.blocks if isinstance(block, Kpis) for kpi in block.items}


def shown(section) -> str:
    """Every text, KPI, table cell and chart description of a section, as one string."""
    parts = []
    for block in section.blocks:
        parts += getattr(block, "texts", []) + getattr(block, "items", []) * isinstance(block, Points)
        if isinstance(block, Kpis):
            parts += [f"{kpi.value} {kpi.label} {kpi.change}" for kpi in block.items]
        if isinstance(block, Table):
            parts += [column.label for column in block.columns] + [block.note or ""]
            parts += [str(cell) for row in block.rows for cell in row]
        parts.append(getattr(block, "alt", ""))
    return "\n".join(parts)


# --- a unit's section: its own group's average ---------------------------------------------------------------
def test_a_communes_section_states_the_average_of_the_xa_phuong(registry):
    """XD: 70,00, 3/3 in the xã, phường; their average (70 + 75 + 77)/3 = 74,00, not all units' 78,40."""
    section = unit_section(figures(registry), "XD", "Xã Đông Hòa", DEFAULT_TARGETS, registry=registry)
    assert kpis(section) == {"Tổng điểm công bố": "70,00/100 điểm",
                             "Xếp hạng tổng điểm trong các xã, phường": "3/3",
                             "Trung bình các xã, phường": "74,00/100 điểm"}
    [groups] = [block for block in section.blocks if isinstance(block, Table) and block.name == "s766_groups"]
    assert [column.label for column in groups.columns][3] == "Trung bình các xã, phường"
    assert groups.rows[-1][:4] == ["Tổng", TOTAL_MAX, pytest.approx(70), pytest.approx(74)]
    # công khai: 18 × (70 + 75 + 77)/100/3 = 13,32
    assert groups.rows[0][3] == pytest.approx(13.32)
    assert "Trung bình các xã, phường: bình quân các xã, phường có điểm." in groups.note
    [trend] = [block for block in section.blocks if isinstance(block, Chart)]
    assert [text.get_text() for text in trend.figure.legends[0].get_texts()] == ["Trung bình các xã, phường",
                                                                                  "Xã Đông Hòa"]
    assert "so với trung bình các xã, phường" in trend.alt and "trung bình các xã, phường 74,00/100 điểm" in trend.alt
    everything = shown(section)
    assert "78,40" not in everything and "trung bình toàn tỉnh" not in everything.lower()


def test_a_departments_section_states_the_average_of_the_so_ban_nganh(registry):
    """S1: 80,00, 2/2 in the sở, ban, ngành (S2 90); their average (80 + 90)/2 = 85,00."""
    section = unit_section(figures(registry), "S1", "Sở Xây dựng", DEFAULT_TARGETS, dossiers=False,
                           registry=registry)
    assert kpis(section) == {"Tổng điểm công bố": "80,00/100 điểm",
                             "Xếp hạng tổng điểm trong các sở, ban, ngành": "2/2",
                             "Trung bình các sở, ban, ngành": "85,00/100 điểm"}


def test_without_the_registry_the_average_stays_the_provinces(registry):
    """Older call sites pass no registry: the average of every unit, 78,40, labelled as before."""
    section = unit_section(figures(registry), "XD", "Xã Đông Hòa", DEFAULT_TARGETS)
    assert kpis(section)["Trung bình toàn tỉnh"] == "78,40/100 điểm"


def test_the_history_averages_the_units_of_the_units_group(registry):
    """2025-Q3: xã (60 + 65 + 70)/3 = 65,00, sở (81 + 91)/2 = 86,00, all 367/5 = 73,40; 2025-Q4: 74,00, 85,00,
    78,40. Without the registry, or for the province, every unit."""
    xa = official_history(scores_766(), Q4_2025, "XD", count=2, registry=registry).set_index("period")
    assert list(xa["province"]) == [pytest.approx(65), pytest.approx(74)]
    assert (xa.loc["2025-Q4", "unit"], xa.loc["2025-Q4", "unit_rank"], xa.loc["2025-Q4", "unit_rank_of"]) == (
        pytest.approx(70), 3, 3)
    so = official_history(scores_766(), Q4_2025, "S2", count=2, registry=registry)
    assert list(so["province"]) == [pytest.approx(86), pytest.approx(85)]
    for history in (official_history(scores_766(), Q4_2025, "XD", count=2),
                    official_history(scores_766(), Q4_2025, PROVINCE, count=2, registry=registry)):
        assert list(history["province"]) == [pytest.approx(73.4), pytest.approx(78.4)]


# --- the province's section ------------------------------------------------------------------------------------
def test_the_province_section_states_each_groups_average(registry):
    section = province_section(figures(registry))
    [row] = [block for block in section.blocks if isinstance(block, Kpis)]
    assert [(kpi.label, kpi.value, kpi.change) for kpi in row.items] == [
        ("Tổng điểm trung bình toàn tỉnh", "78,40/100 điểm", "5/5 cơ quan, đơn vị có đủ điểm công bố"),
        ("Trung bình các sở, ban, ngành", "85,00/100 điểm", "2/2 đơn vị có đủ điểm công bố"),
        ("Trung bình các xã, phường", "74,00/100 điểm", "3/3 đơn vị có đủ điểm công bố")]


def test_a_year_without_its_own_scores_names_each_groups_average_of_its_last_quarter(registry):
    section = province_section(figures(registry, Period.parse("2025")))
    assert section.blocks[0].texts[0].startswith(
        "Chưa có điểm công bố của Bộ chỉ số 766 năm 2025 trong dữ liệu đã nhập từ Cổng Dịch vụ công quốc gia; trong "
        "năm 2025 có điểm công bố theo quý, gần nhất là quý IV năm 2025: trung bình toàn tỉnh 78,40/100 điểm "
        "(trung bình các sở, ban, ngành 85,00/100 điểm; các xã, phường 74,00/100 điểm).")


def flagged_checks(count: int) -> pd.DataFrame:
    """``count`` disagreements of tiến độ: unit i computed 18,00, official 18,00 + 0,10 × i (i = 1 … count)."""
    rows = [{"period": "2025-Q4", "department": f"X{i:02d}", "name": f"Xã Số {i:02d}", "indicator": "progress_766",
             "label": "Tỷ lệ hồ sơ xử lý trước hạn, đúng hạn và trong hạn", "ratio": 0.9, "computed": 18.0,
             "official": round(18 + 0.1 * i, 2), "max_score": 20.0, "difference": round(0.1 * i, 2),
             "flagged": True, "cause": "nguyên nhân"} for i in range(1, count + 1)]
    return pd.DataFrame(rows)


def test_the_province_lists_at_most_ten_disagreements_the_largest_first(registry):
    """12 disagreements of 0,10 … 1,20 points: the 10 largest (1,20 … 0,30), then one sentence for the 2 others."""
    points = flag_points(flagged_checks(12), 0.05)
    assert MAX_FLAGS == 10 and len(points) == 11
    assert [point.split(" — ")[0] for point in points[:10]] == [f"Xã Số {i:02d}" for i in range(12, 2, -1)]
    assert "(chênh 1,20 điểm, vượt ngưỡng 0,05 điểm)" in points[0]
    assert points[-1] == "Còn 2 chênh lệch khác; danh sách đầy đủ: lệnh parreport check-766."
    assert len(flag_points(flagged_checks(10), 0.05)) == 10                  # ten: no closing sentence
    # Through the section (its cross-check replaced by the 12 disagreements).
    section_figures = figures(registry)
    section_figures._checks = flagged_checks(12)
    [listed] = [block for block in province_section(section_figures).blocks if isinstance(block, Points)]
    assert listed.items == points


# --- the index ------------------------------------------------------------------------------------------------
def test_the_index_lists_units_in_registry_order(registry, tmp_path):
    """The registry lists Xã Đông Hòa before Xã Xuân Lộc and Xã Bình An: so does the index (by name, "Đ" would
    have come after "X")."""
    results = [JobResult("briefing", code, "2025-Q4", "briefing", "ok", {},
                         outputs={"html": f"2025-Q4/{code}/briefing.html"}, headline={}, headline_columns=[])
               for code in ("XB", "XX", "S2", "XD", "S1")]
    manifest = write_manifest(tmp_path, results, {"path": "x.duckdb", "fingerprint": "abc"}, {})
    index = write_index(tmp_path, manifest, registry).read_text(encoding="utf-8")
    names = re.findall(r"<td>((?:Sở|Xã) [^<]+)</td>", index)
    assert names == ["Sở Xây dựng", "Sở Y tế", "Xã Đông Hòa", "Xã Xuân Lộc", "Xã Bình An"]


def test_vietnamese_alphabetical_order():
    """Without registry order: "Đ" after "D", "Ư" after "U", tones after the letters."""
    names = ["Xã Xuân Lộc", "Xã Đông Hòa", "Xã Dương Hòa", "Xã Bình An", "Xã Ưng Hòa", "Xã Uy Nỗ", "Xã Á", "Xã A"]
    assert sorted(names, key=vietnamese_key) == ["Xã A", "Xã Á", "Xã Bình An", "Xã Dương Hòa", "Xã Đông Hòa",
                                                 "Xã Uy Nỗ", "Xã Ưng Hòa", "Xã Xuân Lộc"]
