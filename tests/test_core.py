"""Periods, Vietnamese number formatting and the department registry."""
from __future__ import annotations

from datetime import date

import pytest

from parreport import fmt
from parreport.errors import ConfigError, UnknownUnitError
from parreport.periods import Period
from parreport.registry import Registry


@pytest.mark.parametrize("code, start, end, label", [
    ("2023", date(2023, 1, 1), date(2023, 12, 31), "năm 2023"),
    ("2023-H1", date(2023, 1, 1), date(2023, 6, 30), "6 tháng đầu năm 2023"),
    ("2023-H2", date(2023, 7, 1), date(2023, 12, 31), "6 tháng cuối năm 2023"),
    ("2023-Q2", date(2023, 4, 1), date(2023, 6, 30), "quý II năm 2023"),
    ("2024-02", date(2024, 2, 1), date(2024, 2, 29), "tháng 2 năm 2024"),
])
def test_calendar_periods(code, start, end, label):
    period = Period.parse(code)
    assert (period.start, period.end, period.label_vi, period.code) == (start, end, label, code)


def test_nd09_cut_off():
    # NĐ 09/2019: quarter = 15th of the month before it .. 14th of its last month; year = 15/12 .. 14/12.
    q1 = Period.parse("2023-Q1", "nd09")
    assert (q1.start, q1.end) == (date(2022, 12, 15), date(2023, 3, 14))
    year = Period.parse("2023", "nd09")
    assert (year.start, year.end) == (date(2022, 12, 15), date(2023, 12, 14))


def test_previous_and_year_ago():
    assert Period.parse("2023-Q1").previous().code == "2022-Q4"
    assert Period.parse("2023-01").previous().code == "2022-12"
    assert Period.parse("2023-H1").previous().code == "2022-H2"
    assert Period.parse("2023-Q3").year_ago().code == "2022-Q3"
    assert [p.code for p in Period.parse("2023-Q2").history(3)] == ["2022-Q4", "2023-Q1", "2023-Q2"]


@pytest.mark.parametrize("text", ["2023-Q5", "23-Q1", "2023-13", "quý 1", ""])
def test_bad_period(text):
    with pytest.raises(ConfigError, match="cannot read period"):
        Period.parse(text)


def test_vietnamese_numbers():
    assert fmt.number(1874) == "1.874"
    assert fmt.number(1_234_567) == "1.234.567"
    assert fmt.percent(0.99581) == "99,58%"
    assert fmt.percent(137 / 1687) == "8,12%"          # seed 000: 137 of 1.687 is 8,12 %, not 0,08 %
    assert fmt.pp_change(0.0747) == "tăng 7,47 điểm phần trăm"
    assert fmt.pp_change(-0.0012) == "giảm 0,12 điểm phần trăm"
    assert fmt.pp_change(0.0) == "không đổi"
    assert fmt.rank(3, 18) == "3/18"
    assert fmt.score(90.26, 108) == "90,26/108 điểm"
    assert fmt.percent(None) == fmt.MISSING
    assert (fmt.number(-0.001, 2), fmt.number(-1.5, 2), fmt.percent(-0.00001)) == ("0,00", "-1,50", "0,00%")
    assert fmt.day(date(2023, 6, 30)) == "30/06/2023"


def test_registry_lookup_and_unknown_unit(registry):
    assert registry.resolve("Sở TN&MT", "x.csv") == "STNMT"
    assert registry.resolve("  sở tài nguyên và môi trường ", "x.csv") == "STNMT"
    assert registry.resolve("007", "x.csv") == "007"
    with pytest.raises(UnknownUnitError, match=r"x\.csv, row 5, column 'Đơn vị': unknown unit 'Sở Mới'"):
        registry.resolve("Sở Mới", "x.csv", row=5, column="Đơn vị")


def test_registry_validity(tmp_path):
    path = tmp_path / "r.yaml"
    path.write_text(
        "departments:\n"
        "  - {code: A, name: Sở A, group: so_nganh, valid_to: 2025-02-28, successor: B}\n"
        "  - {code: B, name: Sở B, group: so_nganh, valid_from: 2025-03-01}\n", encoding="utf-8")
    registry = Registry.load(path)
    assert registry.codes(Period.parse("2024")) == ["A"]
    assert registry.codes(Period.parse("2025-Q1")) == ["B"]  # A merged into B during it: B reports both
    assert registry.codes(Period.parse("2025-Q2")) == ["B"]
    path.write_text("departments:\n  - {code: A, name: Sở A, group: g, successor: Z}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="successor 'Z'"):
        Registry.load(path)
