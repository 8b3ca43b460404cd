"""Everything a department briefing shows for one period, ready for the notebook to display.

The notebook stays thin: it calls :func:`load_briefing` once and displays the pieces.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd

from parreport import fmt
from parreport.errors import ConfigError
from parreport.metrics import PROVINCE, RATES, TOTAL_FIELD, DossierData, field_table, scorecard, trend
from parreport.narrative import render
from parreport.paths import DEFAULT_REGISTRY
from parreport.periods import Period
from parreport.registry import Department, Registry
from parreport.sources import open_store

# Minimum acceptable value of each rate; a unit below it gets an attention point. A batch spec's
# ``targets`` overrides any of them.
DEFAULT_TARGETS: dict[str, float] = {
    "on_time_rate": 0.98,
    "progress_766": 0.95,
    "online_share": 0.50,
    "digitized_share": 0.80,
    "online_payment_share": 0.50,
    "apology_rate": 1.00,
}
CHANNEL_LABELS = {"new_online": "Trực tuyến", "new_in_person": "Trực tiếp", "new_postal": "Bưu chính công ích"}


def check_targets(targets: dict, where: str = "targets") -> dict[str, float]:
    """Targets as ratios keyed by rate name; :class:`ConfigError` for an unknown name or a value that is
    not a ratio from 0 to 1."""
    unknown = sorted(set(targets) - set(RATES))
    if unknown:
        raise ConfigError(f"{where}: unknown target {', '.join(unknown)}; expected some of {', '.join(RATES)}")
    checked = {}
    for name, value in targets.items():
        try:
            checked[name] = float(value)
        except (TypeError, ValueError):
            raise ConfigError(f"{where}: target {name} must be a ratio such as 0.98, found {value!r}") from None
        if not 0 <= checked[name] <= 1:
            raise ConfigError(f"{where}: target {name} must be a ratio from 0 to 1 (0.98 = 98%), found {value!r}")
    return checked


def plain(row: pd.Series) -> dict:
    """A row as plain Python values (NA → None), for templates."""
    return {key: (None if pd.isna(value) else value.item() if hasattr(value, "item") else value)
            for key, value in row.items()}


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

    # The notebook displays the headline under this MIME type: invisible in HTML, read back by the batch.
    HEADLINE_MIMETYPE = "application/vnd.parreport.headline+json"

    # --- headline -------------------------------------------------------------------------------
    def headline(self) -> dict:
        """The four headline figures (plain numbers), for the batch index and manifest."""
        return {key: self.card[key] for key in ("received", "resolved", "on_time_rate", "overdue")}

    def kpis_html(self) -> str:
        u = self.card
        since = " so với kỳ trước"
        kpis = [
            {"value": fmt.number(u["received"]), "label": "Hồ sơ tiếp nhận",
             "change": fmt.count_change(u["received_prev"]) + since},
            {"value": fmt.number(u["resolved"]), "label": "Hồ sơ đã giải quyết",
             "change": fmt.count_change(u["resolved_prev"]) + since},
            {"value": fmt.percent(u["on_time_rate"]), "label": "Tỷ lệ đúng hạn và trước hạn",
             "change": fmt.pp_change(u["on_time_rate_prev"]) + since},
            {"value": fmt.number(u["overdue"]), "label": "Hồ sơ quá hạn",
             "change": fmt.count_change(u["overdue_prev"]) + since},
        ]
        return render("kpis.html.j2", kpis=kpis)

    # --- text -----------------------------------------------------------------------------------
    @property
    def subject(self) -> str:
        """How the narrative names the unit: "Sở", "Ban", or its short name."""
        first = self.unit.name.split()[0]
        return first if first in ("Sở", "Ban") else self.unit.short_name

    def paragraphs(self) -> list[str]:
        context = {"u": self.card, "period": self.period, "subject": self.subject,
                   "previous": self.period.previous(), "year_ago": self.period.year_ago(),
                   "show_year_ago": self.period.kind != "Y"}
        return [render("summary.txt.j2", **context), render("rates.txt.j2", **context)]

    def narrative_html(self) -> str:
        return render("narrative.html.j2", paragraphs=self.paragraphs())

    def cover_html(self, today: date | None = None) -> str:
        return render("cover.html.j2", province=self.province, unit=self.unit, period=self.period,
                      today=today or date.today())

    def table_html(self) -> str:
        return render("field_table.html.j2", rows=[plain(r) for _, r in self.table.iterrows()],
                      total_field=TOTAL_FIELD)

    def attention_points(self) -> list[str]:
        """Indicators below their targets, fields below the on-time target, overdue dossiers."""
        points = []
        for name, target in self.targets.items():
            value = self.card.get(name)
            if value is not None and value < target:
                points.append(f"{RATES[name].label} đạt {fmt.percent(value)}, thấp hơn mục tiêu {fmt.percent(target)}.")
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

    def attention_html(self) -> str:
        return render("attention.html.j2", points=self.attention_points())

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
) -> Briefing:
    """Compute the briefing of ``department`` for ``period`` from ``data`` (see :func:`open_store`)."""
    registry = registry if isinstance(registry, Registry) else Registry.load(registry or DEFAULT_REGISTRY)
    unit = registry.get(str(department))
    period = Period.parse(period, convention)
    targets = check_targets(targets or {})
    with open_store(data, registry) as store:
        dossiers = DossierData.from_store(store, registry)
    card = scorecard(dossiers, period).set_index("department")
    if unit.code not in card.index:
        raise ConfigError(f"{unit.code} ({unit.name}) did not exist in {period.label_vi}")
    return Briefing(
        unit=unit, period=period, province=registry.province,
        card=plain(card.loc[unit.code]), province_card=plain(card.loc[PROVINCE]),
        table=field_table(dossiers, period, unit.code),
        history=trend(dossiers, period, unit.code),
        targets={**DEFAULT_TARGETS, **targets},
    )
