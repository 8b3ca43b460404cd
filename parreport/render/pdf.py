"""HTML → A4 PDF with WeasyPrint: accessible and archival (PDF/A-2a), in fonts shipped inside the installed
packages.

The report stylesheet asks for the family "Parreport Sans"; here it is bound to the DejaVu Sans files that
matplotlib ships (full Vietnamese coverage), cut once to the characters reports use and embedded whole
(:mod:`parreport.render.fonts`), so a PDF renders the same on any machine with Pango, whatever fonts the
system has.

Every PDF is written as WeasyPrint's ``pdf/a-2a`` variant (:data:`PDF_VARIANT`): a tagged PDF — a structure
tree of the page's headings, paragraphs, lists, tables (header cells linked to their data cells) and
figures with the charts' alternative text, marked as such (``/MarkInfo``), in the language of
``<html lang>`` (``/Lang vi``) and titled by ``<title>`` — with an sRGB output intent, identified as
PDF/A-2 level A in its XMP metadata. Level A is the PDF/A level that requires the tags (levels B and U do
not); PDF/A-2 rather than 3 because a report embeds no files, which is all that 3 adds. See
docs/architecture.md ("Accessible, archival PDFs") for how to validate one with veraPDF.
"""
from __future__ import annotations

import base64
import os
import re
import shutil
import tempfile
from functools import lru_cache
from multiprocessing import util
from pathlib import Path

from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from parreport.process import at_abrupt_exit, is_running
from parreport.render.fonts import font_files
from parreport.render.formats import RenderSource

PDF_VARIANT = "pdf/a-2a"  # WeasyPrint's name: PDF/A-2, level A (tagged), PDF 1.7, sRGB output intent
# For rendering (the variant's output intent) and for writing. The fonts are embedded whole: they are already
# cut to the characters reports use, once per machine (parreport.render.fonts).
PDF_OPTIONS = {"pdf_variant": PDF_VARIANT, "full_fonts": True}

FONT_FAMILY = "Parreport Sans"


def font_face_css() -> str:
    """``@font-face`` rules binding :data:`FONT_FAMILY` to the bundled faces, cut to the reports' characters."""
    return "\n".join(
        f'@font-face {{ font-family: "{FONT_FAMILY}"; font-weight: {weight}; font-style: {style}; '
        f'src: url("{path.as_uri()}"); }}'
        for (weight, style), path in font_files().items()
    )


FONTS_PREFIX = "parreport-fonts-"  # + "<pid>-": the folder of a process's copy of the fonts


@lru_cache(maxsize=1)
def _fonts() -> tuple[FontConfiguration, CSS, Path]:
    """This process's font configuration, with :data:`FONT_FAMILY` bound, the stylesheet that binds it, and
    the folder holding WeasyPrint's copy of the font files.

    WeasyPrint copies the font files of a configuration into a temporary folder (``mkdtemp``, in the
    temporary directory of the moment: here a folder of this process's own, ``parreport-fonts-<pid>-…``). It
    lives as long as the process and is removed when the process exits (:func:`_release_fonts`): through
    multiprocessing's exit finalizers, which also run in worker processes (they skip atexit), or through
    :func:`~parreport.process.abrupt_exit` (Ctrl-C). A process killed outright (SIGKILL, the out-of-memory
    killer) cannot: the next process to make a PDF removes the folders of processes that no longer run."""
    _remove_orphaned_folders()
    home = Path(tempfile.mkdtemp(prefix=f"{FONTS_PREFIX}{os.getpid()}-"))
    outside, tempfile.tempdir = tempfile.tempdir, str(home)  # tempfile's documented default folder
    try:
        config = FontConfiguration()
        fonts = CSS(string=font_face_css(), font_config=config)  # copies the fonts, under ``home``
    finally:
        tempfile.tempdir = outside
    util.Finalize(None, _release_fonts, exitpriority=0)
    at_abrupt_exit(_release_fonts)
    return config, fonts, home


def _release_fonts() -> None:
    """Remove this process's copy of the fonts (made by :func:`_fonts`), if it made one."""
    if _fonts.cache_info().currsize:
        home = _fonts()[2]
        _fonts.cache_clear()
        shutil.rmtree(home, ignore_errors=True)


def _remove_orphaned_folders() -> None:
    """Remove the font folders of parreport processes that no longer run (killed outright)."""
    for folder in Path(tempfile.gettempdir()).glob(f"{FONTS_PREFIX}*"):
        owner = folder.name[len(FONTS_PREFIX):].split("-")[0]
        if owner.isdigit() and int(owner) != os.getpid() and not is_running(int(owner)):
            shutil.rmtree(folder, ignore_errors=True)


EMBEDDED_IMAGE = re.compile(r"data:(image/[a-z+.-]+);base64,([A-Za-z0-9+/=]+)")
IMAGE_SCHEME = "parreport-image:"


class EmbeddedImages(URLFetcher):
    """WeasyPrint's URL fetcher, which also serves images taken out of the HTML (see :meth:`take_out`)."""

    def __init__(self) -> None:
        super().__init__()
        self._images: dict[str, tuple[str, str]] = {}  # URL → (media type, base64 data)

    def take_out(self, html: str) -> str:
        """``html`` with each base64 image (``data:image/…``) replaced by a short URL that this fetcher
        serves: WeasyPrint's HTML parser reads the data character by character, which is slow for the
        charts of a report."""
        urls: dict[str, str] = {}

        def short_url(match: re.Match) -> str:
            url = urls.setdefault(match[0], f"{IMAGE_SCHEME}{len(urls)}")
            self._images[url] = match[1], match[2]
            return url
        return EMBEDDED_IMAGE.sub(short_url, html)

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        if url in self._images:
            media_type, data = self._images[url]
            return URLFetcherResponse(url, base64.b64decode(data), {"Content-Type": media_type})
        return super().fetch(url, headers)


def html_to_pdf(html: str, pdf_path: str | Path, base_url: str | Path | None = None) -> Path:
    """Write ``html`` as a PDF/A-2a at ``pdf_path`` (atomically: a failure leaves any previous file intact)."""
    pdf_path = Path(pdf_path)
    config, fonts, _home = _fonts()
    images = EmbeddedImages()
    document = HTML(string=images.take_out(html), base_url=str(base_url) if base_url else None,
                    url_fetcher=images).render(stylesheets=[fonts], font_config=config, **PDF_OPTIONS)
    partial = pdf_path.with_name(f".{pdf_path.stem}.{os.getpid()}.partial.pdf")
    try:
        document.write_pdf(partial, **PDF_OPTIONS)
        os.replace(partial, pdf_path)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise
    return pdf_path


def write_pdf(source: RenderSource, target: Path) -> None:
    """The ``pdf`` format: the report page laid out on A4 by WeasyPrint, as a tagged PDF/A-2a."""
    html_to_pdf(source.html, target, base_url=source.base_url)


WHITE_PIXEL_PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4//8/AAX+Av4N70a4AAAAAElFTkSuQmCC"


def warm_up() -> None:
    """Make the cut fonts if this machine has none yet, and write a one-line tagged page with an RGB image, so
    that the first report does not pay for loading WeasyPrint's C declarations, fontconfig, the image code
    and the PDF/A parts. It binds no fonts: a font configuration made here would be handed to the workers
    forked after this (:mod:`parreport.batch.preload`), and each process binds its own (:func:`_fonts`)."""
    font_files()
    HTML(string=f'<html lang="vi"><title>Xin chào</title><p>Xin chào '
                f'<img src="data:image/png;base64,{WHITE_PIXEL_PNG}" alt="Một điểm trắng"></p></html>').write_pdf(
        **PDF_OPTIONS)
