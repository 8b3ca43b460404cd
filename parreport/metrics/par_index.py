"""PAR Index ("Chỉ số cải cách hành chính") and SIPAS metrics (docs/data.md §2.3–2.4).

Pure functions over the store's ``par_index`` rows (year, department, area, score, max_score) and ``sipas``
rows (year, department, satisfaction_pct, factor), with the registry for each unit's group:

* a unit's total is the sum of its areas, its percentage the total over the sum of the areas' maxima;
* units are ranked by percentage among the units of the same group scored that year (ties share the
  better place: 1, 2, 2, 4), and the province average is the mean percentage of that same set; ranking by
  percentage equals ranking by points when every unit has the same maximum, and stays fair when not;
* a change needs the unit's previous year: without it the change is missing (``NA``), never 0;
* across renames and mergers (docs/data.md §2.5, "Scores across mergers and renames"; :func:`score_series`)
  scores are never summed: a renamed unit keeps one series (its change is against the score under its
  former name, ``then_department``), a merged unit has no change against the year before its merger, and
  the predecessors' own scores of that year are shown beside it (:meth:`ParData.before`,
  :meth:`ParData.sipas_before`).

Percentages are ratios (0.8357 = 83,57 %), like every rate of :mod:`parreport.metrics`.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import pandas as pd

from parreport.registry import Registry
from parreport.store import Store

TOP = 5  # "n năm liền trong tốp 5"
WEAKEST = 2  # how many weakest areas a briefing names
_DIGITS = 9  # sums of two-decimal scores are compared after rounding away float noise

TOTAL_COLUMNS = ["year", "department", "group", "score", "max_score", "pct", "rank", "rank_of",
                 "average_pct", "then_department", "score_then", "pct_then", "score_change", "pct_change",
                 "top_streak"]
AREA_COLUMNS = ["year", "department", "group", "order", "area", "score", "max_score", "pct", "average_pct", "gap"]
SIPAS_COLUMNS = ["year", "department", "group", "pct", "rank", "rank_of", "average_pct", "then_department",
                 "pct_then", "pct_change"]


# --- scores across renames and mergers (docs/data.md §2.5, "Scores across mergers and renames") -------------
def renamed_from(registry: Registry, code: str) -> str | None:
    """The unit ``code`` is a rename of, or None. A rename is a unit's **only** predecessor (its only unit whose
    ``successor`` is ``code``) when ``code`` did not exist before that predecessor ended: ``code`` has a
    ``valid_from`` and the predecessor's ``valid_to`` (if any) lies before it. A unit that existed already and
    takes in another one (Sở Tài chính taking in Sở KH&ĐT, keeping its code) or that two units make up is a
    merger."""
    unit = registry.get(code)
    direct = [dept for dept in registry if dept.successor == code]
    if len(direct) != 1 or unit.valid_from is None:
        return None
    before = direct[0]
    if before.valid_to is not None and before.valid_to >= unit.valid_from:
        return None
    return before.code


def own_series(registry: Registry, code: str) -> tuple[str, ...]:
    """The units whose scores make up one series with ``code``: itself, then the unit it is a rename of, and
    so on back (newest first). A unit the registry does not know is a series of its own."""
    if code not in registry:
        return (code,)
    chain = [code]
    while (before := renamed_from(registry, chain[-1])) is not None and before not in chain:
        chain.append(before)
    return tuple(chain)


def score_series(registry: Registry, code: str) -> list[tuple[str, ...]]:
    """The score series that lead to ``code``: first its own (:func:`own_series`), then one per predecessor
    line that merged into it (each that line's own series, newest unit first), in registry order. Scores of
    different series are never summed nor averaged: they are shown side by side."""
    own = own_series(registry, code)
    found = [own]
    if code not in registry:
        return found
    for member in own:
        for dept in registry:
            if dept.successor == member and dept.code not in own:
                found += score_series(registry, dept.code)
    return found


def series_value(frame: pd.DataFrame, codes: tuple[str, ...], year: int) -> pd.Series | None:
    """The row of ``frame`` (year, department, …) of the first of ``codes`` having one in ``year``."""
    for code in codes:
        row = _row(frame, code, year)
        if row is not None:
            return row
    return None


def _groups(frame: pd.DataFrame, registry: Registry) -> pd.Series:
    return frame["department"].map(lambda code: registry.get(code).group)


def _rank_within(frame: pd.DataFrame, value: str) -> pd.DataFrame:
    """Add ``rank``, ``rank_of`` and ``average_pct`` of ``value`` among the units of the same year and
    group having a value (highest first, ties sharing the better place)."""
    out = frame.copy()
    values = out[value].astype("Float64").round(_DIGITS)
    grouped = values.groupby([out["year"], out["group"]])
    out["rank"] = grouped.rank(method="min", ascending=False).astype("Int64")
    out["rank_of"] = grouped.transform("count").astype("Int64").mask(values.isna())
    out["average_pct"] = grouped.transform("mean")
    return out


def _with_previous(frame: pd.DataFrame, measures: list[str], registry: Registry) -> pd.DataFrame:
    """Add ``then_department`` (whose row of the year before is compared: the unit, else the unit it is a
    rename of — :func:`own_series`; NA when neither was scored then, e.g. the year before a merger),
    ``<m>_then`` (that row's value) and ``<m>_change`` (now − then; NA without it)."""
    scored = set(zip(frame["year"], frame["department"]))
    then = [next((code for code in own_series(registry, department) if (year - 1, code) in scored), None)
            for year, department in zip(frame["year"], frame["department"])]
    out = frame.assign(then_department=pd.array(then, dtype="object"))
    earlier = frame[["year", "department", *measures]].assign(year=frame["year"] + 1)
    earlier = earlier.rename(columns={"department": "then_department"})
    out = out.merge(earlier, on=["year", "then_department"], how="left", suffixes=("", "_then"))
    for measure in measures:
        out[f"{measure}_change"] = out[measure] - out[f"{measure}_then"]
    return out


def totals(scores: pd.DataFrame, registry: Registry, top: int = TOP) -> pd.DataFrame:
    """One row per year × unit (columns :data:`TOTAL_COLUMNS`): total score and maximum, percentage, rank
    N/M within the unit's group that year, the group's average percentage, change against the unit's previous
    year in points (``score_change``) and as a ratio difference (``pct_change``; ×100 = percentage points),
    and ``top_streak``: how many consecutive years ending with this one the unit ranked ``top`` or better.
    A unit-year with an area whose score is missing has no total (and no rank)."""
    if scores.empty:
        return pd.DataFrame(columns=TOTAL_COLUMNS)
    keys = ["year", "department"]
    sums = scores.groupby(keys, sort=True)[["score", "max_score"]].sum()
    unknown = scores[["score", "max_score"]].isna().groupby([scores[k] for k in keys], sort=True).any()
    frame = sums.mask(unknown).astype("Float64").round(_DIGITS).reset_index()
    frame["year"] = frame["year"].astype("int64")
    frame["group"] = _groups(frame, registry)
    frame["pct"] = (frame["score"] / frame["max_score"]).mask(frame["max_score"] == 0)
    frame = _with_previous(_rank_within(frame, "pct"), ["score", "pct"], registry)
    frame["top_streak"] = _streaks(frame, top)
    return frame[TOTAL_COLUMNS].sort_values(keys, ignore_index=True)


def _streaks(frame: pd.DataFrame, top: int) -> pd.Series:
    """Consecutive years, ending with each row's year, in which the unit's rank was ``top`` or better
    (0 when it was not this year; a year without a score breaks the run). The year before is the row of
    ``then_department`` (the unit's former name across a rename); a merger starts a new run."""
    streak = pd.Series(0, index=frame.index, dtype="int64")
    runs: dict[tuple[int, str], int] = {}
    for index, row in frame.sort_values("year").iterrows():
        in_top = pd.notna(row["rank"]) and row["rank"] <= top
        before = runs.get((row["year"] - 1, row["then_department"]), 0) if pd.notna(row["then_department"]) else 0
        streak[index] = runs[row["year"], row["department"]] = before + 1 if in_top else 0
    return streak


def areas(scores: pd.DataFrame, registry: Registry) -> pd.DataFrame:
    """One row per year × unit × area (columns :data:`AREA_COLUMNS`): score, maximum, percentage, the
    average percentage of that area among the units of the same group scored that year, and ``gap`` = the
    unit's percentage − that average. ``order`` keeps the areas in the order the data lists them."""
    if scores.empty:
        return pd.DataFrame(columns=AREA_COLUMNS)
    if "source_row" in scores:  # rows read back from a store: restore the file's order
        scores = scores.sort_values(["source_row"], kind="stable")
    frame = scores[["year", "department", "area", "score", "max_score"]].copy()
    frame["year"] = frame["year"].astype("int64")
    frame["group"] = _groups(frame, registry)
    frame["order"] = frame["area"].map({area: n for n, area in enumerate(frame["area"].unique())})
    frame["pct"] = (frame["score"].astype("Float64") / frame["max_score"].astype("Float64")).mask(frame["max_score"] == 0)
    frame["average_pct"] = frame.groupby(["year", "group", "area"])["pct"].transform("mean")
    frame["gap"] = frame["pct"] - frame["average_pct"]
    return frame[AREA_COLUMNS].sort_values(["year", "department", "order"], ignore_index=True)


def weakest(unit_areas: pd.DataFrame, count: int = WEAKEST) -> pd.DataFrame:
    """The ``count`` areas with the lowest percentage (ties: in the data's order)."""
    return unit_areas.dropna(subset=["pct"]).sort_values(["pct", "order"], kind="stable").head(count)


def sipas(rows: pd.DataFrame, registry: Registry) -> pd.DataFrame:
    """One row per year × unit (columns :data:`SIPAS_COLUMNS`): the satisfaction index as a ratio (the data's
    overall row — no factor —, or the mean of its factors when only factors are given), rank and average
    within the unit's group that year, and the change against the unit's previous year."""
    if rows.empty:
        return pd.DataFrame(columns=SIPAS_COLUMNS)
    factor = rows["factor"] if "factor" in rows else pd.Series(pd.NA, index=rows.index)
    overall = factor.isna() | (factor.astype("string").str.strip() == "")
    has_overall = overall.groupby([rows["year"], rows["department"]]).transform("any")
    chosen = rows[overall | ~has_overall]
    frame = (chosen.groupby(["year", "department"], sort=True)["satisfaction_pct"].mean() / 100).rename("pct")
    frame = frame.astype("Float64").reset_index()
    frame["year"] = frame["year"].astype("int64")
    frame["group"] = _groups(frame, registry)
    frame = _with_previous(_rank_within(frame, "pct"), ["pct"], registry)
    return frame[SIPAS_COLUMNS]


@dataclass
class ParData:
    """The PAR Index and SIPAS rows of a province, with the frames above computed once."""

    scores: pd.DataFrame
    sipas_rows: pd.DataFrame
    registry: Registry

    @classmethod
    def from_store(cls, store: Store, registry: Registry) -> "ParData":
        return cls(store.table("par_index"), store.table("sipas"), registry)

    @cached_property
    def totals(self) -> pd.DataFrame:
        return totals(self.scores, self.registry)

    @cached_property
    def areas(self) -> pd.DataFrame:
        return areas(self.scores, self.registry)

    @cached_property
    def sipas(self) -> pd.DataFrame:
        return sipas(self.sipas_rows, self.registry)

    def years(self) -> list[int]:
        """The years with a PAR Index score, oldest first."""
        return sorted(int(year) for year in self.totals["year"].unique())

    def unit(self, department: str, year: int) -> pd.Series | None:
        """The unit's totals row for ``year``, or ``None`` when it was not scored."""
        return _row(self.totals, department, year)

    def unit_sipas(self, department: str, year: int) -> pd.Series | None:
        """The unit's SIPAS row for ``year``, or ``None``."""
        return _row(self.sipas, department, year)

    def unit_areas(self, department: str, year: int) -> pd.DataFrame:
        """The unit's areas in ``year``, in the data's order."""
        frame = self.areas
        return frame[(frame["department"] == department) & (frame["year"] == year)].reset_index(drop=True)

    def history(self, department: str, year: int) -> pd.DataFrame:
        """The unit's totals rows of every scored year up to ``year``, oldest first, with those under its former
        names (a rename keeps one series, :func:`own_series`); a merged unit's history starts with it."""
        frame, codes = self.totals, own_series(self.registry, department)
        rows = frame[frame["department"].isin(codes) & (frame["year"] <= year)]
        rows = rows.assign(_own=rows["department"].map({code: n for n, code in enumerate(codes)}))
        rows = rows.sort_values(["year", "_own"]).drop_duplicates("year")  # a year scored under two names: the newest
        return rows.drop(columns="_own").reset_index(drop=True)

    def before(self, department: str, year: int) -> pd.DataFrame:
        """The PAR Index totals of ``year`` − 1 of the units merged into ``department``: one row
        (:data:`TOTAL_COLUMNS`, ``name``, ``short_name``) per predecessor series of :func:`score_series` scored
        that year, in registry order. Shown side by side, never summed nor averaged."""
        return self._before(self.totals, department, year)

    def sipas_before(self, department: str, year: int) -> pd.DataFrame:
        """As :meth:`before`, for SIPAS (:data:`SIPAS_COLUMNS`)."""
        return self._before(self.sipas, department, year)

    def _before(self, frame: pd.DataFrame, department: str, year: int) -> pd.DataFrame:
        rows = [row for codes in score_series(self.registry, department)[1:]
                if (row := series_value(frame, codes, year - 1)) is not None]
        found = pd.DataFrame(rows, columns=frame.columns).reset_index(drop=True)
        units = [self.registry.get(code) for code in found["department"]]
        return found.assign(name=[unit.name for unit in units], short_name=[unit.short_name for unit in units])

    def year(self, year: int) -> pd.DataFrame:
        """Every unit's totals in ``year``: group by group (in registry order), best first within each."""
        groups = {group: n for n, group in enumerate(dict.fromkeys(unit.group for unit in self.registry))}
        frame = self.totals[self.totals["year"] == year].assign(_group=lambda f: f["group"].map(groups))
        frame = frame.sort_values(["_group", "rank", "department"], na_position="last", ignore_index=True)
        return frame.drop(columns="_group")


def _row(frame: pd.DataFrame, department: str, year: int) -> pd.Series | None:
    match = frame[(frame["department"] == department) & (frame["year"] == year)]
    return None if match.empty else match.iloc[0]
