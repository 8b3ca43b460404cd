"""Incremental runs: a report whose inputs are unchanged since the last run is not built again.

A report's key digests everything its files depend on: parreport itself (version, code and templates), the
formats, the notebook, the parameters, and every read of the data the report made while it ran, as the
kernel recorded them (:mod:`parreport.reads`) — each with a digest of what it read now: a period's counts
(kept beside the store's shared counts), a table of the store (its files), the sample-data mark, the
registry file, or the whole store (its fingerprint) for a query of the report's own. A report is reused when
the manifest of the output folder holds it, successful, with the key its recorded reads give on today's
data, and its files are all there (``reused: true`` in the manifest). There is no list of what a report
reads beside the code: a report that reads more is recorded reading more.
"""
from __future__ import annotations

import hashlib
import json
from importlib.metadata import version
from pathlib import Path

from parreport.batch.job import Job
from parreport.batch.results import JobResult
from parreport.metrics.kept_counts import KeptCounts
from parreport.paths import REPO_ROOT, TEMPLATES_DIR
from parreport.periods import Period
from parreport.store import Store

_SOURCES = (REPO_ROOT / "parreport", TEMPLATES_DIR)


class DataState:
    """The digest of each kind of read (see :mod:`parreport.reads`) on one store as it is now. Counts
    digests not kept yet are computed from the store, which must then be open."""

    def __init__(self, store: Store, formats: list[str]) -> None:
        self.store = store
        self.common = f"{_package_digest()}|{','.join(sorted(formats))}"
        self.fingerprint = store.fingerprint()
        self.sample_data = str(store.sample_data)
        self._counts = KeptCounts(store)
        self._digests: dict[tuple[str, ...], str] = {}

    def key(self, job: Job, reads: list[list[str]]) -> str:
        """The key of ``job`` if it reads ``reads``."""
        digest = hashlib.sha256(self.common.encode())
        digest.update(job.notebook.read_bytes())
        digest.update(json.dumps(job.parameters, sort_keys=True, default=str).encode())
        for read in sorted(map(tuple, reads)):
            digest.update(json.dumps([*read, self.digest(read)]).encode())
        return digest.hexdigest()

    def digest(self, read: tuple[str, ...]) -> str:
        """A digest of what ``read`` reads today."""
        if read not in self._digests:
            self._digests[read] = self._compute(read)
        return self._digests[read]

    def _compute(self, read: tuple[str, ...]) -> str:
        what, *detail = read
        if what == "counts":
            convention, code = detail
            return self._counts.digest(Period.parse(code, convention))
        if what == "table":
            return self.store.kind_digest(detail[0])
        if what == "meta":
            return self.sample_data
        if what == "registry":
            path = Path(detail[0])
            return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else f"no file {path}"
        return self.fingerprint  # "store", or a read this version does not know: the whole store


def reusable(job: Job, state: DataState, previous: dict, out: Path) -> JobResult | None:
    """The previous run's result for ``job`` when the reads it recorded give the same key today and its
    files are all in place."""
    entry = previous.get((job.kind, job.period.code, job.department))
    if not entry or entry.get("status") != "ok" or entry.get("reads") is None or not entry.get("key"):
        return None
    key = state.key(job, entry["reads"])
    if entry["key"] != key:
        return None
    outputs = {name: str(out / path) for name, path in entry.get("outputs", {}).items()}
    if not outputs or not all(Path(path).exists() for path in outputs.values()):
        return None
    return JobResult(job.kind, job.department, job.period.code, job.stem, "ok", job.parameters, outputs=outputs,
                     headline=entry.get("headline", {}), headline_columns=entry.get("headline_columns", []), key=key,
                     reads=entry["reads"], reused=True)


def _package_digest() -> str:
    """parreport's version and a digest of its code and templates (a change rebuilds every report)."""
    digest = hashlib.sha256(version("parreport").encode())
    for folder in _SOURCES:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and path.suffix in (".py", ".j2", ".css", ".tpl", ".json", ".docx", ".html"):
                digest.update(str(path.relative_to(REPO_ROOT)).encode() + path.read_bytes())
    return digest.hexdigest()
