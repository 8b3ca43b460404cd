"""The demo province: deterministic files in real-export formats, ingested without double counting, with
the volumes, coverage and shares the issue asks for."""
from __future__ import annotations

import pandas as pd
import pytest

from parreport import demo
from parreport.metrics import PROVINCE, DossierData, scorecard
from parreport.paths import DEFAULT_REGISTRY
from parreport.periods import Period
from parreport.registry import Registry
from parreport.sources import demo_store, ingest_files
from parreport.store import Store

REGISTRY = Registry.load(DEFAULT_REGISTRY)
QUARTERS = [Period(year, "Q", q) for year in demo.YEARS for q in range(1, 5)]


@pytest.fixture(scope="module")
def small_demo(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo")
    return demo.write_demo_data(folder, REGISTRY, scale=0.05)


@pytest.fixture(scope="module")
def province():
    """The full-size demo store every command uses by default (built once, then cached)."""
    with Store(demo_store(), read_only=True) as store:
        yield store


def test_same_seed_same_bytes_other_seed_other_data(small_demo, tmp_path):
    again = demo.write_demo_data(tmp_path / "again", REGISTRY, scale=0.05)
    for new, old in zip(again, small_demo):
        if new.suffix == ".xlsx":   # the zip container stamps the time of writing; compare the cells
            pd.testing.assert_frame_equal(pd.read_excel(new, header=None), pd.read_excel(old, header=None))
        else:
            assert new.read_bytes() == old.read_bytes()
    other = demo.write_demo_data(tmp_path / "other", REGISTRY, seed=7, scale=0.05)
    assert other[0].read_bytes() != small_demo[0].read_bytes()


def test_files_come_in_the_formats_real_exports_use(small_demo):
    names = [path.name for path in small_demo]
    assert names == ["dossiers_2022.csv", "dossiers_2023.csv", "dossiers_2024.parquet", "bieu06_counts.xlsx",
                     "par_index.csv", "sipas.csv", "scores_766.xlsx"]
    vietnamese = small_demo[1].read_bytes()
    assert vietnamese.startswith(b"\xef\xbb\xbf")                       # UTF-8 with BOM
    header = vietnamese.decode("utf-8-sig").splitlines()[0]
    assert header.startswith("Mã hồ sơ,Đơn vị,Lĩnh vực") and "Ngày hẹn trả" in header


def test_reappearing_dossiers_are_counted_once_and_the_latest_export_wins(small_demo):
    first = pd.read_csv(small_demo[0], dtype=str)
    second = pd.read_csv(small_demo[1], dtype=str, encoding="utf-8-sig")
    carried = set(first["dossier_id"]) & set(second["Mã hồ sơ"])
    assert carried                                                     # open at the 2022 cut-off, closed later
    assert first.loc[first["dossier_id"].isin(carried), "completed_at"].isna().all()
    with Store(":memory:") as store:
        results = ingest_files(store, small_demo, REGISTRY)
        assert all(not r.discrepancies for r in results)
        dossiers = store.table("dossiers")
        exported = pd.concat([first["dossier_id"], second["Mã hồ sơ"],
                              pd.read_parquet(small_demo[2])["dossier_id"]]).nunique()
        assert len(dossiers) == exported == dossiers["dossier_id"].nunique()
        closed = dossiers[dossiers["dossier_id"].isin(carried)]
        assert closed["completed_at"].notna().all()                    # the 2023 export's answer
        assert set(store.table("counts")["department"]) == set(demo.SUMMARY_ONLY)


def test_province_size_coverage_and_volumes(province):
    dossiers = province.table("dossiers")
    units = set(dossiers["department"]) | set(province.table("counts")["department"])
    assert len(units) >= 15
    assert {"Đất đai", "Môi trường", "Tài nguyên nước", "Khoáng sản", "Biển và hải đảo"} <= set(
        dossiers.loc[dossiers["department"] == "STNMT", "field"])
    per_year = dossiers.groupby(["department", dossiers["received_at"].dt.year]).size()
    assert per_year.min() < 1_000 and per_year.max() > 10_000           # a few hundred … tens of thousands
    assert set(per_year.index.get_level_values(1)) == set(demo.YEARS)
    assert len(province.table("par_index")["department"].unique()) == len(units)
    assert len(province.table("sipas")) == len(units) * len(demo.YEARS)


def test_every_quarter_adds_up_and_looks_like_a_province(province):
    data = DossierData.from_store(province, REGISTRY)
    for quarter in QUARTERS:
        card = scorecard(data, quarter).set_index("department")
        units = card.drop(index=PROVINCE)
        assert len(units) >= 15 and (units["received"] > 0).all()
        assert (card["carried_over"] + card["new"] == card["resolved"] + card["pending"]).all()
        assert card.loc[PROVINCE, "resolved"] == units["resolved"].sum()
        late_share = card.loc[PROVINCE, "resolved_late"] / card.loc[PROVINCE, "resolved"]
        assert 0.001 < late_share < 0.05
        assert 0.2 < card.loc[PROVINCE, "online_share"] < 0.95


def test_official_766_scores_agree_with_the_dossiers_but_for_one(province):
    """Every unit keeping records has the six groups (total ≤ 100) in each quarter of 2023–2024; tiến độ and
    the dossier-satisfaction indicator equal the scores computed from its dossiers to two decimals, but for
    the one deliberate disagreement (SXD 2024-Q4), which is the only one the cross-check flags."""
    from parreport.metrics.s766 import cross_check, official_scores, scorecard_766
    scores = province.table("scores_766")
    records_units = set(province.table("dossiers")["department"])
    assert set(scores["department"]) == records_units
    data = DossierData.from_store(province, REGISTRY)
    flagged = []
    for quarter in [q for q in QUARTERS if q.year in demo.SCORE_766_YEARS]:
        official = official_scores(scores, quarter)
        assert len(official) == len(records_units) and (official["official_total"] <= 100).all()
        checks = cross_check(scorecard_766(scorecard(data, quarter), scores, quarter))
        assert len(checks) == 2 * len(records_units)                  # tiến độ and satisfaction of each unit
        flagged += [(quarter.code, row.department, row.indicator, row.difference)
                    for row in checks[checks["flagged"]].itertuples()]
    unit, period, _group, difference = demo.DISAGREEMENT
    assert flagged == [(period, unit, "progress_766", difference)]
