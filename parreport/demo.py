"""The demo province's input files: a deterministic, realistic stand-in for a province's exports.

``write_demo_data`` writes what a provincial one-stop system and the reform office would hand over for
2022-Q1 … 2024-Q4, in the formats real exports come in:

- ``dossiers_2022.csv`` — canonical English headers, UTF-8, ISO dates, unit codes;
- ``dossiers_2023.csv`` — Vietnamese headers, UTF-8 with BOM, ``dd/mm/yyyy HH:MM`` dates, full unit names,
  "Trực tuyến"/"Trực tiếp"/"Bưu chính" and "Có"/empty flags;
- ``dossiers_2024.parquet`` — canonical columns with native types;
- ``bieu06_counts.xlsx`` — Biểu số 06 quarterly counts (title rows, then the header; ``Tổng`` rows) for the
  units that only report summary numbers;
- ``par_index.csv`` and ``sipas.csv`` — annual PAR Index areas and SIPAS satisfaction;
- ``scores_766.xlsx`` — official 766 scores of the units keeping dossier records, 2023-Q1 … 2024-Q4, as the
  national dashboard exports them (a title row, Vietnamese headers, group names and periods): a row per group
  and per mức độ hài lòng indicator. Tiến độ and the dossier-satisfaction indicator are the scores computed
  from the dossiers rounded to two decimals, but for one deliberate disagreement (:data:`DISAGREEMENT`);
  the groups dossiers cannot reproduce have plausible values.

Each yearly export holds the dossiers received that year plus those still open at the previous export, now
with their outcome: the same dossier appears twice, and the store keeps the latest export only. Dossiers
still open at an export's cut-off have no completion date. Volumes, late shares, channels, digitisation and
payments follow each unit's profile, improve year on year, and vary by season (fewer dossiers around Tết).
"""
from __future__ import annotations

import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from parreport.ingest.schema import COUNT_MEASURES, TOTAL_FIELD
from parreport.catalogue import GROUPS, INDICATORS
from parreport.metrics.counts import from_records
from parreport.metrics.rates import add_rates, sum_counts
from parreport.periods import Period
from parreport.registry import Department, Registry

YEARS = (2022, 2023, 2024)
SUMMARY_ONLY = ("SNGV", "TTT")  # units that hand in Biểu 06 counts instead of dossier records
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
    """How a unit's dossiers look in 2022: yearly volume, shares, statutory processing time."""

    volume: int
    online_share: float
    late_share: float
    legal_days: int
    fee_share: float = 0.5


PROFILES: dict[str, Profile] = {
    "STNMT": Profile(24000, 0.25, 0.035, 15, 0.85),
    "SNNPTNT": Profile(3000, 0.55, 0.004, 10, 0.6),
    "SKHDT": Profile(9000, 0.92, 0.002, 3, 0.3),
    "STC": Profile(400, 0.60, 0.0, 10, 0.1),
    "SXD": Profile(2500, 0.50, 0.012, 15, 0.7),
    "SGTVT": Profile(30000, 0.35, 0.001, 5, 0.95),
    "SCT": Profile(4000, 0.70, 0.003, 7, 0.6),
    "SYT": Profile(6000, 0.45, 0.02, 20, 0.8),
    "SGDDT": Profile(1500, 0.60, 0.0, 5, 0.1),
    "SLDTBXH": Profile(7000, 0.50, 0.006, 10, 0.2),
    "STP": Profile(15000, 0.55, 0.004, 10, 0.9),
    "SNV": Profile(600, 0.40, 0.0, 15, 0.05),
    "SVHTTDL": Profile(900, 0.50, 0.002, 7, 0.6),
    "STTTT": Profile(350, 0.80, 0.0, 10, 0.5),
    "SKHCN": Profile(300, 0.60, 0.0, 10, 0.4),
    "BQLKKT": Profile(800, 0.70, 0.01, 15, 0.5),
    "SNGV": Profile(500, 0.30, 0.0, 5, 0.7),
    "TTT": Profile(250, 0.20, 0.02, 30, 0.0),
}
DEFAULT_PROFILE = Profile(800, 0.5, 0.005, 10)
SCORE_766_YEARS = (2023, 2024)  # the index exists since 2023
# The one official score that disagrees with the dossiers: SXD 2024-Q4 tiến độ 0,42 point below the computed
# (as when the dashboard counts late dossiers the export lacks).
DISAGREEMENT = ("SXD", "2024-Q4", "tien_do", -0.42)


def write_demo_data(out_dir: str | Path, registry: Registry, seed: int = 2024, scale: float = 1.0) -> list[Path]:
    """Write the demo input files into ``out_dir`` and return their paths. The same seed gives the same
    files (byte for byte, but for the time the xlsx container stamps on its parts)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    units = [dept for dept in registry if any(dept.active_in(Period.parse(str(year))) for year in YEARS)]
    dossiers = pd.concat([_unit_dossiers(dept, seed, scale) for dept in units], ignore_index=True)
    summary = dossiers["department"].isin(SUMMARY_ONLY)
    exports = _yearly_exports(dossiers[~summary])
    files = [
        _write_canonical_csv(exports[0], out / f"dossiers_{YEARS[0]}.csv"),
        _write_vietnamese_csv(exports[1], out / f"dossiers_{YEARS[1]}.csv", registry),
        _write_parquet(exports[2], out / f"dossiers_{YEARS[2]}.parquet"),
        _write_bieu06(dossiers[summary], out / "bieu06_counts.xlsx"),
        _write_par_index(units, seed, out / "par_index.csv"),
        _write_sipas(units, seed, out / "sipas.csv"),
        _write_scores_766(dossiers[~summary], registry, seed, out / "scores_766.xlsx"),
    ]
    return files


# --- dossiers --------------------------------------------------------------------------------------------
def _rng(seed: int, *keys: object) -> np.random.Generator:
    """A generator per (seed, unit, year): adding a unit never changes another unit's data."""
    return np.random.default_rng([seed, *(zlib.crc32(str(key).encode()) for key in keys)])


def _unit_dossiers(dept: Department, seed: int, scale: float) -> pd.DataFrame:
    profile = PROFILES.get(dept.code, DEFAULT_PROFILE)
    fields = list(dept.fields) or ["Khác"]
    years = [year for year in YEARS if dept.active_in(Period.parse(str(year)))]
    return pd.concat([_year_dossiers(dept.code, fields, profile, year, seed, scale) for year in years],
                     ignore_index=True)


def _year_dossiers(code: str, fields: list[str], profile: Profile, year: int, seed: int,
                   scale: float) -> pd.DataFrame:
    rng = _rng(seed, code, year)
    step = year - YEARS[0]
    count = max(1, int(round(profile.volume * scale * (1 + 0.06 * step) * rng.uniform(0.92, 1.08))))

    workdays = np.arange(np.datetime64(f"{year}-01-01"), np.datetime64(f"{year + 1}-01-01"))
    workdays = workdays[np.is_busday(workdays)]
    months = workdays.astype("datetime64[M]").astype(int) % 12
    weights = MONTH_WEIGHTS[months] / MONTH_WEIGHTS[months].sum()
    received_day = np.sort(rng.choice(workdays, size=count, p=weights))

    field_weights = 1 / np.arange(1, len(fields) + 1) ** 1.3
    field_index = rng.choice(len(fields), size=count, p=field_weights / field_weights.sum())
    legal_days = np.maximum(2, np.round(profile.legal_days * rng.choice([0.5, 1.0, 1.0, 1.5], size=count))).astype(int)
    due_day = np.busday_offset(received_day, legal_days, roll="forward")

    late_share = profile.late_share * 0.7 ** step * np.where(field_index == 0, 1.4, 0.6)
    late = rng.random(count) < late_share
    on_time = ~late & (rng.random(count) < ON_TIME_SHARE)
    early_days = np.minimum(legal_days, 1 + rng.geometric(0.35, size=count))
    late_days = rng.geometric(0.3, size=count)
    offset = np.where(late, late_days, np.where(on_time, 0, -early_days))
    completed_day = np.busday_offset(due_day, offset, roll="forward")

    online_share = min(0.97, profile.online_share + 0.12 * step)
    draw = rng.random(count)
    channel = np.where(draw < online_share, "online", np.where(draw < online_share + 0.04, "postal", "in_person"))
    fee = rng.random(count) < profile.fee_share
    pays_online = np.where(channel == "online", 0.55 + 0.12 * step, 0.08 + 0.05 * step)

    received_at = _at(received_day, rng.integers(7 * 60 + 30, 17 * 60, size=count))
    return pd.DataFrame({
        "dossier_id": [f"H12.{code}.{year % 100:02d}{n:06d}" for n in range(1, count + 1)],
        "department": code,
        "field": np.array(fields, dtype=object)[field_index],
        "procedure": [f"{fields[i]} – thủ tục số {k:02d}" for i, k in
                      zip(field_index, rng.integers(1, 9, size=count))],
        "channel": channel,
        "received_at": received_at,
        "due_at": _at(due_day, rng.integers(14 * 60, 17 * 60, size=count)),
        "completed_at": _at(completed_day, rng.integers(7 * 60 + 30, 17 * 60 + 30, size=count)),
        "apology_issued": late & (rng.random(count) < 0.85 - 0.1 * step * (code == "STNMT")),
        "digitized": rng.random(count) < min(0.98, 0.58 + 0.14 * step + rng.uniform(-0.05, 0.05)),
        "fee_required": fee,
        "paid_online": fee & (rng.random(count) < pays_online),
        "unsatisfied": rng.random(count) < np.where(late, 0.15, 0.0015),
    })


def _at(days: np.ndarray, minutes: np.ndarray) -> pd.Series:
    """Timestamps (to the minute) from calendar days and minutes after midnight."""
    return pd.Series(days.astype("datetime64[us]") + minutes.astype("timedelta64[m]"))


def _yearly_exports(dossiers: pd.DataFrame) -> list[pd.DataFrame]:
    """One export per year, cut off at 31/12: that year's dossiers and those open at the previous
    export; a dossier completed after the cut-off is shown open."""
    exports, open_before = [], pd.Series(False, index=dossiers.index)
    received_year = dossiers["received_at"].dt.year
    for year in YEARS:
        rows = (received_year == year) | open_before
        exports.append(_as_exported(dossiers.loc[rows], year).reset_index(drop=True))
        open_before = (received_year <= year) & (dossiers["completed_at"] >= _cutoff(year))
    return exports


def _cutoff(year: int) -> pd.Timestamp:
    """When the export of ``year`` is taken: the end of 31/12."""
    return pd.Timestamp(year + 1, 1, 1)


def _as_exported(dossiers: pd.DataFrame, year: int) -> pd.DataFrame:
    """The dossiers as the export of ``year`` shows them: completed after its cut-off means still open."""
    completed = dossiers["completed_at"]
    return dossiers.assign(completed_at=completed.mask(completed >= _cutoff(year)))


def _write_canonical_csv(frame: pd.DataFrame, path: Path) -> Path:
    frame.to_csv(path, index=False, encoding="utf-8", date_format="%Y-%m-%d %H:%M")
    return path


def _write_vietnamese_csv(frame: pd.DataFrame, path: Path, registry: Registry) -> Path:
    """The export as a provincial one-stop system writes it: Vietnamese headers and values."""
    channel = frame["channel"].map({"online": "Trực tuyến", "in_person": "Trực tiếp", "postal": "Bưu chính"})
    flag = lambda column: frame[column].map({True: "Có", False: ""})  # noqa: E731
    when = lambda column: frame[column].dt.strftime("%d/%m/%Y %H:%M")  # noqa: E731
    export = pd.DataFrame({
        "Mã hồ sơ": frame["dossier_id"],
        "Đơn vị": frame["department"].map({dept.code: dept.name for dept in registry}),
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
    export.to_csv(path, index=False, encoding="utf-8-sig")
    return path


def _write_parquet(frame: pd.DataFrame, path: Path) -> Path:
    frame.to_parquet(path, index=False)
    return path


# --- Biểu 06, PAR Index, SIPAS ---------------------------------------------------------------------------
def _write_bieu06(dossiers: pd.DataFrame, path: Path) -> Path:
    """Quarterly Biểu 06 rows per unit and field with a stated ``Tổng`` row, under two title rows."""
    records = _as_exported(dossiers, YEARS[-1])
    quarters = [Period(year, "Q", q) for year in YEARS for q in range(1, 5)]
    counts = pd.concat([from_records(records, quarter) for quarter in quarters], ignore_index=True)
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


def _write_par_index(units: list[Department], seed: int, path: Path) -> Path:
    rows = []
    for dept in units:
        for year in YEARS:
            rng = _rng(seed, "par", dept.code, year)
            level = rng.uniform(0.78, 0.93) + 0.015 * (year - YEARS[0])
            for area, maximum in PAR_AREAS.items():
                score = min(maximum, maximum * (level + rng.uniform(-0.06, 0.06)))
                rows.append({"year": year, "department": dept.code, "area": area,
                             "score": round(score, 2), "max_score": maximum})
    pd.DataFrame(rows).to_csv(path, index=False, encoding="utf-8")
    return path


def _write_sipas(units: list[Department], seed: int, path: Path) -> Path:
    rows = [{"year": year, "department": dept.code,
             "satisfaction_pct": round(float(_rng(seed, "sipas", dept.code, year).uniform(82, 93))
                                       + 1.2 * (year - YEARS[0]), 2)}
            for dept in units for year in YEARS]
    pd.DataFrame(rows).to_csv(path, index=False, encoding="utf-8")
    return path


def _write_scores_766(dossiers: pd.DataFrame, registry: Registry, seed: int, path: Path) -> Path:
    """Official 766 scores per unit and quarter under the dashboard's title row (see the module docstring)."""
    records = _as_exported(dossiers, YEARS[-1])
    progress, satisfaction = INDICATORS["progress_766"], INDICATORS["satisfaction_766"]
    petitions = [INDICATORS["petition_processing_on_time"], INDICATORS["petition_handling_satisfaction"]]
    rows = []
    for quarter in (Period(year, "Q", q) for year in SCORE_766_YEARS for q in range(1, 5)):
        units = add_rates(sum_counts(from_records(records, quarter), ["department"]))
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
            name = registry.get(unit.department).name
            label = quarter.label_vi.replace(f" năm {quarter.year}", f"/{quarter.year}")
            rows += [{"Kỳ đánh giá": label[:1].upper() + label[1:], "Đơn vị": name, "Nhóm chỉ số": group.label,
                      "Chỉ tiêu": "", "Điểm": round(scored[key], 2), "Điểm tối đa": group.max_score}
                     for key, group in GROUPS.items()]
            rows += [{"Kỳ đánh giá": rows[-1]["Kỳ đánh giá"], "Đơn vị": name, "Nhóm chỉ số": GROUPS["hai_long"].label,
                      "Chỉ tiêu": each.label, "Điểm": round(points, 2), "Điểm tối đa": each.max_score}
                     for each, points in parts.items()]
    return _excel_with_titles(pd.DataFrame(rows), path, "Bộ chỉ số 766", [
        "Kết quả đánh giá Bộ chỉ số phục vụ người dân, doanh nghiệp (Cổng Dịch vụ công quốc gia)"])
