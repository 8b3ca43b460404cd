"""Run a batch: plan, reuse what is unchanged, run the rest, and keep the index and manifest current."""
from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

from parreport.batch.executors import get_executor, worker_preload
from parreport.batch.outdir import output_lock, previous_reports, recover
from parreport.batch.plan import plan
from parreport.batch.index import write_index, write_manifest
from parreport.batch.reuse import DataState, reusable
from parreport.batch.results import OK, JobResult
from parreport.batch.spec import BatchSpec
from parreport.errors import ConfigError
from parreport.metrics.kept_counts import precompute_counts
from parreport.paths import DEFAULT_REGISTRY
from parreport.registry import Registry
from parreport.sources import STORE_SUFFIX, demo_store, ingest_files, open_store
from parreport.store import Store


def run_batch(spec: BatchSpec, out: Path, data: str | None = None, departments: list[str] | None = None,
              periods: list[str] | None = None, workers: int = 1, progress: bool = True,
              registry_path: Path = DEFAULT_REGISTRY, force: bool = False,
              scheduler: str | None = None) -> list[JobResult]:
    """Produce every planned report under ``out`` and update its index and manifest. A report whose inputs
    are unchanged since the folder's last run is kept as it is (see :mod:`parreport.batch.reuse`) unless
    ``force``. The jobs run on the Dask cluster at ``scheduler`` (default: the spec's) when one is given,
    else here with ``workers`` processes."""
    registry = Registry.load(registry_path)
    out = Path(out).resolve()
    given = data or spec.data
    demo = None if given else str(demo_store(registry_path))  # refuses a registry other than the demo one
    with output_lock(out):
        recover(out)
        scheduler = scheduler or spec.scheduler
        executor = get_executor(workers, scheduler, preload=worker_preload(spec.formats))
        previous = {} if force else previous_reports(out)
        try:
            if not previous:  # every report will be made: the workers get ready while the batch plans
                executor.start()
            source = _stage(given, out, registry) if given else demo
            if scheduler and not Path(source).is_absolute():
                raise ConfigError(f"the store {source} is not an absolute path: the workers of the Dask scheduler "
                                  f"{scheduler} must read the store and write {out} through a shared filesystem, "
                                  "at the same absolute paths (set PARREPORT_CACHE to an absolute path, or give "
                                  "--data as one)")
            # The store stays open (read-only) for the reuse keys of the reports as they end.
            with open_store(source, registry) as store:
                jobs = plan(spec, registry, store, source, out, departments, periods)
                precompute_counts(store, {job.period for job in jobs})  # once; each kernel reads its periods' counts
                data_record = {"path": source, "fingerprint": store.fingerprint(), "sample_data": store.sample_data}
                state = DataState(store, spec.formats)
                kept = {job.name: reusable(job, state, previous, out) for job in jobs}
                todo = [job for job in jobs if kept[job.name] is None]
                spec_record = {k: str(v) if isinstance(v, Path) else v for k, v in asdict(spec).items()}
                by_name = {job.name: job for job in todo}

                def record(results: list[JobResult]) -> None:
                    write_index(out, write_manifest(out, results, data_record, spec_record), registry)

                def finished(result: JobResult) -> None:  # recorded at once: an interrupted run keeps what it made
                    complete = result.status == OK and not result.format_errors and result.reads is not None
                    result.key = state.key(by_name[result.name], result.reads) if complete else None
                    record([result])
                built = {result.name: result for result in _run_jobs(todo, spec, executor, progress, finished)}
            results = [kept[job.name] or built[job.name] for job in jobs]
            record([result for result in results if result.reused])
            recover(out)  # scratch files of a worker process that died mid-report
            return results
        finally:
            executor.stop()  # what start() began for a batch that had nothing to run


def _run_jobs(todo: list, spec: BatchSpec, executor, progress: bool, finished) -> list[JobResult]:
    """Run the jobs left to make; nothing of the dispatching is loaded unless there are any."""
    if not todo:
        return []
    from parreport.batch.dispatch import run_jobs

    return run_jobs(todo, spec.formats, executor, progress=progress, timeout=spec.timeout, on_result=finished)


def _stage(data: str, out: Path, registry: Registry) -> str:
    """A store path for the notebooks: the given ``.duckdb`` store, or export files ingested once into
    ``OUT/.data.duckdb`` (so each notebook does not ingest them again)."""
    path = Path(data).resolve()
    if path.suffix == STORE_SUFFIX:
        return str(path)
    staged = out / ".data.duckdb"
    staged.unlink(missing_ok=True)
    with Store(staged) as store:
        ingest_files(store, [path], registry)
    return str(staged)
