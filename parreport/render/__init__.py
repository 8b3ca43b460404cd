"""Render an executed briefing notebook: HTML with our nbconvert template, then an A4 PDF."""
from parreport.render.html import TEMPLATE_NAME, notebook_to_html
from parreport.render.pdf import html_to_pdf

__all__ = ["TEMPLATE_NAME", "html_to_pdf", "notebook_to_html"]
