"""The department briefing: a unit's figures for one period (:class:`Briefing`) and the
:class:`~parreport.reports.content.Document` they make.

The notebook stays thin: it calls :func:`load_briefing` once, then displays the document's sections.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd

from parreport import fmt
from parreport.errors import ConfigError, NoDataError
from parreport.metrics import PROVINCE, TOTAL_FIELD, DossierData, field_table, scorecard, trend
from parreport.catalogue import DEFAULT_TARGETS, attention_points
from parreport.metrics.par_index import ParData
from parreport.metrics.s766 import units_scored
from parreport.narrative import render
from parreport.periods import Period
from parreport.registry import Department, Registry, group_set
from parreport.reports import s766, why
from parreport.reports.bieu06 import unit_table
from parreport.reports.content import (Column, Cover, Document, Kpi, Kpis, Note, Paragraphs, Points, Section,
                                       Table, plain)
from parreport.reports.inputs import load_inputs
from parreport.reports.par import par_headline, par_section

KIND = "briefing"
TITLE = "Báo cáo tình hình giải quyết thủ tục hành chính"
METHOD_NOTE = (
    "Cách tính: kỳ trước chuyển qua, tiếp nhận mới, đã giải quyết (trước hạn, đúng hạn, quá hạn) và đang giải "
    "quyết (trong hạn, quá hạn) theo Biểu số 06/VPCP/KSTT; ngày được so theo ngày lịch. Tỷ lệ giải quyết đúng "
    "hạn = (trước hạn + đúng hạn) / đã giải quyết. Chỉ số tiến độ và hài lòng theo Bộ chỉ số 766 (Quyết định "
    "766/QĐ-TTg) được tính lại từ dữ liệu hồ sơ. Định nghĩa đầy đủ: docs/data.md."
)
# The headline figures of a report, as the index heads and writes them (declared here only).
DOSSIER_HEADLINE = (
    Column("received", "Tiếp nhận"),
    Column("resolved", "Đã giải quyết"),
    Column("on_time_rate", "Tỷ lệ đúng hạn", "percent"),
    Column("overdue", "Quá hạn"),
)
# The official 766 total of the period, else of its last quarter that has one (the province: its units' average).
S766_HEADLINE = Column("s766_total", "Điểm Bộ chỉ số 766", "score")
PAR_HEADLINE = (Column("par_pct", "Chỉ số CCHC", "percent"),)

CHANNEL_LABELS = {"new_online": "Trực tuyến", "new_in_person": "Trực tiếp", "new_postal": "Bưu chính công ích"}


def no_dossiers_sentence(whose: str, period: Period) -> str:
    """That the data holds nothing on the dossiers of ``whose`` in ``period`` (without its full stop)."""
    return (f"Chưa có dữ liệu hồ sơ TTHC của {whose} trong {period.label_vi}: dữ liệu không có hồ sơ nào của kỳ "
            f"này và không có Biểu số 06 nào bao trùm kỳ này, nên báo cáo không nêu số liệu tiếp nhận, giải quyết "
            f"hồ sơ")


@dataclass
class Briefing:
    """The figures, tables and sentences of one unit's briefing for one period."""

    unit: Department
    period: Period
    province: str
    card: dict
    province_card: dict
    table: pd.DataFrame
    history: pd.DataFrame
    targets: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_TARGETS))
    sample_data: bool = False  # figures generated for the demo province
    has_dossiers: bool = True  # whether the dossier data reaches the period for this unit (else: no figures)
    par: ParData | None = None  # PAR Index and SIPAS scores, for a year's briefing
    index_766: s766.Figures766 | None = None  # official and computed 766 scores of every unit
    dossiers: DossierData | None = None  # the counts of every period, for why the rates moved
    registry: Registry | None = None  # names the units a merged unit's figures come from

    @property
    def has_766(self) -> bool:
        """Whether the unit has official 766 scores for the period or a quarter inside it."""
        return self.index_766 is not None and self.unit.code in units_scored(self.index_766.scores, self.period)

    # --- the document ---------------------------------------------------------------------------
    def document(self, today: date | None = None) -> Document:
        """The briefing as content: cover, highlights, for a year the PAR Index section, the 766 section,
        Biểu 06 table, charts, attention points. Without dossier data for the period, the dossier sections
        are one sentence saying so."""
        if not self.has_dossiers:
            sections = [Section("highlights", "Kết quả nổi bật", [Paragraphs([self.no_dossiers()], notice=True)])]
            if self.has_766:
                sections += [s766.unit_section(self.index_766, self.unit.code, self.unit.short_name, self.targets,
                                               dossiers=False, registry=self.registry),
                             self.reach_section()]
        else:
            sections = [
                Section("highlights", "Kết quả nổi bật", [self.kpis(), Paragraphs(self.paragraphs())]),
                why.change_section(self.dossiers, self.period, self.unit.code),
                *([s766.unit_section(self.index_766, self.unit.code, self.unit.short_name, self.targets,
                                     registry=self.registry),
                   self.reach_section()] if self.index_766 is not None else []),
                Section("fields", "Kết quả giải quyết hồ sơ theo lĩnh vực", [self.field_table()]),
                Section("charts", "Diễn biến và cơ cấu hồ sơ", self.chart_blocks()),
                Section("attention", "Những điểm cần lưu ý", [Points(self.attention_points()), Note(METHOD_NOTE)]),
            ]
        if self.period.kind == "Y" and self.par is not None:
            sections.insert(1, par_section(self.par, self.unit, self.period.year, self.subject))
        return Document(KIND, self.cover(today), sections, self.headline(), self.headline_columns())

    def reach_section(self) -> Section:
        """Where the unit's 766 points are to be won (:func:`parreport.reports.why.reach_section`)."""
        return why.reach_section(self.index_766.row(self.unit.code), self.targets, self.subject)

    def no_dossiers(self) -> str:
        """The one sentence a briefing says when the data holds nothing on the unit's dossiers in the period."""
        return f"{no_dossiers_sentence(self.unit.name, self.period)}."

    def cover(self, today: date | None = None) -> Cover:
        label = self.period.label_vi
        return Cover(province=self.province, unit=self.unit.name, title=TITLE,
                     period=fmt.capital(label), prepared=fmt.day(today or date.today()),
                     data_dates=f"{fmt.day(self.period.start)}–{fmt.day(self.period.end)}",
                     sample_data=self.sample_data)

    def headline(self) -> dict:
        """The figures of :data:`HEADLINE` (``None`` where the data has none) and, for a year, the PAR Index
        ones (:data:`PAR_HEADLINE` and the score, maximum and rank), plain numbers for the index and manifest."""
        headline = {column.key: self.card[column.key] if self.has_dossiers else None for column in DOSSIER_HEADLINE}
        headline[S766_HEADLINE.key] = (s766.official_headline(self.index_766, self.unit.code) if self.has_766
                                       else None)
        if self.period.kind == "Y" and self.par is not None:
            headline.update(par_headline(self.par, self.unit.code, self.period.year))
        return headline

    def headline_columns(self) -> list[Column]:
        """The headline figures the index shows, in its order."""
        return [*(PAR_HEADLINE if self.period.kind == "Y" else ()), *DOSSIER_HEADLINE, S766_HEADLINE]

    def kpis(self) -> Kpis:
        u = self.card
        since = " so với kỳ trước"
        return Kpis([
            Kpi(fmt.number(u["received"]), "Hồ sơ tiếp nhận", fmt.count_change(u["received_prev"]) + since),
            Kpi(fmt.number(u["resolved"]), "Hồ sơ đã giải quyết", fmt.count_change(u["resolved_prev"]) + since),
            Kpi(fmt.percent(u["on_time_rate"]), "Tỷ lệ đúng hạn và trước hạn",
                fmt.pp_change(u["on_time_rate_prev"]) + since),
            Kpi(fmt.number(u["overdue"]), "Hồ sơ quá hạn", fmt.count_change(u["overdue_prev"]) + since),
        ])

    def field_table(self) -> Table:
        """The Biểu 06 table on the form (:mod:`parreport.reports.bieu06`): a row per field and the Tổng row."""
        return unit_table(self.table)

    def chart_blocks(self) -> list:
        from parreport.reports import charts  # Matplotlib is loaded only where a chart is drawn

        return [charts.ontime_trend(self.trend_frame(), self.unit.short_name),
                charts.resolved_by_field(self.fields_frame()),
                charts.overdue_by_field(self.fields_frame()),
                charts.channel_mix(self.channel_frame())]

    # --- text -----------------------------------------------------------------------------------
    @property
    def subject(self) -> str:
        """How the narrative names the unit: "Sở", "Ban", or its short name."""
        first = self.unit.name.split()[0]
        return first if first in ("Sở", "Ban") else self.unit.short_name

    def paragraphs(self) -> list[str]:
        context = {"u": self.card, "period": self.period, "subject": self.subject,
                   "previous": self.period.previous(), "year_ago": self.period.year_ago(),
                   "show_year_ago": self.period.kind != "Y", "ranked_set": group_set(self.unit.group),
                   "lineage_prev": self.whose(self.card.get("sources_prev")),
                   "lineage_year": self.whose(self.card.get("sources_year")),
                   "merged_note": self.merged_note()}
        return [render("summary.txt.j2", **context), render("rates.txt.j2", **context)]

    def whose(self, sources: tuple[str, ...] | None) -> str:
        """" (số liệu của Sở TN&MT và Sở NN&PTNT)" when figures set beside the unit's are not its own alone
        (a period before its merger or rename, see :meth:`Registry.members`), " (gồm cả số liệu của …)" when
        they are its own and its predecessors'; else nothing."""
        if not sources or tuple(sources) == (self.unit.code,) or self.registry is None:
            return ""
        others = [self.registry.get(code).short_name for code in sources if code != self.unit.code]
        return f" ({'gồm cả ' if self.unit.code in sources else ''}số liệu của {fmt.listing(others)})"

    def merged_note(self) -> str:
        """That the period's figures include the dossiers of units merged into this one (received before the
        merger), naming them and the day each ended; empty when the figures are the unit's own alone."""
        others = [self.registry.get(code) for code in self.card.get("sources") or () if code != self.unit.code] \
            if self.registry is not None else []
        if not others:
            return ""
        listed = fmt.listing([f"{unit.short_name}" + (f" (đến ngày {fmt.day(unit.valid_to)})" if unit.valid_to
                                                      else "") for unit in others])
        return f"Số liệu của kỳ gồm cả hồ sơ của {listed}, nay thuộc {self.unit.short_name}."

    def attention_points(self) -> list[str]:
        """Indicators outside the 766 index below their targets (the 766 section lists its own), fields below
        the on-time target, overdue dossiers."""
        points = attention_points(self.card, self.targets, names=s766.OUTSIDE)
        on_time_target = self.targets.get("on_time_rate")
        fields = self.table[self.table["field"] != TOTAL_FIELD]
        if on_time_target is not None:
            below = fields[fields["on_time_rate"].astype("Float64") < on_time_target].sort_values("on_time_rate")
            if not below.empty:
                listed = "; ".join(f"{r.field} ({fmt.percent(r.on_time_rate)}, {fmt.number(r.resolved_late)} hồ sơ quá hạn)"
                                   for r in below.itertuples())
                points.append(f"Lĩnh vực có tỷ lệ giải quyết đúng hạn dưới {fmt.percent(on_time_target)}: {listed}.")
        overdue = fields[fields["pending_overdue"] > 0].sort_values("pending_overdue", ascending=False)
        if not overdue.empty:
            listed = ", ".join(f"{r.field} {fmt.number(r.pending_overdue)}" for r in overdue.itertuples())
            points.append(f"Còn {fmt.number(self.card['pending_overdue'])} hồ sơ đang giải quyết quá hạn "
                          f"tại thời điểm {fmt.day(self.period.end)} ({listed}).")
        return points

    # --- chart data -----------------------------------------------------------------------------
    def trend_frame(self) -> pd.DataFrame:
        """Columns period_label, unit, province: on-time rates over the last periods."""
        labels = [Period.parse(code).short_label for code in self.history["period"]]
        return pd.DataFrame({"period_label": labels,
                             "unit": self.history["unit_on_time_rate"].astype("Float64"),
                             "province": self.history["province_on_time_rate"].astype("Float64")})

    def fields_frame(self) -> pd.DataFrame:
        """Per field: resolved early / on time / late, late and pending overdue (for charts)."""
        columns = ["field", "resolved_early", "resolved_on_time", "resolved_late", "pending_overdue"]
        return self.table.loc[self.table["field"] != TOTAL_FIELD, columns].reset_index(drop=True)

    def channel_frame(self) -> pd.DataFrame:
        """Columns channel_label, count: new dossiers by channel (offline split when known)."""
        u = self.card
        if u.get("new_in_person") is None:
            counts = {"Trực tuyến": u["new_online"], "Trực tiếp và BCCI": u["new_offline"]}
        else:
            counts = {label: u[column] for column, label in CHANNEL_LABELS.items()}
        return pd.DataFrame({"channel_label": list(counts), "count": [c or 0 for c in counts.values()]})


def load_briefing(
    department: str,
    period: str | Period,
    data: str | Path | None = None,
    targets: dict[str, float] | None = None,
    convention: str = "calendar",
    registry: str | Path | Registry | None = None,
    tolerance_766: float = s766.DEFAULT_TOLERANCE,
) -> Briefing:
    """Compute the briefing of ``department`` for ``period`` from ``data`` (see :func:`open_store`)."""
    inputs = load_inputs(period, data, targets, convention, registry)
    unit = inputs.registry.get(str(department))
    period, dossiers = inputs.period, inputs.dossiers
    frame = scorecard(dossiers, period)
    card = frame.set_index("department")
    if unit.code not in card.index:
        raise ConfigError(inputs.registry.not_reported(unit.code, period))
    scored = inputs.par is not None and inputs.par.unit(unit.code, period.year) is not None  # a year's PAR Index
    figures_766 = inputs.figures_766(tolerance_766)
    official = unit.code in units_scored(figures_766.scores, period)
    if not card.at[unit.code, "has_data"] and not scored and not official:
        raise NoDataError(unit.code, period.code, (
            f"{unit.code} ({unit.name}) has no data in {period.label_vi}: no dossier record, no Biểu 06 row and "
            "no official 766 score for the period" + (", no PAR Index score for the year" if period.kind == "Y"
                                                      else "")))
    return Briefing(
        unit=unit, period=period, province=inputs.registry.province,
        card=plain(card.loc[unit.code]), province_card=plain(card.loc[PROVINCE]),
        table=field_table(dossiers, period, unit.code),
        history=trend(dossiers, period, unit.code),
        targets=inputs.targets,
        sample_data=inputs.sample_data,
        has_dossiers=bool(card.at[unit.code, "has_data"]),
        par=inputs.par,
        index_766=figures_766,
        dossiers=dossiers,
        registry=inputs.registry,
    )
