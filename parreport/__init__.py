"""parreport: Vietnamese administrative-procedure (TTHC) reports from one-stop-shop exports.

The public API (imported on first use, so ``import parreport`` stays light):

* :func:`load_briefing` — a unit's figures for a period; ``.document()`` is its report content;
* :class:`Store` — the DuckDB store of ingested exports; :func:`open_store` opens data of any form;
* :class:`BatchSpec` and :func:`run_batch` — plan and produce reports, index and manifest;
* :class:`Document` — a report's content as data, rendered per format.
"""
from __future__ import annotations

import importlib

_API = {
    "load_briefing": "parreport.reports.briefing",
    "Document": "parreport.reports.content",
    "Store": "parreport.store",
    "open_store": "parreport.sources",
    "BatchSpec": "parreport.batch",
    "run_batch": "parreport.batch",
}
__all__ = sorted(_API)


def __getattr__(name: str) -> object:
    if name in _API:
        return getattr(importlib.import_module(_API[name]), name)
    raise AttributeError(f"module 'parreport' has no attribute {name!r}")
