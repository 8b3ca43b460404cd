"""Batch: plan kind × department × period, run each notebook through papermill, render, index, manifest."""
from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

from parreport.batch.plan import Job, plan
from parreport.batch.publish import write_index, write_manifest
from parreport.batch.runner import JobResult, run_jobs
from parreport.batch.spec import DEFAULT_SPEC, BatchSpec
from parreport.paths import DEFAULT_REGISTRY
from parreport.registry import Registry
from parreport.sources import STORE_SUFFIX, demo_store, ingest_files, open_store
from parreport.store import Store

__all__ = ["BatchSpec", "DEFAULT_SPEC", "Job", "JobResult", "run_batch"]


def run_batch(spec: BatchSpec, out: Path, data: str | None = None, departments: list[str] | None = None,
              periods: list[str] | None = None, workers: int = 1, progress: bool = True,
              registry_path: Path = DEFAULT_REGISTRY) -> list[JobResult]:
    """Produce every planned report under ``out`` and update its index and manifest."""
    registry = Registry.load(registry_path)
    out = Path(out).resolve()
    source = _stage(data or spec.data, out, registry) if (data or spec.data) else str(demo_store(registry_path))
    with open_store(source, registry) as store:
        jobs = plan(spec, registry, store, source, out, departments, periods)
        data_record = {"path": source, "fingerprint": store.fingerprint(), "sample_data": store.sample_data}
    results = run_jobs(jobs, spec.formats, workers=workers, progress=progress)
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
