"""Warm kernels (parreport.batch.warm): reports run one after another on one kernel, each from a clean
state. Real kernels through papermill, with the engine the batch uses.

Fixture data: tests/test_end_to_end.py (STNMT and STP have dossiers in quý I and II năm 2020; 007 has none).
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys

import nbformat
import papermill
import pytest

from parreport.batch import warm
from parreport.paths import NOTEBOOKS_DIR
from tests.conftest import REGISTRY_YAML, briefing_with_cell
from tests.test_end_to_end import fixture_csv

pytestmark = pytest.mark.e2e

POLLUTE = """\
import os, sys, warnings
import matplotlib
matplotlib.rcParams["lines.linewidth"] = 6
matplotlib.rcParams["axes.facecolor"] = "red"
os.chdir("/")
os.environ["PARREPORT_CACHE"] = "/nonexistent"
sys.path.insert(0, "/nonexistent")
warnings.simplefilter("error")
left_behind = 42
"""
PROBE = """\
import json, os, sys, warnings
import matplotlib
print(json.dumps({"names": sorted(n for n in globals() if not n.startswith("_")),
                  "linewidth": matplotlib.rcParams["lines.linewidth"], "facecolor": matplotlib.rcParams["axes.facecolor"],
                  "cwd": os.getcwd(), "cache": os.environ.get("PARREPORT_CACHE"), "nonexistent_on_path": "/nonexistent" in sys.path,
                  "error_filter": any(f[0] == "error" and f[2] is Warning for f in warnings.filters)}))
"""


@pytest.fixture
def inputs(tmp_path):
    registry = tmp_path / "departments.yaml"
    registry.write_text(REGISTRY_YAML, encoding="utf-8")
    yield {"data": str(fixture_csv(tmp_path / "dossiers.csv")), "registry": str(registry)}
    warm.KERNELS.shutdown()


def run(notebook, out, **parameters) -> nbformat.NotebookNode:
    papermill.execute_notebook(str(notebook), str(out), parameters=parameters, kernel_name="python3",
                               cwd=str(NOTEBOOKS_DIR), progress_bar=False, engine_name=warm.ENGINE)
    return nbformat.read(out, as_version=4)


def contents(notebook: nbformat.NotebookNode) -> list:
    """What a report is made of: every code cell's execution count and outputs."""
    return [(cell.execution_count, cell.outputs) for cell in notebook.cells if cell.cell_type == "code"]


def test_a_then_b_then_a_again_on_one_kernel_gives_a_the_same_outputs(tmp_path, inputs):
    briefing = NOTEBOOKS_DIR / "briefing.ipynb"
    first = run(briefing, tmp_path / "a1.ipynb", department="STNMT", period="2020-Q2", **inputs)
    kernel = warm.KERNELS.pids()
    assert len(kernel) == 1                                  # one warm kernel, idle between reports
    polluting = briefing_with_cell(tmp_path / "b.ipynb", POLLUTE)
    run(polluting, tmp_path / "b_out.ipynb", department="STP", period="2020-Q1", **inputs)
    again = run(briefing, tmp_path / "a2.ipynb", department="STNMT", period="2020-Q2", **inputs)
    assert warm.KERNELS.pids() == kernel                     # all three ran on that kernel
    assert contents(again) == contents(first)                # same counts, same text, same chart bytes
    highlights = next(cell for cell in first.cells if cell.source == 'report.section("highlights")')
    assert ("Trong quý II năm 2020, Sở tiếp nhận 171 hồ sơ (71 hồ sơ từ kỳ trước chuyển qua; 100 hồ sơ"
            in highlights.outputs[0]["data"]["text/html"])  # the real report (figures: test_end_to_end.py)


def test_what_a_report_changes_is_put_back_before_the_next(tmp_path, inputs):
    probe = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell("department = None", metadata={"tags": ["parameters"]}),
               nbformat.v4.new_code_cell(PROBE)],
        metadata={"kernelspec": {"name": "python3", "language": "python", "display_name": "Python 3"}})
    nbformat.write(probe, tmp_path / "probe.ipynb")

    def state(notebook: nbformat.NotebookNode) -> dict:
        return {"seen": json.loads(notebook.cells[-1].outputs[0]["text"]), "count": notebook.cells[-1].execution_count}

    fresh = state(papermill.execute_notebook(  # papermill's own engine: a new kernel
        str(tmp_path / "probe.ipynb"), str(tmp_path / "fresh.ipynb"), parameters={"department": "STP"},
        kernel_name="python3", cwd=str(NOTEBOOKS_DIR), progress_bar=False))
    assert fresh["seen"]["linewidth"] == 1.5 and fresh["seen"]["cwd"] == str(NOTEBOOKS_DIR)
    polluting = briefing_with_cell(tmp_path / "b.ipynb", POLLUTE)
    run(polluting, tmp_path / "b_out.ipynb", department="STP", period="2020-Q1", **inputs)
    kernel = warm.KERNELS.pids()
    reused = state(run(tmp_path / "probe.ipynb", tmp_path / "probe_out.ipynb", department="STP"))
    assert warm.KERNELS.pids() == kernel                     # the polluted kernel served the probe
    assert reused == fresh                                   # and it was as clean as a new one


def test_a_kernel_serves_again_after_no_data_but_not_after_a_failure(tmp_path, inputs):
    briefing = NOTEBOOKS_DIR / "briefing.ipynb"
    with pytest.raises(papermill.PapermillExecutionError) as no_data:
        run(briefing, tmp_path / "none.ipynb", department="007", period="2020-Q1", **inputs)
    assert no_data.value.ename == "NoDataError"
    kernel = warm.KERNELS.pids()
    assert len(kernel) == 1
    failing = briefing_with_cell(tmp_path / "fails.ipynb", "raise ValueError('hỏng')")
    with pytest.raises(papermill.PapermillExecutionError):
        run(failing, tmp_path / "fails_out.ipynb", department="STP", period="2020-Q1", **inputs)
    assert warm.KERNELS.pids() == []                          # shut down, not kept
    run(briefing, tmp_path / "ok.ipynb", department="STP", period="2020-Q1", **inputs)
    assert warm.KERNELS.pids() not in ([], kernel)            # a new kernel


def test_a_kernel_is_replaced_after_its_quota_of_reports(tmp_path, inputs, monkeypatch):
    monkeypatch.setattr(warm, "REPORTS_PER_KERNEL", 2)
    briefing = NOTEBOOKS_DIR / "briefing.ipynb"
    run(briefing, tmp_path / "1.ipynb", department="STP", period="2020-Q1", **inputs)
    first = warm.KERNELS.pids()
    run(briefing, tmp_path / "2.ipynb", department="STP", period="2020-Q2", **inputs)
    assert warm.KERNELS.pids() == []                          # its second report was its last
    run(briefing, tmp_path / "3.ipynb", department="STNMT", period="2020-Q1", **inputs)
    assert warm.KERNELS.pids() not in ([], first)


def test_a_kernel_that_died_while_idle_is_replaced(tmp_path, inputs):
    briefing = NOTEBOOKS_DIR / "briefing.ipynb"
    run(briefing, tmp_path / "1.ipynb", department="STP", period="2020-Q1", **inputs)
    [dead] = warm.KERNELS.pids()
    os.kill(dead, signal.SIGKILL)
    again = run(briefing, tmp_path / "2.ipynb", department="STP", period="2020-Q1", **inputs)
    assert warm.KERNELS.pids() not in ([], [dead])
    assert contents(again) == contents(nbformat.read(tmp_path / "1.ipynb", as_version=4))


def test_a_warm_kernel_has_every_report_kinds_content_builder_imported():
    """``warm_up`` imports the module each kind's notebook imports first (the registry itself imports none of
    them), so that no report pays for it."""
    code = ("import sys; from parreport.reports.kinds import kinds; from parreport.batch.kernel_state import warm_up\n"
            "before = {kind.content in sys.modules for kind in kinds().values()}\n"
            "warm_up(); print(before, {kind.content in sys.modules for kind in kinds().values()})")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "{False} {True}"
