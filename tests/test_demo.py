"""The demo province of 2026: deterministic files in real-export formats, ingested without double counting,
with the reorganisation of 2025 (registry lineage), the volumes, coverage and shares the issue asks for."""
from __future__ import annotations

from datetime import timedelta

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
QUARTERS = list(demo.QUARTERS)
GROUP = {dept.code: dept.group for dept in REGISTRY}


@pytest.fixture(scope="module")
def small_demo(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo")
    return demo.write_demo_data(folder, REGISTRY, scale=0.05)


@pytest.fixture(scope="module")
def province():
    """The full-size demo store every command uses by default (built once, then cached)."""
    with Store(demo_store(), read_only=True) as store:
        yield store


@pytest.fixture(scope="module")
def data(province):
    return DossierData.from_store(province, REGISTRY)


def test_the_registry_is_the_province_of_2026():
    """Five sở merged on 1/3/2025 (their successors report them), about 100 xã and phường formed on 1/7/2025
    from 2–3 former communes each; every former unit has a successor active the day after its valid_to."""
    now = Period.parse("2026-Q3")
    assert REGISTRY.province == "Tỉnh Bình Sơn"
    merged = {code: REGISTRY.get(code).successor for code in ("STNMT", "SNNPTNT", "SKHDT", "SGTVT", "STTTT", "SLDTBXH")}
    assert merged == {"STNMT": "SNNMT", "SNNPTNT": "SNNMT", "SKHDT": "STC", "SGTVT": "SXD", "STTTT": "SKHCN",
                      "SLDTBXH": "SNV"}
    for code, successor in merged.items():
        assert set(REGISTRY.get(code).fields) <= set(REGISTRY.get(successor).fields)   # the union of fields
    current = REGISTRY.codes(now)
    communes = [code for code in current if GROUP[code] == "cap_xa"]
    assert 90 <= len(communes) <= 110 and len(current) - len(communes) >= 12
    for dept in REGISTRY:
        if dept.valid_to is not None:
            day_after = dept.valid_to + timedelta(days=1)
            successor = REGISTRY.get(dept.successor)
            assert (successor.valid_from is None or successor.valid_from <= day_after) and (
                successor.valid_to is None or successor.valid_to >= day_after), dept.code
        if dept.group == "cap_xa" and dept.valid_from is not None:
            assert 2 <= len(REGISTRY.predecessors(dept.code)) <= 3, dept.code
        if dept.code in current:
            assert dept.aliases and dept.aliases[0].startswith("H12.")                 # the dashboard's code
    assert REGISTRY.resolve("Sở Công Thương - Tỉnh Bình Sơn", "test") == "SCT"


def test_units_report_their_own_figures_until_their_merger():
    """Sở KH&ĐT existed until 28/2/2025: it reports its own figures for 2024 (Sở Tài chính, which absorbed it
    and keeps its code, only its own); from 2025-Q1, the quarter of the merger, Sở Tài chính reports both."""
    before, during, after = Period.parse("2024-Q4"), Period.parse("2025-Q1"), Period.parse("2025-Q2")
    assert {"SKHDT", "STC", "STNMT", "SNNPTNT", "SGTVT", "SXD"} <= set(REGISTRY.codes(before))
    assert "SNNMT" not in REGISTRY.codes(before)
    assert REGISTRY.members("STC", before) == ["STC"] and REGISTRY.members("SXD", before) == ["SXD"]
    for period in (during, after):
        assert not {"SKHDT", "STNMT", "SNNPTNT", "SGTVT", "STTTT", "SLDTBXH"} & set(REGISTRY.codes(period))
        assert set(REGISTRY.members("STC", period)) == {"STC", "SKHDT"}
    assert {"XC001", "XC002"} <= set(REGISTRY.codes(Period.parse("2025-Q2")))
    assert not any(code.startswith("XC") for code in REGISTRY.codes(Period.parse("2025-Q3")))


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
    assert names == ["dossiers_2023.csv", "dossiers_2024.csv", "dossiers_2025.parquet", "dossiers_2026.txt",
                     "bieu06_counts.xlsx", "par_index.csv", "sipas.csv", "scores_766.xlsx"]
    vietnamese = small_demo[1].read_bytes()
    assert vietnamese.startswith(b"\xef\xbb\xbf")                       # UTF-8 with BOM
    header = vietnamese.decode("utf-8-sig").splitlines()[0]
    assert header.startswith("Mã hồ sơ,Đơn vị,Lĩnh vực") and "Ngày hẹn trả" in header
    assert "Sở Kế hoạch và Đầu tư" in vietnamese.decode("utf-8-sig")    # full unit names
    unicode_text = small_demo[3].read_bytes()
    assert unicode_text[:2] in (b"\xff\xfe", b"\xfe\xff")               # UTF-16 with BOM
    lines = unicode_text.decode("utf-16").splitlines()
    assert lines[0].startswith("Mã hồ sơ\tMã đơn vị\tLĩnh vực")
    assert {line.split("\t")[1] for line in lines[1:]} >= {"H12.07", "H12.50.001"}  # dashboard codes


def _exports(files) -> list[pd.DataFrame]:
    """The four dossier exports with the canonical id and completion columns."""
    first = pd.read_csv(files[0], dtype=str)
    second = pd.read_csv(files[1], dtype=str, encoding="utf-8-sig")
    third = pd.read_parquet(files[2])
    fourth = pd.read_csv(files[3], dtype=str, encoding="utf-16", sep="\t")
    rename = {"Mã hồ sơ": "dossier_id", "Ngày trả kết quả": "completed_at", "Ngày tiếp nhận": "received_at"}
    return [frame.rename(columns=rename)[["dossier_id", "completed_at", "received_at"]]
            for frame in (first, second, third, fourth)]


def test_reappearing_dossiers_are_counted_once_and_the_latest_export_wins(small_demo):
    exports = _exports(small_demo)
    for before, after in zip(exports, exports[1:]):
        carried = set(before["dossier_id"]) & set(after["dossier_id"])
        assert carried                                                 # open at a cut-off, shown again later
        assert before.loc[before["dossier_id"].isin(carried), "completed_at"].isna().all()
    last = exports[-1]
    assert pd.to_datetime(last["received_at"], format="%d/%m/%Y %H:%M").max() <= pd.Timestamp("2026-09-30 23:59")
    with Store(":memory:") as store:
        results = ingest_files(store, small_demo, REGISTRY)
        assert all(not r.discrepancies for r in results)
        dossiers = store.table("dossiers")
        exported = pd.concat([frame["dossier_id"] for frame in exports]).nunique()
        assert len(dossiers) == exported == dossiers["dossier_id"].nunique()
        carried = set(exports[2]["dossier_id"]) & set(exports[3]["dossier_id"])
        closed = dossiers[dossiers["dossier_id"].isin(carried)]
        assert len(closed) == len(carried) and closed["completed_at"].notna().any()  # the 2026 export's answer
        assert set(store.table("counts")["department"]) == set(demo.SUMMARY_ONLY)


def test_dossiers_stay_within_each_units_validity(province):
    """A unit's dossiers are received within its validity dates; a dossier received before a merger keeps
    the former unit's code even when it is completed after."""
    dossiers = province.table("dossiers")
    received = dossiers.groupby("department")["received_at"].agg(["min", "max"])
    for code, row in received.iterrows():
        dept = REGISTRY.get(code)
        assert dept.valid_from is None or row["min"].date() >= dept.valid_from, code
        assert dept.valid_to is None or row["max"].date() <= dept.valid_to, code
    assert received["max"].max().date() <= demo.END
    stnmt = dossiers[dossiers["department"] == "STNMT"]
    assert (stnmt["completed_at"].dt.date > REGISTRY.get("STNMT").valid_to).any()
    snnmt = dossiers[dossiers["department"] == "SNNMT"]
    assert snnmt["received_at"].min().date() >= REGISTRY.get("SNNMT").valid_from
    stc = dossiers[dossiers["department"] == "STC"]
    absorbed = stc["field"].isin(REGISTRY.get("SKHDT").fields)    # Sở KH&ĐT's fields, only since the merger
    assert absorbed.any() and stc.loc[absorbed, "received_at"].min().date() > REGISTRY.get("SKHDT").valid_to


def test_province_size_coverage_and_volumes(province):
    dossiers = province.table("dossiers")
    assert 300_000 <= len(dossiers) <= 450_000
    units = set(dossiers["department"]) | set(province.table("counts")["department"])
    assert units == {dept.code for dept in REGISTRY}                    # every unit of the registry
    assert {"Đất đai", "Môi trường", "Tài nguyên nước", "Khoáng sản", "Biển và hải đảo"} <= set(
        dossiers.loc[dossiers["department"] == "STNMT", "field"])
    year = dossiers["received_at"].dt.year
    communes = dossiers["department"].map(GROUP) == "cap_xa"
    for each in demo.YEARS:                                             # the communes receive most dossiers
        assert communes[year == each].sum() > 2 * (~communes[year == each]).sum()
    new_communes = dossiers[communes & (year == 2026)]
    shares = new_communes["field"].value_counts(normalize=True)
    assert set(shares.index[:2]) == {"Chứng thực", "Hộ tịch"} and shares.iloc[:2].sum() > 0.5
    per_year = dossiers[year == 2024].groupby("department").size()
    assert per_year.min() < 500 and per_year.max() > 4_000             # a hundred … thousands a year
    for each in demo.SCORED_YEARS:                                      # PAR Index and SIPAS: both groups
        reported = set(REGISTRY.codes(Period.parse(str(each))))
        par = province.table("par_index")
        assert set(par.loc[par["year"] == each, "department"]) == reported
        sipas = province.table("sipas")
        assert set(sipas.loc[sipas["year"] == each, "department"]) == reported
        assert {GROUP[code] for code in reported} == {"so_nganh", "cap_xa"}
    par = province.table("par_index")
    assert set(par.loc[par["department"] == "STNMT", "year"]) == {2023, 2024}
    assert set(par.loc[par["department"] == "SNNMT", "year"]) == {2025}


def test_every_quarter_adds_up_and_looks_like_a_province(data):
    for quarter in QUARTERS:
        card = scorecard(data, quarter).set_index("department")
        units = card.drop(index=PROVINCE)
        assert list(units.index) == REGISTRY.codes(quarter)
        assert units["has_data"].all() and (units["received"] > 0).all(), quarter
        assert (card["carried_over"] + card["new"] == card["resolved"] + card["pending"]).all()
        assert card.loc[PROVINCE, "new"] == units["new"].sum()
        assert card.loc[PROVINCE, "resolved"] == units["resolved"].sum(), quarter
        late_share = card.loc[PROVINCE, "resolved_late"] / card.loc[PROVINCE, "resolved"]
        assert 0.001 < late_share < 0.05
        assert 0.2 < card.loc[PROVINCE, "online_share"] < 0.95
    for quarter in QUARTERS[-3:]:                                       # 2026: the communes receive more
        units = scorecard(data, quarter).set_index("department").drop(index=PROVINCE)
        by_group = units.groupby(units.index.map(GROUP))["new"].sum()
        assert by_group["cap_xa"] > 2 * by_group["so_nganh"]


def test_official_766_scores_agree_with_the_dossiers_but_for_one(province, data):
    """Every unit reported for a quarter that keeps records — sở and xã — has the six groups (total ≤ 100) in
    each quarter of 2023-Q1 … 2026-Q3; tiến độ and the dossier-satisfaction indicator equal the scores
    computed from its dossiers (with its predecessors' in a merger's quarter) to two decimals, but for the one
    deliberate disagreement, which is the only one the cross-check flags."""
    from parreport.metrics.s766 import cross_check, official_scores, scorecard_766
    scores = province.table("scores_766")
    flagged = []
    for quarter in QUARTERS:
        reported = [code for code in REGISTRY.codes(quarter) if code not in demo.SUMMARY_ONLY]
        official = official_scores(scores, quarter)
        assert set(official["department"]) == set(reported), quarter
        assert (official["official_total"] <= 100).all()
        assert {GROUP[code] for code in reported} == {"so_nganh", "cap_xa"}
        checks = cross_check(scorecard_766(scorecard(data, quarter), scores, quarter))
        assert len(checks) == 2 * len(reported)                       # tiến độ and satisfaction of each unit
        flagged += [(quarter.code, row.department, row.indicator, row.difference)
                    for row in checks[checks["flagged"]].itertuples()]
    unit, period, _group, difference = demo.DISAGREEMENT
    assert period.startswith("2026")
    assert flagged == [(period, unit, "progress_766", difference)]


def test_make_demo_plans_the_overview_every_so_and_every_xa_of_the_latest_quarter(province, tmp_path):
    """What `make demo` runs (params/quarterly.yaml, "latest", every unit): 2026-Q3, the overview, the 13 sở,
    ban, ngành standing after the mergers of 1/3/2025 and the 100 xã, phường of 1/7/2025 — no former unit."""
    from parreport.batch import BatchSpec
    from parreport.batch.plan import plan

    jobs = plan(BatchSpec.load(), REGISTRY, province, "demo.duckdb", tmp_path)
    assert {job.period.code for job in jobs} == {"2026-Q3"}
    units = [job.department for job in jobs if job.department != PROVINCE]
    groups = [REGISTRY.get(code).group for code in units]
    assert len(jobs) == 114 and PROVINCE in [job.department for job in jobs]
    assert groups.count("so_nganh") == 13 and groups.count("cap_xa") == 100
    assert not {"STNMT", "SNNPTNT", "SKHDT", "SGTVT", "STTTT", "SLDTBXH"} & set(units)
    assert not any(code.startswith("XC") for code in units)
