"""End to end: annual briefings with the PAR Index and SIPAS, and the province overview, produced by
``run_batch`` (real papermill kernels, nbconvert, WeasyPrint) and read back from the PDF text.

Fixture: the dossiers of tests/test_end_to_end.py (STNMT from December 2019, STP from February 2020; Sở
Ngoại vụ "007" none), and PAR Index scores on a 108-point scale of two areas (max 60 and 48):

    year  unit   areas          total   %                          rank
    2018  STP    40 + 30        70
    2019  STNMT  50,26 + 40     90,26   90,26/108 = 83,57 %        2/3
    2019  STP    45 + 30        75      69,44 %                    3/3   (+5 points = +4,63 pp on 2018)
    2019  007    55 + 40        95      87,96 %                    1/3
    2020  STNMT  50 + 38        88      81,48 %                    3/3
    2020  STP    50 + 40        90      83,33 %                    2/3   (+15 points = +13,89 pp on 2019)
    2020  007    52 + 40        92      85,19 %                    1/3

SIPAS of STP: 85,5 % in 2019, 88 % in 2020 → +2,5 pp.
STP has no dossier in 2019: its 2019 briefing says so in one sentence and shows no dossier table.
Province, year 2020: STNMT carried over 15, new 1.840 + 60 + 5 + 6 + 100 = 2.011, resolved all 2.026 of which
11 late; STP 40 early, 20 on time, 30 still open past their due day 5/7 → pending overdue at 31/12.
Province received 2.026 + 90 = 2.116, resolved 2.026 + 60 = 2.086, on time (2.086 − 11)/2.086 = 99,47 %,
overdue 11 + 30 = 41: STP 30 (73,17 %), STNMT 11 (26,83 %).
"""
from __future__ import annotations

import re

import pytest

from parreport.batch import BatchSpec, run_batch
from tests.conftest import REGISTRY_YAML
from tests.test_end_to_end import fixture_csv, pdf_text

pytestmark = pytest.mark.e2e

AREAS = ("Cải cách thủ tục hành chính", "Tác động của cải cách hành chính")
PAR = {(2018, "STP"): (40, 30), (2019, "STNMT"): (50.26, 40), (2019, "STP"): (45, 30), (2019, "007"): (55, 40),
       (2020, "STNMT"): (50, 38), (2020, "STP"): (50, 40), (2020, "007"): (52, 40)}


@pytest.fixture(scope="module")
def annual_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("annual")
    registry = root / "departments.yaml"
    registry.write_text(REGISTRY_YAML, encoding="utf-8")
    data = root / "data"
    data.mkdir()
    fixture_csv(data / "dossiers.csv")
    (data / "par_index.csv").write_text("year,department,area,score,max_score\n" + "".join(
        f"{year},{unit},{area},{score},{maximum}\n"
        for (year, unit), scores in PAR.items() for area, score, maximum in zip(AREAS, scores, (60, 48))),
        encoding="utf-8")
    (data / "sipas.csv").write_text("year,department,satisfaction_pct\n2019,STP,85.5\n2020,STP,88\n",
                                    encoding="utf-8")
    spec = BatchSpec(reports=["annual", "overview"], periods=["2019", "2020"], departments=["STP", "TOAN_TINH"])
    spec.check()
    out = root / "reports"
    results = run_batch(spec, out, data=str(data), workers=2, progress=False, registry_path=registry)
    return out, {(r.department, r.period): r for r in results}


def text_of(path) -> str:
    return re.sub(r"\s+", " ", " ".join(pdf_text(path)))


def test_every_report_is_produced(annual_run):
    out, results = annual_run
    assert sorted(results) == [("STP", "2019"), ("STP", "2020"), ("TOAN_TINH", "2019"), ("TOAN_TINH", "2020")]
    assert all(result.status == "ok" for result in results.values()), [r.error for r in results.values()]
    assert (out / "2020" / "TOAN_TINH" / "overview.pdf").exists()


def test_annual_briefing_states_par_index_and_sipas(annual_run):
    out, results = annual_run
    text = text_of(out / "2020" / "STP" / "briefing.pdf")
    assert ("Chỉ số CCHC) năm 2020 của Sở đạt 90,00/108 điểm (83,33%), xếp hạng 2/3 trong các sở, ban, ngành, "
            "tăng 15,00 điểm (tăng 13,89 điểm phần trăm) so với năm 2019") in text
    assert "(SIPAS) năm 2020 của Sở đạt 88,00%, tăng 2,50 điểm phần trăm so với năm 2019" in text
    # Weakest area: Cải cách thủ tục hành chính 50/60 = 83,33 % against the mean of (50/60, 50/60, 52/60)
    # = 84,44 % → 1,11 points below; the other area is 40/48 = 83,33 % too (a tie: the data's order).
    assert "Cải cách thủ tục hành chính (50,00/60 điểm, 83,33%, thấp hơn bình quân các sở, ban, ngành 1,11" in text
    assert "Trong năm 2020, Sở tiếp nhận 90 hồ sơ" in text  # the year's dossier figures stay
    headline = results[("STP", "2020")].headline
    assert headline["par_rank"] == 2 and headline["par_rank_of"] == 3 and headline["par_max"] == 108
    assert headline["par_pct"] == pytest.approx(90 / 108)


def test_year_with_par_but_no_dossiers_says_so_once(annual_run):
    out, results = annual_run
    text = text_of(out / "2019" / "STP" / "briefing.pdf")
    assert "Chưa có dữ liệu hồ sơ TTHC của Sở Tư pháp trong năm 2019" in text
    assert "xếp hạng 3/3 trong các sở, ban, ngành, tăng 5,00 điểm (tăng 4,63 điểm phần trăm) so với năm 2018" in text
    assert "chuyển qua" not in text and "Tỷ lệ đúng hạn" not in text  # no Biểu 06 table of zeros
    assert results[("STP", "2019")].headline["received"] is None  # unknown, not 0


def test_province_overview(annual_run):
    out, results = annual_run
    text = text_of(out / "2020" / "TOAN_TINH" / "overview.pdf")
    assert "Báo cáo tổng hợp tình hình giải quyết thủ tục hành chính toàn tỉnh" in text
    assert "toàn tỉnh (2 cơ quan, đơn vị có dữ liệu) tiếp nhận 2.116 hồ sơ" in text
    assert "Tỷ lệ giải quyết hồ sơ đúng hạn và trước hạn toàn tỉnh đạt 99,47%" in text
    assert "toàn tỉnh có 41 hồ sơ quá hạn" in text
    assert "Sở Tư pháp 30 hồ sơ (73,17%); Sở Tài nguyên và Môi trường 11 hồ sơ (26,83%)" in text
    assert "Chưa có dữ liệu hồ sơ TTHC của năm 2020: Sở Ngoại vụ" in text
    # PAR 2020: mean (81,48 + 83,33 + 85,19)/3 = 83,33 %; best Sở Ngoại vụ 92/108, lowest STNMT 88/108.
    assert ("bình quân đạt 83,33%; cao nhất là Sở Ngoại vụ (92,00/108 điểm, 85,19%), thấp nhất là Sở Tài nguyên "
            "và Môi trường (88,00/108 điểm, 81,48%)") in text
    headline = results[("TOAN_TINH", "2020")].headline
    assert (headline["received"], headline["resolved"], headline["overdue"]) == (2116, 2086, 41)
    assert headline["par_pct_avg"] == pytest.approx((88 + 90 + 92) / 108 / 3)
