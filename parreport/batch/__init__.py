"""Batch: plan kind × department × period, run each notebook through papermill, render, index, manifest."""
from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

from parreport.batch.plan import Job, plan
from parreport.batch.publish import MANIFEST, write_index, write_manifest
from parreport.batch.reuse import job_keys, previous_reports, reusable
from parreport.batch.runner import JobResult, run_jobs
from parreport.batch.spec import DEFAULT_SPEC, BatchSpec
from parreport.metrics.shared import precompute_counts
from parreport.paths import DEFAULT_REGISTRY
from parreport.registry import Registry
from parreport.sources import STORE_SUFFIX, demo_store, ingest_files, open_store
from parreport.store import Store

__all__ = ["BatchSpec", "DEFAULT_SPEC", "Job", "JobResult", "run_batch"]


def run_batch(spec: BatchSpec, out: Path, data: str | None = None, departments: list[str] | None = None,
              periods: list[str] | None = None, workers: int = 1, progress: bool = True,
              registry_path: Path = DEFAULT_REGISTRY, force: bool = False) -> list[JobResult]:
    """Produce every planned report under ``out`` and update its index and manifest. A report whose inputs
    are unchanged since the folder's last run is kept as it is (see :mod:`parreport.batch.reuse`) unless
    ``force``."""
    registry = Registry.load(registry_path)
    out = Path(out).resolve()
    source = _stage(data or spec.data, out, registry) if (data or spec.data) else str(demo_store(registry_path))
    with open_store(source, registry) as store:
        jobs = plan(spec, registry, store, source, out, departments, periods)
        precompute_counts(store, {job.period for job in jobs})  # once; each kernel reads its periods' counts
        data_record = {"path": source, "fingerprint": store.fingerprint(), "sample_data": store.sample_data}
        keys = job_keys(jobs, store, registry, spec.formats)
    previous = {} if force else previous_reports(out, MANIFEST)
    kept = {job.name: reusable(job, keys[job.name], previous, out) for job in jobs}
    todo = [job for job in jobs if kept[job.name] is None]
    built = dict(zip((job.name for job in todo), run_jobs(todo, spec.formats, workers=workers, progress=progress)))
    for name, result in built.items():
        result.key = keys[name] if result.status == "ok" else None
    results = [kept[job.name] or built[job.name] for job in jobs]
    spec_record = {k: str(v) if isinstance(v, Path) else v for k, v in asdict(spec).items()}
    manifest = write_manifest(out, results, data_record, spec_record)
    write_index(out, manifest, registry)
    return results


def _stage(data: str, out: Path, registry: Registry) -> str:
    """A store path for the notebooks: the given ``.duckdb`` store, or export files ingested once into
    ``OUT/.data.duckdb`` (so each notebook does not ingest them again)."""
    path = Path(data).resolve()
    if path.suffix == STORE_SUFFIX:
        return str(path)
    staged = out / ".data.duckdb"
    out.mkdir(parents=True, exist_ok=True)
    staged.unlink(missing_ok=True)
    with Store(staged) as store:
        ingest_files(store, [path], registry)
    return str(staged)
