"""End to end: real papermill kernels, real nbconvert, real WeasyPrint; the produced HTML and PDF are
read back. Fixture: two units × two quarters of dossier records, figures worked out by hand below.

STNMT, quý I năm 2020 (the seed 002 quarter): 15 dossiers received in December 2019 and closed early in
January; 1.840 received in February and closed on their due day; 71 received 27/3, due 10/4, still
open on 31/3 → carried over 15, new 1.911, received 1.926, resolved 1.855, none late, 71 pending in time.
STNMT, quý II năm 2020: the 71 are closed in April — 60 early (8/4), 11 late (15/4, 5 with an apology
letter); 100 received 4/5 and closed on their due day 18/5 → carried over 71, new 100, received 171,
resolved 171 = 60 early + 100 on time + 11 late; on-time rate 160/171 = 93,567…% → "93,57%", a change
of 93,57 − 100 = −6,43 points → "giảm 6,43 điểm phần trăm".
STP, quý I năm 2020: 40 received 10/2, closed early 19/2 → received 40, resolved 40, 100%.
STP, quý II năm 2020: 20 received 1/4 closed on their due day 10/4; 30 received 25/6, due 5/7, open →
new 50, resolved 20, 30 pending in time.
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from pypdf import PdfReader

from parreport.batch import BatchSpec, run_batch
from parreport.paths import NOTEBOOKS_DIR
from tests.conftest import REGISTRY_YAML, briefing_with_cell

pytestmark = pytest.mark.e2e

HEADER = "dossier_id,department,field,channel,received_at,due_at,completed_at,apology_issued\n"


def _rows(prefix, count, department, field, received, due, completed="", apology="", channel="online"):
    return [f"{prefix}{i:05d},{department},{field},{channel},{received},{due},{completed},{apology}\n"
            for i in range(count)]


def fixture_csv(path: Path) -> Path:
    rows = (
        _rows("A", 15, "STNMT", "Đất đai", "2019-12-16 09:00", "2020-01-15", "2020-01-10 10:00")
        + _rows("B", 1840, "STNMT", "Đất đai", "2020-02-03 08:00", "2020-02-17", "2020-02-17 15:00")
        + _rows("C", 60, "STNMT", "Môi trường", "2020-03-27 09:00", "2020-04-10", "2020-04-08 09:00")
        + _rows("D", 5, "STNMT", "Môi trường", "2020-03-27 09:00", "2020-04-10", "2020-04-15 09:00", "x")
        + _rows("E", 6, "STNMT", "Môi trường", "2020-03-27 09:00", "2020-04-10", "2020-04-15 09:00")
        + _rows("F", 100, "STNMT", "Đất đai", "2020-05-04 08:00", "2020-05-18", "2020-05-18 16:00", "", "in_person")
        + _rows("G", 40, "STP", "Lý lịch tư pháp", "2020-02-10 08:00", "2020-02-20", "2020-02-19 10:00")
        + _rows("H", 20, "STP", "Công chứng", "2020-04-01 08:00", "2020-04-10", "2020-04-10 11:00")
        + _rows("I", 30, "STP", "Công chứng", "2020-06-25 08:00", "2020-07-05")
    )
    path.write_text(HEADER + "".join(rows), encoding="utf-8")
    return path


def broken_notebook(folder: Path) -> Path:
    """A copy of the briefing notebook that breaks for one pair only: STP 2020-Q2 ("hỏng có chủ ý")."""
    source = 'if (department, period) == ("STP", "2020-Q2"):\n    raise RuntimeError("hỏng có chủ ý")'
    return briefing_with_cell(folder / "briefing.ipynb", source, at=1)


@pytest.fixture(scope="module")
def batch_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("e2e")
    registry = root / "departments.yaml"
    registry.write_text(REGISTRY_YAML, encoding="utf-8")
    data = fixture_csv(root / "dossiers.csv")
    spec = BatchSpec(notebook=broken_notebook(root), periods=["2020-Q1", "2020-Q2"], departments=["STNMT", "STP"],
                     formats=["html", "pdf", "docx", "xlsx"])
    spec.check()
    out = root / "reports"
    results = run_batch(spec, out, data=str(data), workers=2, progress=False, registry_path=registry)
    return out, {(r.department, r.period): r for r in results}


def pdf_text(path: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(path).pages]


def test_seed_quarter_narrative_in_html_and_pdf(batch_run):
    out, results = batch_run
    assert results[("STNMT", "2020-Q1")].status == "ok"
    html = (out / "2020-Q1" / "STNMT" / "briefing.html").read_text(encoding="utf-8")
    sentence = ("Trong quý I năm 2020, Sở tiếp nhận 1.926 hồ sơ (15 hồ sơ từ kỳ trước chuyển qua; 1.911 hồ sơ "
                "tiếp nhận mới); đã giải quyết 1.855 hồ sơ, không có hồ sơ quá hạn; 71 hồ sơ đang giải quyết trong hạn.")
    assert sentence in html
    pages = pdf_text(out / "2020-Q1" / "STNMT" / "briefing.pdf")
    text = re.sub(r"\s+", " ", " ".join(pages))
    assert "1.926 hồ sơ" in text and "1.855 hồ sơ" in text and "71 hồ sơ đang giải quyết trong hạn" in text
    assert "Sở Tài nguyên và Môi trường" in text
    assert "Dữ liệu mẫu" not in text  # real data: no sample-data label on the cover or in the header


def test_second_quarter_rates_and_change(batch_run):
    out, _ = batch_run
    html = (out / "2020-Q2" / "STNMT" / "briefing.html").read_text(encoding="utf-8")
    assert "Trong quý II năm 2020, Sở tiếp nhận 171 hồ sơ (71 hồ sơ từ kỳ trước chuyển qua; 100 hồ sơ" in html
    assert "trong đó 11 hồ sơ quá hạn (chiếm 6,43%)" in html          # 11 / 171 = 6,43 %
    assert "đạt 93,57%, giảm 6,43 điểm phần trăm so với quý I năm 2020" in html
    assert "Tỷ lệ xin lỗi người dân, tổ chức đối với hồ sơ quá hạn là 45,45% (5/11 hồ sơ)" in html
    # 93,57 % < the 98 % target → an attention point naming the field Môi trường: 60/71 = 84,51 %.
    assert "Môi trường (84,51%, 11 hồ sơ quá hạn)" in html
    # Why it moved (shift-share): Đất đai stays at 100 % (1.855 then 100 resolved, no rate effect, and at the
    # old average no mix effect); Môi trường appears with 71 of the 171 resolved at 60/71, so the whole change
    # is mix: 71/171 × (60/71 − 100 %) = −11/171 = −6,43 points.
    assert ("Tỷ lệ giải quyết đúng hạn và trước hạn giảm 6,43 điểm phần trăm so với quý I năm 2020 (từ 100,00% "
            "xuống 93,57%), do cơ cấu hồ sơ chuyển sang lĩnh vực Môi trường") in html


def test_every_format_states_the_same_figures(batch_run):
    """STNMT 2020-Q1 in Word and Excel: the seed sentence, and the Biểu 06 Tổng row: 15 carried over,
    1.911 new (every fixture row of the quarter is online), 1.926 received."""
    import docx
    import openpyxl

    folder = batch_run[0] / "2020-Q1" / "STNMT"
    text = " ".join(p.text for p in docx.Document(folder / "briefing.docx").paragraphs)
    assert "Trong quý I năm 2020, Sở tiếp nhận 1.926 hồ sơ (15 hồ sơ từ kỳ trước chuyển qua" in text
    sheet = openpyxl.load_workbook(folder / "briefing.xlsx", data_only=True)["Biểu 06"]
    rows = [[cell for cell in row] for row in sheet.iter_rows(values_only=True)]
    total = next(row for row in rows if "Tổng" in row)
    assert 1926 in total and 1911 in total and 15 in total
    index = (batch_run[0] / "index.html").read_text(encoding="utf-8")
    assert 'href="2020-Q1/STNMT/briefing.docx">Word</a> · <a href="2020-Q1/STNMT/briefing.xlsx">Excel' in index


def test_no_code_in_reports_and_pdf_is_a4_with_page_numbers(batch_run):
    out, _ = batch_run
    html = (out / "2020-Q1" / "STP" / "briefing.html").read_text(encoding="utf-8")
    for code in ("load_briefing", "import ", "display(", "charts.", "In&nbsp;["):
        assert code not in html
    reader = PdfReader(out / "2020-Q1" / "STP" / "briefing.pdf")
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert abs(width - 595.3) < 1.5 and abs(height - 841.9) < 1.5     # A4 in points
    pages = len(reader.pages)
    assert f"Trang {pages}/{pages}" in reader.pages[-1].extract_text()
    assert "Trong quý I năm 2020, Sở tiếp nhận 40 hồ sơ" in html


def test_broken_pair_fails_alone(batch_run):
    out, results = batch_run
    failed = results[("STP", "2020-Q2")]
    assert failed.status == "failed" and "hỏng có chủ ý" in failed.error
    assert (out / "2020-Q2" / "STP" / "briefing.failed.ipynb").exists()
    assert not (out / "2020-Q2" / "STP" / "briefing.pdf").exists()
    assert [key for key, r in results.items() if r.status != "ok"] == [("STP", "2020-Q2")]
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    statuses = {(r["department"], r["period"]): r["status"] for r in manifest["reports"]}
    assert statuses == {("STNMT", "2020-Q1"): "ok", ("STNMT", "2020-Q2"): "ok",
                        ("STP", "2020-Q1"): "ok", ("STP", "2020-Q2"): "failed"}
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "1.926" in index and "hỏng có chủ ý" in index and 'href="2020-Q1/STNMT/briefing.pdf"' in index


def run_papermill(notebook: str, cwd: Path, mimetype: str = "text/html", **parameters: str) -> str:
    """Run ``papermill NOTEBOOK out.ipynb -p name value ...`` as a user would; the outputs of one type."""
    output = cwd / f"out-{notebook}"
    options = [arg for name, value in parameters.items() for arg in ("-p", name, str(value))]
    subprocess.run([sys.executable, "-m", "papermill", str(NOTEBOOKS_DIR / notebook), str(output), *options],
                   check=True, capture_output=True, cwd=cwd)
    return "".join(o["data"].get(mimetype, "") for c in nbformat.read(output, 4).cells
                   for o in c.get("outputs", []) if "data" in o)


@pytest.fixture
def fixture_inputs(tmp_path) -> dict[str, Path]:
    registry = tmp_path / "departments.yaml"
    registry.write_text(REGISTRY_YAML, encoding="utf-8")
    return {"data": fixture_csv(tmp_path / "dossiers.csv"), "registry": registry}


def test_papermill_cli_runs_the_notebook_directly(tmp_path, fixture_inputs):
    html = run_papermill("briefing.ipynb", tmp_path, department="STP", period="2020-Q2", **fixture_inputs)
    assert "Trong quý II năm 2020, Sở tiếp nhận 50 hồ sơ" in html
    assert "30 hồ sơ đang giải quyết trong hạn" in html


def test_notebook_runs_as_is_on_the_bundled_demo(tmp_path):
    """Opened in JupyterLab or run by papermill without data, the notebook uses the demo province.
    Expected figures come from the demo store itself (computed independently of the notebook)."""
    from parreport.metrics import DossierData, scorecard
    from parreport.paths import DEFAULT_REGISTRY
    from parreport.periods import Period
    from parreport.registry import Registry
    from parreport.sources import open_store

    html = run_papermill("briefing.ipynb", tmp_path, department="SKHDT", period="2024-Q3")
    registry = Registry.load(DEFAULT_REGISTRY)
    with open_store(None, registry) as store:
        card = scorecard(DossierData.from_store(store, registry), Period.parse("2024-Q3")).set_index("department")
    received = f"{int(card.loc['SKHDT', 'received']):,}".replace(",", ".")
    assert f"Trong quý III năm 2024, Sở tiếp nhận {received} hồ sơ" in html


def test_explore_notebook_runs_on_a_store(tmp_path, fixture_inputs):
    shown = run_papermill("explore.ipynb", tmp_path, "text/plain", period="2020-Q1", **fixture_inputs)
    assert "Sở Tài nguyên và Môi trường" in shown and "1926" in shown    # STNMT received in 2020-Q1
