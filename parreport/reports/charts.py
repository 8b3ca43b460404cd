"""The reports' charts in one house style, with Vietnamese labels and number formatting.

Each function takes a small frame and returns a :class:`parreport.reports.content.Chart`: a PNG at print
resolution (:data:`DPI`; text rasterised from the bundled DejaVu fonts, so every format shows the same
diacritics) with a Vietnamese alternative text. Figures are built without pyplot: nothing is shown twice
and nothing leaks between charts.
"""
from __future__ import annotations

import io
import textwrap

import matplotlib
import numpy as np
import pandas as pd
from PIL import Image
from matplotlib import rc_context
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from parreport import fmt
from parreport.reports.content import Chart

ACCENT, PROVINCE_GREY, LATE_RED = "#0b4f71", "#9aa5b1", "#b42318"
RESOLVED_COLOURS = {"resolved_early": "#2f855a", "resolved_on_time": "#68d391", "resolved_late": LATE_RED}
RESOLVED_LABELS = {"resolved_early": "Trước hạn", "resolved_on_time": "Đúng hạn", "resolved_late": "Quá hạn"}
CHANNEL_COLOURS = (ACCENT, "#48a9c5", "#f0b429", "#9aa5b1")
WIDTH_IN = 7.0  # a full A4 text width

HOUSE_STYLE = {
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.titlesize": 10.5,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.titley": 1.0,  # just above the axes, where Matplotlib's own search would put it: none of our axes
                         # has labels on top; the search measured every tick label at each layout pass
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.edgecolor": "#52606d",
    "axes.grid": True,
    "axes.grid.axis": "y",
    "grid.color": "#d9e2ec",
    "grid.linewidth": 0.6,
    "legend.frameon": False,
}
DPI = 200  # print resolution of the PNG images
PNG_COMPRESSION = 1  # zlib level: faster to write than the default 6, files a little larger (docs/performance.md)


def finish(figure: Figure, title: str, alt: str) -> Chart:
    """The figure as a chart block: a PNG (the same bytes on every run) and its alternative text.

    The figure is laid out and drawn in one pass (``savefig`` draws it twice with a layout engine) and saved
    without an alpha channel, since the figure's background is opaque white: WeasyPrint writes an alpha
    channel into the PDF as a second image, re-encoded for every report."""
    canvas = FigureCanvasAgg(figure)
    with rc_context(HOUSE_STYLE):
        canvas.draw()
    image = Image.frombuffer("RGBA", canvas.get_width_height(physical=True), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, format="PNG", compress_level=PNG_COMPRESSION)
    png = buffer.getvalue()
    chart = Chart(title=title, alt=fmt.nfc(alt), png=png, width_in=round(image.width / DPI, 2))
    chart.figure = figure  # kept for exploration and tests; not part of the content
    return chart


def new_figure(height_in: float) -> tuple[Figure, object]:
    """A full-width figure with one axes; call inside ``rc_context(HOUSE_STYLE)`` like every chart."""
    fig = Figure(figsize=(WIDTH_IN, height_in), dpi=DPI, layout="constrained")
    return fig, fig.add_subplot()


def percent_axis(axis) -> None:
    axis.set_major_formatter(FuncFormatter(lambda value, _pos: fmt.percent(value, digits=0)))


def count_axis(axis) -> None:
    axis.set_major_locator(MaxNLocator(integer=True))
    axis.set_major_formatter(FuncFormatter(lambda value, _pos: fmt.number(value)))


def empty(title: str, message: str) -> Chart:
    """A chart with nothing to draw: its title and why (its alternative text says the same)."""
    with rc_context(HOUSE_STYLE):
        fig, axes = new_figure(1.2)
        axes.set_title(title)
        axes.axis("off")
        axes.text(0.5, 0.4, message, ha="center", va="center", color="#52606d", transform=axes.transAxes)
    return finish(fig, title, f"{title}: {message[:1].lower()}{message[1:]}.")


def ontime_trend(frame: pd.DataFrame, unit_label: str) -> Chart:
    """On-time rate per period (columns period_label, unit, province): the unit against the province."""
    return _unit_and_province(frame, unit_label, "Tỷ lệ giải quyết đúng hạn và trước hạn",
                              "Chưa có hồ sơ được giải quyết trong các kỳ này", "Toàn tỉnh", fmt.percent,
                              percent_axis, lambda low: (max(0.0, min(low, 0.9) - 0.02), 1.01))


def score_trend(frame: pd.DataFrame, unit_label: str, maximum: float, others: dict[str, str] | None = None,
                average_label: str = "Trung bình toàn tỉnh") -> Chart:
    """Official 766 total per quarter (columns period_label, unit, province = the average of the units, or of
    the unit's group: ``average_label`` names it, e.g. "Trung bình các xã, phường"), and one line per unit
    merged into the unit (``others``: column of ``frame`` → short name), each over the quarters before the
    merger: never summed. Lines differ by style and marker as well as colour, so they stay apart in grey
    print; the legend names each."""
    return _unit_and_province(frame, unit_label, "Tổng điểm Bộ chỉ số 766 (điểm công bố)",
                              "Chưa có điểm công bố trong các quý này", average_label,
                              lambda value: fmt.score(value, maximum), lambda axis: axis.set_major_formatter(
                                  FuncFormatter(lambda value, _pos: fmt.number(value))),
                              lambda low: (max(0.0, min(low, 0.8 * maximum) - 0.02 * maximum), 1.01 * maximum),
                              others or {})


# Lines of the units merged into a unit (score_trend): colour, line style, marker — apart in grey print too.
BEFORE_STYLES = (("#b7791f", (0, (5, 2)), "s"), ("#2f855a", (0, (1.5, 1.5)), "^"),
                 ("#805ad5", (0, (6, 2, 1.5, 2)), "D"), ("#c05621", (0, (3, 3)), "v"))


def _unit_and_province(frame: pd.DataFrame, unit_label: str, title: str, nothing: str, province_label: str,
                       written, value_axis, limits, others: dict[str, str] | None = None) -> Chart:
    """A line per period of the unit against the province, the unit's last value written above its point
    and the legend under the axes; with ``others`` (column → label) a dashed line with its own marker for each.
    ``written`` writes a value, ``value_axis`` formats the y axis, ``limits`` gives it from the lowest value."""
    others = others or {}
    if frame[["unit", *others]].isna().all().all():
        return empty(title, nothing)
    with rc_context(HOUSE_STYLE):
        fig, axes = new_figure(2.8 if not others else 3.1)
        positions = range(len(frame))
        unit = frame["unit"].astype("float64")
        province = frame["province"].astype("float64")
        axes.plot(positions, province, color=PROVINCE_GREY, linewidth=1.6, marker="o", markersize=3.5,
                  label=province_label, **({"linestyle": (0, (1, 1.5))} if others else {}))
        lowest = [unit.min(skipna=True), province.min(skipna=True)]
        for (column, label), (colour, style, marker) in zip(others.items(), BEFORE_STYLES * len(others)):
            values = frame[column].astype("float64")
            axes.plot(positions, values, color=colour, linewidth=1.8, linestyle=style, marker=marker,
                      markersize=4.5, markerfacecolor="white", label=label)
            lowest.append(values.min(skipna=True))
        axes.plot(positions, unit, color=ACCENT, linewidth=2.2, marker="o", markersize=4.5, label=unit_label)
        last = unit.last_valid_index()
        if last is not None:
            axes.annotate(written(unit[last]), (positions[last], unit[last]), textcoords="offset points",
                          xytext=(0, 7), ha="center", color=ACCENT, fontweight="bold")
        axes.set_ylim(*limits(np.nanmin(lowest)))
        axes.set_xticks(list(positions), frame["period_label"])
        value_axis(axes.yaxis)
        axes.set_title(title)
        fig.legend(loc="outside lower center", ncols=min(4, 2 + len(others)))  # no line can run beneath it
    labels = frame["period_label"]
    alt = (f"{title} của {unit_label} so với {province_label.lower()} từ {labels.iloc[0]} đến {labels.iloc[-1]}"
           + (f"; kỳ gần nhất đạt {written(unit[last])}" if last is not None else "")
           + (f", {province_label.lower()} {written(province.iloc[-1])}" if pd.notna(province.iloc[-1]) else ""))
    befores = []
    for column, label in others.items():
        values = frame[column].astype("float64")
        final = values.last_valid_index()
        if final is not None:
            befores.append(f"{label} (đến {labels.iloc[final]}: {written(values[final])})")
    if befores:
        alt += f"; trước khi hợp nhất, mỗi đơn vị một đường riêng: {', '.join(befores)}"
    return finish(fig, title, alt + ".")


def resolved_by_field(frame: pd.DataFrame) -> Chart:
    """Resolved dossiers per field, stacked early / on time / late (horizontal bars)."""
    parts = {column: (RESOLVED_LABELS[column], RESOLVED_COLOURS[column]) for column in RESOLVED_LABELS}
    return _stacked_by_field(frame, parts, "Hồ sơ đã giải quyết theo lĩnh vực",
                             "Không có hồ sơ được giải quyết trong kỳ")


def overdue_by_field(frame: pd.DataFrame) -> Chart:
    """Overdue dossiers per field: resolved late and still pending past their due day."""
    parts = {"resolved_late": ("Đã giải quyết quá hạn", LATE_RED),
             "pending_overdue": ("Đang giải quyết quá hạn", "#f5a097")}
    return _stacked_by_field(frame, parts, "Hồ sơ quá hạn theo lĩnh vực", "Không có hồ sơ quá hạn trong kỳ")


def _stacked_by_field(frame: pd.DataFrame, parts: dict[str, tuple[str, str]], title: str, message: str) -> Chart:
    """One horizontal bar per field (fields with nothing left out), stacked by ``parts``
    (column → legend label, colour), with the field's total written at the end of its bar. The legend
    sits under the axes, where no bar can lie beneath it."""
    data = frame.set_index("field")[list(parts)].fillna(0).astype("int64")
    data = data[data.sum(axis=1) > 0].iloc[::-1]
    if data.empty:
        return empty(title, message)
    with rc_context(HOUSE_STYLE):
        fig, axes = new_figure(1.15 + 0.32 * len(data))
        left = pd.Series(0, index=data.index)
        for column, (label, colour) in parts.items():
            axes.barh(data.index, data[column], left=left, color=colour, label=label, height=0.62)
            left = left + data[column]
        for y, total in enumerate(left):
            axes.text(total, y, f" {fmt.number(total)}", va="center", fontsize=8)
        axes.grid(axis="x")
        axes.grid(axis="y", visible=False)
        count_axis(axes.xaxis)
        axes.set_xlim(0, left.max() * 1.15)
        axes.set_title(title)
        fig.legend(loc="outside lower center", ncols=len(parts))
    listed = "; ".join(f"{name} {fmt.number(total)}" for name, total in left.iloc[::-1].items())
    alt = f"{title} ({', '.join(label.lower() for label, _ in parts.values())}): {listed}."
    return finish(fig, title, alt)


def channel_mix(frame: pd.DataFrame) -> Chart:
    """New dossiers by channel (columns channel_label, count) as one 100 % bar with shares."""
    title = "Hồ sơ tiếp nhận mới theo hình thức nộp"
    data = frame[frame["count"] > 0]
    total = int(data["count"].sum())
    if total == 0:
        return empty(title, "Không có hồ sơ tiếp nhận mới trong kỳ")
    with rc_context(HOUSE_STYLE):
        fig, axes = new_figure(1.5)
        left = 0.0
        for colour, row in zip(CHANNEL_COLOURS, data.itertuples()):
            share = row.count / total
            axes.barh([0], [share], left=left, color=colour, height=0.5,
                      label=f"{row.channel_label}: {fmt.number(row.count)} ({fmt.percent(share, digits=1)})")
            if share >= 0.08:
                axes.text(left + share / 2, 0, fmt.percent(share, digits=1), ha="center", va="center",
                          color="white", fontweight="bold", fontsize=8)
            left += share
        axes.set_xlim(0, 1)
        axes.set_yticks([])
        axes.grid(False)
        percent_axis(axes.xaxis)
        axes.set_title(title)
        axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.35), ncols=len(data))
    listed = "; ".join(f"{row.channel_label} {fmt.number(row.count)} ({fmt.percent(row.count / total, digits=1)})"
                       for row in data.itertuples())
    return finish(fig, title, f"{title}, tổng số {fmt.number(total)} hồ sơ: {listed}.")


def _wrapped(label: str, width: int = 34) -> str:
    return "\n".join(textwrap.wrap(label, width)) or label


def par_areas(frame: pd.DataFrame, unit_label: str, average_label: str) -> Chart:
    """PAR Index areas (columns area, pct, average_pct): the unit's % of each area's maximum against the
    average of the units ranked with it (horizontal bars, first area on top)."""
    title = "Tỷ lệ điểm đạt được theo lĩnh vực Chỉ số CCHC"
    data = frame.iloc[::-1].reset_index(drop=True)
    with rc_context(HOUSE_STYLE):
        fig, axes = new_figure(0.9 + 0.42 * len(data))
        positions = pd.RangeIndex(len(data))
        unit = data["pct"].astype("float64").fillna(0)
        average = data["average_pct"].astype("float64").fillna(0)
        axes.barh(positions + 0.19, unit, height=0.38, color=ACCENT, label=unit_label)
        axes.barh(positions - 0.19, average, height=0.38, color=PROVINCE_GREY, label=average_label)
        for y, value in zip(positions, data["pct"]):
            axes.text(value, y + 0.19, f" {fmt.percent(value, digits=1)}", va="center", fontsize=7.5,
                      color=ACCENT)
        axes.set_yticks(list(positions), [_wrapped(area) for area in data["area"]], fontsize=8)
        axes.set_xlim(0, 1.1)
        axes.grid(axis="x")
        axes.grid(axis="y", visible=False)
        percent_axis(axes.xaxis)
        axes.set_title(title)
        fig.legend(loc="outside lower center", ncols=2)
    listed = "; ".join(f"{row.area} {fmt.percent(row.pct)} (bình quân {fmt.percent(row.average_pct)})"
                       for row in frame.itertuples())
    return finish(fig, title, f"{title} của {unit_label} so với {average_label.lower()}: {listed}.")


def rank_history(frame: pd.DataFrame, unit_label: str, set_name: str) -> Chart:
    """The unit's PAR Index rank per year (columns year, rank, rank_of): 1st at the top."""
    title = "Xếp hạng Chỉ số CCHC qua các năm"
    data = frame.dropna(subset=["rank"]).reset_index(drop=True)
    if data.empty:
        return empty(title, "Chưa có năm nào được xếp hạng")
    with rc_context(HOUSE_STYLE):
        fig, axes = new_figure(2.4)
        positions = range(len(data))
        ranks = data["rank"].astype("int64")
        axes.plot(positions, ranks, color=ACCENT, linewidth=2.2, marker="o", markersize=5)
        for x, rank, total in zip(positions, ranks, data["rank_of"]):
            axes.annotate(fmt.rank(rank, total), (x, rank), textcoords="offset points", xytext=(0, 7),
                          ha="center", color=ACCENT, fontweight="bold")
        worst = int(data["rank_of"].max())
        axes.set_ylim(worst + 0.5, 0.2)
        axes.set_yticks(sorted({1, worst, *range(5, worst + 1, 5)}))
        axes.set_ylabel("Thứ hạng")
        axes.set_xticks(list(positions), [str(year) for year in data["year"]])
        axes.set_xlim(-0.5, len(data) - 0.5)
        axes.set_title(title)
    listed = "; ".join(f"năm {row.year}: {fmt.rank(row.rank, row.rank_of)}" for row in data.itertuples())
    return finish(fig, title, f"Thứ hạng Chỉ số CCHC của {unit_label} trong {set_name}: {listed}.")


HEADER_SIZE = 7.5  # the heat map's column headers, on top of its axes


def _above_headers(lines: int) -> float:
    """The title's pad (points) over headers of ``lines`` lines on top of the axes, found without measuring
    them (the title's place is fixed, see ``axes.titley``): the tick pad, the headers' lines (DejaVu's line
    height × Matplotlib's line spacing 1,2 ≈ 1,4 × the size each) and a gap that also holds the title's
    descent."""
    return matplotlib.rcParams["xtick.major.pad"] + 1.4 * HEADER_SIZE * lines + 6


def heat_map(frame: pd.DataFrame, columns: dict[str, str], title: str) -> Chart:
    """Units × indicators (``frame``: column ``label`` and a ratio column per key of ``columns``, key →
    header). Each cell shows its value; its colour places it between the lowest (red) and the highest
    (green) value of its column, so columns on different scales compare. Missing values are grey "–"."""
    data = frame.reset_index(drop=True)
    values = data[list(columns)].astype("float64")
    low, high = values.min(), values.max()
    spread = (high - low).where(high > low, 1.0)
    position = (values - low) / spread
    flat = (high <= low).to_numpy()
    position.loc[:, flat] = position.loc[:, flat].where(values.loc[:, flat].isna(), 0.5)  # all equal: middle colour
    with rc_context(HOUSE_STYLE):
        fig, axes = new_figure(0.8 + 0.27 * len(data))
        cmap = matplotlib.colormaps["RdYlGn"].with_extremes(bad="#e4e7eb")
        masked = np.ma.masked_invalid(position.to_numpy(dtype="float64"))
        axes.imshow(masked, cmap=cmap, vmin=-0.15, vmax=1.15, aspect="auto")
        for (y, x), value in np.ndenumerate(values.to_numpy()):
            axes.text(x, y, fmt.percent(value, digits=1), ha="center", va="center", fontsize=7)
        headers = [_wrapped(label, 14) for label in columns.values()]
        axes.set_xticks(range(len(columns)), headers, fontsize=HEADER_SIZE)
        axes.xaxis.tick_top()
        axes.set_yticks(range(len(data)), data["label"], fontsize=7.5)
        axes.grid(False)
        axes.tick_params(length=0)
        for spine in axes.spines.values():
            spine.set_visible(False)
        axes.set_title(title, pad=_above_headers(max(header.count("\n") + 1 for header in headers)))
    best = "; ".join(f"{label} cao nhất {data['label'][values[key].idxmax()]} ({fmt.percent(values[key].max())})"
                     for key, label in columns.items() if values[key].notna().any())
    alt = (f"{title}: {len(data)} đơn vị × {len(columns)} chỉ tiêu, mỗi ô ghi giá trị, màu từ đỏ (thấp nhất cột) "
           f"đến xanh (cao nhất cột). {best}.")
    return finish(fig, title, alt)
