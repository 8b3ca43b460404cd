"""The province overview: every unit side by side for one period, for the province's steering committee.

It is the report of the reserved unit code ``TOAN_TINH`` (:data:`~parreport.metrics.PROVINCE`), written as
``OUT/<period>/TOAN_TINH/overview.*``. :func:`load_overview` computes its figures once; :meth:`Overview.document`
builds the content the notebook ``notebooks/province.ipynb`` displays.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

import pandas as pd

from parreport import fmt
from parreport.metrics import INDICATORS, PROVINCE, PROVINCE_LABEL, TOTAL_FIELD, DossierData, scorecard
from parreport.errors import NoDataError
from parreport.metrics.par_index import ParData
from parreport.metrics.s766 import has_official, latest_scored_quarter, units_scored
from parreport.narrative import render
from parreport.periods import Period
from parreport.registry import Registry, group_set
from parreport.reports import s766, why
from parreport.reports.bieu06 import province_table
from parreport.reports.briefing import (DEFAULT_TARGETS, DOSSIER_HEADLINE, METHOD_NOTE, S766_HEADLINE,
                                       no_dossiers_sentence)
from parreport.reports.inputs import load_inputs
from parreport.reports.content import Column, Cover, Document, Kpi, Kpis, Note, Paragraphs, Points, Section, Table, plain

KIND = "overview"
TITLE = "Báo cáo tổng hợp tình hình giải quyết thủ tục hành chính toàn tỉnh"
PAR_AVERAGE = Column("par_pct_avg", "Chỉ số CCHC bình quân", "percent")
HEADLINE = (*DOSSIER_HEADLINE, S766_HEADLINE, PAR_AVERAGE)  # the figures the index shows
TOP_CONTRIBUTORS = 5  # units and fields named as drivers of overdue dossiers
HEAT_MAP_RATES = {  # rate → column header of the heat map
    "on_time_rate": "Đúng hạn và trước hạn",
    "progress_766": "Tiến độ (Bộ chỉ số 766)",
    "online_share": "Tiếp nhận trực tuyến",
    "digitized_share": "Số hóa hồ sơ",
    "online_payment_share": "Thanh toán trực tuyến",
    "apology_rate": "Xin lỗi khi quá hạn",
}
HEAT_MAP_NOTE = ("Màu của mỗi ô so sánh đơn vị với các đơn vị khác trong cùng cột: xanh đậm là cao nhất, đỏ là thấp "
                 "nhất; ô xám là không có số liệu (ví dụ không có hồ sơ quá hạn thì không có tỷ lệ xin lỗi).")
RANKING_COLUMNS = [
    Column("rank", "Hạng"),
    Column("unit", "Đơn vị", "text"),
    Column("received", "Tiếp nhận"),
    Column("resolved", "Đã giải quyết"),
    Column("overdue", "Quá hạn"),
    Column("on_time_rate", "Tỷ lệ đúng hạn", "percent"),
    Column("online_share", "Tỷ lệ trực tuyến", "percent"),
]
PAR_COLUMNS = [
    Column("rank", "Hạng"),
    Column("unit", "Đơn vị", "text"),
    Column("score", "Điểm", "score"),
    Column("max_score", "Điểm tối đa", "score"),
    Column("pct", "Tỷ lệ điểm", "percent"),
    Column("score_change", "Tăng, giảm so với năm trước (điểm)", "score"),
    Column("sipas", "Chỉ số SIPAS", "percent"),
]
SHARE_COLUMNS = [Column("name", "", "text"), Column("overdue", "Hồ sơ quá hạn"),
                 Column("share", "Tỷ trọng trong tổng số quá hạn", "percent")]


@dataclass
class Overview:
    """The figures of every unit and of the province for one period."""

    period: Period
    province: str
    registry: Registry
    units: pd.DataFrame  # scorecard rows of the units with dossier data in the period
    without_data: list[str]  # names of the active units the dossier data says nothing about
    province_card: dict
    by_field: pd.DataFrame  # counts per unit × field of the units with data
    has_previous: bool  # the data reaches the previous period
    has_year_ago: bool  # … and the same period a year earlier
    par: ParData | None = None
    targets: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_TARGETS))
    sample_data: bool = False
    index_766: s766.Figures766 | None = None  # 766 scores of every unit (see :func:`load_overview`)
    dossiers: DossierData | None = None  # the counts of every period, for which units moved the rates

    @property
    def has_dossiers(self) -> bool:
        """Whether any unit has dossier data (records or Biểu 06 counts) in the period."""
        return not self.units.empty

    @property
    def has_766(self) -> bool:
        """Whether any unit has official 766 scores for the period or a quarter inside it."""
        return self.index_766 is not None and bool(units_scored(self.index_766.scores, self.period))

    # --- the document ---------------------------------------------------------------------------
    def document(self, today: date | None = None) -> Document:
        """Each section whose input the data holds: the dossier sections with dossier data, the PAR Index
        for a year with PAR Index scores, the 766 section with official scores or dossier data."""
        if self.has_dossiers:
            sections = [
                Section("highlights", "Kết quả chung toàn tỉnh", [self.kpis(), Paragraphs(self.paragraphs())]),
                why.province_change_section(self.dossiers, self.period),
                Section("ranking", "Xếp hạng các cơ quan, đơn vị theo tỷ lệ giải quyết đúng hạn",
                        [self.ranking_table(), *self.without_data_note()]),
            ]
        else:
            sections = [Section("highlights", "Kết quả chung toàn tỉnh",
                                [Paragraphs([self.no_dossiers()], notice=True)])]
        if self.par_year is not None:
            sections.append(Section("par_index", "Chỉ số cải cách hành chính", self.par_blocks()))
        if self.index_766 is not None and (self.has_dossiers or self.has_766):
            sections += [s766.province_section(self.index_766, self.has_dossiers, self.period),
                         why.province_reach_section(self.index_766.frame, self.targets)]
        if self.has_dossiers:
            sections += [
                Section("heatmap", "Các chỉ tiêu của từng cơ quan, đơn vị", [self.heat_map(), Note(HEAT_MAP_NOTE)]),
                Section("overdue", "Hồ sơ quá hạn theo đơn vị và lĩnh vực", self.overdue_blocks()),
                Section("bieu06", "Kết quả giải quyết hồ sơ theo đơn vị (Biểu số 06)", [self.bieu06_table()]),
                Section("attention", "Những điểm cần lưu ý", [Points(self.attention_points()), Note(METHOD_NOTE)]),
            ]
        return Document(KIND, self.cover(today), sections, self.headline(), self.headline_columns())

    def no_dossiers(self) -> str:
        """The sentence opening an overview without dossier data, naming what the report holds instead."""
        held = [what for what, present in (
            (f"Chỉ số cải cách hành chính {self.period.label_vi}", self.par_year is not None),
            ("điểm Bộ chỉ số 766 do Cổng Dịch vụ công quốc gia công bố", self.has_766)) if present]
        return (f"{no_dossiers_sentence('các cơ quan, đơn vị', self.period)}; báo cáo nêu {' và '.join(held)} của "
                f"các cơ quan, đơn vị.")

    def cover(self, today: date | None = None) -> Cover:
        label = self.period.label_vi
        return Cover(province=self.province, unit=PROVINCE_LABEL, title=TITLE,
                     period=fmt.capital(label), prepared=fmt.day(today or date.today()),
                     data_dates=f"{fmt.day(self.period.start)}–{fmt.day(self.period.end)}",
                     sample_data=self.sample_data)

    def headline(self) -> dict:
        """The province's figures of :data:`HEADLINE` (``None`` where the data has none)."""
        headline = {column.key: self.province_card[column.key] if self.has_dossiers else None
                    for column in DOSSIER_HEADLINE}
        headline[S766_HEADLINE.key] = s766.official_headline(self.index_766, PROVINCE) if self.has_766 else None
        year = self.par_year
        headline[PAR_AVERAGE.key] = None if year is None else float(year["pct"].mean())
        return headline

    def headline_columns(self) -> list[Column]:
        """The headline figures the index shows, in its order."""
        return list(HEADLINE)

    # --- province figures -----------------------------------------------------------------------
    def kpis(self) -> Kpis:
        p = self.province_card
        since = " so với kỳ trước"
        count = (lambda key: fmt.count_change(p[f"{key}_prev"]) + since) if self.has_previous else (lambda key: "")
        rate = (lambda key: fmt.pp_change(p[f"{key}_prev"]) + since) if self.has_previous else (lambda key: "")
        return Kpis([
            Kpi(fmt.number(p["received"]), "Hồ sơ tiếp nhận", count("received")),
            Kpi(fmt.number(p["resolved"]), "Hồ sơ đã giải quyết", count("resolved")),
            Kpi(fmt.percent(p["on_time_rate"]), "Tỷ lệ đúng hạn và trước hạn", rate("on_time_rate")),
            Kpi(fmt.number(p["overdue"]), "Hồ sơ quá hạn", count("overdue")),
            Kpi(fmt.percent(p["online_share"]), "Tỷ lệ tiếp nhận trực tuyến", rate("online_share")),
        ])

    def paragraphs(self) -> list[str]:
        context = {"p": self.province_card, "period": self.period, "units": len(self.units),
                   "previous": self.period.previous() if self.has_previous else None,
                   "year_ago": self.period.year_ago() if self.has_year_ago and self.period.kind != "Y" else None}
        return [render("overview.txt.j2", **context)]

    # --- tables ---------------------------------------------------------------------------------
    def ranking_table(self) -> Table:
        """Units by on-time rate, best first (units with nothing resolved last, without a rank)."""
        frame = self.units.sort_values(["on_time_rate", "resolved"], ascending=False, na_position="last")
        frame = frame.assign(rank=frame["on_time_rate_rank"], unit=frame["name"])
        rows = [[plain(row)[column.key] for column in RANKING_COLUMNS] for _, row in frame.iterrows()]
        sets = sorted({group_set(group) for group in self.units["group"]})
        note = f"Xếp hạng trong {' và '.join(sets)}; đơn vị bằng tỷ lệ cùng hạng."
        return Table("ranking", "", RANKING_COLUMNS, rows, note=note)

    def without_data_note(self) -> list[Note]:
        if not self.without_data:
            return []
        return [Note(f"Chưa có dữ liệu hồ sơ TTHC của {self.period.label_vi}: {', '.join(self.without_data)}.")]

    def bieu06_table(self) -> Table:
        """Biểu 06 with a row per unit and the province's Tổng row."""
        frame = pd.concat([self.units.assign(unit=self.units["name"]),
                           pd.DataFrame([{**self.province_card, "unit": TOTAL_FIELD}])], ignore_index=True)
        return province_table(frame)

    # --- PAR Index ------------------------------------------------------------------------------
    @property
    def par_year(self) -> pd.DataFrame | None:
        """Every unit's PAR Index totals of the period's year (``None`` for other periods or without data)."""
        if self.period.kind != "Y" or self.par is None:
            return None
        frame = self.par.year(self.period.year)
        return None if frame.empty else frame

    def par_blocks(self) -> list:
        year = self.par_year
        names = {unit.code: unit.name for unit in self.registry}
        sipas = self.par.sipas
        sipas = sipas[sipas["year"] == self.period.year].set_index("department")["pct"]
        frame = year.assign(unit=year["department"].map(names), sipas=year["department"].map(sipas))
        rows = [[plain(row)[column.key] for column in PAR_COLUMNS] for _, row in frame.iterrows()]
        texts = []
        for group, members in year.groupby("group", sort=False):
            best, last = members.iloc[0], members.dropna(subset=["pct"]).iloc[-1]
            texts.append(
                f"Chỉ số CCHC {self.period.label_vi} của {group_set(group)}: bình quân đạt "
                f"{fmt.percent(members['pct'].mean())}; cao nhất là {names[best['department']]} "
                f"({fmt.score(best['score'], best['max_score'])}, {fmt.percent(best['pct'])}), thấp nhất là "
                f"{names[last['department']]} ({fmt.score(last['score'], last['max_score'])}, "
                f"{fmt.percent(last['pct'])}).")
        table = Table("par_ranking", "", PAR_COLUMNS, rows,
                      note="Xếp hạng theo tỷ lệ điểm trong các đơn vị cùng nhóm; đơn vị bằng điểm cùng hạng.")
        return [Paragraphs([fmt.nfc(text) for text in texts]), table]

    # --- charts ---------------------------------------------------------------------------------
    def heat_map(self):
        columns = dict(HEAT_MAP_RATES)
        frame = self.units.sort_values("on_time_rate", ascending=False, na_position="last")
        frame = frame.assign(label=frame["department"].map({u.code: u.short_name for u in self.registry}))
        year = self.par_year
        if year is not None:
            frame = frame.merge(year[["department", "pct"]].rename(columns={"pct": "par"}), on="department", how="left")
            columns["par"] = "Chỉ số CCHC"
            sipas = self.par.sipas
            sipas = sipas[sipas["year"] == self.period.year][["department", "pct"]].rename(columns={"pct": "sipas"})
            frame = frame.merge(sipas, on="department", how="left")
            columns["sipas"] = "Chỉ số SIPAS"
        from parreport.reports import charts  # Matplotlib is loaded only where a chart is drawn

        return charts.heat_map(frame, columns, f"Các chỉ tiêu theo đơn vị, {self.period.label_vi}")

    # --- overdue --------------------------------------------------------------------------------
    def overdue_blocks(self) -> list:
        total = self.province_card["overdue"]
        if not total:
            return [Paragraphs([f"Trong {self.period.label_vi}, toàn tỉnh không có hồ sơ quá hạn."])]
        names = {unit.code: unit.name for unit in self.registry}
        units = self.units.assign(name=self.units["department"].map(names))[["name", "overdue"]]
        fields = self.by_field[self.by_field["field"] != TOTAL_FIELD].groupby("field", as_index=False)["overdue"].sum()
        fields = fields.rename(columns={"field": "name"})
        blocks, texts = [], []
        for frame, label, what in ((units, "Đơn vị", "đơn vị"), (fields, "Lĩnh vực", "lĩnh vực")):
            top = _top_contributors(frame, total)
            listed = "; ".join(f"{row.name} {fmt.number(row.overdue)} hồ sơ ({fmt.percent(row.share)})"
                               for row in top.itertuples())
            texts.append(f"{len(top)} {what} có nhiều hồ sơ quá hạn nhất chiếm {fmt.percent(top['share'].sum())} "
                         f"số hồ sơ quá hạn toàn tỉnh: {listed}.")
            columns = [replace(SHARE_COLUMNS[0], label=label), *SHARE_COLUMNS[1:]]
            blocks.append(Table(f"overdue_{'units' if what == 'đơn vị' else 'fields'}", "", columns,
                                [[row.name, row.overdue, row.share] for row in top.itertuples()]))
        opening = (f"Trong {self.period.label_vi}, toàn tỉnh có {fmt.number(total)} hồ sơ quá hạn "
                   f"({fmt.number(self.province_card['resolved_late'])} hồ sơ đã giải quyết quá hạn, "
                   f"{fmt.number(self.province_card['pending_overdue'])} hồ sơ đang giải quyết quá hạn).")
        return [Paragraphs([fmt.nfc(opening), *map(fmt.nfc, texts)]), *blocks]

    # --- attention ------------------------------------------------------------------------------
    def attention_points(self) -> list[str]:
        """For each target, the units that miss it (the furthest first), in the indicator's direction."""
        points = []
        for name, target in self.targets.items():
            indicator = INDICATORS[name]
            values = self.units[["name", name]].dropna()
            missing = values[[indicator.below_target(float(v), target) for v in values[name]]]
            if missing.empty:
                continue
            missing = missing.sort_values(name, ascending=indicator.higher_is_better)
            listed = ", ".join(f"{row['name']} ({fmt.percent(row[name])})" for _, row in missing.iterrows())
            side = "thấp hơn mục tiêu" if indicator.higher_is_better else "cao hơn mức tối đa"
            points.append(f"{indicator.label} {side} {fmt.percent(target)}: {listed}.")
        return points


def _top_contributors(frame: pd.DataFrame, total: int) -> pd.DataFrame:
    """The rows with the most overdue dossiers (none with zero) and their share of ``total``."""
    top = frame[frame["overdue"] > 0].sort_values(["overdue", "name"], ascending=[False, True])
    top = top.head(TOP_CONTRIBUTORS).astype({"overdue": "int64"})
    return top.assign(share=top["overdue"] / total)


def load_overview(
    period: str | Period,
    data: str | Path | None = None,
    targets: dict[str, float] | None = None,
    convention: str = "calendar",
    registry: str | Path | Registry | None = None,
    tolerance_766: float = s766.DEFAULT_TOLERANCE,
) -> Overview:
    """Compute the province overview for ``period`` from ``data`` (see :func:`open_store`)."""
    inputs = load_inputs(period, data, targets, convention, registry)
    period, dossiers, registry = inputs.period, inputs.dossiers, inputs.registry
    card = scorecard(dossiers, period)
    units = card[card["department"] != PROVINCE]
    with_data = units["department"].map(lambda code: dossiers.has_data(period, code))
    by_field = dossiers.unit_fields(period)
    codes = registry.codes(period)
    figures_766 = inputs.figures_766(tolerance_766)
    if not with_data.any() and not has_official(figures_766.frame):
        latest = latest_scored_quarter(figures_766.scores, period)  # a year or half: its last scored quarter
        if latest is not None:  # the period's units have no dossier figures: nothing computed to set beside
            figures_766 = s766.Figures766.from_scores(figures_766.scores, card, latest, tolerance_766)
        elif inputs.par is None or inputs.par.year(period.year).empty:
            raise NoDataError(PROVINCE, period.code, (
                f"no unit has data in {period.label_vi}: no dossier record, no Biểu 06 row and no official 766 "
                "score for the period" + (", no PAR Index score for the year" if period.kind == "Y" else "")))
    return Overview(
        period=period, province=registry.province, registry=registry,
        units=units[with_data].reset_index(drop=True),
        without_data=list(units.loc[~with_data, "name"]),
        province_card=plain(card[card["department"] == PROVINCE].iloc[0]),
        by_field=by_field[by_field["department"].isin(units.loc[with_data, "department"])],
        has_previous=any(dossiers.has_data(period.previous(), code) for code in codes),
        has_year_ago=any(dossiers.has_data(period.year_ago(), code) for code in codes),
        par=inputs.par, targets=inputs.targets, sample_data=inputs.sample_data,
        index_766=figures_766,
        dossiers=dossiers,
    )
