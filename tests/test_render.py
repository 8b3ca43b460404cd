"""Render: our nbconvert template (no code, no prompts, no stderr) and WeasyPrint's A4 PDF, read back."""
from __future__ import annotations

import base64
import io

import nbformat
import pytest
import weasyprint
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
from PIL import Image
from pypdf import PdfReader

from parreport.render.html import notebook_to_html
from parreport.render.pdf import html_to_pdf
from parreport.reports.content import Chart, Note, Points, Section

UNIT = "Sở Tài nguyên và Môi trường"
COVER = f'<section class="pr-cover"><p class="pr-province">Tỉnh Bình Sơn</p><h1 class="pr-unit">{UNIT}</h1></section>'
PARAGRAPH = "<p>Trong quý I năm 2020, Sở tiếp nhận 1.926 hồ sơ; tỷ lệ đúng hạn đạt 99,58%.</p>"


def executed_notebook(paragraphs: int = 1) -> nbformat.NotebookNode:
    code = new_code_cell("secret_helper(department)", execution_count=1, outputs=[
        new_output("display_data", data={"text/html": COVER}),
        new_output("stream", name="stderr", text="DeprecationWarning: noisy library\n"),
        new_output("display_data", data={"application/vnd.parreport.headline+json": {"received": 1926}}),
    ])
    body = new_code_cell("display(HTML(narrative))", execution_count=2, outputs=[
        new_output("display_data", data={"text/html": PARAGRAPH * paragraphs})])
    return new_notebook(cells=[code, new_markdown_cell("## 1. Kết quả nổi bật"), body])


def test_html_has_outputs_and_headings_but_no_code_prompts_or_stderr():
    html = notebook_to_html(executed_notebook(), title="STNMT quý I năm 2020")
    assert UNIT in html and "1.926 hồ sơ" in html and "Kết quả nổi bật" in html
    assert "secret_helper" not in html and "display(HTML" not in html
    assert "In&nbsp;[" not in html and "Out[" not in html
    assert "noisy library" not in html
    assert "<title>STNMT quý I năm 2020</title>" in html
    assert "<script" not in html                                   # a static document
    assert "@page" in html and "Trang " in html                      # our print stylesheet is inlined


def test_pdf_is_a4_with_vietnamese_text_running_header_and_page_numbers(tmp_path):
    html = notebook_to_html(executed_notebook(paragraphs=80))
    pdf = html_to_pdf(html, tmp_path / "briefing.pdf")
    reader = PdfReader(pdf)
    pages = len(reader.pages)
    assert pages >= 2
    for number, page in enumerate(reader.pages, start=1):
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)  # A4
        assert f"Trang {number}/{pages}" in page.extract_text()
    first, second = reader.pages[0].extract_text(), reader.pages[1].extract_text()
    assert UNIT in first and "tỷ lệ đúng hạn đạt 99,58%" in first
    assert "Báo cáo giải quyết TTHC" not in first                   # no running header on the cover page
    assert UNIT in second and "Báo cáo giải quyết TTHC" in second   # running header (body never names it)
    fonts = {str(font["/BaseFont"]) for page in reader.pages
             for font in page["/Resources"]["/Font"].values()}
    assert fonts and all("Parreport-Sans" in name for name in fonts)   # the bundled font, never a system one


def _png_data_url(colour: tuple[int, int, int], size: tuple[int, int]) -> str:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def test_pdf_keeps_every_embedded_image_pixel_for_pixel_and_a_repeated_one_once(tmp_path):
    # WeasyPrint gets base64 images by short URLs (parreport.render.pdf.EmbeddedImages), not inline: the
    # PDF must still show each one as it was, and the same image twice must be one object.
    red, blue = _png_data_url((200, 30, 30), (3, 2)), _png_data_url((20, 60, 220), (2, 2))
    html = f'<p>Biểu đồ <img src="{red}"> <img src="{blue}"> <img src="{red}"></p>'
    page = PdfReader(html_to_pdf(html, tmp_path / "images.pdf")).pages[0]
    drawn = sorted((image.image.size, image.image.convert("RGB").getpixel((0, 0))) for image in page.images)
    assert drawn == [((2, 2), (20, 60, 220)), ((3, 2), (200, 30, 30))]
    assert page.extract_text().count("Biểu đồ") == 1
    assert page.get_contents().get_data().count(b" Do") == 3            # three images drawn, from two objects


def test_pdf_shows_an_rgb_chart_and_an_image_with_alpha_pixel_for_pixel(tmp_path):
    # Every chart is an 8-bit RGB PNG; an image with an alpha channel goes into the PDF with a soft mask.
    # Both must show their pixels as they were.
    gradient = Image.new("RGB", (40, 30))
    gradient.putdata([(x * 6, y * 8, (x * y) % 256) for y in range(30) for x in range(40)])
    buffer = io.BytesIO()
    gradient.save(buffer, format="PNG", compress_level=1)
    translucent = io.BytesIO()
    Image.new("RGBA", (5, 4), (30, 120, 60, 255)).save(translucent, format="PNG")
    html = (f'<p><img src="data:image/png;base64,{base64.b64encode(buffer.getvalue()).decode()}" alt="biểu đồ"> '
            f'<img src="data:image/png;base64,{base64.b64encode(translucent.getvalue()).decode()}" alt="ô"></p>')
    page = PdfReader(html_to_pdf(html, tmp_path / "charts.pdf")).pages[0]
    objects = {tuple(image.image.size): image for image in page.images}
    assert objects[(40, 30)].image.convert("RGB").tobytes() == gradient.tobytes()
    assert objects[(5, 4)].image.convert("RGB").getpixel((4, 3)) == (30, 120, 60)


MAKE_PDFS = """
import gc, multiprocessing, pathlib, sys, tempfile
from parreport.process import abrupt_exit
from parreport.render.pdf import html_to_pdf

def make_pdfs(folder):
    html_to_pdf("<p>Xin chào</p>", f"{folder}/first.pdf")
    gc.collect(); gc.freeze()  # as a batch worker after its first report (parreport.process.freeze_once)
    html_to_pdf("<p>Tạm biệt</p>", f"{folder}/second.pdf")
    print(len(list(pathlib.Path(tempfile.gettempdir()).glob("parreport-fonts-*/weasyprint-*"))), flush=True)
"""


@pytest.mark.parametrize("leaving", ids=["exit", "abrupt_exit", "worker"], argvalues=[
    "make_pdfs(sys.argv[1])",  # then the interpreter's own exit
    "make_pdfs(sys.argv[1]); abrupt_exit(0)",  # Ctrl-C in parreport run
    "worker = multiprocessing.get_context('fork').Process(target=make_pdfs, args=sys.argv[1:]); "
    "worker.start(); worker.join()",  # a worker process: exit finalizers, no atexit
])
def test_a_process_that_made_pdfs_leaves_no_font_folder(tmp_path, leaving):
    """WeasyPrint copies the fonts of a font configuration into a temporary folder; a process keeps one
    configuration, its copy in a folder of its own, which it removes when it exits, however it exits, also once
    the configuration is frozen out of the collector."""
    import os
    import subprocess
    import sys

    temporary = tmp_path / "tmp"
    temporary.mkdir()
    done = subprocess.run([sys.executable, "-c", f"{MAKE_PDFS}\n{leaving}\n", str(tmp_path)], capture_output=True,
                          text=True, env={**os.environ, "TMPDIR": str(temporary)}, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["1"]  # one font folder while it made PDFs
    assert list(temporary.iterdir()) == []


METHOD_NOTE = ("Cách tính: kỳ trước chuyển qua, tiếp nhận mới, đã giải quyết (trước hạn, đúng hạn, quá hạn) và đang "
               "giải quyết (trong hạn, quá hạn) theo Biểu số 06/VPCP/KSTT; ngày được so theo ngày lịch. Tỷ lệ giải "
               "quyết đúng hạn = (trước hạn + đúng hạn) / đã giải quyết. Chỉ số tiến độ và hài lòng theo Bộ chỉ số "
               "766 (Quyết định 766/QĐ-TTg) được tính lại từ dữ liệu hồ sơ. Định nghĩa đầy đủ: docs/data.md.")
POINTS = ["Tỷ lệ xin lỗi khi giải quyết quá hạn đạt 56,44%, thấp hơn mục tiêu 100,00%.",
          "Còn 4 hồ sơ đang giải quyết quá hạn tại thời điểm 31/12/2024."]


def _section_pages(tmp_path, blocks: list, above_mm: int) -> list:
    """The PDF pages of a report holding ``above_mm`` of blank space, then a section of ``blocks``."""
    section = Section("attention", "Những điểm cần lưu ý", blocks, number=5)
    cell = new_code_cell("display(section)", execution_count=1, outputs=[
        new_output("display_data", data={"text/html": f'<div style="height: {above_mm}mm"></div>'}),
        new_output("display_data", data={"text/html": section.html()})])
    html = notebook_to_html(new_notebook(cells=[cell]))
    return PdfReader(html_to_pdf(html, tmp_path / "section.pdf")).pages


@pytest.mark.parametrize("points, last_words", [(POINTS, "31/12/2024"), ([], "đều đạt mục tiêu")])
def test_pdf_never_ends_on_a_page_of_small_print_alone(tmp_path, points, last_words):
    """STNMT's briefing for 2024-Q4 ended on a page holding two lines of the method note that follows the
    attention points. Wherever the page ends, the note stays whole and takes the last point (or the sentence
    saying there is none) with it."""
    pages = set()
    for above_mm in range(210, 245, 5):  # the section ends on the first page, across its end, on the second
        printed = _section_pages(tmp_path, [Points(points), Note(METHOD_NOTE)], above_mm)
        last = printed[-1].extract_text()
        assert "Cách tính" in last and "docs/data.md" in last and last_words in last, above_mm
        pages.add(len(printed))
    assert pages == {1, 2}


def test_pdf_leaves_a_chart_in_place_when_the_last_point_goes_with_its_note(tmp_path):
    """WeasyPrint keeps a list with what precedes it: the last point going to the next page with its note
    took the chart above it along, leaving a chart's height blank (the 766 section of annual briefings)."""
    png = io.BytesIO()
    Image.new("RGB", (1400, 400), (11, 79, 113)).save(png, format="PNG")  # 7 × 2 in at 200 dpi
    chart = Chart("Tổng điểm Bộ chỉ số 766", "Biểu đồ", png.getvalue(), width_in=7.0)
    point = "Tỷ lệ hồ sơ được số hóa đạt 79,72%, thấp hơn mục tiêu 80,00%."
    # 182 mm of the page's 261 mm, then the heading and the chart: no room left for the point and the note
    first, second = _section_pages(tmp_path, [chart, Points([point]), Note(METHOD_NOTE)], 182)
    assert [page.get_contents().get_data().count(b" Do") for page in (first, second)] == [1, 0]
    assert "79,72%" in second.extract_text() and "Cách tính" in second.extract_text()


def test_failed_pdf_leaves_the_previous_file_untouched(tmp_path, monkeypatch):
    target = tmp_path / "briefing.pdf"
    target.write_bytes(b"%PDF previous good report")

    def broken_write(self, target=None, **options):
        with open(target, "wb") as stream:
            stream.write(b"%PDF half")
        raise OSError("disk full")

    monkeypatch.setattr(weasyprint.document.Document, "write_pdf", broken_write)
    with pytest.raises(OSError, match="disk full"):
        html_to_pdf(notebook_to_html(executed_notebook()), target)
    assert target.read_bytes() == b"%PDF previous good report"
    assert [p.name for p in tmp_path.iterdir()] == ["briefing.pdf"]


def test_every_registered_format_names_a_renderer_that_exists():
    from parreport.render import FORMATS

    assert set(FORMATS) == {"html", "pdf", "docx", "xlsx"}
    for output_format in FORMATS.values():
        assert callable(output_format.load()), output_format.renderer


def test_planning_a_batch_imports_no_renderer_library():
    """A format's module (WeasyPrint, nbconvert, python-docx, XlsxWriter) is imported when a file of that
    format is made (openpyxl only when demo files are written, Matplotlib only when a chart is drawn), not
    when a spec is checked or a batch is planned and indexed: the command and every worker start faster,
    and a run with nothing to rebuild ends sooner. Checked in a fresh interpreter, where nothing was
    imported before, with the report kinds loaded as planning loads them."""
    import subprocess
    import sys

    libraries = ("weasyprint", "nbconvert", "docx", "xlsxwriter", "openpyxl", "matplotlib")
    code = ("import sys; import parreport.batch.build, parreport.batch.make, parreport.sources; "
            "from parreport.reports.kinds import kinds; kinds(); "
            f"print(sorted(m for m in {libraries!r} if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert result.stdout.strip() == "[]"


def test_the_pdf_renderer_finds_the_bundled_fonts_without_importing_matplotlib():
    """The fonts are Matplotlib's DejaVu files, but a worker that only renders needs no Matplotlib: the
    forkserver that every worker comes from loads faster without it. Checked in a fresh interpreter."""
    import subprocess
    import sys

    code = ("import sys; from parreport.render.fonts import font_dir; "
            "print('matplotlib' in sys.modules, (font_dir() / 'DejaVuSans.ttf').is_file())")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert result.stdout.split() == ["False", "True"]
