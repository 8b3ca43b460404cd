"""Incremental runs: a report whose inputs are unchanged since the last run is not built again.

A job's key digests everything its files depend on: the notebook, the parameters, the counts it reads
(:func:`parreport.metrics.shared.slice_digests`, kept with the store's shared counts: a unit's report reads
its own rows, ranks and the province totals; the province's report reads every unit), the other tables
of the store (PAR Index, SIPAS, 766 scores), the formats, and parreport itself (version and source). When
the manifest of the output folder holds a successful report with the same key and its files are all there,
the report is reused (``reused: true`` in the manifest).
"""
from __future__ import annotations

import hashlib
import json
from importlib.metadata import version
from pathlib import Path

from parreport.batch.job import Job
from parreport.batch.results import JobResult
from parreport.metrics.shared import SharedCounts
from parreport.paths import REPO_ROOT, TEMPLATES_DIR
from parreport.registry import Registry
from parreport.store import Store

_SOURCES = (REPO_ROOT / "parreport", TEMPLATES_DIR)


def job_keys(jobs: list[Job], store: Store, registry: Registry, formats: list[str]) -> dict[str, str]:
    """The key of each job (by :attr:`Job.name`), from the store's shared counts."""
    shared = SharedCounts(store)
    other_tables = store.con.execute("SELECT string_agg(sha256, ',' ORDER BY sha256) FROM ingests "
                                     "WHERE kind NOT IN ('dossiers', 'counts')").fetchone()[0] or ""
    common = f"{_package_digest()}|{other_tables}|{','.join(sorted(formats))}"
    slices: dict[str, str] = {}
    for period in {job.period for job in jobs}:
        departments = sorted({job.department for job in jobs if job.period == period})
        slices.update({f"{period.convention}:{period.code}:{code}": digest
                       for code, digest in shared.slice_digests(registry, period, departments).items()})
    keys = {}
    for job in jobs:
        digest = hashlib.sha256(common.encode())
        digest.update(job.notebook.read_bytes())
        digest.update(json.dumps(job.parameters, sort_keys=True, default=str).encode())
        digest.update(slices[f"{job.period.convention}:{job.period.code}:{job.department}"].encode())
        keys[job.name] = digest.hexdigest()
    return keys


def reusable(job: Job, key: str, previous: dict, out: Path) -> JobResult | None:
    """The previous run's result for ``job`` when its key is ``key`` and its files are all in place."""
    entry = previous.get((job.kind, job.period.code, job.department))
    if not entry or entry.get("status") != "ok" or entry.get("key") != key:
        return None
    outputs = {name: str(out / path) for name, path in entry.get("outputs", {}).items()}
    if not outputs or not all(Path(path).exists() for path in outputs.values()):
        return None
    return JobResult(job.kind, job.department, job.period.code, job.stem, "ok", job.parameters, outputs=outputs,
                     headline=entry.get("headline", {}), key=key, reused=True)


def _package_digest() -> str:
    """parreport's version and a digest of its code and templates (a change rebuilds every report)."""
    digest = hashlib.sha256(version("parreport").encode())
    for folder in _SOURCES:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and path.suffix in (".py", ".j2", ".css", ".tpl", ".json", ".docx", ".html"):
                digest.update(str(path.relative_to(REPO_ROOT)).encode() + path.read_bytes())
    return digest.hexdigest()
