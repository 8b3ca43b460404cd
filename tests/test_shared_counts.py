"""Shared counts: the DuckDB query equals the pandas reference (from_records) for any records and any
period, a store's counts are computed once per data fingerprint and read back by every briefing, and a
process keeps what it read from a store for its next report until the data or the registry change."""
from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import duckdb
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from parreport.metrics import PROVINCE, DossierData, scorecard
from parreport.metrics.counts import from_records
from parreport.metrics.counts_sql import records_counts
from parreport.metrics.kept_counts import KeptCounts, periods_read, precompute_counts
from parreport.periods import Period
from parreport.registry import Registry
from parreport import reads
from parreport.reports.inputs import load_inputs
from parreport.store import Store
from tests.conftest import REGISTRY_YAML, records_frame

FIRST_DAY = date(2022, 11, 20)
UNITS = {"STNMT": ["Đất đai", "Môi trường"], "STP": ["Công chứng"]}
FLAGS = ("apology_issued", "digitized", "fee_required", "paid_online", "unsatisfied")
PERIODS = [*(Period.parse(code) for code in ("2022-Q4", "2023-Q1", "2023-H1", "2023-01", "2022")),
           *(Period.parse(code, "nd09") for code in ("2023-Q1", "2023-03", "2023"))]

flag = st.none() | st.booleans()  # None: the export leaves the cell empty
dossier = st.fixed_dictionaries({
    "unit": st.sampled_from(sorted(UNITS)), "field_pick": st.integers(0, 3),
    "received": st.integers(0, 200), "received_hour": st.sampled_from([0, 9, 23]),
    # due on the reception day up to 40 days later; completed on, before or after its due day, or open
    "due_after": st.integers(0, 40), "done_shift": st.none() | st.integers(-5, 5),
    "done_hour": st.sampled_from([0, 16, 23]),
    "channel": st.none() | st.sampled_from(["online", "in_person", "postal"]),
    **{name: flag for name in FLAGS},
})


def frame_of(draws: list[dict]) -> pd.DataFrame:
    rows = []
    for d in draws:
        received = FIRST_DAY + timedelta(days=d["received"])
        due = received + timedelta(days=d["due_after"])
        done = None if d["done_shift"] is None else max(received, due + timedelta(days=d["done_shift"]))
        rows.append({"department": d["unit"], "field": UNITS[d["unit"]][d["field_pick"] % len(UNITS[d["unit"]])],
                     "received_at": f"{received} {d['received_hour']:02d}:00", "due_at": str(due),
                     "completed_at": None if done is None else f"{done} {d['done_hour']:02d}:00"})
    frame = records_frame(rows)
    # records_frame fills empty flags with defaults; put the drawn ones back, empty cells included
    frame["channel"] = pd.array([d["channel"] for d in draws], dtype="string")
    for name in FLAGS:
        frame[name] = pd.array([d[name] for d in draws], dtype="boolean")
    return frame


@settings(max_examples=25, deadline=None)
@given(st.lists(dossier, min_size=1, max_size=60))
def test_sql_counts_equal_pandas_counts(draws):
    records = frame_of(draws)
    con = duckdb.connect()
    con.register("dossiers", records)
    by_sql = records_counts(con, PERIODS)
    for period, counted in zip(PERIODS, by_sql):
        reference = from_records(records, period)
        if reference.empty:  # no dossier in scope: same columns (empty columns' dtypes do not matter)
            assert counted.empty and list(counted.columns) == list(reference.columns)
        else:
            pd.testing.assert_frame_equal(counted, reference, obj=f"{period.convention} {period}")


HEADER = "dossier_id,department,field,received_at,due_at,completed_at,digitized\n"
BIEU06_HEADER = ("department,period,field,received_online,received_offline,carried_over,resolved_early,"
                 "resolved_on_time,resolved_late,pending_in_time,pending_overdue\n")


def write(path: Path, header: str, rows: list[str]) -> Path:
    path.write_text(header + "".join(row + "\n" for row in rows), encoding="utf-8")
    return path


def test_counts_are_computed_once_per_fingerprint_and_read_back(tmp_path, registry):
    # STNMT: HS1 received 6/1, due 20/1, closed 10/1 (early); HS2 received 6/1, due 20/1, closed 22/1 (late),
    # from an export without the digitized column → Q1 2020 digitized unknown for STNMT and the province.
    # "007" sends only a Biểu 06 row: 4 new online, 4 early.
    records = write(tmp_path / "dossiers.csv", HEADER, ["HS1,STNMT,Đất đai,2020-01-06,2020-01-20,2020-01-10,true"])
    undigitized = write(tmp_path / "older.csv", HEADER.replace(",digitized", ""),
                        ["HS2,STNMT,Đất đai,2020-01-06,2020-01-20,2020-01-22"])
    summary = write(tmp_path / "bieu06.csv", BIEU06_HEADER, ["007,2020-Q1,Lãnh sự,4,0,0,4,0,0,0,0"])
    q1 = Period.parse("2020-Q1")
    store_path = tmp_path / "province.duckdb"
    with Store(store_path) as store:
        for path in (records, undigitized, summary):
            store.ingest(path, registry)
    with Store(store_path, read_only=True) as store:
        folder = precompute_counts(store, [q1])
        # Q1 2020 reads 8 trend quarters (Q2 2018 … Q1 2020), which hold Q4 2019 and Q1 2019: 8 files.
        assert sorted(p.name for p in (folder / "calendar").iterdir()) == sorted(
            f"{p.code}{suffix}" for p in periods_read([q1]) for suffix in (".parquet", ".sha256"))
        assert len(periods_read([q1])) == 8
        data = DossierData.from_store(store, registry)
        data.prefetch(periods_read([q1]))
        card = scorecard(data, q1).set_index("department")
        reference = DossierData.from_frames(store.table("dossiers"), store.table("counts"), registry)
        pd.testing.assert_frame_equal(scorecard(reference, q1), card.reset_index())
    assert (card.loc["STNMT", "resolved_early"], card.loc["STNMT", "resolved_late"]) == (1, 1)
    assert pd.isna(card.loc["STNMT", "digitized"]) and pd.isna(card.loc[PROVINCE, "digitized"])
    assert (card.loc["007", "new_online"], card.loc[PROVINCE, "new"]) == (4, 6)
    # New data → new fingerprint → a new folder; the stale one goes when the batch precomputes again.
    more = write(tmp_path / "more.csv", HEADER, ["HS3,STP,Công chứng,2020-02-03,2020-02-10,2020-02-10,true"])
    with Store(store_path) as store:
        store.ingest(more, registry)
    with Store(store_path, read_only=True) as store:
        assert KeptCounts(store).get([q1])[q1].set_index("department").loc["STP", "resolved_on_time"] == 1
        newer = precompute_counts(store, [q1])
    assert newer != folder and newer.exists() and not folder.exists()


def test_a_store_in_memory_is_counted_without_a_folder(registry, tmp_path):
    records = write(tmp_path / "dossiers.csv", HEADER, ["HS1,STNMT,Đất đai,2020-01-06,2020-01-20,2020-01-20,true"])
    with Store(":memory:") as store:
        store.ingest(records, registry)
        assert precompute_counts(store, [Period.parse("2020-Q1")]) is None
        counted = KeptCounts(store).get([Period.parse("2020-Q1")])[Period.parse("2020-Q1")]
    assert counted["resolved_on_time"].tolist() == [1]


def test_a_report_records_every_period_it_reads_even_from_what_a_kernel_kept(tmp_path, registry, registry_file):
    """The reads recorded (parreport.reads) while a report loads its inputs, and again for the next report
    served from what the process kept: the registry file, the 766 scores, the sample-data mark and each
    period of counts asked for — a period outside the briefing's usual ones too."""
    records = write(tmp_path / "dossiers.csv", HEADER, ["HS1,STNMT,Đất đai,2020-01-06,2020-01-20,2020-01-10,true"])
    store_path = tmp_path / "province.duckdb"
    with Store(store_path) as store:
        store.ingest(records, registry)
    for _ in range(2):  # the second time, every count comes from what the process kept
        reads.clear()
        inputs = load_inputs("2020-Q1", data=store_path, registry=registry_file)
        inputs.dossiers.units(Period.parse("2015-Q4"))  # what a customised notebook might also show, later
        recorded = [tuple(read) for read in reads.recorded()]
        assert ("registry", str(registry_file)) in recorded and ("table", "scores_766") in recorded
        assert ("meta", "sample_data") in recorded and ("store",) not in recorded
        counted = {read[2] for read in recorded if read[0] == "counts"}
        assert {"2020-Q1", "2019-Q4", "2019-Q1", "2018-Q2", "2015-Q4"} <= counted


def test_a_periods_digest_is_kept_with_its_counts_and_changes_with_them(tmp_path, registry):
    """HS1 in Q1 2020; then HS3 in Q1 too: Q1's digest changes, Q3's (no dossier either time) does not."""
    records = write(tmp_path / "dossiers.csv", HEADER, ["HS1,STNMT,Đất đai,2020-01-06,2020-01-20,2020-01-10,true"])
    store_path, q1, q3 = tmp_path / "province.duckdb", Period.parse("2020-Q1"), Period.parse("2020-Q3")
    with Store(store_path) as store:
        store.ingest(records, registry)
    with Store(store_path, read_only=True) as store:
        shared = KeptCounts(store)
        first = {period: shared.digest(period) for period in (q1, q3)}
        assert (shared.folder / "calendar" / "2020-Q1.sha256").read_text(encoding="utf-8") == first[q1]
        assert KeptCounts(store).digest(q1) == first[q1]
    more = write(tmp_path / "more.csv", HEADER, ["HS3,STP,Công chứng,2020-02-03,2020-02-10,2020-02-10,true"])
    with Store(store_path) as store:
        store.ingest(more, registry)
    with Store(store_path, read_only=True) as store:
        again = {period: KeptCounts(store).digest(period) for period in (q1, q3)}
    assert again[q1] != first[q1] and again[q3] == first[q3]


def test_a_process_reads_a_store_once_until_its_data_or_registry_change(tmp_path, registry, registry_file):
    # HS1: STNMT, Đất đai, received 6/1/2020, due 20/1, closed 10/1 → Q1 2020: STNMT received 1, STP nothing.
    records = write(tmp_path / "dossiers.csv", HEADER, ["HS1,STNMT,Đất đai,2020-01-06,2020-01-20,2020-01-10,true"])
    store_path = tmp_path / "province.duckdb"
    with Store(store_path) as store:
        store.ingest(records, registry)
    q1 = Period.parse("2020-Q1")
    first = load_inputs(q1, data=store_path, registry=registry)
    second = load_inputs(Period.parse("2020-Q2"), data=store_path, registry=Registry.load(registry_file))
    # The next report (another period, the same registry read again) reads and sums the counts no more.
    assert second.dossiers is first.dossiers
    assert scorecard(second.dossiers, q1).set_index("department").loc["STNMT", "received"] == 1
    # HS3: STP, received 3/2/2020 and closed on its due day 10/2 → a new fingerprint, counts read again.
    more = write(tmp_path / "more.csv", HEADER, ["HS3,STP,Công chứng,2020-02-03,2020-02-10,2020-02-10,true"])
    with Store(store_path) as store:
        store.ingest(more, registry)
    third = load_inputs(q1, data=store_path, registry=registry)
    assert third.dossiers is not first.dossiers
    card = scorecard(third.dossiers, q1).set_index("department")
    stp = (card.loc["STP", "received"], card.loc["STP", "resolved_on_time"])
    assert stp == (1, 1) and card.loc[PROVINCE, "received"] == 2
    # Another registry (STP renamed) → its names, read again.
    renamed = tmp_path / "renamed.yaml"
    renamed.write_text(REGISTRY_YAML.replace('name: "Sở Tư pháp"', 'name: "Sở Tư pháp tỉnh"'), encoding="utf-8")
    fourth = load_inputs(q1, data=store_path, registry=Registry.load(renamed))
    assert fourth.dossiers is not third.dossiers
    assert scorecard(fourth.dossiers, q1).set_index("department").loc["STP", "name"] == "Sở Tư pháp tỉnh"
