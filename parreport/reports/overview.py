"""The province overview: every unit side by side for one period, for the province's steering committee.

It is the report of the reserved unit code ``TOAN_TINH`` (:data:`~parreport.metrics.PROVINCE`), written as
``OUT/<period>/TOAN_TINH/overview.*``. :func:`load_overview` computes its figures once; :meth:`Overview.document`
builds the content the notebook ``notebooks/province.ipynb`` displays.

Units are compared within their registry group (docs/data.md §2.6): the sở, ban, ngành (``so_nganh``) and,
since 7/2025, the hundred or so xã, phường (``cap_xa``), which the national dashboard scores separately. Every
ranking (on-time rate, official 766 scores, points still to win, PAR Index) is a table per group present in
the data, its sentences naming the set ("trong các xã, phường"); a group with fewer than two units is not
ranked. A group too large for a chart on A4 (the communes) shows its best and worst :data:`CHART_ENDS` units in
charts and lists every unit in a table of its own (section ``units``).
"""
from __future__ import annotations

import textwrap
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

import pandas as pd

from parreport import fmt
from parreport.metrics import INDICATORS, PROVINCE, PROVINCE_LABEL, TOTAL_FIELD, DossierData, scorecard
from parreport.errors import NoDataError
from parreport.metrics.par_index import ParData
from parreport.metrics.rates import add_rates, sum_counts
from parreport.metrics.s766 import has_official, latest_scored_quarter, units_scored
from parreport.narrative import render
from parreport.periods import Period
from parreport.registry import Registry, group_set
from parreport.reports import s766, why
from parreport.reports.bieu06 import province_table
from parreport.reports.briefing import (DEFAULT_TARGETS, DOSSIER_HEADLINE, METHOD_NOTE, S766_HEADLINE,
                                       no_dossiers_sentence)
from parreport.reports.inputs import load_inputs
from parreport.reports.content import (Chart, Column, Cover, Document, Kpi, Kpis, Note, Paragraphs, Points,
                                      Section, Table, plain)

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
RANKING_TITLE = "Xếp hạng các cơ quan, đơn vị theo tỷ lệ giải quyết đúng hạn"
S766_SAME_GROUP = "Xếp hạng trong các cơ quan, đơn vị cùng nhóm."  # s766's note, which the group's set replaces
LISTED_GROUPS = ("cap_xa",)  # groups whose every unit has a row in the section "units" (the communes)
CHART_ENDS = 10  # a group of more than 2 × CHART_ENDS units shows its best and worst CHART_ENDS in charts
ATTENTION_LISTED = 10  # units an attention point names per group when there are several; the rest are counted
UNITS_COLUMNS = [  # the table of every unit of a listed group
    Column("rank", "Hạng"),
    Column("unit", "Đơn vị", "text"),
    Column("received", "Tiếp nhận"),
    Column("resolved", "Đã giải quyết"),
    Column("on_time_rate", "Tỷ lệ đúng hạn", "percent"),
    Column("overdue", "Quá hạn"),
    Column("official_total", "Tổng điểm Bộ chỉ số 766", "score"),
]


def ordered_groups(groups: Iterable[str], registry: Registry) -> list[str]:
    """The distinct ``groups`` in the order every table shows them: the sở, ban, ngành, the xã, phường, then
    the others in registry order."""
    known = registry.groups()
    present = set(groups)
    return [group for group in known if group in present] + sorted(map(str, present - set(known)))


def set_noun(group: str | None) -> str:
    """The units of ``group`` after a number: "xã, phường" ("4 xã, phường"), from :func:`group_set`."""
    return group_set(group).removeprefix("các ")


def _names(names: list[str], most: int = 3) -> str:
    """Up to ``most`` names, then how many more: "Xã A, Xã B, Xã C và 2 đơn vị khác"."""
    if len(names) > most:
        return f"{', '.join(names[:most])} và {len(names) - most} đơn vị khác"
    return fmt.listing(names)


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
                Section("ranking", RANKING_TITLE, [*self.ranking_blocks(), *self.without_data_note()]),
            ]
            listed = self.units_section()
            if listed is not None:
                sections.append(listed)
        else:
            sections = [Section("highlights", "Kết quả chung toàn tỉnh",
                                [Paragraphs([self.no_dossiers()], notice=True)])]
        if self.par_year is not None:
            sections.append(Section("par_index", "Chỉ số cải cách hành chính", self.par_blocks()))
        if self.index_766 is not None and (self.has_dossiers or self.has_766):
            sections += [self.s766_section(), self.reach_section()]
        if self.has_dossiers:
            sections += [
                Section("heatmap", "Các chỉ tiêu của từng cơ quan, đơn vị", self.heat_map_blocks()),
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
        groups = self.group_cards() if len(self.groups()) > 1 else []
        context = {"p": self.province_card, "period": self.period, "units": len(self.units), "groups": groups,
                   "unit_sets": fmt.listing([f"{fmt.number(card['count'])} {card['noun']}" for card in groups]),
                   "previous": self.period.previous() if self.has_previous else None,
                   "year_ago": self.period.year_ago() if self.has_year_ago and self.period.kind != "Y" else None}
        return [render("overview.txt.j2", **context)]

    # --- groups ---------------------------------------------------------------------------------
    def groups(self) -> list[str]:
        """The registry groups of the units with dossier data, in :func:`ordered_groups` order."""
        return ordered_groups(self.units["group"], self.registry)

    def members(self, group: str) -> pd.DataFrame:
        """The units of ``group`` with dossier data, best on-time rate first (nothing resolved: last)."""
        frame = self.units[self.units["group"] == group]
        return frame.sort_values(["on_time_rate", "resolved", "name"], ascending=[False, False, True],
                                 na_position="last")

    def listed(self, group: str) -> bool:
        """Whether ``group`` is shown by its best and worst units in charts and in full in the section
        ``units`` (the communes, or any group too large for a chart), rather than in a ranking table."""
        return group in LISTED_GROUPS or int((self.units["group"] == group).sum()) > 2 * CHART_ENDS

    def group_cards(self) -> list[dict]:
        """Per group (in order): its units' summed counts and rates, ``count`` units, ``set`` ("các xã,
        phường"), ``noun`` ("xã, phường") and ``received_share`` of the province's received dossiers."""
        sums = add_rates(sum_counts(self.units, ["group"])).set_index("group")
        received = self.province_card["received"]
        cards = []
        for group in self.groups():
            card = plain(sums.loc[group])
            cards.append(card | {"count": int((self.units["group"] == group).sum()), "set": group_set(group),
                                 "noun": set_noun(group),
                                 "received_share": card["received"] / received if received else None})
        return cards

    def _split_rows(self, rows: list[list], column: int = 1) -> list[tuple[str, list[list]]]:
        """Rows of a table naming a unit in ``column`` (its registry name), by the unit's group, in order."""
        group_of = {unit.name: unit.group for unit in self.registry}
        by_group: dict[str, list[list]] = {}
        for row in rows:
            by_group.setdefault(group_of.get(row[column], ""), []).append(row)
        return [(group, by_group[group]) for group in ordered_groups(by_group, self.registry)]

    # --- ranking by on-time rate ----------------------------------------------------------------
    def ranking_blocks(self) -> list:
        """Per group: a sentence naming the best and worst units, then the ranking table, or for a listed
        group (:meth:`listed`) a chart of its best and worst units (its table is in the section ``units``)."""
        groups = self.groups()
        blocks: list = []
        for group in groups:
            members = self.members(group)
            blocks.append(Paragraphs([fmt.nfc(self.ranking_sentence(group, members))]))
            if not self.listed(group):
                blocks.append(self.ranking_table(group, titled=len(groups) > 1))
            elif members["on_time_rate"].notna().sum() >= 2:
                blocks.append(self.ranking_chart(group))
        return blocks

    def ranking_sentence(self, group: str, members: pd.DataFrame) -> str:
        """"Trong các xã, phường (4 đơn vị có hồ sơ được giải quyết), tỷ lệ … cao nhất là …, thấp nhất là …"."""
        rated = members.dropna(subset=["on_time_rate"])
        named = group_set(group)
        rate = "tỷ lệ giải quyết đúng hạn và trước hạn"
        if rated.empty:
            return f"Trong {self.period.label_vi}, {named} chưa có hồ sơ được giải quyết; không xếp hạng."
        if len(rated) == 1:
            only = rated.iloc[0]
            return (f"Trong {named}, chỉ {only['name']} có hồ sơ được giải quyết ({rate} "
                    f"{fmt.percent(only['on_time_rate'])}); không xếp hạng.")
        ranks = rated["on_time_rate_rank"]
        best, worst = rated[ranks == ranks.min()], rated[ranks == ranks.max()]
        if len(best) == len(rated):
            return (f"Trong {named}, cả {len(rated)} đơn vị có hồ sơ được giải quyết cùng đạt {rate} "
                    f"{fmt.percent(best['on_time_rate'].iloc[0])}, cùng hạng 1.")
        return (f"Trong {named} ({len(rated)} đơn vị có hồ sơ được giải quyết), {rate} cao nhất là "
                f"{_names(list(best['name']))} ({fmt.percent(best['on_time_rate'].iloc[0])}), thấp nhất là "
                f"{_names(list(worst['name']))} "
                f"({fmt.percent(worst['on_time_rate'].iloc[0])}).")

    def ranking_table(self, group: str | None = None, titled: bool = False) -> Table:
        """The units of ``group`` (default: the first) by on-time rate, best first; units with nothing
        resolved last, without a rank; no rank at all in a group with fewer than two rated units."""
        group = group or self.groups()[0]
        members = self.members(group)
        ranked = members["on_time_rate"].notna().sum() >= 2
        rows = []
        for _, row in members.iterrows():
            values = plain(row) | {"unit": row["name"]}
            values["rank"] = values["on_time_rate_rank"] if ranked else None
            rows.append([values[column.key] for column in RANKING_COLUMNS])
        named = group_set(group)
        note = (f"Xếp hạng trong {named}; đơn vị bằng tỷ lệ cùng hạng." if ranked else
                f"Không xếp hạng: {named} có dưới hai đơn vị có hồ sơ được giải quyết.")
        return Table(f"ranking_{group}" if titled else "ranking", fmt.capital(named) if titled else "",
                     RANKING_COLUMNS, rows, note=note)

    def ranking_chart(self, group: str) -> Chart:
        """The on-time rate of the units of ``group``, best first: all of them, or in a group of more than
        2 × :data:`CHART_ENDS` the best and the worst :data:`CHART_ENDS` (the title says so); the province's
        rate as a dashed line."""
        from matplotlib import rc_context

        from parreport.reports import charts  # Matplotlib is loaded only where a chart is drawn

        rated = self.members(group).dropna(subset=["on_time_rate"])
        cut = len(rated) > 2 * CHART_ENDS
        shown = pd.concat([rated.head(CHART_ENDS), rated.tail(CHART_ENDS)]) if cut else rated
        noun, label = set_noun(group), self.period.label_vi
        title = f"Tỷ lệ giải quyết đúng hạn và trước hạn của {group_set(group)}, {label}"
        if cut:
            title += (f": {CHART_ENDS} {noun} cao nhất và {CHART_ENDS} {noun} thấp nhất trong "
                      f"{fmt.number(len(rated))} {noun}")
        short = {unit.code: unit.short_name for unit in self.registry}
        labels = [f"{int(row.on_time_rate_rank)}. {short.get(row.department, row.name)}" for row in shown.itertuples()]
        positions = [i + (1 if cut and i >= CHART_ENDS else 0) for i in range(len(shown))]
        values = shown["on_time_rate"].astype("float64").to_list()
        province = self.province_card["on_time_rate"]
        low = min(values + ([province] if province is not None else []))
        left = 0.0 if low < 0.5 else max(0.0, (int((low - 0.02) * 20)) / 20)
        with rc_context(charts.HOUSE_STYLE):
            fig, axes = charts.new_figure(1.0 + 0.24 * (positions[-1] + 1))
            axes.hlines(positions, left, values, color=charts.ACCENT, linewidth=1.6)
            axes.plot(values, positions, "o", color=charts.ACCENT, markersize=4.5)
            for y, value in zip(positions, values):
                axes.annotate(fmt.percent(value), (value, y), xytext=(5, 0), textcoords="offset points",
                              va="center", fontsize=7)
            if province is not None:  # said under the axis, where no point lies
                axes.axvline(province, color=charts.PROVINCE_GREY, linestyle="--", linewidth=1)
                axes.set_xlabel(f"Đường đứt nét: tỷ lệ toàn tỉnh {fmt.percent(province)}", fontsize=7.5,
                                color="#52606d")
            if cut:
                axes.axhline(CHART_ENDS, color=charts.PROVINCE_GREY, linestyle=":", linewidth=0.8)
                axes.text(left + (1 - left) * 0.01, CHART_ENDS, f"… {fmt.number(len(rated) - 2 * CHART_ENDS)} "
                          f"{noun} khác", va="center", fontsize=7.5, color="#52606d",
                          bbox={"facecolor": "white", "edgecolor": "none", "pad": 1})
            axes.set_yticks(positions, labels, fontsize=7.5)
            axes.set_ylim(positions[-1] + 0.7, -0.7)
            axes.set_xlim(left, 1.0 + (1.0 - left) * 0.1)
            charts.percent_axis(axes.xaxis)
            axes.grid(False, axis="y")
            axes.grid(True, axis="x")
            axes.tick_params(axis="y", length=0)
            axes.set_title(textwrap.fill(title, 62))  # the axes start right of the units' names
        listed = "; ".join(f"{text} {fmt.percent(value)}" for text, value in zip(labels, values))
        whole = "" if province is None else f" Toàn tỉnh: {fmt.percent(province)}."
        return charts.finish(fig, title, f"{title}. {listed}.{whole}")

    def units_section(self) -> Section | None:
        """Every unit of each listed group (:meth:`listed`) in a table, or ``None`` without such a group."""
        listed = [group for group in self.groups() if self.listed(group)]
        if not listed:
            return None
        tables = [self.units_table(group, titled=len(listed) > 1) for group in listed]
        return Section("units", f"Kết quả giải quyết hồ sơ của {fmt.listing([group_set(g) for g in listed])}",
                       tables)

    def units_table(self, group: str, titled: bool = False) -> Table:
        """Every unit of ``group`` with dossier data: received, resolved, on-time rate, overdue, the official
        766 total when any unit of the group has one, and the rank by on-time rate; best first."""
        members = self.members(group)
        ranked = members["on_time_rate"].notna().sum() >= 2
        totals = {}
        if self.index_766 is not None and self.index_766.period == self.period:
            frame = self.index_766.frame
            totals = frame.set_index("department")["official_total"].dropna().to_dict()
        columns = [column for column in UNITS_COLUMNS
                   if column.key != "official_total" or any(code in totals for code in members["department"])]
        rows = []
        for _, row in members.iterrows():
            values = plain(row) | {"unit": row["name"], "official_total": totals.get(row["department"])}
            values["rank"] = values["on_time_rate_rank"] if ranked else None
            rows.append([None if fmt.is_missing(values[c.key]) else values[c.key] for c in columns])
        named = group_set(group)
        note = (f"Xếp hạng theo tỷ lệ giải quyết đúng hạn và trước hạn trong {named}; đơn vị bằng tỷ lệ cùng hạng, "
                "đơn vị chưa có hồ sơ được giải quyết không xếp hạng." if ranked else
                f"Không xếp hạng: {named} có dưới hai đơn vị có hồ sơ được giải quyết.")
        if len(columns) == len(UNITS_COLUMNS):
            note += f" Tổng điểm Bộ chỉ số 766: điểm công bố trên {s766.SOURCE}."
        return Table(f"units_{group}", fmt.capital(named) if titled else "", columns, rows, note=note)

    # --- tables ---------------------------------------------------------------------------------
    def without_data_note(self) -> list[Note]:
        if not self.without_data:
            return []
        return [Note(f"Chưa có dữ liệu hồ sơ TTHC của {self.period.label_vi}: {', '.join(self.without_data)}.")]

    def bieu06_table(self) -> Table:
        """Biểu 06 with a row per unit and the province's Tổng row."""
        frame = pd.concat([self.units.assign(unit=self.units["name"]),
                           pd.DataFrame([{**self.province_card, "unit": TOTAL_FIELD}])], ignore_index=True)
        return province_table(frame)

    # --- 766 --------------------------------------------------------------------------------------
    def s766_section(self) -> Section:
        """:func:`parreport.reports.s766.province_section` with its table of units split by group, each
        after a sentence naming the group's best and worst official totals."""
        section = s766.province_section(self.index_766, self.has_dossiers, self.period)
        blocks: list = []
        for block in section.blocks:
            blocks += self._s766_tables(block) if isinstance(block, Table) and block.name == "s766_units" else [block]
        return replace(section, blocks=blocks)

    def _s766_tables(self, table: Table) -> list:
        parts = self._split_rows(table.rows)
        blocks: list = []
        for group, rows in parts:
            named = group_set(group)
            totals = [(row[1], row[2]) for row in rows if row[2] is not None]  # best first
            ranked = sum(row[0] is not None for row in rows) >= 2
            if not ranked:
                rows = [[None, *row[1:]] for row in rows]
            if len(totals) >= 2:
                best = [name for name, total in totals if round(total, 2) == round(totals[0][1], 2)]
                worst = [name for name, total in totals if round(total, 2) == round(totals[-1][1], 2)]
                if len(best) < len(totals):  # not all equal
                    blocks.append(Paragraphs([fmt.nfc(
                        f"Trong {named} ({len(totals)} đơn vị có đủ điểm công bố), tổng điểm Bộ chỉ số 766 cao nhất "
                        f"là {_names(best)} ({fmt.score(totals[0][1], s766.TOTAL_MAX)}), thấp nhất là "
                        f"{_names(worst)} ({fmt.score(totals[-1][1], s766.TOTAL_MAX)}).")]))
            ranking = (f"Xếp hạng trong {named}." if ranked else
                       f"Không xếp hạng: {named} có dưới hai đơn vị có đủ điểm công bố.")
            note = f"{table.note.replace(S766_SAME_GROUP, '').strip()} {ranking}".strip()
            several = len(parts) > 1
            blocks.append(replace(table, name=f"s766_units_{group}" if several else table.name, rows=rows, note=note,
                                  title=f"Điểm Bộ chỉ số 766 của {named}" if several else table.title))
        return blocks

    def reach_section(self) -> Section:
        """:func:`parreport.reports.why.province_reach_section` with its table of units split by group and
        ranked within each."""
        section = why.province_reach_section(self.index_766.frame, self.targets)
        blocks: list = []
        for block in section.blocks:
            if not (isinstance(block, Table) and block.name == "reach_units"):
                blocks.append(block)
                continue
            parts = self._split_rows(block.rows)
            for group, rows in parts:
                named = group_set(group)
                blocks.append(replace(block, rows=_ranked(rows, 2), **({} if len(parts) == 1 else {
                    "name": f"reach_units_{group}", "title": f"Điểm Bộ chỉ số 766 còn thiếu của {named}",
                    "note": f"Xếp hạng trong {named}. {block.note}"})))
        return replace(section, blocks=blocks)

    # --- PAR Index ------------------------------------------------------------------------------
    @property
    def par_year(self) -> pd.DataFrame | None:
        """Every unit's PAR Index totals of the period's year (``None`` for other periods or without data)."""
        if self.period.kind != "Y" or self.par is None:
            return None
        frame = self.par.year(self.period.year)
        return None if frame.empty else frame

    def par_blocks(self) -> list:
        """Per group (in order): a sentence (average, best, lowest) and the table of its units, ranked."""
        year = self.par_year
        names = {unit.code: unit.name for unit in self.registry}
        sipas = self.par.sipas
        sipas = sipas[sipas["year"] == self.period.year].set_index("department")["pct"]
        frame = year.assign(unit=year["department"].map(names), sipas=year["department"].map(sipas))
        groups = ordered_groups(frame["group"], self.registry)
        blocks: list = []
        for group in groups:
            members = frame[frame["group"] == group]  # best first (ParData.year)
            scored = members.dropna(subset=["pct"])
            named, label = group_set(group), self.period.label_vi
            text = None
            if len(scored) >= 2:
                best, last = scored.iloc[0], scored.iloc[-1]
                text = (
                    f"Chỉ số CCHC {label} của {named}: bình quân đạt {fmt.percent(scored['pct'].mean())}; cao nhất "
                    f"là {best['unit']} ({fmt.score(best['score'], best['max_score'])}, {fmt.percent(best['pct'])}), "
                    f"thấp nhất là {last['unit']} ({fmt.score(last['score'], last['max_score'])}, "
                    f"{fmt.percent(last['pct'])}).")
            elif len(scored) == 1:
                only = scored.iloc[0]
                text = (f"Chỉ số CCHC {label} của {named}: chỉ {only['unit']} được đánh giá "
                             f"({fmt.score(only['score'], only['max_score'])}, {fmt.percent(only['pct'])}); không "
                             f"xếp hạng.")
            ranked = len(scored) >= 2
            rows = [[(plain(row) | ({} if ranked else {"rank": None}))[column.key] for column in PAR_COLUMNS]
                    for _, row in members.iterrows()]
            several = len(groups) > 1
            if text is not None:
                blocks.append(Paragraphs([fmt.nfc(text)]))
            blocks.append(Table(f"par_ranking_{group}" if several else "par_ranking",
                                f"Chỉ số CCHC của {named}" if several else "", PAR_COLUMNS, rows,
                                note=f"Xếp hạng theo tỷ lệ điểm trong {named}; đơn vị bằng điểm cùng hạng." if ranked
                                else f"Không xếp hạng: {named} có dưới hai đơn vị được đánh giá."))
        return blocks

    # --- charts ---------------------------------------------------------------------------------
    def heat_map_blocks(self) -> list:
        """A heat map per group (a listed group's best and worst units) and how to read it."""
        groups = self.groups()
        blocks: list = [self.heat_map(group, titled=len(groups) > 1) for group in groups]
        cut = [group for group in groups if self.listed(group)
               and self.members(group)["on_time_rate"].notna().sum() > 2 * CHART_ENDS]
        note = HEAT_MAP_NOTE
        if cut:
            sets = fmt.listing([group_set(group) for group in cut])
            note += (f" Biểu đồ của {sets} chỉ gồm {CHART_ENDS} đơn vị có tỷ lệ giải quyết đúng hạn cao nhất và "
                     f"{CHART_ENDS} đơn vị thấp nhất; số liệu của từng đơn vị ở mục «{self.units_section().title}».")
        return [*blocks, Note(note)]

    def heat_map(self, group: str | None = None, titled: bool = False) -> Chart:
        """Units × indicators: the units of ``group`` (default: every unit), best on-time rate first; of a
        listed group with more than 2 × :data:`CHART_ENDS` rated units, the best and the worst
        :data:`CHART_ENDS` only."""
        columns = dict(HEAT_MAP_RATES)
        if group is None:
            frame = self.units.sort_values("on_time_rate", ascending=False, na_position="last")
        else:
            frame = self.members(group)
        label = self.period.label_vi
        title = f"Các chỉ tiêu của {group_set(group)}, {label}" if titled else f"Các chỉ tiêu theo đơn vị, {label}"
        rated = frame.dropna(subset=["on_time_rate"])
        if group is not None and self.listed(group) and len(rated) > 2 * CHART_ENDS:
            frame = pd.concat([rated.head(CHART_ENDS), rated.tail(CHART_ENDS)])
            noun = set_noun(group)
            title += ":\n" + textwrap.fill(f"{CHART_ENDS} {noun} có tỷ lệ đúng hạn cao nhất và {CHART_ENDS} thấp nhất "
                                           f"(trong {fmt.number(len(rated))} {noun})", 52)  # beside the names
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

        return charts.heat_map(frame, columns, title)

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
        """For each target, the units that miss it (the furthest first), in the indicator's direction; with
        several groups, group by group, each naming at most :data:`ATTENTION_LISTED` units and counting the
        others."""
        groups = self.groups()
        points = []
        for name, target in self.targets.items():
            indicator = INDICATORS[name]
            values = self.units[["name", "group", name]].dropna(subset=[name])
            missing = values[[indicator.below_target(float(v), target) for v in values[name]]]
            if missing.empty:
                continue
            missing = missing.sort_values(name, ascending=indicator.higher_is_better)
            side = "thấp hơn mục tiêu" if indicator.higher_is_better else "cao hơn mức tối đa"

            if len(groups) == 1:
                points.append(f"{indicator.label} {side} {fmt.percent(target)}: {', '.join(_rated(missing, name))}.")
                continue
            parts = []
            for group in groups:
                these = missing[missing["group"] == group]
                if these.empty:
                    continue
                named = _rated(these.head(ATTENTION_LISTED), name)
                if len(these) > ATTENTION_LISTED:
                    named.append(f"{fmt.number(len(these) - ATTENTION_LISTED)} {set_noun(group)} khác")
                parts.append(f"trong {group_set(group)} có {fmt.listing(named)}")
            points.append(fmt.nfc(f"{indicator.label} {side} {fmt.percent(target)}: {'; '.join(parts)}."))
        return points


def _rated(frame: pd.DataFrame, rate: str) -> list[str]:
    """Each unit of ``frame`` with its ``rate``: "Sở Tư pháp (75,00%)"."""
    return [f"{row['name']} ({fmt.percent(row[rate])})" for _, row in frame.iterrows()]


def _ranked(rows: list[list], column: int) -> list[list]:
    """``rows`` with their first cell the rank of their ``column`` among the rows having one, highest first
    (ties share the better place); no rank in a row without a value, nor among fewer than two rows."""
    values = [round(row[column], 9) for row in rows if row[column] is not None]
    return [[None if row[column] is None or len(values) < 2 else
             1 + sum(other > round(row[column], 9) for other in values), *row[1:]] for row in rows]


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
    with_data = units["has_data"].astype(bool)  # whose data the row sums (DossierData.units)
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
