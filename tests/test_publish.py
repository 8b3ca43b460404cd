"""Index and manifest: every report listed with its headline, formats as produced, runs merged."""
from __future__ import annotations

import json
import re

from parreport.batch.index import write_index, write_manifest
from parreport.batch.results import JobResult


COLUMNS = [{"key": "received", "label": "Tiếp nhận", "format": "number"},
           {"key": "on_time_rate", "label": "Tỷ lệ đúng hạn", "format": "percent"}]


def result(department, period, status="ok", **outputs):
    ok = status == "ok"
    return JobResult("briefing", department, period, "briefing", status, {"department": department, "period": period},
                     outputs=outputs, headline={"received": 1926, "resolved": 1855, "on_time_rate": 1.0,
                                                "overdue": 0} if ok else {},
                     headline_columns=COLUMNS if ok else [], error=None if ok else "RuntimeError: hỏng")


def test_html_only_reports_failures_and_merged_runs(tmp_path, registry):
    html = tmp_path / "2020-Q1" / "STNMT" / "briefing.html"
    first = [result("STNMT", "2020-Q1", html=str(html)),
             result("STP", "2020-Q1", "failed", failed_notebook=str(tmp_path / "2020-Q1/STP/briefing.failed.ipynb"))]
    write_manifest(tmp_path, first, {"path": "x.duckdb", "fingerprint": "abc"}, {})
    manifest = write_manifest(tmp_path, [result("STP", "2020-Q2", pdf=str(tmp_path / "2020-Q2/STP/briefing.pdf"))],
                              {"path": "x.duckdb", "fingerprint": "abc"}, {})
    assert [(r["period"], r["department"], r["status"]) for r in manifest["reports"]] == [
        ("2020-Q1", "STNMT", "ok"), ("2020-Q1", "STP", "failed"), ("2020-Q2", "STP", "ok")]
    assert json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8")) == manifest
    index = write_index(tmp_path, manifest, registry).read_text(encoding="utf-8")
    assert 'href="2020-Q1/STNMT/briefing.html">HTML' in index and "2020-Q1/STNMT/briefing.pdf" not in index
    assert 'href="2020-Q2/STP/briefing.pdf">PDF' in index
    assert "Lỗi: RuntimeError: hỏng" in index and "1.926" in index and "100,00%" in index
    assert index.index("quý II năm 2020") < index.index("quý I năm 2020")        # newest period first
    assert re.search(r"Cập nhật lúc \d{2}/\d{2}/\d{4} \d{2}:\d{2} ·", index)      # 26/11/2026 15:42, not ISO
    assert "<h2>Báo cáo của các cơ quan, đơn vị</h2>" in index                     # grouped by report kind
    assert "Dữ liệu mẫu" not in index                                               # real data: no sample label
    manifest = write_manifest(tmp_path, [], {"path": "demo.duckdb", "fingerprint": "d", "sample_data": True}, {})
    assert "Dữ liệu mẫu" in write_index(tmp_path, manifest, registry).read_text(encoding="utf-8")


def test_links_are_separated_and_labelled_by_format(tmp_path, registry):
    both = result("STNMT", "2020-Q1", html=str(tmp_path / "a.html"), pdf=str(tmp_path / "a.pdf"))
    manifest = write_manifest(tmp_path, [both], {"path": "x.duckdb", "fingerprint": "abc"}, {})
    index = write_index(tmp_path, manifest, registry).read_text(encoding="utf-8")
    assert '<a href="a.html">HTML</a> · <a href="a.pdf">PDF</a>' in index           # not "HTMLPDF"


def test_a_failed_rerun_keeps_the_last_good_report_beside_the_failure(tmp_path, registry):
    """Run 1 produces STNMT 2020-Q1; run 2 fails for it: the manifest keeps run 1's outputs, headline and
    time as last_good next to the error, and the index links the failed notebook and the previous files.
    Run 3 fails again: last_good is still run 1's. Run 4 succeeds: no last_good any more."""
    base = "2020-Q1/STNMT/briefing"
    good = result("STNMT", "2020-Q1", html=str(tmp_path / f"{base}.html"), pdf=str(tmp_path / f"{base}.pdf"))
    data = {"path": "x.duckdb", "fingerprint": "abc"}
    first = write_manifest(tmp_path, [good], data, {})["reports"][0]
    bad = result("STNMT", "2020-Q1", "failed", failed_notebook=str(tmp_path / f"{base}.failed.ipynb"))
    for _ in range(2):
        manifest = write_manifest(tmp_path, [bad], data, {})
        [entry] = manifest["reports"]
        assert entry["status"] == "failed" and entry["error"] == "RuntimeError: hỏng"
        assert entry["last_good"] == {"outputs": {"html": f"{base}.html", "pdf": f"{base}.pdf"},
                                      "headline": first["headline"], "headline_columns": COLUMNS,
                                      "generated_at": first["generated_at"]}
    index = write_index(tmp_path, manifest, registry).read_text(encoding="utf-8")
    assert f'<a href="{base}.failed.ipynb">notebook lỗi</a>' in index
    assert f'<a href="{base}.html">HTML</a> · <a href="{base}.pdf">PDF</a>' in index
    assert "Bản trước (" in index and "Lỗi: RuntimeError: hỏng" in index
    assert "last_good" not in write_manifest(tmp_path, [good], data, {})["reports"][0]


def test_a_unit_without_data_is_listed_as_such(tmp_path, registry):
    no_data = JobResult("briefing", "007", "2020-Q1", "briefing", "no_data", {}, error="007 has no data")
    manifest = write_manifest(tmp_path, [no_data], {"path": "x.duckdb", "fingerprint": "abc"}, {})
    index = write_index(tmp_path, manifest, registry).read_text(encoding="utf-8")
    assert '<tr class="no_data">' in index and "Không có dữ liệu trong kỳ" in index and "Lỗi" not in index
