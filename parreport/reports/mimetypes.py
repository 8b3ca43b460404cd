"""The MIME types under which a report's notebook displays its content (:mod:`parreport.reports.content`),
in a module of their own so that the batch can find them in an executed notebook without loading the
content classes (with Jinja, Babel and pandas)."""

DOCUMENT_MIMETYPE = "application/vnd.parreport.document+json"  # the whole Document, as JSON
HEADLINE_MIMETYPE = "application/vnd.parreport.headline+json"  # its headline figures, for the index
