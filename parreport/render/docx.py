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

A report of a kind in :data:`ND30_KINDS` (``cchc``, :mod:`parreport.reports.cchc`) is an administrative document
in the form of Nghị định 30/2020/NĐ-CP, written on ``templates/docx/nd30.docx`` by :func:`build_nd30`: the header
block in a borderless two-column table (parent and issuing body over a short rule, "Số:      /BC-…" under them;
the national title, the motto over a rule of its length, place and date), "BÁO CÁO" and the subject over a
short rule, the outline's parts as "Heading 1" ("I. …") and "Heading 2" ("1. …") headings, text in square
brackets (what staff fill in) in the character style "ND30 Placeholder" (italic), attention points as "- "
lines, and the closing in a second borderless table ("Nơi nhận:" and its lines on the left, authority, position
and signer on the right). The page number is a PAGE field centred in the header from page 2 (the first page
has its own, empty header), as the decree places it; there is no cover and no footer.
"""
from __future__ import annotations

import io
from pathlib import Path

import docx
from docx.enum.table import WD_ALIGN_VERTICAL, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Inches, Mm, Pt

from parreport import fmt
from parreport.paths import TEMPLATES_DIR
from parreport.render.formats import RenderSource
from parreport.render.grid import header_cells
from parreport.reports import cchc
from parreport.reports.content import (SAMPLE_DATA_LABEL, Chart, Cover, Document, Kpis, Note, Paragraphs, Points,
                                       Table)

REFERENCE = TEMPLATES_DIR / "docx" / "reference.docx"
SAMPLE_NOTICE = f"{SAMPLE_DATA_LABEL} – số liệu do phần mềm tạo ra để minh họa, không phải số liệu thật"
# How wide a column is against a count column: a name (Lĩnh vực, đơn vị), a percentage "100,00%"; by key
# first: the STT column of a form (Biểu 06) holds a row number
COLUMN_WEIGHTS = {"text": 1.7, "percent": 1.3}
KEY_WEIGHTS = {"stt": 0.6}


def write_docx(source: RenderSource, target: Path) -> None:
    """The ``docx`` format: :func:`build_docx` of the report's document, saved at ``target``."""
    build_docx(source.document).save(str(target))


def build_docx(document: Document, reference: Path | None = None) -> docx.document.Document:
    """``document`` as a Word document on the styles and page setup of ``reference`` (by default
    ``reference.docx``, or ``nd30.docx`` for an administrative document: :func:`build_nd30`)."""
    if document.kind in ND30_KINDS:
        return build_nd30(document, reference or ND30_REFERENCE)
    word = _empty(reference or REFERENCE)
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


def _empty(reference: Path) -> docx.document.Document:
    """A new document on ``reference``: its page setup, styles, header and footer, none of its paragraphs."""
    word = docx.Document(str(reference))
    body = word.element.body
    for element in list(body):
        if element.tag != qn("w:sectPr"):  # the reference's style samples go; its page setup stays
            body.remove(element)
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
    weights = [KEY_WEIGHTS.get(column.key, COLUMN_WEIGHTS.get(column.format, 1.0)) for column in block.columns]
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


# --- administrative documents (Nghị định 30/2020/NĐ-CP) --------------------------------------------
ND30_REFERENCE = TEMPLATES_DIR / "docx" / "nd30.docx"
ND30_KINDS = frozenset({cchc.KIND})  # the kinds written as administrative documents
ND30_HEADER = (Mm(72), Mm(93))  # issuing body | national title (12 pt bold capitals: 81 mm)
ND30_CLOSING = (Mm(85), Mm(80))  # Nơi nhận | signature
# The short rules: under the issuing body and the subject 1/3 to 1/2 of their line, under the motto its length.
ISSUER_RULE, MOTTO_RULE, SUBJECT_RULE = Mm(22), Mm(57), Mm(35)
CELL_MARGINS = Mm(2)  # left + right padding of a cell of "ND30 Form Table"


def build_nd30(document: Document, reference: Path = ND30_REFERENCE) -> docx.document.Document:
    """An administrative document (a kind of :data:`ND30_KINDS`) on the styles and page setup of ``reference``."""
    word = _empty(reference)
    form = cchc.Nd30Form.from_document(document)
    _nd30_page_numbers(word, document.cover.sample_data)
    _nd30_header(word, form)
    word.add_paragraph(form.doc_type, style="ND30 Type")
    _placeholders(word.add_paragraph(style="ND30 Subject"), form.subject)
    _rule(word.add_paragraph(style="ND30 Rule"), SUBJECT_RULE, _text_width(word))
    if document.cover.sample_data:
        word.add_paragraph(SAMPLE_NOTICE, style="Sample Label")
    for section in document.sections:
        depth = cchc.level(section)
        if depth == 0:  # the form itself
            continue
        if section.title:
            word.add_paragraph(section.title, style=f"Heading {min(depth, 2)}")
        for block in section.blocks:
            _ND30_WRITERS.get(type(block), _WRITERS[type(block)])(word, block)
    if word.paragraphs:
        word.paragraphs[-1].paragraph_format.keep_with_next = True  # the signature never stands alone on a page
    _nd30_closing(word, form)
    cover, properties = document.cover, word.core_properties
    properties.title = f"{cover.title} – {cover.unit} – {cover.period}"
    properties.subject, properties.language = form.subject, "vi-VN"
    properties.author = properties.last_modified_by = "parreport"
    return word


def _nd30_page_numbers(word: docx.document.Document, sample_data: bool) -> None:
    """The page number centred in the header from page 2 on; "Dữ liệu mẫu" on every page for sample data."""
    section = word.sections[0]
    section.different_first_page_header_footer = True
    number = section.header.paragraphs[0]
    number.text, number.alignment = "", WD_ALIGN_PARAGRAPH.CENTER
    _field(number, "PAGE")
    section.first_page_header.paragraphs[0].text = ""
    for part in (section.footer, section.first_page_footer):
        part.paragraphs[0].text = ""
    if sample_data:
        for header in (section.header, section.first_page_header):
            label = header.add_paragraph(SAMPLE_DATA_LABEL, style="Sample Label")
            label.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _form_table(word: docx.document.Document, rows: int, widths: tuple[Emu, Emu]):
    table = word.add_table(rows=rows, cols=2, style="ND30 Form Table")
    table.autofit, table.alignment = False, WD_TABLE_ALIGNMENT.CENTER
    for column, width in zip(table.columns, widths):
        column.width = width
    for row in table.rows:
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))  # a row never breaks across pages
        for cell, width in zip(row.cells, widths):
            cell.width = width
    return table


def _lines(cell, lines: list[tuple[str, str]]) -> None:
    """(style, text) paragraphs in a table cell (its first paragraph reused)."""
    for index, (style, text) in enumerate(lines):
        paragraph = cell.paragraphs[0] if index == 0 else cell.add_paragraph()
        paragraph.style = style
        _placeholders(paragraph, text)


def _nd30_header(word: docx.document.Document, form: cchc.Nd30Form) -> None:
    table = _form_table(word, 2, ND30_HEADER)
    issuer, nation = table.rows[0].cells
    _lines(issuer, [("ND30 Parent Body", line) for line in form.parent_body.split("\n") if line]
           + [("ND30 Issuing Body", line) for line in form.issuing_body.split("\n") if line])
    _rule(issuer.add_paragraph(style="ND30 Rule"), ISSUER_RULE, ND30_HEADER[0] - CELL_MARGINS)
    _lines(nation, [("ND30 National Title", form.national_title), ("ND30 Motto", form.motto)])
    _rule(nation.add_paragraph(style="ND30 Rule"), MOTTO_RULE, ND30_HEADER[1] - CELL_MARGINS)
    number, place = table.rows[1].cells
    _lines(number, [("ND30 Number", form.number)])
    _lines(place, [("ND30 Place Date", form.place_date)])


def _rule(paragraph, length: Emu, width: Emu) -> None:
    """A short line of ``length`` centred in ``width``: the paragraph's border, between its indents."""
    indent = Emu(max(0, int(width - length) // 2))
    paragraph.paragraph_format.left_indent = paragraph.paragraph_format.right_indent = indent


def _placeholders(paragraph, text: str) -> None:
    """``text`` in ``paragraph``, its square-bracketed placeholders in the "ND30 Placeholder" style."""
    for piece, marked in cchc.pieces(text):
        run = paragraph.add_run(piece)
        if marked:
            run.style = "ND30 Placeholder"


def _nd30_paragraphs(word: docx.document.Document, block: Paragraphs) -> None:
    for text in block.texts:
        _placeholders(word.add_paragraph(style="Body Text"), text)


def _nd30_points(word: docx.document.Document, block: Points) -> None:
    for item in block.items or ([block.empty] if block.empty else []):
        _placeholders(word.add_paragraph(style="Body Text"), f"- {item}")


def _nd30_closing(word: docx.document.Document, form: cchc.Nd30Form) -> None:
    recipients, signature = _form_table(word, 1, ND30_CLOSING).rows[0].cells
    _lines(recipients, [("ND30 Recipients Title", cchc.RECIPIENTS_TITLE)]
           + [("ND30 Recipient", f"- {line}") for line in form.recipients])
    signing = [line for line in (form.authority, form.position) if line]
    _lines(signature, [("ND30 Authority", line) for line in signing] + [("ND30 Signer", form.signer)])
    for paragraph in signature.paragraphs[1:len(signing)]:  # the position right under the authority
        paragraph.paragraph_format.space_before = Pt(0)


_ND30_WRITERS = {Paragraphs: _nd30_paragraphs, Points: _nd30_points}

