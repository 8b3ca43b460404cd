"""The DuckDB store: history, latest export wins, no double counting, source kept, re-ingest skipped."""
from __future__ import annotations

from pathlib import Path

import pytest

from parreport.errors import ParreportError
from parreport.metrics.counts import from_records
from parreport.periods import Period
from parreport.store import Store

HEADER = "dossier_id,department,field,received_at,due_at,completed_at\n"


def export(path: Path, rows: list[str]) -> Path:
    path.write_text(HEADER + "".join(row + "\n" for row in rows), encoding="utf-8")
    return path


@pytest.fixture
def exports(tmp_path):
    # The December export shows HS1 open; the January export shows it completed and adds HS3.
    december = export(tmp_path / "export_2019_12.csv", [
        "HS1,STNMT,Đất đai,2019-12-20,2020-01-08,",
        "HS2,STNMT,Đất đai,2019-12-02,2019-12-10,2019-12-09",
    ])
    january = export(tmp_path / "export_2020_01.csv", [
        "HS1,STNMT,Đất đai,2019-12-20,2020-01-08,2020-01-06",
        "HS3,STP,Công chứng,2020-01-15,2020-01-20,",
    ])
    return december, january


@pytest.mark.parametrize("order", [("december", "january"), ("january", "december")])
def test_latest_export_wins_whatever_the_ingest_order(tmp_path, registry, exports, order):
    files = dict(zip(("december", "january"), exports))
    with Store(tmp_path / "s.duckdb") as store:
        for name in order:
            store.ingest(files[name], registry)
        dossiers = store.table("dossiers").set_index("dossier_id")
        assert sorted(dossiers.index) == ["HS1", "HS2", "HS3"]           # HS1 once, not twice
        assert str(dossiers.loc["HS1", "completed_at"].date()) == "2020-01-06"
        assert Path(dossiers.loc["HS1", "source_file"]).name == "export_2020_01.csv"
        assert dossiers.loc["HS1", "source_row"] == 2
        assert len(store.sql("SELECT * FROM dossiers_versions WHERE dossier_id = 'HS1'")) == 2  # history kept


@pytest.mark.parametrize("order", [("december", "january"), ("january", "december")])
def test_the_latest_event_is_that_of_the_current_rows(tmp_path, registry, exports, order):
    # December's latest date is HS1's reception, 20/12/2019; January's is HS3's reception, 15/01/2020 (its
    # HS1 completion is 06/01). Whatever the order, January's rows are current and the latest is 15/01/2020.
    files = dict(zip(("december", "january"), exports))
    with Store(tmp_path / "s.duckdb") as store:
        assert store.latest_event("dossiers") is None
        for name in order:
            store.ingest(files[name], registry)
        assert str(store.latest_event("dossiers")) == "2020-01-15 00:00:00"
        # A correction with the same latest date, ingested last, becomes current for HS3 and moves its
        # reception back to 14/01; HS4's reception keeps 15/01/2020 as the latest date.
        store.ingest(export(tmp_path / "correction.csv", ["HS3,STP,Công chứng,2020-01-14,2020-01-20,",
                                                          "HS4,STP,Công chứng,2020-01-15,2020-01-20,"]), registry)
        current = store.sql("SELECT max(greatest(received_at, coalesce(completed_at, received_at))) AS d "
                            "FROM dossiers")["d"].iloc[0]
        assert str(store.latest_event("dossiers")) == str(current) == "2020-01-15 00:00:00"


def test_reingesting_the_same_file_is_skipped(tmp_path, registry, exports):
    with Store(tmp_path / "s.duckdb") as store:
        first = store.ingest(exports[0], registry)
        again = store.ingest(exports[0], registry)
        assert (first.skipped, first.rows, again.skipped) == (False, 2, True)
        assert len(store.ingests()) == 1
        fingerprint = store.fingerprint()
        store.ingest(exports[1], registry)
        assert store.fingerprint() != fingerprint


def test_counts_from_the_store_are_not_doubled(tmp_path, registry, exports):
    with Store(tmp_path / "s.duckdb") as store:
        for path in exports:
            store.ingest(path, registry)
        records = store.table("dossiers")
    q1 = from_records(records, Period.parse("2020-Q1")).set_index("department")
    # HS1: received in December, closed 6/1 before its due day 8/1 → carried over, resolved early.
    # HS3: received 15/1, due 20/1, still open on 31/3 → new, pending overdue at the end of the quarter.
    assert (q1.loc["STNMT", "carried_over"], q1.loc["STNMT", "resolved_early"]) == (1, 1)
    assert (q1.loc["STP", "new"], q1.loc["STP", "pending_overdue"]) == (1, 1)


def test_read_only_store_must_exist(tmp_path):
    with pytest.raises(ParreportError, match="no such store"):
        Store(tmp_path / "missing.duckdb", read_only=True)
