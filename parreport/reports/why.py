"""Why a rate moved and where the 766 points are: ready content blocks for the briefing and the overview.

Two questions a director asks first, answered from the figures the reports already hold:

* **Why did the rate move?** (:func:`change_section_blocks` for a unit, :func:`province_change_blocks` for the
  province) The change of the on-time rate and of the online share against an earlier period, split into the
  part due to the fields (units) doing better or worse and the part due to dossiers shifting between them
  (:mod:`parreport.metrics.decompose`): one or two sentences naming the main contributors, a table of the
  figures per field (unit) — which every format renders, Word and Excel included — and a compact chart.
* **Where are the points?** (:func:`reach_blocks` for a unit, :func:`province_reach_blocks` for the province)
  The 766 points lost per group, ranked, and for the indicators computed from dossiers how many more dossiers
  on time (online, digitised, paid online) reach the target and the next whole point
  (:mod:`parreport.metrics.reach`).

Each builder returns a list of blocks (:mod:`parreport.reports.content`) to put in a section; :func:`change_section`,
:func:`province_change_section`, :func:`reach_section` and :func:`province_reach_section` wrap them in a
:class:`~parreport.reports.content.Section` of their own.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from parreport import fmt
from parreport.catalogue import GROUPS, INDICATORS, TOTAL_MAX
from parreport.metrics.decompose import (APPEARED, GONE, NEW_EMPTY, NEW_UNKNOWN, OLD_EMPTY, OLD_UNKNOWN,
                                         Decomposition, apportion, decompose_measure)
from parreport.metrics.reach import INDICATORS as REACHABLE, COMPUTED_SOURCE, group_losses, indicator_reach, \
    target_of, unit_losses
from parreport.periods import Period
from parreport.reports.content import Chart, Column, Note, Paragraphs, Section, Table, plain

if TYPE_CHECKING:
    from parreport.metrics.dossiers import DossierData

MEASURE_NAMES = ("on_time_rate", "online_share")
CHANGE_KEY, CHANGE_TITLE = "why", "Nguyên nhân thay đổi các tỷ lệ"
PROVINCE_CHANGE_TITLE = "Các cơ quan, đơn vị tác động đến thay đổi tỷ lệ toàn tỉnh"
REACH_KEY, REACH_TITLE = "reach", "Điểm có thể cải thiện (Bộ chỉ số 766)"
PP = "điểm phần trăm"
COMPUTED_MARK = "(tính từ dữ liệu hồ sơ)"  # as the 766 section marks what dossiers give
CONTRIBUTORS = 2  # parts a sentence names
CHANGE_NOTE = (
    "Cách phân tích: thay đổi của một tỷ lệ giữa hai kỳ được chia đúng bằng tổng của hai phần — phần do tỷ lệ trong "
    "từng {noun} thay đổi, Σ wₙ·(rₙ − rₒ), và phần do cơ cấu hồ sơ giữa các {noun} thay đổi, Σ (wₙ − wₒ)·rₒ — "
    "trong đó w là tỷ trọng của {noun} trong số hồ sơ đã giải quyết (với tỷ lệ tiếp nhận trực tuyến: trong số hồ "
    "sơ tiếp nhận mới), r là tỷ lệ của {noun}, o là kỳ so sánh, n là kỳ này. Phần do cơ cấu của từng {noun} được "
    "tính so với tỷ lệ chung của kỳ so sánh: hồ sơ chuyển sang {noun} có tỷ lệ cao hơn mức chung thì làm tăng tỷ "
    "lệ. {Noun} mới có hồ sơ hoặc không còn hồ sơ được tính toàn bộ vào phần cơ cấu. Số liệu đã làm tròn.")
REACH_NOTE = (
    "Điểm còn thiếu = điểm tối đa − điểm công bố (nhóm tiến độ chưa có điểm công bố: điểm tính từ dữ liệu hồ sơ). "
    "Số hồ sơ cần thêm: số hồ sơ ít nhất trong chính số hồ sơ của kỳ cần được xử lý đúng hạn (hoặc số hóa, tiếp "
    "nhận trực tuyến, thanh toán trực tuyến) thay vì không, để tỷ lệ đạt mức nêu; tỷ lệ đúng bằng mục tiêu là đạt. "
    "Điểm tính theo công thức của Bộ chỉ số 766, không làm tròn (18,996 điểm chưa đạt 19 điểm).")


@dataclass(frozen=True)
class Words:
    """How the sentences name a rate."""

    label: str  # "Tỷ lệ giải quyết đúng hạn và trước hạn"
    short: str  # "tỷ lệ đúng hạn"
    better: str  # "giải quyết đúng hạn tốt hơn" (the parts' own rates rose)
    worse: str
    base: str  # what the weights are shares of: "hồ sơ đã giải quyết"
    unknown: str  # why a count may be unknown


WORDS = {
    "on_time_rate": Words(INDICATORS["on_time_rate"].label, "tỷ lệ đúng hạn", "giải quyết đúng hạn tốt hơn",
                          "giải quyết đúng hạn kém hơn", "hồ sơ đã giải quyết",
                          "không ghi nhận đủ kết quả giải quyết hồ sơ"),
    "online_share": Words(INDICATORS["online_share"].label, "tỷ lệ tiếp nhận trực tuyến",
                          "tiếp nhận trực tuyến nhiều hơn", "tiếp nhận trực tuyến ít hơn", "hồ sơ tiếp nhận mới",
                          "không ghi nhận đủ hình thức nộp hồ sơ"),
}


@dataclass(frozen=True)
class Parts:
    """How the sentences and tables name the parts a rate is split into."""

    noun: str  # "lĩnh vực"
    prefix: str  # put before a part's name in a sentence: "lĩnh vực " (a unit's name says what it is)
    column: str  # the table's first column
    other: str  # the chart's bar of the other parts
    joiner: str  # between two names in a sentence (unit names hold "và" themselves)


TABLE_PARTS = 15  # parts listed one by one in a table (a province's 100 communes would fill pages); the rest summed
FIELDS = Parts("lĩnh vực", "lĩnh vực ", "Lĩnh vực", "Các lĩnh vực khác", " và ")
UNITS = Parts("đơn vị", "", "Cơ quan, đơn vị", "Các đơn vị khác", ", ")


def _sign(value: float) -> int:
    return (value > 0) - (value < 0)


def _moved(old: float, new: float, written=fmt.percent) -> str:
    """"từ 90,00% lên 95,40%", "từ … xuống …", "giữ ở mức …"."""
    if written(old) == written(new):
        return f"giữ ở mức {written(new)}"
    return f"từ {written(old)} {'lên' if new > old else 'xuống'} {written(new)}"


def _points(value: float) -> str:
    """Percentage points without sign: ``0.042`` → ``4,20 điểm phần trăm``."""
    return f"{fmt.number(abs(value), 2)} {PP}"


# --- why a rate moved ------------------------------------------------------------------------------------
def comparisons(period: Period) -> list[tuple[Period, str]]:
    """The earlier periods a change is stated against, with how a sentence names them: the previous period and,
    except for a year, the same period a year earlier ("cùng kỳ năm 2023")."""
    found = [(period.previous(), period.previous().label_vi)]
    if period.kind != "Y":
        found.append((period.year_ago(), f"cùng kỳ năm {period.year_ago().year}"))
    return found


def _mix_phrase(dec: Decomposition, sign: int, parts: Parts, names: dict) -> str:
    """"cơ cấu hồ sơ chuyển sang lĩnh vực Hộ tịch": the parts whose share moved the rate in the direction
    ``sign`` the most (the first, and the second when it did at least half as much)."""
    frame = dec.parts
    along = frame[frame["mix_effect"] * sign > 0]
    along = along.reindex(along["mix_effect"].abs().sort_values(ascending=False, kind="stable").index)
    if along.empty:
        return f"thay đổi cơ cấu hồ sơ giữa các {parts.noun}"
    first = float(abs(along["mix_effect"].iloc[0]))
    named = along[along["mix_effect"].abs() >= first / 2].head(CONTRIBUTORS)
    towards = [names.get(key, key) for key, row in named.iterrows() if row["w_new"] > row["w_old"]]
    away = [names.get(key, key) for key, row in named.iterrows() if row["w_new"] <= row["w_old"]]
    if towards and away:
        return (f"cơ cấu hồ sơ chuyển từ {parts.prefix}{parts.joiner.join(away)} sang "
                f"{parts.prefix}{parts.joiner.join(towards)}")
    if towards:
        return f"cơ cấu hồ sơ chuyển sang {parts.prefix}{parts.joiner.join(towards)}"
    return f"cơ cấu hồ sơ chuyển khỏi {parts.prefix}{parts.joiner.join(away)}"


def _reason(dec: Decomposition, words: Words, label: str, period: Period) -> str:
    return {OLD_EMPTY: f"{label} không có {words.base}",
            NEW_EMPTY: f"{period.label_vi} không có {words.base}",
            OLD_UNKNOWN: f"dữ liệu {label} {words.unknown}",
            NEW_UNKNOWN: f"dữ liệu {period.label_vi} {words.unknown}"}[dec.reason]


def change_sentences(dec: Decomposition, measure: str, label: str, period: Period, parts: Parts = FIELDS,
                     names: dict | None = None, subject: str = "") -> list[str]:
    """One or two sentences: the change of ``measure`` against ``label`` (the earlier period as a sentence
    names it) split into the parts' own rates and the mix, naming the fields (units) that shifted; then the
    parts that moved the rate most. ``subject`` follows the rate's name (" toàn tỉnh"). Without a
    decomposition, the sentence says why."""
    words, names = WORDS[measure], names or {}
    if not dec:
        return [f"Chưa phân tích được nguyên nhân thay đổi {words.short}{subject} so với {label}: "
                f"{_reason(dec, words, label, period)}."]
    change = dec.change
    stated = round(change * 100, 2)
    within, mix = apportion([dec.rate_effect * 100, dec.mix_effect * 100], change * 100)
    rate_phrase = lambda sign: f"các {parts.noun} {words.better if sign > 0 else words.worse}"  # noqa: E731
    phrase = {"within": rate_phrase(_sign(within)), "mix": _mix_phrase(dec, _sign(mix), parts, names)}
    if stated == 0:
        head = f"{words.label}{subject} không đổi so với {label} ({fmt.percent(dec.new_rate)})"
    else:
        head = (f"{words.label}{subject} {fmt.pp_change(change)} so với {label} "
                f"({_moved(dec.old_rate, dec.new_rate)})")
    values = {"within": within, "mix": mix}
    if within == 0 and mix == 0:
        first = head + "."
    elif stated != 0 and within * stated >= 0 and mix * stated >= 0:
        if within and mix:
            first = (f"{head}, trong đó {_points(within)} do {phrase['within']} và {_points(mix)} do "
                     f"{phrase['mix']}.")
        elif within:
            first = f"{head}, do {phrase['within']}; cơ cấu hồ sơ giữa các {parts.noun} hầu như không tác động."
        else:
            first = f"{head}, do {phrase['mix']}; tỷ lệ trong từng {parts.noun} hầu như không tác động."
    else:  # the two pull in opposite directions: the one the rate followed first
        order = sorted(values, key=lambda key: -abs(values[key]))
        said = [f"{phrase[key]} làm {'tăng' if values[key] > 0 else 'giảm'} {_points(values[key])}" for key in order]
        first = f"{head}: {said[0]}, {'nhưng' if stated == 0 else 'còn'} {said[1]}."
    sentences = [fmt.nfc(first)]
    contributors = _contributors(dec, words, parts, names, stated)
    if contributors:
        sentences.append(fmt.nfc(contributors))
    return sentences


def _contributors(dec: Decomposition, words: Words, parts: Parts, names: dict, stated: float) -> str | None:
    """"Lĩnh vực tác động nhiều nhất: Hộ tịch (làm tăng 1,50 điểm phần trăm; …) và …"; None with a single part
    (the first sentence says it all) or none that moved the rate by 0,01 point or more."""
    frame = dec.parts
    if len(frame) < 2:
        return None
    moved = frame[(frame["total"] * 100).round(2) != 0]
    if stated != 0:
        moved = moved[moved["total"] * stated > 0]
    moved = moved.head(CONTRIBUTORS)
    if moved.empty:
        return None
    items = []
    for key, row in moved.iterrows():
        if row["status"] == APPEARED:
            detail = f"kỳ so sánh không có {words.base}, kỳ này {words.short} {fmt.percent(row['r_new'])}"
        elif row["status"] == GONE:
            detail = f"kỳ này không có {words.base}, kỳ so sánh {words.short} {fmt.percent(row['r_old'])}"
        elif abs(row["rate_effect"]) >= abs(row["mix_effect"]):
            detail = f"{words.short} {_moved(row['r_old'], row['r_new'])}"
        else:
            detail = (f"tỷ trọng trong {words.base} {_moved(row['w_old'], row['w_new'])}, {words.short} kỳ so sánh "
                      f"{fmt.percent(row['r_old'])}")
        direction = "tăng" if row["total"] > 0 else "giảm"
        items.append(f"{names.get(key, key)} (làm {direction} {_points(row['total'] * 100)}; {detail})")
    return f"{fmt.capital(parts.noun)} tác động nhiều nhất: {'; '.join(items)}."


def change_table(dec: Decomposition, measure: str, label: str, old_period: Period, period: Period,
                 parts: Parts = FIELDS, names: dict | None = None, subject: str = "", name: str = "") -> Table:
    """The figures per part behind the sentences: in each period the dossiers of the base, their share and the
    rate; the contributions in percentage points (own rate, mix, their sum); a Tổng row."""
    words, names = WORDS[measure], names or {}
    old_group, new_group = fmt.capital(old_period.label_vi), fmt.capital(period.label_vi)
    contribution = f"Đóng góp vào thay đổi ({PP})"
    base_label = fmt.capital(words.base)
    columns = [
        Column("part", parts.column, "text"),
        Column("den_old", base_label, group=old_group),
        Column("w_old", "Tỷ trọng", "percent", group=old_group),
        Column("r_old", fmt.capital(words.short), "percent", group=old_group),
        Column("den_new", base_label, group=new_group),
        Column("w_new", "Tỷ trọng", "percent", group=new_group),
        Column("r_new", fmt.capital(words.short), "percent", group=new_group),
        Column("rate_effect", f"Do tỷ lệ trong {parts.noun}", "score", group=contribution),
        Column("mix_effect", "Do cơ cấu hồ sơ", "score", group=contribution),
        # Ungrouped, so that PDF tagging gives its cells a header: WeasyPrint maps a grouped last column to none.
        Column("total", f"Tổng đóng góp ({PP})", "score"),
    ]
    shown, rest = dec.parts.iloc[:TABLE_PARTS], dec.parts.iloc[TABLE_PARTS:]
    rows = [[names.get(key, key), *_table_values(row)] for key, row in shown.iterrows()]
    if not rest.empty:
        rows.append([f"{parts.other} ({len(rest)})", *_table_values(_summed(rest))])
    rows.append(["Tổng", dec.old_base, 1.0, dec.old_rate, dec.new_base, 1.0, dec.new_rate, dec.rate_effect * 100,
                 dec.mix_effect * 100, dec.change * 100])
    title = f"{fmt.capital(words.short)}{subject} so với {label}: đóng góp của từng {parts.noun}"
    note = (f"Tỷ trọng: tỷ trọng trong {words.base}. Đóng góp tính bằng {PP}; cột Tổng đóng góp của dòng Tổng là thay đổi "
            f"của {words.short}{subject}. \"–\": {parts.noun} không có {words.base} trong kỳ."
            + (f" Bảng nêu {TABLE_PARTS} {parts.noun} đóng góp nhiều nhất; {len(rest)} {parts.noun} khác được cộng "
               "chung một dòng." if not rest.empty else ""))
    return Table(name or f"why_{measure}", title, columns, rows, total=True, note=note)


def _table_values(row: pd.Series) -> list:
    values = plain(row)
    return [values["den_old"], values["w_old"], values["r_old"], values["den_new"], values["w_new"], values["r_new"],
            values["rate_effect"] * 100, values["mix_effect"] * 100, values["total"] * 100]


def _summed(parts: pd.DataFrame) -> pd.Series:
    """Several parts as one: their bases, shares and contributions summed, their rate from the summed counts."""
    summed = parts[["den_old", "den_new", "w_old", "w_new", "rate_effect", "mix_effect", "total"]].sum()
    for when in ("old", "new"):
        base = parts[f"den_{when}"].sum()
        summed[f"r_{when}"] = parts[f"num_{when}"].sum() / base if base else None
    return summed


def change_chart(dec: Decomposition, measure: str, label: str, parts: Parts = FIELDS,
                 names: dict | None = None, subject: str = "") -> Chart:
    """The compact chart of the contributions per part (:func:`parreport.reports.why_charts.contributions`)."""
    from parreport.reports import why_charts  # Matplotlib is loaded only where a chart is drawn

    names = names or {}
    frame = pd.DataFrame({"label": [names.get(key, key) for key in dec.parts.index],
                          "rate_effect": dec.parts["rate_effect"].to_numpy(dtype="float64"),
                          "mix_effect": dec.parts["mix_effect"].to_numpy(dtype="float64")})
    title = f"Đóng góp vào thay đổi {WORDS[measure].short}{subject} so với {label}"
    return why_charts.contributions(frame, title, parts.noun, parts.other)


def _blocks(decompositions: dict[str, Decomposition], label: str, old_period: Period, period: Period,
            parts: Parts, names: dict, chart_names: dict, subject: str, charts: tuple[str, ...],
            suffix: str) -> list:
    sentences, tables, drawn = [], [], []
    for measure, dec in decompositions.items():
        sentences += change_sentences(dec, measure, label, period, parts, names, subject)
        if dec and measure in charts:  # the charted rates get their figures too; the others, sentences
            drawn.append(change_chart(dec, measure, label, parts, chart_names, subject))
            tables.append(change_table(dec, measure, label, old_period, period, parts, names, subject,
                                       name=f"why_{measure}_{suffix}"))
    return [Paragraphs(sentences), *drawn, *tables]


def _suffix(old_period: Period, period: Period) -> str:
    return "year" if old_period == period.year_ago() and period.kind != "Y" else "prev"


def _label(old_period: Period, period: Period) -> str:
    return f"cùng kỳ năm {old_period.year}" if _suffix(old_period, period) == "year" else old_period.label_vi


def change_section_blocks(dossiers: DossierData, period: Period, department: str, previous_period: Period,
                          label: str | None = None, measures: tuple[str, ...] = MEASURE_NAMES,
                          charts: tuple[str, ...] = ("on_time_rate",)) -> list:
    """Why the unit's rates moved between ``previous_period`` and ``period`` (``dossiers``: a
    :class:`~parreport.metrics.dossiers.DossierData`): a :class:`Paragraphs` with one or two sentences per rate
    of ``measures``, and a :class:`Chart` and a :class:`Table` of the figures per rate of ``charts``.
    ``label`` names the earlier period in the sentences (default: "quý I năm 2024", or "cùng kỳ năm 2023"
    for the same period a year earlier). Without data for the unit in the earlier period: one sentence."""
    label = label or _label(previous_period, period)
    if not dossiers.has_data(previous_period, department, as_of=period):
        return [Paragraphs([f"Chưa có dữ liệu hồ sơ của {label} để phân tích nguyên nhân thay đổi các tỷ lệ."])]
    old, new = dossiers.unit_fields(previous_period, as_of=period), dossiers.unit_fields(period)
    old, new = old[old["department"] == department], new[new["department"] == department]
    decompositions = {measure: decompose_measure(old, new, measure, "field") for measure in measures}
    return _blocks(decompositions, label, previous_period, period, FIELDS, {}, {}, "", charts,
                   _suffix(previous_period, period))


def province_change_blocks(dossiers: DossierData, period: Period, previous_period: Period, label: str | None = None,
                           measures: tuple[str, ...] = MEASURE_NAMES,
                           charts: tuple[str, ...] = ("on_time_rate",)) -> list:
    """Which units moved the province's rates between ``previous_period`` and ``period``: the same blocks as
    :func:`change_section_blocks`, with units (of the registry, named in full in sentences and tables and by
    their short names on the chart) in place of fields. The province sums the units with data (docs/data.md
    §3.4): a unit without data in one of the periods appears or disappears."""
    label = label or _label(previous_period, period)
    old, new = dossiers.unit_fields(previous_period, as_of=period), dossiers.unit_fields(period)
    if old.empty:
        return [Paragraphs([f"Chưa có dữ liệu hồ sơ của {label} để phân tích nguyên nhân thay đổi các tỷ lệ "
                            "toàn tỉnh."])]
    registry = dossiers.registry
    names = {unit.code: unit.name for unit in registry}
    short = {unit.code: unit.short_name for unit in registry}
    decompositions = {measure: decompose_measure(old, new, measure, "department") for measure in measures}
    return _blocks(decompositions, label, previous_period, period, UNITS, names, short, " toàn tỉnh", charts,
                   _suffix(previous_period, period))


def change_section(dossiers: DossierData, period: Period, department: str) -> Section:
    """The unit's section: :func:`change_section_blocks` against the previous period (with the chart) and,
    except for a year, the same period a year earlier (sentences and tables), then how it is computed."""
    blocks = []
    for index, (earlier, label) in enumerate(comparisons(period)):
        blocks += change_section_blocks(dossiers, period, department, earlier, label,
                                        charts=("on_time_rate",) if index == 0 else ())
    return Section(CHANGE_KEY, CHANGE_TITLE, [*blocks, Note(change_note(FIELDS))])


def province_change_section(dossiers: DossierData, period: Period) -> Section:
    """The overview's section: :func:`province_change_blocks` against the previous period (with the chart)
    and, except for a year, the same period a year earlier, then how it is computed."""
    blocks = []
    for index, (earlier, label) in enumerate(comparisons(period)):
        blocks += province_change_blocks(dossiers, period, earlier, label,
                                         charts=("on_time_rate",) if index == 0 else ())
    return Section(CHANGE_KEY, PROVINCE_CHANGE_TITLE, [*blocks, Note(change_note(UNITS))])


def change_note(parts: Parts = FIELDS) -> str:
    """How the change is split, in the words of ``parts``."""
    return CHANGE_NOTE.format(noun=parts.noun, Noun=fmt.capital(parts.noun))


# --- where the points are --------------------------------------------------------------------------------
GROUP_LOSS_COLUMNS = [
    Column("group", "Nhóm chỉ số", "text"),
    Column("max_score", "Điểm tối đa", "score"),
    Column("score", "Điểm đạt", "score"),
    Column("source", "Nguồn điểm", "text"),
    Column("lost", "Điểm còn thiếu", "score"),
]
REACH_COLUMNS = [
    Column("indicator", "Chỉ tiêu (tính từ dữ liệu hồ sơ)", "text"),
    Column("ratio", "Tỷ lệ", "percent"),
    Column("points", "Điểm tính được", "score"),
    Column("max_score", "Điểm tối đa", "score"),
    Column("lost", "Điểm còn thiếu", "score"),
    Column("target", "Mục tiêu", "percent", group="Đạt mục tiêu"),
    Column("to_target", "Số hồ sơ cần thêm", group="Đạt mục tiêu"),
    Column("next_point", "Điểm", "score", group="Đạt điểm nguyên kế tiếp"),
    Column("to_next_point", "Số hồ sơ cần thêm", group="Đạt điểm nguyên kế tiếp"),
    Column("to_full", "Số hồ sơ cần thêm để đạt điểm tối đa"),
]
SOURCES = {"official": "Công bố", COMPUTED_SOURCE: "Tính từ dữ liệu hồ sơ"}


def _whole(points: float) -> str:
    return fmt.number(points, 0 if float(points).is_integer() else 2)


def reach_sentences(row: dict, targets: dict[str, float] | None = None, subject: str = "Đơn vị") -> list[str]:
    """Where the unit's points are: its official total and the groups losing most, then per computable
    indicator below its maximum or target the dossiers more that reach the next whole point and the target."""
    sentences = []
    groups = group_losses(row).dropna(subset=["lost"])
    losing = groups[groups["lost"] > 0].head(3)
    listed = ", ".join(f"{r.label} ({fmt.number(r.lost, 2)} điểm)" for r in losing.itertuples())
    total = row.get("official_total")
    if total is not None and not pd.isna(total):
        lost = max(0.0, float(TOTAL_MAX) - float(total))
        text = (f"{subject} đạt {fmt.score(total, TOTAL_MAX)} Bộ chỉ số 766, còn {fmt.number(lost, 2)} điểm có "
                f"thể cải thiện")
        sentences.append(text + (f"; thiếu nhiều nhất ở nhóm {listed}." if listed else "."))
    elif listed:
        sentences.append(f"Theo điểm đã có, {subject} còn thiếu nhiều điểm nhất ở nhóm {listed}.")
    for r in indicator_reach(row, targets).itertuples():
        if pd.isna(r.ratio):
            continue
        sentence = _indicator_sentence(r)
        if sentence:
            sentences.append(sentence)
    return [fmt.nfc(sentence) for sentence in sentences]


def _indicator_sentence(r) -> str | None:
    """"Tỷ lệ …: 94,75% → 18,95/20 điểm; thêm 1 hồ sơ xử lý đúng hạn (trong 400 hồ sơ) thì đạt 19 điểm, thêm 1
    hồ sơ thì đạt mục tiêu 95,00%, thêm 21 hồ sơ thì đạt điểm tối đa."; None when nothing is left to win."""
    scored = not pd.isna(r.points)
    below = not pd.isna(r.to_target) and r.to_target > 0
    if (not scored or r.lost <= 0) and not below:
        return None
    state = (f"{fmt.percent(r.ratio)} → {fmt.score(r.points, r.max_score)}" if scored
             else f"{fmt.percent(r.ratio)}")
    steps = []  # (dossiers, what they reach), fewest first; equal counts said once
    if scored and not pd.isna(r.to_next_point) and r.next_point < r.max_score:  # else: said as the maximum
        steps.append((int(r.to_next_point), f"đạt {_whole(r.next_point)} điểm"))
    if below:
        steps.append((int(r.to_target), f"đạt mục tiêu {fmt.percent(r.target)}"))
    if scored and not pd.isna(r.to_full) and r.lost > 0:
        steps.append((int(r.to_full), f"đạt điểm tối đa {_whole(r.max_score)} điểm"))
    merged: dict[int, list[str]] = {}
    for count, reached in sorted(steps, key=lambda step: step[0]):
        if reached not in merged.setdefault(count, []):
            merged[count].append(reached)
    clauses = []
    for index, (count, reached) in enumerate(merged.items()):
        what = f"{fmt.number(count)} {r.what} (trong tổng số {fmt.number(r.denominator)} hồ sơ)" if index == 0 \
            else f"{fmt.number(count)} hồ sơ"
        clauses.append(f"thêm {what} thì {' và '.join(reached)}")
    return f"{r.label} {COMPUTED_MARK}: {state}; {', '.join(clauses)}."


def reach_tables(row: dict, targets: dict[str, float] | None = None) -> list[Table]:
    """The points lost per group (ranked) and the computable indicators' dossiers within reach."""
    groups = group_losses(row)
    group_rows = [[r.label, r.max_score, None if pd.isna(r.score) else float(r.score),
                   SOURCES.get(r.source) if isinstance(r.source, str) else None,
                   None if pd.isna(r.lost) else float(r.lost)] for r in groups.itertuples()]
    tables = [Table("reach_groups", "Điểm còn thiếu theo nhóm chỉ số", GROUP_LOSS_COLUMNS, group_rows,
                    note="Xếp theo điểm còn thiếu, nhiều nhất trước; \"–\": chưa có điểm.")]
    reach = indicator_reach(row, targets)
    if reach["ratio"].notna().any():  # without dossier data nothing is computed: no table of dashes
        reach_rows = [[plain(r)[column.key] if column.key != "indicator" else r["label"] for column in REACH_COLUMNS]
                      for _, r in reach.iterrows()]
        tables.append(Table("reach_indicators", "Số hồ sơ cần thêm để đạt mục tiêu và điểm kế tiếp", REACH_COLUMNS,
                            reach_rows, note="Chỉ tiêu không có điểm tính được: Cổng Dịch vụ công quốc gia chấm theo "
                                             "dữ liệu khác; chỉ nêu mục tiêu."))
    return tables


def reach_blocks(figures_row: dict, targets: dict[str, float] | None = None, subject: str = "Đơn vị") -> list:
    """"Điểm có thể cải thiện" of a unit, from its row of the 766 figures (``Figures766.row(code)``: counts,
    rates, computed and official scores): sentences, the two tables of :func:`reach_tables` and how it is
    computed. ``subject`` names the unit at the start of a sentence ("Sở", "Sở Tư pháp")."""
    tables = reach_tables(figures_row, targets)
    note = REACH_NOTE if len(tables) > 1 else "Điểm còn thiếu = điểm tối đa − điểm công bố."  # no dossier data
    return [Paragraphs(reach_sentences(figures_row, targets, subject)), *tables, Note(note)]


PROVINCE_REACH_COLUMNS = [
    Column("rank", "Hạng"),
    Column("name", "Cơ quan, đơn vị", "text"),
    Column("lost_total", "Tổng điểm còn thiếu", "score"),
    *(Column(f"lost_{key}", group.label, "score", group="Điểm còn thiếu theo nhóm") for key, group in GROUPS.items()),
    Column("progress_to_next_point", "Để đạt điểm tiến độ kế tiếp", group="Số hồ sơ cần thêm xử lý đúng hạn"),
    Column("progress_to_target", "Để đạt mục tiêu tiến độ", group="Số hồ sơ cần thêm xử lý đúng hạn"),
]


def province_reach_sentences(frame: pd.DataFrame, targets: dict[str, float] | None = None) -> list[str]:
    """The groups the units lose most on average, the units with most points to win, and the dossiers on time
    every unit together needs for the progress target."""
    losses = _ranked_units(frame, targets)
    sentences = []
    groups = {key: losses[f"lost_{key}"].astype("Float64").dropna() for key in GROUPS}
    averages = sorted(((float(values.mean()), GROUPS[key].label) for key, values in groups.items() if len(values)),
                      reverse=True)
    complete = losses["lost_total"].dropna()
    if len(complete):
        listed = ", ".join(f"{label} ({fmt.number(value, 2)} điểm)" for value, label in averages[:3] if value > 0)
        sentences.append(f"Bình quân mỗi cơ quan, đơn vị có đủ điểm công bố còn thiếu "
                         f"{fmt.number(float(complete.mean()), 2)} điểm Bộ chỉ số 766"
                         + (f"; các nhóm thiếu nhiều nhất (bình quân): {listed}." if listed else "."))
    named = losses.dropna(subset=["lost_total"]).head(3)
    if named.empty:
        named = losses.dropna(subset=["lost_known"]).head(3)
    items = []
    for r in named.itertuples():
        lost = r.lost_total if not pd.isna(r.lost_total) else r.lost_known
        worst = f", nhiều nhất ở nhóm {GROUPS[r.worst_group].label}" if isinstance(r.worst_group, str) else ""
        items.append(f"{r.name} ({fmt.number(lost, 2)} điểm{worst})")
    if items:
        which = "tổng điểm" if not losses["lost_total"].dropna().empty else "điểm đã có"
        sentences.append(f"Các cơ quan, đơn vị còn nhiều điểm có thể cải thiện nhất (theo {which}): "
                         f"{'; '.join(items)}.")
    needed = losses.dropna(subset=["progress_to_target"])
    needed = needed[needed["progress_to_target"] > 0].sort_values("progress_to_target", ascending=False)
    if not needed.empty:
        target = target_of(REACHABLE["progress_766"], targets)
        top = ", ".join(f"{r.name} {fmt.number(r.progress_to_target)}" for r in needed.head(3).itertuples())
        sentences.append(f"Để mọi cơ quan, đơn vị đạt mục tiêu tiến độ giải quyết {fmt.percent(target)}, cần thêm "
                         f"tổng cộng {fmt.number(int(needed['progress_to_target'].sum()))} hồ sơ xử lý đúng hạn "
                         f"ở {len(needed)} đơn vị; nhiều nhất: {top}.")
    return [fmt.nfc(sentence) for sentence in sentences]


def _ranked_units(frame: pd.DataFrame, targets: dict[str, float] | None) -> pd.DataFrame:
    """:func:`parreport.metrics.reach.unit_losses` of the units the figures say something about."""
    losses = unit_losses(frame, targets)
    return losses[losses["lost_known"].notna() | losses["progress_to_target"].notna()].reset_index(drop=True)


def province_reach_table(frame: pd.DataFrame, targets: dict[str, float] | None = None) -> Table:
    """Every unit with points lost, ranked (ties share the better place; units without a complete official
    total after, unranked)."""
    losses = _ranked_units(frame, targets)
    ranks = losses["lost_total"].astype("Float64").rank(method="min", ascending=False).astype("Int64")
    rows = []
    for (_, r), rank in zip(losses.iterrows(), ranks):
        values = plain(r)
        values["rank"] = None if pd.isna(rank) else int(rank)
        rows.append([values[column.key] for column in PROVINCE_REACH_COLUMNS])
    return Table("reach_units", "Điểm Bộ chỉ số 766 còn thiếu của các cơ quan, đơn vị", PROVINCE_REACH_COLUMNS, rows,
                 note="Xếp theo tổng điểm còn thiếu (100 − tổng điểm công bố), nhiều nhất trước; đơn vị chưa đủ điểm "
                      "công bố của sáu nhóm không xếp hạng. Nhóm tiến độ chưa có điểm công bố: điểm tính từ dữ liệu "
                      "hồ sơ.")


def province_reach_blocks(frame: pd.DataFrame, targets: dict[str, float] | None = None) -> list:
    """"Điểm có thể cải thiện" of the province, from the 766 figures of every unit (``Figures766.frame``):
    sentences, the table of units ranked by points lost (:func:`province_reach_table`) and how it is computed."""
    return [Paragraphs(province_reach_sentences(frame, targets) or
                       ["Chưa có điểm Bộ chỉ số 766 nào của các cơ quan, đơn vị để xác định điểm có thể cải thiện."]),
            province_reach_table(frame, targets), Note(REACH_NOTE)]


def reach_section(figures_row: dict, targets: dict[str, float] | None = None, subject: str = "Đơn vị") -> Section:
    """:func:`reach_blocks` as a section of its own."""
    return Section(REACH_KEY, REACH_TITLE, reach_blocks(figures_row, targets, subject))


def province_reach_section(frame: pd.DataFrame, targets: dict[str, float] | None = None) -> Section:
    """:func:`province_reach_blocks` as a section of its own."""
    return Section(REACH_KEY, REACH_TITLE, province_reach_blocks(frame, targets))
