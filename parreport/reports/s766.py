"""The 766 section of the reports ("Chỉ số phục vụ người dân, doanh nghiệp (Bộ chỉ số 766)") and the
province-wide list of disagreements ``parreport check-766`` prints.

Official scores are the dashboard's; every figure computed from dossiers says so ("tính từ dữ liệu hồ sơ").
Labels, maxima and rules come from the catalogue (:mod:`parreport.catalogue`). Across a merger, the quarters
before it show each predecessor's own total beside the unit's, and a total is compared only with the unit's own
(a rename keeps one series); the predecessors' totals are named side by side, never summed (docs/data.md §2.5,
"Scores across mergers and renames").
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from parreport import fmt
from parreport.errors import ConfigError
from parreport.metrics import PROVINCE, DossierData, scorecard
from parreport.catalogue import COMPUTED, GROUPS, INDICATORS, SCORED, TOTAL_MAX, attention_points
from parreport.metrics.definitions import DEFAULT_TOLERANCE, check_tolerance
from parreport.metrics.s766 import (BEFORE, before_columns, cross_check, group_average_totals, has_official,
                                    official_averages, official_column, official_history, scorecard_766)
from parreport.periods import Period
from parreport.registry import GROUP_SETS, Registry, group_set
from parreport.reports.content import Column, Kpi, Kpis, Note, Paragraphs, Points, Section, Table, plain
from parreport.sources import open_store
from parreport.store import Store

KEY = "s766"
TITLE = "Chỉ số phục vụ người dân, doanh nghiệp (Bộ chỉ số 766)"
COMPUTED_MARK = "(tính từ dữ liệu hồ sơ)"
FLAG = "⚠ Chênh lệch:"  # opens every disagreement beyond the tolerance
SOURCE = "Cổng Dịch vụ công quốc gia (Bộ chỉ số 766, Quyết định 766/QĐ-TTg)"
# Rates the section lists beside the 766 scores: the computable 766 indicators and the apology rate.
RATES = [name for name, indicator in COMPUTED.items() if indicator.group] + ["apology_rate"]
# Computable indicators outside the index: their attention points stay in the briefing's own list.
OUTSIDE = [name for name, indicator in COMPUTED.items() if not indicator.group]
PROVINCE_AVERAGE = "Trung bình toàn tỉnh"  # the average's label without a registry (every unit)
MAX_FLAGS = 10  # disagreements the province section lists; the rest: parreport check-766


@dataclass
class Figures766:
    """The 766 figures of every unit for a period (:func:`parreport.metrics.s766.scorecard_766`), the
    official scores of the last quarters, and the tolerance of the cross-check."""

    period: Period
    frame: pd.DataFrame
    scores: pd.DataFrame  # the store's scores_766 table (every period)
    tolerance: float = DEFAULT_TOLERANCE
    movement: pd.DataFrame | None = None  # totals and ranks against the dashboard's previous snapshot
    _checks: pd.DataFrame | None = field(default=None, init=False, repr=False, compare=False)

    @classmethod
    def from_store(cls, store: Store, card: pd.DataFrame, period: Period,
                   tolerance: float = DEFAULT_TOLERANCE) -> "Figures766":
        """From a store and the dossier scorecard of ``period`` (every unit and the province)."""
        return cls.from_scores(store.table("scores_766"), card, period, tolerance)

    @classmethod
    def from_scores(cls, scores: pd.DataFrame, card: pd.DataFrame, period: Period,
                    tolerance: float = DEFAULT_TOLERANCE, movement: pd.DataFrame | None = None) -> "Figures766":
        """From the official scores (the store's ``scores_766`` table), the dossier scorecard and, where the
        store holds two snapshots of the period, the movement between them
        (:func:`~parreport.metrics.s766.snapshot_movement`)."""
        return cls(period, scorecard_766(card, scores, period), scores, check_tolerance(tolerance), movement)

    def moved(self, department: str) -> dict | None:
        """The unit's row of :attr:`movement`, or ``None``."""
        if self.movement is None or department not in set(self.movement["department"]):
            return None
        return plain(self.movement.set_index("department").loc[department])

    def row(self, department: str) -> dict:
        return plain(self.frame.set_index("department").loc[department])

    def average(self, group: str) -> dict:
        """The official figures' averages over the units of ``group`` (the same keys as the province row's:
        :func:`~parreport.metrics.s766.official_averages`)."""
        return official_averages(self.frame, group)

    def groups(self) -> dict[str, str]:
        """Department → group of the period's units (the registry's groups, as the frame has them)."""
        units = self.frame[self.frame["department"] != PROVINCE]
        return dict(zip(units["department"], units["group"]))

    def checks(self) -> pd.DataFrame:
        """:func:`~parreport.metrics.s766.cross_check` of the figures (computed once; do not modify it)."""
        if self._checks is None:
            self._checks = cross_check(self.frame, self.tolerance)
        return self._checks


# --- a unit's section ------------------------------------------------------------------------------------
def unit_section(figures: Figures766, department: str, unit_label: str, targets: dict[str, float],
                 dossiers: bool = True, registry: Registry | None = None) -> Section:
    """The section of a unit's briefing: official total and groups against their maximum and an average,
    rank, trend and, when the unit has ``dossiers`` data in the period, the rates computed from them, the
    cross-check and attention points. With the ``registry``, the average (KPI, groups table, trend, lineage
    table) is that of the units of the unit's own group ("Trung bình các xã, phường"), as its rank is, and
    the trend and the comparisons follow the unit's lineage
    (:func:`~parreport.metrics.s766.official_history`): quarters before a merger show each predecessor's
    total as its own series and in a table, and the comparisons name them side by side. Without it, the
    average is the province's ("Trung bình toàn tỉnh", every unit)."""
    unit, province = figures.row(department), figures.row(PROVINCE)
    group = registry.get(department).group if registry is not None and department in registry else None
    average, average_label = ((figures.average(group), f"Trung bình {group_set(group)}") if group is not None
                              else (province, PROVINCE_AVERAGE))
    ranked_among = group_set(group if group is not None else unit.get("group"))
    official = any(unit.get(f"official_{key}") is not None for key in GROUPS)
    history = official_history(figures.scores, figures.period, department, registry=registry)
    others = {column: registry.get(column[len(BEFORE):]).short_name for column in before_columns(history)} \
        if registry is not None else {}
    blocks: list = []
    if official:
        blocks.append(_unit_kpis(figures, history, unit, average, bool(others), average_label, ranked_among))
        compared = comparison_sentences(history, figures.period, unit_label, others, registry)
        if compared:
            blocks.append(Paragraphs(compared))
        moved = figures.moved(department)
        if moved is not None:
            blocks.append(Paragraphs([f"{movement_sentence(moved)} {SNAPSHOT_NOTE}"]))
        blocks.append(_groups_table(unit, average, dossiers, average_label,
                                    group_set(group) if group is not None else "các cơ quan, đơn vị"))
    else:
        missing = _no_official(figures, f" cho {unit_label}", _latest_total(history, figures.period, "unit"))
        computed = " Các số liệu dưới đây được tính từ dữ liệu hồ sơ." if dossiers else ""
        blocks.append(Paragraphs([missing + computed], notice=True))
    if dossiers:
        blocks += _computed_blocks(figures, department, unit, province, targets)
    if official or history["unit"].notna().any():  # a year without its own scores: its quarters' trend
        from parreport.reports import charts  # Matplotlib is loaded only where a chart is drawn

        blocks.append(charts.score_trend(history, unit_label, TOTAL_MAX, others, average_label))
        if others:
            blocks.append(lineage_table(history, unit_label, others, average_label))
    if dossiers:
        inside = [name for name in RATES if name not in OUTSIDE]
        blocks.append(Points(attention_points(unit, targets, inside), empty="Không có chỉ tiêu nào của Bộ chỉ số "
                                                                            "766 tính được từ dữ liệu hồ sơ thấp hơn mục tiêu."))
    blocks.append(Note(method_note(figures.tolerance) if dossiers else SOURCE_NOTE))
    return Section(KEY, TITLE, blocks)


def _computed_blocks(figures: Figures766, department: str, unit: dict, province: dict,
                     targets: dict[str, float]) -> list:
    """The rates computed from the unit's dossiers, their points beside the official ones, and every
    disagreement beyond the tolerance."""
    checks = figures.checks()
    checks = checks[checks["department"] == department].set_index("indicator")
    blocks = [_rates_table(unit, province, targets), Paragraphs(cross_check_sentences(unit, checks))]
    flags = [flag_sentence(row, figures.tolerance) for row in checks[checks["flagged"]].itertuples()]
    if flags:
        blocks.append(Paragraphs(flags, notice=True))
    return blocks


def official_headline(figures: Figures766, department: str) -> float | None:
    """The official total shown on the index: the period's own, else that of the last quarter inside the
    period that has one (the province: the average of its units); ``None`` without either."""
    own = figures.row(department).get("official_total")
    if own is not None:
        return float(own)
    history = official_history(figures.scores, figures.period, department)
    latest = _latest_total(history, figures.period, "province" if department == PROVINCE else "unit")
    return None if latest is None else float(latest[1])


def _no_official(figures: Figures766, whose: str, latest: tuple[Period, float] | None, total: str = "") -> str:
    """The sentence saying ``figures.period`` has no official scores (``whose``: " cho Sở TN&MT" or ""):
    none imported at all, or none for this period, and then the last quarter inside it that has a total
    (written after ``total``, e.g. "trung bình toàn tỉnh ")."""
    period = figures.period.label_vi
    if figures.scores.empty:
        return f"Chưa có điểm công bố của Bộ chỉ số 766 {period} (chưa nhập dữ liệu từ Cổng Dịch vụ công quốc gia)."
    sentence = (f"Chưa có điểm công bố của Bộ chỉ số 766 {period}{whose} trong dữ liệu đã nhập từ Cổng Dịch vụ "
                "công quốc gia")
    if latest is not None:
        quarter, points = latest
        sentence += (f"; trong {period} có điểm công bố theo quý, gần nhất là {quarter.label_vi}: "
                     f"{total}{fmt.score(points, TOTAL_MAX)}")
    return sentence + "."


def _latest_total(history: pd.DataFrame, period: Period, column: str) -> tuple[Period, float] | None:
    """The last quarter of an :func:`official_history` inside ``period`` with a known total in ``column``
    (``unit`` or ``province``), and that total."""
    quarters = [Period.parse(code, period.convention) for code in history["period"]]
    known = [(quarter, total) for quarter, total in zip(quarters, history[column])
             if quarter.start >= period.start and pd.notna(total)]
    return known[-1] if known else None


def _unit_kpis(figures: Figures766, history: pd.DataFrame, unit: dict, average: dict,
               lineage: bool = False, average_label: str = PROVINCE_AVERAGE,
               ranked_among: str = "các cơ quan, đơn vị cùng nhóm") -> Kpis:
    """Official total with its change on the quarter before (``history``: the unit's
    :func:`official_history`, ending with the period's quarter; only against the unit's own total — a
    ``lineage`` of merged units only points to their totals), rank among ``ranked_among`` (its group's set,
    "các xã, phường"), and the ``average`` row's total labelled ``average_label``."""
    previous = figures.period.previous()
    before = history["unit"].iloc[-2] if figures.period.kind == "Q" else pd.NA
    change = "" if pd.isna(before) or unit["official_total"] is None else (
        f"{_point_change(unit['official_total'] - before)} so với {previous.label_vi}")
    if not change and lineage and figures.period.kind == "Q" and any(
            pd.notna(history[column].iloc[-2]) for column in before_columns(history)):
        change = "quý trước: xem điểm từng đơn vị trước hợp nhất"
    return Kpis([
        Kpi(fmt.score(unit["official_total"], TOTAL_MAX), "Tổng điểm công bố", change),
        Kpi(fmt.rank(unit.get("official_total_rank"), unit.get("official_total_rank_of")),
            f"Xếp hạng tổng điểm trong {ranked_among}"),
        Kpi(fmt.score(average.get("official_total"), TOTAL_MAX), average_label),
    ])


def comparison_sentences(history: pd.DataFrame, period: Period, unit_label: str, others: dict[str, str],
                         registry: Registry | None = None) -> list[str]:
    """The unit's official total of a quarter ``period`` against the quarter before and the same quarter a
    year earlier (``history``: its :func:`official_history`), e.g. "Tổng điểm công bố quý II năm 2025 của
    Sở VH&TT đạt 85,00/100 điểm, giảm 1,00 điểm so với quý I năm 2025 (86,00 điểm) và tăng 3,00 điểm so
    với cùng kỳ năm 2024 (82,00 điểm, khi còn mang tên Sở VH).". A change is made only against the unit's
    own total (its former name's across a rename); where a quarter has only the totals of the units merged
    into it (``others``: column → short name), they are named side by side, never summed: "Cùng kỳ năm
    2024: Sở TN&MT đạt 82,44 điểm (xếp hạng 5/18), Sở NN&PTNT đạt 88,10 điểm (xếp hạng 2/18).". Nothing for
    a period that is not a quarter or without a total."""
    if period.kind != "Q" or history.empty or history["period"].iloc[-1] != period.code:
        return []
    rows = history.set_index("period")
    now = rows.at[period.code, "unit"]
    if pd.isna(now):
        return []
    changes, sentences, separate = [], [], False
    for then in (period.previous(), period.year_ago()):
        if then.code not in rows.index:
            continue
        row = rows.loc[then.code]
        when = then.label_vi if then == period.previous() else f"cùng kỳ năm {then.year}"
        if pd.notna(row["unit"]):
            former = row["unit_department"]
            renamed = (f", khi còn mang tên {registry.get(former).short_name}"
                       if registry is not None and former not in (None, history["unit_department"].iloc[-1]) else "")
            changes.append(f"{_point_change(now - row['unit'])} so với {when} "
                           f"({fmt.number(row['unit'], 2)} điểm{renamed})")
        own = pd.notna(row["unit"])  # the unit existed then and took the others in later (kept its code)
        listed = [f"{label}{f' (nay thuộc {unit_label})' if own else ''} đạt {fmt.number(row[column], 2)} điểm"
                  + _ranked(row, column) for column, label in others.items() if pd.notna(row[column])]
        if not listed:
            continue
        if not own:
            opening = fmt.capital(when) if then != period.previous() else f"Quý trước ({then.label_vi})"
            sentences.append(f"{opening}, trước khi hợp nhất: {', '.join(listed)}.")
            separate = True
        else:
            sentences.append(f"{fmt.capital(when)}, {', '.join(listed)}; điểm này không cộng vào điểm của "
                             f"{unit_label}.")
    opening = [f"Tổng điểm công bố {period.label_vi} của {unit_label} đạt {fmt.score(now, TOTAL_MAX)}, "
               f"{' và '.join(changes)}."] if changes else []
    closing = [f"Điểm của các đơn vị trước khi hợp nhất được nêu riêng, không cộng hay lấy bình quân, nên không "
               f"so sánh tăng, giảm với tổng điểm của {unit_label}."] if separate else []
    return [" ".join(opening + sentences + closing)] if opening or sentences else []


def _ranked(row: pd.Series, column: str) -> str:
    """" (xếp hạng 5/18)" for a series' total of an :func:`official_history` row when its rank is known."""
    rank, of = row.get(f"rank_{column}"), row.get(f"rank_of_{column}")
    return "" if pd.isna(rank) or pd.isna(of) else f" (xếp hạng {fmt.rank(rank, of)})"


def lineage_table(history: pd.DataFrame, unit_label: str, others: dict[str, str],
                  average_label: str = PROVINCE_AVERAGE) -> Table:
    """The official totals of the quarters of ``history`` in which the unit or a unit merged into it
    (``others``) has one: a column each, with its rank among that quarter's units of the same group, and the
    average of ``history`` (labelled ``average_label``). Side by side, never summed."""
    columns = [Column("period", "Quý", "text"), Column("unit", unit_label, "score"),
               Column("unit_rank", "Xếp hạng", "text")]
    for column, label in others.items():
        columns += [Column(column, label, "score"), Column(f"rank_{column}", "Xếp hạng", "text")]
    columns.append(Column("province", average_label, "score"))
    shown = history[history[["unit", *others]].notna().any(axis=1)]
    rows = []
    for _, row in shown.iterrows():
        rows.append([row["period_label"], _value(row["unit"]), _place(row, "unit_rank", "unit_rank_of"),
                     *(item for column in others for item in (_value(row[column]),
                                                              _place(row, f"rank_{column}", f"rank_of_{column}"))),
                     _value(row["province"])])
    return Table("s766_lineage", "Tổng điểm công bố theo quý của đơn vị và các đơn vị trước khi hợp nhất", columns,
                 rows, note=f"Điểm công bố: {SOURCE}. Mỗi đơn vị một cột, xếp hạng trong các cơ quan, đơn vị cùng nhóm "
                            "của từng quý; điểm của các đơn vị trước khi hợp nhất không được cộng hay lấy bình quân.")


def _value(value) -> float | None:
    return None if pd.isna(value) else float(value)


def _place(row: pd.Series, rank: str, of: str) -> str | None:
    return None if pd.isna(row[rank]) or pd.isna(row[of]) else fmt.rank(row[rank], row[of])


SNAPSHOT_NOTE = ("(Ngày cập nhật là ngày ghi trong dữ liệu xuất từ Cổng Dịch vụ công quốc gia; tệp không ghi ngày "
                 "thì lấy ngày của tệp.)")


def movement_sentence(moved: dict, name: str = "") -> str:
    """The unit's official total and rank in the latest snapshot against the one before, e.g. "Theo lần cập
    nhật ngày 28/11/2024, tổng điểm công bố đạt 82,44/100 điểm, tăng 0,44 điểm so với lần cập nhật ngày
    21/11/2024 (82,00 điểm); xếp hạng từ 3/16 lên 2/16."."""
    rank_now, rank_before = fmt.rank(moved["rank"], moved["rank_of"]), fmt.rank(moved["rank_before"],
                                                                               moved["rank_of_before"])
    if moved["rank"] == moved["rank_before"]:
        ranked = f"giữ hạng {rank_now}"
    else:
        ranked = f"xếp hạng từ {rank_before} {'lên' if moved['rank'] < moved['rank_before'] else 'xuống'} {rank_now}"
    whose = f"của {name} " if name else ""
    return (f"Theo lần cập nhật ngày {fmt.day(moved['snapshot'])}, tổng điểm công bố {whose}đạt "
            f"{fmt.score(moved['total'], TOTAL_MAX)}, {_point_change(moved['change'])} so với lần cập nhật ngày "
            f"{fmt.day(moved['snapshot_before'])} ({fmt.number(moved['total_before'], 2)} điểm); {ranked}.")


def _point_change(delta: float) -> str:
    """``1.2`` → ``tăng 1,20 điểm``."""
    points = round(float(delta), 2)
    if points == 0:
        return "không đổi"
    return f"{'tăng' if points > 0 else 'giảm'} {fmt.number(abs(points), 2)} điểm"


GROUP_COLUMNS = [
    Column("group", "Nhóm chỉ số", "text"),
    Column("max_score", "Điểm tối đa", "score"),
    Column("official", "Điểm công bố", "score"),
    Column("province", "Trung bình toàn tỉnh", "score"),
    Column("computed", f"Điểm {COMPUTED_MARK}", "score"),
]


def _groups_table(unit: dict, average: dict, dossiers: bool, average_label: str = PROVINCE_AVERAGE,
                  averaged: str = "các cơ quan, đơn vị") -> Table:
    """A row per group and the total: maximum, official score, the ``average`` row's (labelled
    ``average_label``: bình quân ``averaged`` having the score), and with ``dossiers`` the computed score
    where one indicator makes the whole group."""
    whole = {indicator.group: indicator for indicator in SCORED.values() if indicator.whole_group}
    rows = [[group.label, group.max_score, unit.get(f"official_{key}"), average.get(f"official_{key}"),
             unit.get(whole[key].score_name) if key in whole else None] for key, group in GROUPS.items()]
    rows.append(["Tổng", TOTAL_MAX, unit.get("official_total"), average.get("official_total"), None])
    columns = [replace(column, label=average_label) if column.key == "province" else column
               for column in GROUP_COLUMNS]
    columns = columns if dossiers else columns[:-1]
    rows = [row[:len(columns)] for row in rows]
    return Table("s766_groups", "Điểm theo nhóm chỉ số", columns, rows, total=True,
                 note=f"Điểm công bố: {SOURCE}. {average_label}: bình quân {averaged} có điểm.")


RATE_COLUMNS = [
    Column("indicator", "Chỉ tiêu", "text"),
    Column("group", "Nhóm chỉ số", "text"),
    Column("unit", "Đơn vị", "percent"),
    Column("province", "Toàn tỉnh", "percent"),
    Column("target", "Mục tiêu", "percent"),
    Column("computed", "Điểm tính được", "score"),
    Column("max_score", "Điểm tối đa", "score"),
    Column("official", "Điểm công bố", "score"),
]


def _rates_table(unit: dict, province: dict, targets: dict[str, float]) -> Table:
    rows = []
    for name in RATES:
        indicator = INDICATORS[name]
        rows.append([indicator.label, GROUPS[indicator.group].label if indicator.group else None,
                     unit.get(name), province.get(name), targets.get(name),
                     unit.get(indicator.score_name) if indicator.scored else None, indicator.max_score,
                     unit.get(official_column(indicator)) if indicator.scored else None])
    return Table("s766_rates", f"Chỉ tiêu {COMPUTED_MARK}", RATE_COLUMNS, rows,
                 note="Điểm tính được theo công thức của Bộ chỉ số 766; chỉ tiêu không có điểm là chỉ tiêu Cổng "
                      "Dịch vụ công quốc gia chấm theo dữ liệu khác (xem ghi chú cách tính).")


def cross_check_sentences(unit: dict, checks: pd.DataFrame) -> list[str]:
    """For each scored indicator: the ratio, the points it gives and the official points, e.g.
    "… (tính từ dữ liệu hồ sơ): tỷ lệ 96,40% → 19,28/20 điểm; điểm công bố 19,28."."""
    sentences = []
    for indicator in SCORED.values():
        ratio = unit.get(indicator.name)
        if ratio is None:
            sentences.append(f"{indicator.label} {COMPUTED_MARK}: dữ liệu hồ sơ không đủ để tính.")
            continue
        computed = f"tỷ lệ {fmt.percent(ratio)} → {fmt.score(unit[indicator.score_name], indicator.max_score)}"
        official = unit.get(official_column(indicator))
        said = ("chưa có điểm công bố của chỉ tiêu" if official is None else
                f"điểm công bố {fmt.number(official, 2)}" + (" (chênh lệch vượt ngưỡng)" if bool(
                    checks.at[indicator.name, "flagged"]) else ""))
        sentences.append(f"{indicator.label} {COMPUTED_MARK}: {computed}; {said}.")
    return sentences


def flag_sentence(check, tolerance: float) -> str:
    """A disagreement beyond the tolerance, with both numbers and its likely cause."""
    maximum = check.max_score
    return (f"{FLAG} {check.label} tính từ dữ liệu hồ sơ đạt {fmt.score(check.computed, maximum)}, điểm "
            f"công bố {fmt.score(check.official, maximum)} (chênh {fmt.number(abs(check.difference), 2)} điểm, "
            f"vượt ngưỡng {fmt.number(tolerance, 2)} điểm). Nguyên nhân có thể: {check.cause}.")


SOURCE_NOTE = ("Không có dữ liệu hồ sơ của kỳ này nên không có điểm tính lại từ dữ liệu hồ sơ để đối chiếu với điểm "
               "công bố.")


def method_note(tolerance: float) -> str:
    """How computed points are obtained, from the catalogue's rules."""
    rules = "; ".join(f"{indicator.label}: {indicator.rule}" + (
        f" ({indicator.caveat})" if indicator.caveat else "") for indicator in SCORED.values())
    return (f"Điểm công bố: {SOURCE}; tổng điểm tối đa {fmt.number(TOTAL_MAX)}. Điểm tính từ dữ liệu hồ sơ theo "
            f"công thức của Bộ chỉ số: {rules}. Chênh lệch giữa hai điểm lớn hơn {fmt.number(tolerance, 2)} "
            f"điểm được đánh dấu.")


# --- the province --------------------------------------------------------------------------------------
PROVINCE_COLUMNS = [
    Column("rank", "Xếp hạng", "text"),
    Column("name", "Cơ quan, đơn vị", "text"),
    Column("total", "Tổng điểm", "score"),
    *(Column(key, group.label, "score", group="Điểm công bố theo nhóm") for key, group in GROUPS.items()),
    *(Column(indicator.score_name, indicator.label, "score", group=f"Điểm {COMPUTED_MARK}")
      for indicator in SCORED.values()),
]


def province_section(figures: Figures766, dossiers: bool = True, period: Period | None = None) -> Section:
    """The section of the province overview: the average total of every unit and, when the units make
    several groups, of each group's units (sở, ban, ngành and xã, phường are scored apart); every unit's
    official total and groups, ranked and, with ``dossiers`` data, the points computed from them and the
    disagreements beyond the tolerance (the :data:`MAX_FLAGS` largest, then how many more
    ``parreport check-766`` lists). ``figures`` may be those of the last quarter of the overview's
    ``period`` that has official scores (a year or half-year without dossier data): the section then says
    so."""
    units = figures.frame[figures.frame["department"] != PROVINCE]
    province = figures.row(PROVINCE)
    groups = _ordered_groups(units["group"])
    blocks: list = []
    if period is not None and period != figures.period:
        blocks.append(Paragraphs([f"Cổng Dịch vụ công quốc gia công bố điểm Bộ chỉ số 766 theo quý; dưới đây là "
                                  f"điểm công bố {figures.period.label_vi}, quý gần nhất của {period.label_vi} có "
                                  "điểm."], notice=True))
    if not has_official(figures.frame):
        history = official_history(figures.scores, figures.period, PROVINCE)
        latest = _latest_total(history, figures.period, "province")
        missing = _no_official(figures, "", latest, "trung bình toàn tỉnh ")
        if latest is not None and len(groups) > 1:
            by_group = group_average_totals(figures.scores, latest[0], figures.groups())
            if len(by_group) > 1:
                stated = "; ".join(f"{group_set(group)} {fmt.score(total, TOTAL_MAX)}"
                                   for group, total in by_group.items())
                missing = f"{missing[:-1]} (trung bình {stated})."
        blocks.append(Paragraphs([f"{missing} Bảng dưới đây chỉ có điểm tính từ dữ liệu hồ sơ."], notice=True))
    else:
        with_total = int(units["official_total"].notna().sum())
        per_group = []
        if len(groups) > 1:  # each group's units are scored and ranked apart: their own averages
            for group in groups:
                members = units[units["group"] == group]
                known = int(members["official_total"].notna().sum())
                if known:
                    per_group.append(Kpi(fmt.score(figures.average(group)["official_total"], TOTAL_MAX),
                                         f"Trung bình {group_set(group)}",
                                         f"{known}/{len(members)} đơn vị có đủ điểm công bố"))
        average = Kpi(fmt.score(province["official_total"], TOTAL_MAX), "Tổng điểm trung bình toàn tỉnh")
        if len(per_group) > 1:  # each group's average beside the province's, the counts under each
            blocks.append(Kpis([replace(average, change=f"{with_total}/{len(units)} cơ quan, đơn vị có đủ điểm "
                                                        "công bố"), *per_group]))
        else:
            blocks.append(Kpis([average, Kpi(f"{with_total}/{len(units)}", "Cơ quan, đơn vị có đủ điểm công bố")]))
    ranked = units.sort_values(["official_total", "name"], ascending=[False, True], na_position="last")
    if not dossiers:
        ranked = ranked[ranked[[f"official_{key}" for key in GROUPS]].notna().any(axis=1)]
    columns = PROVINCE_COLUMNS if dossiers else PROVINCE_COLUMNS[:3 + len(GROUPS)]
    rows = [[None if pd.isna(r["official_total_rank"]) else
             fmt.rank(r["official_total_rank"], r["official_total_rank_of"]), r["name"], r["official_total"],
             *(r[f"official_{key}"] for key in GROUPS), *(r[i.score_name] for i in SCORED.values())]
            for _, r in ranked.iterrows()]
    rows = [list(plain(pd.Series(row)).values())[:len(columns)] for row in rows]
    blocks.append(Table("s766_units", "Điểm Bộ chỉ số 766 của các cơ quan, đơn vị", columns, rows,
                        note=f"Điểm công bố: {SOURCE}. Xếp hạng trong các cơ quan, đơn vị cùng nhóm."))
    blocks += _movers(figures)
    if not dossiers:
        return Section(KEY, TITLE, [*blocks, Note(SOURCE_NOTE)])
    blocks.append(Points(flag_points(figures.checks(), figures.tolerance),
                         empty="Điểm tính từ dữ liệu hồ sơ khớp với điểm công bố ở mọi cơ quan, đơn vị có đủ hai "
                               "điểm."))
    blocks.append(Note(method_note(figures.tolerance)))
    return Section(KEY, TITLE, blocks)


def flag_points(checks: pd.DataFrame, tolerance: float, most: int = MAX_FLAGS) -> list[str]:
    """The disagreements of a :func:`~parreport.metrics.s766.cross_check` beyond the tolerance, one point each
    naming its unit, the largest differences first, at most ``most`` of them; then, when there are more, one
    point saying how many and where the full list is."""
    if checks.empty:
        return []
    flagged = checks[checks["flagged"].astype(bool)]
    flagged = flagged.assign(_size=flagged["difference"].abs().round(2)).sort_values(
        "_size", ascending=False, kind="stable")
    points = [f"{row.name} — {flag_sentence(row, tolerance)}" for row in flagged.head(most).itertuples()]
    rest = len(flagged) - most
    if rest > 0:
        points.append(f"Còn {fmt.number(rest)} chênh lệch khác; danh sách đầy đủ: lệnh parreport check-766.")
    return points


def _ordered_groups(groups: pd.Series) -> list[str]:
    """The distinct groups of the units, the known sets (sở, ban, ngành; huyện; xã, phường) first, then the
    others in the order they come (registry order)."""
    present = list(dict.fromkeys(group for group in groups if isinstance(group, str)))
    return [group for group in GROUP_SETS if group in present] + [g for g in present if g not in GROUP_SETS]


def _movers(figures: Figures766, count: int = 5) -> list:
    """The units whose official total moved most since the dashboard's previous snapshot (none: no block)."""
    moved = figures.movement
    if moved is None:
        return []
    names = figures.frame.set_index("department")["name"]
    top = moved.assign(size=moved["change"].abs(), name=moved["department"].map(names))
    top = top[top["size"] > 0].sort_values(["size", "name"], ascending=[False, True]).head(count)
    if top.empty:
        return []
    points = [movement_sentence(plain(row), row["name"]) for _, row in top.iterrows()]
    return [Paragraphs([f"Các cơ quan, đơn vị có điểm công bố biến động nhiều nhất giữa hai lần cập nhật gần nhất "
                        f"{SNAPSHOT_NOTE}"]), Points(points)]


# --- the province-wide check -----------------------------------------------------------------------------
def disagreements(period: str | Period, data: str | Path | None, registry: Registry,
                  tolerance: float = DEFAULT_TOLERANCE) -> pd.DataFrame:
    """Every unit × indicator of ``period`` whose computed and official points differ beyond ``tolerance``
    (columns of :func:`parreport.metrics.s766.cross_check`). :class:`ConfigError` when the data holds no
    official score for the period (naming the periods it has)."""
    period = Period.parse(period)
    check_tolerance(tolerance)
    with open_store(data, registry) as store:
        card = scorecard(DossierData.from_store(store, registry), period)
        figures = Figures766.from_store(store, card, period, tolerance)
        snapshots = store.snapshots("scores_766")
    if not has_official(figures.frame):
        known = sorted(set(figures.scores["period"]))
        raise ConfigError(f"no official 766 score for {period.code} in the data; it has "
                          + (", ".join(known) if known else "none (ingest the dashboard's export first)"))
    checks = figures.checks()
    found = checks[checks["flagged"]].drop(columns="flagged").reset_index(drop=True)
    found.attrs["snapshot"] = snapshots.loc[snapshots["period"] == period.code, "snapshot"].max()
    return found


def disagreements_table(found: pd.DataFrame) -> str:
    """The disagreements as a terminal table (Vietnamese numbers), each followed by its likely cause, after the
    date of the dashboard's snapshot the official scores come from (its latest)."""
    shown = pd.DataFrame({
        "Đơn vị": found["name"],
        "Chỉ tiêu": found["label"],
        "Tỷ lệ": found["ratio"].map(fmt.percent),
        "Điểm tính": [f"{fmt.number(v, 2)}/{fmt.number(m)}" for v, m in zip(found["computed"], found["max_score"])],
        "Điểm công bố": [f"{fmt.number(v, 2)}/{fmt.number(m)}" for v, m in zip(found["official"], found["max_score"])],
        "Chênh lệch": found["difference"].map(lambda d: ("+" if d > 0 else "−") + fmt.number(abs(d), 2)),
    })
    causes = "\n".join(f"  {row.name}, {row.label}: {row.cause}" for row in found.itertuples())
    snapshot = found.attrs.get("snapshot")
    dated = "" if fmt.is_missing(snapshot) else f"Điểm công bố theo lần cập nhật ngày {fmt.day(snapshot)}.\n\n"
    return f"{dated}{shown.to_string(index=False)}\n\nNguyên nhân có thể:\n{causes}"
