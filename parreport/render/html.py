"""Notebook → standalone HTML with the ``parreport`` nbconvert template (no code, no prompts)."""
from __future__ import annotations

import warnings
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import nbformat
from nbconvert import HTMLExporter

from parreport.paths import TEMPLATES_DIR

if TYPE_CHECKING:  # formats imports this module when a page is made
    from parreport.render.formats import RenderSource


TEMPLATE_NAME = "parreport"
TEMPLATE_BASEDIR = TEMPLATES_DIR / "nbconvert"


@lru_cache(maxsize=1)
def _exporter() -> HTMLExporter:
    return HTMLExporter(
        extra_template_basedirs=[str(TEMPLATE_BASEDIR)],
        template_name=TEMPLATE_NAME,
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        embed_images=True,
        language_code="vi",  # <html lang="vi">: what screen readers and the PDF's /Lang follow
    )


def notebook_to_html(notebook: nbformat.NotebookNode | str | Path, title: str | None = None) -> str:
    """The report HTML of an executed notebook (a node or a path); ``title`` sets the page title."""
    node = notebook if isinstance(notebook, nbformat.NotebookNode) else nbformat.read(notebook, as_version=4)
    if title:
        node = nbformat.from_dict(node)
        node.metadata["title"] = title
    with warnings.catch_warnings():  # parreport's own data outputs (the headline) have no HTML form
        warnings.filterwarnings("ignore", message="Your element with mimetype", category=UserWarning)
        html, _ = _exporter().from_notebook_node(node)
    return html


def write_html(source: RenderSource, target: Path) -> None:
    """The ``html`` format: the report page with its stylesheet inlined."""
    target.write_text(source.html, encoding="utf-8")


def warm_up() -> None:
    """Convert a one-cell notebook, so that the first report does not pay for making the exporter and
    compiling the template."""
    greeting = nbformat.v4.new_output("display_data", {"text/html": "<p>Xin chào</p>"})
    notebook_to_html(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(outputs=[greeting])]))
