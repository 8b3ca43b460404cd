"""Batch faults with real kernels: a notebook that hangs is stopped by the timeout and one whose kernel
dies is reported, units without data are listed as such, and the rest of the batch completes; a batch
killed after its first report, then re-run, ends with every report and nothing stray; a locked output
folder refuses a second run. No kernel or worker is left behind (found by an environment marker every
process started here inherits).

Fixture data: tests/test_end_to_end.py (STNMT and STP have dossiers in quý I and II năm 2020; 007 has none).
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import nbformat
import pytest

from parreport.batch import BatchSpec, run_batch
from parreport.batch.outdir import output_lock
from parreport.render import FORMATS, OutputFormat
from tests.conftest import REGISTRY_YAML, briefing_with_an_image_that_never_loads, briefing_with_cell
from tests.test_end_to_end import fixture_csv

pytestmark = pytest.mark.e2e
PARREPORT = str(Path(sys.executable).with_name("parreport"))
MARK = "PARREPORT_TEST_MARK"


def marked_processes(mark: str) -> list[str]:
    """Command lines of live processes (other than this one) whose environment carries ``mark``."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit() or int(proc.name) == os.getpid():
            continue
        try:
            if f"{MARK}={mark}".encode() in (proc / "environ").read_bytes().split(b"\0"):
                state = next(line for line in (proc / "status").read_text().splitlines() if line.startswith("State"))
                if "Z" not in state.split()[1]:  # a zombie is already dead
                    found.append((proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace"))
        except (OSError, StopIteration):
            continue
    return found


def wait_until_gone(mark: str, seconds: float = 15) -> list[str]:
    """Kernels orphaned by a killed batch notice it and exit within a few seconds."""
    deadline = time.monotonic() + seconds
    while (left := marked_processes(mark)) and time.monotonic() < deadline:
        time.sleep(0.5)
    return left


def left_behind(processes: list[str]) -> list[str]:
    """The command lines of ``processes`` other than those multiprocessing keeps for the life of this test
    process: its resource tracker and the forkserver of the batch's local workers."""
    return [p for p in processes if not any(f"multiprocessing.{server}" in p
                                            for server in ("resource_tracker", "forkserver"))]


@pytest.fixture
def marked(monkeypatch) -> str:
    mark = uuid.uuid4().hex
    monkeypatch.setenv(MARK, mark)
    return mark


@pytest.fixture
def inputs(tmp_path) -> dict[str, Path]:
    registry = tmp_path / "departments.yaml"
    registry.write_text(REGISTRY_YAML, encoding="utf-8")
    return {"registry": registry, "data": fixture_csv(tmp_path / "dossiers.csv")}


def test_hung_and_dead_kernels_are_stopped_units_without_data_listed_and_the_rest_completes(tmp_path, inputs, marked):
    copy = briefing_with_cell(tmp_path / "briefing.ipynb",
                              "import os, time\n"
                              'if (department, period) == ("STP", "2020-Q1"):\n    time.sleep(600)\n'
                              'if (department, period) == ("STNMT", "2020-Q2"):\n    os._exit(1)', at=1)
    spec = BatchSpec(notebook=copy, periods=["2020-Q1", "2020-Q2"], departments=["STNMT", "STP", "007"],
                     formats=["html"], timeout=30)  # a report needs ~10 s on a busy machine
    spec.check()
    out = tmp_path / "out"
    started = time.monotonic()
    results = run_batch(spec, out, data=str(inputs["data"]), workers=2, progress=False,
                        registry_path=inputs["registry"])
    assert time.monotonic() - started < 180                      # the sleeping notebook did not hold the batch
    status = {(r.department, r.period): (r.status, r.error) for r in results}
    assert status[("STNMT", "2020-Q1")] == ("ok", None) and status[("STP", "2020-Q2")] == ("ok", None), status
    assert status[("STP", "2020-Q1")] == ("failed", "TimeoutError: stopped after 30 s (timeout): "
                                                    "the notebook ran too long")
    assert status[("STNMT", "2020-Q2")][0] == "failed" and "Kernel died" in status[("STNMT", "2020-Q2")][1]
    for period, label in (("2020-Q1", "quý I năm 2020"), ("2020-Q2", "quý II năm 2020")):
        assert status[("007", period)] == ("no_data", f"007 (Sở Ngoại vụ) has no data in {label}: no dossier "
                                                      "record, no Biểu 06 row and no official 766 score for the "
                                                      "period")
        assert not (out / period / "007").exists()               # no report, not even an empty folder
    assert (out / "2020-Q1" / "STNMT" / "briefing.html").exists()
    assert not (out / "2020-Q1" / "STP" / "briefing.html").exists()
    # The stopped notebooks are kept as far as they ran: the one that hung shows the cell it hung in.
    hung = nbformat.read(out / "2020-Q1" / "STP" / "briefing.failed.ipynb", as_version=4)
    started = [cell.source for cell in hung.cells if cell.metadata.get("papermill", {}).get("start_time")]
    assert "time.sleep(600)" in started[-1] and len(started) < len(hung.cells)
    assert (out / "2020-Q2" / "STNMT" / "briefing.failed.ipynb").exists()
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert sorted(r["status"] for r in manifest["reports"]) == ["failed", "failed", "no_data", "no_data", "ok", "ok"]
    # No kernel, no worker left (multiprocessing's resource tracker and the workers' forkserver serve this
    # test process until it exits).
    assert left_behind(wait_until_gone(marked, 5)) == []


def run_cli(inputs: dict, out: Path, workers: int | None = None, **popen) -> subprocess.Popen:
    """``parreport run`` on the four reports of the fixture, with ``workers`` (default: the command's own)."""
    return subprocess.Popen(
        [PARREPORT, "--registry", str(inputs["registry"]), "run", "--data", str(inputs["data"]), "--out", str(out),
         "--department", "STNMT", "--department", "STP", "--period", "2020-Q1", "--period", "2020-Q2",
         "--format", "html", "--format", "pdf", "--no-progress", *(["--workers", str(workers)] if workers else [])],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **popen)


def finished_reports(out: Path) -> list[dict]:
    try:
        return [r for r in json.loads((out / "manifest.json").read_text(encoding="utf-8"))["reports"]
                if r["status"] == "ok"]
    except (OSError, ValueError):
        return []


@pytest.mark.parametrize("how, workers", [("SIGKILL to the batch", 2), ("Ctrl-C (SIGINT to its process group)", 1),
                                          ("Ctrl-C (SIGINT to its process group)", 2)])
def test_a_batch_killed_after_its_first_report_then_rerun_ends_whole(tmp_path, inputs, marked, how, workers):
    out, tmp = tmp_path / "out", tmp_path / "tmp"
    tmp.mkdir()
    batch = run_cli(inputs, out, workers, start_new_session=True, env={**os.environ, "TMPDIR": str(tmp)})
    deadline = time.monotonic() + 180
    while not finished_reports(out) and batch.poll() is None and time.monotonic() < deadline:
        time.sleep(0.2)
    assert batch.poll() is None, "the batch ended before it could be interrupted"
    if how.startswith("SIGKILL"):
        batch.send_signal(signal.SIGKILL)
    else:  # Ctrl-C, pressed again (as a person would) while a library in the middle of a call swallows it
        for _ in range(12):
            os.killpg(batch.pid, signal.SIGINT)
            try:
                batch.wait(timeout=5)
                break
            except subprocess.TimeoutExpired:
                continue
    _, stderr = batch.communicate(timeout=60)
    if how.startswith("Ctrl-C"):
        assert batch.returncode == 130 and "interrupted; finished reports are kept" in stderr
        fonts = [*tmp.glob("parreport-fonts-*"), *tmp.glob("weasyprint-*")]
        assert fonts == []                                        # its (its workers') copy of the fonts went too
    assert wait_until_gone(marked) == []                         # kernels and workers are gone too
    for report in finished_reports(out):                         # what was recorded finished is intact
        for href in report["outputs"].values():
            assert (out / href).stat().st_size > 0

    again = run_cli(inputs, out)
    stdout, stderr = again.communicate(timeout=300)
    assert again.returncode == 0, stderr
    assert "4 reports written" in stdout
    expected = sorted(f"{period}/{unit}/briefing.{suffix}" for period in ("2020-Q1", "2020-Q2")
                      for unit in ("STNMT", "STP") for suffix in ("html", "ipynb", "pdf"))
    files = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file()
                   and not p.relative_to(out).parts[0].endswith(".counts"))  # the batch's shared counts cache
    assert files == sorted([*expected, ".data.duckdb", ".parreport.lock", "index.html", "manifest.json"])
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert [r["status"] for r in manifest["reports"]] == ["ok"] * 4


def test_a_second_run_on_a_locked_output_folder_stops_at_once(tmp_path, inputs):
    out = tmp_path / "out"
    with output_lock(out):
        started = time.monotonic()
        second = run_cli(inputs, out)
        _, stderr = second.communicate(timeout=120)
    assert second.returncode == 2 and "Traceback" not in stderr
    assert f"another parreport run (pid {os.getpid()}) is writing to this folder" in stderr
    assert time.monotonic() - started < 60
    assert sorted(p.name for p in out.iterdir()) == [".parreport.lock"]


def test_a_worker_process_that_dies_takes_no_other_report_with_it(tmp_path, inputs, marked):
    """The notebook kills the worker process that drives its kernel (as a crash in native code or the
    out-of-memory killer would): STP's only the first time, so its report is run again alone and ends ok;
    STNMT's every time, so it alone fails. STNMT kills only once STP's first run has begun (running side by
    side, either death stops both workers, and STP's first run must not be its lone re-run). "007" has no
    data as usual; no scratch file, no kernel and no worker is left."""
    deaths = tmp_path / "deaths"
    deaths.mkdir()
    copy = briefing_with_cell(tmp_path / "briefing.ipynb", f"""\
import os, pathlib, signal, time
deaths = pathlib.Path({str(deaths)!r})
first = not (deaths / department).exists()
(deaths / department).touch()
for _ in range(1200 if department == "STNMT" else 0):  # up to 2 minutes
    if (deaths / "STP").exists():
        break
    time.sleep(0.1)
if department == "STP" and first or department == "STNMT":
    os.kill(int(os.environ["JPY_PARENT_PID"]), signal.SIGKILL)  # the worker: Jupyter names it there""", at=1)
    spec = BatchSpec(notebook=copy, periods=["2020-Q1"], departments=["STNMT", "STP", "007"], formats=["html"])
    spec.check()
    out = tmp_path / "out"
    results = run_batch(spec, out, data=str(inputs["data"]), workers=2, progress=False,
                        registry_path=inputs["registry"])
    status = {(r.department, r.period): (r.status, r.error) for r in results}
    assert status[("STP", "2020-Q1")] == ("ok", None), status
    assert status[("STNMT", "2020-Q1")] == ("failed", "the worker running this report stopped: its process died "
                                                      "twice on this report (a crash in native code, or out of "
                                                      "memory)")
    assert status[("007", "2020-Q1")][0] == "no_data"
    assert (out / "2020-Q1" / "STP" / "briefing.html").exists()
    assert list(out.rglob("*.partial*")) == [] and list(out.rglob("*.publish.json")) == []
    assert left_behind(wait_until_gone(marked, 15)) == []


def hang(_source, _target) -> None:
    """The renderer of the test format ``stuck``: it never finishes on its own."""
    time.sleep(600)


def broken(source, target) -> None:
    """The renderer of the test format ``broken``: it writes half a file, then fails."""
    target.write_text("half", encoding="utf-8")
    raise ValueError("cannot hold this report")


def test_a_renderer_that_hangs_is_stopped_by_the_timeout_and_one_that_fails_leaves_the_others(tmp_path, inputs,
                                                                                              monkeypatch):
    """The notebook runs normally, then one format's renderer hangs and another fails: the same timeout stops
    the first, each is reported with its reason, the other formats are published, nothing of the two is
    left, the report is not reused by the next run, and the batch ends (one serial worker: this process)."""
    monkeypatch.setitem(FORMATS, "stuck", OutputFormat("stuck", ".stuck", f"{__name__}:hang", "Stuck"))
    monkeypatch.setitem(FORMATS, "broken", OutputFormat("broken", ".broken", f"{__name__}:broken", "Broken"))
    spec = BatchSpec(periods=["2020-Q1"], departments=["STNMT"], formats=["stuck", "broken", "html"], timeout=20)
    spec.check()
    out = tmp_path / "out"
    started = time.monotonic()
    [result] = run_batch(spec, out, data=str(inputs["data"]), workers=1, progress=False,
                         registry_path=inputs["registry"])
    assert time.monotonic() - started < 120
    assert result.status == "ok" and result.format_errors == {
        "stuck": "TimeoutError: stopped after 20 s (timeout): making the Stuck file ran too long",
        "broken": "ValueError: cannot hold this report"}
    assert 0 < result.seconds["html"] < 20                      # html was made after them, inside the limit
    report = out / "2020-Q1" / "STNMT"
    assert sorted(path.name for path in report.iterdir()) == ["briefing.html", "briefing.ipynb"]
    assert "Không tạo được tệp broken: ValueError: cannot hold this report" in (out / "index.html").read_text(
        encoding="utf-8")
    monkeypatch.setitem(FORMATS, "stuck", OutputFormat("stuck", ".stuck", "parreport.render.html:write_html", "S"))
    [again] = run_batch(spec, out, data=str(inputs["data"]), workers=1, progress=False,
                        registry_path=inputs["registry"])
    assert not again.reused and again.format_errors == {"broken": "ValueError: cannot hold this report"}
    assert (report / "briefing.stuck").exists()


def test_an_image_that_never_loads_is_stopped_by_the_timeout(tmp_path, inputs):
    """STNMT's report shows an image from a named pipe that nothing writes, so loading it for the PDF never
    ends. WeasyPrint carries on past an image that fails to load (it logs it and lays the page out without
    it), so the timeout must not look like such an error: the PDF is reported failed with the reason instead
    of being published without its image."""
    spec = BatchSpec(notebook=briefing_with_an_image_that_never_loads(tmp_path, "STNMT"), periods=["2020-Q1"],
                     departments=["STNMT"], formats=["pdf"], timeout=20)
    spec.check()
    [result] = run_batch(spec, tmp_path / "out", data=str(inputs["data"]), workers=1, progress=False,
                         registry_path=inputs["registry"])
    assert result.format_errors == {"pdf": "TimeoutError: stopped after 20 s (timeout): making the PDF file "
                                           "ran too long"}
    assert not (tmp_path / "out" / "2020-Q1" / "STNMT" / "briefing.pdf").exists()
