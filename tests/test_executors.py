"""Executors with real worker processes: a worker process that dies loses at most its own job."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from parreport.batch import executors
from parreport.batch.executors import Processes, WorkerDied


def square_or_die(item: int, doomed: set[int]) -> int:
    """Kills its worker process (as a crash in native code would) for the doomed items."""
    if item in doomed:
        os._exit(3)
    return item * item


def square_or_die_once(item: int, folder: str) -> int:
    """Kills its worker process the first time it sees item 2 (as the out-of-memory killer might)."""
    marker = Path(folder) / f"{item}.died"
    if item == 2 and not marker.exists():
        marker.touch()
        os._exit(3)
    return item * item


def test_a_job_that_kills_its_worker_is_lost_alone():
    outcomes = dict(Processes(2).map(square_or_die, list(range(6)), {3}))
    assert sorted(outcomes) == [0, 1, 2, 3, 4, 5]
    assert {n: o for n, o in outcomes.items() if n != 3} == {0: 0, 1: 1, 2: 4, 4: 16, 5: 25}
    assert isinstance(outcomes[3], WorkerDied) and "died twice on this report" in str(outcomes[3])


def test_a_worker_that_dies_once_costs_no_job(tmp_path):
    outcomes = dict(Processes(2).map(square_or_die_once, list(range(6)), str(tmp_path)))
    assert outcomes == {0: 0, 1: 1, 2: 4, 3: 9, 4: 16, 5: 25}
    assert (tmp_path / "2.died").exists()                  # it did die, once


def test_jobs_that_all_kill_their_workers_are_all_lost_and_the_map_ends():
    outcomes = dict(Processes(2).map(square_or_die, [7, 8], {7, 8}))
    assert set(outcomes) == {0, 1} and all(isinstance(o, WorkerDied) for o in outcomes.values())


class DiesWhenUnpickled:
    """A job argument that kills the worker process before the job starts."""

    def __reduce__(self):
        return os._exit, (3,)


def test_workers_that_die_before_starting_any_job_fail_the_jobs_instead_of_retrying_forever():
    outcomes = dict(Processes(2).map(square_or_die, [DiesWhenUnpickled(), DiesWhenUnpickled()], set()))
    assert set(outcomes) == {0, 1}
    assert all(str(o) == "the worker processes exit before running any report" for o in outcomes.values())


def die(_item: object) -> None:
    os._exit(3)


def unpickle_once(folder: str) -> str:
    """Unpickling in a worker: fine the first time, kills the worker before its job starts afterwards."""
    marker = Path(folder) / "unpickled"
    if marker.exists():
        os._exit(3)
    marker.touch()
    return folder


class UnpickledOnce:
    def __init__(self, folder: str) -> None:
        self.folder = folder

    def __reduce__(self):
        return unpickle_once, (self.folder,)


def test_a_job_whose_retry_cannot_start_is_reported_not_dropped(tmp_path):
    """Its first run kills its worker; on its own again, its worker dies before it starts."""
    outcomes = dict(Processes(2).map(die, [UnpickledOnce(str(tmp_path))]))
    assert list(outcomes) == [0] and str(outcomes[0]) == "the worker processes exit before running any report"


def test_a_long_map_does_not_block_on_its_start_announcements():
    """Each job announces its start through a pipe; 6.000 announcements (~20 bytes each) would fill its
    64 KiB buffer and stall the workers unless they are read as jobs end (it hung before they were)."""
    outcomes = dict(Processes(2).map(square_or_die, list(range(6000)), set()))
    assert len(outcomes) == 6000 and outcomes[5999] == 5999 * 5999


def loaded(names: list[str]) -> list[str]:
    """Which of ``names`` the worker process running this job had already imported."""
    return [name for name in names if name in sys.modules]


def write_pdf_here(folder: str) -> str:
    from parreport.render.pdf import html_to_pdf
    return str(html_to_pdf("<p>Xin chào</p>", Path(folder) / f"{os.getpid()}.pdf"))


def in_fresh_python(code: str, tmp: Path) -> str:
    """Run ``code`` in a new interpreter (the forkserver is one per process) with ``tmp`` as its temporary
    folder and on its module path; its standard output."""
    env = {**os.environ, "TMPDIR": str(tmp), "PYTHONPATH": f"{Path(__file__).parent.parent}{os.pathsep}{tmp}"}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers are forked from a forkserver on Linux")
def test_workers_start_with_the_preloaded_modules_loaded(tmp_path):
    """The forkserver imported them once; a worker finds them loaded before its job imports anything, and
    nothing the runner and the PDF renderer do not use (the job and the content's MIME types are read
    without the report kinds, so without pandas and DuckDB)."""
    names = ["parreport.batch.make", "parreport.render.pdf", "weasyprint", "parreport.render.docx", "pandas",
             "duckdb", "parreport.reports.kinds"]
    found = in_fresh_python(
        "from parreport.batch.executors import Processes\n"
        "from tests.test_executors import loaded\n"
        f"print(dict(Processes(2, ('parreport.batch.make', 'parreport.render.pdf')).map(loaded, [{names!r}])))",
        tmp_path)
    assert found.strip() == str({0: names[:3]})  # not docx: nothing asked for it; not the planner's modules


def test_processes_that_made_pdfs_leave_no_font_folder(tmp_path):
    """WeasyPrint copies the fonts of each font configuration into a temporary folder (2,7 MB); the batch's
    worker processes, and a process rendering by itself, remove theirs when they exit."""
    tmp, out = tmp_path / "tmp", tmp_path / "out"
    tmp.mkdir(), out.mkdir()
    written = in_fresh_python(
        "from parreport.batch.executors import Processes\n"
        "from tests.test_executors import write_pdf_here\n"
        f"print(write_pdf_here({str(out)!r}))\n"
        f"print(*dict(Processes(2, ('parreport.render.pdf',)).map(write_pdf_here, [{str(out)!r}] * 4)).values())",
        tmp)
    assert len(written.split()) == 5 and len(list(out.glob("*.pdf"))) >= 2  # this process and 1–2 workers
    assert list(tmp.iterdir()) == []


def test_the_font_folder_of_a_process_killed_outright_is_removed_by_the_next(tmp_path):
    """A process killed with SIGKILL cannot remove its font folder; the folder names its owner, and the next
    process to make a PDF removes it (and its own when it exits). A folder whose owner runs, or that is not
    parreport's, is left alone."""
    from parreport.render.pdf import FONTS_PREFIX

    alive, other = tmp_path / f"{FONTS_PREFIX}{os.getpid()}-x", tmp_path / "weasyprint-other"
    alive.mkdir(), other.mkdir()
    killed = subprocess.Popen(
        [sys.executable, "-c", "import time; from parreport.render.pdf import _fonts\n"
                               "print(_fonts()[2], flush=True); time.sleep(300)"],
        env={**os.environ, "TMPDIR": str(tmp_path)}, stdout=subprocess.PIPE, text=True)
    folder = Path(killed.stdout.readline().strip())
    assert folder.parent == tmp_path and list(folder.glob("weasyprint-*"))  # its copy of the fonts
    killed.kill()
    killed.wait(timeout=30)
    assert folder.exists()
    in_fresh_python("from parreport.render.pdf import _fonts; _fonts()", tmp_path)
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted([alive.name, "weasyprint-other"])


def environment_variable(name: str) -> str | None:
    return os.environ.get(name)


def test_workers_see_the_environment_of_when_the_map_starts(monkeypatch):
    """A forkserver keeps the environment it started with; workers forked from it still get today's (a
    session may set PARREPORT_CACHE, say, between two batches)."""
    monkeypatch.setenv("PARREPORT_TEST_VALUE", "first")
    assert dict(Processes(2).map(environment_variable, ["PARREPORT_TEST_VALUE"])) == {0: "first"}
    monkeypatch.setenv("PARREPORT_TEST_VALUE", "second")
    assert dict(Processes(2).map(environment_variable, ["PARREPORT_TEST_VALUE"])) == {0: "second"}


def import_or_error(name: str) -> str:
    try:
        __import__(name)
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"
    return "imported"


def test_a_preloaded_module_that_fails_to_load_fails_only_the_jobs_that_import_it(tmp_path):
    """WeasyPrint without Pango raises OSError on import: the forkserver leaves the module out and goes on
    forking workers; the job that needs it meets the error itself (before, the whole map stopped)."""
    (tmp_path / "broken_renderer.py").write_text('raise OSError("cannot load library pango")\n')
    found = in_fresh_python(
        "from parreport.batch.executors import Processes\n"
        "from tests.test_executors import import_or_error\n"
        "print(sorted(Processes(2, ('broken_renderer', 'json')).map(import_or_error, ['broken_renderer', 'json'])))",
        tmp_path)
    assert found.strip() == str([(0, "OSError: cannot load library pango"), (1, "imported")])


def pid_after(seconds: float) -> int:
    time.sleep(seconds)
    return os.getpid()


def test_workers_leave_when_the_process_that_started_them_is_gone(tmp_path):
    """``parreport run`` leaves on Ctrl-C with os._exit, and a batch can be killed: its workers must not wait
    on the job queue (or finish a long job) for nobody, keeping their kernels (before, they stayed forever)."""
    pids = in_fresh_python(
        "import os\n"
        "from parreport.batch.executors import Processes\n"
        "from tests.test_executors import pid_after\n"
        "outcomes = Processes(2).map(pid_after, [0.0, 0.0, 120.0])\n"
        "print(next(outcomes)[1], next(outcomes)[1], flush=True)\n"
        "os._exit(0)",
        tmp_path)
    workers = {int(pid) for pid in pids.split()}
    deadline = time.monotonic() + 20
    while any(Path(f"/proc/{pid}").exists() for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert [pid for pid in workers if Path(f"/proc/{pid}").exists()] == []


@pytest.mark.parametrize("cores, memory_mb, expected", [
    (8, 64_000, 8),   # memory for all: one per core
    (8, 3_000, 2),    # 3.000 MB holds two workers of 1.024 MB, not eight
    (4, 500, 1),      # never fewer than one
    (2, None, 2),     # the system says nothing of its memory: one per core
])
def test_default_workers_is_one_per_core_unless_memory_holds_fewer(monkeypatch, cores, memory_mb, expected):
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: set(range(cores)), raising=False)
    monkeypatch.setattr(executors, "_available_memory_mb", lambda: memory_mb)
    assert executors.default_workers() == expected


def test_available_memory_is_read_from_this_machine():
    memory = executors._available_memory_mb()
    if sys.platform.startswith("linux"):
        assert memory is not None and 0 < memory <= os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") // 2**20
