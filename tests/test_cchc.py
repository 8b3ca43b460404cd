"""The ``cchc`` kind: "Báo cáo kết quả thực hiện công tác cải cách hành chính" in the form of Nghị định
30/2020/NĐ-CP, its Word file read back with python-docx.

Fixture: tests/test_end_to_end.py (registry of tests/conftest.py, province "Tỉnh Thử Nghiệm"). STNMT, quý I năm
2020 (the seed 002 quarter): 15 carried over, 1.911 new (all online), 1.926 received, 1.855 resolved (15 early,
1.840 on time), none late, 71 pending in time. Quý II năm 2020, the province: STNMT 171 received (71 carried
over + 100 new), 171 resolved, 11 late; STP 50 new, 20 resolved, 30 pending → 221 received, 191 resolved.
Partial inputs: the store of tests/test_no_data.py (007 has only a PAR Index score for 2020, area "Cải cách
TTHC" 8/10, and official 766 scores for 2020-Q3).
"""
from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Pt

from parreport.errors import NoDataError
from parreport.metrics import PROVINCE
from parreport.periods import Period
from parreport.registry import Registry
from parreport.render.docx import build_docx
from parreport.reports import cchc
from parreport.reports.cchc import load_cchc, nd30_html, unit_form
from parreport.reports.content import Document
from parreport.reports.kinds import get_kind
from parreport.reports.mimetypes import DOCUMENT_MIMETYPE
from tests.conftest import REGISTRY_YAML
from tests.test_end_to_end import fixture_csv

TODAY = date(2020, 4, 10)
HEADINGS_1 = ["I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CẢI CÁCH HÀNH CHÍNH",
              "II. KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH",
              "III. ĐÁNH GIÁ CHUNG",
              "IV. NHIỆM VỤ TRỌNG TÂM CẢI CÁCH HÀNH CHÍNH QUÝ II NĂM 2020",
              "V. ĐỀ XUẤT, KIẾN NGHỊ"]
HEADINGS_2 = ["1. Cải cách thể chế", "2. Cải cách thủ tục hành chính", "3. Cải cách tổ chức bộ máy hành chính nhà nước",
              "4. Cải cách chế độ công vụ", "5. Cải cách tài chính công",
              "6. Xây dựng và phát triển chính quyền điện tử, chính quyền số",
              "1. Ưu điểm", "2. Hạn chế, tồn tại", "3. Nguyên nhân"]
SEED_SENTENCE = ("Trong quý I năm 2020, Sở tiếp nhận 1.926 hồ sơ (15 hồ sơ từ kỳ trước chuyển qua; 1.911 hồ sơ tiếp "
                 "nhận mới); đã giải quyết 1.855 hồ sơ, không có hồ sơ quá hạn; 71 hồ sơ đang giải quyết trong hạn.")


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> dict[str, str]:
    root = tmp_path_factory.mktemp("cchc")
    registry = root / "departments.yaml"
    registry.write_text(REGISTRY_YAML, encoding="utf-8")
    return {"data": str(fixture_csv(root / "dossiers.csv")), "registry": str(registry)}


def word_file(document: Document, path: Path) -> docx.document.Document:
    """``document`` as the batch renders it (through its JSON), written and read back."""
    build_docx(Document.from_json(document.to_json())).save(str(path))
    return docx.Document(str(path))


@pytest.fixture(scope="module")
def stnmt(inputs) -> Document:
    return load_cchc("STNMT", "2020-Q1", **inputs).document(TODAY)


@pytest.fixture(scope="module")
def word(stnmt, tmp_path_factory):
    return word_file(stnmt, tmp_path_factory.mktemp("docx") / "cchc.docx")


@pytest.fixture(scope="module")
def province(inputs, tmp_path_factory):
    document = load_cchc(PROVINCE, "2020-Q2", **inputs).document(TODAY)
    return word_file(document, tmp_path_factory.mktemp("docx") / "toan_tinh.docx")


def texts(cell) -> list[str]:
    return [p.text for p in cell.paragraphs if p.text]


def styled(document, style: str) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == style]


def between(document, first: str, last: str) -> list:
    """The paragraphs after the heading ``first`` up to the heading ``last``."""
    paragraphs = document.paragraphs
    start = next(i for i, p in enumerate(paragraphs) if p.text == first)
    end = next(i for i, p in enumerate(paragraphs) if p.text == last)
    return paragraphs[start + 1:end]


# --- the header block ----------------------------------------------------------------------------------------
def test_header_block(word):
    header = word.tables[0]
    assert header.style.name == "ND30 Form Table"
    issuer, nation = header.rows[0].cells
    assert texts(issuer) == ["UBND TỈNH THỬ NGHIỆM", "SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG"]
    assert texts(nation) == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    number, place = header.rows[1].cells
    assert re.fullmatch(r"Số: {3,}/BC-STNMT", number.text)  # the number is left blank for the clerk
    assert re.fullmatch(r"Thử Nghiệm, ngày {3,}tháng {3,}năm 2020", place.text)
    styles = [p.style.name for p in (*issuer.paragraphs, *nation.paragraphs, *number.paragraphs, *place.paragraphs)]
    assert styles == ["ND30 Parent Body", "ND30 Issuing Body", "ND30 Rule", "ND30 National Title", "ND30 Motto",
                      "ND30 Rule", "ND30 Number", "ND30 Place Date"]
    assert word.styles["ND30 National Title"].font.bold and word.styles["ND30 Motto"].font.bold
    assert word.styles["ND30 Place Date"].font.italic
    # borderless: neither the table nor its style draws a border
    assert not header._tbl.xpath(".//w:tblBorders") and not word.styles["ND30 Form Table"].element.xpath(
        ".//w:tblBorders")
    assert styled(word, "ND30 Type") == ["BÁO CÁO"]
    assert styled(word, "ND30 Subject") == ["Kết quả thực hiện công tác cải cách hành chính quý I năm 2020"]


def test_outline_headings_in_word_heading_styles(word):
    assert styled(word, "Heading 1") == HEADINGS_1
    assert styled(word, "Heading 2") == HEADINGS_2
    assert word.styles["Heading 1"].element.pPr.find(qn("w:outlineLvl")).get(qn("w:val")) == "0"
    order = [p.text for p in word.paragraphs if p.style.name.startswith("Heading")]
    assert order.index("II. KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH") < order.index(
        "2. Cải cách thủ tục hành chính") < order.index("III. ĐÁNH GIÁ CHUNG") < order.index("1. Ưu điểm")


def test_tthc_figures_equal_the_fixtures(word):
    part = [p.text for p in between(word, "2. Cải cách thủ tục hành chính",
                                    "3. Cải cách tổ chức bộ máy hành chính nhà nước")]
    assert SEED_SENTENCE in part
    assert "Tỷ lệ giải quyết hồ sơ đúng hạn và trước hạn đạt 100,00%; xếp thứ 1/2 trong các sở, ban, ngành của " \
           "tỉnh. Tỷ lệ hồ sơ tiếp nhận trực tuyến đạt 100,00%." in part
    bieu06 = next(t for t in word.tables if "Tổng" in [c.text for c in t.rows[-1].cells])
    total = [cell.text for cell in bieu06.rows[-1].cells]
    for figure in ("1.926", "15", "1.911", "1.855", "1.840", "71"):
        assert figure in total
    digital = " ".join(p.text for p in between(word, "6. Xây dựng và phát triển chính quyền điện tử, chính quyền số",
                                                 "III. ĐÁNH GIÁ CHUNG"))
    assert "tiếp nhận trực tuyến 1.911/1.911 hồ sơ tiếp nhận mới, đạt 100,00%" in digital
    strengths = [p.text for p in between(word, "1. Ưu điểm", "2. Hạn chế, tồn tại")]
    assert "- Tỷ lệ giải quyết đúng hạn và trước hạn đạt 100,00%, đạt mục tiêu 98,00%." in strengths


def test_parts_without_data_are_italic_placeholders(word):
    [paragraph] = between(word, HEADINGS_1[0], HEADINGS_1[1])
    assert paragraph.text.startswith("[Nội dung do cơ quan, đơn vị bổ sung:") and paragraph.text.endswith("]")
    assert [run.style.name for run in paragraph.runs] == ["ND30 Placeholder"]
    assert word.styles["ND30 Placeholder"].font.italic
    # a placeholder inside a sentence: the documents the report answers to
    opening = next(p for p in word.paragraphs if p.text.startswith("Thực hiện"))
    assert [(run.text.startswith("["), run.style.name) for run in opening.runs] == [
        (False, "Default Paragraph Font"), (True, "ND30 Placeholder"), (False, "Default Paragraph Font")]
    assert "Sở Tài nguyên và Môi trường báo cáo kết quả thực hiện công tác cải cách hành chính quý I năm 2020 " \
           "như sau:" in opening.text
    # every data sentence is upright
    assert not any(run.style.name == "ND30 Placeholder" for p in word.paragraphs if p.text == SEED_SENTENCE
                   for run in p.runs)


def test_recipients_and_signature(word):
    recipients, signature = word.tables[-1].rows[0].cells
    assert texts(recipients) == ["Nơi nhận:", "- UBND tỉnh (để báo cáo);", "- Sở Nội vụ (để tổng hợp);", "- Lưu: VT."]
    title = word.styles["ND30 Recipients Title"].font
    assert (title.size, title.bold, title.italic) == (Pt(12), True, True)
    assert word.styles["ND30 Recipient"].font.size == Pt(11)
    assert texts(signature) == ["GIÁM ĐỐC", "[Họ và tên người ký]"]
    assert [p.style.name for p in signature.paragraphs] == ["ND30 Authority", "ND30 Signer"]


def test_fonts_margins_and_page_numbers(word):
    section = word.sections[0]
    millimetres = [round(length.mm) for length in (section.page_width, section.page_height, section.top_margin,
                                                   section.bottom_margin, section.left_margin, section.right_margin)]
    assert millimetres[:2] == [210, 297]                                   # A4
    top, bottom, left, right = millimetres[2:]
    assert 20 <= top <= 25 and 20 <= bottom <= 25 and 30 <= left <= 35 and 15 <= right <= 20
    normal = word.styles["Normal"]
    assert normal.font.name == "Times New Roman" and normal.font.size == Pt(14)
    fonts = normal.element.rPr.find(qn("w:rFonts"))
    assert {fonts.get(qn(f"w:{slot}")) for slot in ("ascii", "hAnsi", "eastAsia", "cs")} == {"Times New Roman"}
    for name in ("Body Text", "Heading 1", "Heading 2", "ND30 Type", "ND30 Subject", "Header"):
        assert Pt(13) <= word.styles[name].font.size <= Pt(14), name
    # the page number: centred in the header, from page 2 on (the first page has its own, empty header)
    assert section.different_first_page_header_footer
    number = section.header.paragraphs[0]
    assert number.alignment == 1  # WD_ALIGN_PARAGRAPH.CENTER
    assert [f.get(qn("w:instr")).strip() for f in number._p.iter(qn("w:fldSimple"))] == ["PAGE"]
    assert not "".join(p.text for p in section.first_page_header.paragraphs)
    assert not "".join(p.text for p in section.footer.paragraphs)
    assert not [p for p in word.paragraphs if "Đề mục cấp" in p.text or "Tên cơ quan" in p.text]  # samples gone


# --- the province -----------------------------------------------------------------------------------------------
def test_province_report(province):
    issuer, _ = province.tables[0].rows[0].cells
    assert texts(issuer) == ["ỦY BAN NHÂN DÂN", "TỈNH THỬ NGHIỆM"]
    assert re.fullmatch(r"Số: {3,}/BC-UBND", province.tables[0].rows[1].cells[0].text)
    assert styled(province, "Heading 1")[3] == "IV. NHIỆM VỤ TRỌNG TÂM CẢI CÁCH HÀNH CHÍNH QUÝ III NĂM 2020"
    part = " ".join(p.text for p in between(province, "2. Cải cách thủ tục hành chính",
                                            "3. Cải cách tổ chức bộ máy hành chính nhà nước"))
    assert "toàn tỉnh (2 cơ quan, đơn vị có dữ liệu) tiếp nhận 221 hồ sơ (71 hồ sơ từ kỳ trước chuyển qua; " \
           "150 hồ sơ tiếp nhận mới" in part and "đã giải quyết 191 hồ sơ" in part
    assert "Chưa có dữ liệu hồ sơ TTHC của quý II năm 2020: Sở Ngoại vụ." in part
    limits = " ".join(p.text for p in between(province, "2. Hạn chế, tồn tại", "3. Nguyên nhân"))
    assert "Tỷ lệ giải quyết đúng hạn và trước hạn thấp hơn mục tiêu 98,00%: Sở Tài nguyên và Môi trường (93,57%)" \
           in limits
    _, signature = province.tables[-1].rows[0].cells
    assert texts(signature) == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "[Họ và tên người ký]"]
    recipients = texts(province.tables[-1].rows[0].cells[0])
    assert recipients[1] == "- Bộ Nội vụ (để báo cáo);" and recipients[-1] == "- Lưu: VT."


def test_the_kind_is_made_for_every_unit_and_the_province(registry):
    kind = get_kind("cchc")
    period = Period.parse("2020-Q1")
    assert kind.units(registry, period, None) == ["STNMT", "STP", "007", PROVINCE]
    assert kind.units(registry, period, ["STP"]) == ["STP"]
    assert kind.units(registry, period, [PROVINCE]) == [PROVINCE]
    assert kind.notebook.name == "cchc.ipynb" and kind.stem == "cchc"


# --- signing fields ---------------------------------------------------------------------------------------------
def test_signing_fields_from_the_registry_and_defaults(tmp_path):
    extra = REGISTRY_YAML.replace('''    fields: ["Lý lịch tư pháp", "Công chứng"]
''', '''    fields: ["Lý lịch tư pháp", "Công chứng"]
    issuing_body: "Sở Tư pháp"
    parent_body: ""
    abbreviation: "STP"
    place: "Thử"
    signer_authority: "KT. GIÁM ĐỐC"
    signer_position: "PHÓ GIÁM ĐỐC"
    signer: "Nguyễn Văn A"
    recipients: ["Như trên;", "Lưu: VT, VP."]
''')
    path = tmp_path / "departments.yaml"
    path.write_text(extra, encoding="utf-8")
    registry = Registry.load(path)
    period = Period.parse("2024")
    form = unit_form(registry.get("STP"), registry.province, period, date(2025, 1, 5))
    assert (form.issuing_body, form.parent_body, form.number, form.place_date) == (
        "Sở Tư pháp", "", "Số:      /BC-STP", "Thử, ngày      tháng      năm 2025")
    assert (form.authority, form.position, form.signer) == ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Nguyễn Văn A")
    assert form.recipients == ["Như trên;", "Lưu: VT, VP."]
    assert form.subject == "Kết quả thực hiện công tác cải cách hành chính năm 2024"
    # defaults: a code that is not letters gives the initials of the name; a sở is signed by its director
    default = unit_form(registry.get("007"), registry.province, period, date(2025, 1, 5))
    assert (default.abbreviation, default.parent_body, default.position, default.authority) == (
        "SNV", "UBND TỈNH THỬ NGHIỆM", "GIÁM ĐỐC", "")
    # the form survives the document's JSON
    document = Document("cchc", None, [form.to_section()])  # type: ignore[arg-type]
    assert cchc.Nd30Form.from_document(document) == form


# --- partial data -------------------------------------------------------------------------------------------
def test_partial_data_and_no_data(tmp_path):
    from tests.test_no_data import BIEU06, PAR, RECORDS, S766
    from parreport.sources import ingest_files
    from parreport.store import Store

    registry = tmp_path / "departments.yaml"
    registry.write_text(REGISTRY_YAML, encoding="utf-8")
    (tmp_path / "in").mkdir()
    for name, text in (("records.csv", RECORDS), ("bieu06.csv", BIEU06), ("par.csv", PAR), ("s766.csv", S766)):
        (tmp_path / "in" / name).write_text(text, encoding="utf-8")
    with Store(tmp_path / "data.duckdb") as store:
        ingest_files(store, [tmp_path / "in"], Registry.load(registry))
    inputs = {"data": str(tmp_path / "data.duckdb"), "registry": str(registry)}
    # 007 in 2020: no dossier data, a PAR Index score and official 766 scores of a quarter: a report all the same
    document = load_cchc("007", "2020", **inputs).document(TODAY)
    tthc = [text for block in document.section("results.tthc").blocks for text in getattr(block, "texts", [])]
    assert tthc[0].startswith("Chưa có dữ liệu hồ sơ TTHC của Sở Ngoại vụ trong năm 2020")
    assert any("Chỉ số cải cách hành chính năm 2020, lĩnh vực “Cải cách TTHC” của Sở đạt 8,00/10 điểm"
               in text for text in tthc)
    assessment = [text for block in document.section("assessment").blocks for text in getattr(block, "texts", [])]
    assert any("Chỉ số cải cách hành chính (Chỉ số CCHC) năm 2020 của Sở đạt 8,00/10 điểm" in text
               for text in assessment)
    assert document.section("assessment.strengths").blocks[0].texts[0].startswith("[Nội dung do cơ quan")
    word = word_file(document, tmp_path / "007.docx")
    assert styled(word, "Heading 1")[3] == "IV. NHIỆM VỤ TRỌNG TÂM CẢI CÁCH HÀNH CHÍNH NĂM 2021"
    # STP in quý II: Biểu 06 only
    stp = load_cchc("STP", "2020-Q2", **inputs).document(TODAY)
    assert any("Sở tiếp nhận 5 hồ sơ" in text for block in stp.section("results.tthc").blocks
               for text in getattr(block, "texts", []))
    # 007 in quý I: nothing at all
    with pytest.raises(NoDataError):
        load_cchc("007", "2020-Q1", **inputs)


# --- HTML -------------------------------------------------------------------------------------------------------
def test_html_shows_the_form(stnmt):
    shown = stnmt._repr_mimebundle_()
    html = shown["text/html"]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in html and "Độc lập - Tự do - Hạnh phúc" in html
    assert '<em class="nd30-placeholder">[Nội dung do cơ quan, đơn vị bổ sung:' in html
    assert "@page :first" in html and "counter(page)" in html and "Times New Roman" in html
    assert SEED_SENTENCE in html and html == nd30_html(stnmt)
    assert Document.from_json(shown[DOCUMENT_MIMETYPE]).kind == "cchc"


# --- end to end -------------------------------------------------------------------------------------------------
def placed_text(page) -> list[tuple[str, float, float]]:
    """The page's pieces of text with where each starts on the page, in points (x from the left, y of the
    baseline from the bottom)."""
    placed = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            x, y = tm[4] * cm[0] + tm[5] * cm[2] + cm[4], tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            placed.append((text.strip(), x, y))
    page.extract_text(visitor_text=visit)
    return placed


@pytest.mark.e2e
def test_batch_makes_word_and_pdf(inputs, tmp_path):
    from pypdf import PdfReader

    from parreport.batch import BatchSpec, run_batch

    spec = BatchSpec(reports=["cchc"], periods=["2020-Q1"], departments=["STNMT", PROVINCE], formats=["docx", "pdf"])
    spec.check()
    results = run_batch(spec, tmp_path / "out", data=inputs["data"], workers=2, progress=False,
                        registry_path=Path(inputs["registry"]))
    assert {(r.department, r.status) for r in results} == {("STNMT", "ok"), (PROVINCE, "ok")}
    folder = tmp_path / "out" / "2020-Q1" / "STNMT"
    word = docx.Document(str(folder / "cchc.docx"))
    assert styled(word, "Heading 1") == HEADINGS_1 and SEED_SENTENCE in [p.text for p in word.paragraphs]
    reader = PdfReader(folder / "cchc.pdf")
    pages = [page.extract_text() for page in reader.pages]
    text = re.sub(r"\s+", " ", " ".join(pages))
    for said in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "/BC-STNMT", "BÁO CÁO",
                 "Kết quả thực hiện công tác cải cách hành chính quý I năm 2020", "I. CÔNG TÁC CHỈ ĐẠO",
                 "V. ĐỀ XUẤT, KIẾN NGHỊ", SEED_SENTENCE, "Nơi nhận:", "GIÁM ĐỐC"):
        assert said in text, said
    assert len(pages) >= 2
    for page in reader.pages:
        assert abs(float(page.mediabox.width) - 595.3) < 1.5 and abs(float(page.mediabox.height) - 841.9) < 1.5
    # page numbers from page 2 on, centred over the text (30 mm to 195 mm) in the top margin (20 mm)
    for number, page in enumerate(reader.pages, start=1):
        top = [(text, x) for text, x, y in placed_text(page) if y > 841.9 - 20 / 25.4 * 72]
        assert top == ([] if number == 1 else [(str(number), pytest.approx(112.5 / 25.4 * 72, abs=10))])
    assert "Trang " not in text                                            # not the house footer
    assert (tmp_path / "out" / "2020-Q1" / PROVINCE / "cchc.docx").exists()
    assert "/BC-UBND" in " ".join(p.extract_text() for p in PdfReader(
        tmp_path / "out" / "2020-Q1" / PROVINCE / "cchc.pdf").pages)
