"""The ``xlsx`` format: the report's key figures and every table of it, one sheet each.

The first sheet, "Số liệu chính", holds the cover (province, unit, title, period, data dates, "Dữ liệu mẫu" for
sample data), every headline figure (:class:`~parreport.reports.content.Kpis`) as written under its section,
and says what the workbook leaves out (charts, narrative, attention points, notes) and, when the report has
no Biểu 06 table, that it has none. So every report gets a workbook, even one with no table at all.

Every :class:`~parreport.reports.content.Table` whose name starts with ``bieu06`` (a briefing's fields; the
province overview's ``bieu06_units``, one row per unit) becomes a sheet in the layout of Biểu số 06/VPCP/KSTT
(Thông tư 01/2020/TT-VPCP; its columns in :mod:`parreport.reports.bieu06`): the form's name and title, the
reporting period and unit, "Đơn vị tính: Số hồ sơ TTHC", the header with its nested group cells merged, the
row numbering the columns (1) … (13), the STT column, then the rows and the Tổng row.
Every other table (766 groups, PAR Index areas, rankings, …) becomes a plain sheet: its title (else its
section's), the unit and period, the header with its group cells merged, the rows as the report states them
and its note. Sheets follow the document's order.

Numbers are numbers. On the form, each group's Tổng số (a column with ``sums``) is the ``SUM`` of its parts in
the same row (``=SUM(D11:F11)`` received, ``=SUM(H11:J11)`` resolved, ``=SUM(L11:M11)`` pending), the Tổng row's
other counts are ``SUM`` formulas of the cells above, and a ratio column (a column with ``ratio``; the form has
none) would be a formula of its row, e.g. ``=IF(SUM(G9,H9,I9)=0,"–",SUM(G9,H9)/SUM(G9,H9,I9))``. A total whose
part is unknown (channels not recorded) is written as the number the report states. XlsxWriter stores each
formula with its computed value, so viewers that do not recalculate (previewers, pandas, ``openpyxl`` with
``data_only``) show the right numbers. Each computed value is checked against the figure the report states, so the workbook can never say
something else. No figure is written "–", never 0.

Number formats: ``#,##0``, ``#,##0.00`` (scores) and ``0.00%`` tagged with the Vietnamese locale
(``[$-42A]``). LibreOffice honours the tag and writes 1.926 and 93,57% on any machine; Excel takes separators
from the computer's regional settings, so on Vietnamese-region Windows (where these forms are filled) it
shows the same, and elsewhere 1,926 and 93.57% — still numbers, never text. A literal-separator format code
was rejected: it cannot write a decimal comma in a percentage and would mix conventions within a sheet.
"""
from __future__ import annotations

import re
from pathlib import Path

import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell

from parreport import fmt
from parreport.errors import ParreportError
from parreport.render.formats import RenderSource
from parreport.render.grid import header_cells
from parreport.reports.bieu06 import FORM, FORM_BASIS, FORM_TITLE, STT, UNIT_OF_COUNT, UNIT_TABLE
from parreport.reports.content import (SAMPLE_DATA_LABEL, Chart, Cover, Document, Kpis, Note, Paragraphs, Points,
                                       Section, Table)

TABLE_PREFIX = UNIT_TABLE  # "bieu06": the unit's table; "bieu06_units", the province's, too
HEADER_TOP = 5  # 0-based row of the first header row: rows 1–5 are the title rows (of the form, of a plain sheet)
NUMBER_FORMATS = {"number": "[$-42A]#,##0", "score": "[$-42A]#,##0.00", "percent": "[$-42A]0.00%"}
FONT = {"font_name": "Times New Roman", "font_size": 12}
WIDTHS = {"stt": 5, "text": 30, "number": 12}
KEY_FIGURES = "Số liệu chính"
KEY_WIDTHS = (45, 20, 45)  # label, value, change
NO_BIEU06 = "Báo cáo không có Biểu số 06: dữ liệu không có hồ sơ hoặc số liệu tổng hợp của kỳ này."
LEFT_OUT = {Chart: "biểu đồ", Paragraphs: "phần nhận định", Points: "những điểm cần lưu ý", Note: "ghi chú"}
TOLERANCE = 1e-9


def write_xlsx(source: RenderSource, target: Path) -> None:
    """The ``xlsx`` format: the report's key figures, then every table of its document, one sheet each."""
    build_xlsx(source.document, target)


def build_xlsx(document: Document, target: Path) -> Path:
    """Write ``document`` as a workbook at ``target``: "Số liệu chính", then a sheet per table."""
    book = xlsxwriter.Workbook(str(target))
    cover = document.cover
    book.set_properties({"title": f"{cover.title} – {cover.unit} – {cover.period}", "subject": cover.province,
                         "author": "parreport", "comments": SAMPLE_DATA_LABEL if cover.sample_data else ""})
    styles = _Styles(book)
    names: set[str] = set()
    _KeyFigures(book.add_worksheet(_sheet_name(KEY_FIGURES, names)), styles, document).write()
    for section, table in _tables(document):
        if _is_bieu06(table):
            _Sheet(book.add_worksheet(_sheet_name(table.title or "Biểu 06", names)), styles, table, cover).write()
        else:
            title = table.title or section.title
            _PlainSheet(book.add_worksheet(_sheet_name(title, names)), styles, table, cover, title).write()
    book.close()
    return target


def _tables(document: Document) -> list[tuple[Section, Table]]:
    """Every table of ``document`` with its section, in order."""
    return [(section, block) for section in document.sections for block in section.blocks
            if isinstance(block, Table)]


def _is_bieu06(table: Table) -> bool:
    return table.name.startswith(TABLE_PREFIX)


def _sheet_name(title: str, taken: set[str]) -> str:
    """``title`` as Excel allows a sheet name: no ``[]:*?/\\``, at most 31 characters, unique."""
    base = re.sub(r"[\[\]:*?/\\]", " ", title).strip(" '")
    base = re.sub(r"\s+", " ", base) or "Bảng"
    if len(base) > 31:  # cut at a word boundary
        base = base[:32].rsplit(" ", 1)[0] if " " in base[:32] else base[:31]
    name, number = base, 1
    while name.lower() in {n.lower() for n in taken}:
        number += 1
        name = f"{base[:31 - len(str(number)) - 3].rstrip()} ({number})"
    taken.add(name)
    return name


def _left_out(document: Document) -> list[str]:
    """What the workbook does not hold, said on its first sheet."""
    blocks = [block for section in document.sections for block in section.blocks]
    parts = [label for kind, label in LEFT_OUT.items() if any(isinstance(block, kind) for block in blocks)]
    lines = [f"Bảng tính này không có {fmt.listing(parts)} của báo cáo."] if parts else []
    if not any(_is_bieu06(table) for _, table in _tables(document)):
        lines.append(NO_BIEU06)
    return lines


class _Styles:
    """The cell formats of the workbook, made once."""

    def __init__(self, book: xlsxwriter.Workbook) -> None:
        def add(**properties):
            return book.add_format({**FONT, **properties})

        self.form = self.bold = add(bold=True)
        self.basis = add(italic=True, font_size=10)
        self.sample = add(bold=True, font_color="#9B1C1C", align="right")
        self.flag = add(bold=True, font_color="#9B1C1C")
        self.title = add(bold=True, font_size=13, align="center", valign="vcenter", text_wrap=True)
        self.heading = add(bold=True, font_size=13)
        self.period = add(italic=True, align="center")
        self.line = add()
        self.label = add(text_wrap=True, valign="top")
        self.figure = add(bold=True, align="right", valign="top")
        self.change = add(italic=True, text_wrap=True, valign="top")
        self.unit_of_count = add(italic=True, align="right")
        self.header = add(bold=True, align="center", valign="vcenter", text_wrap=True, border=1, bg_color="#F2F2F2")
        self.numbering = add(italic=True, align="center", border=1, font_size=10)
        self.note = add(italic=True, font_size=10, text_wrap=True, valign="top")
        self.cells = {(kind, bold): add(bold=bold, border=1, valign="vcenter", **extra)
                      for bold in (False, True)
                      for kind, extra in (("text", {"text_wrap": True}), ("stt", {"align": "center"}),
                                          ("missing", {"align": "center"}),
                                          *((kind, {"num_format": code, "align": "right", "indent": 1})
                                            for kind, code in NUMBER_FORMATS.items()))}


class _KeyFigures:
    """The first sheet: the cover, every headline figure under its section, what the workbook leaves out."""

    def __init__(self, sheet, styles: _Styles, document: Document) -> None:
        self.sheet, self.styles, self.document = sheet, styles, document
        self.row = 0  # the next row to write

    def write(self) -> None:
        cover, styles = self.document.cover, self.styles
        self._line((KEY_FIGURES,), styles.heading)
        for label, value in (("Địa phương", cover.province), ("Đơn vị", cover.unit), ("Báo cáo", cover.title),
                             ("Kỳ báo cáo", cover.period), ("Thời gian số liệu", cover.data_dates),
                             ("Ngày lập", cover.prepared)):
            self.sheet.write_string(self.row, 0, label, styles.bold)
            self.sheet.merge_range(self.row, 1, self.row, 2, value, styles.line)
            self.row += 1
        if cover.sample_data:
            self._line((SAMPLE_DATA_LABEL,), styles.flag)
        self._kpis()
        self.row += 1
        for text in _left_out(self.document):
            self.sheet.merge_range(self.row, 0, self.row, len(KEY_WIDTHS) - 1, text, styles.note)
            self.sheet.set_row(self.row, 32)
            self.row += 1
        for column, width in enumerate(KEY_WIDTHS):
            self.sheet.set_column(column, column, width)
        self.sheet.set_paper(9)  # A4
        self.sheet.fit_to_pages(1, 0)

    def _kpis(self) -> None:
        """Each :class:`Kpis` block's items (label, value as written, change) under its section's title."""
        blocks = [(section, block) for section in self.document.sections for block in section.blocks
                  if isinstance(block, Kpis)]
        if not blocks:
            return
        self.row += 1
        self._line(("Chỉ tiêu", "Giá trị", "Thay đổi"), self.styles.header)
        for section, block in blocks:
            self._line((f"{section.number}. {section.title}",), self.styles.bold)
            for kpi in block.items:
                self._line((kpi.label, kpi.value, kpi.change), self.styles.label, self.styles.figure,
                           self.styles.change)

    def _line(self, texts: tuple[str, ...], *styles) -> None:
        """``texts`` from column A on (an empty one left blank), the last style repeated for the cells after the
        given styles."""
        for column, text in enumerate(texts):
            if text:
                self.sheet.write_string(self.row, column, text, styles[min(column, len(styles) - 1)])
        self.row += 1


class _Grid:
    """A table's header, cells and note on a worksheet, its first column at ``left``."""

    def __init__(self, sheet, styles: _Styles, table: Table, left: int) -> None:
        self.sheet, self.styles, self.table, self.left = sheet, styles, table, left
        self.depth = len(table.header_rows())
        self.last_column = left + len(table.columns) - 1

    def _header_cells(self, top: int) -> None:
        """The header with its group cells merged (:func:`header_cells`), from row ``top``; column widths."""
        for cell in header_cells(self.table):
            self._cell_range(top + cell.row, self.left + cell.column, top + cell.last_row,
                             self.left + cell.last_column, cell.label, self.styles.header)
        for row in range(top, top + self.depth):
            self.sheet.set_row(row, 48 if row == top + self.depth - 1 else 30)
        for index, column in enumerate(self.table.columns, start=self.left):
            self.sheet.set_column(index, index, WIDTHS["text" if column.format == "text" else "number"])

    def _cell_range(self, first_row: int, first_column: int, last_row: int, last_column: int, text: str,
                    style) -> None:
        if (first_row, first_column) == (last_row, last_column):
            self.sheet.write_string(first_row, first_column, text, style)
        else:
            self.sheet.merge_range(first_row, first_column, last_row, last_column, text, style)

    def _note(self, row: int) -> None:
        if self.table.note:
            self._cell_range(row, 0, row, self.last_column, self.table.note, self.styles.note)
            self.sheet.set_row(row, 32)

    def _print_setup(self, first_row: int, columns: int) -> None:
        """Header rows (and ``columns`` columns) stay in view; A4 landscape, one page wide, "Trang X/Y"."""
        sheet = self.sheet
        sheet.freeze_panes(first_row, columns)
        sheet.set_paper(9)  # A4
        sheet.set_landscape()
        sheet.fit_to_pages(1, 0)  # as wide as the page, as many pages long as needed
        sheet.repeat_rows(HEADER_TOP, first_row - 1)
        sheet.set_margins(left=0.6, right=0.4, top=0.6, bottom=0.6)
        sheet.center_horizontally()
        sheet.set_footer("&CTrang &P/&N")

    def _value(self, row: int, column: int, kind: str, value, bold: bool) -> None:
        cells = self.styles.cells
        if value is None:
            self.sheet.write_string(row, column, fmt.MISSING, cells["missing", bold])
        elif kind == "text":
            self.sheet.write_string(row, column, str(value), cells["text", bold])
        else:
            self.sheet.write_number(row, column, float(value), cells[kind, bold])


class _PlainSheet(_Grid):
    """A table other than Biểu 06: its title, the unit and period, the header, the rows and the note."""

    def __init__(self, sheet, styles: _Styles, table: Table, cover: Cover, title: str) -> None:
        super().__init__(sheet, styles, table, left=0)
        self.cover, self.title = cover, title
        self.first_row = HEADER_TOP + self.depth

    def write(self) -> None:
        sheet, styles, cover = self.sheet, self.styles, self.cover
        self._cell_range(0, 0, 0, self.last_column, self.title, styles.title)
        sheet.set_row(0, 36)
        sheet.write_string(1, 0, f"Đơn vị báo cáo: {cover.unit} – {cover.province}", styles.line)
        sheet.write_string(2, 0, f"Kỳ báo cáo: {cover.period} ({cover.data_dates})", styles.line)
        if cover.sample_data:
            sheet.write_string(3, 0, SAMPLE_DATA_LABEL, styles.flag)
        self._header_cells(HEADER_TOP)
        for index, values in enumerate(self.table.rows):
            bold = self.table.total and index == len(self.table.rows) - 1  # the Tổng row
            for column, (kind, value) in enumerate(zip((c.format for c in self.table.columns), values)):
                self._value(self.first_row + index, column, kind, value, bold)
        self._note(self.first_row + len(self.table.rows) + 1)
        self._print_setup(self.first_row, 0)


class _Sheet(_Grid):
    """One Biểu 06 table on one worksheet, on the form (:mod:`parreport.reports.bieu06`): title rows, the header
    with its nested group cells merged, the row numbering the columns, the rows and the Tổng row. A table without
    its own STT column or numbering row gets them here."""

    def __init__(self, sheet, styles: _Styles, table: Table, cover: Cover) -> None:
        self.own_stt = bool(table.columns) and table.columns[0].key == STT.key
        super().__init__(sheet, styles, table, left=0 if self.own_stt else 1)  # else column 0 is STT
        self.cover = cover
        self.numbering_row = HEADER_TOP + self.depth - (1 if table.numbered else 0)
        self.first_row = self.numbering_row + 1  # first data row (0-based)
        self.index = {column.key: index for index, column in enumerate(table.columns)}  # in a row's values
        self.position = {key: self.left + index for key, index in self.index.items()}  # on the sheet
        self.name_index = next((index for index, column in enumerate(table.columns)
                                if column.format == "text" and column.key != STT.key), None)

    def write(self) -> None:
        self._title_rows()
        self._header()
        body = self.table.rows[:-1] if self.table.total else self.table.rows
        for index, values in enumerate(body):
            self._row(self.first_row + index, values, index + 1)
        if self.table.total:
            self._total_row(self.first_row + len(body), self.table.rows[-1], len(body))
        self._note(self.first_row + len(self.table.rows) + 1)
        self._print_setup(self.first_row, 2)  # with the STT and name columns

    # --- form -------------------------------------------------------------------------------------
    def _title_rows(self) -> None:
        sheet, styles, cover, last = self.sheet, self.styles, self.cover, self.last_column
        sheet.write_string(0, 0, FORM, styles.form)
        sheet.write_string(1, 0, FORM_BASIS, styles.basis)
        if cover.sample_data:
            sheet.write_string(0, last, SAMPLE_DATA_LABEL, styles.sample)
        sheet.merge_range(2, 0, 2, last, FORM_TITLE, styles.title)
        sheet.set_row(2, 36)
        start, _, end = cover.data_dates.partition("–")
        dates = f"Từ ngày {start} đến ngày {end}" if end else cover.data_dates
        sheet.merge_range(3, 0, 3, last, f"Kỳ báo cáo: {cover.period} ({dates})", styles.period)
        sheet.write_string(4, 0, f"Đơn vị báo cáo: {cover.unit} – {cover.province}", styles.line)
        sheet.write_string(4, last, UNIT_OF_COUNT, styles.unit_of_count)

    def _header(self) -> None:
        sheet, styles, top = self.sheet, self.styles, HEADER_TOP
        numbering = self.numbering_row - top  # the numbering row's place in the table's own header, if it has one
        if not self.own_stt:
            self._cell_range(top, 0, self.numbering_row - 1, 0, "STT", styles.header)
        for cell in header_cells(self.table):
            style = styles.numbering if self.table.numbered and cell.row == numbering else styles.header
            self._cell_range(top + cell.row, self.left + cell.column, top + cell.last_row,
                             self.left + cell.last_column, cell.label, style)
        if not self.table.numbered:
            for column in range(self.last_column + 1):
                sheet.write_string(self.numbering_row, column, f"({column + 1})", styles.numbering)
        for row in range(top, self.numbering_row):
            sheet.set_row(row, 48 if row == self.numbering_row - 1 else 30)
        sheet.set_column(0, 0, WIDTHS["stt"])
        for column, position in zip(self.table.columns, range(self.left, self.last_column + 1)):
            kind = "stt" if column.key == STT.key else "text" if column.format == "text" else "number"
            sheet.set_column(position, position, WIDTHS[kind])

    # --- rows -------------------------------------------------------------------------------------
    def _row(self, row: int, values: list, number: int | str, bold: bool = False) -> None:
        if not self.own_stt:
            self.sheet.write(row, 0, number, self.styles.cells["stt", bold])
        for column, value in zip(self.table.columns, values):
            if column.key == STT.key:
                self.sheet.write(row, self.position[column.key], value if isinstance(value, int) else str(value or ""),
                                 self.styles.cells["stt", bold])
            elif column.ratio:
                self._ratio(row, column, values, bold)
            elif column.sums:
                self._sum(row, column, values, bold)
            else:
                self._value(row, self.position[column.key], column.format, value, bold)

    def _total_row(self, row: int, values: list, count: int) -> None:
        """The Tổng row: counts as SUM of the rows above (each group's Tổng số as the SUM of its parts in this
        row, themselves sums), ratio columns as formulas of this row's cells."""
        self._row(row, values, "", bold=True)
        for index, (column, value) in enumerate(zip(self.table.columns, values)):
            if column.format != "number" or column.ratio or value is None or count == 0:
                continue  # only counts are sums; a stated score or percentage stays as the report gives it
            if column.sums and self._parts(column, values) is not None:
                continue  # written by _row: the sum of its parts in this row
            above = [cells[index] for cells in self.table.rows[:count]]
            computed = sum(v for v in above if v is not None)
            self._check(value, computed, _label(column), "Tổng")
            at = self.position[column.key]
            span = f"{xl_rowcol_to_cell(self.first_row, at)}:{xl_rowcol_to_cell(row - 1, at)}"
            self.sheet.write_formula(row, at, f"=SUM({span})", self.styles.cells[column.format, True], computed)

    def _parts(self, column, values: list) -> list | None:
        """The values of the columns a total adds up, or ``None`` when one of them is not known."""
        parts = [values[self.index[key]] for key in column.sums]
        return None if any(part is None for part in parts) else parts

    def _sum(self, row: int, column, values: list, bold: bool) -> None:
        """A group's Tổng số as the SUM of its parts in this row, with the computed value stored; the stated
        figure as it is when a part is not known."""
        stated, parts = values[self.index[column.key]], self._parts(column, values)
        at = self.position[column.key]
        if parts is None:
            self._value(row, at, column.format, stated, bold)
            return
        computed = sum(parts)
        self._check(stated, computed, _label(column), self._where(row, values))
        self.sheet.write_formula(row, at, f"=SUM({self._refs(row, column.sums)})",
                                 self.styles.cells[column.format, bold], computed)

    def _refs(self, row: int, keys: tuple[str, ...]) -> str:
        """The cells of ``keys`` in ``row``: a range when they are side by side in order, else a list."""
        positions = [self.position[key] for key in keys]
        if positions == list(range(positions[0], positions[0] + len(positions))) and len(positions) > 1:
            return f"{xl_rowcol_to_cell(row, positions[0])}:{xl_rowcol_to_cell(row, positions[-1])}"
        return ",".join(xl_rowcol_to_cell(row, position) for position in positions)

    def _where(self, row: int, values: list) -> str:
        return values[self.name_index] if self.name_index is not None else f"dòng {row + 1}"

    def _ratio(self, row: int, column, values: list, bold: bool) -> None:
        """A ratio column as its formula over this row's cells, with the computed value stored."""
        numerator, denominator = column.ratio
        stated = values[self.index[column.key]]
        parts = [[values[self.index[key]] for key in keys] for keys in (numerator, denominator)]
        where = self._where(row, values)
        at = self.position[column.key]
        if any(v is None for part in parts for v in part):  # a count is unknown: so is the ratio
            self._check(stated, None, column.label, where, "percent")
            self._value(row, at, "percent", None, bold)
            return
        top, bottom = (sum(part) for part in parts)
        computed = top / bottom if bottom else None
        self._check(stated, computed, column.label, where, "percent")
        refs = [",".join(xl_rowcol_to_cell(row, self.position[key]) for key in keys)
                for keys in (numerator, denominator)]
        formula = f'=IF(SUM({refs[1]})=0,"{fmt.MISSING}",SUM({refs[0]})/SUM({refs[1]}))'
        style = self.styles.cells["percent" if computed is not None else "missing", bold]
        self.sheet.write_formula(row, at, formula, style, fmt.MISSING if computed is None else computed)

    def _check(self, stated, computed, label: str, where, kind: str = "number") -> None:
        """The workbook's computed figure must be the one the report states."""
        same = (stated is None and computed is None) or (
            stated is not None and computed is not None and abs(stated - computed) <= TOLERANCE * max(1, abs(stated)))
        if not same:
            raise ParreportError(f"{self.table.name}, {where}, {label}: the report states "
                                 f"{fmt.written(stated, kind)} but its cells give {fmt.written(computed, kind)}")


def _label(column) -> str:
    """A column named with its outermost group: "Số lượng hồ sơ đã giải quyết – Tổng số"."""
    return " – ".join((column.groups[0], column.label)) if column.groups else column.label
