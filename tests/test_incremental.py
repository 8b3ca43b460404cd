"""Incremental runs: unchanged reports are reused, a changed data slice rebuilds only the reports that
read it, --force rebuilds everything (real papermill runs, HTML only)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from parreport.batch import BatchSpec, run_batch
from tests.conftest import REGISTRY_YAML
from tests.test_end_to_end import fixture_csv

pytestmark = pytest.mark.e2e


def reused(out: Path, **kwargs) -> dict[str, bool]:
    """Run the Q1 2020 briefings and overview of the fixture; which reports were reused, by unit."""
    spec = BatchSpec(reports=["briefing", "overview"], periods=["2020-Q1"], departments=["STNMT", "STP", "TOAN_TINH"],
                     formats=["html"])
    spec.check()
    results = run_batch(spec, out, progress=False, **kwargs)
    assert all(r.status == "ok" for r in results)
    manifest = {r["department"]: r for r in json.loads((out / "manifest.json").read_text(encoding="utf-8"))["reports"]}
    assert {code: entry["reused"] for code, entry in manifest.items()} == {r.department: r.reused for r in results}
    return {r.department: r.reused for r in results}


def test_unchanged_reports_are_reused_and_a_changed_slice_rebuilt(tmp_path):
    registry = tmp_path / "departments.yaml"
    registry.write_text(REGISTRY_YAML, encoding="utf-8")
    data = fixture_csv(tmp_path / "dossiers.csv")
    out = tmp_path / "reports"
    run = dict(data=str(data), registry_path=registry)
    assert reused(out, **run) == {"STNMT": False, "STP": False, "TOAN_TINH": False}
    html = out / "2020-Q1" / "STP" / "briefing.html"
    first = html.stat().st_mtime_ns
    # Nothing changed: every report is kept, files untouched.
    assert reused(out, **run) == {"STNMT": True, "STP": True, "TOAN_TINH": True}
    assert html.stat().st_mtime_ns == first
    # One STNMT dossier of Q1 moves from Đất đai to Môi trường (a field correction): STNMT's Biểu 06 rows
    # change, its totals, ranks and the province totals do not. STNMT's briefing and the overview (which
    # lists every unit's fields) are rebuilt; STP's briefing reads nothing that changed.
    text = data.read_text(encoding="utf-8")
    data.write_text(text.replace("B00000,STNMT,Đất đai,", "B00000,STNMT,Môi trường,", 1), encoding="utf-8")
    assert reused(out, **run) == {"STNMT": False, "STP": True, "TOAN_TINH": False}
    assert html.stat().st_mtime_ns == first
    # --force rebuilds everything.
    assert reused(out, force=True, **run) == {"STNMT": False, "STP": False, "TOAN_TINH": False}
    assert html.stat().st_mtime_ns != first
