"""A report's content as data: built once per report, rendered per output format.

A :class:`Document` is a cover, headline figures and a list of :class:`Section`\\ s, each a heading and
blocks — :class:`Kpis`, :class:`Paragraphs`, :class:`Table`, :class:`Chart`, :class:`Points` and
:class:`Note`. Values are plain data (text already written the Vietnamese way, raw numbers in tables, chart
images as PNG bytes), so every renderer — the notebook's HTML, DOCX, XLSX — states the same thing.

In a notebook each section displays itself as HTML; the whole document is also displayed once under
:data:`DOCUMENT_MIMETYPE` (JSON, invisible in HTML), which is how the batch hands it to the renderers of
the other formats. Nothing is ever read back out of HTML.
"""
from __future__ import annotations

import base64
import json
from dataclasses import asdict, dataclass, field, fields
from collections.abc import Mapping
from typing import Any, ClassVar

from parreport import fmt
from parreport.narrative import render
from parreport.reports.mimetypes import DOCUMENT_MIMETYPE, HEADLINE_MIMETYPE


def plain(row: Mapping[str, Any]) -> dict:
    """A row (a pandas Series or a mapping) as plain Python values (NA → None), for templates and tables."""
    return {key: (None if fmt.is_missing(value) else value.item() if hasattr(value, "item") else value)
            for key, value in row.items()}


SAMPLE_DATA_LABEL = "Dữ liệu mẫu"


@dataclass
class Cover:
    """The first block of every report: who, what, when, and from which data."""

    province: str
    unit: str  # the unit's full name, or "Toàn tỉnh"
    title: str  # "Báo cáo tình hình giải quyết thủ tục hành chính"
    period: str  # "Quý IV năm 2024"
    prepared: str  # "26/11/2026"
    data_dates: str  # "01/10/2024–31/12/2024"
    sample_data: bool = False  # generated demo figures: every page says "Dữ liệu mẫu"

    def html(self) -> str:
        return render("cover.html.j2", cover=self, sample_label=SAMPLE_DATA_LABEL)


@dataclass
class Kpi:
    value: str  # written the Vietnamese way: "1.926", "99,58%"
    label: str
    change: str = ""  # "tăng 12 hồ sơ so với kỳ trước"


@dataclass
class Kpis:
    """A row of headline figures."""

    items: list[Kpi]
    block: ClassVar[str] = "kpis"

    def html(self) -> str:
        return render("kpis.html.j2", kpis=self.items)


@dataclass
class Paragraphs:
    """Sentences of the narrative, one paragraph each. ``notice`` paragraphs stand out (e.g. "no data")."""

    texts: list[str]
    notice: bool = False
    block: ClassVar[str] = "paragraphs"

    def html(self) -> str:
        return render("narrative.html.j2", paragraphs=self.texts, notice=self.notice)


@dataclass
class Column:
    """A table column. ``format`` is how its values are written: ``text``, ``number`` (a count), ``percent``
    (a ratio), ``score`` (points, two decimals). A ratio column may say how it is computed from other columns
    of the same row (``ratio``: numerator keys, denominator keys), and a total column which columns of the same
    row it adds up (``sums``), so a spreadsheet can write either as a formula. ``group`` is the label of the
    header cell spanning this column and its neighbours of the same group, or a tuple of labels for nested
    groups, outermost first (Biểu 06: "Số hồ sơ nhận giải quyết" › "Trong đó" › "Số mới tiếp nhận")."""

    key: str
    label: str
    format: str = "number"
    group: str | tuple[str, ...] | None = None
    ratio: tuple[tuple[str, ...], tuple[str, ...]] | None = None
    sums: tuple[str, ...] | None = None

    @property
    def groups(self) -> tuple[str, ...]:
        """The column's group labels, outermost first (none for an ungrouped column)."""
        if not self.group:
            return ()
        return (self.group,) if isinstance(self.group, str) else tuple(self.group)


@dataclass
class Table:
    """A table of raw values (``None`` = no figure, written "–"). When ``total`` is true the last row is the
    total of the rows above it (its count columns are their sums). When ``numbered`` is true the header ends
    with a row numbering the columns (1), (2), … as official forms do. ``name`` identifies the table to
    renderers that treat a table specially (``bieu06``: the official Biểu số 06/VPCP/KSTT layout in XLSX)."""

    name: str
    title: str
    columns: list[Column]
    rows: list[list[Any]]
    total: bool = False
    note: str = ""
    numbered: bool = False
    block: ClassVar[str] = "table"

    def html(self) -> str:
        return render("table.html.j2", table=self)

    def header_rows(self, spans: bool = True) -> list[list[tuple[str, int, int]]]:
        """The header as rows of (label, colspan, rowspan): a grouped column sits under its group's cell (under
        each of its nested groups' cells in turn), a label spans down to the last label row — or, without
        ``spans``, stands in the last label row under empty cells (label ``""``), for HTML: WeasyPrint's PDF
        tagging maps header cells spanning rows to the wrong columns; a ``numbered`` table ends with the row
        of column numbers."""
        depth = 1 + max((len(column.groups) for column in self.columns), default=0)
        rows: list[list[tuple[str, int, int]]] = [[] for _ in range(depth)]
        previous: tuple[str, ...] = ()
        for column in self.columns:
            groups = column.groups
            for level, label in enumerate(groups):
                if previous[:level + 1] == groups[:level + 1]:  # the same group as the column before: widen it
                    text, colspan, rowspan = rows[level][-1]
                    rows[level][-1] = (text, colspan + 1, rowspan)
                else:
                    rows[level].append((label, 1, 1))
            if spans:
                rows[len(groups)].append((column.label, 1, depth - len(groups)))
            else:
                for level in range(len(groups), depth - 1):
                    rows[level].append(("", 1, 1))
                rows[depth - 1].append((column.label, 1, 1))
            previous = groups
        if self.numbered:
            rows.append([(f"({number})", 1, 1) for number in range(1, len(self.columns) + 1)])
        return rows


@dataclass
class Chart:
    """A chart as a PNG image at print resolution, with the Vietnamese alternative text readers and
    screen readers get."""

    title: str
    alt: str
    png: bytes = field(repr=False)
    width_in: float = 7.0
    block: ClassVar[str] = "chart"

    def html(self) -> str:
        return render("chart.html.j2", chart=self, data=base64.b64encode(self.png).decode("ascii"))


@dataclass
class Points:
    """Attention points (things below target, overdue dossiers); ``empty`` is said when there are none."""

    items: list[str]
    empty: str = "Các chỉ tiêu theo dõi đều đạt mục tiêu đề ra; không có điểm cần lưu ý."
    block: ClassVar[str] = "points"

    def html(self) -> str:
        return render("attention.html.j2", points=self.items, empty=self.empty)


@dataclass
class Note:
    """Small print: how a figure is computed, where data comes from."""

    text: str
    block: ClassVar[str] = "note"

    def html(self) -> str:
        return render("note.html.j2", text=self.text)


Block = Kpis | Paragraphs | Table | Chart | Points | Note
BLOCK_TYPES: dict[str, type] = {cls.block: cls for cls in (Kpis, Paragraphs, Table, Chart, Points, Note)}


@dataclass
class Section:
    """A numbered part of a report: its heading and its blocks. In a notebook it displays as HTML."""

    key: str  # stable identifier, e.g. "highlights", "par_index"
    title: str
    blocks: list[Block] = field(default_factory=list)
    number: int = 0  # set by the document: "1. Kết quả nổi bật"

    def html(self) -> str:
        return render("section.html.j2", section=self)

    def _repr_html_(self) -> str:
        return self.html()

    def __repr__(self) -> str:  # short: a notebook stores it as the section's text/plain form
        return f"<Mục {self.number}. {self.title}: {len(self.blocks)} khối>"


@dataclass
class Document:
    """Everything one report states. Build it once; render it per format."""

    kind: str  # the report kind (see :mod:`parreport.reports.kinds`)
    cover: Cover
    sections: list[Section]
    headline: dict[str, Any] = field(default_factory=dict)  # plain numbers for the index and manifest
    headline_columns: list[Column] = field(default_factory=list)  # how the index heads and writes them

    def __post_init__(self) -> None:
        for number, section in enumerate(self.sections, start=1):
            section.number = number

    def section(self, key: str) -> Section | None:
        """The section ``key``, or ``None`` when this report has none (e.g. no PAR Index for a quarter)."""
        return next((section for section in self.sections if section.key == key), None)

    # --- notebook display ------------------------------------------------------------------------
    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict:
        """In a notebook: the cover as HTML, and the whole document and headline as data for the batch."""
        return {"text/html": self.cover.html(), "text/plain": repr(self), DOCUMENT_MIMETYPE: self.to_json(),
                HEADLINE_MIMETYPE: {"values": self.headline, "columns": [asdict(c) for c in self.headline_columns]}}

    def __repr__(self) -> str:  # short: the content itself is in the document data
        return f"<Báo cáo {self.kind}: {self.cover.unit}, {self.cover.period}, {len(self.sections)} mục>"

    # --- JSON ------------------------------------------------------------------------------------
    def to_json(self) -> dict:
        """A JSON-ready dict (chart images base64-encoded)."""
        return {"kind": self.kind, "cover": asdict(self.cover), "headline": self.headline,
                "headline_columns": [asdict(column) for column in self.headline_columns],
                "sections": [{"key": s.key, "title": s.title, "blocks": [_block_json(b) for b in s.blocks]}
                             for s in self.sections]}

    @classmethod
    def from_json(cls, data: dict | str) -> "Document":
        data = json.loads(data) if isinstance(data, str) else data
        sections = [Section(s["key"], s["title"], [_block_from_json(b) for b in s["blocks"]])
                    for s in data["sections"]]  # numbered again on construction
        columns = [Column(**column) for column in data.get("headline_columns") or ()]
        return cls(data["kind"], Cover(**data["cover"]), sections, dict(data.get("headline") or {}), columns)


def _block_json(block: Block) -> dict:
    values = {f.name: getattr(block, f.name) for f in fields(block)}
    if isinstance(block, Chart):
        values["png"] = base64.b64encode(block.png).decode("ascii")
    elif isinstance(block, (Kpis, Table)):
        values = asdict(block)
    return {"block": block.block, **values}


def _block_from_json(data: dict) -> Block:
    data = dict(data)
    cls = BLOCK_TYPES[data.pop("block")]
    if cls is Chart:
        data["png"] = base64.b64decode(data["png"])
    elif cls is Kpis:
        data["items"] = [Kpi(**item) for item in data["items"]]
    elif cls is Table:
        data["columns"] = [Column(**{**c, "ratio": tuple(map(tuple, c["ratio"])) if c.get("ratio") else None,
                                     "group": tuple(c["group"]) if isinstance(c.get("group"), list) else c.get("group"),
                                     "sums": tuple(c["sums"]) if c.get("sums") else None})
                           for c in data["columns"]]
    return cls(**data)
