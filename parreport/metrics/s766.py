"""The 766 index of a period: official scores beside the scores computed from dossiers, and where they differ.

Official scores (the store's ``scores_766`` table, docs/data.md §2.5) come per unit × group, and per indicator
where the dashboard's export has them. :func:`scorecard_766` joins them onto the dossier scorecard: for
each group ``official_<group>``, the ``official_total`` out of 100 (known only when all six groups are),
its rank, and for each scored indicator of the catalogue ``official_<score_name>`` — the indicator's own
official score, or its group's when it is the group's only scored indicator (tiến độ). The province row
holds the average of its units. :func:`cross_check` compares computed with official points.
"""
from __future__ import annotations

import pandas as pd

from parreport.catalogue import GROUPS, SCORED, Indicator
from parreport.metrics.definitions import DEFAULT_TOLERANCE, PROVINCE, check_tolerance
from parreport.metrics.par_index import score_series
from parreport.metrics.rates import rank_column
from parreport.periods import Period
from parreport.registry import Registry

_EPSILON = 1e-9  # absorbs the binary error of differences of two-decimal numbers (0,05 stays within 0,05)
HISTORY_QUARTERS = 8
# Why computed and official points may differ, by the side the computed figure lies on.
CAUSE_COMPUTED_LOWER = ("dữ liệu xuất thiếu hồ sơ mà Cổng DVCQG tính (hồ sơ tiếp nhận, xử lý trên hệ thống khác "
                        "hoặc hồ sơ liên thông), hoặc Cổng DVCQG không tính thời gian tạm dừng, bổ sung hồ sơ")
CAUSE_COMPUTED_HIGHER = ("Cổng DVCQG tính những hồ sơ mà dữ liệu xuất không có hoặc ghi nhận khác (hồ sơ đồng bộ "
                         "trạng thái chậm, hồ sơ bị phản ánh trên Cổng)")


def official_column(indicator: Indicator) -> str:
    """The scorecard column of an indicator's official points."""
    return f"official_{indicator.score_name}"


def official_scores(scores: pd.DataFrame, period: Period | str) -> pd.DataFrame:
    """One row per unit having official scores in ``period``: ``official_<group>``, ``official_total``
    (NA unless every group is known) and ``official_<score_name>`` per scored indicator."""
    code = Period.parse(period).code if isinstance(period, str) else period.code
    rows = scores[scores["period"] == code]
    groups = rows[rows["indicator"].isna()].pivot(index="department", columns="group", values="score")
    groups = groups.reindex(columns=list(GROUPS)).astype("Float64").add_prefix("official_")
    indicators = rows[rows["indicator"].notna()].pivot(index="department", columns="indicator", values="score")
    out = groups.reindex(groups.index.union(indicators.index))
    out["official_total"] = out[[f"official_{key}" for key in GROUPS]].sum(axis=1, min_count=len(GROUPS))
    out["official_total"] = out["official_total"].mask(out[[f"official_{key}" for key in GROUPS]].isna().any(axis=1))
    for indicator in SCORED.values():
        own = indicators[indicator.name] if indicator.name in indicators else pd.Series(dtype="Float64")
        value = own.reindex(out.index).astype("Float64")
        if indicator.whole_group:
            value = value.fillna(out[f"official_{indicator.group}"])
        out[official_column(indicator)] = value
    out.index.name = "department"
    return out.reset_index()


def scorecard_766(card: pd.DataFrame, scores: pd.DataFrame, period: Period | str) -> pd.DataFrame:
    """The dossier scorecard (:func:`parreport.metrics.scorecard`) with the official scores of ``period``,
    the rank of each unit's official total within its group, and the province row's official figures
    the average of its units'."""
    official = official_scores(scores, period)
    units = card[card["department"] != PROVINCE].merge(official, on="department", how="left")
    official_columns = [column for column in official.columns if column != "department"]
    province = card[card["department"] == PROVINCE].copy()
    for column in official_columns:
        province[column] = units[column].astype("Float64").mean() if units[column].notna().any() else pd.NA
    frame = pd.concat([units, province], ignore_index=True)
    frame[official_columns] = frame[official_columns].astype("Float64")
    return rank_column(frame, "official_total")


def official_averages(frame: pd.DataFrame, group: str | None = None) -> dict[str, float | None]:
    """The average of each official column (``official_<group>``, ``official_total``,
    ``official_<score_name>``; not the ranks) over the units of a :func:`scorecard_766` frame having it, or
    over those of ``group`` only (the frame's ``group`` column, the registry's): what the province row holds
    for all units, for one group. ``None`` where no such unit has the figure."""
    units = frame[frame["department"] != PROVINCE]
    if group is not None:
        units = units[units["group"] == group]
    columns = [column for column in frame.columns
               if column.startswith("official_") and not column.startswith("official_total_rank")]
    return {column: float(units[column].astype("Float64").mean()) if units[column].notna().any() else None
            for column in columns}


def group_average_totals(scores: pd.DataFrame, period: Period | str, groups: dict[str, str]) -> dict[str, float]:
    """The average official total of ``period`` (a quarter) of each group's units (``groups``: department →
    group; units it does not list are left out), for the groups having one, in the order of ``groups``."""
    totals = official_scores(scores, period).set_index("department")["official_total"].dropna()
    totals = totals[totals.index.isin(list(groups))]
    if totals.empty:
        return {}
    means = totals.astype("float64").groupby(totals.index.map(groups)).mean()
    return {group: float(means[group]) for group in dict.fromkeys(groups.values()) if group in means.index}


def scored_periods(period: Period) -> list[str]:
    """The codes whose official scores cover ``period``: its own and those of the quarters inside it (the
    dashboard publishes by quarter; a month lies inside none)."""
    quarters = [Period(period.year, "Q", index, period.convention) for index in range(1, 5)]
    inside = [quarter.code for quarter in quarters if period.kind != "Q" and period.contains(quarter)]
    return [period.code, *inside]


def units_scored(scores: pd.DataFrame, period: Period) -> set[str]:
    """The units (and nothing else) with an official score for ``period`` or a quarter inside it."""
    return set(scores.loc[scores["period"].isin(scored_periods(period)), "department"])


def latest_scored_quarter(scores: pd.DataFrame, period: Period) -> Period | None:
    """The last quarter inside ``period`` (or ``period`` itself, a quarter) with an official score."""
    known = set(scores["period"])
    quarters = [Period.parse(code, period.convention) for code in scored_periods(period) if code in known]
    quarters = [quarter for quarter in quarters if quarter.kind == "Q"]
    return max(quarters) if quarters else None


def has_official(frame: pd.DataFrame) -> bool:
    """Whether any unit of a :func:`scorecard_766` frame has an official score."""
    columns = [f"official_{key}" for key in GROUPS] + [official_column(i) for i in SCORED.values()]
    return bool(frame.loc[frame["department"] != PROVINCE, columns].notna().any().any())


def compare(computed: float, official: float, tolerance: float = DEFAULT_TOLERANCE) -> tuple[float, bool]:
    """The difference official − computed, both at two decimals as the dashboard states them, and whether
    it lies beyond ``tolerance`` (0,05 point: 0,04 is not flagged, 0,06 is; 0,05 itself is not)."""
    difference = round(round(official, 2) - round(computed, 2), 2)
    return difference, abs(difference) > tolerance + _EPSILON


def cause(indicator: Indicator, difference: float) -> str:
    """The likely reason computed points are below (``difference`` > 0) or above the official ones."""
    reason = CAUSE_COMPUTED_LOWER if difference > 0 else CAUSE_COMPUTED_HIGHER
    return reason + (f"; lưu ý: {indicator.caveat}" if indicator.caveat else "")


def cross_check(frame: pd.DataFrame, tolerance: float = DEFAULT_TOLERANCE) -> pd.DataFrame:
    """One row per unit × scored indicator with both a computed and an official score: ``period``,
    ``department``, ``name``, ``indicator``, ``label``, ``ratio``, ``computed``, ``official``,
    ``max_score``, ``difference`` (official − computed), ``flagged`` and ``cause`` (empty unless flagged)."""
    check_tolerance(tolerance)
    rows = []
    units = frame[frame["department"] != PROVINCE]
    for indicator in SCORED.values():
        both = units[units[indicator.score_name].notna() & units[official_column(indicator)].notna()]
        for row in both.itertuples(index=False):
            computed = float(getattr(row, indicator.score_name))
            official = float(getattr(row, official_column(indicator)))
            difference, flagged = compare(computed, official, tolerance)
            rows.append({"period": row.period, "department": row.department, "name": row.name,
                         "indicator": indicator.name, "label": indicator.label,
                         "ratio": float(getattr(row, indicator.name)), "computed": computed, "official": official,
                         "max_score": indicator.max_score, "difference": difference, "flagged": flagged,
                         "cause": cause(indicator, difference) if flagged else ""})
    columns = ["period", "department", "name", "indicator", "label", "ratio", "computed", "official",
               "max_score", "difference", "flagged", "cause"]
    return pd.DataFrame(rows, columns=columns)


BEFORE = "before_"  # official_history's columns of a predecessor series: before_<code>, rank_before_<code>, …


def official_history(scores: pd.DataFrame, period: Period, department: str,
                     count: int = HISTORY_QUARTERS, registry: Registry | None = None) -> pd.DataFrame:
    """Official totals over the ``count`` quarters ending with ``period``'s last quarter: columns ``period``,
    ``period_label``, ``unit`` (the unit's total), ``unit_department`` (whose total it is), ``unit_rank``,
    ``unit_rank_of``, ``province`` (the average of the units' totals). A unit's total is known only when all
    six group scores are (as in :func:`official_scores`).

    With a ``registry``, each quarter counts only the units reported for it (:meth:`Registry.codes`): the
    average is theirs and a rank is among those of the same group (ties share the better place). When the
    registry knows ``department``, the ``province`` column is the average of the units of its group only
    (a xã is compared with the xã, phường, a sở with the sở, ban, ngành); for the province itself
    (:data:`PROVINCE`) it stays that of every unit.
    The unit's series follows its renames (:func:`~parreport.metrics.par_index.own_series`: the total under
    a former name is the same series), and each line of units merged into it adds its own series as columns
    ``before_<code>`` (the total), ``before_<code>_department``, ``rank_before_<code>`` and
    ``rank_of_before_<code>``, ``<code>`` being the newest unit of that line (:func:`before_columns`). The
    series are set side by side, never summed nor averaged. Without a registry there are no ranks."""
    last = Period(period.year, "Q", (period.last_month - 1) // 3 + 1, period.convention)
    quarters = last.history(count)
    rows = scores[scores["period"].isin([quarter.code for quarter in quarters]) & scores["indicator"].isna()]
    groups = rows.pivot(index=["period", "department"], columns="group", values="score")
    groups = groups.reindex(columns=list(GROUPS)).astype("Float64")
    totals = groups.sum(axis=1).where(groups.notna().all(axis=1)).dropna()  # one query for every quarter
    if registry is not None:
        reported = {(quarter.code, code) for quarter in quarters for code in registry.codes(quarter)}
        totals = totals[[key in reported for key in totals.index]]
    totals = totals.astype("float64")
    history = pd.DataFrame({"period": [quarter.code for quarter in quarters],
                            "period_label": [quarter.short_label for quarter in quarters]})
    known = registry is not None and department in registry
    averaged = totals
    if known:  # the average of the unit's own group (reported units: all in the registry)
        group = registry.get(department).group
        averaged = totals[[code in registry and registry.get(code).group == group
                           for _, code in totals.index]]
    history["province"] = history["period"].map(averaged.groupby(level="period").mean()).astype("Float64")
    lines = score_series(registry, department) if known else [(department,)]
    for number, codes in enumerate(lines):
        column = "unit" if number == 0 else f"{BEFORE}{codes[0]}"
        ranks = ("unit_rank", "unit_rank_of") if number == 0 else (f"rank_{column}", f"rank_of_{column}")
        found = [_series_total(totals, quarter.code, codes) for quarter in quarters]
        if number and all(code is None for code, _ in found):
            continue  # a predecessor with no total in these quarters
        history[column] = pd.array([value for _, value in found], dtype="Float64")
        history[f"{column}_department"] = pd.array([code for code, _ in found], dtype="object")
        places = [_rank(totals, quarter.code, code, value, registry) if known and code is not None else (None, None)
                  for quarter, (code, value) in zip(quarters, found)]
        history[ranks[0]] = pd.array([place for place, _ in places], dtype="Int64")
        history[ranks[1]] = pd.array([of for _, of in places], dtype="Int64")
    columns = ["period", "period_label", "unit", "unit_department", "unit_rank", "unit_rank_of", "province"]
    return history[columns + [column for column in history.columns if column not in columns]]


def before_columns(history: pd.DataFrame) -> list[str]:
    """The predecessor series of an :func:`official_history` (``before_<code>``), in registry order."""
    return [column for column in history.columns
            if column.startswith(BEFORE) and not column.endswith("_department")]


def _series_total(totals: pd.Series, quarter: str, codes: tuple[str, ...]) -> tuple[str | None, float | None]:
    """The first unit of ``codes`` (newest first) with a total in ``quarter``, and that total."""
    for code in codes:
        if (quarter, code) in totals.index:
            return code, float(totals[(quarter, code)])
    return None, None


def _rank(totals: pd.Series, quarter: str, code: str, value: float, registry: Registry) -> tuple[int, int]:
    """The place of ``code``'s total ``value`` among the totals of ``quarter`` of the units of its group
    (highest first, ties sharing the better place), and how many there are."""
    group = registry.get(code).group
    same = [float(total) for (period, unit), total in totals.items()
            if period == quarter and unit in registry and registry.get(unit).group == group]
    place = 1 + sum(round(total, 9) > round(value, 9) for total in same)
    return place, len(same)


MOVEMENT_COLUMNS = ["department", "group", "total", "rank", "rank_of", "total_before", "rank_before",
                    "rank_of_before", "change", "snapshot", "snapshot_before"]


def snapshot_movement(snapshots: pd.DataFrame, period: Period, groups: dict[str, str]) -> pd.DataFrame:
    """How each unit's official total for ``period`` moved between the dashboard's last two snapshots of it
    (:meth:`parreport.store.Store.snapshots`): one row per unit with a total in both, columns
    :data:`MOVEMENT_COLUMNS` (``rank`` within the unit's group of ``groups``, department → group; ties share
    a rank). The dashboard at a date is each score's latest version taken by then. No row when the period
    has fewer than two snapshots."""
    rows = snapshots[(snapshots["period"] == period.code) & snapshots["indicator"].isna()]
    dates = sorted(rows["snapshot"].dropna().unique())
    if len(dates) < 2:
        return pd.DataFrame(columns=MOVEMENT_COLUMNS)
    now, before = (_dashboard_at(rows, date, groups) for date in (dates[-1], dates[-2]))
    moved = now.merge(before, on=["department", "group"], suffixes=("", "_before"))
    moved["change"] = (moved["total"] - moved["total_before"]).round(2)
    moved["snapshot"], moved["snapshot_before"] = pd.Timestamp(dates[-1]), pd.Timestamp(dates[-2])
    return moved[MOVEMENT_COLUMNS].sort_values("department", ignore_index=True)


def _dashboard_at(rows: pd.DataFrame, date, groups: dict[str, str]) -> pd.DataFrame:
    """Each unit's official total and its rank within its group, as the dashboard showed them at ``date``."""
    shown = rows[rows["snapshot"] <= date].sort_values("snapshot", kind="stable")
    shown = shown.drop_duplicates(["department", "group"], keep="last")
    by_group = shown.pivot(index="department", columns="group", values="score").reindex(columns=list(GROUPS))
    totals = by_group.astype("Float64").sum(axis=1).where(by_group.notna().all(axis=1)).dropna().round(2)
    frame = pd.DataFrame({"department": totals.index, "total": totals.to_numpy(dtype="float64")})
    frame["group"] = frame["department"].map(groups)
    ranked = rank_column(frame, "total")
    return ranked.rename(columns={"total_rank": "rank", "total_rank_of": "rank_of"})
