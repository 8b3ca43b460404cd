"""Accessible, archival PDFs: a real briefing's PDF read back with pypdf — its structure tree (headings,
tables, figures with the charts' alternative text), /MarkInfo, /Lang, title, and its identification as
PDF/A-2a (XMP, output intent, embedded fonts). veraPDF, which validates the whole of PDF/A, is not
installable from the registries this project uses: docs/architecture.md ("Accessible, archival PDFs") says
how to run it."""
from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict
from dataclasses import dataclass, field

import pytest
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from parreport.reports.content import Chart, Table

pytestmark = pytest.mark.e2e

NS = {"rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
      "dc": "http://purl.org/dc/elements/1.1/"}


@dataclass
class Element:
    """A structure element: its type (``H2``), its text (the marked content it holds, spaces collapsed),
    its attributes, and its children."""

    type: str
    text: str
    node: DictionaryObject
    children: list["Element"] = field(default_factory=list)

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()

    def all(self, type_: str) -> list["Element"]:
        return [element for element in self.walk() if element.type == type_]


def _marked_text(reader: PdfReader) -> dict[tuple[int, int], str]:
    """The text shown in each marked-content sequence: (page index, MCID) → text."""
    texts: dict[tuple[int, int], str] = defaultdict(str)
    for number, page in enumerate(reader.pages):
        open_ids: list[int | None] = []

        def before(operator, operands, *_):
            if operator == b"BDC":
                properties = operands[1].get_object() if len(operands) > 1 else None
                open_ids.append(properties.get("/MCID") if isinstance(properties, dict) else None)
            elif operator == b"BMC":
                open_ids.append(None)
            elif operator == b"EMC" and open_ids:
                open_ids.pop()

        def shown(text, *_):
            mcid = next((mcid for mcid in reversed(open_ids) if mcid is not None), None)
            if mcid is not None:
                texts[number, mcid] += text

        page.extract_text(visitor_operand_before=before, visitor_text=shown)
    return texts


def structure_tree(reader: PdfReader) -> Element:
    """The document's structure tree, from /StructTreeRoot down, each element with the text it tags."""
    catalog = reader.trailer["/Root"]
    assert "/StructTreeRoot" in catalog, "an untagged PDF: no structure tree"
    pages = {page.indirect_reference.idnum: number for number, page in enumerate(reader.pages)}
    texts = _marked_text(reader)

    def element(node: DictionaryObject, page: int | None) -> Element:
        if "/Pg" in node:
            page = pages[node.raw_get("/Pg").idnum]
        kids = node.get("/K", [])
        made = Element(str(node.get("/S", node.get("/Type")))[1:], "", node)
        text = []
        for kid in kids if isinstance(kids, list) else [kids]:
            if isinstance(kid, int):  # a marked-content sequence of the element's page
                text.append(texts.get((page, kid), ""))
                continue
            kid = kid.get_object()
            if isinstance(kid, dict) and "/S" in kid:
                child = element(kid, page)
                made.children.append(child)
                text.append(child.text)
        made.text = " ".join(" ".join(text).split())
        return made

    return element(catalog["/StructTreeRoot"], None)


@pytest.fixture(scope="module")
def report(briefing_source, tmp_path_factory):
    """The briefing's PDF as the ``pdf`` format writes it, read back: (reader, structure tree, source)."""
    from parreport.render.pdf import write_pdf

    target = tmp_path_factory.mktemp("archival") / "briefing.pdf"
    write_pdf(briefing_source, target)
    reader = PdfReader(target)
    return reader, structure_tree(reader), briefing_source


def _blocks(source, kind: type) -> list:
    return [block for section in source.document.sections for block in section.blocks if isinstance(block, kind)]


def test_the_pdf_is_tagged_with_one_document_of_headings_in_reading_order(report):
    reader, tree, source = report
    catalog = reader.trailer["/Root"]
    assert catalog["/MarkInfo"]["/Marked"].value is True
    assert [child.type for child in tree.children] == ["Document"]
    assert all("/StructParents" in page for page in reader.pages)  # each page's content maps to its elements
    document = source.document
    assert [h1.text for h1 in tree.all("H1")] == [document.cover.unit]
    assert [h2.text for h2 in tree.all("H2")] == [f"{s.number}. {s.title}" for s in document.sections]
    assert tree.all("P") and tree.all("L")  # paragraphs and the list of attention points


def test_every_chart_is_a_figure_with_its_vietnamese_alternative_text(report):
    _reader, tree, source = report
    charts = _blocks(source, Chart)
    assert len(charts) >= 3
    figures = tree.all("Figure")
    assert [str(figure.node["/Alt"]) for figure in figures] == [chart.alt for chart in charts]
    assert all("đ" in chart.alt or "ồ" in chart.alt for chart in charts)  # Vietnamese, kept as Unicode
    assert all("/BBox" in figure.node["/A"] for figure in figures)


def test_every_table_has_its_header_cells_and_each_data_cell_names_its_headers(report):
    _reader, tree, source = report
    tables = _blocks(source, Table)
    assert len(tree.all("Table")) == len(tables) >= 2
    for tagged, table in zip(tree.all("Table"), tables):
        header = [label for row in table.header_rows(spans=False) for label, _colspan, _rowspan in row]
        assert [th.text for th in tagged.all("TH")] == header
        ids = {str(th.node["/ID"]) for th in tagged.all("TH")}
        cells = tagged.all("TD")
        assert len(cells) == len(table.rows) * len(table.columns)
        # Each data cell names the header cell of its own column: the label in the last row of labels (the
        # row before the numbering row of a numbered form), which has one cell per column.
        rows = table.header_rows(spans=False)
        before = sum(len(row) for row in rows[:len(rows) - 1 - table.numbered])
        labels = [str(th.node["/ID"]) for th in tagged.all("TH")[before:before + len(table.columns)]]
        wrong = [(number, cell.text) for number, cell in enumerate(cells)
                 if "/A" not in cell.node or not {str(h) for h in cell.node["/A"].get("/Headers", [])} <= ids
                 or labels[number % len(table.columns)] not in {str(h) for h in cell.node["/A"]["/Headers"]}]
        assert wrong == [], table.name


def test_the_pdf_declares_vietnamese_and_its_title(report):
    reader, _tree, source = report
    catalog = reader.trailer["/Root"]
    assert '<html lang="vi">' in source.html  # what the PDF's language comes from
    assert catalog["/Lang"] == "vi"
    assert reader.metadata.title == source.title == "STNMT quý II năm 2020"
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"].value is True  # viewers show the title, not the file name


def test_the_pdf_is_identified_as_pdf_a_2a(report):
    reader, _tree, source = report
    catalog = reader.trailer["/Root"]
    assert reader.pdf_header == "%PDF-1.7"
    packet = ET.fromstring(catalog["/Metadata"].get_object().get_data())
    descriptions = packet.findall(".//rdf:Description", NS)
    identification = {key.split("}")[1]: value for description in descriptions
                      for key, value in description.attrib.items() if key.startswith(f"{{{NS['pdfaid']}}}")}
    assert identification == {"part": "2", "conformance": "A"}
    assert [li.text for li in packet.findall(".//dc:title/rdf:Alt/rdf:li", NS)] == [source.title]
    (intent,) = catalog["/OutputIntents"]
    assert intent["/S"] == "/GTS_PDFA1" and intent["/DestOutputProfile"]["/N"] == 3  # an RGB ICC profile
    for page in reader.pages:  # PDF/A: every font embedded
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            assert "/FontFile2" in descendant["/FontDescriptor"], font["/BaseFont"]
