"""Counts shared by every report of a batch, computed once and kept next to the store.

A briefing reads counts per unit × field for a handful of periods (its period, the one before, the same
period a year earlier, the trend periods), for every unit (ranks and province totals). Those counts are
computed by one DuckDB query for all the periods a batch needs (:func:`precompute_counts`) and kept as one
small Parquet file per period under a folder keyed by the store's fingerprint and the counting code, so
each kernel reads only its periods' counts, never a dossier record. A notebook run alone computes the
periods it needs the same way (and keeps them for the next run). Each period's counts are kept with their
digest, which tells a later batch whether a report that read them may be reused (:mod:`parreport.batch.reuse`).

This module itself loads neither pandas nor the counting code (:mod:`.counts_sql`, :mod:`.dossiers`): they
are imported where counts are read, computed or digested, so a batch whose counts and digests are all kept
(a re-run with nothing changed) never loads them.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import uuid
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from parreport import reads
from parreport.paths import cache_dir
from parreport.periods import Period

if TYPE_CHECKING:
    import pandas as pd

    from parreport.store import Store

TREND_PERIODS = 8  # periods in a briefing's trend chart, the current one included
_CODE = [Path(__file__).with_name(name) for name in ("counts.py", "counts_sql.py")]  # the counts


def periods_read(periods: Iterable[Period]) -> list[Period]:
    """The periods a briefing of any of ``periods`` usually reads, counted ahead of time in one query: itself,
    the previous period, the same period a year earlier and the trend periods (sorted, without repeats).
    Only a way to count at once: what a report really read is recorded while it runs (:mod:`parreport.reads`)."""
    needed = set()
    for period in periods:
        needed.update({period, period.previous(), period.year_ago(), *period.history(TREND_PERIODS)})
    return sorted(needed)


class KeptCounts:
    """The counts per unit × field of a store, per period: from the shared folder when present,
    computed (records by SQL, summary-only units from Biểu 06 rows) and kept there otherwise."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.folder = _folder(store)

    def get(self, periods: Iterable[Period]) -> dict[Period, pd.DataFrame]:
        """The counts of each period (columns of :func:`~parreport.metrics.counts.from_records`)."""
        from parreport.metrics.counts_sql import read_counts

        periods = list(dict.fromkeys(periods))
        found = {p: read_counts(self._file(p)) for p in periods if self._kept(p)}
        found.update(self._compute_and_keep([p for p in periods if p not in found]))
        return {p: found[p] for p in periods}

    def keep(self, periods: Iterable[Period]) -> None:
        """Compute and keep the counts of the periods that are not kept yet (nothing is read back)."""
        self._compute_and_keep([p for p in dict.fromkeys(periods) if not self._kept(p)])

    def digest(self, period: Period) -> str:
        """A digest of the counts of ``period`` (every unit × field): kept beside them, computed with them."""
        path = self._digest_file(period) if self.folder else None
        if path is not None and not path.exists():
            self.keep([period])
        if path is not None and path.exists():
            return path.read_text(encoding="utf-8")
        [counts] = self.get([period]).values()  # a store without a folder: nothing kept
        return _digest(counts)

    def _kept(self, period: Period) -> bool:
        return self.folder is not None and self._file(period).exists()

    def _file(self, period: Period) -> Path:
        return self.folder / period.convention / f"{period.code}.parquet"

    def _digest_file(self, period: Period) -> Path:
        return self.folder / period.convention / f"{period.code}.sha256"

    def _compute_and_keep(self, periods: list[Period]) -> dict[Period, pd.DataFrame]:
        if not periods:
            return {}
        from parreport.metrics.counts_sql import store_counts

        with reads.narrowed():  # the caller notes the periods it asked for
            computed = dict(zip(periods, store_counts(self.store, periods)))
        if self.folder:
            for period, frame in computed.items():
                _write_atomically(self._file(period), partial(frame.to_parquet, index=False))
                digest = _digest(frame)
                _write_atomically(self._digest_file(period),
                                  lambda scratch: scratch.write_text(digest, encoding="utf-8"))
        return computed


def precompute_counts(store: Store, periods: Iterable[Period]) -> Path | None:
    """Compute once the counts every briefing of ``periods`` reads (see :func:`periods_read`) and keep
    them for the kernels; folders of earlier data of the same store are removed. Returns the folder
    (``None`` for a store without a file, whose counts cannot be shared)."""
    shared = KeptCounts(store)
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


def _digest(counts: pd.DataFrame) -> str:
    """A digest of a period's counts: their columns and every value, row by row."""
    import pandas as pd

    rows = pd.util.hash_pandas_object(counts, index=False).to_numpy().tobytes()
    return hashlib.sha256(",".join(counts.columns).encode() + rows).hexdigest()


def _write_atomically(path: Path, write: Callable[[Path], object]) -> None:
    """``write`` a scratch file beside ``path`` and move it there: concurrent kernels computing the same
    period never see half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    scratch = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}")
    write(scratch)
    os.replace(scratch, path)
