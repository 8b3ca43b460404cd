"""Dossier counts of docs/data.md §3 for one period, per unit × field, from records or from Biểu 06 rows."""
from __future__ import annotations

import pandas as pd

from parreport.errors import ParreportError
from parreport.metrics.definitions import BASE_COUNTS, COUNTS, DERIVED, OPTIONAL_COUNTS
from parreport.periods import Period

KEYS = ["department", "field"]
_STORED = [*BASE_COUNTS, *OPTIONAL_COUNTS]


def complete(frame: pd.DataFrame) -> pd.DataFrame:
    """Add the derived counts (received, resolved, pending, overdue) and order the columns."""
    out = frame.copy()
    for column, parts in DERIVED.items():
        out[column] = sum((out[part] for part in parts[1:]), out[parts[0]])
    leading = [col for col in out.columns if col not in COUNTS]
    return out[leading + list(COUNTS)]


def from_records(records: pd.DataFrame, period: Period) -> pd.DataFrame:
    """Count dossiers of ``period`` per department × field, comparing dates by calendar day.

    A flag that some dossier of a group does not state (channel, apology, digitised, fee, payment,
    satisfaction left empty in the export) makes that group's count unknown (NA), never a guess.
    """
    start, end = pd.Timestamp(period.start), pd.Timestamp(period.end)
    received = records["received_at"].dt.normalize()
    completed = records["completed_at"].dt.normalize()
    in_scope = (received <= end) & (completed.isna() | (completed >= start))
    recs = records.loc[in_scope]
    received, completed = received[in_scope], completed[in_scope]
    due = recs["due_at"].dt.normalize()

    is_new = received >= start
    resolved = completed.notna() & (completed <= end)
    pending = ~resolved
    late = resolved & (completed > due)
    overdue = (late | (pending & (due < end)))
    channel = recs["channel"]
    flags = {
        "carried_over": ~is_new,
        "new": is_new,
        "new_online": is_new & channel.eq("online"),
        "new_offline": is_new & channel.isin(["in_person", "postal"]),
        "new_in_person": is_new & channel.eq("in_person"),
        "new_postal": is_new & channel.eq("postal"),
        "resolved_early": resolved & (completed < due),
        "resolved_on_time": resolved & (completed == due),
        "resolved_late": late,
        "pending_in_time": pending & (due >= end),
        "pending_overdue": pending & (due < end),
        "overdue_apologized": overdue & recs["apology_issued"],
        "digitized": is_new & recs["digitized"],
        "fee_required": is_new & recs["fee_required"],
        "paid_online": is_new & recs["fee_required"] & recs["paid_online"],
        "unsatisfied": resolved & ~late & recs["unsatisfied"],
    }
    unknown = {
        "new_online": is_new & channel.isna(),
        "overdue_apologized": overdue & recs["apology_issued"].isna(),
        "digitized": is_new & recs["digitized"].isna(),
        "fee_required": is_new & recs["fee_required"].isna(),
        "paid_online": is_new & (recs["fee_required"].isna() | recs["paid_online"].isna()),
        "unsatisfied": resolved & ~late & recs["unsatisfied"].isna(),
    }
    for name in ("new_offline", "new_in_person", "new_postal"):
        unknown[name] = unknown["new_online"]
    table = pd.DataFrame({name: flag.fillna(False).astype("int64") for name, flag in flags.items()})
    table[KEYS] = recs[KEYS]
    sums = table.groupby(KEYS, sort=True)[list(flags)].sum().astype("Int64")
    if unknown:
        gaps = pd.DataFrame({name: flag.fillna(True).astype(bool) for name, flag in unknown.items()})
        gaps[KEYS] = recs[KEYS]
        has_gap = gaps.groupby(KEYS, sort=True)[list(unknown)].any()
        for name in unknown:
            sums[name] = sums[name].mask(has_gap[name])
    result = complete(sums.reset_index())
    result.insert(0, "period", period.code)
    result.insert(3, "source", "records")
    return result


def from_bieu06(rows: pd.DataFrame, period: Period) -> pd.DataFrame:
    """Counts of ``period`` from Biểu 06 rows (columns of the ``counts`` store table).

    Rows for exactly ``period`` are used as they are. Otherwise the stored periods that lie inside
    ``period`` must cover it day by day without gap or overlap (e.g. four quarters make a year):
    the carried-over count comes from the first, pending counts from the last, flows are summed.
    Apologies are then unknown, since an overdue dossier may span several sub-periods.
    """
    columns = ["period", *KEYS, "source", *COUNTS]
    if rows.empty:
        return pd.DataFrame(columns=columns)
    parts = []
    for department, unit_rows in rows.groupby("department", sort=True):
        chosen = _covering_periods(sorted({Period.parse(p, period.convention) for p in unit_rows["period"]}), period)
        if not chosen:
            continue
        unit_rows = unit_rows[unit_rows["period"].isin([p.code for p in chosen])]
        parts.append(_combine_periods(unit_rows, chosen))
    if not parts:
        return pd.DataFrame(columns=columns)
    result = complete(pd.concat(parts, ignore_index=True))
    result.insert(0, "period", period.code)
    result.insert(3, "source", "bieu06")
    return result.sort_values(KEYS, ignore_index=True)


def _covering_periods(stored: list[Period], period: Period) -> list[Period]:
    exact = [p for p in stored if p.code == period.code]
    if exact:
        return exact
    for kind in ("Q", "M", "H"):
        inside = [p for p in stored if p.kind == kind and period.contains(p)]
        if inside and inside[0].start == period.start and inside[-1].end == period.end and all(
            later.start == (earlier.end + pd.Timedelta(days=1)) for earlier, later in zip(inside, inside[1:])
        ):
            return inside
    return []


def _combine_periods(rows: pd.DataFrame, chosen: list[Period]) -> pd.DataFrame:
    rename = {"received_online": "new_online", "received_offline": "new_offline",
              "late_with_apology": "overdue_apologized"}
    rows = rows.rename(columns=rename)
    rows["new"] = rows["new_online"] + rows["new_offline"]
    first, last = chosen[0].code, chosen[-1].code
    flows = ["new", "new_online", "new_offline", "resolved_early", "resolved_on_time", "resolved_late"]
    by_field = rows.groupby(KEYS, sort=True)
    combined = by_field[flows].sum(min_count=1)
    combined["carried_over"] = rows[rows["period"] == first].set_index(KEYS)["carried_over"]
    for column in ("pending_in_time", "pending_overdue"):
        combined[column] = rows[rows["period"] == last].set_index(KEYS)[column]
    if len(chosen) == 1:
        combined["overdue_apologized"] = rows.set_index(KEYS)["overdue_apologized"]
    missing = combined[list(BASE_COUNTS)].isna().any(axis=1)
    if missing.any():
        department, field = combined.index[missing][0]
        raise ParreportError(
            f"Biểu 06 counts of {department}, field {field!r}, do not cover "
            f"{chosen[0].start:%d/%m/%Y}–{chosen[-1].end:%d/%m/%Y}: a sub-period row is missing"
        )
    for column in _STORED:
        if column not in combined:
            combined[column] = pd.NA
    return combined[_STORED].astype("Int64").reset_index()
