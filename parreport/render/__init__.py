"""Render an executed report into files: one registered renderer per output format.

Each line below registers a format by name, suffix, renderer (``"module:function"``, imported when a file
of the format is first made) and the label the index shows. A new format is one module with its renderer
and one line here.
"""
from parreport.render.formats import FORMATS, OutputFormat, RenderSource, formats, get_format, register

register(OutputFormat("html", ".html", "parreport.render.html:write_html", "HTML"))
register(OutputFormat("pdf", ".pdf", "parreport.render.pdf:write_pdf", "PDF"))
register(OutputFormat("docx", ".docx", "parreport.render.docx:write_docx", "Word"))
register(OutputFormat("xlsx", ".xlsx", "parreport.render.xlsx:write_xlsx", "Excel"))

__all__ = ["FORMATS", "OutputFormat", "RenderSource", "formats", "get_format", "register"]
