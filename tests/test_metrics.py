"""Dossier metrics (docs/data.md §3) on hand-built records; every expected figure is worked out in comments."""
from __future__ import annotations

import pandas as pd
import pytest

from parreport.metrics import DossierData, field_table, scorecard
from parreport.metrics.counts import from_bieu06, from_records
from parreport.metrics.definitions import PROVINCE
from parreport.periods import Period
from tests.conftest import records_frame

Q1_2020 = Period.parse("2020-Q1")


def one(frame: pd.DataFrame, **where) -> pd.Series:
    for column, value in where.items():
        frame = frame[frame[column] == value]
    assert len(frame) == 1, frame
    return frame.iloc[0]


def test_edge_cases_of_one_quarter():
    records = records_frame([
        # A: received before the quarter, closed inside it two days early → carried over, resolved early.
        {"received_at": "2019-12-20 09:00", "due_at": "2020-01-08", "completed_at": "2020-01-06 10:00"},
        # B: closed exactly on its due day → on time.
        {"received_at": "2020-02-03 08:00", "due_at": "2020-02-10", "completed_at": "2020-02-10 16:45"},
        # C: completed 00:30 after midnight *of* the due day: same calendar day → on time, not late.
        {"received_at": "2020-02-03 08:00", "due_at": "2020-02-10 00:00", "completed_at": "2020-02-10 00:30"},
        # D: completed the day after its due day → late, with an apology.
        {"received_at": "2020-02-03", "due_at": "2020-02-10", "completed_at": "2020-02-11 08:00",
         "apology_issued": True},
        # E: still open on 31/3, due 20/3 → pending overdue, no apology.
        {"received_at": "2020-03-02", "due_at": "2020-03-20"},
        # F: still open, due on the last day 31/3 → pending in time (due day ≥ end day).
        {"received_at": "2020-03-25", "due_at": "2020-03-31", "channel": "postal"},
        # G: received after the quarter → not counted at all.
        {"received_at": "2020-04-01", "due_at": "2020-04-05"},
        # H: closed before the quarter → not counted.
        {"received_at": "2019-12-01", "due_at": "2019-12-10", "completed_at": "2019-12-09"},
    ])
    row = one(from_records(records, Q1_2020), department="STNMT", field="Đất đai")
    assert row["carried_over"] == 1          # A
    assert row["new"] == 5                   # B C D E F
    assert row["new_online"] == 4 and row["new_postal"] == 1 and row["new_offline"] == 1
    assert row["resolved_early"] == 1        # A
    assert row["resolved_on_time"] == 2      # B C
    assert row["resolved_late"] == 1         # D
    assert row["pending_overdue"] == 1       # E
    assert row["pending_in_time"] == 1       # F
    assert row["overdue"] == 2 and row["overdue_apologized"] == 1   # D, E; D apologised
    assert row["carried_over"] + row["new"] == row["resolved"] + row["pending"] == 6


def test_year_boundary():
    # Received 31/12/2022 23:59, due 2/1/2023, completed 1/1/2023 00:30.
    records = records_frame([{"received_at": "2022-12-31 23:59", "due_at": "2023-01-02",
                              "completed_at": "2023-01-01 00:30"}])
    q4 = one(from_records(records, Period.parse("2022-Q4")), field="Đất đai")
    q1 = one(from_records(records, Period.parse("2023-Q1")), field="Đất đai")
    year = one(from_records(records, Period.parse("2022")), field="Đất đai")
    assert (q4["new"], q4["pending_in_time"], q4["resolved"]) == (1, 1, 0)
    assert (q1["carried_over"], q1["new"], q1["resolved_early"]) == (1, 0, 1)
    assert (year["new"], year["pending"]) == (1, 1)


def seed_002_records() -> pd.DataFrame:
    """Seed 002 (Sở TN&MT Lai Châu, quý I năm 2020): 15 carried over + 1.911 new = 1.926; 1.855 resolved,
    none late; 71 pending in time. Built as: 15 received in December 2019 and closed early in January;
    1.840 received in Q1 and closed on their due day; 71 received in late March, due in April, still open."""
    carried = [{"received_at": "2019-12-16", "due_at": "2020-01-15", "completed_at": "2020-01-10"}] * 15
    closed = [{"received_at": "2020-02-03", "due_at": "2020-02-17", "completed_at": "2020-02-17 15:00"}] * 1840
    open_ = [{"received_at": "2020-03-27", "due_at": "2020-04-10"}] * 71
    return records_frame(carried + closed + open_)


def test_seed_002_quarter_reproduced(registry):
    data = DossierData.from_frames(seed_002_records(), pd.DataFrame(columns=["department", "period", "field"]), registry)
    table = field_table(data, Q1_2020, "STNMT")
    total = one(table, field="Tổng")
    assert (total["carried_over"], total["new"], total["received"]) == (15, 1911, 1926)
    assert (total["resolved"], total["resolved_late"]) == (1855, 0)
    assert (total["pending_in_time"], total["pending_overdue"]) == (71, 0)
    assert total["on_time_rate"] == 1.0
    # progress 766 = (15 + 1840 + 71) / 1926 = 1 → 20 points
    assert total["progress_766"] == 1.0 and total["progress_score_766"] == 20.0
    # The registry's other fields of the unit are listed with zeros, Đất đai first (registry order).
    assert list(table["field"]) == ["Đất đai", "Môi trường", "Tài nguyên nước", "Tổng"]
    assert one(table, field="Môi trường")["received"] == 0


def test_rates_changes_and_ranks(registry):
    # STNMT Q1 2020: 10 resolved, 8 early/on time, 2 late → 80 %. Q4 2019: 4 resolved, all early → 100 %.
    # STP Q1 2020: 5 resolved, all on time → 100 %. "007" has no dossier: no data, unknown counts, no rate.
    rows = (
        [{"received_at": "2020-01-06", "due_at": "2020-01-20", "completed_at": "2020-01-10"}] * 8
        + [{"received_at": "2020-01-06", "due_at": "2020-01-20", "completed_at": "2020-01-22",
            "apology_issued": True}] * 2
        + [{"received_at": "2019-10-01", "due_at": "2019-10-10", "completed_at": "2019-10-05"}] * 4
        + [{"department": "STP", "field": "Công chứng", "received_at": "2020-02-01", "due_at": "2020-02-01",
            "completed_at": "2020-02-01 17:00", "channel": "in_person"}] * 5
    )
    data = DossierData.from_frames(records_frame(rows), pd.DataFrame(columns=["department", "period", "field"]), registry)
    card = scorecard(data, Q1_2020).set_index("department")
    assert card.loc["STNMT", "on_time_rate"] == pytest.approx(0.8)
    assert card.loc["STNMT", "on_time_rate_prev"] == pytest.approx(-0.2)     # 80 % − 100 % = −20 points
    assert pd.isna(card.loc["STNMT", "on_time_rate_year"])                   # nothing in Q1 2019
    assert card.loc["STNMT", "apology_rate"] == 1.0                          # 2 late, 2 apologies
    assert (card.loc["STP", "on_time_rate_rank"], card.loc["STP", "on_time_rate_rank_of"]) == (1, 2)
    assert (card.loc["STNMT", "on_time_rate_rank"], card.loc["STNMT", "on_time_rate_rank_of"]) == (2, 2)
    assert pd.isna(card.loc["007", "received"]) and pd.isna(card.loc["007", "on_time_rate"])
    assert not card.loc["007", "has_data"] and card.loc["STP", "has_data"] and card.loc[PROVINCE, "has_data"]
    # Province = sum of units: 13 resolved (10 + 5 − …): STNMT 10 + STP 5 = 15, on time 8 + 5 = 13.
    assert card.loc[PROVINCE, "resolved"] == 15
    assert card.loc[PROVINCE, "on_time_rate"] == pytest.approx(13 / 15)
    # Online share: STNMT 10 new online of 10; STP 0 of 5 → province 10/15.
    assert card.loc[PROVINCE, "online_share"] == pytest.approx(10 / 15)


def test_unknown_flag_makes_count_unknown_not_zero():
    records = records_frame([{"received_at": "2020-01-06", "due_at": "2020-01-20"}] * 2)
    records["digitized"] = pd.array([True, None], dtype="boolean")
    row = one(from_records(records, Q1_2020), field="Đất đai")
    assert pd.isna(row["digitized"])
    assert row["new"] == 2


def bieu06_rows(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows)
    frame["late_with_apology"] = frame.get("late_with_apology", pd.NA)
    for column in frame.columns.difference(["department", "period", "field"]):
        frame[column] = frame[column].astype("Int64")
    return frame


def test_bieu06_exact_and_year_from_quarters():
    base = dict(department="007", field="Lãnh sự", received_offline=0, resolved_on_time=0,
                resolved_late=0, pending_overdue=0)
    frame = bieu06_rows([
        dict(base, period="2023-Q1", carried_over=2, received_online=10, resolved_early=9, pending_in_time=3),
        dict(base, period="2023-Q2", carried_over=3, received_online=5, resolved_early=8, pending_in_time=0),
        dict(base, period="2023-Q3", carried_over=0, received_online=4, resolved_early=3, pending_in_time=1),
        dict(base, period="2023-Q4", carried_over=1, received_online=6, resolved_early=6, pending_in_time=1,
             resolved_late=0),
    ])
    q2 = one(from_bieu06(frame, Period.parse("2023-Q2")), field="Lãnh sự")
    assert (q2["carried_over"], q2["new"], q2["resolved"]) == (3, 5, 8)
    # Year: carried over from Q1 (2), new 10+5+4+6 = 25, resolved 9+8+3+6 = 26, pending from Q4 (1).
    year = one(from_bieu06(frame, Period.parse("2023")), field="Lãnh sự")
    assert (year["carried_over"], year["new"], year["resolved"], year["pending"]) == (2, 25, 26, 1)
    assert year["carried_over"] + year["new"] == year["resolved"] + year["pending"]
    assert pd.isna(year["overdue_apologized"]) and pd.isna(year["digitized"])
    # H1 is covered by Q1+Q2; a half-year with a missing quarter is not guessed.
    assert one(from_bieu06(frame, Period.parse("2023-H1")), field="Lãnh sự")["new"] == 15
    assert from_bieu06(frame[frame["period"] != "2023-Q3"], Period.parse("2023-H2")).empty
