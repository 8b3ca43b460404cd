"""The "Chỉ số cải cách hành chính" section of a unit's annual briefing: PAR Index score card, sentences in
the style of the seed articles, the unit's areas against the average, its rank over the years, and SIPAS."""
from __future__ import annotations

from parreport import fmt
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
    context = {"t": t, "s": s, "year": year, "year_label": label, "subject": subject, "ranked_set": ranked_set,
               "top": TOP}
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
        _kpis(t, s, year, ranked_set),
        Paragraphs(paragraphs),
        charts.par_areas(areas, unit.short_name, average_label),
        _areas_table(areas, average_label),
        charts.rank_history(par.history(unit.code, year), unit.short_name, ranked_set),
        Note(NOTE),
    ]
    return Section(KEY, TITLE, blocks)


def _areas_table(areas, average_label: str) -> Table:
    """The unit's score in each area against the area's maximum and the average of the units ranked with it."""
    columns = [Column("area", "Lĩnh vực đánh giá", "text"), Column("score", "Điểm", "score"),
               Column("max_score", "Điểm tối đa", "score"), Column("pct", "Tỷ lệ điểm", "percent"),
               Column("average_pct", f"Tỷ lệ điểm {average_label[:1].lower()}{average_label[1:]}", "percent")]
    rows = [[plain(row)[column.key] for column in columns] for _, row in areas.iterrows()]
    return Table("par_areas", "Điểm theo lĩnh vực đánh giá", columns, rows)


def _kpis(t: dict, s: dict | None, year: int, ranked_set: str) -> Kpis:
    since = f" so với năm {year - 1}"
    score_change = fmt.count_change(t["score_change"], "điểm", 2)
    items = [
        Kpi(f"{fmt.number(t['score'], 2)}/{fmt.number(t['max_score'])}", f"điểm Chỉ số CCHC năm {year}",
            score_change + since if t["score_change"] is not None else "chưa có số liệu năm trước"),
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
