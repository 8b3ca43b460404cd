"""Dossier counts per period × unit × field in one DuckDB query over the store's ``dossiers`` view.

The same figures as :func:`parreport.metrics.counts.from_records` (the pandas reference; a property test
asserts equality), for many periods at once and without loading any record into Python: dates are
compared by calendar day, and a group where some dossier leaves a needed flag empty has that count unknown
(NULL → ``<NA>``).
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import pandas as pd

from parreport.metrics.counts import KEYS, complete, from_bieu06
from parreport.metrics.definitions import COUNTS
from parreport.periods import Period

if TYPE_CHECKING:
    from parreport.store import Store

# count → (the dossiers it counts, the dossiers whose empty flag makes it unknown or None)
_CHANNEL_UNKNOWN = "is_new AND channel IS NULL"
_COUNT_SQL: dict[str, tuple[str, str | None]] = {
    "carried_over": ("NOT is_new", None),
    "new": ("is_new", None),
    "new_online": ("is_new AND channel = 'online'", _CHANNEL_UNKNOWN),
    "new_offline": ("is_new AND channel IN ('in_person', 'postal')", _CHANNEL_UNKNOWN),
    "new_in_person": ("is_new AND channel = 'in_person'", _CHANNEL_UNKNOWN),
    "new_postal": ("is_new AND channel = 'postal'", _CHANNEL_UNKNOWN),
    "resolved_early": ("resolved AND completed < due", None),
    "resolved_on_time": ("resolved AND completed = due", None),
    "resolved_late": ("late", None),
    "pending_in_time": ("NOT resolved AND due >= end_day", None),
    "pending_overdue": ("NOT resolved AND due < end_day", None),
    "overdue_apologized": ("overdue AND apology_issued", "overdue AND apology_issued IS NULL"),
    "digitized": ("is_new AND digitized", "is_new AND digitized IS NULL"),
    "fee_required": ("is_new AND fee_required", "is_new AND fee_required IS NULL"),
    "paid_online": ("is_new AND fee_required AND paid_online",
                    "is_new AND (fee_required IS NULL OR paid_online IS NULL)"),
    "unsatisfied": ("resolved AND NOT late AND unsatisfied", "resolved AND NOT late AND unsatisfied IS NULL"),
}


def _aggregate(name: str) -> str:
    counted, unknown = _COUNT_SQL[name]
    total = f"count_if({counted})"
    return f"{total} AS {name}" if unknown is None else \
        f"CASE WHEN bool_or({unknown}) THEN NULL ELSE {total} END AS {name}"


def _query(periods: list[Period]) -> str:
    values = ", ".join(f"({number}, DATE '{p.start}', DATE '{p.end}')" for number, p in enumerate(periods))
    aggregates = ",\n           ".join(_aggregate(name) for name in _COUNT_SQL)
    return f"""
    WITH periods(period_number, start_day, end_day) AS (VALUES {values}),
    records AS (
        SELECT department, field, channel, apology_issued, digitized, fee_required, paid_online, unsatisfied,
               CAST(received_at AS DATE) AS received, CAST(completed_at AS DATE) AS completed,
               CAST(due_at AS DATE) AS due
        FROM dossiers),
    in_scope AS (
        SELECT r.*, p.period_number, p.end_day, r.received >= p.start_day AS is_new,
               coalesce(r.completed <= p.end_day, false) AS resolved
        FROM records r JOIN periods p
          ON r.received <= p.end_day AND coalesce(r.completed, DATE '9999-12-31') >= p.start_day),
    flagged AS (
        SELECT *, resolved AND completed > due AS late,
               (resolved AND completed > due) OR (NOT resolved AND due < end_day) AS overdue
        FROM in_scope)
    SELECT period_number, department, field,
           {aggregates}
    FROM flagged
    GROUP BY period_number, department, field"""


def records_counts(con: duckdb.DuckDBPyConnection, periods: list[Period]) -> list[pd.DataFrame]:
    """Counts of each period in ``periods`` (in that order) from the ``dossiers`` view of ``con``;
    each frame has the columns and order of :func:`~parreport.metrics.counts.from_records`."""
    if not periods:
        return []
    frame = con.execute(_query(periods)).df()
    frame[list(_COUNT_SQL)] = frame[list(_COUNT_SQL)].astype("Int64")
    result = []
    for number, period in enumerate(periods):
        rows = frame[frame["period_number"] == number].drop(columns="period_number")
        rows = complete(rows.sort_values(KEYS, ignore_index=True))
        rows.insert(0, "period", period.code)
        rows.insert(3, "source", "records")
        result.append(rows[["period", *KEYS, "source", *COUNTS]])
    return result


def store_counts(store: Store, periods: list[Period]) -> list[pd.DataFrame]:
    """The counts of each period of ``periods`` (in that order) for every unit of ``store``: a unit's dossier
    records counted by :func:`records_counts`, a unit with Biểu 06 rows only from those rows."""
    if not periods:
        return []
    summary_only = store.sql(
        "SELECT * FROM counts WHERE department NOT IN (SELECT DISTINCT department FROM dossiers)")
    frames = []
    for period, records_part in zip(periods, records_counts(store.con, periods)):
        summary_part = from_bieu06(summary_only, period)
        parts = [part for part in (records_part, summary_part) if not part.empty]
        frames.append(_typed(pd.concat(parts, ignore_index=True) if parts else records_part))
    return frames


def read_counts(path: Path) -> pd.DataFrame:
    """Counts kept as Parquet by :func:`store_counts`'s caller, with their nullable integer types."""
    return _typed(pd.read_parquet(path))


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    """Counts as nullable integers, whatever Parquet or an empty concatenation made of them."""
    untyped = {c: "Int64" for c in frame.columns
               if c not in ("period", *KEYS, "source") and frame[c].dtype != "Int64"}
    return frame.astype(untyped) if untyped else frame
