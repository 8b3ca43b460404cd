"""The dashboard's 766 scores as dated snapshots: every import is kept with its date (an ``as_of`` column,
else the file's own date), reports use the latest and state the movement since the snapshot before.

Fixture (registry of tests/conftest.py: STNMT, STP, 007, all in group so_nganh), quý IV năm 2024, six
group scores each (công khai, tiến độ, số hóa, DVC trực tuyến, thanh toán, hài lòng):
* snapshot of 21/11/2024: STNMT 16 + 19 + 17 + 7 + 5 + 18 = 82,00; STP 17 + 20 + 20 + 10 + 8 + 17 = 92,00;
  007 15 + 18 + 20 + 10 + 9 + 18 = 90,00 → STP 1/3, 007 2/3, STNMT 3/3.
* snapshot of 28/11/2024 (ingested first, so the date decides, not the order): STNMT 16,36 + 19,76 + 17,48 +
  6,41 + 4,74 + 17,69 = 82,44; STP 17 + 20 + 20 + 10 + 8 + 15 = 90,00; 007 unchanged 90,00 → STP and 007 tie
  at 1/3, STNMT 3/3. Movements: STNMT +0,44 and keeps 3/3; STP −2,00, from 1/3 to 1/3 (keeps its rank,
  tied); 007 0,00, from 2/3 up to 1/3.
"""
from __future__ import annotations

import os
from datetime import datetime

import pytest

from parreport.metrics.s766 import snapshot_movement
from parreport.periods import Period
from parreport.registry import Registry
from parreport.reports.briefing import load_briefing
from parreport.reports.overview import load_overview
from parreport.sources import ingest_files
from parreport.store import Store
from tests.conftest import REGISTRY_YAML

GROUPS = ("cong_khai", "tien_do", "so_hoa", "dvc_truc_tuyen", "thanh_toan", "hai_long")
EARLIER = {"STNMT": (16, 19, 17, 7, 5, 18), "STP": (17, 20, 20, 10, 8, 17), "007": (15, 18, 20, 10, 9, 18)}
LATER = {"STNMT": (16.36, 19.76, 17.48, 6.41, 4.74, 17.69), "STP": (17, 20, 20, 10, 8, 15),
         "007": (15, 18, 20, 10, 9, 18)}


def snapshot_csv(path, scores: dict, as_of: str | None) -> str:
    header = "period,department,group,score" + (",Ngày cập nhật" if as_of else "")
    rows = [f"2024-Q4,{unit},{group},{score}" + (f",{as_of}" if as_of else "")
            for unit, values in scores.items() for group, score in zip(GROUPS, values)]
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def inputs(tmp_path):
    registry = tmp_path / "departments.yaml"
    registry.write_text(REGISTRY_YAML, encoding="utf-8")
    later = snapshot_csv(tmp_path / "later.csv", LATER, "28/11/2024")
    earlier = snapshot_csv(tmp_path / "earlier.csv", EARLIER, "21/11/2024")
    with Store(tmp_path / "data.duckdb") as store:
        ingest_files(store, [later], Registry.load(registry))
        ingest_files(store, [earlier], Registry.load(registry))
    return {"registry": registry, "data": tmp_path / "data.duckdb"}


def test_every_snapshot_is_kept_and_the_latest_is_current(inputs):
    with Store(inputs["data"], read_only=True) as store:
        snapshots, current = store.snapshots("scores_766"), store.table("scores_766")
    assert len(snapshots) == 36 and set(snapshots["snapshot_from"]) == {"column"}
    stp = current[(current["department"] == "STP") & (current["group"] == "hai_long")]
    assert stp["score"].tolist() == [15]  # 28/11 wins though 21/11 was ingested after it


def test_movement_between_the_last_two_snapshots_with_ties(inputs):
    with Store(inputs["data"], read_only=True) as store:
        snapshots = store.snapshots("scores_766")
    moved = snapshot_movement(snapshots, Period.parse("2024-Q4"), {"STNMT": "so_nganh", "STP": "so_nganh",
                                                                   "007": "so_nganh"}).set_index("department")
    assert moved.loc["STNMT", ["total", "total_before", "change"]].tolist() == [82.44, 82.0, 0.44]
    assert moved.loc["STP", "change"] == -2.0 and moved.loc["007", "change"] == 0.0
    ranks = {code: (moved.loc[code, "rank_before"], moved.loc[code, "rank"]) for code in moved.index}
    assert ranks == {"STNMT": (3, 3), "STP": (1, 1), "007": (2, 1)}
    assert moved.loc["STP", "snapshot"] == datetime(2024, 11, 28)
    assert snapshot_movement(snapshots, Period.parse("2024-Q3"), {}).empty  # no snapshot of it


def test_reports_state_the_movement(inputs):
    briefing = load_briefing("STNMT", "2024-Q4", **inputs).document()
    texts = [text for block in briefing.section("s766").blocks for text in getattr(block, "texts", [])]
    assert any(text.startswith("Theo lần cập nhật ngày 28/11/2024, tổng điểm công bố đạt 82,44/100 điểm, tăng "
                               "0,44 điểm so với lần cập nhật ngày 21/11/2024 (82,00 điểm); giữ hạng 3/3.")
               for text in texts)
    overview = load_overview("2024-Q4", **inputs).document()
    [movers] = [block.items for block in overview.section("s766").blocks if type(block).__name__ == "Points"
                and block.items and block.items[0].startswith("Theo")]
    assert movers == [
        "Theo lần cập nhật ngày 28/11/2024, tổng điểm công bố của Sở Tư pháp đạt 90,00/100 điểm, giảm 2,00 điểm so "
        "với lần cập nhật ngày 21/11/2024 (92,00 điểm); giữ hạng 1/3.",
        "Theo lần cập nhật ngày 28/11/2024, tổng điểm công bố của Sở Tài nguyên và Môi trường đạt 82,44/100 điểm, "
        "tăng 0,44 điểm so với lần cập nhật ngày 21/11/2024 (82,00 điểm); giữ hạng 3/3."]


def test_a_snapshot_without_a_date_column_takes_the_files_date(inputs, tmp_path):
    undated = snapshot_csv(tmp_path / "undated.csv", {"STNMT": (17, 20, 20, 10, 8, 18)}, None)
    stamp = datetime(2024, 12, 5, 9, 0).timestamp()
    os.utime(undated, (stamp, stamp))
    with Store(inputs["data"]) as store:
        ingest_files(store, [undated], Registry.load(inputs["registry"]))
    briefing = load_briefing("STNMT", "2024-Q4", **inputs).document()
    texts = [text for block in briefing.section("s766").blocks for text in getattr(block, "texts", [])]
    assert any("Theo lần cập nhật ngày 05/12/2024, tổng điểm công bố đạt 93,00/100 điểm, tăng 10,56 điểm so với "
               "lần cập nhật ngày 28/11/2024 (82,44 điểm); xếp hạng từ 3/3 lên 1/3." in text for text in texts)
