"""Communes are first-class: the overview ranks the sở, ban, ngành and the xã, phường separately, lists every
commune, a commune's briefing states its rank among the xã, phường, and the index groups its rows by group.

Fixture (the two-level province since 1/7/2025): 3 sở — SXD Sở Xây dựng, STP Sở Tư pháp, SYT Sở Y tế (group
``so_nganh``) — and 4 xã, phường — XDH Xã Đông Hòa, PTS Phường Tây Sơn, XNH Xã Nam Hải, XBL Xã Bắc Lý (group
``cap_xa``). Every dossier is received 6/10/2025 and due 20/10/2025; completed 15/10 is early, 20/10 on
time, 25/10 late, no date: still open at 31/12, so pending overdue. In quý IV năm 2025 (1/10–31/12):

| unit | received | early | on time | late | open | resolved | on time + early | rate   | overdue |
|------|---------:|------:|--------:|-----:|-----:|---------:|----------------:|-------:|--------:|
| SXD  | 4        | 4     |         |      |      | 4        | 4               | 100 %  | 0       |
| STP  | 4        | 3     |         | 1    |      | 4        | 3               | 75 %   | 1       |
| SYT  | 5        | 4     |         | 1    |      | 5        | 4               | 80 %   | 1       |
| XDH  | 10       |       | 9       | 1    |      | 10       | 9               | 90 %   | 1       |
| PTS  | 8        | 8     |         |      |      | 8        | 8               | 100 %  | 0       |
| XNH  | 5        | 3     |         | 2    |      | 5        | 3               | 60 %   | 2       |
| XBL  | 6        | 4     |         | 1    | 1    | 5        | 4               | 80 %   | 2       |

* Within the sở: SXD 1/3 (100 %), SYT 2/3 (80 %), STP 3/3 (75 %). Within the xã, phường: PTS 1/4 (100 %),
  XDH 2/4 (90 %), XBL 3/4 (80 %), XNH 4/4 (60 %). Ranked all together, XBL would be 4/7 (SXD and PTS 1,
  XDH 3, SYT and XBL 4): "3/4 trong các xã, phường" is the rank within its group only.
* The province: received 42, resolved 41, on time 4+3+4+9+8+3+4 = 35 → 35/41 = 85,37 %; overdue 6 late + 1
  open = 7. The sở: received 13 (13/42 = 30,95 %), on time 11/13 = 84,62 %, overdue 2; the xã, phường:
  received 29 (69,05 %), on time 24/28 = 85,71 %, overdue 5.
* Official 766 scores of quý IV (six groups each): XDH 16+18+20+10+8+16 = 88,00; PTS 17+19+21+11+9+17 =
  94,00; SXD 15+17+19+9+7+15 = 82,00; STP 14+16+18+8+6+14 = 76,00. Within groups: PTS 1/2, XDH 2/2, SXD 1/2,
  STP 2/2 (all together SXD would be 3/4: "1/2 Sở Xây dựng" is only the per-group rank).
* PAR Index 2025 (two areas of 10 points): SXD 9+9 = 18/20 = 90 %, STP 16/20 = 80 %, SYT 15/20 = 75 % →
  sở average (90+80+75)/3 = 81,67 %; PTS 19/20 = 95 %, XDH 17/20 = 85 %, XNH 14/20 = 70 % (XBL not scored) →
  xã average (95+85+70)/3 = 83,33 %.
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from parreport.batch.index import write_index, write_manifest
from parreport.batch.results import JobResult
from parreport.registry import Registry
from parreport.reports.content import Chart, Paragraphs, Points, Table
from parreport.sources import ingest_files
from parreport.store import Store

PARREPORT = str(Path(sys.executable).with_name("parreport"))
REGISTRY_YAML = """\
province: "Tỉnh Thử Nghiệm"
departments:
  - {code: SXD, name: "Sở Xây dựng", short_name: "Sở Xây dựng", group: so_nganh, fields: ["Xây dựng"]}
  - {code: STP, name: "Sở Tư pháp", short_name: "Sở Tư pháp", group: so_nganh, fields: ["Công chứng"]}
  - {code: SYT, name: "Sở Y tế", short_name: "Sở Y tế", group: so_nganh, fields: ["Khám chữa bệnh"]}
  - {code: XDH, name: "Xã Đông Hòa", short_name: "Xã Đông Hòa", group: cap_xa, fields: ["Hộ tịch"]}
  - {code: PTS, name: "Phường Tây Sơn", short_name: "Phường Tây Sơn", group: cap_xa, fields: ["Hộ tịch"]}
  - {code: XNH, name: "Xã Nam Hải", short_name: "Xã Nam Hải", group: cap_xa, fields: ["Hộ tịch"]}
  - {code: XBL, name: "Xã Bắc Lý", short_name: "Xã Bắc Lý", group: cap_xa, fields: ["Hộ tịch"]}
"""
EARLY, ON_TIME, LATE, OPEN = "2025-10-15", "2025-10-20", "2025-10-25", ""
PLAN = [("SXD", "Xây dựng", {EARLY: 4}), ("STP", "Công chứng", {EARLY: 3, LATE: 1}),
        ("SYT", "Khám chữa bệnh", {EARLY: 4, LATE: 1}), ("XDH", "Hộ tịch", {ON_TIME: 9, LATE: 1}),
        ("PTS", "Hộ tịch", {EARLY: 8}), ("XNH", "Hộ tịch", {EARLY: 3, LATE: 2}),
        ("XBL", "Hộ tịch", {EARLY: 4, LATE: 1, OPEN: 1})]
DOSSIERS = "dossier_id,department,field,received_at,due_at,completed_at\n" + "".join(
    f"{unit}-{n}-{i},{unit},{field},2025-10-06,2025-10-20,{done}\n"
    for unit, field, plan in PLAN for n, (done, count) in enumerate(plan.items()) for i in range(count))
GROUPS_766 = ("cong_khai", "tien_do", "so_hoa", "dvc_truc_tuyen", "thanh_toan", "hai_long")
SCORES = {"XDH": (16, 18, 20, 10, 8, 16), "PTS": (17, 19, 21, 11, 9, 17), "SXD": (15, 17, 19, 9, 7, 15),
          "STP": (14, 16, 18, 8, 6, 14)}
S766 = "period,department,group,score\n" + "".join(
    f"2025-Q4,{unit},{group},{score}\n" for unit, scores in SCORES.items() for group, score in zip(GROUPS_766, scores))
PAR = "year,department,area,score,max_score\n" + "".join(
    f"2025,{unit},{area},{score},10\n" for unit, scores in {
        "SXD": (9, 9), "STP": (8, 8), "SYT": (7, 8), "XDH": (8, 9), "PTS": (9, 10), "XNH": (7, 7)}.items()
    for area, score in zip(("Cải cách TTHC", "Chỉ đạo điều hành"), scores))


def make_store(folder: Path, files: dict[str, str], registry_yaml: str = REGISTRY_YAML) -> tuple[Path, Path]:
    """``files`` written to ``folder`` and ingested into ``folder/data.duckdb``; the store and registry paths."""
    folder.mkdir(parents=True, exist_ok=True)
    registry = folder / "departments.yaml"
    registry.write_text(registry_yaml, encoding="utf-8")
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    with Store(folder / "data.duckdb") as store:
        ingest_files(store, [folder / name for name in files], Registry.load(registry))
    return folder / "data.duckdb", registry


@pytest.fixture(scope="module")
def province(tmp_path_factory) -> dict:
    store, registry = make_store(tmp_path_factory.mktemp("groups"), {"dossiers.csv": DOSSIERS,
                                                                      "scores_766.csv": S766, "par_index.csv": PAR})
    return {"data": str(store), "registry": str(registry)}


def texts(section) -> list[str]:
    return [text for block in section.blocks if isinstance(block, Paragraphs) for text in block.texts]


def tables(section) -> dict[str, Table]:
    return {block.name: block for block in section.blocks if isinstance(block, Table)}


def pdf_text(path: Path) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(path).pages)


# --- the overview, in process -------------------------------------------------------------------------------------
def test_the_overview_ranks_each_group_and_lists_every_commune(province):
    from parreport.reports.overview import load_overview

    document = load_overview("2025-Q4", **province).document()
    [opening] = texts(document.section("highlights"))
    assert "toàn tỉnh (3 sở, ban, ngành và 4 xã, phường có dữ liệu) tiếp nhận 42 hồ sơ" in opening
    assert "đúng hạn và trước hạn toàn tỉnh đạt 85,37%" in opening
    assert ("Theo nhóm đơn vị: các sở, ban, ngành tiếp nhận 13 hồ sơ (30,95% số hồ sơ toàn tỉnh), đã giải quyết 13 "
            "hồ sơ, đúng hạn và trước hạn 84,62%, 2 hồ sơ quá hạn; các xã, phường tiếp nhận 29 hồ sơ (69,05% số hồ "
            "sơ toàn tỉnh), đã giải quyết 28 hồ sơ, đúng hạn và trước hạn 85,71%, 5 hồ sơ quá hạn.") in opening

    ranking = document.section("ranking")
    assert texts(ranking) == [
        "Trong các sở, ban, ngành (3 đơn vị có hồ sơ được giải quyết), tỷ lệ giải quyết đúng hạn và trước hạn cao "
        "nhất là Sở Xây dựng (100,00%), thấp nhất là Sở Tư pháp (75,00%).",
        "Trong các xã, phường (4 đơn vị có hồ sơ được giải quyết), tỷ lệ giải quyết đúng hạn và trước hạn cao nhất "
        "là Phường Tây Sơn (100,00%), thấp nhất là Xã Nam Hải (60,00%)."]
    sở = tables(ranking)["ranking_so_nganh"]
    assert sở.title == "Các sở, ban, ngành" and "trong các sở, ban, ngành" in sở.note
    assert [row[:2] for row in sở.rows] == [[1, "Sở Xây dựng"], [2, "Sở Y tế"], [3, "Sở Tư pháp"]]
    [chart] = [block for block in ranking.blocks if isinstance(block, Chart)]  # the communes: a chart, all 4
    assert "các xã, phường" in chart.title and "thấp nhất" not in chart.title
    assert "1. Phường Tây Sơn 100,00%; 2. Xã Đông Hòa 90,00%; 3. Xã Bắc Lý 80,00%; 4. Xã Nam Hải 60,00%" in chart.alt

    communes = document.section("units")
    assert communes.title == "Kết quả giải quyết hồ sơ của các xã, phường"
    [table] = communes.blocks
    assert [column.label for column in table.columns] == ["Hạng", "Đơn vị", "Tiếp nhận", "Đã giải quyết",
                                                         "Tỷ lệ đúng hạn", "Quá hạn", "Tổng điểm Bộ chỉ số 766"]
    assert table.rows == [[1, "Phường Tây Sơn", 8, 8, 1.0, 0, 94.0], [2, "Xã Đông Hòa", 10, 10, 0.9, 1, 88.0],
                          [3, "Xã Bắc Lý", 6, 5, 0.8, 2, None], [4, "Xã Nam Hải", 5, 5, 0.6, 2, None]]

    s766 = document.section("s766")
    assert ("Trong các xã, phường (2 đơn vị có đủ điểm công bố), tổng điểm Bộ chỉ số 766 cao nhất là Phường Tây "
            "Sơn (94,00/100 điểm), thấp nhất là Xã Đông Hòa (88,00/100 điểm).") in texts(s766)
    by_group = tables(s766)
    assert [row[:3] for row in by_group["s766_units_so_nganh"].rows[:2]] == [["1/2", "Sở Xây dựng", 82.0],
                                                                            ["2/2", "Sở Tư pháp", 76.0]]
    assert [row[:3] for row in by_group["s766_units_cap_xa"].rows[:2]] == [["1/2", "Phường Tây Sơn", 94.0],
                                                                          ["2/2", "Xã Đông Hòa", 88.0]]
    reach = tables(document.section("reach"))  # points still to win: 100 − total, ranked within each group
    assert [row[:3] for row in reach["reach_units_cap_xa"].rows[:2]] == [[1, "Xã Đông Hòa", 12.0],
                                                                        [2, "Phường Tây Sơn", 6.0]]
    assert [block.title for block in document.section("heatmap").blocks if isinstance(block, Chart)] == [
        "Các chỉ tiêu của các sở, ban, ngành, quý IV năm 2025", "Các chỉ tiêu của các xã, phường, quý IV năm 2025"]
    [on_time, *_] = [point for block in document.section("attention").blocks if isinstance(block, Points)
                     for point in block.items]
    assert on_time == ("Tỷ lệ giải quyết đúng hạn và trước hạn thấp hơn mục tiêu 98,00%: trong các sở, ban, ngành có "
                       "Sở Tư pháp (75,00%) và Sở Y tế (80,00%); trong các xã, phường có Xã Nam Hải (60,00%), Xã Bắc "
                       "Lý (80,00%) và Xã Đông Hòa (90,00%).")


def test_the_par_index_is_ranked_per_group(province):
    from parreport.reports.overview import load_overview

    par = load_overview("2025", **province).document().section("par_index")
    assert texts(par) == [
        "Chỉ số CCHC năm 2025 của các sở, ban, ngành: bình quân đạt 81,67%; cao nhất là Sở Xây dựng (18,00/20 điểm, "
        "90,00%), thấp nhất là Sở Y tế (15,00/20 điểm, 75,00%).",
        "Chỉ số CCHC năm 2025 của các xã, phường: bình quân đạt 83,33%; cao nhất là Phường Tây Sơn (19,00/20 điểm, "
        "95,00%), thấp nhất là Xã Nam Hải (14,00/20 điểm, 70,00%)."]
    ranked = tables(par)
    assert [row[:2] for row in ranked["par_ranking_cap_xa"].rows] == [[1, "Phường Tây Sơn"], [2, "Xã Đông Hòa"],
                                                                     [3, "Xã Nam Hải"]]
    assert ranked["par_ranking_so_nganh"].title == "Chỉ số CCHC của các sở, ban, ngành"


def test_766_scores_alone_are_ranked_per_group(tmp_path):
    from parreport.reports.overview import load_overview

    store, registry = make_store(tmp_path, {"scores_766.csv": S766})
    document = load_overview("2025-Q4", data=str(store), registry=str(registry)).document()
    assert [section.key for section in document.sections] == ["highlights", "s766", "reach"]
    by_group = tables(document.section("s766"))
    assert [row[:2] for row in by_group["s766_units_cap_xa"].rows] == [["1/2", "Phường Tây Sơn"],
                                                                      ["2/2", "Xã Đông Hòa"]]
    assert [row[:2] for row in by_group["s766_units_so_nganh"].rows] == [["1/2", "Sở Xây dựng"],
                                                                        ["2/2", "Sở Tư pháp"]]


def test_a_group_of_one_unit_is_not_ranked(tmp_path):
    """Only SXD (sở) and two communes have dossiers: the sở are listed without a rank."""
    from parreport.reports.overview import load_overview

    rows = [line for line in DOSSIERS.splitlines()[1:] if line.split(",")[1] in ("SXD", "PTS", "XNH")]
    store, registry = make_store(tmp_path, {"dossiers.csv": "\n".join([DOSSIERS.splitlines()[0], *rows]) + "\n"})
    ranking = load_overview("2025-Q4", data=str(store), registry=str(registry)).document().section("ranking")
    assert texts(ranking)[0] == ("Trong các sở, ban, ngành, chỉ Sở Xây dựng có hồ sơ được giải quyết (tỷ lệ giải "
                                 "quyết đúng hạn và trước hạn 100,00%); không xếp hạng.")
    table = tables(ranking)["ranking_so_nganh"]
    assert table.rows[0][:2] == [None, "Sở Xây dựng"] and table.note.startswith("Không xếp hạng")


def test_a_large_commune_group_shows_its_ends_in_charts_and_all_in_the_table(tmp_path):
    """25 communes X01…X25, 25 dossiers each, commune i with i − 1 late: rates (26 − i)/25, commune i ranked i.
    The charts show X01–X10 and X16–X25; the table lists all 25."""
    communes = [f"X{i:02d}" for i in range(1, 26)]
    registry = "\n".join(REGISTRY_YAML.splitlines()[:4]) + "\n" + "".join(  # SXD, STP (without dossiers)
        f'  - {{code: {code}, name: "Xã Số {code[1:]}", group: cap_xa, fields: ["Hộ tịch"]}}\n' for code in communes)
    rows = [f"{code}-{n},{code},Hộ tịch,2025-10-06,2025-10-20,{LATE if n < i - 1 else EARLY}\n"
            for i, code in enumerate(communes, start=1) for n in range(25)]
    sxd = [line + "\n" for line in DOSSIERS.splitlines() if ",SXD," in line]
    store, path = make_store(tmp_path, {"dossiers.csv": DOSSIERS.splitlines()[0] + "\n" + "".join(sxd + rows)},
                             registry)
    from parreport.reports.overview import load_overview

    document = load_overview("2025-Q4", data=str(store), registry=str(path)).document()
    [chart] = [block for block in document.section("ranking").blocks if isinstance(block, Chart)]
    assert chart.title.endswith(": 10 xã, phường cao nhất và 10 xã, phường thấp nhất trong 25 xã, phường")
    assert "10. Xã Số 10" in chart.alt and "11. Xã Số 11" not in chart.alt and "16. Xã Số 16" in chart.alt
    [heat_so, heat_xa] = [block for block in document.section("heatmap").blocks if isinstance(block, Chart)]
    assert heat_xa.title.replace("\n", " ") == ("Các chỉ tiêu của các xã, phường, quý IV năm 2025: 10 xã, phường có "
                                               "tỷ lệ đúng hạn cao nhất và 10 thấp nhất (trong 25 xã, phường)")
    assert "1 đơn vị" in heat_so.alt and "20 đơn vị" in heat_xa.alt
    [table] = document.section("units").blocks
    assert len(table.rows) == 25 and table.columns[-1].key == "overdue"       # no 766 score: no 766 column
    assert table.rows[0] == [1, "Xã Số 01", 25, 25, 1.0, 0] and table.rows[-1] == [25, "Xã Số 25", 25, 25, 0.04, 24]


# --- a commune's briefing ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("code, sentence", [
    ("XBL", "xếp thứ 3/4 trong các xã, phường của tỉnh"),
    ("PTS", "xếp thứ 1/4 trong các xã, phường của tỉnh"),
    ("SYT", "xếp thứ 2/3 trong các sở, ban, ngành của tỉnh")])
def test_a_briefing_ranks_its_unit_within_its_group(province, code, sentence):
    from parreport.reports.briefing import load_briefing

    assert sentence in " ".join(load_briefing(code, "2025-Q4", **province).paragraphs())


def test_a_communes_766_rank_is_within_the_communes(province):
    from parreport.reports.briefing import load_briefing

    section = load_briefing("XDH", "2025-Q4", **province).document().section("s766")
    kpis = {kpi.label: kpi.value for block in section.blocks if type(block).__name__ == "Kpis" for kpi in block.items}
    assert kpis["Tổng điểm công bố"] == "88,00/100 điểm"
    assert [value for label, value in kpis.items() if label.startswith("Xếp hạng")] == ["2/2"]   # not 2/4


# --- the index -------------------------------------------------------------------------------------------------
def _result(kind, department, period, stem):
    return JobResult(kind, department, period, stem, "ok", {}, outputs={"html": f"{period}/{department}/{stem}.html"},
                     headline={"received": 1}, headline_columns=[{"key": "received", "label": "Tiếp nhận",
                                                                  "format": "number"}])


def test_the_index_groups_rows_by_unit_group(tmp_path):
    registry = tmp_path / "departments.yaml"
    registry.write_text(REGISTRY_YAML, encoding="utf-8")
    results = [_result("briefing", code, period, "briefing") for period in ("2025-Q3", "2025-Q4")
               for code in ("XBL", "SXD", "PTS", "STP")]
    results += [_result("overview", "TOAN_TINH", "2025-Q4", "overview")]
    results += [_result("cchc", code, "2025-Q4", "cchc") for code in ("XNH", "TOAN_TINH", "SYT")]
    manifest = write_manifest(tmp_path, results, {"path": "x.duckdb", "fingerprint": "abc"}, {})
    index = write_index(tmp_path, manifest, Registry.load(registry)).read_text(encoding="utf-8")
    briefings = index[index.index('<table class="pr-kind-briefing">'):]
    briefings = briefings[:briefings.index("</table>")]
    cells = re.findall(r'<th colspan="\d+" scope="colgroup">([^<]+)</th>|<td>(quý [^<]+)</td>\s*<td>([^<]+)</td>',
                       briefings)
    listed = [heading or f"{period}: {name}" for heading, period, name in cells]
    # Within a group, registry order (SXD is listed before STP, PTS before XBL).
    assert listed == ["Sở, ban, ngành", "quý IV năm 2025: Sở Xây dựng", "quý IV năm 2025: Sở Tư pháp",
                      "Xã, phường", "quý IV năm 2025: Phường Tây Sơn", "quý IV năm 2025: Xã Bắc Lý",
                      "Sở, ban, ngành", "quý III năm 2025: Sở Xây dựng", "quý III năm 2025: Sở Tư pháp",
                      "Xã, phường", "quý III năm 2025: Phường Tây Sơn", "quý III năm 2025: Xã Bắc Lý"]
    assert briefings.count("<tbody>") == 2                                       # one per period
    cchc = index[index.index('<table class="pr-kind-cchc">'):]
    assert cchc.index("Toàn tỉnh") < cchc.index("Sở, ban, ngành") < cchc.index("Sở Y tế") \
        < cchc.index("Xã, phường") < cchc.index("Xã Nam Hải")                    # the province row first
    assert index.index('<table class="pr-kind-overview">') < index.index('<table class="pr-kind-briefing">')
    assert index.count("<th>Tiếp nhận</th>") == 3                                # the declared headline columns


# --- end to end through the command --------------------------------------------------------------------------
@pytest.mark.e2e
def test_the_command_makes_group_rankings_commune_briefings_and_a_grouped_index(province, tmp_path):
    spec = tmp_path / "spec.yaml"
    spec.write_text("reports: [briefing, overview]\nformats: [html, pdf]\n", encoding="utf-8")
    out = tmp_path / "out"
    units = [argument for code in ("SXD", "SYT", "XBL", "PTS", "TOAN_TINH") for argument in ("--department", code)]
    done = subprocess.run([PARREPORT, "--registry", province["registry"], "run", str(spec), "--data", province["data"],
                           *units, "--period", "2025-Q4", "--timeout", "300", "--out", str(out), "--no-progress"],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"{done.stdout}\n{done.stderr}"
    reports = {r["department"]: r for r in json.loads((out / "manifest.json").read_text(encoding="utf-8"))["reports"]}
    assert {code: r["status"] for code, r in reports.items()} == dict.fromkeys(
        ("SXD", "SYT", "XBL", "PTS", "TOAN_TINH"), "ok")

    html = (out / reports["TOAN_TINH"]["outputs"]["html"]).read_text(encoding="utf-8")
    assert "Trong các xã, phường (4 đơn vị có hồ sơ được giải quyết)" in html
    assert "Kết quả giải quyết hồ sơ của các xã, phường" in html and "Điểm Bộ chỉ số 766 của các xã, phường" in html
    pdf = pdf_text(out / reports["TOAN_TINH"]["outputs"]["pdf"])
    assert "toàn tỉnh (3 sở, ban, ngành và 4 xã, phường có dữ liệu) tiếp nhận 42 hồ sơ" in pdf
    assert "Trong các sở, ban, ngành (3 đơn vị có hồ sơ được giải quyết)" in pdf
    assert "1 Phường Tây Sơn 8 8 100,00% 0 94,00" in pdf and "4 Xã Nam Hải 5 5 60,00% 2 –" in pdf  # the communes
    assert "1/2 Sở Xây dựng 82,00" in pdf and "1/2 Phường Tây Sơn 94,00" in pdf                  # 766 per group

    commune = pdf_text(out / reports["XBL"]["outputs"]["pdf"])
    assert "xếp thứ 3/4 trong các xã, phường của tỉnh" in commune
    assert "xếp thứ 3/4 trong các xã, phường của tỉnh" in (out / reports["XBL"]["outputs"]["html"]).read_text(
        encoding="utf-8")
    assert "xếp thứ 2/3 trong các sở, ban, ngành của tỉnh" in pdf_text(out / reports["SYT"]["outputs"]["pdf"])

    index = (out / "index.html").read_text(encoding="utf-8")
    briefings = index[index.index('<table class="pr-kind-briefing">'):]
    order = [briefings.index(text) for text in ("Sở, ban, ngành", "Sở Xây dựng", "Sở Y tế", "Xã, phường",
                                                "Phường Tây Sơn", "Xã Bắc Lý")]
    assert order == sorted(order)
