"""Render an executed report into files: one registered renderer per output format.

``html`` (nbconvert with our template) and ``pdf`` (WeasyPrint) are built in; importing this package
registers every format module listed here.
"""
from parreport.render import html, pdf  # noqa: F401  (registration)
from parreport.render import docx, xlsx  # noqa: F401  (registration: Word, Excel)
from parreport.render.formats import FORMATS, OutputFormat, RenderSource, get_format, register
from parreport.render.html import TEMPLATE_NAME, notebook_to_html
from parreport.render.pdf import html_to_pdf

__all__ = ["FORMATS", "OutputFormat", "RenderSource", "TEMPLATE_NAME", "get_format", "html_to_pdf",
           "notebook_to_html", "register"]
