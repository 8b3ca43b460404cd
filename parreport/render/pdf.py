"""HTML → A4 PDF with WeasyPrint, using fonts shipped inside the installed packages.

The report stylesheet asks for the family "Parreport Sans"; here it is bound to the DejaVu Sans files that
matplotlib ships (full Vietnamese coverage), so a PDF renders the same on any machine with Pango, whatever
fonts the system has.
"""
from __future__ import annotations

import base64
import importlib.util
import io
import os
import re
import shutil
import struct
import tempfile
from functools import lru_cache
from multiprocessing import util
from pathlib import Path

from PIL import Image
from weasyprint import CSS, HTML
from weasyprint.images import RasterImage
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from parreport.process import at_abrupt_exit, is_running
from parreport.render.formats import RenderSource

FONT_FAMILY = "Parreport Sans"
_FACES = {  # (weight, style) → DejaVu file in matplotlib's mpl-data
    ("normal", "normal"): "DejaVuSans.ttf",
    ("bold", "normal"): "DejaVuSans-Bold.ttf",
    ("normal", "italic"): "DejaVuSans-Oblique.ttf",
    ("bold", "italic"): "DejaVuSans-BoldOblique.ttf",
}


def font_dir() -> Path:
    """Matplotlib's font folder, found without importing Matplotlib (which a worker does not otherwise need)."""
    return Path(importlib.util.find_spec("matplotlib").origin).parent / "mpl-data" / "fonts" / "ttf"


def font_face_css() -> str:
    """``@font-face`` rules binding :data:`FONT_FAMILY` to the bundled TTF files."""
    return "\n".join(
        f'@font-face {{ font-family: "{FONT_FAMILY}"; font-weight: {weight}; font-style: {style}; '
        f'src: url("{(font_dir() / name).as_uri()}"); }}'
        for (weight, style), name in _FACES.items()
    )


def _new_fonts() -> tuple[FontConfiguration, CSS]:
    """A font configuration with :data:`FONT_FAMILY` bound, and the stylesheet that binds it."""
    config = FontConfiguration()
    return config, CSS(string=font_face_css(), font_config=config)


@lru_cache(maxsize=1)
def _fonts() -> tuple[FontConfiguration, CSS]:
    _remove_orphaned_font_folders()
    config, fonts = _new_fonts()
    # WeasyPrint copies the font files into a temporary folder that the configuration's __del__ removes; a
    # configuration sits in a reference cycle, and a cached one is never deleted: the folder is removed
    # when the process exits (multiprocessing's exit finalizers also run in worker processes, which skip
    # atexit), or leaves through abrupt_exit (Ctrl-C), so no process leaves 2,7 MB of fonts behind. A
    # process killed outright cannot: the folder names its owner, and a later process removes it.
    (Path(config._folder) / FONT_FOLDER_OWNER).write_text(str(os.getpid()), encoding="ascii")
    util.Finalize(config, config.__del__, exitpriority=0)
    at_abrupt_exit(_remove_font_files)  # a function, not a bound method: the cache alone keeps the config
    return config, fonts


FONT_FOLDER_OWNER = "parreport-owner.pid"  # in the font folder of a parreport process: its process id


def _remove_orphaned_font_folders() -> None:
    """Remove the font folders (``weasyprint-*`` in the temporary folder) of parreport processes that no
    longer run: killed outright (SIGKILL, the out-of-memory killer), they could not remove their own."""
    if os.name != "posix":  # os.kill(pid, 0) asks whether a process runs only on POSIX
        return
    for owner in Path(tempfile.gettempdir()).glob(f"weasyprint-*/{FONT_FOLDER_OWNER}"):
        try:
            pid = int(owner.read_text(encoding="ascii"))
        except (OSError, ValueError):  # a file being written, or removed meanwhile
            continue
        if not is_running(pid):
            shutil.rmtree(owner.parent, ignore_errors=True)


def _remove_font_files() -> None:
    _fonts()[0].__del__()


EMBEDDED_IMAGE = re.compile(r"data:(image/[a-z+.-]+);base64,([A-Za-z0-9+/=]+)")
IMAGE_SCHEME = "parreport-image:"


class EmbeddedImages(URLFetcher):
    """WeasyPrint's URL fetcher, which also serves images taken out of the HTML (see :meth:`take_out`)."""

    def __init__(self) -> None:
        super().__init__()
        self._images: dict[str, tuple[str, str]] = {}  # URL → (media type, base64 data)

    def take_out(self, html: str) -> str:
        """``html`` with each base64 image (``data:image/…``) replaced by a short URL that this fetcher
        serves: WeasyPrint's HTML parser reads the data character by character, about 30 ms per report for
        the five charts of a briefing."""
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


_reencoded_png_data = RasterImage._get_png_data


def png_image_data(image: Image.Image) -> bytes:
    """What WeasyPrint writes as the data of an image without alpha: the PNG's compressed rows (its IDAT
    chunks), which a PDF image holds as they are. WeasyPrint makes them by decoding the PNG and encoding
    it again at zlib's default level, about 0,12 s for the five charts of a briefing; a PNG that is
    already 8-bit RGB (raw mode "RGB") and not interlaced, as every chart of ours is, gives its own rows
    instead, byte for byte. Any other image goes through WeasyPrint's own code. Installed over WeasyPrint's private
    ``RasterImage._get_png_data`` (see the test that checks it still serves)."""
    source = getattr(image, "fp", None)
    if not (image.format == "PNG" and image.mode == "RGB" and isinstance(source, io.BytesIO)
            and [tile[3] for tile in image.tile] == ["RGB"] and "interlace" not in image.info):
        return _reencoded_png_data(image)
    data, position, rows = source.getvalue(), 8, []  # after the 8-byte signature, chunk after chunk
    while position < len(data):
        (length,), kind = struct.unpack_from("!I", data, position), data[position + 4:position + 8]
        if kind == b"IDAT":
            rows.append(data[position + 8:position + 8 + length])
        position += 12 + length  # length, type, data, CRC
    return b"".join(rows)


RasterImage._get_png_data = staticmethod(png_image_data)


def html_to_pdf(html: str, pdf_path: str | Path, base_url: str | Path | None = None) -> Path:
    """Write ``html`` as a PDF at ``pdf_path`` (atomically: a failure leaves any previous file intact)."""
    pdf_path = Path(pdf_path)
    config, fonts = _fonts()
    images = EmbeddedImages()
    document = HTML(string=images.take_out(html), base_url=str(base_url) if base_url else None,
                    url_fetcher=images).render(stylesheets=[fonts], font_config=config)
    partial = pdf_path.with_name(f".{pdf_path.stem}.{os.getpid()}.partial.pdf")
    try:
        document.write_pdf(partial)
        os.replace(partial, pdf_path)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise
    return pdf_path


def write_pdf(source: RenderSource, target: Path) -> None:
    """The ``pdf`` format: the report page laid out on A4 by WeasyPrint."""
    html_to_pdf(source.html, target, base_url=source.base_url)


WHITE_PIXEL_PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4//8/AAX+Av4N70a4AAAAAElFTkSuQmCC"


def _warm_up() -> None:
    """Write a one-line page in the report fonts with an RGB image, so that the first report does not pay
    for loading WeasyPrint's C declarations, fontconfig and the image code (0,5–1 s). Its font configuration
    is its own and dropped at once: a worker forked after this (:mod:`parreport.batch.preload`) shares no
    temporary font folder with the process it was forked from."""
    config, fonts = _new_fonts()
    try:
        HTML(string=f'<p style="font-family: \'{FONT_FAMILY}\'">Xin chào '
                    f'<img src="data:image/png;base64,{WHITE_PIXEL_PNG}"></p>').write_pdf(
            stylesheets=[fonts], font_config=config)
    finally:
        config.__del__()  # its font folder, now (see _fonts)


_warm_up()  # this module is imported when a first PDF is about to be made
