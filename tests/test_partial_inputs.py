"""Every data shape renders: each report kind from each subset of inputs, in every period kind and all four
formats, through the real command (papermill kernels, nbconvert, WeasyPrint, python-docx, XlsxWriter).

Fixture (registry of tests/conftest.py: STNMT, STP, 007, all in group so_nganh), one store per subset,
figures worked out by hand:
* ``dossiers``: STNMT 4 dossiers received 4/11/2024, due 18/11: 3 completed 15/11 (early), 1 on 20/11
  (late); STP 2 received 5/11, due 19/11, completed 19/11 (on time). In tháng 11, quý IV, 6 tháng cuối
  and năm 2024 alike: STNMT received 4, resolved 4, on-time rate 3/4 = 75,00%; the province received 6,
  resolved 6, on time 5/6 = 83,33%.
* ``counts``: Biểu 06 of STNMT for each quarter of 2024, field Đất đai: 10 online + 5 offline new,
  8 early, 4 on time, 1 late, 2 pending in time → received 15, resolved 13, on-time rate 12/13 = 92,31%.
  The quarters cover the year and the half-year, not a month.
* ``par``: PAR Index 2024, two areas of 10 points: STNMT 8 + 9 = 17/20 = 85,00%, STP 9 + 10 = 19/20 =
  95,00% → STP ranks 1/2, STNMT 2/2, average 90,00%; SIPAS 2024 STNMT 88,5%. A year only.
* ``s766``: official 766 groups of STNMT and STP for 2024-Q3 and 2024-Q4. STNMT Q4: 16,36 + 19,76 +
  17,48 + 6,41 + 4,74 + 17,69 = 82,44; Q3: 16 + 19 + 17 + 7 + 5 + 18 = 82,00 (so Q4 is "tăng 0,44
  điểm"); STP Q4: 17 + 20 + 20 + 10 + 8 + 17 = 92,00 → STP 1/2, STNMT 2/2, province average
  (82,44 + 92,00) / 2 = 87,22. Quarters cover the year and the half-year, not a month. These are the
  dashboard's snapshot of 28/11/2024; an earlier one, of 21/11/2024, had STNMT at Q3's 82,00 (STP the same):
  STNMT +0,44 points, keeping its rank 2/2.
* ``none``: an empty store: every report is "không có dữ liệu".
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from docx import Document as WordDocument
from pypdf import PdfReader

from parreport.registry import Registry
from parreport.sources import ingest_files
from parreport.store import Store
from tests.conftest import REGISTRY_YAML

pytestmark = pytest.mark.e2e

PARREPORT = str(Path(sys.executable).with_name("parreport"))
PERIODS = ("2024", "2024-H2", "2024-Q4", "2024-11")
DOSSIERS = ("dossier_id,department,field,received_at,due_at,completed_at\n"
            + "".join(f"A{i},STNMT,Đất đai,2024-11-04,2024-11-18,2024-11-15\n" for i in range(3))
            + "A3,STNMT,Đất đai,2024-11-04,2024-11-18,2024-11-20\n"
            + "".join(f"B{i},STP,Công chứng,2024-11-05,2024-11-19,2024-11-19\n" for i in range(2)))
COUNTS = ("department,period,field,received_online,received_offline,carried_over,resolved_early,"
          "resolved_on_time,resolved_late,pending_in_time,pending_overdue\n"
          + "".join(f"STNMT,2024-Q{q},Đất đai,10,5,0,8,4,1,2,0\n" for q in range(1, 5)))
PAR = ("year,department,area,score,max_score\n"
       "2024,STNMT,Cải cách TTHC,8,10\n2024,STNMT,Chỉ đạo điều hành,9,10\n"
       "2024,STP,Cải cách TTHC,9,10\n2024,STP,Chỉ đạo điều hành,10,10\n")
SIPAS = "year,department,satisfaction_pct\n2024,STNMT,88.5\n"
GROUPS = ("cong_khai", "tien_do", "so_hoa", "dvc_truc_tuyen", "thanh_toan", "hai_long")
SCORES = {("2024-Q4", "STNMT"): (16.36, 19.76, 17.48, 6.41, 4.74, 17.69),
          ("2024-Q3", "STNMT"): (16, 19, 17, 7, 5, 18),
          ("2024-Q4", "STP"): (17, 20, 20, 10, 8, 17),
          ("2024-Q3", "STP"): (17, 20, 20, 10, 8, 17)}
S766 = "period,department,group,score,Ngày cập nhật\n" + "".join(
    f"{period},{unit},{group},{score},28/11/2024\n" for (period, unit), scores in SCORES.items()
    for group, score in zip(GROUPS, scores))
# An earlier snapshot of the dashboard's quý IV (21/11/2024): STNMT then had Q3's groups, 82,00.
EARLIER_766 = "period,department,group,score,Ngày cập nhật\n" + "".join(
    f"2024-Q4,{unit},{group},{score},21/11/2024\n" for unit, scores in
    (("STNMT", SCORES["2024-Q3", "STNMT"]), ("STP", SCORES["2024-Q4", "STP"])) for group, score in zip(GROUPS, scores))
SUBSETS = {"dossiers": {"dossiers.csv": DOSSIERS}, "counts": {"counts.csv": COUNTS},
           "par": {"par_index.csv": PAR, "sipas.csv": SIPAS},
           "s766": {"scores_766.csv": S766, "scores_766_earlier.csv": EARLIER_766}, "none": {}}
# The periods each subset covers (for STNMT and the province alike); elsewhere: "không có dữ liệu".
COVERED = {"dossiers": set(PERIODS), "counts": {"2024", "2024-H2", "2024-Q4"}, "par": {"2024"},
           "s766": {"2024", "2024-H2", "2024-Q4"}, "none": set()}
# Whole numbers in the spec (they arrive from YAML as text), and a timeout the command line mends.
SPEC = """reports: [briefing, annual, overview]
formats: [html, pdf, docx, xlsx]
timeout: soon
tolerance_766: 1
targets: {on_time_rate: 1}
"""


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> dict[str, Path]:
    """The output folder of one ``parreport run`` per subset: every kind × period for STNMT and TOAN_TINH."""
    root = tmp_path_factory.mktemp("partial")
    registry = root / "departments.yaml"
    registry.write_text(REGISTRY_YAML, encoding="utf-8")
    (root / "spec.yaml").write_text(SPEC, encoding="utf-8")
    outs = {}
    for subset, files in SUBSETS.items():
        folder = root / subset
        folder.mkdir()
        for name, text in files.items():
            (folder / name).write_text(text, encoding="utf-8")
        with Store(folder / "data.duckdb") as store:
            ingest_files(store, [folder / name for name in files], Registry.load(registry))
        periods = [argument for period in PERIODS for argument in ("--period", period)]
        done = subprocess.run([PARREPORT, "--registry", str(registry), "run", str(root / "spec.yaml"),
                               "--data", str(folder / "data.duckdb"), "--department", "STNMT", "--department",
                               "TOAN_TINH", *periods, "--timeout", "300", "--out", str(folder / "out"),
                               "--no-progress"], capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, f"{subset}: {done.stdout}\n{done.stderr}"
        outs[subset] = folder / "out"
    return outs


def _manifest(out: Path) -> dict[tuple[str, str], dict]:
    reports = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["reports"]
    return {(report["period"], report["department"]): report for report in reports}


def _pdf_text(path: Path) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(path).pages)


@pytest.mark.parametrize("subset", SUBSETS)
def test_every_kind_and_period_gives_a_report_or_no_data(runs, subset):
    """Each cell of the matrix: a report in all four formats where the subset covers the period, else a
    "không có dữ liệu" listing; never a failure."""
    reports = _manifest(runs[subset])
    assert set(reports) == {(period, unit) for period in PERIODS for unit in ("STNMT", "TOAN_TINH")}
    for (period, unit), report in reports.items():
        expected = "ok" if period in COVERED[subset] else "no_data"
        assert report["status"] == expected, (subset, period, unit, report.get("error"))
        if expected == "no_data":
            assert "no dossier record, no Biểu 06 row and no official 766 score" in report["error"]
            continue
        assert report["format_errors"] == {}
        assert set(report["outputs"]) == {"ipynb", "html", "pdf", "docx", "xlsx"}
        html = (runs[subset] / report["outputs"]["html"]).read_text(encoding="utf-8")
        assert "nan" not in html.replace("nang", "") and "None" not in html and "Traceback" not in html
        assert "Năm 2024" in _pdf_text(runs[subset] / report["outputs"]["pdf"]) or period != "2024"
        WordDocument(runs[subset] / report["outputs"]["docx"])
        assert openpyxl.load_workbook(runs[subset] / report["outputs"]["xlsx"]).sheetnames


def test_766_scores_alone(runs):
    out = runs["s766"]
    reports = _manifest(out)
    briefing = _pdf_text(out / reports["2024-Q4", "STNMT"]["outputs"]["pdf"])
    assert "Chưa có dữ liệu hồ sơ TTHC của Sở Tài nguyên và Môi trường trong quý IV năm 2024" in briefing
    assert "82,44/100 điểm" in briefing and "tăng 0,44 điểm so với quý III năm 2024" in briefing
    assert "2/2" in briefing and "87,22/100 điểm" in briefing       # rank in the group, province average
    assert ("Theo lần cập nhật ngày 28/11/2024, tổng điểm công bố đạt 82,44/100 điểm, tăng 0,44 điểm so với lần "
            "cập nhật ngày 21/11/2024 (82,00 điểm); giữ hạng 2/2.") in briefing
    assert "tính từ dữ liệu hồ sơ" not in briefing.replace("không có điểm tính lại từ dữ liệu hồ sơ", "")
    overview = _pdf_text(out / reports["2024-Q4", "TOAN_TINH"]["outputs"]["pdf"])
    assert overview.index("1/2 Sở Tư pháp 92,00") < overview.index("2/2 Sở Tài nguyên và Môi trường 82,44")
    year = _pdf_text(out / reports["2024", "TOAN_TINH"]["outputs"]["pdf"])
    assert "điểm công bố quý IV năm 2024, quý gần nhất của năm 2024 có điểm" in year
    assert (reports["2024-Q4", "STNMT"]["headline"]["s766_total"],
            reports["2024-Q4", "TOAN_TINH"]["headline"]["s766_total"]) == (pytest.approx(82.44), pytest.approx(87.22))
    assert reports["2024-Q4", "STNMT"]["headline"]["received"] is None
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "82,44" in index and "87,22" in index


def test_par_index_alone(runs):
    out = runs["par"]
    reports = _manifest(out)
    overview = _pdf_text(out / reports["2024", "TOAN_TINH"]["outputs"]["pdf"])
    assert ("bình quân đạt 90,00%; cao nhất là Sở Tư pháp (19,00/20 điểm, 95,00%), thấp nhất là Sở Tài nguyên "
            "và Môi trường (17,00/20 điểm, 85,00%)") in overview
    assert overview.index("1 Sở Tư pháp") < overview.index("2 Sở Tài nguyên và Môi trường")
    assert "Xếp hạng các cơ quan, đơn vị theo tỷ lệ giải quyết đúng hạn" not in overview
    workbook = openpyxl.load_workbook(out / reports["2024", "STNMT"]["outputs"]["xlsx"])
    cells = [cell for sheet in workbook for row in sheet.iter_rows(values_only=True) for cell in row]
    assert "Cải cách TTHC" in cells and 8 in cells and 0.8 in cells   # the areas table: 8/10 = 80%


def test_dossiers_and_counts(runs):
    dossiers = _manifest(runs["dossiers"])
    month = _pdf_text(runs["dossiers"] / dossiers["2024-11", "STNMT"]["outputs"]["pdf"])
    assert "Sở tiếp nhận 4 hồ sơ" in month and "75,00%" in month
    province = dossiers["2024-11", "TOAN_TINH"]["headline"]
    assert (province["received"], province["resolved"], province["on_time_rate"]) == (6, 6, pytest.approx(5 / 6))
    counts = _manifest(runs["counts"])
    quarter = counts["2024-Q4", "STNMT"]["headline"]
    assert (quarter["received"], quarter["resolved"], quarter["on_time_rate"]) == (15, 13, pytest.approx(12 / 13))
