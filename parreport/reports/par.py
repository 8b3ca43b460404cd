"""The "Chỉ số cải cách hành chính" section of a unit's annual briefing: PAR Index score card, sentences in
the style of the seed articles, the unit's areas against the average, its rank over the years, and SIPAS.

Across a merger the scores of the year before are the predecessors' own, set side by side (a sentence and a
table), never summed nor averaged; a rename keeps one series and its change (docs/data.md §2.5, "Scores across
mergers and renames")."""
from __future__ import annotations

from parreport import fmt
import pandas as pd

from parreport.metrics.par_index import TOP, WEAKEST, ParData, weakest
from parreport.narrative import render
from parreport.registry import Department, group_set
from parreport.reports.content import Column, Kpi, Kpis, Note, Paragraphs, Section, Table, plain

KEY = "par_index"
TITLE = "Chỉ số cải cách hành chính"
NOTE = ("Chỉ số CCHC: tổng điểm các lĩnh vực đánh giá; tỷ lệ = tổng điểm / tổng điểm tối đa. Xếp hạng theo tỷ lệ "
        "trong các đơn vị cùng nhóm được đánh giá cùng năm (đơn vị bằng điểm cùng hạng); bình quân là trung bình "
        "tỷ lệ của các đơn vị đó. Chỉ số SIPAS: tỷ lệ hài lòng chung, hoặc bình quân các yếu tố khi chỉ có số liệu "
        "theo yếu tố.")


def par_headline(par: ParData, department: str, year: int) -> dict:
    """The annual headline figures (plain numbers; ``None`` when the unit was not scored)."""
    totals = par.unit(department, year)
    row = {} if totals is None else plain(totals)
    return {"par_score": row.get("score"), "par_max": row.get("max_score"), "par_pct": row.get("pct"),
            "par_rank": row.get("rank"), "par_rank_of": row.get("rank_of")}


def par_section(par: ParData, unit: Department, year: int, subject: str) -> Section:
    """The section for ``unit`` in ``year``; a single notice when the unit has no PAR Index score that year."""
    totals = par.unit(unit.code, year)
    label = f"năm {year}"
    if totals is None:
        return Section(KEY, TITLE, [Paragraphs(
            [f"Chưa có dữ liệu Chỉ số cải cách hành chính {label} của {unit.name}."], notice=True)])
    t = plain(totals)
    ranked_set = group_set(unit.group)
    sipas_row = par.unit_sipas(unit.code, year)
    s = None if sipas_row is None else plain(sipas_row)
    before, sipas_before = par.before(unit.code, year), par.sipas_before(unit.code, year)
    context = {"t": t, "s": s, "year": year, "year_label": label, "subject": subject, "ranked_set": ranked_set,
               "top": TOP, "before": _plain_rows(before), "sipas_before": _plain_rows(sipas_before),
               "then_name": _former_name(par, t), "sipas_then_name": _former_name(par, s),
               "unit_name": unit.short_name}
    paragraphs = [render("par_index.txt.j2", **context)]
    areas = par.unit_areas(unit.code, year)
    weak = weakest(areas, WEAKEST)
    if not weak.empty:
        paragraphs.append(_weakest_sentence(weak, ranked_set))
    if s is not None:
        paragraphs.append(render("sipas.txt.j2", **context))
    average_label = f"Bình quân {ranked_set}"
    from parreport.reports import charts  # Matplotlib is loaded only where a chart is drawn

    blocks = [
        _kpis(t, s, year, ranked_set, merged=not before.empty),
        Paragraphs(paragraphs),
        *([before_table(par, unit.code, year, before, sipas_before)] if len(before) or len(sipas_before) else []),
        charts.par_areas(areas, unit.short_name, average_label),
        _areas_table(areas, average_label),
        charts.rank_history(par.history(unit.code, year), unit.short_name, ranked_set),
        Note(NOTE),
    ]
    return Section(KEY, TITLE, blocks)


def _plain_rows(frame: pd.DataFrame) -> list[dict]:
    return [plain(row) for _, row in frame.iterrows()]


def _former_name(par: ParData, row: dict | None) -> str:
    """The short name the unit had in the year its change is measured against, when it was renamed since
    (``then_department`` is another unit); else ""."""
    if row is None or row.get("then_department") in (None, row["department"]):
        return ""
    return par.registry.get(row["then_department"]).short_name


BEFORE_COLUMNS = [
    Column("name", "Cơ quan, đơn vị", "text"),
    Column("score", "Điểm Chỉ số CCHC", "score"),
    Column("max_score", "Điểm tối đa", "score"),
    Column("pct", "Tỷ lệ điểm", "percent"),
    Column("rank", "Xếp hạng", "text"),
    Column("sipas", "Chỉ số SIPAS", "percent"),
]


def before_table(par: ParData, department: str, year: int, before: pd.DataFrame,
                 sipas_before: pd.DataFrame) -> Table:
    """The year before ``year`` side by side: the unit's own scores then (if it existed, e.g. a unit that took
    in another one and kept its code) and each predecessor's (:meth:`ParData.before`): PAR Index score, maximum,
    percentage, rank and SIPAS. Never a sum nor an average of them."""
    then = year - 1
    own_par, own_sipas = par.unit(department, year), par.unit_sipas(department, year)
    codes = [code for code in (None if own_par is None else own_par["then_department"],
                               None if own_sipas is None else own_sipas["then_department"]) if pd.notna(code)]
    codes = list(dict.fromkeys([*codes[:1], *before["department"], *sipas_before["department"]]))
    rows = []
    for code in codes:
        totals = par.unit(code, then)
        sipas_row = par.unit_sipas(code, then)
        t = {} if totals is None else plain(totals)
        rows.append([par.registry.get(code).short_name, t.get("score"), t.get("max_score"), t.get("pct"),
                     None if not t else fmt.rank(t.get("rank"), t.get("rank_of")),
                     None if sipas_row is None else plain(sipas_row)["pct"]])
    return Table("par_before", f"Chỉ số CCHC và SIPAS năm {then} của các đơn vị trước khi hợp nhất", BEFORE_COLUMNS,
                 rows, note=f"Điểm của từng đơn vị năm {then}, xếp hạng trong các đơn vị cùng nhóm năm {then}. Chỉ "
                            "số của các đơn vị hợp nhất không được cộng hay lấy bình quân.")


def _areas_table(areas, average_label: str) -> Table:
    """The unit's score in each area against the area's maximum and the average of the units ranked with it."""
    columns = [Column("area", "Lĩnh vực đánh giá", "text"), Column("score", "Điểm", "score"),
               Column("max_score", "Điểm tối đa", "score"), Column("pct", "Tỷ lệ điểm", "percent"),
               Column("average_pct", f"Tỷ lệ điểm {average_label[:1].lower()}{average_label[1:]}", "percent")]
    rows = [[plain(row)[column.key] for column in columns] for _, row in areas.iterrows()]
    return Table("par_areas", "Điểm theo lĩnh vực đánh giá", columns, rows)


def _kpis(t: dict, s: dict | None, year: int, ranked_set: str, merged: bool = False) -> Kpis:
    since = f" so với năm {year - 1}"
    score_change = fmt.count_change(t["score_change"], "điểm", 2)
    missing = f"năm {year - 1}: xem điểm từng đơn vị trước hợp nhất" if merged else "chưa có số liệu năm trước"
    items = [
        Kpi(f"{fmt.number(t['score'], 2)}/{fmt.number(t['max_score'])}", f"điểm Chỉ số CCHC năm {year}",
            score_change + since if t["score_change"] is not None else missing),
        Kpi(fmt.percent(t["pct"]), "Tỷ lệ điểm đạt được",
            fmt.pp_change(t["pct_change"]) + since if t["pct_change"] is not None else ""),
        Kpi(fmt.rank(t["rank"], t["rank_of"]), f"Xếp hạng trong {ranked_set}",
            f"bình quân {fmt.percent(t['average_pct'])}"),
    ]
    if s is not None:
        items.append(Kpi(fmt.percent(s["pct"]), "Chỉ số hài lòng SIPAS",
                         fmt.pp_change(s["pct_change"]) + since if s["pct_change"] is not None else ""))
    return Kpis(items)


def _weakest_sentence(weak, ranked_set: str) -> str:
    """"Các lĩnh vực có tỷ lệ điểm thấp nhất: X (6,10/10 điểm, 61,00%, thấp hơn bình quân … 9,50 điểm
    phần trăm); Y (…)."""
    parts = []
    for row in weak.itertuples():
        gap = round(float(row.gap) * 100, 2)
        if gap == 0:
            against = f"bằng bình quân {ranked_set}"
        else:
            against = (f"{'thấp' if gap < 0 else 'cao'} hơn bình quân {ranked_set} "
                       f"{fmt.number(abs(gap), 2)} điểm phần trăm")
        parts.append(f"{row.area} ({fmt.score(row.score, row.max_score)}, {fmt.percent(row.pct)}, {against})")
    opening = "Lĩnh vực có tỷ lệ điểm thấp nhất là" if len(parts) == 1 else \
        f"{len(parts)} lĩnh vực có tỷ lệ điểm thấp nhất là"
    return fmt.nfc(f"{opening}: {'; '.join(parts)}.")
