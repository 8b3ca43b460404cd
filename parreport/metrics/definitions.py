"""Every dossier figure a briefing states is defined here (docs/data.md §3), with its Vietnamese label.

Counts are per unit × field × period; rates are ratios of sums of counts, so a rate of a unit or of
the province is computed from its summed counts, never by averaging rates.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import pandas as pd

PROVINCE = "TOAN_TINH"  # the code under which province totals (sum of units) are reported
PROVINCE_LABEL = "Toàn tỉnh"
TOTAL_FIELD = "Tổng"

# column → Vietnamese label, in the order of the official Biểu 06 table.
COUNTS: dict[str, str] = {
    "carried_over": "Kỳ trước chuyển qua",
    "new": "Tiếp nhận mới",
    "new_online": "Tiếp nhận trực tuyến",
    "new_offline": "Tiếp nhận trực tiếp và qua BCCI",
    "new_in_person": "Tiếp nhận trực tiếp",
    "new_postal": "Tiếp nhận qua BCCI",
    "received": "Tổng số hồ sơ tiếp nhận",
    "resolved": "Đã giải quyết",
    "resolved_early": "Giải quyết trước hạn",
    "resolved_on_time": "Giải quyết đúng hạn",
    "resolved_late": "Giải quyết quá hạn",
    "pending": "Đang giải quyết",
    "pending_in_time": "Đang giải quyết trong hạn",
    "pending_overdue": "Đang giải quyết quá hạn",
    "overdue": "Tổng số hồ sơ quá hạn",
    "overdue_apologized": "Hồ sơ quá hạn có thư xin lỗi",
    "digitized": "Hồ sơ được số hóa",
    "fee_required": "Hồ sơ có phí, lệ phí",
    "paid_online": "Hồ sơ thanh toán trực tuyến",
    "unsatisfied": "Hồ sơ bị đánh giá không hài lòng (giải quyết không quá hạn)",
}

# Counts derived from others (recomputed after every sum, never stored inconsistent).
DERIVED: dict[str, tuple[str, ...]] = {
    "received": ("carried_over", "new"),
    "resolved": ("resolved_early", "resolved_on_time", "resolved_late"),
    "pending": ("pending_in_time", "pending_overdue"),
    "overdue": ("resolved_late", "pending_overdue"),
}
# Counts every source states (records and Biểu 06 alike); the others may be unknown (NA).
BASE_COUNTS = (
    "carried_over", "new", "resolved_early", "resolved_on_time", "resolved_late", "pending_in_time",
    "pending_overdue",
)
OPTIONAL_COUNTS = ("new_online", "new_offline", "new_in_person", "new_postal", "overdue_apologized",
                   "digitized", "fee_required", "paid_online", "unsatisfied")


@dataclass(frozen=True)
class Rate:
    """A ratio of counts; ``numerator`` and ``denominator`` take a frame of counts."""

    name: str
    label: str
    numerator: Callable[[pd.DataFrame], pd.Series]
    denominator: Callable[[pd.DataFrame], pd.Series]


def _sum(*columns: str) -> Callable[[pd.DataFrame], pd.Series]:
    return lambda frame: sum((frame[col] for col in columns[1:]), frame[columns[0]])


RATES: dict[str, Rate] = {rate.name: rate for rate in (
    Rate("on_time_rate", "Tỷ lệ giải quyết đúng hạn và trước hạn",
         _sum("resolved_early", "resolved_on_time"), _sum("resolved")),
    Rate("progress_766", "Tỷ lệ hồ sơ xử lý trước hạn, đúng hạn và trong hạn (Bộ chỉ số 766)",
         _sum("resolved_early", "resolved_on_time", "pending_in_time"), _sum("received")),
    Rate("satisfaction_766", "Tỷ lệ hài lòng trong tiếp nhận, giải quyết TTHC (Bộ chỉ số 766)",
         lambda f: f["resolved"] - f["resolved_late"] - f["unsatisfied"], _sum("resolved")),
    Rate("apology_rate", "Tỷ lệ xin lỗi khi giải quyết quá hạn",
         _sum("overdue_apologized"), _sum("overdue")),
    Rate("online_share", "Tỷ lệ hồ sơ tiếp nhận trực tuyến", _sum("new_online"), _sum("new")),
    Rate("digitized_share", "Tỷ lệ hồ sơ được số hóa", _sum("digitized"), _sum("new")),
    Rate("online_payment_share", "Tỷ lệ thanh toán trực tuyến", _sum("paid_online"), _sum("fee_required")),
)}

# 766 scores derived from rates (QĐ 766/QĐ-TTg; see shared/spec/bo_chi_so_766_indicators.csv).
PROGRESS_766_MAX = 20.0
SATISFACTION_766_MAX = 6.0
SATISFACTION_766_FULL_AT = 0.9


def progress_score_766(ratio: pd.Series) -> pd.Series:
    """Tiến độ giải quyết: 20 × ratio (no threshold)."""
    return PROGRESS_766_MAX * ratio


def satisfaction_score_766(ratio: pd.Series) -> pd.Series:
    """Hài lòng trong tiếp nhận, giải quyết TTHC: min(6, 6 × ratio / 90 %)."""
    return (SATISFACTION_766_MAX * ratio / SATISFACTION_766_FULL_AT).clip(upper=SATISFACTION_766_MAX)


SCORES: dict[str, tuple[str, Callable[[pd.Series], pd.Series], float]] = {
    "progress_score_766": ("progress_766", progress_score_766, PROGRESS_766_MAX),
    "satisfaction_score_766": ("satisfaction_766", satisfaction_score_766, SATISFACTION_766_MAX),
}
