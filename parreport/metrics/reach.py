"""Where the 766 points are: points lost per group, and how many more dossiers reach a target or the next point.

Points lost
    per group of the 766 index (:data:`parreport.catalogue.GROUPS`): maximum − score, where the score is the
    official one (the dashboard's, ``official_<group>``) or, without it, the one computed from dossiers when a
    single computed indicator makes the whole group (tiến độ: ``progress_score_766``). Other groups without an
    official score have no known loss (NA). Ranked, the largest loss first.

Dossiers within reach
    for the 766 indicators a per-dossier export computes (:data:`INDICATORS`: tiến độ, hài lòng, số hóa, tiếp
    nhận trực tuyến, thanh toán trực tuyến): each is a ratio N / D of counts, and improving it means that more of
    the same D dossiers are counted in N — on time instead of late (tiến độ; hài lòng counts the resolved
    dossiers neither late nor rated unsatisfied), digitised, filed online instead of in person or by post, paid
    online. So "k more dossiers" moves N to N + k with D fixed, and the smallest such k to reach a ratio t is
    ``k = max(0, ⌈t·D − N⌉)``: 0 when N / D is **exactly at** the target (reaching means ≥, as the attention points
    judge a target), 1 when one dossier short. It is computed in exact arithmetic: the target as the decimal it
    is written as (0,95 = 19/20) and the counts as integers, so 20 × 380/400 is 19 points, not 18,999….
* The target: the batch's (``targets``), else the catalogue's; for a scored indicator without one, the ratio of
  full points (``full_at``: hài lòng 90 %).
* The next whole point: a scored indicator earns ``min(max, max × ratio / full_at)`` points (the catalogue's
  rule), compared unrounded: 18,996 points (shown 19,00) has not reached 19. From p points, the next whole point
  is ⌊p⌋ + 1 (19 → 20 when p is exactly 19), capped at the maximum; it needs the ratio ``P × full_at / max``.
  Indicators the catalogue does not score (tiếp nhận trực tuyến, thanh toán trực tuyến) have a target only.
"""
from __future__ import annotations

import math
from fractions import Fraction

import pandas as pd

from parreport.catalogue import COMPUTED, DEFAULT_TARGETS, GROUPS, TOTAL_MAX, Indicator
from parreport.metrics.definitions import COUNTS, PROVINCE

# The computable 766 indicators, in the catalogue's order, and what one more dossier in their numerator is.
INDICATORS: dict[str, Indicator] = {name: ind for name, ind in COMPUTED.items() if ind.group is not None}
WHAT: dict[str, str] = {
    "progress_766": "hồ sơ xử lý đúng hạn",
    "satisfaction_766": "hồ sơ giải quyết không quá hạn và không bị đánh giá không hài lòng",
    "digitized_share": "hồ sơ được số hóa",
    "online_share": "hồ sơ tiếp nhận trực tuyến",
    "online_payment_share": "hồ sơ thanh toán trực tuyến",
}
GROUP_COLUMNS = ["group", "label", "max_score", "score", "source", "lost"]
INDICATOR_COLUMNS = ["indicator", "label", "group", "what", "numerator", "denominator", "ratio", "points",
                     "max_score", "lost", "official", "target", "to_target", "next_point", "to_next_point",
                     "to_full"]
OFFICIAL, COMPUTED_SOURCE = "official", "computed"


def exact(value: float | int | Fraction) -> Fraction:
    """A number as the exact decimal it is written as: ``0.95`` → 19/20 (not the binary 0,9499999…)."""
    if isinstance(value, (int, Fraction)):
        return Fraction(value)
    return Fraction(repr(float(value)))


def dossiers_to_ratio(numerator: int, denominator: int, ratio: float | Fraction) -> int | None:
    """The fewest more dossiers k (numerator + k, denominator fixed) for numerator / denominator ≥ ``ratio``:
    0 when already there (exactly at it included); None without dossiers or for a ratio above 1."""
    ratio = exact(ratio)
    if denominator <= 0 or ratio > 1:
        return None
    return max(0, math.ceil(ratio * denominator - numerator))


def points(indicator: Indicator, numerator: int, denominator: int) -> Fraction | None:
    """The indicator's exact points ``min(max, max × ratio / full_at)``; None without dossiers."""
    if indicator.max_score is None:
        raise ValueError(f"{indicator.name} is not scored")
    if denominator <= 0:
        return None
    maximum = exact(indicator.max_score)
    return min(maximum, maximum * Fraction(numerator, denominator) / exact(indicator.full_at))


def next_whole_point(indicator: Indicator, numerator: int, denominator: int) -> tuple[Fraction, int] | None:
    """The next whole point above the current points (capped at the maximum) and the fewest more dossiers
    reaching it; None at the maximum or without dossiers."""
    current = points(indicator, numerator, denominator)
    maximum = exact(indicator.max_score)
    if current is None or current >= maximum:
        return None
    goal = min(Fraction(math.floor(current) + 1), maximum)
    return goal, dossiers_to_ratio(numerator, denominator, goal * exact(indicator.full_at) / maximum)


def _counts(row: dict, indicator: Indicator) -> tuple[int, int] | None:
    """The indicator's numerator and denominator in a scorecard row; None when a count is unknown."""
    frame = pd.DataFrame([{column: row.get(column) for column in COUNTS}]).astype("Float64")
    top, bottom = indicator.numerator(frame).iloc[0], indicator.denominator(frame).iloc[0]
    if pd.isna(top) or pd.isna(bottom):
        return None
    return int(top), int(bottom)


def target_of(indicator: Indicator, targets: dict[str, float] | None) -> float | None:
    """The ratio an indicator aims at: the given target, else the catalogue's, else the full-points ratio of a
    scored indicator with a threshold."""
    targets = DEFAULT_TARGETS if targets is None else targets
    if indicator.name in targets:
        return float(targets[indicator.name])
    if indicator.target is not None:
        return indicator.target
    return indicator.full_at if indicator.scored and indicator.full_at < 1 else None


def _known(value) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def group_losses(row: dict) -> pd.DataFrame:
    """Per 766 group of a scorecard row (:func:`parreport.metrics.s766.scorecard_766`): ``group`` (key),
    ``label``, ``max_score``, ``score``, ``source`` (``official``, ``computed`` or None) and ``lost`` = max −
    score (NA when unknown), the largest loss first (unknown last, then the catalogue's order)."""
    whole = {ind.group: ind for ind in INDICATORS.values() if ind.scored and ind.whole_group}
    rows = []
    for key, group in GROUPS.items():
        score, source = _known(row.get(f"official_{key}")), OFFICIAL
        if score is None and key in whole:
            score, source = _known(row.get(whole[key].score_name)), COMPUTED_SOURCE
        rows.append({"group": key, "label": group.label, "max_score": float(group.max_score), "score": score,
                     "source": source if score is not None else None,
                     "lost": None if score is None else max(0.0, float(group.max_score) - score)})
    frame = pd.DataFrame(rows, columns=GROUP_COLUMNS).astype({"score": "Float64", "lost": "Float64"})
    return frame.sort_values("lost", ascending=False, na_position="last", kind="stable").reset_index(drop=True)


def indicator_reach(row: dict, targets: dict[str, float] | None = None) -> pd.DataFrame:
    """Per computable 766 indicator of a scorecard row: its counts (``numerator``, ``denominator``), ``ratio``,
    computed ``points`` (scored ones), ``max_score``, ``lost`` (max − points), the ``official`` indicator score
    when imported, the ``target`` and the dossiers more to reach it (``to_target``), the ``next_point`` and the
    dossiers more to reach it (``to_next_point``), and the dossiers more for full points (``to_full``). NA where
    the data says nothing (no dossier, an unknown count, an unscored indicator). Ranked by points lost, then by
    the dossiers needed to reach the target."""
    rows = []
    for name, indicator in INDICATORS.items():
        counts = _counts(row, indicator)
        numerator, denominator = counts if counts is not None else (None, None)
        known = counts is not None and denominator > 0
        target = target_of(indicator, targets)
        entry = {"indicator": name, "label": indicator.label, "group": indicator.group, "what": WHAT[name],
                 "numerator": numerator, "denominator": denominator,
                 "ratio": numerator / denominator if known else None, "points": None,
                 "max_score": indicator.max_score, "lost": None,
                 "official": _known(row.get(f"official_{indicator.score_name}")) if indicator.scored else None,
                 "target": target, "to_target": None, "next_point": None, "to_next_point": None, "to_full": None}
        if known and target is not None:
            entry["to_target"] = dossiers_to_ratio(numerator, denominator, target)
        if known and indicator.scored:
            current = points(indicator, numerator, denominator)
            entry["points"] = float(current)
            entry["lost"] = float(exact(indicator.max_score) - current)
            entry["to_full"] = dossiers_to_ratio(numerator, denominator, indicator.full_at)
            following = next_whole_point(indicator, numerator, denominator)
            if following is not None:
                entry["next_point"], entry["to_next_point"] = float(following[0]), following[1]
        rows.append(entry)
    frame = pd.DataFrame(rows, columns=INDICATOR_COLUMNS)
    frame = frame.astype({column: "Int64" for column in
                          ("numerator", "denominator", "to_target", "to_next_point", "to_full")})
    frame = frame.astype({column: "Float64" for column in
                          ("ratio", "points", "max_score", "lost", "official", "target", "next_point")})
    return frame.sort_values(["lost", "to_target"], ascending=[False, True], na_position="last",
                             kind="stable").reset_index(drop=True)


def unit_losses(frame: pd.DataFrame, targets: dict[str, float] | None = None) -> pd.DataFrame:
    """Per unit of a :func:`~parreport.metrics.s766.scorecard_766` frame (the province row left out):
    ``department``, ``name``, ``lost_total`` (100 − the official total; NA unless all six groups are known),
    ``lost_<group>`` per group (as :func:`group_losses`), ``lost_known`` (the sum of the known group losses),
    ``worst_group`` (the key of its largest loss), and for tiến độ ``progress_to_target`` and
    ``progress_to_next_point`` (dossiers more on time). Ranked by ``lost_total``, then ``lost_known``, largest
    first."""
    rows = []
    for record in frame[frame["department"] != PROVINCE].to_dict("records"):
        groups = group_losses(record)
        known = groups.dropna(subset=["lost"])
        reach = indicator_reach(record, targets).set_index("indicator")
        total = _known(record.get("official_total"))
        rows.append({
            "department": record["department"], "name": record.get("name"),
            "lost_total": None if total is None else max(0.0, float(TOTAL_MAX) - total),
            **{f"lost_{key}": lost for key, lost in zip(groups["group"], groups["lost"])},
            "lost_known": float(known["lost"].sum()) if not known.empty else None,
            "worst_group": known["group"].iloc[0] if not known.empty and known["lost"].iloc[0] > 0 else None,
            "progress_to_target": reach.at["progress_766", "to_target"],
            "progress_to_next_point": reach.at["progress_766", "to_next_point"],
        })
    columns = ["department", "name", "lost_total", *(f"lost_{key}" for key in GROUPS), "lost_known", "worst_group",
               "progress_to_target", "progress_to_next_point"]
    out = pd.DataFrame(rows, columns=columns)
    out = out.astype({column: "Float64" for column in columns if column.startswith("lost_")})
    out = out.astype({"progress_to_target": "Int64", "progress_to_next_point": "Int64"})
    return out.sort_values(["lost_total", "lost_known", "name"], ascending=[False, False, True],
                           na_position="last", kind="stable").reset_index(drop=True)
