"""Sums, rates, changes and ranks over frames of counts, for every indicator of the catalogue
(:mod:`parreport.catalogue`) a per-dossier export can compute."""
from __future__ import annotations

import pandas as pd

from parreport.catalogue import COMPUTED
from parreport.metrics.definitions import COUNTS

RATE_NAMES = list(COMPUTED)


def sum_counts(frame: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Sum the counts of ``frame`` by ``by``; a group with any unknown (NA) count stays unknown."""
    columns = list(COUNTS)
    totals = frame.groupby(by, sort=False)[columns].sum()
    unknown = frame[columns].isna().groupby([frame[key] for key in by], sort=False).any()
    return totals.mask(unknown).astype("Int64").reset_index()


def add_rates(frame: pd.DataFrame) -> pd.DataFrame:
    """Add every computable indicator (a ratio, NA where there is nothing to divide by) and, for the scored
    ones, their 766 points (``score_name``; NA with the ratio: no dossier, no score)."""
    out = frame.copy()
    for indicator in COMPUTED.values():
        numerator = indicator.numerator(out).astype("Float64")
        denominator = indicator.denominator(out).astype("Float64")
        out[indicator.name] = (numerator / denominator).mask(denominator == 0)
        if indicator.scored:
            out[indicator.score_name] = indicator.score(out[indicator.name])
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
    that rate, best first (highest, or lowest when lower is better), ties sharing the better place
    (1, 2, 2, 4)."""
    out = frame.copy()
    for indicator in COMPUTED.values():
        out = rank_column(out, indicator.name, group_column, indicator.higher_is_better)
    return out


def rank_column(frame: pd.DataFrame, column: str, group_column: str = "group",
                higher_is_better: bool = True) -> pd.DataFrame:
    """Add ``<column>_rank`` and ``<column>_rank_of`` (see :func:`add_ranks`) for one column."""
    out = frame.copy()
    values = out[column].astype("Float64")
    grouped = values.groupby(out[group_column])
    out[f"{column}_rank"] = grouped.rank(method="min", ascending=not higher_is_better).astype("Int64")
    out[f"{column}_rank_of"] = grouped.transform("count").astype("Int64").mask(values.isna())
    return out
