"""The ``docx`` format: the whole report as an editable Word document, built from its Document.

The base is ``templates/docx/reference.docx`` (made by ``templates/docx/make_reference.py``): its page setup
(A4, margins of Nghị định 30/2020/NĐ-CP) and styles (Times New Roman 13 pt, headings, table, KPI, note and
notice styles) are used by name, so a province restyles every report by editing that file in Word. Sections
are "Heading 1" headings with their number, sentences are text, tables are Word tables (merged group header
cells, header rows repeated on each page, the Tổng row bold), charts are pictures with their alternative text
and title, attention points a bulleted list. The page header names the unit (and "Dữ liệu mẫu" for sample
data); the footer says "Trang X/Y" with PAGE and NUMPAGES fields, which Word and LibreOffice update.

python-docx has no call for a picture's alternative text, a repeated header row or a field, so those three
set one attribute or element each on the elements python-docx made.
"""
from __future__ import annotations

import io
from pathlib import Path

import docx
from docx.enum.table import WD_ALIGN_VERTICAL
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Inches

from parreport import fmt
from parreport.paths import TEMPLATES_DIR
from parreport.render.formats import RenderSource
from parreport.render.grid import header_cells
from parreport.reports.content import (SAMPLE_DATA_LABEL, Chart, Cover, Document, Kpis, Note, Paragraphs, Points,
                                       Table)

REFERENCE = TEMPLATES_DIR / "docx" / "reference.docx"
SAMPLE_NOTICE = f"{SAMPLE_DATA_LABEL} – số liệu do phần mềm tạo ra để minh họa, không phải số liệu thật"
# How wide a column is against a count column: a name (Lĩnh vực, đơn vị), a percentage "100,00%"
COLUMN_WEIGHTS = {"text": 1.7, "percent": 1.3}


def write_docx(source: RenderSource, target: Path) -> None:
    """The ``docx`` format: :func:`build_docx` of the report's document, saved at ``target``."""
    build_docx(source.document).save(str(target))


def build_docx(document: Document, reference: Path = REFERENCE) -> docx.document.Document:
    """``document`` as a Word document on the styles and page setup of ``reference``."""
    word = docx.Document(str(reference))
    body = word.element.body
    for element in list(body):
        if element.tag != qn("w:sectPr"):  # the reference's style samples go; its page setup stays
            body.remove(element)
    _page_furniture(word, document.cover)
    _cover(word, document.cover)
    for section in document.sections:
        word.add_paragraph(f"{section.number}. {section.title}", style="Heading 1")
        for block in section.blocks:
            _WRITERS[type(block)](word, block)
    properties = word.core_properties
    properties.title = f"{document.cover.title} – {document.cover.unit} – {document.cover.period}"
    properties.subject, properties.language = document.cover.province, "vi-VN"
    properties.author = properties.last_modified_by = "parreport"
    return word


# --- page header, footer, cover ------------------------------------------------------------------
def _page_furniture(word: docx.document.Document, cover: Cover) -> None:
    section = word.sections[0]
    header = section.header.paragraphs[0]
    header.text = cover.unit + (f" – {SAMPLE_DATA_LABEL}" if cover.sample_data else "")
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("Trang ")
    _field(footer, "PAGE")
    footer.add_run("/")
    _field(footer, "NUMPAGES")


def _field(paragraph, instruction: str) -> None:
    """A simple field (``PAGE``, ``NUMPAGES``) whose shown value Word and LibreOffice compute."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), f" {instruction} ")
    run, text = OxmlElement("w:r"), OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _cover(word: docx.document.Document, cover: Cover) -> None:
    for style, text in (("Cover Province", cover.province), ("Cover Unit", cover.unit), ("Title", cover.title),
                        ("Subtitle", cover.period),
                        ("Cover Line", f"Ngày lập: {cover.prepared} · Số liệu: {cover.data_dates}")):
        word.add_paragraph(text, style=style)
    if cover.sample_data:
        word.add_paragraph(SAMPLE_NOTICE, style="Sample Label")


# --- blocks --------------------------------------------------------------------------------------
def _text_width(word: docx.document.Document) -> Emu:
    section = word.sections[0]
    return Emu(section.page_width - section.left_margin - section.right_margin)


def _kpis(word: docx.document.Document, block: Kpis) -> None:
    table = word.add_table(rows=3, cols=len(block.items), style="KPI Table")
    for column, kpi in enumerate(block.items):
        for row, (style, text) in enumerate((("KPI Value", kpi.value), ("KPI Label", kpi.label),
                                             ("KPI Change", kpi.change))):
            paragraph = table.cell(row, column).paragraphs[0]
            paragraph.text, paragraph.style = text, word.styles[style]


def _paragraphs(word: docx.document.Document, block: Paragraphs) -> None:
    for text in block.texts:
        word.add_paragraph(text, style="Notice" if block.notice else "Body Text")


def _table(word: docx.document.Document, block: Table) -> None:
    if block.title:
        word.add_paragraph(block.title, style="Table Caption")
    depth = len(block.header_rows())
    table = word.add_table(rows=depth + len(block.rows), cols=len(block.columns), style="Report Table")
    table.autofit = False
    widths = _column_widths(block, _text_width(word))
    for column, width in zip(table.columns, widths):
        column.width = width
    for cell in header_cells(block):
        target = table.cell(cell.row, cell.column)
        if cell.rows > 1 or cell.columns > 1:
            target = target.merge(table.cell(cell.last_row, cell.last_column))
        target.width = Emu(sum(widths[cell.column:cell.last_column + 1]))
        target.vertical_alignment = WD_ALIGN_VERTICAL.CENTER
        _cell_text(target, cell.label, word.styles["Table Heading"])
    for row in table.rows[:depth]:  # repeated at the top of every page the table runs onto
        row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    for index, values in enumerate(block.rows):
        total = block.total and index == len(block.rows) - 1
        for position, (column, value) in enumerate(zip(block.columns, values)):
            cell = table.cell(depth + index, position)
            cell.width = widths[position]
            style = word.styles["Table Text" if column.format == "text" else "Table Number"]
            _cell_text(cell, fmt.written(value, column.format), style, bold=total)
    if block.note:
        word.add_paragraph(block.note, style="Note")


def _column_widths(block: Table, width: Emu) -> list[Emu]:
    weights = [COLUMN_WEIGHTS.get(column.format, 1.0) for column in block.columns]
    return [Emu(int(width * weight / sum(weights))) for weight in weights]


def _cell_text(cell, text: str, style, bold: bool = False) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.style = style
    paragraph.add_run(text).bold = bold or None


def _chart(word: docx.document.Document, block: Chart) -> None:
    width = min(Inches(block.width_in), _text_width(word))
    picture = word.add_paragraph(style="Figure").add_run().add_picture(io.BytesIO(block.png), width=width)
    properties = picture._inline.docPr  # what screen readers and Word's "Alt Text" pane read
    properties.set("descr", block.alt)
    properties.set("title", block.title)


def _points(word: docx.document.Document, block: Points) -> None:
    if not block.items:
        word.add_paragraph(block.empty, style="Body Text")
    for item in block.items:
        word.add_paragraph(item, style="List Bullet")


def _note(word: docx.document.Document, block: Note) -> None:
    word.add_paragraph(block.text, style="Note")


_WRITERS = {Kpis: _kpis, Paragraphs: _paragraphs, Table: _table, Chart: _chart, Points: _points, Note: _note}
