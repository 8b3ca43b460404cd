"""Make ``reference.docx``: the styles and page setup of every Word report (run once; the file is committed),
and ``nd30.docx``, the base of the reports written as administrative documents (the ``cchc`` kind).

    .venv/bin/python templates/docx/make_reference.py

A province restyles its reports by opening ``reference.docx`` in Word and modifying the styles (Home →
Styles → Modify…) or the page setup, then saving it under the same name: the DOCX renderer
(``parreport/render/docx.py``) opens it as the base of every document and uses the styles by name.

Defaults follow Nghị định 30/2020/NĐ-CP on administrative documents: A4 portrait; margins top and bottom
20 mm, left 30 mm, right 15 mm; Times New Roman, body 13 pt, headings 14/13 pt bold, black; paragraphs
justified, first line indented 1 cm, 6 pt after, line spacing 1.15 (between single and 1.5 lines).

Font: Times New Roman is set for every script slot (ascii, hAnsi, eastAsia, cs), with no theme fonts, so
Vietnamese text never falls back to a theme font with other metrics. Times New Roman ships with Windows and
Office, where Vietnamese offices edit these files; it cannot be embedded (its licence forbids
redistribution). LibreOffice substitutes Liberation Serif, metrically compatible and with full Vietnamese
coverage, so pages break in the same places. The language is Vietnamese (vi-VN) for spell checking.

``nd30.docx`` has the same page setup and styles, with the body in 14 pt and the parts of the form of Nghị
định 30/2020/NĐ-CP (Phụ lục I) as styles of their own, named "ND30 …": parent and issuing body (12 pt, capitals,
the latter bold), national title (12 pt bold capitals), motto (14 pt bold), number and symbol (13 pt), place and
date (14 pt italic), document type (14 pt bold capitals) and subject (14 pt bold), the short rules under the
issuing body, motto and subject ("ND30 Rule", a paragraph border), "Nơi nhận:" (12 pt bold italic) and its lines
(11 pt), the signing authority and position (14 pt bold capitals) and the signer (14 pt bold, after the space for
the signature and seal); the character style "ND30 Placeholder" (italic) marks what staff fill in, and the
borderless table style "ND30 Form Table" holds the header block and the closing. Headings are 14 pt bold,
indented like the body. Its page number is centred in the header from the second page on (the first page has a
header of its own, empty), as the decree places it.
"""
from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor

FONT = "Times New Roman"
HERE = Path(__file__).resolve().parent
TARGET = HERE / "reference.docx"
DARK_RED = RGBColor(0x9B, 0x1C, 0x1C)

# name: (based on, size pt, bold, italic, alignment, space before, space after, first-line indent cm)
PARAGRAPH_STYLES = {
    "Cover Province": ("Normal", 13, False, False, "center", 0, 0, 0),
    "Cover Unit": ("Normal", 13, True, False, "center", 0, 6, 0),
    "Cover Line": ("Normal", 13, False, True, "center", 0, 3, 0),
    "Sample Label": ("Normal", 13, True, False, "center", 6, 6, 0),
    "Notice": ("Body Text", 13, False, True, "justify", 0, 6, 1),
    "Note": ("Normal", 11, False, True, "justify", 6, 6, 0),
    "KPI Value": ("Normal", 16, True, False, "center", 3, 0, 0),
    "KPI Label": ("Normal", 11, False, False, "center", 0, 0, 0),
    "KPI Change": ("Normal", 10, False, True, "center", 0, 3, 0),
    "Table Heading": ("Normal", 9.5, True, False, "center", 0, 0, 0),
    "Table Text": ("Normal", 10, False, False, "left", 0, 0, 0),
    "Table Number": ("Table Text", 10, False, False, "right", 0, 0, 0),
    "Table Caption": ("Normal", 13, True, False, "center", 6, 6, 0),
    "Figure": ("Normal", 13, False, False, "center", 6, 6, 0),
}
ALIGN = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER,
         "right": WD_ALIGN_PARAGRAPH.RIGHT, "justify": WD_ALIGN_PARAGRAPH.JUSTIFY}


def _fonts(rpr) -> None:
    """Times New Roman for every script slot, replacing theme fonts; Vietnamese as the language."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attribute in list(fonts.attrib):
        del fonts.attrib[attribute]
    for slot in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{slot}"), FONT)
    lang = rpr.find(qn("w:lang"))
    if lang is not None:
        for slot in ("val", "eastAsia"):
            lang.set(qn(f"w:{slot}"), "vi-VN")


def _plain(style) -> None:
    """Drop a built-in style's theme font, colour, letter spacing and border: plain text in the document
    font."""
    rpr = style.element.rPr
    if rpr is not None:
        for tag in ("w:rFonts", "w:color", "w:spacing"):
            for element in rpr.findall(qn(tag)):
                rpr.remove(element)
    ppr = style.element.pPr
    if ppr is not None:
        for element in ppr.findall(qn("w:pBdr")):
            ppr.remove(element)


def _cell_margins(style, width) -> None:
    """Left and right cell padding of a table style (python-docx has no call for it)."""
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), str(round(width.twips)))
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    properties = OxmlElement("w:tblPr")  # a new style has no tblPr yet and nothing that must follow it
    properties.append(margins)
    style.element.append(properties)


def _page(document) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.header_distance, section.footer_distance = Mm(10), Mm(10)


def _base_styles(document) -> None:
    styles = document.styles
    _fonts(styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr")))
    normal = styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(13)
    _fonts(normal.element.get_or_add_rPr())
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15
    for name in ("Heading 1", "Heading 2", "Title", "Subtitle", "Header", "Footer", "Body Text", "List Bullet",
                 "Caption"):
        _plain(styles[name])
    body = styles["Body Text"]
    body.font.size = Pt(13)
    body.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    body.paragraph_format.first_line_indent = Cm(1)
    body.paragraph_format.space_after = Pt(6)
    for name, size, before in (("Heading 1", 14, 12), ("Heading 2", 13, 6)):
        heading = styles[name]
        heading.font.size, heading.font.bold, heading.font.color.rgb = Pt(size), True, RGBColor(0, 0, 0)
        heading.paragraph_format.space_before, heading.paragraph_format.space_after = Pt(before), Pt(6)
    title = styles["Title"]
    title.font.size, title.font.bold, title.font.all_caps = Pt(14), True, True
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_before, title.paragraph_format.space_after = Pt(18), Pt(3)
    subtitle = styles["Subtitle"]
    subtitle.font.size, subtitle.font.bold, subtitle.font.italic = Pt(13), True, False
    subtitle.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    bullet = styles["List Bullet"]
    bullet.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    bullet.paragraph_format.space_after = Pt(4)
    for name in ("Header", "Footer"):
        styles[name].font.size = Pt(11)


def _custom_styles(document) -> None:
    styles = document.styles
    for name, (base, size, bold, italic, align, before, after, indent) in PARAGRAPH_STYLES.items():
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = styles[base]
        style.quick_style = True
        style.font.size, style.font.bold, style.font.italic = Pt(size), bold, italic
        form = style.paragraph_format
        form.alignment = ALIGN[align]
        form.space_before, form.space_after, form.first_line_indent = Pt(before), Pt(after), Cm(indent)
        if name.startswith("Table") and name != "Table Caption":
            form.line_spacing = 1.0
    styles["Cover Province"].font.all_caps = styles["Cover Unit"].font.all_caps = True
    styles["Sample Label"].font.color.rgb = DARK_RED
    styles["Table Caption"].paragraph_format.keep_with_next = True
    styles["Figure"].paragraph_format.keep_together = True
    table = styles.add_style("Report Table", WD_STYLE_TYPE.TABLE)
    table.base_style = styles["Table Grid"]
    _cell_margins(table, Mm(1))  # Biểu 06 has thirteen columns on a 165 mm line
    kpis = styles.add_style("KPI Table", WD_STYLE_TYPE.TABLE)
    kpis.base_style = styles["Normal Table"]


def _samples(document) -> None:
    """One paragraph per style, so whoever opens the file in Word sees what each style is for. The
    renderer removes them."""
    for style, text in (
        ("Cover Province", "TỈNH …"), ("Cover Unit", "Tên cơ quan, đơn vị"), ("Title", "Tên báo cáo"),
        ("Subtitle", "Kỳ báo cáo"), ("Cover Line", "Ngày lập, kỳ số liệu"), ("Sample Label", "Dữ liệu mẫu"),
        ("Heading 1", "1. Đề mục cấp 1"), ("Heading 2", "1.1. Đề mục cấp 2"),
        ("Body Text", "Đoạn văn: Times New Roman 13, căn đều hai lề, lùi đầu dòng 1 cm."),
        ("Notice", "Đoạn lưu ý (ví dụ: không có số liệu)."), ("KPI Value", "1.926"), ("KPI Label", "Chỉ tiêu"),
        ("KPI Change", "so với kỳ trước"), ("Table Caption", "Tên bảng"), ("Table Heading", "Đầu cột"),
        ("Table Text", "Ô chữ trong bảng"), ("Table Number", "1.234"), ("Figure", "(biểu đồ)"),
        ("List Bullet", "Điểm cần lưu ý"), ("Note", "Ghi chú, cách tính."),
    ):
        document.add_paragraph(text, style=style)
    table = document.add_table(rows=2, cols=2, style="Report Table")
    for cell, (style, text) in zip(table._cells, (("Table Heading", "Cột 1"), ("Table Heading", "Cột 2"),
                                                  ("Table Text", "Dòng"), ("Table Number", "1.234"))):
        cell.paragraphs[0].text, cell.paragraphs[0].style = text, document.styles[style]


def make_reference(target: Path = TARGET) -> Path:
    document = Document()
    _page(document)
    _base_styles(document)
    _custom_styles(document)
    _samples(document)
    return _save(document, "Mẫu định dạng báo cáo parreport", target)


def _save(document, title: str, target: Path) -> Path:
    """Save a reference document under its title, in Vietnamese."""
    document.core_properties.title = title
    document.core_properties.language = "vi-VN"
    document.save(target)
    return target


ND30_TARGET = HERE / "nd30.docx"
# name: (size pt, bold, italic, capitals, alignment, space before, space after) — Nghị định 30/2020/NĐ-CP, Phụ lục I
ND30_STYLES = {
    "ND30 Parent Body": (12, False, False, True, "center", 0, 0),
    "ND30 Issuing Body": (12, True, False, True, "center", 0, 0),
    "ND30 National Title": (12, True, False, True, "center", 0, 0),  # 12 pt: one line in a 95 mm column
    "ND30 Motto": (14, True, False, False, "center", 0, 0),
    "ND30 Rule": (2, False, False, False, "center", 2, 6),
    "ND30 Number": (13, False, False, False, "center", 6, 0),
    "ND30 Place Date": (14, False, True, False, "center", 6, 0),
    "ND30 Type": (14, True, False, True, "center", 24, 0),
    "ND30 Subject": (14, True, False, False, "center", 0, 0),
    "ND30 Recipients Title": (12, True, True, False, "left", 12, 0),
    "ND30 Recipient": (11, False, False, False, "left", 0, 0),
    "ND30 Authority": (14, True, False, True, "center", 12, 0),
    "ND30 Signer": (14, True, False, False, "center", 72, 0),  # after the space for the signature and seal
}


def _rule(style) -> None:
    """A paragraph style drawing a short line: a top border on an almost empty paragraph (the renderer
    indents it to the line's length)."""
    ppr = style.element.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    top = OxmlElement("w:top")
    for name, value in (("val", "single"), ("sz", "6"), ("space", "1"), ("color", "000000")):
        top.set(qn(f"w:{name}"), value)
    borders.append(top)
    ppr.append(borders)


def _nd30_styles(document) -> None:
    styles = document.styles
    normal = styles["Normal"]
    normal.font.size = Pt(14)
    for name in ("Body Text", "Notice", "List Bullet", "Table Caption", "Figure"):
        styles[name].font.size = Pt(14 if name != "Table Caption" else 13)
    for name in ("Heading 1", "Heading 2"):
        heading = styles[name]
        heading.font.size = Pt(14)
        form = heading.paragraph_format
        form.first_line_indent, form.alignment = Cm(1), WD_ALIGN_PARAGRAPH.LEFT
        form.space_before, form.space_after, form.keep_with_next = Pt(6), Pt(6), True
    styles["Header"].font.size = Pt(13)  # the page number: 13–14 pt
    styles["Note"].font.size = Pt(12)
    for name, (size, bold, italic, caps, align, before, after) in ND30_STYLES.items():
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        style.quick_style = True
        style.font.size, style.font.bold, style.font.italic, style.font.all_caps = Pt(size), bold, italic, caps
        form = style.paragraph_format
        form.alignment = ALIGN[align]
        form.space_before, form.space_after, form.first_line_indent = Pt(before), Pt(after), Cm(0)
        form.line_spacing = 1.0
    _rule(styles["ND30 Rule"])
    styles["ND30 Type"].paragraph_format.keep_with_next = True
    styles["ND30 Subject"].paragraph_format.keep_with_next = True
    placeholder = styles.add_style("ND30 Placeholder", WD_STYLE_TYPE.CHARACTER)
    placeholder.font.italic = True
    placeholder.quick_style = True
    form_table = styles.add_style("ND30 Form Table", WD_STYLE_TYPE.TABLE)
    form_table.base_style = styles["Normal Table"]
    _cell_margins(form_table, Mm(1))


def _nd30_samples(document) -> None:
    """The form with sample texts, so whoever opens the file sees what each style is for (removed by the renderer)."""
    table = document.add_table(rows=2, cols=2, style="ND30 Form Table")
    for cell, lines in zip(table._cells, (
            (("ND30 Parent Body", "Tên cơ quan chủ quản"), ("ND30 Issuing Body", "Tên cơ quan ban hành"),
             ("ND30 Rule", "")),
            (("ND30 National Title", "Cộng hòa xã hội chủ nghĩa Việt Nam"),
             ("ND30 Motto", "Độc lập - Tự do - Hạnh phúc"), ("ND30 Rule", "")),
            (("ND30 Number", "Số:      /BC-…"),), (("ND30 Place Date", "Địa danh, ngày      tháng      năm …"),))):
        cell.paragraphs[0].text, cell.paragraphs[0].style = lines[0][1], document.styles[lines[0][0]]
        for style, text in lines[1:]:
            cell.add_paragraph(text, style=style)
    for style, text in (("ND30 Type", "Báo cáo"), ("ND30 Subject", "Trích yếu nội dung"), ("ND30 Rule", ""),
                        ("Heading 1", "I. ĐỀ MỤC CẤP 1"), ("Heading 2", "1. Đề mục cấp 2"),
                        ("Body Text", "Đoạn văn: Times New Roman 14, căn đều hai lề, lùi đầu dòng 1 cm."),
                        ("Note", "Ghi chú dưới bảng."), ("ND30 Recipients Title", "Nơi nhận:"),
                        ("ND30 Recipient", "- Như trên;"), ("ND30 Authority", "Quyền hạn, chức vụ người ký"),
                        ("ND30 Signer", "Họ và tên")):
        document.add_paragraph(text, style=style)
    document.add_paragraph(style="Body Text").add_run("[Nội dung do cơ quan, đơn vị bổ sung]", style="ND30 Placeholder")


def make_nd30(target: Path = ND30_TARGET) -> Path:
    document = Document()
    _page(document)
    document.sections[0].different_first_page_header_footer = True  # no page number on the first page
    _base_styles(document)
    _custom_styles(document)
    _nd30_styles(document)
    _nd30_samples(document)
    return _save(document, "Mẫu thể thức văn bản hành chính (Nghị định 30/2020/NĐ-CP) của parreport", target)


if __name__ == "__main__":
    print(make_reference())
    print(make_nd30())
