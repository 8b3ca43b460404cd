"""Output formats: a small registry of renderers, each writing one file from an executed report.

A format is a name (``html``, ``pdf``, ``docx``, ``xlsx``), a file suffix and its renderer, a function
``render(source, target)`` named as ``"module:function"`` and imported the first time a file of that format
is made (so planning a batch or listing formats never imports WeasyPrint, nbconvert, python-docx or
XlsxWriter).
Every renderer reads the same :class:`RenderSource`: the executed notebook and the
:class:`~parreport.reports.content.Document` it displayed (content as data). Adding a format is one module
with its renderer plus one :func:`register` line in :mod:`parreport.render`; the batch, spec and index only
ask this registry.
"""
from __future__ import annotations

import difflib
import importlib
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from parreport.errors import ConfigError
from parreport.plugins import FORMATS_GROUP, load_entry_points

if TYPE_CHECKING:  # the registry itself loads neither: the command reads it before anything heavy
    import nbformat

    from parreport.reports.content import Document


@dataclass
class RenderSource:
    """One executed report, as every renderer sees it."""

    notebook: nbformat.NotebookNode
    title: str
    base_url: Path  # where relative links in the report resolve (its output folder)

    @cached_property
    def document(self) -> Document:
        """The content the notebook displayed under :data:`~parreport.reports.mimetypes.DOCUMENT_MIMETYPE`."""
        from parreport.reports.content import Document
        from parreport.reports.mimetypes import DOCUMENT_MIMETYPE

        for cell in self.notebook.cells:
            for output in cell.get("outputs", []):
                data = output.get("data", {})
                if DOCUMENT_MIMETYPE in data:
                    return Document.from_json(data[DOCUMENT_MIMETYPE])
        raise ConfigError(f"{self.title}: the notebook displayed no report document "
                          f"(a cell must show the Document built by parreport.reports)")

    @cached_property
    def html(self) -> str:
        """The report as standalone HTML (our nbconvert template, no code)."""
        from parreport.render.html import notebook_to_html
        return notebook_to_html(self.notebook, title=self.title)


@dataclass(frozen=True)
class OutputFormat:
    """How one kind of file is made from a :class:`RenderSource`."""

    name: str
    suffix: str  # ".pdf"
    renderer: str  # "parreport.render.pdf:write_pdf", a function (source, target) -> None
    label: str  # shown on the index: "PDF"

    def render(self, source: RenderSource, target: Path) -> None:
        """Write ``target`` from ``source``."""
        self.load()(source, target)

    @property
    def module(self) -> str:
        """The renderer's module: ``parreport.render.pdf``."""
        return self.renderer.partition(":")[0]

    def load(self) -> Callable[[RenderSource, Path], None]:
        """The renderer function (its module is imported the first time)."""
        return getattr(importlib.import_module(self.module), self.renderer.partition(":")[2])


FORMATS: dict[str, OutputFormat] = {}


def register(output_format: OutputFormat) -> OutputFormat:
    """Make a format available to specs (``formats: [...]``) and ``parreport run --format``."""
    FORMATS[output_format.name] = output_format
    return output_format


def formats() -> dict[str, OutputFormat]:
    """Every registered format by name: the built-in ones, then those of installed packages
    (:mod:`parreport.plugins`)."""
    load_entry_points(FORMATS_GROUP, register)
    return FORMATS


def get_format(name: str) -> OutputFormat:
    """The registered format ``name``; :class:`ConfigError` with the closest names otherwise."""
    try:
        return formats()[name]
    except KeyError:
        close = difflib.get_close_matches(name, FORMATS, n=1)
        hint = f" (did you mean {close[0]}?)" if close else ""
        raise ConfigError(f"unknown format {name}{hint}; expected some of {', '.join(FORMATS)}") from None
