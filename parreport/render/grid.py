"""Where a table's header cells sit on a grid, for renderers that merge cells (Word, Excel).

:meth:`~parreport.reports.content.Table.header_rows` gives the header as HTML does: rows of
(label, colspan, rowspan), a cell spanning rows from above occupying positions the next row skips.
:func:`header_cells` places each cell at its row and column, so a renderer merges exactly that range.
"""
from __future__ import annotations

from dataclasses import dataclass

from parreport.reports.content import Table


@dataclass(frozen=True)
class HeaderCell:
    """A header cell at (``row``, ``column``), 0-based from the header's top-left corner."""

    label: str
    row: int
    column: int
    rows: int = 1  # how many grid rows it spans
    columns: int = 1  # how many grid columns it spans

    @property
    def last_row(self) -> int:
        return self.row + self.rows - 1

    @property
    def last_column(self) -> int:
        return self.column + self.columns - 1


def header_cells(table: Table) -> list[HeaderCell]:
    """The header cells of ``table`` placed on a grid of ``len(table.header_rows())`` rows."""
    taken: set[tuple[int, int]] = set()
    cells = []
    for row, header in enumerate(table.header_rows()):
        column = 0
        for label, colspan, rowspan in header:
            while (row, column) in taken:
                column += 1
            cell = HeaderCell(label, row, column, rowspan, colspan)
            taken.update((r, c) for r in range(row, cell.last_row + 1) for c in range(column, cell.last_column + 1))
            cells.append(cell)
            column += colspan
    return cells
