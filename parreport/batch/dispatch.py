"""Hand a batch's jobs to its executor and gather their results, in the batch's own process.

This process only dispatches: the runner (:mod:`parreport.batch.make`, with papermill, nbformat and
Jupyter, slow to import) is imported where the jobs run, in the workers, which have it from
their forkserver. The batch's process meanwhile shares the machine with that forkserver and the kernel zygote
as they load, so what it does not import they get sooner.
"""
from __future__ import annotations

from collections.abc import Callable

from tqdm import tqdm

from parreport.batch.executors import Dask, Processes, Serial
from parreport.batch.job import Job
from parreport.batch.results import FAILED, JobResult, describe
from parreport.batch.spec import DEFAULT_TIMEOUT
from parreport.metrics.definitions import PROVINCE


def run_jobs(jobs: list[Job], formats: list[str], executor: Serial | Processes | Dask, progress: bool = True,
             timeout: float = DEFAULT_TIMEOUT,
             on_result: Callable[[JobResult], None] | None = None) -> list[JobResult]:
    """Run every job on ``executor`` (see :mod:`parreport.batch.executors`), with a progress bar;
    ``on_result`` sees each result as soon as its job ends (so an interrupted batch has recorded the reports
    it finished). Results in job order."""
    bar = tqdm(total=len(jobs), desc="Báo cáo", unit="bc", disable=not progress)
    results: dict[int, JobResult] = {}
    order = longest_first(jobs)
    outcomes = executor.map(make_in_worker, [jobs[number] for number in order], formats, timeout, cleanup=_shutdown_kernels)
    for position, outcome in outcomes:
        number = order[position]
        job = jobs[number]
        result = outcome if isinstance(outcome, JobResult) else _lost(job, outcome)
        results[number] = result
        if on_result is not None:
            on_result(result)
        bar.update()
    bar.close()
    return [results[number] for number in range(len(jobs))]


def longest_first(jobs: list[Job]) -> list[int]:
    """The order to hand ``jobs`` out in (their numbers): the province's reports, which read every unit's
    figures and take longest, before the units', so that a batch
    does not end with one worker making one of them while the others wait."""
    return sorted(range(len(jobs)), key=lambda number: jobs[number].department != PROVINCE)


def make_in_worker(job: Job, formats: list[str], timeout: float) -> JobResult:
    """:func:`parreport.batch.make.make_report`, imported in the process that runs the job."""
    from parreport.batch.make import make_report

    return make_report(job, formats, timeout)


def _shutdown_kernels() -> None:
    from parreport.batch.warm import shutdown_kernels

    shutdown_kernels()


def _lost(job: Job, exc: BaseException) -> JobResult:
    """A failed result for a job whose worker died or could not run it (``make_report`` itself never raises)."""
    return JobResult(job.kind, job.department, job.period.code, job.stem, FAILED, job.parameters,
                     error=f"the worker running this report stopped: {describe(exc)}")
