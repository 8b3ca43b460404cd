"""Sums, rates, changes and ranks over frames of counts (see :mod:`parreport.metrics.definitions`)."""
from __future__ import annotations

import pandas as pd

from parreport.metrics.definitions import COUNTS, RATES, SCORES

RATE_NAMES = list(RATES)


def sum_counts(frame: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Sum the counts of ``frame`` by ``by``; a group with any unknown (NA) count stays unknown."""
    columns = list(COUNTS)
    totals = frame.groupby(by, sort=False)[columns].sum()
    unknown = frame[columns].isna().groupby([frame[key] for key in by], sort=False).any()
    return totals.mask(unknown).astype("Int64").reset_index()


def add_rates(frame: pd.DataFrame) -> pd.DataFrame:
    """Add every rate of docs/data.md §3 (a ratio, NA where there is nothing to divide by) and the 766 scores."""
    out = frame.copy()
    for rate in RATES.values():
        numerator = rate.numerator(out).astype("Float64")
        denominator = rate.denominator(out).astype("Float64")
        out[rate.name] = (numerator / denominator).mask(denominator == 0)
    for score, (rate_name, formula, _maximum) in SCORES.items():
        out[score] = formula(out[rate_name])
    return out


def add_changes(current: pd.DataFrame, earlier: pd.DataFrame, suffix: str, on: list[str]) -> pd.DataFrame:
    """Add ``<rate>_<suffix>`` = rate now − rate then (a ratio difference; ×100 gives percentage points)
    and ``<count>_<suffix>`` for the received, new, resolved and overdue counts; ``<measure>_then_<suffix>``
    keeps the earlier value (NA where the earlier period has no figure)."""
    measures = [*RATE_NAMES, "received", "new", "resolved", "overdue"]
    then = earlier.set_index(on)[measures]
    now = current.set_index(on)
    aligned = then.reindex(now.index)
    out = now.copy()
    for measure in measures:
        out[f"{measure}_{suffix}"] = now[measure] - aligned[measure]
        out[f"{measure}_then_{suffix}"] = aligned[measure]
    return out.reset_index()


def add_ranks(frame: pd.DataFrame, group_column: str = "group") -> pd.DataFrame:
    """Add ``<rate>_rank`` and ``<rate>_rank_of``: position among the units of the same group having
    that rate, highest rate first, ties sharing the better place (1, 2, 2, 4)."""
    out = frame.copy()
    for rate in RATE_NAMES:
        values = out[rate].astype("Float64")
        grouped = values.groupby(out[group_column])
        out[f"{rate}_rank"] = grouped.rank(method="min", ascending=False).astype("Int64")
        out[f"{rate}_rank_of"] = grouped.transform("count").astype("Int64").mask(values.isna())
    return out
