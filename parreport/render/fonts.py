"""The PDF's fonts: Matplotlib's DejaVu Sans, cut once to the characters a Vietnamese report can use.

A PDF embeds its fonts. Left to itself, WeasyPrint cuts each font down to the glyphs of one document, for
every document, with fontTools when the system lacks HarfBuzz's subsetter (``libharfbuzz-subset``, a package
of its own on Debian) — the largest single cost of a PDF. Instead, :func:`font_files` cuts the four DejaVu
faces once per machine to :data:`CHARACTERS` (Latin with every Vietnamese letter, combining marks, Greek,
Cyrillic, punctuation, currency such as ₫, arrows, mathematical operators, geometric shapes), keeping their
shaping tables (kerning, mark positioning), and caches them under ``cache_dir()/fonts``; every PDF then
embeds these faces whole (WeasyPrint's public ``full_fonts`` option).

A character outside :data:`CHARACTERS` (say, a name in Chinese) is drawn from a system font that has it,
which WeasyPrint then embeds whole: correct, only a larger file.
"""
from __future__ import annotations

import atexit
import hashlib
import importlib.util
import io
import os
import shutil
import tempfile
from functools import lru_cache
from pathlib import Path

import fontTools
from fontTools import subset

from parreport.paths import cache_dir

FACES = {  # (weight, style) → DejaVu file in Matplotlib's mpl-data
    ("normal", "normal"): "DejaVuSans.ttf",
    ("bold", "normal"): "DejaVuSans-Bold.ttf",
    ("normal", "italic"): "DejaVuSans-Oblique.ttf",
    ("bold", "italic"): "DejaVuSans-BoldOblique.ttf",
}

CHARACTERS = (  # Unicode blocks kept, first and last code point
    (0x0020, 0x007E),  # Basic Latin
    (0x00A0, 0x024F),  # Latin-1 Supplement, Latin Extended-A and -B (Ă Đ Ơ Ư …)
    (0x0300, 0x036F),  # combining diacritical marks (text that is not NFC still shows)
    (0x0370, 0x03FF),  # Greek (Σ, µ, …)
    (0x0400, 0x04FF),  # Cyrillic (names in Russian)
    (0x1E00, 0x1EFF),  # Latin Extended Additional (ạ ả ấ … ỹ)
    (0x2000, 0x206F),  # general punctuation (– — … ‰ ·)
    (0x2070, 0x209F),  # superscripts and subscripts
    (0x20A0, 0x20CF),  # currency (₫ €)
    (0x2100, 0x214F),  # letterlike symbols (№ ℃)
    (0x2190, 0x21FF),  # arrows
    (0x2200, 0x22FF),  # mathematical operators (− ≤ ≥ ×)
    (0x25A0, 0x25FF),  # geometric shapes (▲ ▼ ●)
)


def font_dir() -> Path:
    """Matplotlib's font folder, found without importing Matplotlib (which a worker does not otherwise need)."""
    return Path(importlib.util.find_spec("matplotlib").origin).parent / "mpl-data" / "fonts" / "ttf"


@lru_cache(maxsize=1)
def font_files() -> dict[tuple[str, str], Path]:
    """The four faces cut to :data:`CHARACTERS`, by (weight, style): made on first use, then read from the
    cache, whose folder is named after the source files, the characters, the cutting options and fontTools'
    version (so a new Matplotlib, fontTools or way of cutting makes new files). Without a writable cache,
    they are made in a temporary folder of this process, removed when it exits."""
    sources = {face: font_dir() / name for face, name in FACES.items()}
    key = hashlib.sha256(repr((CHARACTERS, sorted(vars(cut_options()).items()), fontTools.version)).encode())
    for path in sources.values():
        key.update(path.read_bytes())
    try:
        folder = cache_dir() / "fonts" / key.hexdigest()[:16]
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        folder = Path(tempfile.mkdtemp(prefix="parreport-fonts-cut-"))
        atexit.register(_remove_if_own, folder, os.getpid())
    cut = {face: folder / path.name for face, path in sources.items()}
    for face, target in cut.items():
        if not target.is_file():
            _write_atomically(target, cut_font(sources[face]))
    return cut


def cut_options() -> subset.Options:
    """How a face is cut: its layout tables kept, its hinting dropped (as WeasyPrint's own subsetting drops
    it), its dates left as they are, so that the same font and fontTools give the same bytes on every
    machine."""
    options = subset.Options(layout_features=["*"], name_IDs=["*"], notdef_outline=True, hinting=False,
                             recalc_timestamp=False)
    options.drop_tables += ["FFTM"]  # FontForge's timestamps: nothing to cut, nothing a PDF needs
    return options


def cut_font(path: Path) -> bytes:
    """The font at ``path`` with only the glyphs of :data:`CHARACTERS` (and those its shaping tables reach),
    cut with :func:`cut_options`."""
    options = cut_options()
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[code for first, last in CHARACTERS for code in range(first, last + 1)])
    font = subset.load_font(str(path), options)
    subsetter.subset(font)
    data = io.BytesIO()
    subset.save_font(font, data, options)
    return data.getvalue()


def _remove_if_own(folder: Path, owner: int) -> None:
    """Remove ``folder`` when the process that made it exits (not a child forked from it that exits first)."""
    if os.getpid() == owner:
        shutil.rmtree(folder, ignore_errors=True)


def _write_atomically(target: Path, data: bytes) -> None:
    """Write ``data`` at ``target`` through a file of this process renamed into place: processes that make
    the same file at once each write whole files."""
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    partial.write_bytes(data)
    os.replace(partial, target)
