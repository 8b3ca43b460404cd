"""Why a rate moved: a change of a rate between two periods split into within-part rate changes and mix shift.

A unit's on-time rate is the average of its fields' rates weighted by each field's share of the resolved
dossiers, so it moves for two reasons: the fields close their dossiers on time better or worse (**rate
effect**), or the dossiers shift toward fields that close on time more or less often (**mix effect**). The
province's rate is, in the same way, its units' rates weighted by their shares, so the same split says which
units moved it. :func:`decompose` makes that split per part (a field, or a unit) and in total.

The shift-share convention
--------------------------
For each part ``k`` with numerator ``a`` and denominator ``d`` in the old (``o``) and new (``n``) period,
``D = Σ d`` over the parts and the overall rate ``R̄ = Σ a / D``::

    wₖ = dₖ / D              the part's share of the denominator (its weight)
    rₖ = aₖ / dₖ             the part's own rate
    rate effect (total)  Σ wₙ·(rₙ − rₒ)
    mix effect (total)   Σ (wₙ − wₒ)·rₒ

The two add up **exactly** to the change of the overall rate. Since ``Σ w·r = Σ (d/D)·(a/d) = Σ a / D = R̄``::

    R̄ₙ − R̄ₒ = Σ wₙrₙ − Σ wₒrₒ
            = Σ (wₙrₙ − wₙrₒ + wₙrₒ − wₒrₒ)          (adding and taking away wₙrₒ in each term)
            = Σ wₙ(rₙ − rₒ) + Σ (wₙ − wₒ)rₒ.

Per part, the mix term is written **centred** on the old overall rate, ``(wₙ − wₒ)·(rₒ − R̄ₒ)``: both weights
sum to 1, so ``Σ (wₙ − wₒ) = 0`` and ``Σ (wₙ − wₒ)(rₒ − R̄ₒ) = Σ (wₙ − wₒ)rₒ − R̄ₒ·0`` — the same total as the
issue's ``Σ (wₙ − wₒ)·rₒ``. The centred term is what a director can read per field: a shift toward a field that
closes on time **more often than average** raises the rate, a shift toward one below average lowers it
(uncentred, every field that gains share would show a positive mix effect, however badly it does). Example
(tests/test_decompose.py): field A 90/100 on time, then 45/50; field B 30/50, then 120/200. Old: wₒ = 2/3, 1/3,
R̄ₒ = 120/150 = 80 %; new: wₙ = 1/5, 4/5, R̄ₙ = 165/250 = 66 %. Neither field changed its rate (rate effect 0);
the mix effect is Σ (wₙ − wₒ)rₒ = (1/5 − 2/3)·0,9 + (4/5 − 1/3)·0,6 = −0,42 + 0,28 = −0,14 = 66 % − 80 %.
Centred: A −7/15 × (0,9 − 0,8) = −4,67 points, B +7/15 × (0,6 − 0,8) = −9,33 points: dossiers moved to B,
the field that closes on time less often.

Parts that appear or disappear
------------------------------
* A part with no old denominator (a field with no dossier resolved in the old period, a new unit) has no old
  rate. It is taken at its new rate (``rₒ := rₙ``): it has no earlier performance to improve on, so its rate
  effect is 0 and its whole contribution is composition — the mix term ``wₙ·(rₙ − R̄ₒ)``, positive when it
  closes on time more often than the old average (the "entry" term of the Foster–Haltiwanger–Krizan
  decomposition). ``r_old`` stays NA in the result (there is no old figure to state).
* A part with no new denominator has ``wₙ = 0``: its rate effect ``wₙ·(rₙ − rₒ)`` is 0 whatever ``rₙ`` is, and
  its mix term is ``−wₒ·rₒ`` uncentred, ``−wₒ·(rₒ − R̄ₒ)`` centred (the exit term): losing a field that closed
  on time less often than average raises the rate.
* Either imputation keeps the exact sum: in ``Σ wₙrₙ − Σ wₒrₒ`` the imputed rate is always multiplied by a
  weight of 0. Parts with no denominator in either period are left out.

No rate, no decomposition: when either period's total denominator is 0 (nothing resolved), or a count is
unknown (NA, docs/data.md §3.4), :func:`decompose` returns a :class:`Decomposition` whose ``reason`` says which
(:data:`OLD_EMPTY`, :data:`NEW_EMPTY`, :data:`OLD_UNKNOWN`, :data:`NEW_UNKNOWN`) and whose parts are empty.

The measures: the on-time rate ((early + on time) / resolved) weights by the share of **resolved** dossiers, as
the issue defines ``w``; the online share (new online / new) weights by the share of **new** dossiers, its own
denominator — the only base for which ``Σ w·r`` is the rate. Arithmetic is exact (:class:`fractions.Fraction`
on the integer counts); the frame holds floats of the exact values.
"""
from __future__ import annotations

import math
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction

import pandas as pd

OLD_EMPTY, NEW_EMPTY = "old_empty", "new_empty"  # the period's total denominator is 0 (e.g. nothing resolved)
OLD_UNKNOWN, NEW_UNKNOWN = "old_unknown", "new_unknown"  # a count the rate needs is unknown (NA)

CONTINUING, APPEARED, GONE = "continuing", "appeared", "gone"  # a part's status
COLUMNS = ["num_old", "den_old", "num_new", "den_new", "w_old", "w_new", "r_old", "r_new",
           "rate_effect", "mix_effect", "total", "status"]


@dataclass(frozen=True)
class Measure:
    """A rate that can be decomposed: its catalogue name and the count columns summed into its numerator and
    denominator (the denominator is also the base of the weights)."""

    name: str
    numerator: tuple[str, ...]
    denominator: tuple[str, ...]


ON_TIME = Measure("on_time_rate", ("resolved_early", "resolved_on_time"),
                  ("resolved_early", "resolved_on_time", "resolved_late"))
ONLINE = Measure("online_share", ("new_online",), ("new",))
MEASURES: dict[str, Measure] = {measure.name: measure for measure in (ON_TIME, ONLINE)}


@dataclass(frozen=True)
class ShiftShare:
    """The exact split of one part (see the module docstring); rates imputed for an appearing or a
    disappearing part are those the convention gives (``r_old`` = ``r_new`` or ``r_new`` = ``r_old``)."""

    num_old: int
    den_old: int
    num_new: int
    den_new: int
    w_old: Fraction
    w_new: Fraction
    r_old: Fraction
    r_new: Fraction
    rate_effect: Fraction
    mix_effect: Fraction  # centred on the old overall rate
    mix_uncentred: Fraction  # (wₙ − wₒ)·rₒ, the per-part term
    status: str

    @property
    def total(self) -> Fraction:
        return self.rate_effect + self.mix_effect


def shift_share(old: Mapping[Hashable, tuple[int, int]], new: Mapping[Hashable, tuple[int, int]]
                ) -> tuple[Fraction, Fraction, dict[Hashable, ShiftShare]]:
    """The exact decomposition of integer counts: ``old`` and ``new`` map each part to (numerator,
    denominator). Returns the old and new overall rates and the split per part (parts with a denominator in
    either period, in the order first seen). Both total denominators must be positive."""
    d_old = sum(den for _, den in old.values())
    d_new = sum(den for _, den in new.values())
    if d_old <= 0 or d_new <= 0:
        raise ValueError("both periods need a positive total denominator")
    mean_old = Fraction(sum(num for num, _ in old.values()), d_old)
    mean_new = Fraction(sum(num for num, _ in new.values()), d_new)
    parts = {}
    for key in dict.fromkeys([*old, *new]):
        num_o, den_o = old.get(key, (0, 0))
        num_n, den_n = new.get(key, (0, 0))
        if den_o == 0 and den_n == 0:
            continue
        w_o, w_n = Fraction(den_o, d_old), Fraction(den_n, d_new)
        if den_o and den_n:
            status, r_o, r_n = CONTINUING, Fraction(num_o, den_o), Fraction(num_n, den_n)
        elif den_n:  # appeared: no old rate, taken at its new one
            status, r_n = APPEARED, Fraction(num_n, den_n)
            r_o = r_n
        else:  # gone: no new rate, taken at its old one (its weight is 0)
            status, r_o = GONE, Fraction(num_o, den_o)
            r_n = r_o
        parts[key] = ShiftShare(num_o, den_o, num_n, den_n, w_o, w_n, r_o, r_n,
                                rate_effect=w_n * (r_n - r_o), mix_effect=(w_n - w_o) * (r_o - mean_old),
                                mix_uncentred=(w_n - w_o) * r_o, status=status)
    return mean_old, mean_new, parts


@dataclass(frozen=True)
class Decomposition:
    """A rate's change between two periods, split per part (:func:`decompose`).

    ``parts``: one row per part, indexed by the ``by`` key — ``num_old``, ``den_old``, ``num_new``, ``den_new``
    (counts), ``w_old``, ``w_new`` (shares of the denominator), ``r_old``, ``r_new`` (the part's rates; NA where
    it has no dossier), ``rate_effect``, ``mix_effect`` (centred), ``total`` (their sum) and ``status``
    (:data:`CONTINUING`, :data:`APPEARED`, :data:`GONE`), largest ``|total|`` first. Effects are ratio
    differences (× 100 for percentage points). ``reason`` is set (the parts empty, the figures None) when
    there is no decomposition; ``exact`` keeps each part's :class:`ShiftShare`. (A frame alone could not carry
    the overall figures and the reason other than in its fragile ``attrs``; hence this small record.)"""

    by: str
    parts: pd.DataFrame
    old_rate: float | None = None
    new_rate: float | None = None
    old_base: int | None = None  # the total denominators
    new_base: int | None = None
    reason: str | None = None
    exact: dict = field(default_factory=dict, repr=False, compare=False)

    def __bool__(self) -> bool:
        return self.reason is None

    def _sum(self, term: str) -> float | None:
        if self.reason:
            return None
        return float(sum((getattr(part, term) for part in self.exact.values()), Fraction(0)))

    @property
    def change(self) -> float | None:
        """New overall rate − old overall rate (= :attr:`rate_effect` + :attr:`mix_effect`, exactly)."""
        return self._sum("total")

    @property
    def rate_effect(self) -> float | None:
        """Σ wₙ·(rₙ − rₒ): the change due to the parts' own rates, at the new shares."""
        return self._sum("rate_effect")

    @property
    def mix_effect(self) -> float | None:
        """Σ (wₙ − wₒ)·rₒ: the change due to the shares alone, at the old rates."""
        return self._sum("mix_effect")


def _sums(frame: pd.DataFrame, columns: tuple[str, ...] | list[str], by: str) -> pd.DataFrame | None:
    """Per ``by`` key: the sum of ``columns``; None when any count is unknown (the rate is then unknown)."""
    if frame.empty:
        return pd.DataFrame({"value": pd.Series(dtype="int64")})
    values = frame[list(columns)].astype("Float64")
    if values.isna().any().any():
        return None
    total = values.sum(axis=1).groupby(frame[by], sort=False).sum()
    return pd.DataFrame({"value": total.astype("int64")})


def _counts(frame: pd.DataFrame, numerator, denominator, by: str) -> dict | None:
    top, bottom = _sums(frame, numerator, by), _sums(frame, denominator, by)
    if top is None or bottom is None:
        return None
    return {key: (int(top.at[key, "value"]), int(bottom.at[key, "value"])) for key in bottom.index}


def decompose(old: pd.DataFrame, new: pd.DataFrame, numerator: list[str] | tuple[str, ...],
              denominator: list[str] | tuple[str, ...], by: str) -> Decomposition:
    """Split the change of the rate Σ numerator / Σ denominator between ``old`` and ``new`` (tidy frames of
    counts, one or more rows per ``by`` key: a unit's fields with ``by="field"``, the units' fields with
    ``by="department"``) into rate and mix effects per key (see the module docstring for the convention, its
    proof and how keys that appear or disappear are handled). ``rate_effect + mix_effect`` of the parts adds up
    to ``new_rate − old_rate`` exactly (in exact arithmetic; to within float rounding in the frame)."""
    counts_old = _counts(old, numerator, denominator, by)
    counts_new = _counts(new, numerator, denominator, by)
    empty = pd.DataFrame(columns=COLUMNS, index=pd.Index([], name=by))
    for counts, unknown, nothing in ((counts_old, OLD_UNKNOWN, OLD_EMPTY), (counts_new, NEW_UNKNOWN, NEW_EMPTY)):
        if counts is None:
            return Decomposition(by, empty, reason=unknown)
        if sum(den for _, den in counts.values()) == 0:
            return Decomposition(by, empty, reason=nothing)
    mean_old, mean_new, exact = shift_share(counts_old, counts_new)
    rows = [{by: key, "num_old": p.num_old, "den_old": p.den_old, "num_new": p.num_new, "den_new": p.den_new,
             "w_old": float(p.w_old), "w_new": float(p.w_new),
             "r_old": float(p.r_old) if p.den_old else pd.NA, "r_new": float(p.r_new) if p.den_new else pd.NA,
             "rate_effect": float(p.rate_effect), "mix_effect": float(p.mix_effect),
             "total": float(p.rate_effect) + float(p.mix_effect), "status": p.status}
            for key, p in exact.items()]
    parts = pd.DataFrame(rows, columns=[by, *COLUMNS]).set_index(by)
    parts = parts.astype({"num_old": "int64", "den_old": "int64", "num_new": "int64", "den_new": "int64",
                          "r_old": "Float64", "r_new": "Float64"})
    order = parts["total"].abs().sort_values(ascending=False, kind="stable").index
    return Decomposition(by, parts.loc[order], float(mean_old), float(mean_new),
                         sum(den for _, den in counts_old.values()), sum(den for _, den in counts_new.values()),
                         exact=exact)


def decompose_measure(old: pd.DataFrame, new: pd.DataFrame, measure: Measure | str, by: str) -> Decomposition:
    """:func:`decompose` of a :data:`MEASURES` rate (``"on_time_rate"`` or ``"online_share"``)."""
    measure = MEASURES[measure] if isinstance(measure, str) else measure
    return decompose(old, new, measure.numerator, measure.denominator, by)


def apportion(values: list[float], total: float, digits: int = 2) -> list[float]:
    """``values`` rounded to ``digits`` so that they add up to ``total`` rounded the same way (largest
    remainder): the parts of a change stated as "tăng 5,40 điểm phần trăm, trong đó 4,20 … và 1,20 …" add up.
    ``values`` should add up to ``total`` (a decomposition's parts do, to within float rounding)."""
    scale = 10 ** digits
    target = round(round(total, digits) * scale)
    scaled = [value * scale for value in values]
    floors = [int(_floor(value)) for value in scaled]
    short = target - sum(floors)
    by_remainder = sorted(range(len(values)), key=lambda i: scaled[i] - floors[i], reverse=True)
    if short >= 0:
        for i in by_remainder[:short]:
            floors[i] += 1
    else:  # only through float noise: take from the smallest remainders
        for i in by_remainder[::-1][:-short]:
            floors[i] -= 1
    return [floor / scale for floor in floors]


def _floor(value: float) -> float:
    """Floor that absorbs binary noise (4.2 × 100 = 420.00000000000006 is 420)."""
    nearest = round(value)
    return nearest if abs(value - nearest) < 1e-9 else math.floor(value)
