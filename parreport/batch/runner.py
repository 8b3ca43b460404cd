"""Run planned jobs: papermill executes the notebook, then each requested format is rendered.

Each job writes into a scratch folder and moves finished files into place one by one, so a failure
never leaves a half-written report over a good one. A failing job keeps its executed notebook as
``<stem>.failed.ipynb`` and does not stop the others.
"""
from __future__ import annotations

import multiprocessing
import os
import shutil
import tempfile
import time
import traceback
import uuid
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

import nbformat
import papermill
from jupyter_client.manager import KernelManager
from traitlets import Unicode, default
from tqdm import tqdm

from parreport.batch.plan import Job
from parreport.render import RenderSource, get_format
from parreport.reports.content import HEADLINE_MIMETYPE


class LocalKernelManager(KernelManager):
    """Kernels talk to the batch over local IPC sockets, not TCP: nothing listens on a port, and the
    kernel has no reason to warn about unencrypted traffic."""

    transport = Unicode("ipc")

    @default("ip")
    def _unique_socket_prefix(self) -> str:  # parallel workers must never share socket files
        return os.path.join(tempfile.gettempdir(), f"parreport-kernel-{uuid.uuid4().hex[:12]}")


@dataclass
class JobResult:
    kind: str
    department: str
    period: str
    stem: str
    status: str  # "ok" or "failed"
    parameters: dict
    outputs: dict[str, str] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    headline: dict = field(default_factory=dict)
    error: str | None = None

    def to_dict(self) -> dict:
        return asdict(self)


def run_job(job: Job, formats: list[str]) -> JobResult:
    """Execute, render and publish one report; never raises for a failure of the job itself."""
    result = JobResult(job.kind, job.department, job.period.code, job.stem, "ok", job.parameters)
    job.out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=job.out_dir, prefix=".partial-") as scratch:
        executed = Path(scratch) / f"{job.stem}.ipynb"
        try:
            with _timed(result, "execute"):
                papermill.execute_notebook(
                    str(job.notebook), str(executed), parameters=job.parameters, kernel_name="python3",
                    cwd=str(job.notebook.parent), progress_bar=False, log_output=False,
                    kernel_manager_class=LocalKernelManager)
            node = nbformat.read(executed, as_version=4)
            result.headline = _headline(node)
            source = RenderSource(node, title=f"{job.department} {job.period.label_vi}", base_url=job.out_dir)
            files = {"ipynb": executed}
            for name in formats:
                output_format = get_format(name)
                files[name] = Path(scratch) / f"{job.stem}{output_format.suffix}"
                with _timed(result, name):
                    output_format.render(source, files[name])
            for name, path in files.items():
                target = job.out_dir / path.name
                os.replace(path, target)
                result.outputs[name] = str(target)
            (job.out_dir / f"{job.stem}.failed.ipynb").unlink(missing_ok=True)
        except Exception as exc:  # a failing job is reported, never fatal to the batch
            result.status = "failed"
            result.error = _describe(exc)
            if executed.exists():
                failed = job.out_dir / f"{job.stem}.failed.ipynb"
                shutil.copyfile(executed, failed)
                result.outputs["failed_notebook"] = str(failed)
    return result


def run_jobs(jobs: list[Job], formats: list[str], workers: int = 1,
             progress: bool = True) -> list[JobResult]:
    """Run every job, ``workers`` at a time, with a progress bar; results in job order."""
    bar = tqdm(total=len(jobs), desc="Báo cáo", unit="bc", disable=not progress)
    results: dict[int, JobResult] = {}
    if workers <= 1:
        for number, job in enumerate(jobs):
            results[number] = run_job(job, formats)
            bar.update()
    else:
        # Fresh worker interpreters: forking a process that already holds DuckDB or ZeroMQ threads can
        # deadlock the child.
        with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn")) as pool:
            futures = {pool.submit(run_job, job, formats): number for number, job in enumerate(jobs)}
            for future in as_completed(futures):
                results[futures[future]] = future.result()
                bar.update()
    bar.close()
    return [results[number] for number in range(len(jobs))]


@contextmanager
def _timed(result: JobResult, step: str) -> Iterator[None]:
    """Record the seconds a step took in ``result.seconds``."""
    started = time.perf_counter()
    yield
    result.seconds[step] = round(time.perf_counter() - started, 3)


def _headline(node: nbformat.NotebookNode) -> dict:
    for cell in node.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if HEADLINE_MIMETYPE in data:
                return dict(data[HEADLINE_MIMETYPE])
    return {}


def _describe(exc: Exception) -> str:
    """The user-facing reason: for a notebook error, the exception raised inside the kernel."""
    if isinstance(exc, papermill.PapermillExecutionError):
        return f"{exc.ename}: {exc.evalue}"
    return "".join(traceback.format_exception_only(type(exc), exc)).strip()
