"""The command line and the checks made before any kernel starts: exit codes, messages, codes as text."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from parreport.batch import BatchSpec
from parreport.batch.plan import notebook_parameters, plan
from parreport.errors import ConfigError
from parreport.paths import NOTEBOOKS_DIR
from parreport.metrics.kept_counts import precompute_counts
from parreport.registry import Registry
from parreport.reports.kinds import latest_quarter
from parreport.sources import demo_store
from parreport.store import Store
from tests.conftest import REGISTRY_YAML

PARREPORT = str(Path(sys.executable).with_name("parreport"))
GOOD = "dossier_id,department,field,received_at,due_at\nA1,STNMT,Đất đai,2023-01-02,2023-01-16\n"
BAD = "dossier_id,department,field,received_at,due_at\nB1,STP,Công chứng,2023-01-02,hôm qua\n"


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([PARREPORT, *args], capture_output=True, text=True, cwd=cwd, timeout=120)


def test_ingest_stores_good_files_and_names_the_bad_one(tmp_path, registry_file):
    (tmp_path / "good.csv").write_text(GOOD, encoding="utf-8")
    (tmp_path / "bad.csv").write_text(BAD, encoding="utf-8")
    done = cli("--registry", str(registry_file), "ingest", "good.csv", "bad.csv", "--store", "s.duckdb",
               cwd=tmp_path)
    assert done.returncode == 1
    assert "good.csv: dossiers, 1 rows stored" in done.stdout
    assert "bad.csv, row 2, column 'due_at': cannot read datetime" in done.stderr
    assert "found 'hôm qua'" in done.stderr and "Traceback" not in done.stderr
    with Store(tmp_path / "s.duckdb", read_only=True) as store:
        assert list(store.table("dossiers")["dossier_id"]) == ["A1"]


def test_run_refuses_an_unknown_department_before_any_kernel_starts(tmp_path, registry_file):
    (tmp_path / "good.csv").write_text(GOOD, encoding="utf-8")
    done = cli("--registry", str(registry_file), "run", "--department", "STMNT", "--period", "2023-Q1",
               "--data", "good.csv", "--out", "out", cwd=tmp_path)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "unknown department 'STMNT'" in done.stderr and "STNMT, STP, 007" in done.stderr
    assert not list((tmp_path / "out").rglob("briefing.*"))


def test_run_refuses_a_bad_period(tmp_path, registry_file):
    (tmp_path / "good.csv").write_text(GOOD, encoding="utf-8")
    done = cli("--registry", str(registry_file), "run", "--department", "STP", "--period", "2023-Q5",
               "--data", "good.csv", "--out", "out", cwd=tmp_path)
    assert done.returncode == 2 and "2023-Q5" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize("extra, message", [
    ("colour: blue\n", "unknown key colour"),
    ("targets: {on_time: 0.98}\n", "unknown target on_time"),
    ("targets: {on_time_rate: 98}\n", "target on_time_rate must be a ratio from 0 to 1"),
    ("formats: [odt]\n", "unknown format odt"),
    ("reports: [briefings]\n", "unknown report kind briefings \\(did you mean briefing\\?\\)"),
    ("convention: lunar\n", "convention must be one of"),
    ("timeout: soon\n", "timeout must be a number of seconds > 0 such as 600, found 'soon'"),
    ("timeout: 0\n", "timeout must be a number of seconds > 0"),
    ("timeout: .nan\n", "timeout must be a number of seconds > 0"),
    ("tolerance_766: some\n", "tolerance_766 must be a number of points ≥ 0"),
])
def test_spec_mistakes_are_named(tmp_path, extra, message):
    spec = tmp_path / "spec.yaml"
    spec.write_text(f"notebook: {NOTEBOOKS_DIR / 'briefing.ipynb'}\n{extra}", encoding="utf-8")
    with pytest.raises(ConfigError, match=message) as caught:
        BatchSpec.load(spec)
    assert str(spec) in str(caught.value)


def test_numbers_may_be_written_whole(tmp_path):
    """YAML whole numbers arrive as text (so that codes stay text): every numeric key still takes them."""
    spec_path = tmp_path / "spec.yaml"
    spec_path.write_text("timeout: 30\ntolerance_766: 1\ntargets: {on_time_rate: 1, online_share: 0.5}\n",
                         encoding="utf-8")
    spec = BatchSpec.load(spec_path)
    assert (spec.timeout, spec.tolerance_766, spec.targets) == (30.0, 1.0, {"on_time_rate": 1.0, "online_share": 0.5})


def test_codes_made_of_digits_stay_text(tmp_path):
    registry_path = tmp_path / "departments.yaml"
    registry_path.write_text(REGISTRY_YAML.replace('code: "007"', "code: 007"), encoding="utf-8")
    assert "007" in Registry.load(registry_path)
    spec_path = tmp_path / "spec.yaml"
    spec_path.write_text(f"notebook: {NOTEBOOKS_DIR / 'briefing.ipynb'}\ndepartments: [007]\nperiods: [2023]\n",
                         encoding="utf-8")
    spec = BatchSpec.load(spec_path)
    assert spec.departments == ["007"] and spec.periods == ["2023"]
    with Store(":memory:") as store:
        jobs = plan(spec, Registry.load(registry_path), store, "data.duckdb", tmp_path)
    assert jobs[0].parameters["department"] == "007"


def test_a_unit_outside_its_validity_is_refused(tmp_path):
    registry_path = tmp_path / "departments.yaml"
    registry_path.write_text(REGISTRY_YAML.replace('    fields: ["Lãnh sự"]\n',
                                                   '    fields: ["Lãnh sự"]\n    valid_from: 2025-03-01\n'),
                             encoding="utf-8")
    spec = BatchSpec(notebook=NOTEBOOKS_DIR / "briefing.ipynb", periods=["2024-Q4"], departments=["007"])
    with Store(":memory:") as store, pytest.raises(ConfigError, match="did not exist in quý IV năm 2024"):
        plan(spec, Registry.load(registry_path), store, "data.duckdb", tmp_path)


def test_a_notebook_gets_the_parameters_it_declares_and_must_declare_what_is_set(tmp_path):
    notebook = nbformat.read(NOTEBOOKS_DIR / "briefing.ipynb", as_version=4)
    notebook.cells[0].source = 'department = "STNMT"\nperiod = "2024-Q4"\n'
    path = tmp_path / "old.ipynb"
    nbformat.write(notebook, path)
    offered = {"department": "X", "period": "2024", "data": None, "targets": {"on_time_rate": 0.9},
               "convention": "calendar", "registry": None}
    assert notebook_parameters(path, offered) == {"department": "X", "period": "2024"}   # only what it declares
    with pytest.raises(ConfigError, match="no parameter targets"):                        # set, but not declared
        notebook_parameters(path, offered, explicit={"targets"})
    notebook.cells[0].source = 'period = "2024-Q4"\n'
    nbformat.write(notebook, path)
    with pytest.raises(ConfigError, match="no parameter department"):
        notebook_parameters(path, offered)


def test_the_parameters_cell_is_read_as_python(tmp_path):
    """The declared names are the parameters cell's assignments, annotated or chained; a cell that is not
    Python is refused with the notebook's name, before any kernel starts."""
    notebook = nbformat.read(NOTEBOOKS_DIR / "briefing.ipynb", as_version=4)
    notebook.cells[0].source = 'department: str = "STNMT"  # mã\nperiod = year = "2024"\nimport os\n'
    path = tmp_path / "typed.ipynb"
    nbformat.write(notebook, path)
    offered = {"department": "X", "period": "2024", "data": None}
    assert notebook_parameters(path, offered) == {"department": "X", "period": "2024"}
    notebook.cells[0].source = 'department = "STNMT"\nperiod = \n'
    nbformat.write(notebook, path)
    with pytest.raises(ConfigError, match=r"typed.ipynb: its 'parameters' cell is not valid Python \(line 2"):
        notebook_parameters(path, offered)


def test_run_starts_its_workers_before_loading_the_library(tmp_path):
    """``parreport run`` starts the workers' forkserver before it imports pandas, DuckDB or Jupyter (about
    1,5 s of imports and planning that the forkserver's own imports then overlap), with the renderers of
    the formats asked for; with reports already recorded in the folder (a re-run) it leaves that to the
    batch, which may have nothing to make (here one recorded report, no longer reusable). Checked in a fresh
    interpreter: the start is intercepted and ends the run."""
    with Store(demo_store(), read_only=True) as store:  # the demo store and its counts kept beforehand, as after
        precompute_counts(store, [latest_quarter(store)])  # any run: making them (pandas) is not what is checked
    code = ("import sys; from parreport.batch.executors import Processes\n"
            "def start(self):\n"
            "    print(self.preload, sorted(m for m in ('pandas', 'duckdb', 'jupyter_client') if m in sys.modules))\n"
            "    raise SystemExit(0)\n"
            "Processes.start = start\n"
            "from parreport.cli import main; main(sys.argv[1:])")
    run = [sys.executable, "-c", code, "run", "--out", str(tmp_path), "--workers", "2", "--format", "pdf"]
    started = subprocess.run(run, capture_output=True, text=True, timeout=120, check=True)
    assert started.stdout.strip() == "('parreport.batch.make', 'parreport.render.pdf') []"
    recorded = {"reports": [{"kind": "briefing", "period": "2024-Q4", "department": "STP", "status": "ok"}]}
    (tmp_path / "manifest.json").write_text(json.dumps(recorded), encoding="utf-8")
    rerun = subprocess.run(run, capture_output=True, text=True, timeout=120, check=True)
    # Started later, by the batch once it found reports to make (it has read the store); the command itself
    # never loads Jupyter: the workers run the jobs.
    assert rerun.stdout.strip() == "('parreport.batch.make', 'parreport.render.pdf') ['duckdb']"
