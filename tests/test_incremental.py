"""Incremental runs: unchanged reports are reused, a change in what a report read (as recorded while it ran)
rebuilds it, --force rebuilds everything (real papermill runs, HTML only)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from parreport.batch import BatchSpec, run_batch
from parreport.registry import Registry
from parreport.store import Store
from tests.conftest import REGISTRY_YAML, briefing_with_cell
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
    # One STNMT dossier of Q1 moves from Đất đai to Môi trường (a field correction): the counts of Q1, which
    # every report read (STP's briefing too: it ranks STP among the units and compares it with the
    # province), change, so every report is rebuilt.
    text = data.read_text(encoding="utf-8")
    data.write_text(text.replace("B00000,STNMT,Đất đai,", "B00000,STNMT,Môi trường,", 1), encoding="utf-8")
    assert reused(out, **run) == {"STNMT": False, "STP": False, "TOAN_TINH": False}
    assert html.stat().st_mtime_ns != first
    # A dossier of 2010 (received and closed in January 2010) is in no period these reports read: all kept.
    with data.open("a", encoding="utf-8") as rows:
        rows.write("Z00001,STP,Công chứng,online,2010-01-04 08:00,2010-01-15,2010-01-08 10:00,\n")
    assert reused(out, **run) == {"STNMT": True, "STP": True, "TOAN_TINH": True}
    first = html.stat().st_mtime_ns
    # --force rebuilds everything.
    assert reused(out, force=True, **run) == {"STNMT": False, "STP": False, "TOAN_TINH": False}
    assert html.stat().st_mtime_ns != first


# A customised briefing that also states the unit's intake of quý IV năm 2017, a period no briefing of 2020
# reads otherwise (it is neither the trend's nor a comparison's).
INTAKE_2017 = """\
from IPython.display import HTML, display
from parreport import fmt
from parreport.periods import Period
from parreport.reports.inputs import load_inputs
older = load_inputs("2017-Q4", data=data, registry=registry).dossiers.units(Period.parse("2017-Q4"))
display(HTML(f"<p>Tiếp nhận quý IV năm 2017: {fmt.number(older.set_index('department').at[department, 'received'])}</p>"))
"""


def test_a_customised_notebook_reading_another_period_is_rebuilt_when_that_period_changes(tmp_path):
    """The stale case: 5 STNMT dossiers of 2017-Q4 are added (received 6/11/2017, closed 10/11/2017, so no
    count of 2020 moves); the report that showed the unit's 2017-Q4 intake (no data: "–") is rebuilt and
    shows 5."""
    registry = tmp_path / "departments.yaml"
    registry.write_text(REGISTRY_YAML, encoding="utf-8")
    data = fixture_csv(tmp_path / "dossiers.csv")
    spec = BatchSpec(notebook=briefing_with_cell(tmp_path / "briefing.ipynb", INTAKE_2017), periods=["2020-Q1"],
                     departments=["STNMT"], formats=["html"])
    spec.check()
    out = tmp_path / "reports"
    html = out / "2020-Q1" / "STNMT" / "briefing.html"

    def run() -> bool:
        [result] = run_batch(spec, out, data=str(data), registry_path=registry, progress=False)
        assert result.status == "ok", result.error
        return result.reused
    assert not run() and "Tiếp nhận quý IV năm 2017: –" in html.read_text(encoding="utf-8")
    assert run()
    with data.open("a", encoding="utf-8") as rows:
        rows.writelines(f"Y{i},STNMT,Đất đai,online,2017-11-06 08:00,2017-11-20,2017-11-10 09:00,\n" for i in range(5))
    assert not run() and "Tiếp nhận quý IV năm 2017: 5" in html.read_text(encoding="utf-8")


def test_a_run_with_nothing_to_rebuild_loads_neither_pandas_nor_numpy(tmp_path):
    """The command decides from the store, the kept counts digests and the manifest alone, without pandas,
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
