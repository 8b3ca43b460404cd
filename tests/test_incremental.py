"""Incremental runs: unchanged reports are reused, a changed data slice rebuilds only the reports that
read it, --force rebuilds everything (real papermill runs, HTML only)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from parreport.batch import BatchSpec, run_batch
from parreport.registry import Registry
from parreport.store import Store
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


def test_a_run_with_nothing_to_rebuild_loads_neither_pandas_nor_numpy(tmp_path):
    """The command decides from the store, the kept slice digests and the manifest alone, without pandas,
    NumPy or Matplotlib: that is what keeps a re-run with nothing changed well under a second."""
    registry = tmp_path / "departments.yaml"
    registry.write_text(REGISTRY_YAML, encoding="utf-8")
    store = tmp_path / "data.duckdb"
    with Store(store) as opened:
        opened.ingest(fixture_csv(tmp_path / "dossiers.csv"), Registry.load(registry))
    out = tmp_path / "reports"
    command = ["--registry", str(registry), "run", "--data", str(store), "--out", str(out), "--report", "briefing",
               "--period", "2020-Q1", "--department", "STP", "--format", "html", "--no-progress"]
    script = ("import sys; from parreport.cli import main; code = main(sys.argv[1:]); "
              "print(sorted(set(sys.modules) & {'pandas', 'numpy', 'matplotlib'})); sys.exit(code)")

    def loaded() -> str:
        run = subprocess.run([sys.executable, "-c", script, *command], capture_output=True, text=True, timeout=300)
        assert run.returncode == 0, run.stderr
        return run.stdout.splitlines()[-1]

    assert "pandas" in loaded()  # the first run counts and digests the data
    assert loaded() == "[]"
    entries = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["reports"]
    assert [(entry["department"], entry["reused"]) for entry in entries] == [("STP", True)]
