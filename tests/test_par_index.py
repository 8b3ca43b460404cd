"""PAR Index and SIPAS metrics (DATA.md §2.3–2.4) on a small hand-built province; every expected figure
is worked out in the comments.

Units: four departments (group so_nganh: S1–S4) and two districts (group cap_huyen: H1, H2). Two areas,
A (max 10) and B (max 20), so every total is out of 30.

    year  unit  A    B      total   %        rank (within group)
    2021  S1    5    10     15      50 %     3/3
    2021  S2    9    18     27      90 %     1/3
    2021  S3    8    16     24      80 %     2/3
    2022  S1    8    16,99  24,99   83,3 %   1/3
    2022  S2    7    14     21      70 %     2/3
    2022  S3    6    12     18      60 %     3/3
    2023  S1    9    18     27      90 %     1/4  (tie with S2: both 1st, the next is 3rd)
    2023  S2    8    19     27      90 %     1/4
    2023  S3    10   14     24      80 %     3/4
    2023  S4    5    16     21      70 %     4/4  (not scored in 2022)
    2023  H1    6    12     18      60 %     1/2  (first among the districts, though below every department)
    2023  H2    3    9      12      40 %     2/2
"""
from __future__ import annotations

import pandas as pd
import pytest

from parreport.metrics import DossierData
from parreport.metrics.par_index import ParData, areas, sipas, totals, weakest
from parreport.periods import Period
from parreport.registry import Department, Registry, group_set
from tests.conftest import records_frame
from tests.test_metrics import bieu06_rows

SCORES = {  # (year, unit): (A, B)
    (2021, "S1"): (5, 10), (2021, "S2"): (9, 18), (2021, "S3"): (8, 16),
    (2022, "S1"): (8, 16.99), (2022, "S2"): (7, 14), (2022, "S3"): (6, 12),
    (2023, "S1"): (9, 18), (2023, "S2"): (8, 19), (2023, "S3"): (10, 14), (2023, "S4"): (5, 16),
    (2023, "H1"): (6, 12), (2023, "H2"): (3, 9),
}


@pytest.fixture
def registry() -> Registry:
    units = [Department(f"S{n}", f"Sở số {n}", f"Sở {n}", "so_nganh", ("Đất đai",)) for n in range(1, 5)]
    units += [Department(f"H{n}", f"Huyện số {n}", f"Huyện {n}", "cap_huyen", ("Đất đai",)) for n in (1, 2)]
    return Registry("Tỉnh Thử Nghiệm", {unit.code: unit for unit in units})


@pytest.fixture
def scores() -> pd.DataFrame:
    rows = [{"year": year, "department": unit, "area": area, "score": score, "max_score": maximum}
            for (year, unit), values in SCORES.items()
            for area, score, maximum in zip(("A", "B"), values, (10.0, 20.0))]
    frame = pd.DataFrame(rows)
    frame["year"] = frame["year"].astype("Int64")
    frame["score"] = frame["score"].astype("Float64")
    frame["max_score"] = frame["max_score"].astype("Float64")
    return frame


def row(frame: pd.DataFrame, year: int, unit: str, **where) -> pd.Series:
    match = frame[(frame["year"] == year) & (frame["department"] == unit)]
    for column, value in where.items():
        match = match[match[column] == value]
    assert len(match) == 1, match
    return match.iloc[0]


def test_total_is_sum_of_areas_and_percent_of_their_maxima(scores, registry):
    s1 = row(totals(scores, registry), 2022, "S1")
    # 8 + 16,99 = 24,99 points out of 10 + 20 = 30 → 83,3 %.
    assert s1["score"] == pytest.approx(24.99) and s1["max_score"] == 30
    assert s1["pct"] == pytest.approx(24.99 / 30)


def test_ties_share_the_better_rank_and_the_next_unit_skips(scores, registry):
    frame = totals(scores, registry)
    # 2023: S1 and S2 both 27/30 → both 1st; S3 (80 %) is 3rd, not 2nd; S4 4th; 4 departments ranked.
    assert [row(frame, 2023, unit)["rank"] for unit in ("S1", "S2", "S3", "S4")] == [1, 1, 3, 4]
    assert {row(frame, 2023, unit)["rank_of"] for unit in ("S1", "S2", "S3", "S4")} == {4}


def test_rank_is_within_the_units_group(scores, registry):
    frame = totals(scores, registry)
    # H1 (60 %) is below every department but first of the two districts: 1/2, not 5/6.
    h1 = row(frame, 2023, "H1")
    assert (h1["rank"], h1["rank_of"]) == (1, 2)
    assert (row(frame, 2023, "H2")["rank"], row(frame, 2023, "H2")["rank_of"]) == (2, 2)
    # The province average is over the ranked set: departments (90+90+80+70)/4 = 82,5 %;
    # districts (60+40)/2 = 50 %.
    assert row(frame, 2023, "S3")["average_pct"] == pytest.approx(0.825)
    assert h1["average_pct"] == pytest.approx(0.50)
    assert group_set("so_nganh") == "các sở, ban, ngành"
    assert group_set("nhom_moi") == "các cơ quan, đơn vị cùng nhóm"


def test_change_in_points_and_percentage_points(scores, registry):
    s1 = row(totals(scores, registry), 2023, "S1")
    # 27 − 24,99 = 2,01 points; 90 % − 83,3 % = 6,7 percentage points (a ratio difference of 0,067).
    assert s1["score_change"] == pytest.approx(2.01)
    assert s1["pct_change"] == pytest.approx(0.067)
    # S4 has no 2022 score: its change is unknown, not 0.
    s4 = row(totals(scores, registry), 2023, "S4")
    assert pd.isna(s4["score_change"]) and pd.isna(s4["pct_change"])


def test_streak_of_years_in_the_top(scores, registry):
    frame = totals(scores, registry, top=2)
    # Top 2 of the departments. S1: 3rd in 2021, 1st 2022, 1st 2023 → a run of 2 ending 2023.
    assert [row(frame, year, "S1")["top_streak"] for year in (2021, 2022, 2023)] == [0, 1, 2]
    # S2: 1st, 2nd, 1st → 3 years running.
    assert row(frame, 2023, "S2")["top_streak"] == 3
    # S3: 2nd in 2021, then 3rd twice → 0 in 2023 (the run is broken).
    assert [row(frame, year, "S3")["top_streak"] for year in (2021, 2022, 2023)] == [1, 0, 0]
    # With the default top 5 every department of this small province is in: S1 has 3 years running.
    assert row(totals(scores, registry), 2023, "S1")["top_streak"] == 3


def test_streak_breaks_on_a_year_without_score(scores, registry):
    # Drop S2's 2022 scores: 2021 and 2023 are not consecutive, so 2023 starts a new run of 1.
    frame = totals(scores[~((scores["year"] == 2022) & (scores["department"] == "S2"))], registry)
    assert row(frame, 2023, "S2")["top_streak"] == 1


def test_area_percent_and_gap_to_the_group_average(scores, registry):
    frame = areas(scores, registry)
    # Area A in 2023 among the departments: 9/10, 8/10, 10/10, 5/10 → mean 80 %. S3 has 100 % → +20 points.
    a = row(frame, 2023, "S3", area="A")
    assert a["pct"] == pytest.approx(1.0) and a["average_pct"] == pytest.approx(0.8)
    assert a["gap"] == pytest.approx(0.2)
    # Area B: 18/20, 19/20, 14/20, 16/20 = 90, 95, 70, 80 % → mean 83,75 %; S3 70 % → −13,75 points.
    b = row(frame, 2023, "S3", area="B")
    assert b["average_pct"] == pytest.approx(0.8375) and b["gap"] == pytest.approx(-0.1375)
    # Districts are averaged among themselves: A = (60 + 30)/2 = 45 %.
    assert row(frame, 2023, "H1", area="A")["average_pct"] == pytest.approx(0.45)


def test_weakest_areas(scores, registry):
    frame = areas(scores, registry)
    s3 = frame[(frame["year"] == 2023) & (frame["department"] == "S3")]
    # S3: A 100 %, B 70 % → the weakest is B, then A.
    assert list(weakest(s3, 1)["area"]) == ["B"]
    assert list(weakest(s3, 2)["area"]) == ["B", "A"]
    s4 = frame[(frame["year"] == 2023) & (frame["department"] == "S4")]
    assert list(weakest(s4, 1)["area"]) == ["A"]  # 50 % against 80 %


def test_sipas_overall_change_rank_and_average(registry):
    rows = pd.DataFrame([
        {"year": 2022, "department": "S1", "satisfaction_pct": 85.5, "factor": None},
        {"year": 2023, "department": "S1", "satisfaction_pct": 88.0, "factor": None},
        # S2 gives only factors: its index is their mean, (80 + 90)/2 = 85 %.
        {"year": 2023, "department": "S2", "satisfaction_pct": 80.0, "factor": "Tiếp cận dịch vụ"},
        {"year": 2023, "department": "S2", "satisfaction_pct": 90.0, "factor": "Kết quả"},
        # S3 gives an overall row and a factor: the overall row (90 %) is the index.
        {"year": 2023, "department": "S3", "satisfaction_pct": 90.0, "factor": None},
        {"year": 2023, "department": "S3", "satisfaction_pct": 70.0, "factor": "Kết quả"},
    ])
    rows["satisfaction_pct"] = rows["satisfaction_pct"].astype("Float64")
    frame = sipas(rows, registry)
    s1 = row(frame, 2023, "S1")
    assert s1["pct"] == pytest.approx(0.88)
    assert s1["pct_change"] == pytest.approx(0.025)  # 88 − 85,5 = 2,5 percentage points
    assert row(frame, 2023, "S2")["pct"] == pytest.approx(0.85)
    # Ranks 2023: S3 90 % 1st, S1 88 % 2nd, S2 85 % 3rd, of 3; average (88 + 85 + 90)/3 = 87,67 %.
    assert [row(frame, 2023, u)["rank"] for u in ("S3", "S1", "S2")] == [1, 2, 3]
    assert s1["rank_of"] == 3 and s1["average_pct"] == pytest.approx((0.88 + 0.85 + 0.90) / 3)
    assert pd.isna(row(frame, 2023, "S2")["pct_change"])  # no 2022 figure: unknown, not 0


def test_par_data_views(scores, registry):
    data = ParData(scores, pd.DataFrame(columns=["year", "department", "satisfaction_pct", "factor"]), registry)
    assert data.years() == [2021, 2022, 2023]
    assert data.unit("S4", 2022) is None
    assert list(data.history("S1", 2022)["year"]) == [2021, 2022]
    assert list(data.year(2023)["department"][:2]) == ["S1", "S2"]  # tied first, then by code
    assert list(data.unit_areas("S3", 2023)["area"]) == ["A", "B"]
    assert data.unit_sipas("S1", 2023) is None


def test_year_with_par_but_no_dossier_data(registry):
    """A unit's dossier data reaches a period when a record lies in it (received by its end, not completed
    before its start) or Biểu 06 rows cover it. S1 has records from 2020 only; S2 gave Biểu 06 for 2020-Q1
    only. So 2019 has no dossier data for either (the briefing must not show zeros), 2020 has for S1, and
    for S2 only Q1 is covered (a year needs four quarters)."""
    records = records_frame([
        {"department": "S1", "received_at": "2020-02-03", "due_at": "2020-02-10", "completed_at": "2020-02-07"},
    ])
    bieu06 = bieu06_rows([dict(department="S2", period="2020-Q1", field="Đất đai", carried_over=0,
                               received_online=3, received_offline=0, resolved_early=3, resolved_on_time=0,
                               resolved_late=0, pending_in_time=0, pending_overdue=0)])
    data = DossierData.from_frames(records, bieu06, registry)
    y2019, y2020, q1 = Period.parse("2019"), Period.parse("2020"), Period.parse("2020-Q1")
    assert not data.has_data(y2019, "S1") and not data.has_data(y2019, "S2")
    assert data.has_data(y2020, "S1") and data.has_data(q1, "S1")
    assert data.has_data(q1, "S2") and not data.has_data(y2020, "S2")
    assert not data.has_data(q1, "S3")  # neither records nor Biểu 06
