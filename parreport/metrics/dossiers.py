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
    are unknown (NA), never zeros. Results are kept per period, so a briefing can ask for many views cheaply;
    the frames it returns are shared by those views: read them, never modify them in place.
    """

    counter: Counter
    registry: Registry
    _cache: dict[Period, pd.DataFrame] = field(default_factory=dict, repr=False)
    _units: dict[Period, pd.DataFrame] = field(default_factory=dict, repr=False)
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
            self._units.update(self._sum_units(missing))

    def unit_fields(self, period: Period) -> pd.DataFrame:
        """Counts per unit × field, for the units with data in ``period`` (their registry fields without
        dossiers included as zeros)."""
        self.prefetch([period])
        return self._cache[period]

    def has_data(self, period: Period, department: str) -> bool:
        """Whether the data says anything about the unit's dossiers in ``period``: a record received by its
        end and not completed before its start, or Biểu 06 rows covering it. Without either, the unit's
        counts for the period are unknown — not zero."""
        self.prefetch([period])
        return department in self._with_data[period]

    def units(self, period: Period) -> pd.DataFrame:
        """One row per unit active in ``period`` and one for the province (``PROVINCE``): counts, rates and
        ``has_data``. A unit without data has unknown (NA) counts and rates; the province sums the units
        with data (and has none itself when no unit has any)."""
        self.prefetch([period])
        return self._units[period]

    def _sum_units(self, periods: list[Period]) -> dict[Period, pd.DataFrame]:
        """:meth:`units` of several periods with one sum and one rate computation (``_slot`` numbers them);
        an active unit without data has unknown counts, and so does a unit with an unknown count."""
        by_field = pd.concat([self._cache[p].assign(_slot=slot) for slot, p in enumerate(periods)],
                             ignore_index=True)
        units = sum_counts(by_field, ["_slot", "department"])
        active = pd.DataFrame([(slot, code) for slot, p in enumerate(periods) for code in self.registry.codes(p)],
                              columns=["_slot", "department"]).astype({"_slot": units["_slot"].dtype})
        units = active.merge(units, on=["_slot", "department"], how="left")
        units["has_data"] = [code in self._with_data[periods[slot]]
                             for slot, code in zip(units["_slot"], units["department"])]
        with_data = units[units["has_data"]]
        province = sum_counts(with_data.assign(department=PROVINCE), ["_slot", "department"])
        empty = [slot for slot in range(len(periods)) if slot not in set(province["_slot"])]
        province = pd.concat([province, pd.DataFrame({"_slot": empty, "department": PROVINCE})], ignore_index=True)
        province["has_data"] = province["_slot"].isin(with_data["_slot"])
        frame = pd.concat([units, province], ignore_index=True)
        frame[list(COUNTS)] = frame[list(COUNTS)].astype("Int64")
        slots = frame.pop("_slot")
        frame.insert(0, "period", slots.map({slot: p.code for slot, p in enumerate(periods)}))
        names = {d.code: d.name for d in self.registry} | {PROVINCE: PROVINCE_LABEL}
        groups = {d.code: d.group for d in self.registry} | {PROVINCE: PROVINCE}
        frame.insert(2, "name", frame["department"].map(names))
        frame.insert(3, "group", frame["department"].map(groups))
        frame = add_rates(frame)
        by_slot = dict(list(frame.groupby(slots)))
        return {p: by_slot.get(slot, frame.iloc[:0]).reset_index(drop=True) for slot, p in enumerate(periods)}


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
    period (``_prev``) and the same period a year earlier (``_year``), and ranks within the unit's group.
    Computed once per period of ``data`` (a shared frame, like :meth:`DossierData.units`)."""
    if period not in data._scorecards:
        keys = ["department"]
        current = data.units(period)
        current = add_changes(current, data.units(period.previous()), "prev", keys)
        current = add_changes(current, data.units(period.year_ago()), "year", keys)
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
    """Rates of the unit and of the province over the ``count`` periods ending with ``period``."""
    rows = []
    for each in period.history(count):
        units = data.units(each).set_index("department")
        unit = units.loc[department] if department in units.index else None
        rows.append({
            "period": each.code,
            "unit_on_time_rate": None if unit is None else unit["on_time_rate"],
            "province_on_time_rate": units.loc[PROVINCE, "on_time_rate"],
            "unit_received": None if unit is None else unit["received"],
        })
    return pd.DataFrame(rows)
