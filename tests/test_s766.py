"""The indicator catalogue's scoring rules, official 766 scores beside computed ones, the tolerance edge and
the ``check-766`` command. Every expected figure is worked out in the comments."""
from __future__ import annotations

from datetime import date

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from parreport.errors import ConfigError
from parreport.metrics import DossierData, scorecard
from parreport.catalogue import (COMPUTED, DEFAULT_TARGETS, GROUPS, INDICATORS, SCORED, TOTAL_MAX,
                                         attention_points, check_targets, group_key, indicator_key)
from parreport.metrics.definitions import PROVINCE
from parreport.metrics.rates import add_rates
from parreport.metrics.s766 import (CAUSE_COMPUTED_HIGHER, CAUSE_COMPUTED_LOWER, compare, cross_check,
                                    official_history, official_scores, scorecard_766)
from parreport.periods import Period
from tests.conftest import REGISTRY_YAML, records_frame

Q1_2020 = Period.parse("2020-Q1")


# --- the catalogue ---------------------------------------------------------------------------------------
def test_groups_add_up_to_100_and_scored_indicators_fit_their_group():
    assert TOTAL_MAX == 18 + 20 + 22 + 12 + 10 + 18 == 100
    # The dashboard's indicators (those with a metric code) within each group sum to the group's maximum:
    # công khai 6 + 4 + 2 + 6; số hóa 6 + 4 + 2 + 4 + 2 + 2 + 2; hài lòng 6 + 6 + 6; the others one each.
    official: dict[str, float] = {}
    for indicator in INDICATORS.values():
        if indicator.code:
            official[indicator.group] = official.get(indicator.group, 0) + indicator.max_score
    assert official == {key: group.max_score for key, group in GROUPS.items()}


def test_scoring_rules_by_hand():
    ratios = pd.Series([0.964, 0.9, 0.899, 0.95, 0.45, 0.0, None], dtype="Float64")
    progress = INDICATORS["progress_766"].score(ratios)            # 20 × ratio, no threshold
    assert list(progress.round(4)[:6]) == [19.28, 18.0, 17.98, 19.0, 9.0, 0.0]
    satisfaction = INDICATORS["satisfaction_766"].score(ratios)    # min(6; 6 × ratio / 0,9)
    # 0,964 and 0,95 ≥ 0,9 → full 6; exactly 0,9 → 6 (the threshold edge); 0,899 → 6 × 0,899/0,9 = 5,9933;
    # 0,45 → 3; 0 → 0.
    assert list(satisfaction.round(4)[:6]) == [6.0, 6.0, 5.9933, 6.0, 3.0, 0.0]
    assert list(INDICATORS["digitized_share"].score(ratios).round(4)[:2]) == [3.856, 3.6]   # 4 × ratio
    # No ratio (nothing to divide by) → no score, never 0.
    assert pd.isna(progress.iloc[6]) and pd.isna(satisfaction.iloc[6])
    assert INDICATORS["progress_766"].rule == "20 × tỷ lệ"
    assert INDICATORS["satisfaction_766"].rule == "min(6; 6 × tỷ lệ / 90%)"


def test_zero_denominators_give_no_rate_and_no_score():
    """A unit with no dossier: every count 0 → every rate and score NA (written "–")."""
    from parreport.metrics.definitions import COUNTS
    frame = add_rates(pd.DataFrame({column: pd.array([0], dtype="Int64") for column in COUNTS}))
    for indicator in COMPUTED.values():
        assert pd.isna(frame.loc[0, indicator.name]), indicator.name
    for indicator in SCORED.values():
        assert pd.isna(frame.loc[0, indicator.score_name]), indicator.name


def test_dashboard_names_map_to_catalogue_keys():
    assert group_key("Cung cấp dịch vụ trực tuyến") == group_key("DVC trực tuyến") == "dvc_truc_tuyen"
    assert group_key("  công khai,  minh bạch ") == "cong_khai" and group_key("Chất lượng") is None
    assert indicator_key("DOSSIER_RECEIVING_SATISFACTION") == "satisfaction_766"
    assert indicator_key("Tỷ lệ hồ sơ xử lý trước hạn, đúng hạn và trong hạn") == "progress_766"
    assert indicator_key("Tỷ lệ giải quyết đúng hạn và trước hạn") is None   # not a 766 indicator


def test_targets_and_attention_points_follow_each_indicator():
    assert DEFAULT_TARGETS["on_time_rate"] == 0.98 and "publish_on_time" not in DEFAULT_TARGETS
    with pytest.raises(ConfigError, match="unknown target publish_on_time"):
        check_targets({"publish_on_time": 0.9})       # not computable from dossiers: no target
    points = attention_points({"progress_766": 0.9, "online_share": 0.6, "digitized_share": None},
                              {"progress_766": 0.95, "online_share": 0.5, "digitized_share": 0.8})
    assert points == ["Tỷ lệ hồ sơ xử lý trước hạn, đúng hạn và trong hạn đạt 90,00%, thấp hơn mục tiêu 95,00%."]


# --- official beside computed ----------------------------------------------------------------------------
def official_rows(rows: list[tuple]) -> pd.DataFrame:
    """Rows of the store's scores_766 table: (period, department, group, indicator, score)."""
    frame = pd.DataFrame(rows, columns=["period", "department", "group", "indicator", "score"])
    frame["indicator"] = frame["indicator"].astype("string")
    frame["score"] = frame["score"].astype("Float64")
    return frame


def fixture_card(registry, period: Period = Q1_2020) -> pd.DataFrame:
    """STNMT, quý I năm 2020: 25 dossiers received 6/1, due 20/1; 24 closed early, 1 late → progress
    24/25 = 96 % → 19,20 points; satisfaction (25 − 1 late − 0 unsatisfied)/25 = 96 % ≥ 90 % → 6 points.
    STP: 10 closed on their due day → 100 % → 20 points and 6 points. "007": no dossier → no score."""
    rows = ([{"received_at": "2020-01-06", "due_at": "2020-01-20", "completed_at": "2020-01-10"}] * 24
            + [{"received_at": "2020-01-06", "due_at": "2020-01-20", "completed_at": "2020-01-22"}]
            + [{"department": "STP", "field": "Công chứng", "received_at": "2020-02-03", "due_at": "2020-02-10",
                "completed_at": "2020-02-10 15:00"}] * 10)
    data = DossierData.from_frames(records_frame(rows), pd.DataFrame(columns=["department", "period", "field"]),
                                   registry)
    return scorecard(data, period)


OFFICIAL = [
    # STNMT: all six groups (17 + 19,2 + 20 + 10 + 8 + 16,5 = 90,7) and the satisfaction indicator 5,94.
    *[("2020-Q1", "STNMT", group, None, score) for group, score in
      zip(GROUPS, (17, 19.2, 20, 10, 8, 16.5))],
    ("2020-Q1", "STNMT", "hai_long", "satisfaction_766", 5.94),
    # STP: only tiến độ, 19,96; "007": tiến độ 18,5 although it has no dossier.
    ("2020-Q1", "STP", "tien_do", None, 19.96),
    ("2020-Q1", "007", "tien_do", None, 18.5),
    # Another quarter, kept apart: STNMT 2019-Q4, 15 + 10 + 20 + 10 + 10 + 15 = 80.
    *[("2019-Q4", "STNMT", group, None, score) for group, score in zip(GROUPS, (15, 10, 20, 10, 10, 15))],
]


def test_official_totals_ranks_and_province_average(registry):
    frame = scorecard_766(fixture_card(registry), official_rows(OFFICIAL), Q1_2020).set_index("department")
    assert frame.loc["STNMT", "official_total"] == pytest.approx(90.7)
    assert pd.isna(frame.loc["STP", "official_total"])            # one group of six: no total
    assert (frame.loc["STNMT", "official_total_rank"], frame.loc["STNMT", "official_total_rank_of"]) == (1, 1)
    # tiến độ is a whole group: its official indicator score is the group's.
    assert frame.loc["STP", "official_progress_score_766"] == 19.96
    # Province: the average of its units, (19,2 + 19,96 + 18,5) / 3 = 19,22.
    assert frame.loc[PROVINCE, "official_tien_do"] == pytest.approx((19.2 + 19.96 + 18.5) / 3)
    assert frame.loc[PROVINCE, "official_total"] == pytest.approx(90.7)


def test_cross_check_flags_only_beyond_the_tolerance(registry):
    frame = scorecard_766(fixture_card(registry), official_rows(OFFICIAL), Q1_2020)
    checked = cross_check(frame).set_index(["department", "indicator"])
    # STNMT tiến độ 19,20 = 19,20; STP 20,00 vs 19,96: 0,04 → not flagged; satisfaction STNMT 6,00 vs 5,94:
    # 0,06 → flagged, the computed score is higher. "007" has no dossier: nothing to compare.
    assert list(checked.index) == [("STNMT", "progress_766"), ("STP", "progress_766"), ("STNMT", "satisfaction_766")]
    assert checked.loc[("STP", "progress_766"), "difference"] == -0.04
    assert not checked.loc[("STP", "progress_766"), "flagged"]
    flagged = checked.loc[("STNMT", "satisfaction_766")]
    assert (flagged["computed"], flagged["official"], flagged["difference"]) == (6.0, 5.94, -0.06)
    assert flagged["flagged"] and flagged["cause"].startswith(CAUSE_COMPUTED_HIGHER)
    assert flagged["ratio"] == pytest.approx(0.96)
    # A wider tolerance clears it.
    assert not cross_check(frame, tolerance=0.1)["flagged"].any()
    with pytest.raises(ConfigError, match="tolerance_766"):
        cross_check(frame, tolerance=-1)


@pytest.mark.parametrize("computed, official, flagged", [
    (19.28, 19.32, False), (19.28, 19.24, False),     # 0,04 either way: within
    (19.28, 19.34, True), (19.28, 19.22, True),       # 0,06 either way: beyond
    (19.28, 19.33, False),                            # exactly 0,05 (0,0499999… in binary): within
    (19.2834, 19.33, False),                          # computed written 19,28 → 0,05
    (0.1 + 0.2, 0.36, True),                          # 0,30000000000000004 → 0,30; 0,06
])
def test_tolerance_edge(computed, official, flagged):
    assert compare(computed, official)[1] is flagged


def test_cause_follows_the_side_of_the_difference():
    assert compare(18.86, 19.28) == (0.42, True)     # official higher: the export lacks dossiers
    from parreport.metrics.s766 import cause
    assert cause(INDICATORS["progress_766"], 0.42) == CAUSE_COMPUTED_LOWER


def test_official_history_over_quarters():
    history = official_history(official_rows(OFFICIAL), Q1_2020, "STNMT", count=3)
    assert list(history["period_label"]) == ["Q3/2019", "Q4/2019", "Q1/2020"]
    assert pd.isna(history.loc[0, "unit"]) and history.loc[1, "unit"] == 80
    assert history.loc[2, "unit"] == pytest.approx(90.7)
    assert history.loc[2, "province"] == pytest.approx(90.7)    # the only unit with a total


def test_official_scores_of_a_period_without_any():
    assert official_scores(official_rows(OFFICIAL), "2021-Q1").empty


# --- the report sections ----------------------------------------------------------------------------------
def figures(registry, rows=OFFICIAL, period: Period = Q1_2020):
    from parreport.reports.s766 import Figures766
    card = fixture_card(registry, period)
    return Figures766(period, scorecard_766(card, official_rows(rows), period), official_rows(rows))


def test_province_section_ranks_units_and_lists_the_disagreement(registry):
    from parreport.reports.s766 import province_section
    section = province_section(figures(registry))
    kpis, table, points = section.blocks[0], section.blocks[1], section.blocks[2]
    # Only STNMT has all six groups: the province average total is its 90,70; 1 of 3 units.
    assert [k.value for k in kpis.items] == ["90,70/100 điểm", "1/3"]
    assert [row[:3] for row in table.rows] == [["1/1", "Sở Tài nguyên và Môi trường", 90.7],
                                               [None, "Sở Ngoại vụ", None], [None, "Sở Tư pháp", None]]
    assert table.rows[1][4] == 18.5                                # "007" tiến độ, official
    assert len(points.items) == 1 and points.items[0].startswith("Sở Tài nguyên và Môi trường — ⚠ Chênh lệch:")


def test_unit_section_headline_compares_the_official_total_with_the_quarter_before(registry):
    """STNMT: 90,70 in 2020-Q1 against 2019-Q4's 15 + 10 + 20 + 10 + 10 + 15 = 80 → up 10,70 points; rank 1
    of the 1 unit with a total; the province average is its total alone."""
    from parreport.reports.s766 import unit_section
    kpis = unit_section(figures(registry), "STNMT", "Sở TN&MT", DEFAULT_TARGETS).blocks[0]
    assert [(k.value, k.change) for k in kpis.items] == [
        ("90,70/100 điểm", "tăng 10,70 điểm so với quý IV năm 2019"), ("1/1", ""), ("90,70/100 điểm", "")]


def test_unit_section_without_official_scores_says_so(registry):
    from parreport.reports.s766 import unit_section
    later = [(("2021-Q1",) + row[1:]) for row in OFFICIAL]         # scores of another quarter only
    section = unit_section(figures(registry, later), "STNMT", "Sở TN&MT", DEFAULT_TARGETS)
    assert section.blocks[0].notice and section.blocks[0].texts == [
        "Chưa có điểm công bố của Bộ chỉ số 766 quý I năm 2020 cho Sở TN&MT trong dữ liệu đã nhập từ Cổng Dịch "
        "vụ công quốc gia. Các số liệu dưới đây được tính từ dữ liệu hồ sơ."]
    sentences = section.blocks[2].texts
    assert sentences[0] == ("Tỷ lệ hồ sơ xử lý trước hạn, đúng hạn và trong hạn (tính từ dữ liệu hồ sơ): "
                            "tỷ lệ 96,00% → 19,20/20 điểm; chưa có điểm công bố của chỉ tiêu.")
    assert not any(getattr(block, "notice", False) for block in section.blocks[1:])   # nothing to flag


def test_a_year_without_its_own_official_scores_names_its_last_scored_quarter(registry):
    """The dashboard's scores are per quarter; a year's briefing says the year has none of its own, names
    the year's last quarter with a total (2020-Q1: STNMT 17 + 19,2 + 20 + 10 + 8 + 16,5 = 90,70; 2019-Q4's 80
    lies outside the year) and draws the quarters' trend. The province's average of that quarter is STNMT's
    alone (the only unit with all six groups). With no score imported at all, it says so instead."""
    from parreport.reports.content import Chart
    from parreport.reports.s766 import province_section, unit_section
    year = Period.parse("2020")
    section = unit_section(figures(registry, period=year), "STNMT", "Sở TN&MT", DEFAULT_TARGETS)
    assert section.blocks[0].notice and section.blocks[0].texts == [
        "Chưa có điểm công bố của Bộ chỉ số 766 năm 2020 cho Sở TN&MT trong dữ liệu đã nhập từ Cổng Dịch vụ công "
        "quốc gia; trong năm 2020 có điểm công bố theo quý, gần nhất là quý I năm 2020: 90,70/100 điểm. Các số "
        "liệu dưới đây được tính từ dữ liệu hồ sơ."]
    [trend] = [block for block in section.blocks if isinstance(block, Chart)]
    assert trend.title == "Tổng điểm Bộ chỉ số 766 (điểm công bố)" and "kỳ gần nhất đạt 90,70/100 điểm" in trend.alt
    province = province_section(figures(registry, period=year))
    assert province.blocks[0].texts == [
        "Chưa có điểm công bố của Bộ chỉ số 766 năm 2020 trong dữ liệu đã nhập từ Cổng Dịch vụ công quốc gia; "
        "trong năm 2020 có điểm công bố theo quý, gần nhất là quý I năm 2020: trung bình toàn tỉnh 90,70/100 "
        "điểm. Bảng dưới đây chỉ có điểm tính từ dữ liệu hồ sơ."]
    none = unit_section(figures(registry, rows=[], period=year), "STNMT", "Sở TN&MT", DEFAULT_TARGETS)
    assert none.blocks[0].texts == ["Chưa có điểm công bố của Bộ chỉ số 766 năm 2020 (chưa nhập dữ liệu từ Cổng "
                                    "Dịch vụ công quốc gia). Các số liệu dưới đây được tính từ dữ liệu hồ sơ."]
    assert not any(isinstance(block, Chart) for block in none.blocks)


# --- the check-766 command -------------------------------------------------------------------------------
PARREPORT = str(Path(sys.executable).with_name("parreport"))


@pytest.fixture
def store_with_scores(tmp_path) -> Path:
    """The fixture dossiers of :func:`fixture_card` and the official scores, ingested by the CLI."""
    (tmp_path / "departments.yaml").write_text(REGISTRY_YAML, encoding="utf-8")
    # Without an ``unsatisfied`` column satisfaction would be unknown (no score): the export states it.
    lines = ["dossier_id,department,field,received_at,due_at,completed_at,unsatisfied"]
    lines += [f"A{i},STNMT,Đất đai,2020-01-06,2020-01-20,2020-01-10,0" for i in range(24)]
    lines += ["B0,STNMT,Đất đai,2020-01-06,2020-01-20,2020-01-22,0"]
    lines += [f"C{i},STP,Công chứng,2020-02-03,2020-02-10,2020-02-10 15:00,0" for i in range(10)]
    (tmp_path / "dossiers.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    names = {group: GROUPS[group].label for group in GROUPS}
    scores = ["Kỳ,Đơn vị,Nhóm chỉ số,Chỉ tiêu,Điểm"] + [
        f"Quý {'I' if period == '2020-Q1' else 'IV'}/{period[:4]},{unit},\"{names[group]}\","
        f"{'DOSSIER_RECEIVING_SATISFACTION' if indicator else ''},{score}"
        for period, unit, group, indicator, score in OFFICIAL]
    (tmp_path / "diem_766.csv").write_text("\n".join(scores) + "\n", encoding="utf-8")
    done = subprocess.run([PARREPORT, "--registry", "departments.yaml", "ingest", "dossiers.csv", "diem_766.csv",
                           "--store", "s.duckdb"], capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert done.returncode == 0, done.stderr
    return tmp_path


def check_766(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([PARREPORT, "--registry", "departments.yaml", "check-766", "--data", "s.duckdb", *args],
                          capture_output=True, text=True, cwd=cwd, timeout=120)


def test_check_766_lists_the_disagreement_and_exits_1(store_with_scores):
    done = check_766(store_with_scores, "--period", "2020-Q1", "--csv", "chenh.csv")
    assert done.returncode == 1, done.stderr
    assert "Sở Tài nguyên và Môi trường" in done.stdout and "6,00/6" in done.stdout and "5,94/6" in done.stdout
    assert "Sở Tư pháp" not in done.stdout                       # 0,04: within the tolerance
    # The scores file has no date column: its snapshot is dated by the file, written today by the fixture.
    assert done.stdout.startswith(f"Điểm công bố theo lần cập nhật ngày {date.today():%d/%m/%Y}.")
    written = pd.read_csv(store_with_scores / "chenh.csv", encoding="utf-8-sig", dtype={"department": str})
    assert list(written["department"]) == ["STNMT"] and list(written["difference"]) == [-0.06]


def test_check_766_exit_codes(store_with_scores):
    assert check_766(store_with_scores, "--period", "2020-Q1", "--tolerance", "0.1").returncode == 0
    no_scores = check_766(store_with_scores, "--period", "2021-Q1")
    assert no_scores.returncode == 2 and "2020-Q1" in no_scores.stderr and "Traceback" not in no_scores.stderr
    bad = check_766(store_with_scores, "--period", "2020-Q1", "--tolerance", "-0.1")
    assert bad.returncode == 2 and "tolerance" in bad.stderr
    assert check_766(store_with_scores).returncode == 2           # --period is required


# --- end to end: the briefing's section in HTML and PDF ----------------------------------------------------
@pytest.mark.e2e
def test_briefing_states_computed_and_official_scores_and_the_flag_in_the_pdf(store_with_scores):
    """STNMT, quý I năm 2020 (see :func:`fixture_card`): tiến độ 96,00 % → 19,20/20, official 19,20 (agree);
    satisfaction 96,00 % → 6,00/6, official 5,94: 0,06 beyond 0,05 → flagged. Official total 90,70/100."""
    import papermill
    import re
    from pypdf import PdfReader

    from parreport.paths import NOTEBOOKS_DIR
    from parreport.render.html import notebook_to_html
    from parreport.render.pdf import html_to_pdf

    cwd = store_with_scores
    executed = cwd / "briefing.ipynb"
    papermill.execute_notebook(str(NOTEBOOKS_DIR / "briefing.ipynb"), str(executed), cwd=str(cwd), progress_bar=False,
                               parameters={"department": "STNMT", "period": "2020-Q1", "data": "s.duckdb",
                                           "registry": "departments.yaml"})
    html_to_pdf(notebook_to_html(executed), cwd / "briefing.pdf")
    text = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in PdfReader(cwd / "briefing.pdf").pages))
    assert "Chỉ số phục vụ người dân, doanh nghiệp (Bộ chỉ số 766)" in text
    assert ("Tỷ lệ hồ sơ xử lý trước hạn, đúng hạn và trong hạn (tính từ dữ liệu hồ sơ): tỷ lệ 96,00% → "
            "19,20/20 điểm; điểm công bố 19,20.") in text
    assert ("(tính từ dữ liệu hồ sơ): tỷ lệ 96,00% → 6,00/6 điểm; điểm công bố 5,94 (chênh lệch vượt ngưỡng)."
            in text)
    assert "Chênh lệch:" in text and "6,00/6 điểm, điểm công bố 5,94/6 điểm (chênh 0,06 điểm" in text
    assert "90,70/100 điểm" in text
    assert text.count("Theo cách tính của Bộ chỉ số 766") == 0          # the old sentence is gone
