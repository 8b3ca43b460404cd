"""The national 766 dashboard's units map onto the registry (issue 29, item 5): by the dashboard's unit code
(an alias), by name with the province suffix ("Sở Công Thương - Tỉnh Phú Thọ"), by "UBND xã …" for
"Ủy ban nhân dân xã …", by code and name in two columns; every unknown unit is reported at once with a
registry entry to paste, a unit of another province is refused, and no row is dropped."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml

from parreport.errors import InputError, UnknownUnitError
from parreport.ingest.table import read_table
from parreport.registry import Registry
from parreport.store import Store
from tests.conftest import write_registry

PARREPORT = str(Path(sys.executable).with_name("parreport"))

REGISTRY_YAML = """\
province: "Tỉnh Phú Thọ"
departments:
  - code: SCT
    name: "Sở Công Thương"
    short_name: "Sở Công Thương"
    group: so_nganh
    fields: ["Điện"]
    aliases: ["H44.07"]
  - code: SYT
    name: "Sở Y tế"
    short_name: "Sở Y tế"
    group: so_nganh
    fields: ["Dược phẩm"]
  - code: XA_HY_CUONG
    name: "Ủy ban nhân dân xã Hy Cương"
    short_name: "Xã Hy Cương"
    group: cap_xa
    fields: ["Hộ tịch"]
    aliases: ["H44.07.12"]
  - code: PHUONG_THANH_MIEU
    name: "Ủy ban nhân dân phường Thanh Miếu"
    short_name: "Phường Thanh Miếu"
    group: cap_xa
    fields: ["Hộ tịch"]
"""
HEADERS = ["Kỳ đánh giá", "Đơn vị", "Nhóm chỉ số", "Chỉ tiêu", "Điểm", "Điểm tối đa"]
TITLE = "Kết quả đánh giá Bộ chỉ số phục vụ người dân, doanh nghiệp (Cổng Dịch vụ công quốc gia)"


@pytest.fixture
def registry_path(tmp_path: Path) -> Path:
    return write_registry(tmp_path, REGISTRY_YAML)


@pytest.fixture
def registry(registry_path: Path) -> Registry:
    return Registry.load(registry_path)


def export_766(path: Path, units: list[str], score: float = 15.0, headers: list[str] | None = None,
               codes: list[str] | None = None) -> Path:
    """A 766 export as the dashboard writes it: a title row, Vietnamese headers, one group score per unit
    (the unit named as given; in a code column beside it when ``codes`` is given)."""
    rows = []
    for number, unit in enumerate(units):
        row = {"Kỳ đánh giá": "Quý II/2025", "Đơn vị": unit, "Nhóm chỉ số": "Công khai, minh bạch",
               "Chỉ tiêu": "", "Điểm": score + number / 10, "Điểm tối đa": 18}
        if codes is not None:
            row = {"Mã đơn vị": codes[number], **row}
        rows.append(row)
    frame = pd.DataFrame(rows)
    if headers:
        frame = frame.rename(columns=dict(zip(frame.columns, headers)))
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        frame.to_excel(writer, index=False, startrow=1, sheet_name="Bộ chỉ số 766")
        writer.sheets["Bộ chỉ số 766"]["A1"] = TITLE
    return path


def stored_scores(tmp_path: Path, path: Path, registry: Registry) -> dict[str, float]:
    with Store(tmp_path / "s.duckdb") as store:
        store.ingest(path, registry)
        scores = store.table("scores_766")
    return dict(zip(scores["department"], scores["score"]))


def test_dashboard_codes_suffixed_names_and_ubnd_land_on_registry_codes(tmp_path, registry):
    path = export_766(tmp_path / "766.xlsx", [
        "H44.07",                                  # the dashboard's unit code, an alias of SCT
        "Sở Y tế - Tỉnh Phú Thọ",                  # name with the province suffix
        "UBND xã Hy Cương",                        # "UBND" for "Ủy ban nhân dân"
        "Uỷ ban nhân dân phường Thanh Miếu – Tỉnh Phú Thọ",  # old tone placement, en dash
    ])
    assert stored_scores(tmp_path, path, registry) == {
        "SCT": 15.0, "SYT": 15.1, "XA_HY_CUONG": 15.2, "PHUONG_THANH_MIEU": 15.3}


@pytest.mark.parametrize("written", [
    "Sở Công Thương - Tỉnh Phú Thọ", "Sở Công Thương-Tỉnh Phú Thọ", "Sở Công Thương — tỉnh Phú Thọ",
    "sở công thương  -  Phú Thọ".replace("Phú Thọ", "TỈNH PHÚ THỌ"), "h44.07", " H44.07 ",
])
def test_spellings_of_one_unit(registry, written):
    assert registry.resolve(written, "766.xlsx") == "SCT"


def test_city_suffixes_compare_without_tinh_thanh_pho_or_tp(tmp_path):
    path = tmp_path / "hcm.yaml"
    path.write_text('province: "Thành phố Hồ Chí Minh"\ndepartments:\n'
                    '  - {code: SYT, name: "Sở Y tế", group: so_nganh}\n', encoding="utf-8")
    city = Registry.load(path)
    for written in ("Sở Y tế - TP. Hồ Chí Minh", "Sở Y tế- TP. Hồ Chí Minh", "Sở Y tế - Thành phố Hồ Chí Minh",
                    "Sở Y tế - TP Hồ Chí Minh"):
        assert city.resolve(written, "766.xlsx") == "SYT"
    with pytest.raises(UnknownUnitError, match="a unit of Thành phố Hà Nội, not of Thành phố Hồ Chí Minh"):
        city.resolve("Sở Y tế - Thành phố Hà Nội", "766.xlsx")


def test_code_and_name_columns_code_wins_and_name_must_agree(tmp_path, registry):
    path = export_766(tmp_path / "766.xlsx", ["Sở Công Thương - Tỉnh Phú Thọ", "UBND xã Hy Cương", "Sở Y tế"],
                      codes=["H44.07", "H44.07.12", None])  # a row may give the name alone
    assert stored_scores(tmp_path, path, registry) == {"SCT": 15.0, "XA_HY_CUONG": 15.1, "SYT": 15.2}

    wrong = export_766(tmp_path / "wrong.xlsx", ["Sở Y tế - Tỉnh Phú Thọ", "Sở Y tế"], codes=["H44.07", "SYT"])
    with pytest.raises(InputError) as caught:
        read_table(wrong, registry)
    message = str(caught.value)
    assert "row 3: 'Mã đơn vị' 'H44.07' is SCT (Sở Công Thương) but 'Đơn vị' 'Sở Y tế - Tỉnh Phú Thọ' is SYT" in message
    assert "row 4" not in message  # SYT named SYT: no problem


def test_an_unknown_unit_with_code_and_name_gets_an_entry_with_both(tmp_path, registry):
    path = export_766(tmp_path / "766.xlsx", ["Sở Công Thương - Tỉnh Phú Thọ", "Sở Du lịch - Tỉnh Phú Thọ"],
                      codes=["H44.07", "H44.15"])
    with pytest.raises(UnknownUnitError) as caught:
        read_table(path, registry)
    message = str(caught.value)
    assert ("766.xlsx, row 4, column 'Mã đơn vị' / 'Đơn vị': unknown unit 'H44.15' "
            "(also written 'Sở Du lịch - Tỉnh Phú Thọ')") in message
    entry = yaml.safe_load(message[message.index("  - code:"):])[0]
    assert entry == {"code": "H44.15", "name": "Sở Du lịch", "short_name": "Sở Du lịch", "group": "so_nganh",
                     "fields": [], "aliases": ["H44.15", "Sở Du lịch - Tỉnh Phú Thọ"]}


def test_a_code_the_registry_lacks_is_taken_from_the_name_with_a_warning(tmp_path, registry):
    path = export_766(tmp_path / "766.xlsx", ["Sở Y tế - Tỉnh Phú Thọ"], codes=["H44.09"])
    table = read_table(path, registry)
    assert list(table.frame["department"]) == ["SYT"]
    assert any("'H44.09' is not in the registry" in w and "add 'H44.09' to the aliases of SYT" in w
               for w in table.discrepancies)


def test_every_unknown_unit_is_listed_once_with_an_entry_to_paste(tmp_path, registry, registry_path):
    path = export_766(tmp_path / "766.xlsx", [
        "Sở Công Thương - Tỉnh Phú Thọ", "Sở Du lịch - Tỉnh Phú Thọ", "UBND xã Tiên Kiên", "H44.99",
        "Sở Du lịch", "UBND xã Tiên Kiên - Tỉnh Phú Thọ", "Sở Y tế"])
    with pytest.raises(UnknownUnitError) as caught:
        read_table(path, registry)
    error = caught.value
    assert [(unit.found, unit.row) for unit in error.units] == [
        ("Sở Du lịch - Tỉnh Phú Thọ", 4), ("UBND xã Tiên Kiên", 5), ("H44.99", 6)]
    message = str(error)
    assert "766.xlsx, column 'Đơn vị': 3 units are not in the registry" in message
    assert "row 4: unknown unit 'Sở Du lịch - Tỉnh Phú Thọ'" in message and "row 6: unknown unit 'H44.99'" in message
    # the entries, pasted under departments:, make a registry that knows every row of the file
    entries = message[message.index("  - code:"):]
    assert 'name: "Ủy ban nhân dân xã Tiên Kiên"' in entries and "group: cap_xa" in entries
    assert 'aliases: ["Sở Du lịch - Tỉnh Phú Thọ"]' in entries
    assert '- code: "H44.99"' in entries and "group: so_nganh" in entries
    registry_path.write_text(REGISTRY_YAML + entries + "\n", encoding="utf-8")
    extended = Registry.load(registry_path)
    assert len(extended) == len(registry) + 3
    assert [extended.resolve(unit, path) for unit in (
        "Sở Du lịch - Tỉnh Phú Thọ", "UBND xã Tiên Kiên", "H44.99", "Sở Du lịch", "UBND xã Tiên Kiên - Tỉnh Phú Thọ")
    ] == ["SDL", "XA_TIEN_KIEN", "H44.99", "SDL", "XA_TIEN_KIEN"]
    entry = yaml.safe_load(entries)[0]
    assert entry == {"code": "SDL", "name": "Sở Du lịch", "short_name": "Sở Du lịch", "group": "so_nganh",
                     "fields": [], "aliases": ["Sở Du lịch - Tỉnh Phú Thọ"]}


def test_the_single_unknown_unit_of_other_inputs_gets_an_entry_too(tmp_path, registry):
    path = tmp_path / "hs.csv"
    path.write_text("Mã hồ sơ,Đơn vị,Lĩnh vực,Ngày tiếp nhận,Ngày hẹn trả\n"
                    "HS1,Sở Y tế,Dược phẩm,01/06/2025,15/06/2025\n"
                    "HS2,Sở Xây dựng - Tỉnh Phú Thọ,Nhà ở,02/06/2025,16/06/2025\n"
                    "HS3,Sở Xây dựng,Nhà ở,03/06/2025,17/06/2025\n", encoding="utf-8")
    with pytest.raises(UnknownUnitError) as caught:
        read_table(path, registry)
    message = str(caught.value)
    assert "hs.csv, row 3, column 'Đơn vị': unknown unit 'Sở Xây dựng - Tỉnh Phú Thọ'" in message
    assert 'name: "Sở Xây dựng"' in message and message.count("- code:") == 1


def test_a_unit_of_another_province_is_an_error_saying_so(tmp_path, registry):
    path = export_766(tmp_path / "766.xlsx", ["Sở Y tế - Tỉnh Phú Thọ", "Sở Y tế - Tỉnh Vĩnh Phúc"])
    with pytest.raises(UnknownUnitError) as caught:
        read_table(path, registry)
    message = str(caught.value)
    assert ("row 4, column 'Đơn vị': 'Sở Y tế - Tỉnh Vĩnh Phúc' is a unit of Tỉnh Vĩnh Phúc, "
            "not of Tỉnh Phú Thọ") in message
    assert "- code:" not in message and "docs/merged-province.md" in message
    # after a merger, a former province's dashboard name may be an alias (docs/merged-province.md)
    merged = tmp_path / "merged.yaml"
    merged.write_text(REGISTRY_YAML + '  - {code: VP_SYT, name: "Sở Y tế tỉnh Vĩnh Phúc", group: so_nganh, '
                      'valid_to: 2025-06-30, successor: SYT, aliases: ["Sở Y tế - Tỉnh Vĩnh Phúc"]}\n',
                      encoding="utf-8")
    assert list(read_table(path, Registry.load(merged)).frame["department"]) == ["SYT", "VP_SYT"]


def test_a_name_two_units_share_is_a_registry_error(tmp_path):
    path = tmp_path / "r.yaml"
    path.write_text("departments:\n  - {code: A, name: Sở A, group: so_nganh}\n"
                    "  - {code: B, name: Sở B, group: so_nganh, aliases: ['sở  a']}\n", encoding="utf-8")
    with pytest.raises(Exception, match="'sở  a' names two units, A and B"):
        Registry.load(path)


def test_the_cli_prints_every_unknown_unit_and_stores_nothing(tmp_path, registry_path):
    export_766(tmp_path / "766.xlsx", ["H44.07", "Sở Du lịch - Tỉnh Phú Thọ", "Sở Y tế - Tỉnh Vĩnh Phúc",
                                       "UBND phường Nông Trang"])
    done = subprocess.run([PARREPORT, "--registry", str(registry_path), "ingest", "766.xlsx", "--store", "s.duckdb"],
                          capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "766.xlsx, column 'Đơn vị': 3 units are not in the registry" in done.stderr
    assert "row 4: unknown unit 'Sở Du lịch - Tỉnh Phú Thọ'" in done.stderr
    assert "row 5: 'Sở Y tế - Tỉnh Vĩnh Phúc' is a unit of Tỉnh Vĩnh Phúc" in done.stderr
    assert 'name: "Ủy ban nhân dân phường Nông Trang"' in done.stderr and done.stderr.count("- code:") == 2
    with Store(tmp_path / "s.duckdb", read_only=True) as store:
        assert store.table("scores_766").empty

    # the same file as a batch's data: refused before any report, with the same message
    (tmp_path / "spec.yaml").write_text("reports: [overview]\nperiods: [2025-Q2]\ndepartments: all\n"
                                        "formats: [html]\ndata: 766.xlsx\n", encoding="utf-8")
    run = subprocess.run([PARREPORT, "--registry", str(registry_path), "run", "spec.yaml", "--out", "out",
                          "--no-progress"], capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert "3 units are not in the registry" in run.stderr
    assert "row 4: unknown unit 'Sở Du lịch - Tỉnh Phú Thọ'" in run.stderr


# --- issue 29, item 2: a merged province's registry (docs/merged-province.md) -----------------------------
def test_the_merged_province_example_loads_and_answers_its_lineage():
    from parreport.paths import REPO_ROOT
    from parreport.periods import Period

    merged = Registry.load(REPO_ROOT / "params" / "examples" / "merged-province.yaml")
    after, year, before = Period.parse("2025-Q3"), Period.parse("2025"), Period.parse("2024")
    assert merged.codes(after) == ["SCT", "SYT", "SNNMT", "XA_AN_TAN", "PHUONG_LAC_SON"]
    assert merged.codes(year) == merged.codes(after)
    assert merged.codes(after, group="cap_xa") == ["XA_AN_TAN", "PHUONG_LAC_SON"]
    assert {"STNMT", "SNNPTNT", "AL_STNMT", "AL_SNNPTNT", "BS_XA_AN_PHU", "AL_XA_LAC_THUY"} <= set(merged.codes(before))
    assert not {"SNNMT", "XA_AN_TAN", "PHUONG_LAC_SON"} & set(merged.codes(before))
    assert {"SCT", "AL_SCT"} <= set(merged.codes(before)) and merged.members("SCT", before) == ["SCT"]
    assert merged.members("SNNMT", after) == ["STNMT", "SNNPTNT", "SNNMT", "AL_STNMT", "AL_SNNPTNT", "AL_SNNMT"]
    assert merged.members("SCT", after) == ["SCT", "AL_SCT"]
    assert merged.members("XA_AN_TAN", after) == ["XA_AN_TAN", "BS_XA_AN_PHU", "BS_XA_TAN_LAP"]
    assert merged.members("PHUONG_LAC_SON", year) == ["PHUONG_LAC_SON", "AL_PHUONG_LAC_SON", "AL_XA_LAC_THUY"]
    # the dashboard's names and codes of both former provinces
    assert [merged.resolve(name, "766.xlsx") for name in (
        "Sở Công Thương - Tỉnh Bình Sơn", "H90.07", "Sở Công Thương – Tỉnh An Lạc", "H91.25",
        "UBND phường Lạc Sơn - Tỉnh An Lạc", "UBND phường Lạc Sơn - Tỉnh Bình Sơn", "Uỷ ban nhân dân xã An Tân")
    ] == ["SCT", "SCT", "AL_SCT", "AL_SNNMT", "AL_PHUONG_LAC_SON", "PHUONG_LAC_SON", "XA_AN_TAN"]
    with pytest.raises(UnknownUnitError, match="a unit of Tỉnh Hà Giang"):
        merged.resolve("Sở Y tế - Tỉnh Hà Giang", "766.xlsx")
