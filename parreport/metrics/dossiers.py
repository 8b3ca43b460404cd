"""Dossier metrics of a unit, of every unit and of the province for a period: the briefing's figures."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd

from parreport import reads
from parreport.metrics import counts as count
from parreport.metrics.definitions import COUNTS, PROVINCE, PROVINCE_LABEL, TOTAL_FIELD
from parreport.metrics.rates import add_changes, add_ranks, add_rates, sum_counts
from parreport.metrics.kept_counts import TREND_PERIODS, KeptCounts
from parreport.periods import Period
from parreport.registry import Registry

if TYPE_CHECKING:
    from parreport.store import Store


Counter = Callable[[list[Period]], "dict[Period, pd.DataFrame]"]


@dataclass
class DossierData:
    """The dossier counts of a province per unit × field, per period, from ``counter`` (which counts a
    list of periods at once). A unit with records is counted from its records; a unit without any from
    its Biểu 06 rows. A unit with neither in a period has **no data** there (docs/data.md §3.4): its counts
    are unknown (NA), never zeros.

    Views follow the registry's lineage (:meth:`Registry.members`): the units of a view are those reported for
    a period ``as_of`` (by default the viewed period itself), each summing the counts of the units whose
    records make it up over the viewed period — a merged unit its predecessors' before the merger, so that a
    comparison with an earlier period compares like with like. The province sums every unit with data.
    Results are kept per period and view, so a briefing can ask for many views cheaply; the frames it returns
    are shared by those views: read them, never modify them in place.
    """

    counter: Counter
    registry: Registry
    _cache: dict[Period, pd.DataFrame] = field(default_factory=dict, repr=False)  # as counted, per unit
    _fields: dict[tuple[Period, Period], pd.DataFrame] = field(default_factory=dict, repr=False)
    _units: dict[tuple[Period, Period], pd.DataFrame] = field(default_factory=dict, repr=False)
    _with_data: dict[Period, frozenset[str]] = field(default_factory=dict, repr=False)
    _scorecards: dict[Period, pd.DataFrame] = field(default_factory=dict, repr=False)

    @classmethod
    def from_store(cls, store: Store, registry: Registry) -> "DossierData":
        """Counts of a store: the batch's shared counts when computed, else one SQL query per call of
        :meth:`prefetch` (see :mod:`parreport.metrics.kept_counts`). Prefetch before closing the store."""
        return cls(KeptCounts(store).get, registry)

    @classmethod
    def from_frames(cls, records: pd.DataFrame, bieu06: pd.DataFrame, registry: Registry) -> "DossierData":
        """Counts from frames of dossier records and Biểu 06 rows, in pandas (the reference)."""
        with_records = set(records["department"].unique())
        summary_only = bieu06[~bieu06["department"].isin(with_records)]

        def count_periods(periods: list[Period]) -> dict[Period, pd.DataFrame]:
            result = {}
            for period in periods:
                parts = [count.from_records(records, period), count.from_bieu06(summary_only, period)]
                result[period] = pd.concat([part for part in parts if not part.empty] or parts[:1],
                                           ignore_index=True)
            return result
        return cls(count_periods, registry)

    def prefetch(self, periods: list[Period]) -> None:
        """Count every period of ``periods`` not counted yet, and sum its units, in one go."""
        periods = list(dict.fromkeys(periods))
        for period in periods:
            reads.record("counts", period.convention, period.code)
        missing = [period for period in periods if period not in self._cache]
        if missing:
            counted = self.counter(missing)
            for period in missing:
                self._with_data[period] = frozenset(counted[period]["department"])
                self._cache[period] = _with_registry_fields(counted[period], self.registry, period,
                                                            self._with_data[period])
            self._units.update(self._sum_units([(period, period) for period in missing]))

    def unit_fields(self, period: Period, as_of: Period | None = None) -> pd.DataFrame:
        """Counts per unit × field over ``period`` for the units reported for ``as_of`` that have data (their
        registry fields without dossiers included as zeros), each unit summing its :meth:`Registry.members`."""
        view = (period, as_of or period)
        self.prefetch([period])  # also notes the read when the view is kept
        if view not in self._fields:
            owners = self.registry.owners(*view)
            counted = self._cache[period]
            counted = counted[counted["department"].isin(owners)]
            if any(owners[code] != code for code in self._with_data[period] if code in owners):
                summed = sum_counts(counted.assign(department=counted["department"].map(owners)),
                                    ["period", "department", "field"])
                counted = summed.assign(source="lineage")[list(counted.columns)]
            self._fields[view] = counted
        return self._fields[view]

    def has_data(self, period: Period, department: str, as_of: Period | None = None) -> bool:
        """Whether the data says anything about the unit's dossiers in ``period`` (its own or its predecessors',
        the unit being reported for ``as_of``, by default ``period``): a record received by its end and not
        completed before its start, or Biểu 06 rows covering it. Without either, the unit's counts for the
        period are unknown — not zero."""
        return bool(self.sources(period, department, as_of))

    def sources(self, period: Period, department: str, as_of: Period | None = None) -> list[str]:
        """The units whose data makes up ``department``'s counts in ``period`` (:meth:`Registry.members` with
        data), in registry order: the unit itself unless merged into it or renamed since."""
        self.prefetch([period])
        members = self.registry.members(department, period, as_of) if department in self.registry else [department]
        return [code for code in members if code in self._with_data[period]]

    def units(self, period: Period, as_of: Period | None = None) -> pd.DataFrame:
        """One row per unit reported for ``as_of`` (default: ``period``) and one for the province
        (``PROVINCE``): counts over ``period``, rates, ``has_data`` and ``sources`` (the codes whose data the
        row sums). A unit without data has unknown (NA) counts and rates; the province sums the units with
        data (and has none itself when no unit has any)."""
        view = (period, as_of or period)
        self.prefetch([period])  # also notes the read when the view is kept
        if view not in self._units:
            self._units.update(self._sum_units([view]))
        return self._units[view]

    def _sum_units(self, views: list[tuple[Period, Period]]) -> dict[tuple[Period, Period], pd.DataFrame]:
        """:meth:`units` of several views with one sum and one rate computation (``_slot`` numbers them);
        an active unit without data has unknown counts, and so does a unit with an unknown count."""
        by_field = pd.concat([self.unit_fields(*view).assign(_slot=slot) for slot, view in enumerate(views)],
                             ignore_index=True)
        units = sum_counts(by_field, ["_slot", "department"])
        reported = []
        for slot, (period, as_of) in enumerate(views):
            sources: dict[str, list[str]] = {}
            for member, owner in self.registry.owners(period, as_of).items():
                if member in self._with_data[period]:
                    sources.setdefault(owner, []).append(member)
            reported += [(slot, code, tuple(sources.get(code, ()))) for code in self.registry.codes(as_of)]
        active = pd.DataFrame(reported, columns=["_slot", "department", "sources"]).astype(
            {"_slot": units["_slot"].dtype})
        units = active.merge(units, on=["_slot", "department"], how="left")
        units["has_data"] = units["sources"].map(bool)
        counted = pd.concat([self._cache[period].assign(_slot=slot) for slot, (period, _) in enumerate(views)],
                            ignore_index=True)
        province = sum_counts(counted.assign(department=PROVINCE), ["_slot", "department"])
        empty = [slot for slot in range(len(views)) if slot not in set(province["_slot"])]
        province = pd.concat([province, pd.DataFrame({"_slot": empty, "department": PROVINCE})], ignore_index=True)
        province["has_data"] = ~province["_slot"].isin(empty)
        province["sources"] = [()] * len(province)
        frame = pd.concat([units, province], ignore_index=True)
        frame[list(COUNTS)] = frame[list(COUNTS)].astype("Int64")
        slots = frame.pop("_slot")
        frame.insert(0, "period", slots.map({slot: period.code for slot, (period, _) in enumerate(views)}))
        names = {d.code: d.name for d in self.registry} | {PROVINCE: PROVINCE_LABEL}
        groups = {d.code: d.group for d in self.registry} | {PROVINCE: PROVINCE}
        frame.insert(2, "name", frame["department"].map(names))
        frame.insert(3, "group", frame["department"].map(groups))
        frame = add_rates(frame)
        by_slot = dict(list(frame.groupby(slots)))
        return {view: by_slot.get(slot, frame.iloc[:0]).reset_index(drop=True) for slot, view in enumerate(views)}


def _with_registry_fields(frame: pd.DataFrame, registry: Registry, period: Period,
                          with_data: frozenset[str]) -> pd.DataFrame:
    """Add zero rows for the registry fields without dossiers of each active unit that has data."""
    known = set(zip(frame["department"], frame["field"])) if not frame.empty else set()
    sources = dict(zip(frame["department"], frame["source"])) if not frame.empty else {}
    missing = [
        {"period": period.code, "department": dept.code, "field": name, "source": sources[dept.code]}
        for dept in registry if dept.active_in(period) and dept.code in with_data
        for name in dept.fields if (dept.code, name) not in known
    ]
    if not missing:
        return frame
    zeros = pd.DataFrame(missing)
    for column in COUNTS:
        zeros[column] = pd.array([0] * len(zeros), dtype="Int64")
    return pd.concat([frame, zeros], ignore_index=True)


def scorecard(data: DossierData, period: Period) -> pd.DataFrame:
    """Every unit and the province in ``period``: counts, rates, 766 scores, changes against the previous
    period (``_prev``) and the same period a year earlier (``_year``) — each unit against the units it was
    made of then (``sources_prev``, ``sources_year``) — and ranks within the unit's group.
    Computed once per period of ``data`` (a shared frame, like :meth:`DossierData.units`)."""
    if period not in data._scorecards:
        keys = ["department"]
        current = data.units(period)
        for earlier, suffix in ((period.previous(), "prev"), (period.year_ago(), "year")):
            then = data.units(earlier, as_of=period)
            current = add_changes(current, then, suffix, keys)
            current[f"sources_{suffix}"] = current["department"].map(then.set_index("department")["sources"])
        data._scorecards[period] = add_ranks(current)
    return data._scorecards[period]


def field_table(data: DossierData, period: Period, department: str) -> pd.DataFrame:
    """The Biểu 06 table of one unit: a row per field (registry order first) and a ``Tổng`` row."""
    by_field = data.unit_fields(period)
    rows = by_field[by_field["department"] == department]
    order = list(data.registry.get(department).fields) if department in data.registry else []
    rank = {name: position for position, name in enumerate(order)}
    rows = rows.assign(_order=rows["field"].map(lambda f: rank.get(f, len(order)))).sort_values(["_order", "field"])
    rows = rows.drop(columns="_order")
    total = sum_counts(rows.assign(field=TOTAL_FIELD), ["period", "department", "field"])
    return add_rates(pd.concat([rows.drop(columns="source"), total], ignore_index=True))


def trend(data: DossierData, period: Period, department: str, count: int = TREND_PERIODS) -> pd.DataFrame:
    """Rates of the unit (with its predecessors before a merger) and of the province over the ``count`` periods
    ending with ``period``."""
    rows = []
    for each in period.history(count):
        units = data.units(each, as_of=period).set_index("department")
        unit = units.loc[department] if department in units.index else None
        rows.append({
            "period": each.code,
            "unit_on_time_rate": None if unit is None else unit["on_time_rate"],
            "province_on_time_rate": units.loc[PROVINCE, "on_time_rate"],
            "unit_received": None if unit is None else unit["received"],
        })
    return pd.DataFrame(rows)
