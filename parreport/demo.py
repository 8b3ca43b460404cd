"""The demo province's input files: a deterministic, realistic stand-in for a province's exports.

``write_demo_data`` writes what a provincial one-stop system and the reform office would hand over for the
invented "Tỉnh Bình Sơn" of ``params/departments.yaml`` from 1/1/2023 to 30/9/2026 (2023-Q1 … 2026-Q3),
through the reorganisation of 2025: five sở merged on 1/3/2025, and 251 xã, phường, thị trấn became 100 xã
and phường on 1/7/2025. Each unit has dossiers only within its validity dates (a merged unit's stop on its
``valid_to``, its successor's start on its ``valid_from``; a dossier received before a merger keeps the
former unit's code when it is completed later). The files come in the formats real exports come in:

- ``dossiers_2023.csv`` — canonical English headers, UTF-8, ISO dates, unit codes;
- ``dossiers_2024.csv`` — Vietnamese headers, UTF-8 with BOM, ``dd/mm/yyyy HH:MM`` dates, full unit names,
  "Trực tuyến"/"Trực tiếp"/"Bưu chính" and "Có"/empty flags;
- ``dossiers_2025.parquet`` — canonical columns with native types;
- ``dossiers_2026.txt`` — "Unicode text" as a spreadsheet saves it: UTF-16 with BOM, tab-separated,
  Vietnamese headers and values, units by their national-dashboard code (``H12.07``, ``H12.50.001``), cut
  off at 30/9/2026;
- ``bieu06_counts.xlsx`` — Biểu số 06 quarterly counts (title rows, then the header; ``Tổng`` rows) for the
  units that only report summary numbers (:data:`SUMMARY_ONLY`);
- ``par_index.csv`` and ``sipas.csv`` — PAR Index areas and SIPAS satisfaction of 2023–2025 for the sở and the
  communes reported for each year (a unit merged in 2025 has 2023–2024; its successor has 2025);
- ``scores_766.xlsx`` — official 766 scores of every quarter, for each sở and commune reported for it that
  keeps dossier records, as the national dashboard exports them (a title row, Vietnamese headers, group names
  and periods; sở named by the dashboard's name, communes by its unit code): a row per group and per mức độ
  hài lòng indicator. Tiến độ and the dossier-satisfaction indicator are the scores computed from the
  dossiers (a merged unit's with its predecessors', :meth:`Registry.members`) rounded to two decimals, but for
  one deliberate disagreement (:data:`DISAGREEMENT`); the groups dossiers cannot reproduce have plausible
  values.

Each yearly export holds the dossiers received that year plus those still open at the previous export, now
with their outcome: the same dossier appears twice, and the store keeps the latest export only. Dossiers
still open at an export's cut-off have no completion date. Volumes: the communes receive most dossiers
(hộ tịch and chứng thực above all); each sở's volume, late share, channels, digitisation and payments follow
its profile; all improve year on year and vary by season (fewer dossiers around Tết). The total stays near
400.000 records so that the demo store builds in seconds.
"""
from __future__ import annotations

import zlib
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from parreport.catalogue import GROUPS, INDICATORS
from parreport.ingest.schema import COUNT_MEASURES, TOTAL_FIELD
from parreport.metrics.counts import from_records
from parreport.metrics.rates import add_rates, sum_counts
from parreport.periods import Period
from parreport.registry import Department, Registry

START, END = date(2023, 1, 1), date(2026, 9, 30)  # the span of the data: 2023-Q1 … 2026-Q3
YEARS = (2023, 2024, 2025, 2026)  # one dossier export per year, the last cut off at END
QUARTERS = tuple(Period(year, "Q", q) for year in YEARS for q in range(1, 5) if Period(year, "Q", q).end <= END)
SCORED_YEARS = (2023, 2024, 2025)  # PAR Index and SIPAS (published after the year)
SUMMARY_ONLY = ("SNGV", "TTT")  # units that hand in Biểu 06 counts instead of dossier records
COMMUNES = "cap_xa"
MONTH_WEIGHTS = np.array([1.0, 0.6, 1.05, 1.0, 1.0, 1.05, 1.0, 1.0, 1.0, 1.05, 1.1, 1.2])  # Tết in Jan/Feb
ON_TIME_SHARE = 0.22  # of the dossiers not late, those returned on their due day (the rest early)
PAR_AREAS = {  # QĐ 876/QĐ-BNV areas with the maxima of the demo province's departmental scale (sum 100)
    "Công tác chỉ đạo, điều hành cải cách hành chính": 10,
    "Xây dựng và tổ chức thực hiện văn bản quy phạm pháp luật": 8,
    "Cải cách thủ tục hành chính": 16,
    "Cải cách tổ chức bộ máy hành chính nhà nước": 8,
    "Cải cách chế độ công vụ": 12,
    "Cải cách tài chính công": 8,
    "Xây dựng và phát triển chính quyền điện tử, chính quyền số": 18,
    "Tác động của cải cách hành chính": 20,
}


@dataclass(frozen=True)
class Profile:
    """How a unit's dossiers look in 2023: yearly volume, shares, statutory processing time."""

    volume: int
    online_share: float
    late_share: float
    legal_days: int
    fee_share: float = 0.5


# The sở, ban, ngành (2023 volumes; a unit that absorbs another also receives the absorbed unit's dossiers,
# with that unit's profile, from the merger on — Sở NN&MT has no profile of its own).
PROFILES: dict[str, Profile] = {
    "STNMT": Profile(4500, 0.35, 0.028, 15, 0.85),
    "SNNPTNT": Profile(600, 0.65, 0.003, 10, 0.6),
    "SKHDT": Profile(1800, 0.95, 0.002, 3, 0.3),
    "STC": Profile(120, 0.70, 0.0, 10, 0.1),
    "SXD": Profile(550, 0.60, 0.010, 15, 0.7),
    "SGTVT": Profile(5200, 0.45, 0.001, 5, 0.95),
    "SCT": Profile(800, 0.80, 0.003, 7, 0.6),
    "SYT": Profile(1200, 0.55, 0.016, 20, 0.8),
    "SGDDT": Profile(300, 0.70, 0.0, 5, 0.1),
    "SLDTBXH": Profile(1400, 0.60, 0.005, 10, 0.2),
    "STP": Profile(2900, 0.65, 0.003, 10, 0.9),
    "SNV": Profile(150, 0.50, 0.0, 15, 0.05),
    "SVHTTDL": Profile(200, 0.60, 0.002, 7, 0.6),
    "STTTT": Profile(90, 0.90, 0.0, 10, 0.5),
    "SKHCN": Profile(80, 0.70, 0.0, 10, 0.4),
    "BQLKKT": Profile(200, 0.80, 0.008, 15, 0.5),
    "SNGV": Profile(120, 0.40, 0.0, 5, 0.7),
    "TTT": Profile(60, 0.30, 0.016, 30, 0.0),
}
DEFAULT_PROFILE = Profile(200, 0.6, 0.004, 10)
# Communes: a new xã receives 600–1.200 dossiers a year, a phường a third more; its former communes together
# 75 % of that (before 1/7/2025 land, household businesses and construction were the district's).
COMMUNE_VOLUME = (600, 1200)
PHUONG_FACTOR = 1.35
FORMER_SHARE = 0.75
COMMUNE_PROFILE = Profile(0, 0.30, 0.012, 3, 0.45)
# A commune's lĩnh vực: share of its dossiers (of the fields it has), statutory days, how often late.
COMMUNE_FIELDS: dict[str, tuple[float, int, float]] = {
    "Chứng thực": (0.36, 1, 0.2),
    "Hộ tịch": (0.30, 3, 0.5),
    "Đất đai": (0.12, 15, 4.0),
    "Hộ kinh doanh": (0.06, 3, 1.0),
    "Bảo trợ xã hội": (0.07, 10, 1.0),
    "Người có công": (0.03, 10, 1.0),
    "Xây dựng": (0.04, 15, 2.5),
    "Môi trường": (0.02, 10, 1.5),
    "Thi đua - Khen thưởng": (0.02, 10, 1.0),
}
# The one official score that disagrees with the dossiers: SXD 2026-Q2 tiến độ 0,42 point below the computed
# (as when the dashboard counts late dossiers the export lacks).
DISAGREEMENT = ("SXD", "2026-Q2", "tien_do", -0.42)


@dataclass(frozen=True)
class Stream:
    """Dossiers a unit receives between two days with one profile over some of its fields: a unit's own, or,
    after a merger, those of the unit it absorbed (``origin``)."""

    origin: str
    fields: tuple[str, ...]
    profile: Profile
    start: date
    end: date


def write_demo_data(out_dir: str | Path, registry: Registry, seed: int = 2024, scale: float = 1.0) -> list[Path]:
    """Write the demo input files into ``out_dir`` and return their paths. The same seed gives the same
    files (byte for byte, but for the time the xlsx container stamps on its parts)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    units = [dept for dept in registry if _active(dept, START, END)]
    dossiers = pd.concat([_unit_dossiers(dept, registry, seed, scale) for dept in units], ignore_index=True)
    summary = dossiers["department"].isin(SUMMARY_ONLY)
    exports = _yearly_exports(dossiers[~summary])
    return [
        _write_canonical_csv(exports[0], out / f"dossiers_{YEARS[0]}.csv"),
        _write_vietnamese_csv(exports[1], out / f"dossiers_{YEARS[1]}.csv", registry),
        _write_parquet(exports[2], out / f"dossiers_{YEARS[2]}.parquet"),
        _write_unicode_text(exports[3], out / f"dossiers_{YEARS[3]}.txt", registry),
        _write_bieu06(dossiers[summary], out / "bieu06_counts.xlsx"),
        _write_par_index(registry, seed, out / "par_index.csv"),
        _write_sipas(registry, seed, out / "sipas.csv"),
        _write_scores_766(dossiers[~summary], registry, seed, out / "scores_766.xlsx"),
    ]


def _active(dept: Department, start: date, end: date) -> bool:
    return (dept.valid_from is None or dept.valid_from <= end) and (dept.valid_to is None or dept.valid_to >= start)


# --- dossiers --------------------------------------------------------------------------------------------
def _rng(seed: int, *keys: object) -> np.random.Generator:
    """A generator per (seed, unit, year, …): adding a unit never changes another unit's data."""
    return np.random.default_rng([seed, *(zlib.crc32(str(key).encode()) for key in keys)])


def _streams(dept: Department, registry: Registry, seed: int) -> list[Stream]:
    """What ``dept`` receives over its validity (within START … END), by profile."""
    start, end = max(dept.valid_from or START, START), min(dept.valid_to or END, END)
    if dept.group == COMMUNES:
        return [Stream(dept.code, dept.fields, _commune_profile(dept, registry, seed), start, end)]
    absorbed = [registry.get(code) for code in registry.predecessors(dept.code) if code in PROFILES]
    inherited = {name for unit in absorbed for name in unit.fields}
    own = tuple(name for name in dept.fields if name not in inherited) or ("Khác",)
    streams = [Stream(dept.code, own, PROFILES.get(dept.code, DEFAULT_PROFILE), start, end)] \
        if dept.code in PROFILES or not absorbed else []
    streams += [Stream(unit.code, unit.fields, PROFILES[unit.code],
                       max(start, unit.valid_to + timedelta(days=1)), end)
                for unit in absorbed if unit.valid_to is not None]
    return streams


def _commune_profile(dept: Department, registry: Registry, seed: int) -> Profile:
    """A new commune's volume is drawn; a former commune has its share of its successor's (FORMER_SHARE)."""
    if dept.successor is None:
        low, high = COMMUNE_VOLUME
        volume = _rng(seed, "size", dept.code).uniform(low, high)
        volume *= PHUONG_FACTOR if dept.short_name.startswith("Phường") else 1.0
    else:
        siblings = [d.code for d in registry if d.successor == dept.successor]
        weights = {code: _rng(seed, "share", code).uniform(0.6, 1.4) for code in siblings}
        successor = _commune_profile(registry.get(dept.successor), registry, seed)
        volume = successor.volume * FORMER_SHARE * weights[dept.code] / sum(weights.values())
    rng = _rng(seed, "profile", dept.code)
    return Profile(int(round(volume)), COMMUNE_PROFILE.online_share + rng.uniform(-0.1, 0.1),
                   COMMUNE_PROFILE.late_share * rng.uniform(0.3, 2.5), COMMUNE_PROFILE.legal_days,
                   COMMUNE_PROFILE.fee_share)


def _unit_dossiers(dept: Department, registry: Registry, seed: int, scale: float) -> pd.DataFrame:
    """Every dossier ``dept`` receives, numbered per year in order of receipt."""
    years = []
    for year in YEARS:
        parts = [_stream_dossiers(dept.code, stream, year, seed, scale, dept.group == COMMUNES)
                 for stream in _streams(dept, registry, seed)]
        parts = [part for part in parts if not part.empty]
        if not parts:
            continue
        frame = pd.concat(parts, ignore_index=True).sort_values("received_at", kind="stable", ignore_index=True)
        frame.insert(0, "dossier_id", [f"H12.{dept.code}.{year % 100:02d}{n:06d}" for n in range(1, len(frame) + 1)])
        years.append(frame)
    return pd.concat(years, ignore_index=True) if years else pd.DataFrame()


def _stream_dossiers(code: str, stream: Stream, year: int, seed: int, scale: float, commune: bool) -> pd.DataFrame:
    first, last = max(stream.start, date(year, 1, 1)), min(stream.end, date(year, 12, 31))
    if first > last:
        return pd.DataFrame()
    rng = _rng(seed, code, stream.origin, year)
    step = year - YEARS[0]
    profile, fields = stream.profile, list(stream.fields)

    days = np.arange(np.datetime64(f"{year}-01-01"), np.datetime64(f"{year + 1}-01-01"))
    days = days[np.is_busday(days)]
    weights = MONTH_WEIGHTS[days.astype("datetime64[M]").astype(int) % 12]
    within = (days >= np.datetime64(first)) & (days <= np.datetime64(last))
    expected = profile.volume * scale * (1 + 0.06 * step) * weights[within].sum() / weights.sum()
    count = int(round(expected * rng.uniform(0.92, 1.08)))
    if count == 0 or not within.any():
        return pd.DataFrame()
    days, weights = days[within], weights[within]
    received_day = np.sort(rng.choice(days, size=count, p=weights / weights.sum()))

    if commune:
        share, statutory, slow = (np.array([COMMUNE_FIELDS.get(name, (0.02, profile.legal_days, 1.0))[k]
                                            for name in fields]) for k in range(3))
        field_index = rng.choice(len(fields), size=count, p=share / share.sum())
        legal_days = statutory.astype(int)[field_index]
        late_factor = slow[field_index]
    else:
        field_weights = 1 / np.arange(1, len(fields) + 1) ** 1.3
        field_index = rng.choice(len(fields), size=count, p=field_weights / field_weights.sum())
        legal_days = np.maximum(2, np.round(profile.legal_days * rng.choice([0.5, 1.0, 1.0, 1.5], size=count)))
        legal_days = legal_days.astype(int)
        late_factor = np.where(field_index == 0, 1.4, 0.6)
    due_day = np.busday_offset(received_day, legal_days, roll="forward")

    late = rng.random(count) < profile.late_share * 0.75 ** step * late_factor
    on_time = ~late & (rng.random(count) < ON_TIME_SHARE)
    early_days = np.minimum(legal_days, 1 + rng.geometric(0.35, size=count))
    late_days = rng.geometric(0.3, size=count)
    offset = np.where(late, late_days, np.where(on_time, 0, -early_days))
    completed_day = np.busday_offset(due_day, offset, roll="forward")

    online_share = min(0.97, profile.online_share + 0.10 * step)
    draw = rng.random(count)
    channel = np.where(draw < online_share, "online", np.where(draw < online_share + 0.04, "postal", "in_person"))
    fee = rng.random(count) < profile.fee_share
    pays_online = np.where(channel == "online", 0.55 + 0.10 * step, 0.08 + 0.05 * step)

    return pd.DataFrame({
        "department": code,
        "field": np.array(fields, dtype=object)[field_index],
        "procedure": [f"{fields[i]} – thủ tục số {k:02d}" for i, k in
                      zip(field_index, rng.integers(1, 9, size=count))],
        "channel": channel,
        "received_at": _at(received_day, rng.integers(7 * 60 + 30, 17 * 60, size=count)),
        "due_at": _at(due_day, rng.integers(14 * 60, 17 * 60, size=count)),
        "completed_at": _at(completed_day, rng.integers(7 * 60 + 30, 17 * 60 + 30, size=count)),
        "apology_issued": late & (rng.random(count) < 0.85 - 0.1 * step * (stream.origin == "STNMT")),
        "digitized": rng.random(count) < min(0.98, 0.70 + 0.10 * step + rng.uniform(-0.05, 0.05)),
        "fee_required": fee,
        "paid_online": fee & (rng.random(count) < pays_online),
        "unsatisfied": rng.random(count) < np.where(late, 0.15, 0.0015),
    })


def _at(days: np.ndarray, minutes: np.ndarray) -> pd.Series:
    """Timestamps (to the minute) from calendar days and minutes after midnight."""
    return pd.Series(days.astype("datetime64[us]") + minutes.astype("timedelta64[m]"))


def _yearly_exports(dossiers: pd.DataFrame) -> list[pd.DataFrame]:
    """One export per year, cut off at 31/12 (the last at END): that year's dossiers and those open at the
    previous export; a dossier completed after the cut-off is shown open."""
    exports, open_before = [], pd.Series(False, index=dossiers.index)
    received_year = dossiers["received_at"].dt.year
    for year in YEARS:
        rows = (received_year == year) | open_before
        exports.append(_as_exported(dossiers.loc[rows], year).reset_index(drop=True))
        open_before = (received_year <= year) & (dossiers["completed_at"] >= _cutoff(year))
    return exports


def _cutoff(year: int) -> pd.Timestamp:
    """When the export of ``year`` is taken: the end of 31/12, or of END for the last year."""
    return min(pd.Timestamp(year + 1, 1, 1), pd.Timestamp(END) + pd.Timedelta(days=1))


def _as_exported(dossiers: pd.DataFrame, year: int) -> pd.DataFrame:
    """The dossiers as the export of ``year`` shows them: completed after its cut-off means still open."""
    completed = dossiers["completed_at"]
    return dossiers.assign(completed_at=completed.mask(completed >= _cutoff(year)))


def _dashboard_code(dept: Department) -> str:
    """The unit's code on the national dashboard (its first alias in the demo registry)."""
    return next((alias for alias in dept.aliases if alias.startswith("H12.")), dept.name)


def _dashboard_name(dept: Department) -> str:
    """The unit's name on the national dashboard: "Sở Công Thương - Tỉnh Bình Sơn"."""
    return next((alias for alias in dept.aliases if " - " in alias), dept.name)


def _write_canonical_csv(frame: pd.DataFrame, path: Path) -> Path:
    frame.to_csv(path, index=False, encoding="utf-8", date_format="%Y-%m-%d %H:%M")
    return path


def _vietnamese(frame: pd.DataFrame, unit_header: str, units: dict[str, str]) -> pd.DataFrame:
    """The export as a provincial one-stop system writes it: Vietnamese headers and values."""
    channel = frame["channel"].map({"online": "Trực tuyến", "in_person": "Trực tiếp", "postal": "Bưu chính"})
    flag = lambda column: frame[column].map({True: "Có", False: ""})  # noqa: E731
    when = lambda column: frame[column].dt.strftime("%d/%m/%Y %H:%M")  # noqa: E731
    return pd.DataFrame({
        "Mã hồ sơ": frame["dossier_id"],
        unit_header: frame["department"].map(units),
        "Lĩnh vực": frame["field"],
        "Tên thủ tục": frame["procedure"],
        "Hình thức nộp": channel,
        "Ngày tiếp nhận": when("received_at"),
        "Ngày hẹn trả": when("due_at"),
        "Ngày trả kết quả": when("completed_at"),
        "Thư xin lỗi": flag("apology_issued"),
        "Số hóa": flag("digitized"),
        "Có phí, lệ phí": flag("fee_required"),
        "Thanh toán trực tuyến": flag("paid_online"),
        "Không hài lòng": flag("unsatisfied"),
    })


def _write_vietnamese_csv(frame: pd.DataFrame, path: Path, registry: Registry) -> Path:
    """UTF-8 with BOM, units by their full names."""
    _vietnamese(frame, "Đơn vị", {dept.code: dept.name for dept in registry}).to_csv(
        path, index=False, encoding="utf-8-sig")
    return path


def _write_unicode_text(frame: pd.DataFrame, path: Path, registry: Registry) -> Path:
    """UTF-16 with BOM, tab-separated, units by their dashboard codes."""
    _vietnamese(frame, "Mã đơn vị", {dept.code: _dashboard_code(dept) for dept in registry}).to_csv(
        path, index=False, sep="\t", encoding="utf-16")
    return path


def _write_parquet(frame: pd.DataFrame, path: Path) -> Path:
    frame.to_parquet(path, index=False)
    return path


# --- Biểu 06, PAR Index, SIPAS ---------------------------------------------------------------------------
def _write_bieu06(dossiers: pd.DataFrame, path: Path) -> Path:
    """Quarterly Biểu 06 rows per unit and field with a stated ``Tổng`` row, under two title rows."""
    records = _as_exported(dossiers, YEARS[-1])
    counts = pd.concat([from_records(records, quarter) for quarter in QUARTERS], ignore_index=True)
    counts = counts.rename(columns={"new_online": "received_online", "new_offline": "received_offline",
                                    "overdue_apologized": "late_with_apology"})
    measures = [*COUNT_MEASURES, "late_with_apology"]
    totals = counts.groupby(["department", "period"], as_index=False, sort=False)[measures].sum()
    totals["field"] = TOTAL_FIELD
    table = pd.concat([counts, totals], ignore_index=True).sort_values(["period", "department"], kind="stable")
    table["period"] = table["period"].map(lambda code: Period.parse(code).short_label)
    table = table[["department", "period", "field", *measures]].rename(
        columns={"department": "Đơn vị", "period": "Kỳ báo cáo", "field": "Lĩnh vực"})
    table[measures] = table[measures].astype("int64")
    return _excel_with_titles(table, path, "Biểu 06", [
        "Biểu số 06/VPCP/KSTT – Tình hình, kết quả giải quyết thủ tục hành chính",
        "Đơn vị chỉ báo cáo số liệu tổng hợp (Thông tư 01/2020/TT-VPCP)"])


def _excel_with_titles(frame: pd.DataFrame, path: Path, sheet: str, titles: list[str]) -> Path:
    """``frame`` as the sheet ``sheet`` of a new workbook, under one title row per ``titles`` (column A), as
    the exports carry them. Written once through pandas' openpyxl engine (imported only here)."""
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        frame.to_excel(writer, index=False, startrow=len(titles), sheet_name=sheet)
        for row, title in enumerate(titles, start=1):
            writer.sheets[sheet][f"A{row}"] = title
    return path


def _scored(registry: Registry) -> list[tuple[int, Department]]:
    """(year, unit) for each unit reported for a year of SCORED_YEARS (:meth:`Registry.codes`)."""
    return [(year, registry.get(code)) for year in SCORED_YEARS for code in registry.codes(Period.parse(str(year)))]


def _write_par_index(registry: Registry, seed: int, path: Path) -> Path:
    rows = []
    for year, dept in _scored(registry):
        rng = _rng(seed, "par", dept.code, year)
        low, high = (0.72, 0.90) if dept.group == COMMUNES else (0.78, 0.93)
        level = rng.uniform(low, high) + 0.015 * (year - YEARS[0])
        for area, maximum in PAR_AREAS.items():
            score = min(maximum, maximum * (level + rng.uniform(-0.06, 0.06)))
            rows.append({"year": year, "department": dept.code, "area": area,
                         "score": round(score, 2), "max_score": maximum})
    pd.DataFrame(rows).to_csv(path, index=False, encoding="utf-8")
    return path


def _write_sipas(registry: Registry, seed: int, path: Path) -> Path:
    rows = [{"year": year, "department": dept.code,
             "satisfaction_pct": round(float(_rng(seed, "sipas", dept.code, year).uniform(82, 93))
                                       + 1.2 * (year - YEARS[0]), 2)}
            for year, dept in _scored(registry)]
    pd.DataFrame(rows).to_csv(path, index=False, encoding="utf-8")
    return path


def _write_scores_766(dossiers: pd.DataFrame, registry: Registry, seed: int, path: Path) -> Path:
    """Official 766 scores per unit and quarter under the dashboard's title row (see the module docstring)."""
    records = _as_exported(dossiers, YEARS[-1])
    progress, satisfaction = INDICATORS["progress_766"], INDICATORS["satisfaction_766"]
    petitions = [INDICATORS["petition_processing_on_time"], INDICATORS["petition_handling_satisfaction"]]
    rows = []
    for quarter in QUARTERS:
        owners = {member: code for code in registry.codes(quarter) for member in registry.members(code, quarter)}
        counted = from_records(records, quarter)
        counted = counted[counted["department"].isin(owners)]
        units = add_rates(sum_counts(counted.assign(department=counted["department"].map(owners)), ["department"]))
        for unit in units.itertuples():
            if pd.isna(getattr(unit, progress.score_name)) or pd.isna(getattr(unit, satisfaction.score_name)):
                continue  # no dossier in the quarter: the dashboard has nothing to score either
            rng = _rng(seed, "766", unit.department, quarter.code)
            level = rng.uniform(0.82, 0.97)
            share = lambda name: level if pd.isna(getattr(unit, name)) else getattr(unit, name)  # noqa: E731
            scored = {"cong_khai": GROUPS["cong_khai"].max_score * level,
                      "tien_do": getattr(unit, progress.score_name),
                      "so_hoa": GROUPS["so_hoa"].max_score * min(1.0, share("digitized_share") * rng.uniform(0.9, 1)),
                      "dvc_truc_tuyen": GROUPS["dvc_truc_tuyen"].max_score * min(1.0, share("online_share") * 1.1),
                      "thanh_toan": GROUPS["thanh_toan"].max_score * share("online_payment_share")}
            if (unit.department, quarter.code) == DISAGREEMENT[:2]:
                scored[DISAGREEMENT[2]] = round(scored[DISAGREEMENT[2]], 2) + DISAGREEMENT[3]
            parts = {satisfaction: getattr(unit, satisfaction.score_name),
                     **{each: each.max_score * rng.uniform(0.9, 1.0) for each in petitions}}
            scored["hai_long"] = sum(round(points, 2) for points in parts.values())
            dept = registry.get(unit.department)
            name = _dashboard_code(dept) if dept.group == COMMUNES else _dashboard_name(dept)
            label = quarter.label_vi.replace(f" năm {quarter.year}", f"/{quarter.year}")
            rows += [{"Kỳ đánh giá": label[:1].upper() + label[1:], "Đơn vị": name, "Nhóm chỉ số": group.label,
                      "Chỉ tiêu": "", "Điểm": round(scored[key], 2), "Điểm tối đa": group.max_score}
                     for key, group in GROUPS.items()]
            rows += [{"Kỳ đánh giá": rows[-1]["Kỳ đánh giá"], "Đơn vị": name, "Nhóm chỉ số": GROUPS["hai_long"].label,
                      "Chỉ tiêu": each.label, "Điểm": round(points, 2), "Điểm tối đa": each.max_score}
                     for each, points in parts.items()]
    return _excel_with_titles(pd.DataFrame(rows), path, "Bộ chỉ số 766", [
        "Kết quả đánh giá Bộ chỉ số phục vụ người dân, doanh nghiệp (Cổng Dịch vụ công quốc gia)"])
