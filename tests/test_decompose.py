"""The shift-share decomposition of a rate's change (parreport/metrics/decompose.py), on hand-computed fixtures:
two fields whose mix shifts, a field appearing, a field disappearing, nothing resolved, unknown counts, and the
exact-sum property over random counts."""
from __future__ import annotations

from fractions import Fraction

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parreport.metrics.decompose import (APPEARED, CONTINUING, GONE, NEW_EMPTY, NEW_UNKNOWN, OLD_EMPTY, OLD_UNKNOWN,
                                         apportion, decompose, decompose_measure, shift_share)

ON_TIME_NUM = ["resolved_early", "resolved_on_time"]
ON_TIME_DEN = ["resolved_early", "resolved_on_time", "resolved_late"]


def fields(*rows: tuple) -> pd.DataFrame:
    """Counts per field: (field, on time, late) — on time counted as early here."""
    return pd.DataFrame([{"field": name, "resolved_early": on_time, "resolved_on_time": 0, "resolved_late": late}
                         for name, on_time, late in rows]).astype(
        {"resolved_early": "Int64", "resolved_on_time": "Int64", "resolved_late": "Int64"})


def test_two_fields_whose_mix_shifts():
    """A 90/100 on time, then 45/50; B 30/50, then 120/200.

    Old: D = 150, wₒ = (100/150, 50/150) = (2/3, 1/3), rₒ = (0,9; 0,6), R̄ₒ = 120/150 = 0,80.
    New: D = 250, wₙ = (50/250, 200/250) = (1/5, 4/5), rₙ = (0,9; 0,6), R̄ₙ = 165/250 = 0,66. Change −0,14.
    Rate effect Σ wₙ(rₙ − rₒ) = 0 (no field changed its rate).
    Mix effect Σ (wₙ − wₒ)rₒ = (1/5 − 2/3)·0,9 + (4/5 − 1/3)·0,6 = −0,42 + 0,28 = −0,14.
    Centred per field, (wₙ − wₒ)(rₒ − R̄ₒ): A (−7/15)(+0,1) = −7/150 ≈ −0,046667; B (+7/15)(−0,2) = −14/150 ≈ −0,093333
    (sum −21/150 = −0,14): the dossiers moved to B, which closes on time less often than average."""
    dec = decompose(fields(("A", 90, 10), ("B", 30, 20)), fields(("A", 45, 5), ("B", 120, 80)),
                    ON_TIME_NUM, ON_TIME_DEN, "field")
    assert dec and dec.reason is None
    assert dec.old_rate == pytest.approx(0.80) and dec.new_rate == pytest.approx(0.66)
    assert (dec.old_base, dec.new_base) == (150, 250)
    assert dec.change == pytest.approx(-0.14) and dec.rate_effect == pytest.approx(0.0, abs=1e-15)
    assert dec.mix_effect == pytest.approx(-0.14)
    parts = dec.parts
    assert list(parts.index) == ["B", "A"]  # largest |total| first
    assert parts.loc["A", ["w_old", "w_new", "r_old", "r_new"]].tolist() == pytest.approx([2 / 3, 1 / 5, 0.9, 0.9])
    assert parts.loc["B", ["w_old", "w_new", "r_old", "r_new"]].tolist() == pytest.approx([1 / 3, 4 / 5, 0.6, 0.6])
    assert parts.loc["A", "mix_effect"] == pytest.approx(-7 / 150)
    assert parts.loc["B", "mix_effect"] == pytest.approx(-14 / 150)
    assert parts["rate_effect"].tolist() == pytest.approx([0, 0], abs=1e-15)
    assert set(parts["status"]) == {CONTINUING}
    # the uncentred per-field terms, (wₙ − wₒ)rₒ: A −0,42, B +0,28 — the same sum
    assert dec.exact["A"].mix_uncentred == Fraction(-42, 100) and dec.exact["B"].mix_uncentred == Fraction(28, 100)
    assert sum(p.mix_effect for p in dec.exact.values()) == sum(p.mix_uncentred for p in dec.exact.values())


def test_rates_and_mix_both_move():
    """Hộ tịch 46/50 then 386/400, Đất đai 44/50 then 91/100 (the issue's example: +5,40 = 4,20 + 1,20).

    Old: wₒ = (1/2, 1/2), rₒ = (0,92; 0,88), R̄ₒ = 90/100 = 0,90. New: wₙ = (400/500, 100/500) = (0,8; 0,2),
    rₙ = (0,965; 0,91), R̄ₙ = 477/500 = 0,954. Change +0,054.
    Rate effect: 0,8·(0,965 − 0,92) + 0,2·(0,91 − 0,88) = 0,036 + 0,006 = 0,042.
    Mix effect: (0,8 − 0,5)·0,92 + (0,2 − 0,5)·0,88 = 0,276 − 0,264 = 0,012; centred Hộ tịch 0,3·(+0,02) = 0,006,
    Đất đai (−0,3)·(−0,02) = 0,006. Per field: Hộ tịch 0,036 + 0,006 = 0,042; Đất đai 0,006 + 0,006 = 0,012."""
    dec = decompose(fields(("Hộ tịch", 46, 4), ("Đất đai", 44, 6)), fields(("Hộ tịch", 386, 14), ("Đất đai", 91, 9)),
                    ON_TIME_NUM, ON_TIME_DEN, "field")
    assert dec.change == pytest.approx(0.054)
    assert dec.rate_effect == pytest.approx(0.042) and dec.mix_effect == pytest.approx(0.012)
    assert dec.parts.loc["Hộ tịch", ["rate_effect", "mix_effect", "total"]].tolist() == pytest.approx(
        [0.036, 0.006, 0.042])
    assert dec.parts.loc["Đất đai", ["rate_effect", "mix_effect", "total"]].tolist() == pytest.approx(
        [0.006, 0.006, 0.012])
    assert dec._sum("total") == float(Fraction(477, 500) - Fraction(9, 10))


def test_a_field_appearing_is_all_mix_at_its_new_rate_against_the_old_average():
    """A 80/100 then 80/100; C has no dossier before, then 100/100.

    Old: R̄ₒ = 0,80. New: D = 200, wₙ = (1/2, 1/2), R̄ₙ = 180/200 = 0,90. Change +0,10.
    A: wₒ = 1, wₙ = 1/2, rate effect 1/2·0 = 0, mix (1/2 − 1)(0,8 − 0,8) = 0.
    C appears: rₒ := rₙ = 1, rate effect 0, mix (1/2 − 0)(1 − 0,8) = +0,10 — the whole change (uncentred:
    1/2·1 = 0,5 for C and −1/2·0,8 = −0,4 for A, the same sum)."""
    dec = decompose(fields(("A", 80, 20)), fields(("A", 80, 20), ("C", 100, 0)), ON_TIME_NUM, ON_TIME_DEN, "field")
    assert dec.change == pytest.approx(0.10)
    c = dec.parts.loc["C"]
    assert c["status"] == APPEARED and pd.isna(c["r_old"]) and c["w_old"] == 0 and c["r_new"] == 1
    assert c["rate_effect"] == 0 and c["mix_effect"] == pytest.approx(0.10)
    assert dec.parts.loc["A", "total"] == pytest.approx(0.0)
    assert dec.rate_effect == 0 and dec.mix_effect == pytest.approx(0.10)
    assert dec.exact["C"].mix_uncentred == Fraction(1, 2) and dec.exact["A"].mix_uncentred == Fraction(-2, 5)


def test_a_field_disappearing_is_minus_its_old_weight_in_the_mix():
    """A 90/100 then 90/100; B 20/50 then nothing resolved (a zero row, as registry fields have).

    Old: D = 150, wₒ = (2/3, 1/3), R̄ₒ = 110/150 = 11/15. New: only A, R̄ₙ = 0,9. Change 0,9 − 11/15 = 1/6.
    B gone: wₙ = 0, rate effect 0, mix uncentred −wₒrₒ = −1/3·0,4 = −2/15, centred −1/3·(0,4 − 11/15) = +1/9.
    A: rate 0, mix (1 − 2/3)(0,9 − 11/15) = 1/3·1/6 = 1/18. Sum 1/9 + 1/18 = 1/6."""
    dec = decompose(fields(("A", 90, 10), ("B", 20, 30)), fields(("A", 90, 10), ("B", 0, 0)),
                    ON_TIME_NUM, ON_TIME_DEN, "field")
    assert dec.change == pytest.approx(1 / 6)
    b = dec.parts.loc["B"]
    assert b["status"] == GONE and b["w_new"] == 0 and pd.isna(b["r_new"]) and b["r_old"] == pytest.approx(0.4)
    assert b["rate_effect"] == 0 and b["mix_effect"] == pytest.approx(1 / 9)
    assert dec.exact["B"].mix_uncentred == Fraction(-2, 15)
    assert dec.parts.loc["A", "mix_effect"] == pytest.approx(1 / 18)


def test_fields_without_dossiers_in_either_period_are_left_out():
    dec = decompose(fields(("A", 9, 1), ("Z", 0, 0)), fields(("A", 8, 2), ("Z", 0, 0)), ON_TIME_NUM, ON_TIME_DEN,
                    "field")
    assert list(dec.parts.index) == ["A"]
    assert dec.parts.loc["A", "rate_effect"] == pytest.approx(-0.1) and dec.change == pytest.approx(-0.1)


def test_zero_resolved_gives_no_decomposition_and_says_which_period():
    some = fields(("A", 9, 1))
    nothing = fields(("A", 0, 0))
    old_empty = decompose(nothing, some, ON_TIME_NUM, ON_TIME_DEN, "field")
    assert not old_empty and old_empty.reason == OLD_EMPTY and old_empty.parts.empty
    assert old_empty.change is None and old_empty.rate_effect is None and old_empty.old_rate is None
    assert decompose(some, nothing, ON_TIME_NUM, ON_TIME_DEN, "field").reason == NEW_EMPTY
    assert decompose(some.iloc[:0], some, ON_TIME_NUM, ON_TIME_DEN, "field").reason == OLD_EMPTY  # no row at all


def test_an_unknown_count_gives_no_decomposition():
    """The online share of a unit whose export left some channels empty is unknown (docs/data.md §3.4)."""
    known = pd.DataFrame({"field": ["A", "B"], "new_online": [5, 1], "new": [10, 10]}).astype(
        {"new_online": "Int64", "new": "Int64"})
    unknown = known.assign(new_online=pd.array([5, None], dtype="Int64"))
    assert decompose_measure(unknown, known, "online_share", "field").reason == OLD_UNKNOWN
    assert decompose_measure(known, unknown, "online_share", "field").reason == NEW_UNKNOWN
    ok = decompose_measure(known, known.assign(new=pd.array([10, 30], dtype="Int64")), "online_share", "field")
    # weights are shares of new dossiers: (1/2, 1/2) → (1/4, 3/4); 6/20 = 0,30 → 6/40 = 0,15
    assert ok.parts.loc["B", "w_new"] == pytest.approx(0.75) and ok.change == pytest.approx(-0.15)
    assert ok.parts.loc["B", "r_new"] == pytest.approx(1 / 30)


def test_by_unit_sums_the_fields_of_each_unit():
    """The province by unit: U1 = 50/50 + 40/50 → 90/100; U2 = 10/20 (old), 30/60 (new) — the fields are summed."""
    old = pd.DataFrame({"department": ["U1", "U1", "U2"], "field": ["a", "b", "c"],
                        "resolved_early": [50, 40, 10], "resolved_on_time": [0, 0, 0], "resolved_late": [0, 10, 10]})
    new = old.assign(resolved_early=[50, 40, 30], resolved_late=[0, 10, 30])
    dec = decompose(old, new, ON_TIME_NUM, ON_TIME_DEN, "department")
    assert dec.parts.loc["U1", ["num_old", "den_old"]].tolist() == [90, 100]
    assert dec.parts.loc["U2", ["num_new", "den_new"]].tolist() == [30, 60]
    # old 100/120, new 120/160: change 0,75 − 5/6 = −1/12, all mix (rates 0,9 and 0,5 unchanged)
    assert dec.change == pytest.approx(-1 / 12) and dec.rate_effect == pytest.approx(0, abs=1e-15)


counts = st.tuples(st.integers(0, 400), st.integers(0, 400)).map(lambda t: (min(t), max(t)))  # numerator ≤ den
periods = st.dictionaries(st.sampled_from("ABCDEFG"), counts, min_size=1, max_size=7)


@settings(max_examples=300, deadline=None)
@given(periods, periods)
def test_rate_and_mix_effects_add_up_exactly_to_the_change(old, new):
    """Σwₙrₙ − Σwₒrₒ = Σwₙ(rₙ − rₒ) + Σ(wₙ − wₒ)rₒ, exactly, whatever appears or disappears; per part too."""
    if sum(d for _, d in old.values()) == 0 or sum(d for _, d in new.values()) == 0:
        with pytest.raises(ValueError):
            shift_share(old, new)
        return
    mean_old, mean_new, parts = shift_share(old, new)
    assert sum(p.rate_effect + p.mix_effect for p in parts.values()) == mean_new - mean_old
    assert sum(p.rate_effect for p in parts.values()) + sum(p.mix_uncentred for p in parts.values()) == \
        mean_new - mean_old
    for p in parts.values():
        assert p.w_new * p.r_new - p.w_old * p.r_old == p.rate_effect + p.mix_uncentred
    frame_old = pd.DataFrame([{"field": k, "n": n, "d": d} for k, (n, d) in old.items()])
    frame_new = pd.DataFrame([{"field": k, "n": n, "d": d} for k, (n, d) in new.items()])
    dec = decompose(frame_old, frame_new, ["n"], ["d"], "field")
    assert dec.change == float(mean_new - mean_old)
    assert dec.parts["total"].sum() == pytest.approx(dec.new_rate - dec.old_rate, abs=1e-12)
    assert (dec.parts["rate_effect"] + dec.parts["mix_effect"] - dec.parts["total"]).abs().max() < 1e-15


@given(st.lists(st.floats(-50, 50, allow_nan=False), min_size=1, max_size=6))
def test_apportioned_parts_add_up_to_the_rounded_total(values):
    total = sum(values)
    rounded = apportion(values, total)
    assert round(sum(rounded) * 100) == round(round(total, 2) * 100)
    assert all(abs(r - v) < 0.01 + 1e-9 for r, v in zip(rounded, values))


def test_apportion_by_hand():
    """4,204 + 1,204 = 5,408 is stated 5,41: one part takes the extra hundredth (4,21 + 1,20 or 4,20 + 1,21)."""
    assert sum(apportion([4.204, 1.204], 5.408)) == pytest.approx(5.41)
    assert apportion([4.2, 1.2], 5.4) == [4.2, 1.2]
    assert apportion([0.5, -0.5], 0.0) == [0.5, -0.5]
