"""Counts shared by every report of a batch, computed once and kept next to the store.

A briefing reads counts per unit × field for a handful of periods (its period, the one before, the same
period a year earlier, the trend periods), for every unit (ranks and province totals). Those counts are
computed by one DuckDB query for all the periods a batch needs (:func:`precompute_counts`) and kept as one
small Parquet file per period under a folder keyed by the store's fingerprint and the counting code, so
each kernel reads only its periods' counts, never a dossier record. A notebook run alone computes the
periods it needs the same way (and keeps them for the next run).
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import uuid
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from parreport.metrics import counts, counts_sql
from parreport.metrics.definitions import PROVINCE
from parreport.metrics.rates import add_ranks
from parreport.paths import cache_dir
from parreport.periods import Period

if TYPE_CHECKING:  # the store imports ingest, which reads the catalogue of this package
    from parreport.metrics.dossiers import DossierData
    from parreport.registry import Registry
    from parreport.store import Store

TREND_PERIODS = 8  # periods in a briefing's trend chart, the current one included
_CODE = [Path(counts.__file__), Path(counts_sql.__file__)]
_DIGEST_CODE = [Path(__file__).with_name(name) for name in ("shared.py", "rates.py", "dossiers.py")]  # slice_digests


def periods_read(periods: Iterable[Period]) -> list[Period]:
    """Every period a briefing of any of ``periods`` reads: itself, the previous period, the same
    period a year earlier and the trend periods (sorted, without repeats)."""
    needed = set()
    for period in periods:
        needed.update({period, period.previous(), period.year_ago(), *period.history(TREND_PERIODS)})
    return sorted(needed)


class SharedCounts:
    """The counts per unit × field of a store, per period: from the shared folder when present,
    computed (records by SQL, summary-only units from Biểu 06 rows) and kept there otherwise."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.folder = _folder(store)

    def get(self, periods: Iterable[Period]) -> dict[Period, pd.DataFrame]:
        """The counts of each period (columns of :func:`~parreport.metrics.counts.from_records`)."""
        periods = list(dict.fromkeys(periods))
        found = {p: pd.read_parquet(self._file(p)) for p in periods if self._kept(p)}
        found.update(self._compute_and_keep([p for p in periods if p not in found]))
        return {p: _typed(found[p]) for p in periods}

    def keep(self, periods: Iterable[Period]) -> None:
        """Compute and keep the counts of the periods that are not kept yet (nothing is read back)."""
        self._compute_and_keep([p for p in dict.fromkeys(periods) if not self._kept(p)])

    def slice_digests(self, registry: Registry, period: Period, departments: Iterable[str]) -> dict[str, str]:
        """:func:`slice_digests` of these counts, kept in the folder with them: a re-run on the same store,
        registry and code reads them back instead of reading every count again."""
        from parreport.metrics.dossiers import DossierData  # it reads its counts through this class

        departments = sorted(departments)
        path = self._digests_file(registry, period, departments) if self.folder else None
        if path and path.exists():
            return json.loads(path.read_text(encoding="utf-8"))
        digests = slice_digests(DossierData(self.get, registry), period, departments)
        if path:
            _write_atomically(path, lambda scratch: scratch.write_text(json.dumps(digests), encoding="utf-8"))
        return digests

    def _digests_file(self, registry: Registry, period: Period, departments: list[str]) -> Path:
        code = b"".join(path.read_bytes() for path in _DIGEST_CODE)
        key = hashlib.sha256(repr((registry, period, departments)).encode() + code).hexdigest()[:16]
        return self.folder / "slices" / f"{key}.json"

    def _kept(self, period: Period) -> bool:
        return self.folder is not None and self._file(period).exists()

    def _file(self, period: Period) -> Path:
        return self.folder / period.convention / f"{period.code}.parquet"

    def _compute_and_keep(self, periods: list[Period]) -> dict[Period, pd.DataFrame]:
        computed = dict(zip(periods, self._compute(periods)))
        if self.folder:
            for period, frame in computed.items():
                _write_atomically(self._file(period), partial(frame.to_parquet, index=False))
        return computed

    def _compute(self, periods: list[Period]) -> list[pd.DataFrame]:
        if not periods:
            return []
        summary_only = self.store.sql(
            "SELECT * FROM counts WHERE department NOT IN (SELECT DISTINCT department FROM dossiers)")
        by_records = counts_sql.records_counts(self.store.con, periods)
        frames = []
        for period, records_part in zip(periods, by_records):
            summary_part = counts.from_bieu06(summary_only, period)
            parts = [part for part in (records_part, summary_part) if not part.empty]
            frames.append(pd.concat(parts, ignore_index=True) if parts else records_part)
        return frames


def precompute_counts(store: Store, periods: Iterable[Period]) -> Path | None:
    """Compute once the counts every briefing of ``periods`` reads (see :func:`periods_read`) and keep
    them for the kernels; folders of earlier data of the same store are removed. Returns the folder
    (``None`` for a store without a file, whose counts cannot be shared)."""
    shared = SharedCounts(store)
    shared.keep(periods_read(periods))
    if shared.folder is not None:
        for stale in shared.folder.parent.iterdir():
            if stale != shared.folder and stale.is_dir():
                shutil.rmtree(stale, ignore_errors=True)
    return shared.folder


def _folder(store: Store) -> Path | None:
    """``.<store name>.counts/<fingerprint>-<code digest>`` beside the store (so Dask workers sharing the
    store's path share the counts too), or under the user cache when that folder cannot be written."""
    if str(store.path) == ":memory:":
        return None
    code = hashlib.sha256(b"".join(path.read_bytes() for path in _CODE)).hexdigest()[:12]
    key = f"{store.fingerprint()}-{code}"
    beside = store.path.resolve().parent
    base = beside / f".{store.path.name}.counts" if os.access(beside, os.W_OK) else \
        cache_dir() / "counts" / hashlib.sha256(str(store.path.resolve()).encode()).hexdigest()[:12]
    return base / key


def _write_atomically(path: Path, write: Callable[[Path], object]) -> None:
    """``write`` a scratch file beside ``path`` and move it there: concurrent kernels computing the same
    period never see half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    scratch = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}")
    write(scratch)
    os.replace(scratch, path)


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    """Counts as nullable integers, whatever Parquet or an empty concatenation made of them."""
    untyped = {c: "Int64" for c in frame.columns
               if c not in ("period", *counts.KEYS, "source") and frame[c].dtype != "Int64"}
    return frame.astype(untyped) if untyped else frame


def slice_digests(data: "DossierData", period: Period, departments: Iterable[str]) -> dict[str, str]:
    """A digest of every count each report of ``departments`` for ``period`` reads (``PROVINCE``: a
    report of the whole province, which reads every unit). A unit's report reads, for each period of
    :func:`periods_read`, its own rows per field, its totals with their ranks in its group, and the
    province totals: a correction that moves none of these leaves its digest, and the report, as they are.
    """
    digests = {department: hashlib.sha256() for department in departments}
    data.prefetch(periods_read([period]))
    for each in periods_read([period]):
        fields, units = data.unit_fields(each), add_ranks(data.units(each))
        field_rows, unit_rows = _row_hashes(fields), _row_hashes(units)
        for department, digest in digests.items():
            digest.update(f"{each.convention}:{each.code}".encode())
            if department == PROVINCE:
                digest.update(field_rows.tobytes() + unit_rows.tobytes())
            else:
                digest.update(field_rows[fields["department"].eq(department).to_numpy(bool)].tobytes())
                digest.update(unit_rows[units["department"].isin([department, PROVINCE]).to_numpy(bool)].tobytes())
    return {department: digest.hexdigest() for department, digest in digests.items()}


def _row_hashes(frame: pd.DataFrame) -> np.ndarray:
    """One 64-bit hash per row of ``frame`` (its values, not its index)."""
    return pd.util.hash_pandas_object(frame, index=False).to_numpy()
