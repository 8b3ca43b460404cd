"""The chart of why a rate moved: each field's (or unit's) contribution, within-field rate vs mix shift.

Drawn in the house style of :mod:`parreport.reports.charts` (its figure, fonts, PNG and alternative text);
kept apart from it so that the decomposition's charts can grow without touching the reports' common ones.
"""
from __future__ import annotations

import textwrap

import pandas as pd
from matplotlib import rc_context
from matplotlib.ticker import FuncFormatter

from parreport import fmt
from parreport.reports.charts import ACCENT, HOUSE_STYLE, empty, finish, new_figure
from parreport.reports.content import Chart

MIX_COLOUR = "#f0b429"
TOP = 6  # parts drawn one by one; the others are summed into one bar
TITLE_WIDTH = 64  # characters of a title line that fit the figure's width
RATE_LABEL, MIX_LABEL = "Do tỷ lệ trong {noun}", "Do cơ cấu hồ sơ"


def signed(value: float, digits: int = 2) -> str:
    """A contribution in percentage points with its sign: ``0.012`` → ``+1,20``, ``-0.006`` → ``−0,60``."""
    points = round(float(value) * 100, digits)
    if points == 0:
        return fmt.number(0, digits)
    return ("+" if points > 0 else "−") + fmt.number(abs(points), digits)


def _wrapped(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(text, width)) or text


def _tick(value: float, digits: int) -> str:
    """An axis tick in percentage points: ``−0,10``, ``0,00``, ``0,10`` (no "−0,00")."""
    value = round(float(value), digits)
    return ("−" if value < 0 else "") + fmt.number(abs(value), digits)


def _top(frame: pd.DataFrame, other_label: str, top: int) -> pd.DataFrame:
    """The ``top`` parts with the largest contribution, the others summed into ``other_label`` (a bar only
    when they add up to something)."""
    data = frame[["label", "rate_effect", "mix_effect"]].astype({"rate_effect": "float64", "mix_effect": "float64"})
    data = data.assign(total=data["rate_effect"] + data["mix_effect"])
    data = data.reindex(data["total"].abs().sort_values(ascending=False, kind="stable").index)
    if len(data) > top:
        rest = data.iloc[top - 1:]
        data = pd.concat([data.iloc[:top - 1], pd.DataFrame([{
            "label": f"{other_label} ({len(rest)})", "rate_effect": rest["rate_effect"].sum(),
            "mix_effect": rest["mix_effect"].sum(), "total": rest["total"].sum()}])], ignore_index=True)
    return data.reset_index(drop=True)


def contributions(frame: pd.DataFrame, title: str, noun: str = "lĩnh vực", other_label: str = "Các lĩnh vực khác",
                  top: int = TOP) -> Chart:
    """Contributions to a rate's change (``frame``: columns ``label``, ``rate_effect``, ``mix_effect`` as ratio
    differences, e.g. the parts of a :class:`~parreport.metrics.decompose.Decomposition`), in percentage
    points: per part a bar for its within-``noun`` rate change and one for the mix shift, the largest
    contributors on top, the others summed in one bar; each bar ends with its signed value."""
    data = _top(frame, other_label, top) if not frame.empty else frame
    if data.empty or (data[["rate_effect", "mix_effect"]].abs() < 5e-5).all().all():
        return empty(title, "Không có thay đổi đáng kể để phân tích")
    rate_label = RATE_LABEL.format(noun=noun)
    data = data.iloc[::-1].reset_index(drop=True)  # the largest on top
    rate, mix = data["rate_effect"] * 100, data["mix_effect"] * 100
    low = min(0.0, float(rate.min()), float(mix.min()))
    high = max(0.0, float(rate.max()), float(mix.max()))
    span = high - low
    digits = 2 if span < 1 else 1 if span < 10 else 0
    with rc_context(HOUSE_STYLE):
        fig, axes = new_figure(0.9 + 0.36 * len(data))
        positions = pd.RangeIndex(len(data))
        axes.barh(positions + 0.19, rate, height=0.36, color=ACCENT, label=rate_label)
        axes.barh(positions - 0.19, mix, height=0.36, color=MIX_COLOUR, label=MIX_LABEL)
        for y, values in ((positions + 0.19, data["rate_effect"]), (positions - 0.19, data["mix_effect"])):
            for at, value in zip(y, values):
                if round(value * 100, 2) != 0:  # a bar too short to see gets no label either
                    axes.text(value * 100, at, f" {signed(value)} ", va="center",
                              ha="left" if value >= 0 else "right", fontsize=7.5)
        axes.axvline(0, color="#52606d", linewidth=0.8)
        axes.set_xlim(low - (0.25 if low < 0 else 0.02) * span, high + (0.25 if high > 0 else 0.02) * span)
        axes.set_yticks(list(positions), [_wrapped(label, 30) for label in data["label"]], fontsize=8)
        axes.xaxis.set_major_formatter(FuncFormatter(lambda value, _pos: _tick(value, digits)))
        axes.set_xlabel("điểm phần trăm", fontsize=8)
        axes.grid(axis="x")
        axes.grid(axis="y", visible=False)
        axes.set_title(_wrapped(title, TITLE_WIDTH))
        fig.legend(loc="outside lower center", ncols=2)
    listed = "; ".join(f"{row.label}: {rate_label.lower()} {signed(row.rate_effect)}, "
                       f"{MIX_LABEL.lower()} {signed(row.mix_effect)}" for row in data.iloc[::-1].itertuples())
    total = float(data["rate_effect"].sum() + data["mix_effect"].sum())
    alt = (f"{title}, theo {noun}, tính bằng điểm phần trăm (tổng cộng {signed(total)}): {listed}.")
    return finish(fig, title, alt)
