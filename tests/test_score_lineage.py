"""Scores across mergers and renames (issue 29): PAR Index, SIPAS and official 766 scores are never summed nor
averaged over predecessors; the years (quarters) before a merger show each predecessor's own score side by side,
and a rename keeps one series (docs/data.md §2.5, "Scores across mergers and renames"). Every expected figure
below is worked out by hand.

Registry (all group so_nganh, registry order as listed):

- A "Sở TN&MT" and B "Sở NN&PTNT" end on 28/02/2025 and merge into C "Sở NN&MT" (from 01/03/2025): a merger
  (two predecessors);
- R1 "Sở VH" ends on 31/12/2024, successor R2 "Sở VH&TT" (from 01/01/2025): a rename (R2's only predecessor,
  and R2 did not exist before R1 ended);
- K "Sở KH&ĐT" ends on 28/02/2025 and merges into T "Sở Tài chính", which existed before and keeps its code:
  not a rename (T existed before), so K is a series of its own beside T's;
- S "Sở Tư pháp" exists throughout.

Official 766 totals (six groups: công khai 18, tiến độ 20, số hóa 22 − d, DVC trực tuyến 12, thanh toán 10, hài
lòng 18, d = 100 − total):

    quarter   A      B      C      R1     R2     K      T      S
    2024-Q1   80,00  86,00         90,00                79,00  85,00
    2024-Q2   82,44  88,10         91,00         (78,50) 80,00  85,00
    2024-Q3   83,00  87,00         92,00                80,50  85,00
    2024-Q4   84,00  89,00         93,00                81,00  85,00
    2025-Q1                 85,00         94,00  70,00  82,00  85,00   (K not reported in Q1: T reports it)
    2025-Q2                 86,50         95,50         83,00  85,00

Ranks 2024-Q1, Q2 and Q4 among the 5 reported units (K's 2024-Q2 only in the last test): R1 1st, B 2nd, S 85,00
3rd, A 4th, T 5th → A 4/5, B 2/5. 2025-Q2 among C, R2, T, S: R2 1/4, C 2/4, S 3/4, T 4/4.
A sum of A and B in 2024-Q2 would be 170,54 and their average 85,27: neither may appear anywhere.

PAR Index (areas X max 10 and Y max 20, total out of 30, the same percentage in both areas):

    year  unit  total  %      rank      SIPAS
    2024  A     24     80 %   3/6       82,0 %
    2024  B     27     90 %   1/6       88,0 %
    2024  R1    21     70 %   5/6       80,0 %
    2024  K     19,5   65 %   6/6       79,0 %
    2024  T     22,5   75 %   4/6       81,0 %
    2024  S     25,2   84 %   2/6       84,5 %
    2025  C     26,1   87 %   1/4       86,0 %
    2025  R2    24     80 %   3/4       83,5 %
    2025  T     23,4   78 %   4/4       82,0 %
    2025  S     25,2   84 %   2/4       86,0 %

A sum of A and B in 2024 would be 51/60 and their average 85 % (SIPAS 85 %): never shown.
"""
from __future__ import annotations

import re
from datetime import date

import pandas as pd
import pytest

from parreport.catalogue import DEFAULT_TARGETS, TOTAL_MAX
from parreport.metrics import DossierData, scorecard
from parreport.metrics.par_index import ParData, own_series, renamed_from, score_series, sipas, totals
from parreport.metrics.s766 import before_columns, official_history, scorecard_766
from parreport.periods import Period
from parreport.registry import Department, Registry
from parreport.reports import charts
from parreport.reports.content import Kpis, Paragraphs, Table
from parreport.reports.par import par_section
from parreport.reports.s766 import Figures766, comparison_sentences, unit_section
from tests.conftest import records_frame

Q1_2025, Q2_2025 = Period.parse("2025-Q1"), Period.parse("2025-Q2")
GROUPS = ("cong_khai", "tien_do", "so_hoa", "dvc_truc_tuyen", "thanh_toan", "hai_long")


def _unit(code, name, short, valid_from=None, valid_to=None, successor=None) -> Department:
    return Department(code, name, short, "so_nganh", ("Khác",), valid_from=valid_from, valid_to=valid_to,
                      successor=successor)


MERGED = date(2025, 2, 28)
UNITS = [
    _unit("A", "Sở Tài nguyên và Môi trường", "Sở TN&MT", valid_to=MERGED, successor="C"),
    _unit("B", "Sở Nông nghiệp và Phát triển nông thôn", "Sở NN&PTNT", valid_to=MERGED, successor="C"),
    _unit("C", "Sở Nông nghiệp và Môi trường", "Sở NN&MT", valid_from=date(2025, 3, 1)),
    _unit("R1", "Sở Văn hóa", "Sở VH", valid_to=date(2024, 12, 31), successor="R2"),
    _unit("R2", "Sở Văn hóa và Thể thao", "Sở VH&TT", valid_from=date(2025, 1, 1)),
    _unit("K", "Sở Kế hoạch và Đầu tư", "Sở KH&ĐT", valid_to=MERGED, successor="T"),
    _unit("T", "Sở Tài chính", "Sở Tài chính"),
    _unit("S", "Sở Tư pháp", "Sở Tư pháp"),
]
TOTALS_766 = {
    "2024-Q1": {"A": 80, "B": 86, "R1": 90, "T": 79, "S": 85},
    "2024-Q2": {"A": 82.44, "B": 88.10, "R1": 91, "T": 80, "S": 85},
    "2024-Q3": {"A": 83, "B": 87, "R1": 92, "T": 80.5, "S": 85},
    "2024-Q4": {"A": 84, "B": 89, "R1": 93, "T": 81, "S": 85},
    "2025-Q1": {"C": 85, "R2": 94, "K": 70, "T": 82, "S": 85},
    "2025-Q2": {"C": 86.5, "R2": 95.5, "T": 83, "S": 85},
}
PAR = {2024: {"A": 24, "B": 27, "R1": 21, "K": 19.5, "T": 22.5, "S": 25.2},
       2025: {"C": 26.1, "R2": 24, "T": 23.4, "S": 25.2}}
SIPAS = {2024: {"A": 82, "B": 88, "R1": 80, "K": 79, "T": 81, "S": 84.5},
         2025: {"C": 86, "R2": 83.5, "T": 82, "S": 86}}
NEVER = ("170,54", "85,27", "51,00", "85,00%")  # sums and averages of the predecessors


@pytest.fixture(scope="module")
def registry() -> Registry:
    return Registry("Tỉnh Thử Nghiệm", {unit.code: unit for unit in UNITS})


def scores_766(extra: dict | None = None) -> pd.DataFrame:
    totals_766 = {period: {**units, **(extra or {}).get(period, {})} for period, units in TOTALS_766.items()}
    rows = [(period, unit, group, None, score)
            for period, units in totals_766.items() for unit, total in units.items()
            for group, score in zip(GROUPS, (18, 20, round(22 - (100 - total), 2), 12, 10, 18))]
    frame = pd.DataFrame(rows, columns=["period", "department", "group", "indicator", "score"])
    frame["indicator"] = frame["indicator"].astype("string")
    frame["score"] = frame["score"].astype("Float64")
    return frame


def par_data(registry) -> ParData:
    rows = [{"year": year, "department": unit, "area": area, "score": round(total * share, 2), "max_score": maximum}
            for year, units in PAR.items() for unit, total in units.items()
            for area, share, maximum in (("X", 1 / 3, 10.0), ("Y", 2 / 3, 20.0))]
    scores = pd.DataFrame(rows).astype({"year": "Int64", "score": "Float64", "max_score": "Float64"})
    sipas_rows = pd.DataFrame([{"year": year, "department": unit, "satisfaction_pct": pct, "factor": None}
                               for year, units in SIPAS.items() for unit, pct in units.items()])
    sipas_rows = sipas_rows.astype({"year": "Int64", "satisfaction_pct": "Float64"})
    return ParData(scores, sipas_rows, registry)


def figures(registry, period: Period) -> Figures766:
    records = records_frame([{"department": "S", "field": "Khác", "received_at": "2025-04-07",
                              "due_at": "2025-04-17", "completed_at": "2025-04-10"}])
    data = DossierData.from_frames(records, pd.DataFrame(columns=["department", "period", "field"]), registry)
    card = scorecard(data, period)
    return Figures766(period, scorecard_766(card, scores_766(), period), scores_766())


def texts(section) -> list[str]:
    return [text for block in section.blocks for text in getattr(block, "texts", [])]


def everything(section) -> str:
    """Every text, KPI, table cell and chart description of a section, as one string."""
    parts = []
    for block in section.blocks:
        parts += getattr(block, "texts", [])
        if isinstance(block, Kpis):
            parts += [f"{kpi.value} {kpi.label} {kpi.change}" for kpi in block.items]
        if isinstance(block, Table):
            parts += [str(cell) for row in block.rows for cell in row]
        parts += [getattr(block, "alt", "")]
    return "\n".join(parts)


# --- the rule: which predecessor is a rename ----------------------------------------------------------------
def test_a_rename_is_an_only_predecessor_of_a_unit_that_did_not_exist_before(registry):
    """R2 has one predecessor and starts after R1 ended: a rename, one series (R2, R1). C has two predecessors:
    a merger. T existed before K merged into it (no valid_from): not a rename, K is a series of its own."""
    assert renamed_from(registry, "R2") == "R1" and own_series(registry, "R2") == ("R2", "R1")
    assert renamed_from(registry, "C") is None and score_series(registry, "C") == [("C",), ("A",), ("B",)]
    assert renamed_from(registry, "T") is None and score_series(registry, "T") == [("T",), ("K",)]
    assert score_series(registry, "S") == [("S",)]


# --- 766 ---------------------------------------------------------------------------------------------------
def test_history_sets_the_predecessors_series_beside_the_merged_units(registry):
    """C's 8 quarters 2023-Q3 … 2025-Q2: its own series has 85,00 and 86,50 in 2025; A's and B's series have
    their own totals in 2024 and nothing after; ranks are among each quarter's reported units. K's 70,00 of
    2025-Q1 is not a reported unit's (T reports K in Q1): it counts neither in T's history nor in the average
    (2025-Q1: C 85, R2 94, T 82, S 85 → 86,50). The province average of 2024-Q2 is that of A, B, R1, T, S:
    (82,44 + 88,10 + 91 + 80 + 85)/5 = 85,308."""
    history = official_history(scores_766(), Q2_2025, "C", registry=registry).set_index("period")
    assert before_columns(history) == ["before_A", "before_B"]
    assert history.loc["2025-Q2", "unit"] == 86.5 and history.loc["2025-Q1", "unit"] == 85
    assert pd.isna(history.loc["2024-Q2", "unit"])
    assert history.loc["2024-Q2", "before_A"] == pytest.approx(82.44)
    assert history.loc["2024-Q2", "before_B"] == pytest.approx(88.10)
    assert (history.loc["2024-Q2", "rank_before_A"], history.loc["2024-Q2", "rank_of_before_A"]) == (4, 5)
    assert (history.loc["2024-Q2", "rank_before_B"], history.loc["2024-Q2", "rank_of_before_B"]) == (2, 5)
    assert history.loc["2024-Q2", "province"] == pytest.approx(85.308)
    assert (history.loc["2025-Q2", "unit_rank"], history.loc["2025-Q2", "unit_rank_of"]) == (2, 4)
    assert pd.isna(history.loc["2025-Q1", "before_A"])
    assert history.loc["2025-Q1", "province"] == pytest.approx(86.5)
    t = official_history(scores_766(), Q2_2025, "T", registry=registry)
    assert before_columns(t) == [] and 70 not in set(t["unit"].dropna())  # K has no reported total here


def test_renamed_unit_keeps_one_series(registry):
    """R2's series takes R1's totals before 2025: 2024-Q2 91,00 under R1 (1/5), 2025-Q2 95,50; no other series."""
    history = official_history(scores_766(), Q2_2025, "R2", registry=registry).set_index("period")
    assert before_columns(history) == []
    assert (history.loc["2024-Q2", "unit"], history.loc["2024-Q2", "unit_department"]) == (91, "R1")
    assert (history.loc["2024-Q2", "unit_rank"], history.loc["2024-Q2", "unit_rank_of"]) == (1, 5)


def test_merged_unit_2025_q2_names_the_predecessors_side_by_side_never_a_sum(registry):
    """C 2025-Q2: 86,50 against its own 2025-Q1 85,00 → tăng 1,50 điểm. A year earlier C did not exist: the
    sentence names A's 82,44 (4/5) and B's 88,10 (2/5) side by side, with no change against either and neither
    their sum 170,54 nor their average 85,27. The KPI's change is against C's own 2025-Q1; the chart has a line
    per predecessor; the table has a column per unit."""
    section = unit_section(figures(registry, Q2_2025), "C", "Sở NN&MT", DEFAULT_TARGETS, registry=registry)
    assert ("Tổng điểm công bố quý II năm 2025 của Sở NN&MT đạt 86,50/100 điểm, tăng 1,50 điểm so với quý I năm "
            "2025 (85,00 điểm). Cùng kỳ năm 2024, trước khi hợp nhất: Sở TN&MT đạt 82,44 điểm (xếp hạng 4/5), "
            "Sở NN&PTNT đạt 88,10 điểm (xếp hạng 2/5). Điểm của các đơn vị trước khi hợp nhất được nêu riêng, "
            "không cộng hay lấy bình quân, nên không so sánh tăng, giảm với tổng điểm của Sở NN&MT.") in texts(section)
    kpis = section.blocks[0]
    assert (kpis.items[0].value, kpis.items[0].change) == ("86,50/100 điểm", "tăng 1,50 điểm so với quý I năm 2025")
    assert kpis.items[1].value == "2/4"
    [chart] = [block for block in section.blocks if getattr(block, "alt", "").startswith("Tổng điểm Bộ chỉ số 766")]
    legend = [text.get_text() for text in chart.figure.legends[0].get_texts()]
    assert legend == ["Trung bình các sở, ban, ngành", "Sở TN&MT", "Sở NN&PTNT", "Sở NN&MT"]  # its group
    assert "Sở TN&MT (đến Q4/2024: 84,00/100 điểm), Sở NN&PTNT (đến Q4/2024: 89,00/100 điểm)" in chart.alt
    [table] = [block for block in section.blocks if isinstance(block, Table) and block.name == "s766_lineage"]
    assert [column.label for column in table.columns] == [
        "Quý", "Sở NN&MT", "Xếp hạng", "Sở TN&MT", "Xếp hạng", "Sở NN&PTNT", "Xếp hạng", "Trung bình các sở, ban, ngành"]
    assert table.rows[1] == ["Q2/2024", None, None, 82.44, "4/5", 88.1, "2/5", pytest.approx(85.308)]
    assert table.rows[-1][:3] == ["Q2/2025", 86.5, "2/4"]
    shown = everything(section)
    assert not any(figure in shown for figure in NEVER)


def test_merged_unit_first_quarter_has_no_change_against_the_quarter_before(registry):
    """C 2025-Q1 (85,00): in 2024-Q4 only its predecessors were scored, A 84,00 (4/5: R1 93, B 89, S 85, A 84,
    T 81) and B 89,00 (2/5); a year earlier, 2024-Q1, A 80,00 (4/5: R1 90, B 86, S 85, A 80, T 79) and B 86,00
    (2/5). No change at all: the KPI points to the units' own scores."""
    section = unit_section(figures(registry, Q1_2025), "C", "Sở NN&MT", DEFAULT_TARGETS, registry=registry)
    assert ("Quý trước (quý IV năm 2024), trước khi hợp nhất: Sở TN&MT đạt 84,00 điểm (xếp hạng 4/5), Sở NN&PTNT "
            "đạt 89,00 điểm (xếp hạng 2/5). Cùng kỳ năm 2024, trước khi hợp nhất: Sở TN&MT đạt 80,00 điểm (xếp "
            "hạng 4/5), Sở NN&PTNT đạt 86,00 điểm (xếp hạng 2/5). Điểm của các đơn vị trước khi hợp nhất được nêu "
            "riêng, không cộng hay lấy bình quân, nên không so sánh tăng, giảm với tổng điểm của Sở NN&MT."
            ) in texts(section)
    assert section.blocks[0].items[0].change == "quý trước: xem điểm từng đơn vị trước hợp nhất"
    assert not re.search(r"(tăng|giảm) \d", everything(section))


def test_renamed_unit_keeps_its_change_against_the_former_name(registry):
    """R2 2025-Q2 95,50: against its own 2025-Q1 94,00 → tăng 1,50; against R1's 2024-Q2 91,00 → tăng 4,50,
    the same series under the former name."""
    section = unit_section(figures(registry, Q2_2025), "R2", "Sở VH&TT", DEFAULT_TARGETS, registry=registry)
    assert ("Tổng điểm công bố quý II năm 2025 của Sở VH&TT đạt 95,50/100 điểm, tăng 1,50 điểm so với quý I năm "
            "2025 (94,00 điểm) và tăng 4,50 điểm so với cùng kỳ năm 2024 (91,00 điểm, khi còn mang tên Sở VH)."
            ) in texts(section)
    assert not any(isinstance(block, Table) and block.name == "s766_lineage" for block in section.blocks)


def test_unit_that_took_another_in_compares_with_its_own_and_names_the_other(registry):
    """T kept its code when K merged into it: 83,00 against its own 80,00 a year earlier → tăng 3,00; K's
    2024-Q2 78,50 (6/6: R1 91, B 88,10, S 85, A 82,44, T 80, K 78,50) is named beside it, not added."""
    history = official_history(scores_766({"2024-Q2": {"K": 78.5}}), Q2_2025, "T", registry=registry)
    [sentence] = comparison_sentences(history, Q2_2025, "Sở Tài chính",
        {"before_K": "Sở KH&ĐT"}, registry)
    assert sentence == ("Tổng điểm công bố quý II năm 2025 của Sở Tài chính đạt 83,00/100 điểm, tăng 1,00 điểm so "
                        "với quý I năm 2025 (82,00 điểm) và tăng 3,00 điểm so với cùng kỳ năm 2024 (80,00 điểm). "
                        "Cùng kỳ năm 2024, Sở KH&ĐT (nay thuộc Sở Tài chính) đạt 78,50 điểm (xếp hạng 6/6); điểm "
                        "này không cộng vào điểm của Sở Tài chính.")


def test_score_trend_draws_every_series_apart_in_grey(registry, tmp_path):
    """Four lines (province, A, B, C), each with its own line style or marker, and a legend for all."""
    history = official_history(scores_766(), Q2_2025, "C", registry=registry)
    chart = charts.score_trend(history, "Sở NN&MT", TOTAL_MAX, {"before_A": "Sở TN&MT", "before_B": "Sở NN&PTNT"})
    lines = chart.figure.axes[0].lines
    assert len(lines) == 4
    assert len({(str(line.get_linestyle()), line.get_marker()) for line in lines}) == 4
    (tmp_path / "trend.png").write_bytes(chart.png)


# --- PAR Index and SIPAS -----------------------------------------------------------------------------------
def test_par_change_follows_a_rename_and_stops_at_a_merger(registry):
    """R2 2025 (24/30) against R1 2024 (21/30): +3,00 points, +10 percentage points. C 2025 has no change (its
    predecessors are listed instead). T 2025 (23,4) against its own 2024 (22,5): +0,90."""
    par = par_data(registry)
    frame = totals(par.scores, registry).set_index(["year", "department"])
    assert frame.loc[(2025, "R2"), "score_change"] == pytest.approx(3.0)
    assert frame.loc[(2025, "R2"), "pct_change"] == pytest.approx(0.10)
    assert frame.loc[(2025, "R2"), "then_department"] == "R1"
    assert pd.isna(frame.loc[(2025, "C"), "score_change"]) and pd.isna(frame.loc[(2025, "C"), "then_department"])
    assert frame.loc[(2025, "T"), "score_change"] == pytest.approx(0.9)
    assert list(par.history("R2", 2025)["department"]) == ["R1", "R2"]       # one series on the rank chart
    assert list(par.history("C", 2025)["department"]) == ["C"]
    before = par.before("C", 2025)
    assert list(before["department"]) == ["A", "B"] and list(before["score"]) == [24, 27]
    assert list(before["rank"]) == [3, 1]
    s = sipas(par.sipas_rows, registry).set_index(["year", "department"])
    assert s.loc[(2025, "R2"), "pct_change"] == pytest.approx(0.035)           # 83,5 − 80,0
    assert pd.isna(s.loc[(2025, "C"), "pct_change"])


def test_par_section_after_the_merger_shows_both_predecessors_previous_year(registry):
    """C 2025: 26,10/30 (87 %), 1/4, no change; 2024: A 24,00/30 (80 %, 3/6), B 27,00/30 (90 %, 1/6);
    SIPAS 2025 86 %, 2024: A 82 %, B 88 %. Never 51/60 nor 85 %."""
    par = par_data(registry)
    section = par_section(par, registry.get("C"), 2025, "Sở")
    [paragraphs] = [block for block in section.blocks if isinstance(block, Paragraphs)]
    par_text, sipas_text = paragraphs.texts[0], paragraphs.texts[-1]
    assert par_text == (
        "Chỉ số cải cách hành chính (Chỉ số CCHC) năm 2025 của Sở đạt 26,10/30 điểm (87,00%), xếp hạng 1/4 trong "
        "các sở, ban, ngành. Điểm bình quân của các sở, ban, ngành đạt 82,25%. Năm 2024, trước khi hợp nhất, "
        "Sở TN&MT đạt 24,00/30 điểm (80,00%), xếp hạng 3/6; Sở NN&PTNT đạt 27,00/30 điểm (90,00%), xếp hạng 1/6. "
        "Điểm của các đơn vị trước khi hợp nhất được nêu riêng, không cộng hay lấy bình quân, nên không tính mức "
        "tăng, giảm so với năm 2024.")
    assert sipas_text.endswith("Năm 2024, trước khi hợp nhất, chỉ số SIPAS của Sở TN&MT đạt 82,00%; Sở NN&PTNT "
                               "đạt 88,00%; các chỉ số này được nêu riêng, không lấy bình quân.")
    kpis = section.blocks[0]
    assert kpis.items[0].change == "năm 2024: xem điểm từng đơn vị trước hợp nhất"
    [table] = [block for block in section.blocks if isinstance(block, Table) and block.name == "par_before"]
    assert table.rows == [["Sở TN&MT", 24, 30, pytest.approx(0.8), "3/6", pytest.approx(0.82)],
                          ["Sở NN&PTNT", 27, 30, pytest.approx(0.9), "1/6", pytest.approx(0.88)]]
    shown = everything(section)
    assert not any(figure in shown for figure in NEVER)


def test_par_section_of_a_renamed_unit_keeps_the_change(registry):
    """R2 2025 against R1 2024: tăng 3,00 điểm (tăng 10,00 điểm phần trăm); SIPAS tăng 3,50 điểm phần trăm."""
    section = par_section(par_data(registry), registry.get("R2"), 2025, "Sở")
    [paragraphs] = [block for block in section.blocks if isinstance(block, Paragraphs)]
    assert ("xếp hạng 3/4 trong các sở, ban, ngành, tăng 3,00 điểm (tăng 10,00 điểm phần trăm) so với năm 2024 "
            "(khi còn mang tên Sở VH).") in paragraphs.texts[0]
    assert "tăng 3,50 điểm phần trăm so với năm 2024 (khi còn mang tên Sở VH)" in paragraphs.texts[-1]
    assert not any(isinstance(block, Table) and block.name == "par_before" for block in section.blocks)


def test_par_section_of_a_unit_that_took_another_in(registry):
    """T 2025 against its own 2024: tăng 0,90 điểm (tăng 3,00 điểm phần trăm); K's 2024 19,50/30 (65 %, 6/6)
    beside it, and T's own 2024 row first in the table."""
    section = par_section(par_data(registry), registry.get("T"), 2025, "Sở")
    [paragraphs] = [block for block in section.blocks if isinstance(block, Paragraphs)]
    assert "tăng 0,90 điểm (tăng 3,00 điểm phần trăm) so với năm 2024." in paragraphs.texts[0]
    assert paragraphs.texts[0].endswith("Năm 2024, Sở KH&ĐT (nay thuộc Sở Tài chính) đạt 19,50/30 điểm (65,00%), "
                                        "xếp hạng 6/6; điểm này không cộng vào điểm của Sở Tài chính.")
    [table] = [block for block in section.blocks if isinstance(block, Table) and block.name == "par_before"]
    assert [row[0] for row in table.rows] == ["Sở Tài chính", "Sở KH&ĐT"]


# --- through the command --------------------------------------------------------------------------------
REGISTRY_YAML = "province: \"Tỉnh Thử Nghiệm\"\ndepartments:\n" + "".join(
    f"  - {{code: {unit.code}, name: \"{unit.name}\", short_name: \"{unit.short_name}\", group: so_nganh, "
    f"fields: [\"Khác\"]" + "".join(f", {key}: {getattr(unit, key)}" for key in ("valid_from", "valid_to", "successor")
                                    if getattr(unit, key) is not None) + "}\n" for unit in UNITS)


def test_annual_briefing_through_the_command_shows_the_predecessors_previous_year(tmp_path):
    """``parreport run`` (papermill, nbconvert) of C's briefing for 2025 over a store holding only PAR Index and
    SIPAS scores: the section names A's and B's 2024 scores side by side, as in the test above."""
    import html
    import subprocess
    import sys
    from pathlib import Path

    from parreport.sources import ingest_files
    from parreport.store import Store

    registry_path = tmp_path / "departments.yaml"
    registry_path.write_text(REGISTRY_YAML, encoding="utf-8")
    par = tmp_path / "par_index.csv"
    par.write_text("year,department,area,score,max_score\n" + "".join(
        f"{year},{unit},{area},{round(total * share, 2)},{maximum}\n" for year, units in PAR.items()
        for unit, total in units.items() for area, share, maximum in (("X", 1 / 3, 10), ("Y", 2 / 3, 20))),
        encoding="utf-8")
    sipas_csv = tmp_path / "sipas.csv"
    sipas_csv.write_text("year,department,satisfaction_pct\n" + "".join(
        f"{year},{unit},{pct}\n" for year, units in SIPAS.items() for unit, pct in units.items()), encoding="utf-8")
    with Store(tmp_path / "data.duckdb") as store:
        ingest_files(store, [par, sipas_csv], Registry.load(registry_path))
    command = str(Path(sys.executable).with_name("parreport"))
    done = subprocess.run([command, "--registry", str(registry_path), "run", "--data", str(tmp_path / "data.duckdb"),
                           "--report", "briefing", "--period", "2025", "--department", "C", "--format", "html",
                           "--out", str(tmp_path / "out"), "--no-progress"], capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    page = html.unescape((tmp_path / "out" / "2025" / "C" / "briefing.html").read_text(encoding="utf-8"))
    text = " ".join(re.sub(r"<[^>]+>", " ", page).split())
    assert ("Năm 2024, trước khi hợp nhất, Sở TN&MT đạt 24,00/30 điểm (80,00%), xếp hạng 3/6; Sở NN&PTNT đạt "
            "27,00/30 điểm (90,00%), xếp hạng 1/6.") in text
    assert "51,00" not in text and "85,00%" not in text
