"""Make ``reference.docx``: the styles and page setup of every Word report (run once; the file is committed).

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
    _cell_margins(table, Mm(1))  # Biểu 06 has eleven columns on a 165 mm line
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
    document.core_properties.title = "Mẫu định dạng báo cáo parreport"
    document.core_properties.language = "vi-VN"
    document.save(target)
    return target


if __name__ == "__main__":
    print(make_reference())
