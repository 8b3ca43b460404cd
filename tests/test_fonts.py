"""The PDF's fonts: DejaVu Sans cut once to the reports' characters, cached, and embedded as cut."""
from __future__ import annotations

import os
import subprocess
import sys
import unicodedata

import pytest
from fontTools.ttLib import TTFont
from nbformat.v4 import new_markdown_cell, new_notebook
from pypdf import PdfReader

from parreport.render import fonts
from parreport.render.html import notebook_to_html
from parreport.render.pdf import html_to_pdf

# Every Vietnamese letter: the 12 vowels with each of the 6 tones (the level tone is the bare vowel), đ, and the
# consonants, in both cases; then the signs the reports write (₫, dashes, ellipsis, ≤ ≥, ▲ ▼, №) and, as DejaVu
# had them before it was cut, Greek and Cyrillic letters.
VOWELS = "a ă â e ê i o ô ơ u ư y".split()
TONES = ["", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"]  # huyền, sắc, hỏi, ngã, nặng
LETTERS = {unicodedata.normalize("NFC", vowel + tone) for vowel in VOWELS for tone in TONES} | set("bcdđghklmnpqrstvx")
VIETNAMESE = "".join(sorted(LETTERS | {letter.upper() for letter in LETTERS}))
SIGNS = "₫–—…≤≥▲▼№×−·%‰" + "ΣΩµ" + "ЖжЯя"


@pytest.fixture
def own_cache(tmp_path, monkeypatch):
    """A font cache of this test's own; the process's cut faces are forgotten before and after."""
    monkeypatch.setenv("PARREPORT_CACHE", str(tmp_path / "cache"))
    fonts.font_files.cache_clear()
    yield tmp_path / "cache"
    fonts.font_files.cache_clear()


def test_the_letter_list_is_the_whole_alphabet():
    # 12 vowels × 6 tones = 72 vowel letters, 17 consonants (with đ): 89 letters, 178 with capitals.
    assert len(VIETNAMESE) == 178 and all(len(letter) == 1 for letter in VIETNAMESE)


def test_every_cut_face_draws_every_vietnamese_letter_and_sign_and_is_smaller(own_cache):
    cut = fonts.font_files()
    assert set(cut) == set(fonts.FACES)
    for face, path in cut.items():
        assert own_cache in path.parents
        cmap = TTFont(path).getBestCmap()
        assert [c for c in VIETNAMESE + SIGNS if ord(c) not in cmap] == [], face
        assert "GPOS" in TTFont(path)  # the marks' positions kept: ố, ặ, ỹ stack right
        source = TTFont(fonts.font_dir() / fonts.FACES[face])
        assert TTFont(path)["head"].modified == source["head"].modified  # no cutting date: the same bytes each time
        assert path.stat().st_size < (fonts.font_dir() / fonts.FACES[face]).stat().st_size / 3


def test_faces_are_cut_once_then_read_from_the_cache(own_cache, monkeypatch):
    first = fonts.font_files()
    made = {face: path.stat().st_mtime_ns for face, path in first.items()}
    fonts.font_files.cache_clear()

    def cut_again(path):
        raise AssertionError(f"{path} cut again although it is in the cache")

    monkeypatch.setattr(fonts, "cut_font", cut_again)
    second = fonts.font_files()
    assert second == first
    assert {face: path.stat().st_mtime_ns for face, path in second.items()} == made
    assert not list(own_cache.rglob("*.partial"))


def test_an_unwritable_cache_still_gives_cut_faces_in_a_folder_removed_at_exit(tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")  # the cache's place is taken by a file: no folder can be made there
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    code = ("from parreport.render.fonts import font_files\n"
            "cut = font_files().values()\n"
            "print(all(path.is_file() for path in cut), {path.parent.parent.name for path in cut})\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PARREPORT_CACHE": str(blocked), "TMPDIR": str(temporary)})
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True", "{'tmp'}"]  # cut into the temporary directory
    assert list(temporary.iterdir()) == []  # and gone with the process


def test_a_pdf_embeds_the_cut_faces_unchanged_and_its_text_reads_back(own_cache, tmp_path):
    sentence = "Trong quý I năm 2020, Sở tiếp nhận 1.926 hồ sơ"
    html = notebook_to_html(new_notebook(cells=[new_markdown_cell(f"{sentence}, **đúng hạn** ở *Đắk Lắk*.")]))
    page = PdfReader(html_to_pdf(html, tmp_path / "fonts.pdf")).pages[0]
    assert sentence in page.extract_text()
    embedded = set()
    for font in page["/Resources"]["/Font"].values():
        descriptor = font.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
        embedded.add(descriptor["/FontFile2"].get_object().get_data())
    cut = fonts.font_files()
    assert embedded == {cut[face].read_bytes() for face in [("normal", "normal"), ("bold", "normal"),
                                                            ("normal", "italic")]}
