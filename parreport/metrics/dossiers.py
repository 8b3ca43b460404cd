"""Dossier metrics of a unit, of every unit and of the province for a period: the briefing's figures."""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from parreport.metrics import counts as count
from parreport.metrics.definitions import COUNTS, PROVINCE, PROVINCE_LABEL, TOTAL_FIELD
from parreport.metrics.rates import add_changes, add_ranks, add_rates, sum_counts
from parreport.periods import Period
from parreport.registry import Registry
from parreport.store import Store


@dataclass
class DossierData:
    """The dossier inputs of a province: records (latest version of each dossier) and Biểu 06 rows.

    A unit with records is counted from its records; a unit without any is counted from its Biểu 06 rows.
    A unit with neither in a period has **no data** there (docs/data.md §3.4): its counts are unknown
    (NA), never zeros. Results are cached per period, so a briefing can ask for many views cheaply.
    """

    records: pd.DataFrame
    bieu06: pd.DataFrame
    registry: Registry
    _cache: dict[str, tuple[pd.DataFrame, frozenset[str]]] = field(default_factory=dict, repr=False)

    @classmethod
    def from_store(cls, store: Store, registry: Registry) -> "DossierData":
        """The current dossier records and Biểu 06 rows of a store."""
        return cls(store.table("dossiers"), store.table("counts"), registry)

    def unit_fields(self, period: Period) -> pd.DataFrame:
        """Counts per unit × field, for the units with data in ``period`` (their registry fields without
        dossiers included as zeros)."""
        return self._counted(period)[0]

    def has_data(self, period: Period, department: str) -> bool:
        """Whether the data says anything about the unit's dossiers in ``period``: a record received by its
        end and not completed before its start, or Biểu 06 rows covering it. Without either, the unit's
        counts for the period are unknown — not zero."""
        return department in self._counted(period)[1]

    def _counted(self, period: Period) -> tuple[pd.DataFrame, frozenset[str]]:
        if period.code not in self._cache:
            with_records = set(self.records["department"].unique())
            summary_only = self.bieu06[~self.bieu06["department"].isin(with_records)]
            parts = [count.from_records(self.records, period), count.from_bieu06(summary_only, period)]
            frame = pd.concat([part for part in parts if not part.empty] or parts[:1], ignore_index=True)
            with_data = frozenset(frame["department"])
            self._cache[period.code] = (_with_registry_fields(frame, self.registry, period, with_data), with_data)
        return self._cache[period.code]

    def units(self, period: Period) -> pd.DataFrame:
        """One row per unit active in ``period`` and one for the province (``PROVINCE``): counts, rates and
        ``has_data``. A unit without data has unknown (NA) counts and rates; the province sums the units
        with data (and has none itself when no unit has any)."""
        by_field = self.unit_fields(period)
        units = sum_counts(by_field, ["department"])
        active = pd.DataFrame({"department": self.registry.codes(period)})
        units = active.merge(units, on="department", how="left")
        units["has_data"] = units["department"].map(lambda code: self.has_data(period, code))
        with_data = units[units["has_data"]]
        province = sum_counts(with_data.assign(scope=PROVINCE), ["scope"]).rename(columns={"scope": "department"})
        if province.empty:
            province = pd.DataFrame({"department": [PROVINCE]})
        province["has_data"] = not with_data.empty
        frame = pd.concat([units, province], ignore_index=True)
        frame[list(COUNTS)] = frame[list(COUNTS)].astype("Int64")
        frame.insert(0, "period", period.code)
        names = {d.code: d.name for d in self.registry} | {PROVINCE: PROVINCE_LABEL}
        groups = {d.code: d.group for d in self.registry} | {PROVINCE: PROVINCE}
        frame.insert(2, "name", frame["department"].map(names))
        frame.insert(3, "group", frame["department"].map(groups))
        return add_rates(frame)


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
    period (``_prev``) and the same period a year earlier (``_year``), and ranks within the unit's group."""
    keys = ["department"]
    current = data.units(period)
    current = add_changes(current, data.units(period.previous()), "prev", keys)
    current = add_changes(current, data.units(period.year_ago()), "year", keys)
    return add_ranks(current)


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


def trend(data: DossierData, period: Period, department: str, count: int = 8) -> pd.DataFrame:
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
