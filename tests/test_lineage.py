"""Lineage across mergers and renames (issue 29): a merged unit is compared with the counts of its predecessors,
summed over the compared period; rates come from summed counts; a period that straddles the merger sums the
predecessors before it and the successor after it.

The fixture registry (every expected figure below is worked out from these records by hand):

- A "Sở TN&MT" and B "Sở NN&PTNT" end on 28/02/2025 and merge into C "Sở NN&MT" (from 01/03/2025);
- R1 "Sở VH" is renamed R2 "Sở VH&TT" on 01/01/2025; N "Sở Mới" starts on 01/01/2025 with no predecessor;
- S "Sở Tư pháp" exists throughout.

Records (due and completed days decide early / on time / late, docs/data.md §3):

- 2024-Q2: A 4 received 10/04 due 20/04 — 3 completed 15/04 (early), 1 completed 25/04 (late);
  B 6 received 06/05 due 16/05, completed 10/05 (early); R1 2 received 06/05 due 16/05, completed 10/05 (early).
  → C's lineage 2024-Q2: received 10, resolved 10, early 9, late 1: on-time rate 9/10 = 90,00 %
  (the average of A's 75 % and B's 100 % would be 87,50 %: never used).
- 2025-Q1 (straddles the merger): A 2 received 06/01 due 16/01 completed 10/01 (early); A 1 received 24/02
  due 10/03, completed 02/04 (open on 31/03 and overdue: due 10/03 < 31/03); B 2 received 03/02 due 13/02
  completed 13/02 (on time); C 5 received 03/03 due 13/03 — 4 completed 12/03 (early), 1 completed 14/03 (late).
  → C's lineage 2025-Q1: received 3+2+5 = 10, resolved 9 (early 2+4 = 6, on time 2, late 1), pending 1
  overdue: on-time rate 8/9 = 88,89 %. C alone would be 4/5 = 80 %.
- 2025-Q2: C 10 received 07/04 due 17/04 completed 16/04 (early); A's open dossier is carried over and
  resolved late on 02/04 (it stays A's record). R2 2 received 07/04 due 17/04: 1 completed 16/04 (early),
  1 completed 18/04 (late). N 1 received 07/04 due 17/04 completed 16/04 (early).
  → C 2025-Q2: carried over 1, new 10, resolved 11 (early 10, late 1): 10/11 = 90,91 %;
  against 2025-Q1: 90,909 − 88,889 = +2,02 points; against 2024-Q2: 90,909 − 90,000 = +0,91 points.
  → R2: 1/2 = 50 %, against R1's 2024-Q2 100 %: −50,00 points. N: nothing a year earlier, no comparison.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from parreport.errors import ConfigError
from parreport.metrics import DossierData, field_table, scorecard, trend
from parreport.periods import Period
from parreport.registry import Registry
from parreport.sources import ingest_files
from parreport.store import Store
from tests.conftest import records_frame

PARREPORT = str(Path(sys.executable).with_name("parreport"))
Q2_2024, Q1_2025, Q2_2025 = (Period.parse(code) for code in ("2024-Q2", "2025-Q1", "2025-Q2"))

REGISTRY_YAML = """\
province: "Tỉnh Thử Nghiệm"
departments:
  - {code: A, name: "Sở Tài nguyên và Môi trường", short_name: "Sở TN&MT", group: so_nganh,
     fields: ["Đất đai"], valid_to: 2025-02-28, successor: C}
  - {code: B, name: "Sở Nông nghiệp và Phát triển nông thôn", short_name: "Sở NN&PTNT", group: so_nganh,
     fields: ["Thủy sản"], valid_to: 2025-02-28, successor: C}
  - {code: C, name: "Sở Nông nghiệp và Môi trường", short_name: "Sở NN&MT", group: so_nganh,
     fields: ["Đất đai", "Thủy sản"], valid_from: 2025-03-01}
  - {code: R1, name: "Sở Văn hóa", short_name: "Sở VH", group: so_nganh, fields: ["Văn hóa"],
     valid_to: 2024-12-31, successor: R2}
  - {code: R2, name: "Sở Văn hóa và Thể thao", short_name: "Sở VH&TT", group: so_nganh, fields: ["Văn hóa"],
     valid_from: 2025-01-01}
  - {code: N, name: "Sở Mới", short_name: "Sở Mới", group: so_nganh, fields: ["Khác"], valid_from: 2025-01-01}
  - {code: S, name: "Sở Tư pháp", short_name: "Sở Tư pháp", group: so_nganh, fields: ["Hộ tịch"]}
"""


def _rows(count: int, department: str, field: str, received: str, due: str, completed: str | None) -> list[dict]:
    return [{"department": department, "field": field, "received_at": received, "due_at": due,
             "completed_at": completed}] * count


RECORDS = records_frame(
    _rows(3, "A", "Đất đai", "2024-04-10 09:00", "2024-04-20", "2024-04-15 10:00")
    + _rows(1, "A", "Đất đai", "2024-04-10 09:00", "2024-04-20", "2024-04-25 10:00")
    + _rows(6, "B", "Thủy sản", "2024-05-06 09:00", "2024-05-16", "2024-05-10 10:00")
    + _rows(2, "R1", "Văn hóa", "2024-05-06 09:00", "2024-05-16", "2024-05-10 10:00")
    + _rows(2, "A", "Đất đai", "2025-01-06 09:00", "2025-01-16", "2025-01-10 10:00")
    + _rows(1, "A", "Đất đai", "2025-02-24 09:00", "2025-03-10", "2025-04-02 10:00")
    + _rows(2, "B", "Thủy sản", "2025-02-03 09:00", "2025-02-13", "2025-02-13 15:00")
    + _rows(4, "C", "Đất đai", "2025-03-03 09:00", "2025-03-13", "2025-03-12 10:00")
    + _rows(1, "C", "Đất đai", "2025-03-03 09:00", "2025-03-13", "2025-03-14 10:00")
    + _rows(10, "C", "Đất đai", "2025-04-07 09:00", "2025-04-17", "2025-04-16 10:00")
    + _rows(1, "R2", "Văn hóa", "2025-04-07 09:00", "2025-04-17", "2025-04-16 10:00")
    + _rows(1, "R2", "Văn hóa", "2025-04-07 09:00", "2025-04-17", "2025-04-18 10:00")
    + _rows(1, "N", "Khác", "2025-04-07 09:00", "2025-04-17", "2025-04-16 10:00")
    + _rows(1, "S", "Hộ tịch", "2024-05-06 09:00", "2024-05-16", "2024-05-10 10:00")
    + _rows(1, "S", "Hộ tịch", "2025-04-07 09:00", "2025-04-17", "2025-04-16 10:00")
)


@pytest.fixture(scope="module")
def registry_path(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("lineage") / "departments.yaml"
    path.write_text(REGISTRY_YAML, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def data(registry_path) -> DossierData:
    return DossierData.from_frames(RECORDS, RECORDS.iloc[:0], Registry.load(registry_path))


@pytest.fixture(scope="module")
def store_path(registry_path) -> Path:
    folder = registry_path.parent
    RECORDS.to_csv(folder / "dossiers.csv", index=False, date_format="%Y-%m-%d %H:%M")
    with Store(folder / "data.duckdb") as store:
        ingest_files(store, [folder / "dossiers.csv"], Registry.load(registry_path))
    return folder / "data.duckdb"


def _row(frame, code):
    return frame.set_index("department").loc[code]


def test_the_units_of_a_period_are_those_standing_at_its_end(registry_path):
    registry = Registry.load(registry_path)
    assert registry.codes(Q2_2024) == ["A", "B", "R1", "S"]
    assert registry.codes(Q1_2025) == ["C", "R2", "N", "S"]          # A and B merged into C during it
    assert registry.members("C", Q2_2024, as_of=Q2_2025) == ["A", "B"] and registry.members("S", Q2_2025) == ["S"]
    assert registry.members("C", Q2_2025) == ["A", "B", "C"]        # A's dossiers open at the merger count on
    with pytest.raises(ConfigError, match="reported by its successor C"):
        from parreport.reports.kinds import kinds
        kinds()["briefing"].units(registry, Q1_2025, ["A"])


def test_a_merged_unit_is_compared_with_its_predecessors_summed(data):
    card = _row(scorecard(data, Q2_2025), "C")
    assert (card["carried_over"], card["new"], card["resolved"], card["resolved_late"]) == (1, 10, 11, 1)
    assert card["on_time_rate"] == pytest.approx(10 / 11)
    assert card["sources"] == ("A", "C")                       # A's dossier open at the merger
    assert card["on_time_rate_then_year"] == pytest.approx(9 / 10)  # summed counts, not (75 % + 100 %) / 2
    assert card["sources_year"] == ("A", "B")
    assert card["received_then_year"] == 10
    assert card["on_time_rate_then_prev"] == pytest.approx(8 / 9)   # 2025-Q1: A and B before, C after 01/03
    assert card["sources_prev"] == ("A", "B", "C")
    assert card["on_time_rate_prev"] == pytest.approx(10 / 11 - 8 / 9)
    assert card["received_prev"] == 11 - 10


def test_a_straddling_period_keeps_the_identity_and_the_province_counts_each_dossier_once(data):
    q1 = _row(data.units(Q1_2025), "C")
    assert (q1["carried_over"], q1["new"], q1["resolved"], q1["pending_overdue"]) == (0, 10, 9, 1)
    assert q1["carried_over"] + q1["new"] == q1["resolved"] + q1["pending"]
    province = _row(data.units(Q1_2025), "TOAN_TINH")
    assert province["received"] == 10                          # A 3 + B 2 + C 5; R2, N, S none
    fields = field_table(data, Q1_2025, "C").set_index("field")
    assert (fields.at["Đất đai", "received"], fields.at["Thủy sản", "received"]) == (8, 2)  # A 3 + C 5; B 2


def test_a_rename_keeps_one_series_and_a_new_unit_has_no_comparison(data):
    card = scorecard(data, Q2_2025).set_index("department")
    assert card.at["R2", "on_time_rate_year"] == pytest.approx(0.5 - 1.0)   # R1's 2/2 in 2024-Q2
    assert card.at["R2", "sources_year"] == ("R1",)
    assert card.at["N", "sources_year"] == () and card.at["N", "on_time_rate_then_year"] is pd_na()
    series = trend(data, Q2_2025, "C").set_index("period")
    assert series.at["2024-Q2", "unit_on_time_rate"] == pytest.approx(0.9)
    assert series.at["2025-Q1", "unit_on_time_rate"] == pytest.approx(8 / 9)


def pd_na():
    import pandas as pd
    return pd.NA


def test_the_briefing_says_whose_figures_it_compares_with(store_path, registry_path):
    from parreport.reports.briefing import load_briefing

    briefing = load_briefing("C", "2025-Q2", data=store_path, registry=registry_path)
    summary, rates = briefing.paragraphs()
    assert summary.endswith("Số liệu của kỳ gồm cả hồ sơ của Sở TN&MT (đến ngày 28/02/2025), nay thuộc Sở NN&MT.")
    assert ("đạt 90,91%, tăng 2,02 điểm phần trăm so với quý I năm 2025 (gồm cả số liệu của Sở TN&MT và "
            "Sở NN&PTNT), tăng 0,91 điểm phần trăm so với cùng kỳ năm 2024 (số liệu của Sở TN&MT và Sở NN&PTNT)"
            ) in rates
    unchanged = load_briefing("S", "2025-Q2", data=store_path, registry=registry_path).paragraphs()
    assert "số liệu của" not in " ".join(unchanged)


def test_the_merged_units_pdf_through_the_command(store_path, registry_path, tmp_path):
    """The real command: papermill, nbconvert, WeasyPrint; the PDF's text names the predecessors."""
    done = subprocess.run([PARREPORT, "--registry", str(registry_path), "run", "--data", str(store_path),
                           "--report", "briefing", "--period", "2025-Q2", "--department", "C", "--format", "pdf",
                           "--out", str(tmp_path / "out"), "--no-progress"], capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    text = " ".join(" ".join(page.extract_text().split())
                    for page in PdfReader(tmp_path / "out" / "2025-Q2" / "C" / "briefing.pdf").pages)
    assert "so với cùng kỳ năm 2024 (số liệu của Sở TN&MT và Sở NN&PTNT)" in text
    assert "Sở tiếp nhận 11 hồ sơ" in text
