"""The inputs every report kind shares: what a report reads from the data for one period (:class:`Inputs`,
:func:`load_inputs`), and what a warm kernel keeps of one store between reports (:class:`StoreData`).

Each read is recorded (:mod:`parreport.reads`) where it is served — also when it is served from what a kernel
kept — so that a batch knows what each report read.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

import pandas as pd

from parreport import reads
from parreport.metrics import DossierData, scorecard
from parreport.catalogue import DEFAULT_TARGETS, check_targets
from parreport.metrics.par_index import ParData
from parreport.metrics.s766 import snapshot_movement
from parreport.metrics.kept_counts import KeptCounts, periods_read
from parreport.paths import DEFAULT_REGISTRY
from parreport.periods import Period
from parreport.registry import Registry
from parreport.reports import s766
from parreport.sources import open_store
from parreport.store import Store


@dataclass
class Inputs:
    """What a report reads from the data for one period: the registry, the checked period and targets
    (defaults included), and the store's data (:class:`StoreData`): dossier data, and for a year the PAR
    Index and SIPAS scores."""

    registry: Registry
    period: Period
    targets: dict[str, float]
    store_data: StoreData

    def record(self) -> None:
        """Note the reads every report of this period makes, served from the store or from what was kept:
        the official 766 scores, the sample-data mark and, for a year, the PAR Index and SIPAS scores (the
        dossier counts are noted period by period as they are asked for)."""
        tables = ("scores_766", "par_index", "sipas") if self.period.kind == "Y" else ("scores_766",)
        for kind in tables:
            reads.record("table", kind)
        reads.record("meta", "sample_data")

    @property
    def dossiers(self) -> DossierData:
        return self.store_data.dossiers

    @property
    def par(self) -> ParData | None:
        """The PAR Index and SIPAS data for a year, else None."""
        return self.store_data.par if self.period.kind == "Y" else None

    @property
    def sample_data(self) -> bool:
        return self.store_data.sample_data

    def figures_766(self, tolerance: float = s766.DEFAULT_TOLERANCE) -> s766.Figures766:
        """The 766 figures of the period, every unit (computed once per period and tolerance, see
        :class:`StoreData`)."""
        return self.store_data.figures_766(self.period, tolerance)


def load_inputs(period: str | Period, data: str | Path | None = None, targets: dict[str, float] | None = None,
                convention: str = "calendar", registry: str | Path | Registry | None = None) -> Inputs:
    """Read the data a report needs (see :func:`open_store`), checking period and targets first. What does
    not depend on the report's unit, period or targets is kept for the next report (see :class:`StoreData`)."""
    registry = registry if isinstance(registry, Registry) else Registry.load(registry or DEFAULT_REGISTRY)
    reads.record("registry", registry.source)
    period = Period.parse(period, convention)
    targets = {**DEFAULT_TARGETS, **check_targets(targets or {})}
    with open_store(data, registry) as store:
        kept = StoreData.of(store, registry)
        kept.dossiers.prefetch(periods_read([period]))  # what a briefing reads, counted at once
        if period.kind == "Y" and kept.par is None:
            kept.par = ParData.from_store(store, registry)
        inputs = Inputs(registry, period, targets, kept)
    inputs.record()
    return inputs


@dataclass
class StoreData:
    """What the reports read from one store under one registry, whatever their unit, period or targets: the
    dossier counts with the sums and scorecards made of them, the official 766 scores and the 766 figures
    made of them, the PAR Index data and the sample-data flag. The last one read is kept in this process
    (:meth:`of`), so a warm kernel serving report after report of a batch reads and sums the province's
    counts once, not once per report. It stays valid while the store's fingerprint (a digest of every file
    ingested) and the registry are the same: another store, new data ingested or another registry make a
    new one. Its frames are shared between reports: read them, never modify them in place."""

    key: tuple[str, str]  # the store's path and fingerprint
    registry: Registry
    dossiers: DossierData
    scores_766: pd.DataFrame  # the current official scores: the dashboard's latest snapshot of each
    snapshots_766: pd.DataFrame  # every snapshot of them (parreport.store.Store.snapshots)
    sample_data: bool
    par: ParData | None = None  # read on the first report of a year
    _figures_766: dict[tuple[Period, float], s766.Figures766] = field(default_factory=dict, repr=False)

    _last: ClassVar["StoreData | None"] = None

    @classmethod
    def of(cls, store: Store, registry: Registry) -> "StoreData":
        """The kept data of ``store`` under ``registry``, or a new one (then kept instead); either counts
        what it has not counted yet from ``store`` (the store of an earlier report is closed)."""
        key = (str(store.path), store.fingerprint())
        last = cls._last
        if last is None or last.key != key or last.registry != registry:
            last = cls(key, registry, DossierData.from_store(store, registry), store.table("scores_766"),
                       store.snapshots("scores_766"), store.sample_data)
            cls._last = last
        last.dossiers.counter = _counter(store)
        return last

    def figures_766(self, period: Period, tolerance: float) -> s766.Figures766:
        """The 766 figures of every unit in ``period`` with the cross-check ``tolerance``."""
        if (period, tolerance) not in self._figures_766:
            groups = {unit.code: unit.group for unit in self.registry}
            self._figures_766[period, tolerance] = s766.Figures766.from_scores(
                self.scores_766, scorecard(self.dossiers, period), period, tolerance,
                snapshot_movement(self.snapshots_766, period, groups))
        return self._figures_766[period, tolerance]


def _counter(store: Store):
    """What counts the periods a report asks for: the store's shared counts, read through a connection of its
    own when ``store`` is closed by then (a notebook may ask for a period after its inputs were loaded)."""
    if str(store.path) == ":memory:":
        return KeptCounts(store).get
    path = store.path

    def count(periods: list[Period]) -> dict:
        with Store(path, read_only=True) as reopened:
            return KeptCounts(reopened).get(periods)
    return count
