"""Every dossier count a briefing states is defined here (docs/data.md §3), with its Vietnamese label.

Counts are per unit × field × period; rates (:mod:`parreport.catalogue`) are ratios of sums of
counts, so a rate of a unit or of the province is computed from its summed counts, never by averaging rates.
"""
from __future__ import annotations

import math

from parreport.errors import ConfigError

PROVINCE = "TOAN_TINH"  # the code under which province totals (sum of units) are reported
PROVINCE_LABEL = "Toàn tỉnh"
TOTAL_FIELD = "Tổng"
DEFAULT_TOLERANCE = 0.05  # 766 points; a larger difference between computed and official is flagged


def check_tolerance(tolerance: float) -> float:
    """A tolerance in 766 points (≥ 0); :class:`ConfigError` otherwise."""
    if isinstance(tolerance, bool) or not isinstance(tolerance, (int, float)) or math.isnan(tolerance) \
            or tolerance < 0:
        raise ConfigError(f"tolerance_766 must be a number of points ≥ 0 such as 0.05, found {tolerance!r}")
    return float(tolerance)


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
