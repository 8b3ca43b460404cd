"""Run planned jobs: papermill executes the notebook on a warm kernel (:mod:`parreport.batch.warm`), then
each requested format is rendered.

Each job writes into a scratch folder and publishes the report's files together (see
:mod:`parreport.batch.outdir`), so a failure never leaves a half-written report or a mix of old and new
files. A job ends in one of three states: ``ok``; ``no_data`` (the unit has no data in the period,
:class:`~parreport.errors.NoDataError`: nothing is written); ``failed`` (the reason is kept, the executed
notebook too, as ``<stem>.failed.ipynb``, and the report's previous files stay as they were). A kernel
that runs longer than the timeout is killed (with any process it started) and its job fails; so does the
rendering of a format that runs longer than the timeout (each format has the whole timeout). The other
jobs go on.
"""
from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import nbformat
import papermill

from parreport.batch.kernels import LocalKernelManager
from parreport.batch.outdir import publish, scratch
from parreport.batch.job import Job
from parreport.batch.results import FAILED, NO_DATA, OK, JobResult, describe
from parreport.batch.spec import DEFAULT_TIMEOUT
from parreport.batch.warm import ENGINE
from parreport.errors import NoDataError
from parreport.process import freeze_once
from parreport.render import RenderSource, formats as registered, get_format
from parreport.reports.mimetypes import HEADLINE_MIMETYPE


def make_report(job: Job, formats: list[str], timeout: float = DEFAULT_TIMEOUT) -> JobResult:
    """Execute, render and publish one report; never raises for a failure of the job itself."""
    result = JobResult(job.kind, job.department, job.period.code, job.stem, OK, job.parameters)
    try:
        with scratch(job.out_dir, job.stem) as folder:
            executed = folder / f"{job.stem}.ipynb"
            try:
                files = _produce(job, formats, timeout, executed, result)
                stale = [job.out_dir / f"{job.stem}{f.suffix}" for name, f in registered().items()
                         if name not in files]
                published = publish(files, job.out_dir, job.stem, [*stale, job.out_dir / f"{job.stem}.failed.ipynb"])
                result.outputs = {name: str(path) for name, path in published.items()}
            except Exception as exc:  # a failing job is reported, never fatal to the batch
                _record_failure(job, result, exc, executed)
    except Exception as exc:  # the scratch folder itself could not be made or removed
        result.status, result.error = FAILED, describe(exc)
    freeze_once()
    return result


def _produce(job: Job, formats: list[str], timeout: float, executed: Path, result: JobResult) -> dict[str, Path]:
    """Run the notebook (killed after ``timeout`` seconds) and render every format beside it."""
    with _timed(result, "execute"), _deadline(timeout) as expired:
        try:
            # The executed notebook is written once, when the run ends, not after every cell (~20 writes).
            node = papermill.execute_notebook(
                str(job.notebook), str(executed), parameters=job.parameters, kernel_name="python3",
                cwd=str(job.notebook.parent), progress_bar=False, log_output=False, engine_name=ENGINE,
                request_save_on_cell_execute=False, save_on_failure=str(executed))
        except Exception:
            if expired.is_set():
                raise TimeoutError(f"stopped after {timeout:g} s (timeout): the notebook ran too long") from None
            raise
    result.headline, result.headline_columns = _headline(node)
    result.reads = node.metadata.get("parreport", {}).get("reads")
    source = RenderSource(node, title=f"{job.department} {job.period.label_vi}", base_url=job.out_dir)
    files = {"ipynb": executed}
    for name in formats:  # a format that cannot be made leaves the others to be published
        output_format = get_format(name)
        target = executed.with_name(f"{job.stem}{output_format.suffix}")
        try:
            with _timed(result, name), _alarm(timeout, f"making the {output_format.label} file"):
                output_format.render(source, target)
        except Exception as exc:
            result.format_errors[name] = describe(exc)
            target.unlink(missing_ok=True)
        else:
            files[name] = target
    return files


def _record_failure(job: Job, result: JobResult, exc: Exception, executed: Path) -> None:
    """``no_data`` for a unit without data (nothing written), else ``failed`` with the executed notebook
    kept beside the report's previous files."""
    no_data = isinstance(exc, papermill.PapermillExecutionError) and exc.ename == NoDataError.__name__
    result.status = NO_DATA if no_data else FAILED
    result.error = exc.evalue if no_data else describe(exc)
    result.headline = {}
    if not no_data and executed.exists():
        failed = job.out_dir / f"{job.stem}.failed.ipynb"
        os.replace(executed, failed)
        result.outputs["failed_notebook"] = str(failed)


@contextmanager
def _timed(result: JobResult, step: str) -> Iterator[None]:
    """Record the seconds a step took in ``result.seconds``."""
    started = time.perf_counter()
    yield
    result.seconds[step] = round(time.perf_counter() - started, 3)


@contextmanager
def _deadline(seconds: float) -> Iterator[threading.Event]:
    """Kill this process's kernels if the block is still running after ``seconds``; the event tells."""
    expired = threading.Event()

    def stop() -> None:
        expired.set()
        LocalKernelManager.kill_all()
    timer = threading.Timer(seconds, stop)
    timer.daemon = True
    timer.start()
    try:
        yield expired
    finally:
        timer.cancel()


class _Expired(BaseException):
    """Raised by :func:`_alarm` inside a renderer. Not an :class:`Exception`: a library that carries on past
    its own errors (WeasyPrint logs an image it cannot load and lays the page out without it) must not take
    the timeout for one of them."""


@contextmanager
def _alarm(seconds: float, what: str) -> Iterator[None]:
    """Stop the block with :class:`TimeoutError` after ``seconds`` (a renderer that hangs). Signals reach
    only a main thread, where every executor's jobs render (a Dask worker's in a process of its own); a
    serial batch run from another thread of a program renders unbounded."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(_signum, _frame) -> None:
        raise _Expired
    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    except _Expired:
        raise TimeoutError(f"stopped after {seconds:g} s (timeout): {what} ran too long") from None
    finally:
        try:
            signal.setitimer(signal.ITIMER_REAL, 0)
        except _Expired:  # it went off just as the block ended: the block ended in time
            pass
        signal.signal(signal.SIGALRM, previous)


def _headline(node: nbformat.NotebookNode) -> tuple[dict, list[dict]]:
    """The headline figures the notebook displayed, and the columns (key, label, format) the index shows."""
    for cell in node.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if HEADLINE_MIMETYPE in data:
                headline = data[HEADLINE_MIMETYPE]
                return dict(headline.get("values", {})), [dict(column) for column in headline.get("columns", [])]
    return {}, []
