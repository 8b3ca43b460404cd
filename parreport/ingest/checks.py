"""Checks across the cells of a row and across rows, after each cell has been read."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from parreport.errors import InputError
from parreport.ingest.schema import COUNT_MEASURES, TOTAL_FIELD, TableSchema, header_key
from parreport.catalogue import GROUPS, INDICATORS

FIRST_YEAR, LAST_YEAR = 1900, 2100
_TOTAL_KEYS = {header_key(TOTAL_FIELD), header_key("Tổng cộng"), header_key("Tổng số")}


def check(path: Path, schema: TableSchema, frame: pd.DataFrame, headers: dict[str, str]) -> list[str]:
    """Raise :class:`InputError` for impossible rows; return non-fatal findings (Biểu 06 totals)."""
    def fail_where(mask: pd.Series, column: str, problem: str, expected: str, found: pd.Series) -> None:
        if mask.any():
            first = mask[mask].index[0]
            more = int(mask.sum()) - 1
            raise InputError(path, problem + (f" (and {more} more rows)" if more else ""),
                             row=int(frame.at[first, "source_row"]), column=headers.get(column, column),
                             expected=expected, found=str(found[first]))

    if schema.kind == "dossiers":
        received = frame["received_at"].dt.normalize()
        fail_where(frame["completed_at"].dt.normalize() < received, "completed_at",
                   "completed before it was received", "a completion date on or after the reception date",
                   frame["completed_at"])
        fail_where(frame["due_at"].dt.normalize() < received, "due_at", "due before it was received",
                   "a due date on or after the reception date", frame["due_at"])
    if "year" in frame:
        fail_where((frame["year"] < FIRST_YEAR) | (frame["year"] > LAST_YEAR), "year", "not a year",
                   f"a year from {FIRST_YEAR} to {LAST_YEAR}", frame["year"])
    if schema.kind == "par_index":
        fail_where(frame["max_score"] <= 0, "max_score", "maximum score must be positive", "a number > 0",
                   frame["max_score"])
        fail_where(frame["score"] > frame["max_score"], "score", "score above the maximum",
                   "a score ≤ max_score", frame["score"])
    elif schema.kind == "sipas":
        fail_where((frame["satisfaction_pct"] < 0) | (frame["satisfaction_pct"] > 100), "satisfaction_pct",
                   "satisfaction outside 0–100", "a percentage from 0 to 100", frame["satisfaction_pct"])
    elif schema.kind == "scores_766":
        named = frame["indicator"].notna()
        own_group = frame["indicator"].map(lambda name: INDICATORS[name].group if pd.notna(name) else pd.NA)
        fail_where(named & (own_group != frame["group"]).fillna(True), "indicator",
                   "indicator of another 766 group", "an indicator of the row's group", frame["indicator"])
        fail_where(frame["max_score"] <= 0, "max_score", "maximum score must be positive", "a number > 0",
                   frame["max_score"])
        fail_where((frame["score"] < 0) | (frame["score"] > frame["max_score"]), "score",
                   "score outside 0 to the maximum", "a score from 0 to max_score", frame["score"])
    duplicated = frame.duplicated(list(schema.key), keep="first")
    if duplicated.any():
        later = duplicated[duplicated].index[0]
        same = (frame[list(schema.key)] == frame.loc[later, list(schema.key)]).all(axis=1)
        first = same[same].index[0]
        raise InputError(path, f"the same {', '.join(schema.key)} appears twice, in rows "
                         f"{frame.at[first, 'source_row']} and {frame.at[later, 'source_row']}",
                         row=int(frame.at[later, "source_row"]), column=headers.get(schema.key[-1]),
                         expected="one row each", found=" / ".join(str(frame.at[later, k]) for k in schema.key))
    return _total_discrepancies(path, frame) if schema.kind == "counts" else []


def with_766_maxima(frame: pd.DataFrame) -> pd.DataFrame:
    """Official 766 scores with ``max_score`` filled from the catalogue where the export does not state it."""
    maxima = [INDICATORS[name].max_score if pd.notna(name) else GROUPS[key].max_score
              for name, key in zip(frame["indicator"], frame["group"])]
    return frame.assign(max_score=frame["max_score"].fillna(pd.Series(maxima, index=frame.index, dtype="Float64")))


def is_total(fields: pd.Series) -> pd.Series:
    """Rows of Biểu 06 that state a total (field ``Tổng``)."""
    return fields.map(header_key).isin(_TOTAL_KEYS)


def without_totals(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[~is_total(frame["field"])]


def _total_discrepancies(path: Path, frame: pd.DataFrame) -> list[str]:
    totals = is_total(frame["field"])
    measures = [m for m in (*COUNT_MEASURES, "late_with_apology") if frame[m].notna().any()]
    sums = frame[~totals].groupby(["department", "period"])[measures].sum()
    found = []
    for _, stated in frame[totals].iterrows():
        key = (stated["department"], stated["period"])
        for measure in measures:
            parts = sums.at[key, measure] if key in sums.index else 0
            if pd.notna(stated[measure]) and stated[measure] != parts:
                found.append(f"{path.name}, row {stated['source_row']}: {key[0]} {key[1]} {measure}: "
                             f"stated total {stated[measure]}, sum of fields {parts}")
    return found
