"""Property tests: the identities of docs/data.md §3 hold for any records and any period."""
from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parreport.metrics import DossierData, field_table, scorecard
from parreport.metrics.counts import from_records
from parreport.metrics.definitions import PROVINCE
from parreport.periods import Period
from tests.conftest import records_frame

FIRST_DAY = date(2021, 10, 1)
UNITS = {"STNMT": ["Đất đai", "Môi trường"], "STP": ["Công chứng"]}

dossier = st.builds(
    lambda unit, field_pick, received, due_after, done_after, channel, apology: {
        "department": unit,
        "field": UNITS[unit][field_pick % len(UNITS[unit])],
        "received_at": str(FIRST_DAY + timedelta(days=received)) + " 10:00",
        "due_at": str(FIRST_DAY + timedelta(days=received + due_after)),
        "completed_at": None if done_after is None else str(FIRST_DAY + timedelta(days=received + done_after)) + " 16:00",
        "channel": channel,
        "apology_issued": apology,
    },
    st.sampled_from(sorted(UNITS)), st.integers(0, 5), st.integers(0, 500), st.integers(0, 30),
    st.none() | st.integers(0, 60), st.sampled_from(["online", "in_person", "postal"]), st.booleans(),
)
periods = st.sampled_from(["2022-Q1", "2022-Q2", "2022-Q4", "2022-H1", "2022", "2022-05", "2023-Q1"])


property_settings = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

@given(st.lists(dossier, min_size=1, max_size=80), periods)
def test_flow_identities(rows, period_code):
    counts = from_records(records_frame(rows), Period.parse(period_code))
    assert (counts["carried_over"] + counts["new"] == counts["resolved"] + counts["pending"]).all()
    assert (counts["resolved"] == counts["resolved_early"] + counts["resolved_on_time"] + counts["resolved_late"]).all()
    assert (counts["pending"] == counts["pending_in_time"] + counts["pending_overdue"]).all()
    assert (counts["new"] == counts["new_online"] + counts["new_in_person"] + counts["new_postal"]).all()
    assert (counts["overdue_apologized"] <= counts["overdue"]).all()


@property_settings
@given(st.lists(dossier, min_size=1, max_size=80), periods)
def test_totals_are_sums(registry, rows, period_code):
    period = Period.parse(period_code)
    data = DossierData.from_frames(records_frame(rows), pd.DataFrame(columns=["department", "period", "field"]), registry)
    card = scorecard(data, period).set_index("department")
    units = card.drop(index=PROVINCE)
    for column in ("carried_over", "new", "resolved_late", "pending_overdue", "overdue_apologized"):
        if units["has_data"].any():  # the province sums the units with data, the others are unknown
            assert card.loc[PROVINCE, column] == units.loc[units["has_data"], column].sum()
        else:
            assert not card.loc[PROVINCE, "has_data"] and pd.isna(card.loc[PROVINCE, column])
        for unit in UNITS:
            if not card.loc[unit, "has_data"]:  # no dossier in scope: unknown, not zero, and no table
                assert pd.isna(card.loc[unit, column]) and field_table(data, period, unit).empty
                continue
            table = field_table(data, period, unit)
            assert table.loc[table["field"] == "Tổng", column].item() == table.loc[table["field"] != "Tổng", column].sum()
            assert table.loc[table["field"] == "Tổng", column].item() == card.loc[unit, column]


@property_settings
@given(st.lists(dossier, min_size=1, max_size=80))
def test_year_is_its_quarters(rows):
    records = records_frame(rows)
    year = from_records(records, Period.parse("2022")).set_index(["department", "field"])
    quarters = [from_records(records, Period.parse(f"2022-Q{q}")).set_index(["department", "field"]) for q in (1, 2, 3, 4)]
    index = year.index
    flows = ["new", "resolved_early", "resolved_on_time", "resolved_late"]
    summed = sum(q[flows].reindex(index, fill_value=0) for q in quarters)
    assert (summed == year[flows]).all().all()
    assert (quarters[0]["carried_over"].reindex(index, fill_value=0) == year["carried_over"]).all()
    assert (quarters[3]["pending"].reindex(index, fill_value=0) == year["pending"]).all()
