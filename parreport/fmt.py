"""How numbers are written in Vietnamese (docs/data.md §4), through Babel's ``vi`` locale.

``1.874`` hồ sơ, ``99,58%``, ``tăng 7,47 điểm phần trăm``, rank ``3/18``, ``90,26/108 điểm``.
A missing value (no dossier to divide by) is written as :data:`MISSING`.
"""
from __future__ import annotations

import math
import sys
import unicodedata
from functools import lru_cache
from datetime import date, datetime
from numbers import Real

from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal

LOCALE = "vi"
MISSING = "–"


def is_missing(value: object) -> bool:
    """None, NaN, or pandas' NA or NaT: no figure to write. pandas is asked only once something loaded it
    (a value of its own means it is loaded), so that writing the index of a run with nothing to rebuild
    never loads it."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return True
    pandas = sys.modules.get("pandas")
    return pandas is not None and pandas.api.types.is_scalar(value) and bool(pandas.isna(value))


@lru_cache(maxsize=8192, typed=True)  # a report writes the same values many times (chart ticks, tables)
def _decimal(value: float, digits: int) -> str:
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    written = format_decimal(value, format=pattern, locale=LOCALE)
    return written.lstrip("-") if not any(digit in written for digit in "123456789") else written  # never "-0,00"


def number(value: Real | None, digits: int = 0) -> str:
    """A count or amount: ``1874`` → ``1.874``; ``90.26`` with ``digits=2`` → ``90,26``."""
    if is_missing(value):
        return MISSING
    return _decimal(value, digits)


def percent(ratio: Real | None, digits: int = 2) -> str:
    """A ratio as a percentage: ``0.9958`` → ``99,58%``."""
    if is_missing(ratio):
        return MISSING
    return _decimal(float(ratio) * 100, digits) + "%"


def pp_change(delta: Real | None, digits: int = 2) -> str:
    """A change between two ratios in percentage points: ``0.0747`` → ``tăng 7,47 điểm phần trăm``."""
    if is_missing(delta):
        return MISSING
    points = round(float(delta) * 100, digits)
    if points == 0:
        return "không đổi"
    word = "tăng" if points > 0 else "giảm"
    return f"{word} {_decimal(abs(points), digits)} điểm phần trăm"


def count_change(delta: Real | None, unit: str = "hồ sơ", digits: int = 0) -> str:
    """A change of a count or of points: ``123`` → ``tăng 123 hồ sơ``; ``-5`` → ``giảm 5 hồ sơ``;
    ``2.01, "điểm", 2`` → ``tăng 2,01 điểm``."""
    if is_missing(delta):
        return MISSING
    delta = round(float(delta), digits)
    if delta == 0:
        return "không đổi"
    word = "tăng" if delta > 0 else "giảm"
    return f"{word} {number(abs(delta), digits)} {unit}".rstrip()


def rank(position: int | None, total: int | None) -> str:
    """A rank among units: ``3, 18`` → ``3/18``."""
    if is_missing(position) or is_missing(total):
        return MISSING
    return f"{int(position)}/{int(total)}"


def score(points: Real | None, maximum: Real, digits: int = 2) -> str:
    """Points out of a maximum: ``90.26, 108`` → ``90,26/108 điểm``."""
    if is_missing(points):
        return MISSING
    return f"{_decimal(points, digits)}/{number(maximum)} điểm"


def written(value: object, format: str = "number") -> str:
    """A table cell written by its column's format: ``text``, ``number``, ``percent`` or ``score``."""
    if is_missing(value):
        return MISSING
    if format == "text":
        return str(value)
    if format == "percent":
        return percent(value)
    return number(value, 2 if format == "score" else 0)


def day(value: date | datetime) -> str:
    """A date as written in Vietnamese documents: ``30/06/2023``."""
    return format_date(value, "dd/MM/yyyy", locale=LOCALE)


def moment(value: datetime) -> str:
    """A date and time as Vietnamese readers write them: ``26/11/2026 15:42``."""
    return format_datetime(value, "dd/MM/yyyy HH:mm", locale=LOCALE)


def capital(text: str) -> str:
    """``text`` with its first letter capitalised, as a label opening a title: "quý IV năm 2024" → "Quý IV…"."""
    return text[:1].upper() + text[1:]


def listing(parts: list[str]) -> str:
    """Items as a Vietnamese sentence lists them: ``["a", "b", "c"]`` → ``a, b và c``."""
    return " và ".join(filter(None, (", ".join(parts[:-1]), parts[-1]))) if parts else ""


def nfc(text: str) -> str:
    """Unicode NFC form, which every text we write uses."""
    return unicodedata.normalize("NFC", text)
