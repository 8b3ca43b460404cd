"""Points within reach (parreport/metrics/reach.py), computed by hand: the fewest more dossiers to a target and to
the next whole point, at the threshold edges (exactly at the target, one dossier short, a whole number of points,
binary rounding), and the points lost per group, ranked."""
from __future__ import annotations

from fractions import Fraction

import pandas as pd
import pytest

from parreport.catalogue import INDICATORS
from parreport.metrics.reach import (dossiers_to_ratio, exact, group_losses, indicator_reach, next_whole_point, points,
                                     target_of, unit_losses)

PROGRESS, SATISFACTION, DIGITIZED = INDICATORS["progress_766"], INDICATORS["satisfaction_766"], \
    INDICATORS["digitized_share"]


def test_targets_are_the_decimals_they_are_written_as():
    assert exact(0.95) == Fraction(19, 20) and exact(0.9) == Fraction(9, 10) and exact(20) == 20


def test_dossiers_to_a_ratio_at_the_edges():
    """k = max(0, ⌈t·D − N⌉) with the target exact."""
    assert dossiers_to_ratio(19, 20, 0.95) == 0     # exactly at the target: reached
    assert dossiers_to_ratio(18, 20, 0.95) == 1     # one dossier short
    assert dossiers_to_ratio(379, 400, 0.95) == 1   # 379/400 = 94,75 %; 380/400 = 95 %
    assert dossiers_to_ratio(380, 400, 0.95) == 0
    assert dossiers_to_ratio(381, 401, 0.95) == 0   # 380,95 needed: 381 is enough
    assert dossiers_to_ratio(380, 401, 0.95) == 1
    assert dossiers_to_ratio(20, 20, 0.95) == 0     # above
    assert dossiers_to_ratio(0, 7, 0.5) == 4        # 3,5 → 4 of 7
    assert dossiers_to_ratio(0, 7, 1) == 7 and dossiers_to_ratio(3, 7, 0) == 0
    assert dossiers_to_ratio(0, 0, 0.95) is None    # no dossier: no ratio to move
    assert dossiers_to_ratio(1, 2, 1.5) is None


def test_progress_points_and_the_next_whole_point():
    """Tiến độ = 20 × ratio. 380/400 = 0,95 → exactly 19 points: the next whole point is 20 and needs all 20
    overdue dossiers on time. 379/400 → 18,95 points: 19 needs ratio 19/20, i.e. 380, one more."""
    assert points(PROGRESS, 380, 400) == 19
    assert next_whole_point(PROGRESS, 380, 400) == (20, 20)
    assert points(PROGRESS, 379, 400) == Fraction(379, 20)
    assert next_whole_point(PROGRESS, 379, 400) == (19, 1)
    assert next_whole_point(PROGRESS, 400, 400) is None     # at the maximum
    assert next_whole_point(PROGRESS, 0, 0) is None and points(PROGRESS, 0, 0) is None


def test_points_are_compared_unrounded():
    """4.749/5.000 = 0,9498 → 18,996 points, shown 19,00 at two decimals, but 19 is not reached: one more
    dossier (4.750/5.000 = 0,95) gives exactly 19."""
    assert float(points(PROGRESS, 4749, 5000)) == pytest.approx(18.996)
    assert next_whole_point(PROGRESS, 4749, 5000) == (19, 1)


def test_satisfaction_threshold_and_binary_rounding():
    """Hài lòng = min(6, 6 × ratio / 0,9). 90/100 is exactly at the threshold: 6 points, nothing to win.
    89/100 → 5,93: 6 needs ratio 0,9, one more. 6/10 → 6 × 0,6 / 0,9 = exactly 4 points — in floats
    3,9999999999999996, which would make "4 points" look one step away with 0 dossiers; exactly, the next point
    is 5 = 6 × r / 0,9 → r = 0,75 → 7,5 → 8 of 10, two more. 44/100 → 2,93 → 3 needs 45/100, one more."""
    assert points(SATISFACTION, 90, 100) == 6 and next_whole_point(SATISFACTION, 90, 100) is None
    assert points(SATISFACTION, 95, 100) == 6  # capped
    assert next_whole_point(SATISFACTION, 89, 100) == (6, 1)
    assert 6 * (6 / 10) / 0.9 < 4  # the float trap the exact arithmetic avoids
    assert points(SATISFACTION, 6, 10) == 4 and next_whole_point(SATISFACTION, 6, 10) == (5, 2)
    assert next_whole_point(SATISFACTION, 44, 100) == (3, 1)


def test_target_of_an_indicator():
    assert target_of(PROGRESS, None) == 0.95                      # the catalogue's
    assert target_of(PROGRESS, {"progress_766": 0.9}) == 0.9       # the batch's
    assert target_of(SATISFACTION, {}) == 0.9                      # no target: its full-points threshold
    assert target_of(INDICATORS["online_share"], {}) == 0.5


ROW = {  # a unit's scorecard row (counts, computed and official scores)
    "department": "STP", "name": "Sở Tư pháp",
    "carried_over": 40, "new": 360, "received": 400, "new_online": 170,
    "resolved": 370, "resolved_early": 300, "resolved_on_time": 50, "resolved_late": 20,
    "pending_in_time": 29, "pending_overdue": 1, "unsatisfied": 17,
    "digitized": 288, "fee_required": 100, "paid_online": None,  # payment not recorded: unknown
    "progress_score_766": 18.95, "official_cong_khai": 17.5, "official_so_hoa": 15.0, "official_dvc_truc_tuyen": 9.0,
    "official_thanh_toan": 10.0, "official_hai_long": 16.0, "official_tien_do": None,
}


def test_indicator_reach_by_hand():
    """Tiến độ: (300 + 50 + 29) / 400 = 379/400 → 18,95 points, 1,05 lost; target 95 % and 19 points need 1
    more, 20 points 21 more. Hài lòng: (370 − 20 − 17)/370 = 333/370 = 0,9 exactly → 6 points, target reached.
    Số hóa: 288/360 = 0,8 → 3,2 points (4 × ratio), target 80 % reached; 4 points needs all 72 others.
    Trực tuyến: 170/360, target 50 % needs 180, 10 more; not scored. Thanh toán: unknown."""
    reach = indicator_reach(ROW).set_index("indicator")
    progress = reach.loc["progress_766"]
    assert (progress["numerator"], progress["denominator"]) == (379, 400)
    assert progress["points"] == pytest.approx(18.95) and progress["lost"] == pytest.approx(1.05)
    assert (progress["to_target"], progress["next_point"], progress["to_next_point"], progress["to_full"]) == \
        (1, 19, 1, 21)
    satisfaction = reach.loc["satisfaction_766"]
    assert satisfaction["points"] == 6 and satisfaction["lost"] == 0 and satisfaction["to_target"] == 0
    assert pd.isna(satisfaction["next_point"]) and satisfaction["to_full"] == 0
    digitized = reach.loc["digitized_share"]
    assert digitized["points"] == pytest.approx(3.2) and digitized["to_target"] == 0
    assert (digitized["next_point"], digitized["to_next_point"], digitized["to_full"]) == (4, 72, 72)
    online = reach.loc["online_share"]
    assert online["to_target"] == 10 and pd.isna(online["points"]) and pd.isna(online["next_point"])
    payment = reach.loc["online_payment_share"]
    assert pd.isna(payment["ratio"]) and pd.isna(payment["to_target"])
    assert list(reach.index[:2]) == ["progress_766", "digitized_share"]  # ranked by points lost: 1,05 then 0,8


def test_group_losses_ranked_official_first_computed_for_progress():
    """Lost: cong_khai 0,5; so_hoa 7; dvc 3; thanh_toan 0; hai_long 2; tien_do has no official score: computed
    18,95 → 1,05."""
    groups = group_losses(ROW)
    assert list(groups["group"]) == ["so_hoa", "dvc_truc_tuyen", "hai_long", "tien_do", "cong_khai", "thanh_toan"]
    tien_do = groups.set_index("group").loc["tien_do"]
    assert tien_do["source"] == "computed" and tien_do["lost"] == pytest.approx(1.05)
    assert groups.set_index("group").loc["so_hoa", "source"] == "official"
    nothing = group_losses({"official_cong_khai": 18.0})
    assert nothing.iloc[0]["group"] == "cong_khai" and nothing.iloc[0]["lost"] == 0
    assert nothing["lost"].isna().sum() == 5  # unknown, not zero


def test_unit_losses_rank_units_by_points_lost():
    """U1: groups 15, 18, 15, 10, 8, 14 = 80 (lost 20: 3, 2, 7, 2, 2, 4, most in số hóa); U2: số hóa 20 and hài lòng
    17 instead = 88 (lost 12); U3: only công khai 15 and tiến độ 19 known (lost 3 + 1 = 4, no total): after."""
    full = {f"official_{key}": score for key, score in
            zip(["cong_khai", "tien_do", "so_hoa", "dvc_truc_tuyen", "thanh_toan", "hai_long"],
                [15, 18, 15, 10, 8, 14])}
    frame = pd.DataFrame([
        {"department": "U2", "name": "Đơn vị 2", **full, "official_so_hoa": 20, "official_hai_long": 17,
         "official_total": 88.0},
        {"department": "U1", "name": "Đơn vị 1", **full, "official_total": 80.0},
        {"department": "U3", "name": "Đơn vị 3", "official_cong_khai": 15, "official_tien_do": 19},
        {"department": "TOAN_TINH", "name": "Toàn tỉnh", **full, "official_total": 85.0},
    ])
    losses = unit_losses(frame)
    assert list(losses["department"]) == ["U1", "U2", "U3"]
    assert losses["lost_total"].tolist()[:2] == [20, 12] and pd.isna(losses["lost_total"].iloc[2])
    assert losses.set_index("department").loc["U3", "lost_known"] == 4
    assert losses.set_index("department").loc["U1", "worst_group"] == "so_hoa"
