"""No data is not zero (docs/data.md §3.4): a unit with no dossier record in scope and no Biểu 06 row
covering a period has unknown counts, is left out of ranks and province sums, and gets no briefing.

Fixture, worked by hand (registry of tests/conftest.py: STNMT, STP, 007, all group so_nganh):
* STNMT, records: 3 dossiers received 6/1/2020, due 20/1, completed 10/1 (early); 1 received 20/3/2020,
  due 10/4, completed 8/4 → quý I: received 4, resolved 3 (all early, 100 %), 1 pending in time;
  quý II: carried over 1, new 0, resolved 1 early (100 %).
* STP, Biểu 06 for 2020-Q2 only, field Công chứng: 4 online + 1 offline new, 3 early, 1 on time, 1 late
  → resolved 5, on-time rate 4/5 = 80 %. Nothing for quý I, so no data there, nor in 2020-H1 or 2020
  (Q1 is missing, so the quarters do not cover them).
* 007: no dossier data; a PAR Index score for 2020; official 766 scores of 2020-Q3 (15 + 18 + 20 + 10 + 9 +
  18 = 90), which cover quý III, 6 tháng cuối and năm 2020, but no month.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from parreport.errors import NoDataError
from parreport.metrics import PROVINCE, DossierData, scorecard
from parreport.periods import Period
from parreport.registry import Registry
from parreport.reports.briefing import load_briefing
from parreport.sources import ingest_files
from parreport.store import Store
from tests.conftest import REGISTRY_YAML

RECORDS = ("dossier_id,department,field,channel,received_at,due_at,completed_at\n"
           + "".join(f"A{i},STNMT,Đất đai,online,2020-01-06,2020-01-20,2020-01-10\n" for i in range(3))
           + "B1,STNMT,Đất đai,online,2020-03-20,2020-04-10,2020-04-08\n")
BIEU06 = ("department,period,field,received_online,received_offline,carried_over,resolved_early,"
          "resolved_on_time,resolved_late,pending_in_time,pending_overdue\n"
          "STP,2020-Q2,Công chứng,4,1,0,3,1,1,0,0\n")
PAR = "year,department,area,score,max_score\n2020,007,Cải cách TTHC,8,10\n"
S766 = "period,department,group,score\n" + "".join(
    f"2020-Q3,007,{group},{score}\n" for group, score in (("cong_khai", 15), ("tien_do", 18), ("so_hoa", 20),
                                                          ("dvc_truc_tuyen", 10), ("thanh_toan", 9), ("hai_long", 18)))
Q1, Q2 = Period.parse("2020-Q1"), Period.parse("2020-Q2")


@pytest.fixture
def inputs(tmp_path) -> dict[str, Path]:
    registry = tmp_path / "departments.yaml"
    registry.write_text(REGISTRY_YAML, encoding="utf-8")
    for name, text in (("records.csv", RECORDS), ("bieu06.csv", BIEU06), ("par.csv", PAR), ("s766.csv", S766)):
        (tmp_path / "in").mkdir(exist_ok=True)
        (tmp_path / "in" / name).write_text(text, encoding="utf-8")
    store_path = tmp_path / "data.duckdb"
    with Store(store_path) as store:
        ingest_files(store, [tmp_path / "in"], Registry.load(registry))
    return {"registry": registry, "data": store_path}


@pytest.fixture
def dossiers(inputs) -> DossierData:
    """The counts as briefings get them: SQL on the store, which stays open while the test asks."""
    with Store(inputs["data"], read_only=True) as store:
        yield DossierData.from_store(store, Registry.load(inputs["registry"]))


def test_has_data_follows_records_in_scope_and_covering_bieu06(dossiers):
    assert [dossiers.has_data(Q1, code) for code in ("STNMT", "STP", "007")] == [True, False, False]
    assert [dossiers.has_data(Q2, code) for code in ("STNMT", "STP", "007")] == [True, True, False]
    for period in ("2020-H1", "2020"):  # STP's single quarter does not cover them
        assert not dossiers.has_data(Period.parse(period), "STP")
    assert not dossiers.has_data(Period.parse("2020-Q3"), "STNMT")  # nothing in scope after 8/4


def test_units_without_data_are_unknown_not_zero_and_sums_and_ranks_leave_them_out(dossiers):
    q1 = dossiers.units(Q1).set_index("department")
    assert q1["has_data"].to_dict() == {"STNMT": True, "STP": False, "007": False, PROVINCE: True}
    assert q1.loc[["STP", "007"], ["received", "resolved", "on_time_rate"]].isna().all().all()
    assert (q1.loc[PROVINCE, "received"], q1.loc[PROVINCE, "resolved"]) == (4, 3)  # STNMT alone

    q2 = scorecard(dossiers, Q2).set_index("department")
    assert (q2.loc[PROVINCE, "resolved"], q2.loc[PROVINCE, "on_time_rate"]) == (6, pytest.approx(5 / 6))
    ranks = {code: (q2.loc[code, "on_time_rate_rank"], q2.loc[code, "on_time_rate_rank_of"])
             for code in ("STNMT", "STP")}
    assert ranks == {"STNMT": (1, 2), "STP": (2, 2)}       # 100 % before 80 %, out of the 2 with data
    assert pd.isna(q2.loc["007", "on_time_rate_rank"]) and pd.isna(q2.loc["007", "on_time_rate_rank_of"])
    assert pd.isna(q2.loc["STP", "received_prev"])         # no data in quý I: no change, not "+5"
    assert pd.isna(q2.loc["STP", "on_time_rate_prev"])


def test_a_period_where_no_unit_has_data_has_no_province_figures(dossiers):
    units = dossiers.units(Period.parse("2021-Q1")).set_index("department")
    assert not units["has_data"].any() and units[["received", "on_time_rate"]].isna().all().all()


def test_no_briefing_without_data(inputs):
    with pytest.raises(NoDataError, match=r"STP \(Sở Tư pháp\) has no data in quý I năm 2020") as caught:
        load_briefing("STP", "2020-Q1", **inputs)
    assert (caught.value.department, caught.value.period) == ("STP", "2020-Q1")
    with pytest.raises(NoDataError, match="no dossier record, no Biểu 06 row and no official 766 score for the "
                                          "period, no PAR Index"):
        load_briefing("STP", "2020", **inputs)             # no dossier data in 2020 and no PAR score either
    assert load_briefing("STP", "2020-Q2", **inputs).card["resolved"] == 5


def test_a_year_with_par_index_scores_is_not_no_data(inputs):
    """007 has no dossier data but a PAR Index score for 2020: its annual briefing is not refused;
    a quarter of 2020 is."""
    briefing = load_briefing("007", "2020", **inputs)
    assert briefing.card["received"] is None and briefing.card["has_data"] is False
    with pytest.raises(NoDataError):
        load_briefing("007", "2020-Q2", **inputs)


def test_official_766_scores_alone_make_a_briefing_of_the_quarters_they_cover(inputs):
    briefing = load_briefing("007", "2020-Q3", **inputs)
    assert not briefing.has_dossiers and briefing.has_766
    assert briefing.headline()["s766_total"] == 90 and briefing.headline()["received"] is None
    assert [section.key for section in briefing.document().sections] == ["highlights", "s766", "reach"]
    assert load_briefing("007", "2020-H2", **inputs).headline()["s766_total"] == 90  # its last scored quarter
    with pytest.raises(NoDataError, match="no official 766 score"):
        load_briefing("007", "2020-09", **inputs)  # a month lies inside no quarter


def test_an_overview_without_any_input_is_no_data(inputs):
    from parreport.reports.overview import load_overview

    with pytest.raises(NoDataError, match="no unit has data in quý I năm 2021"):
        load_overview("2021-Q1", **inputs)
    overview = load_overview("2020-Q3", **inputs)  # 007's 766 scores; STNMT's last dossier closed 8/4
    assert not overview.has_dossiers and [s.key for s in overview.document().sections] == ["highlights", "s766",
                                                                                            "reach"]
